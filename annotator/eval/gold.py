"""What a gold corpus is once read: items with their text, and helpers the format readers share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .span import Span, normalize_parts


@dataclass(frozen=True)
class GoldItem:
    """One gold text: its id, its text and the file it was read from."""

    id: str
    text: str
    path: str


@dataclass
class Gold:
    """The items read from one gold folder, and what the reader had to say about it."""

    format: str
    path: Path
    items: list[GoldItem]
    notes: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8") from None


def checked_span(parts: Sequence[tuple[int, int]], label: str, text: str, where: str) -> Span:
    for start, end in parts:
        if not 0 <= start < end <= len(text):
            raise InputError(f"{where}: offsets {start}-{end} outside the text ({len(text)})")
    return Span(normalize_parts(parts), label)


def data_files(path: Path, suffix: str, kind: str) -> list[Path]:
    """The file itself, or the folder's files with this suffix (sorted)."""
    found = [path] if path.is_file() else sorted(path.glob(f"*{suffix}"))
    if not found:
        raise InputError(f"{path}: no {suffix} file for {kind}")
    return found
