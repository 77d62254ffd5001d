"""Reading annotation records back from an output folder, one at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError
from .schema import read_record

NOT_RECORDS = frozenset({"comparison.json", "events.json"})  # what `annotate compare` writes


def record_paths(directory: Path) -> list[Path]:
    """The annotation files under ``directory`` (``*.json``, recursive, sorted).

    Hidden files and the outputs of ``annotate compare`` are left out.
    """
    return sorted(
        p for p in directory.rglob("*.json")
        if not any(part.startswith(".") for part in p.relative_to(directory).parts)
        and p.name not in NOT_RECORDS
    )


def read_valid_record(path: Path) -> dict[str, Any]:
    """One annotation file, parsed and validated; an invalid one is an InputError naming it."""
    record, problems = read_record(path)
    if problems:
        raise InputError(f"{problems[0].line(str(path))} (not a valid annotation record)")
    return record


def iter_records(directory: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield ``(path, record)`` for every annotation file under ``directory``, lazily.

    Only one record is held at a time. A folder without annotation files, a file
    that fails validation, or an article id seen twice raises InputError with one
    line naming the file.
    """
    paths = record_paths(directory)
    if not paths:
        raise InputError(f"{directory}: no annotation files (*.json) found")
    seen: dict[str, Path] = {}
    for path in paths:
        record = read_valid_record(path)
        article_id = record["article"]["id"]
        if article_id in seen:
            raise InputError(f"{path}: article id {article_id!r} is also in {seen[article_id]}")
        seen[article_id] = path
        yield path, record
