"""Scoring annotators against human-annotated gold corpora (`annotate eval`).

Where each part lives:

- ``registry``: the known gold formats in detection order, ``read_gold``, the label map;
- ``gold_format``: the interface a format implements, and the standard annotate-and-score run;
- one module per format: ``brat``, ``basil``, ``ptc``, ``sentences``, ``quotes``,
  ``newsmtsc``, ``vader`` (its gold item types, its reader and its scorer);
- ``gold``: gold items and the reading helpers formats share; ``span``: span algebra;
- ``metrics``: the P/R/F1 measures; ``selector``: picking our annotations by the label map;
- ``report``: the table and JSON; ``runner``: ``evaluate``, which ties them together.
"""

from .gold import Gold, GoldItem
from .gold_format import GoldFormat
from .registry import FORMATS, GOLD_FORMATS, detect_format, load_label_maps, read_gold
from .report import Report, ScoreRow
from .runner import evaluate
from .span import Span

__all__ = [
    "FORMATS",
    "GOLD_FORMATS",
    "Gold",
    "GoldFormat",
    "GoldItem",
    "Report",
    "ScoreRow",
    "Span",
    "detect_format",
    "evaluate",
    "load_label_maps",
    "read_gold",
]
