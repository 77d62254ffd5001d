"""The gold formats `annotate eval` knows, in detection order; reading a gold folder; the
label map they share.

A new format: a module in this package with a :class:`GoldFormat` subclass, and one line in
``GOLD_FORMATS`` (before any format whose ``detect`` would also claim its layout).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..safe_yaml import DATA_FILE, YAMLProblem, load_yaml
from .basil import BasilFormat
from .brat import BratFormat
from .gold import Gold
from .gold_format import GoldFormat
from .labelstudio import LabelStudioFormat
from .newsmtsc import NewsmtscFormat
from .ptc import PtcFormat
from .quotes import QuotesFormat
from .sentences import SentencesFormat
from .vader import VaderFormat
from .w3c import W3CFormat

GOLD_FORMATS: dict[str, GoldFormat] = {
    f.name: f
    for f in (
        BratFormat(), BasilFormat(), PtcFormat(), W3CFormat(), SentencesFormat(),
        QuotesFormat(), NewsmtscFormat(), VaderFormat(), LabelStudioFormat(),
    )
}
FORMATS = tuple(GOLD_FORMATS)


def detect_format(path: Path) -> str:
    """Guess the gold format from the folder's layout (or a file's suffix)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    found = next((f.name for f in GOLD_FORMATS.values() if f.detect(path)), None)
    if found:
        return found
    if path.is_file():
        raise InputError(f"{path}: cannot tell the gold format from the suffix; use --format")
    *first, last = (f.layout for f in GOLD_FORMATS.values())
    raise InputError(f"{path}: not a gold folder I know ({', '.join(first)} or {last})")


def read_gold(
    path: Path, fmt: str | None = None, limit: int | None = None,
    config: dict[str, Any] | None = None,
) -> Gold:
    """Read a gold folder in the given (or detected) format, keeping the first ``limit`` items.

    ``config`` is the label map (default: the packaged one).
    """
    fmt = fmt or detect_format(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if fmt not in GOLD_FORMATS:
        raise ConfigError(f"unknown gold format {fmt!r} (known: {', '.join(FORMATS)})")
    gold = GOLD_FORMATS[fmt].read(path, config or load_label_maps())
    if limit is not None and len(gold.items) > limit:
        gold.notes.append(f"--limit {limit}: scored the first {limit} of {len(gold.items)} items")
        gold.items = gold.items[:limit]
    return gold


def load_label_maps(path: Path | None = None) -> dict[str, Any]:
    """The label mapping config: ``path`` or the packaged ``label_maps.yaml``."""
    source = path or files("annotator").joinpath("label_maps.yaml")
    try:
        config = load_yaml(source.read_text(encoding="utf-8"), DATA_FILE)
    except (OSError, YAMLProblem) as error:
        raise ConfigError(f"label map {source}: {error}") from None
    sections = [f.label_map_section for f in GOLD_FORMATS.values() if f.label_map_section]
    if not isinstance(config, dict) or not all(s in config for s in sections):
        raise ConfigError(f"label map {source}: needs sections {', '.join(sections)}")
    return config
