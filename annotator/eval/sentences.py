"""Sentence labels: ``text,label`` CSV, scored by positive-class F1 (hedged sentences)."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, GoldItem, data_files
from .gold_format import GoldFormat
from .metrics import accuracy, positive_class_score
from .report import ScoreRow
from .selector import Annotations, Selector, selected


@dataclass(frozen=True)
class LabelledSentence(GoldItem):
    positive: bool


def read_sentences(path: Path) -> Gold:
    """Sentence labels: CSV files with a header ``text,label`` (label 1 = positive)."""
    gold = Gold("sentences", path, [])
    empty = 0
    for csv_path in data_files(path, ".csv", "sentence labels"):
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"text", "label"} <= set(reader.fieldnames or ()):
                raise InputError(f"{csv_path}: expected a CSV header with text,label")
            for row in reader:
                where = f"{csv_path}:{reader.line_num}"
                if row["label"] not in ("0", "1"):
                    raise InputError(f"{where}: label must be 0 or 1, not {row['label']!r}")
                if not row["text"].strip():
                    empty += 1
                    continue
                gold.items.append(
                    LabelledSentence(where, row["text"], str(csv_path), row["label"] == "1")
                )
    if empty:
        gold.notes.append(f"{empty} empty sentences skipped")
    return gold


def score_sentences(
    items: Sequence[LabelledSentence], annotations: Annotations, config: Mapping[str, Any]
) -> tuple[list[ScoreRow], dict[str, float]]:
    """Positive-class P/R/F1: a sentence is predicted positive when a selected annotation of
    ours falls in it."""
    selectors = [
        Selector.from_config(s, "sentences.positive") for s in config["sentences"]["positive"]
    ]
    gold = [item.positive for item in items]
    predicted = [bool(selected(annotations.get(item.id, ()), selectors)) for item in items]
    rows = [ScoreRow("positive", "sentence", positive_class_score(gold, predicted))]
    return rows, {"accuracy": accuracy(gold, predicted)}


class SentencesFormat(GoldFormat):
    name = "sentences"
    layout = "*.csv"
    label_map_section = "sentences"
    batch_size = 64

    def detect(self, path: Path) -> bool:
        return path.suffix == ".csv" if path.is_file() else any(path.glob("*.csv"))

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_sentences(path)

    def tasks(self, config: Mapping[str, Any]) -> dict[str, set[str]]:
        return {"positive": {s["annotator"] for s in config["sentences"]["positive"]}}

    def score(
        self, items: Sequence[Any], annotations: Annotations, config: Mapping[str, Any],
        runnable: Set[str],
    ) -> tuple[list[ScoreRow], dict[str, float]]:
        return score_sentences(items, annotations, config)
