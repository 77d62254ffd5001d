"""NewsMTSC: sentiment toward a target person in a news sentence, scored by macro-F1."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, GoldItem, data_files, read_text
from .gold_format import GoldFormat, Progress
from .metrics import accuracy, class_scores, macro_f1
from .report import Report, ScoreRow
from .vader import stock_compound

SENTIMENT_CLASSES = ("neg", "neu", "pos")


@dataclass(frozen=True)
class Target:
    start: int
    end: int
    mention: str
    polarity: str


@dataclass(frozen=True)
class TargetSentence(GoldItem):
    targets: tuple[Target, ...]


def read_newsmtsc(path: Path, polarity: Mapping[float, str]) -> Gold:
    """NewsMTSC JSONL: ``sentence_normalized`` and ``targets[{from, to, mention, polarity}]``."""
    gold = Gold("newsmtsc", path, [])
    for jsonl in data_files(path, ".jsonl", "NewsMTSC"):
        for number, line in enumerate(read_text(jsonl).splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{jsonl}:{number}"
            try:
                record = json.loads(line)
                text = record["sentence_normalized"]
                targets = tuple(
                    Target(t["from"], t["to"], t["mention"], polarity[float(t["polarity"])])
                    for t in record["targets"]
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise InputError(f"{where}: not a NewsMTSC record ({error})") from None
            for target in targets:
                if not 0 <= target.start < target.end <= len(text):
                    raise InputError(f"{where}: target offsets outside the sentence")
            gold.items.append(TargetSentence(where, text, str(jsonl), targets))
    return gold


def newsmtsc_polarity(config: Mapping[str, Any]) -> dict[float, str]:
    return {float(k): str(v) for k, v in config["newsmtsc"]["polarity"].items()}


def polarity_of(score: float, config: Mapping[str, Any]) -> str:
    """neg / neu / pos from a compound-like score with the configured thresholds."""
    if score >= config["newsmtsc"]["positive_from"]:
        return "pos"
    if score <= config["newsmtsc"]["negative_to"]:
        return "neg"
    return "neu"


def score_targets(
    gold: Sequence[str], predicted: Sequence[str]
) -> tuple[list[ScoreRow], dict[str, float]]:
    """Per-class rows and macro-F1 over neg/neu/pos (plus accuracy)."""
    per_class = class_scores(gold, predicted, SENTIMENT_CLASSES)
    rows = [ScoreRow(name, "target", score) for name, score in per_class.items()]
    return rows, {"macro_f1": macro_f1(per_class), "accuracy": accuracy(gold, predicted)}


def newsmtsc_report(
    gold: Gold,
    report: Report,
    annotators: list[Any],
    model: str | None,
    config: Mapping[str, Any],
    progress: Progress,
) -> Report:
    """Target polarity from the sentiment annotator's ``target_score``, or the stock VADER
    compound of the whole sentence when the annotator lacks that method. That baseline's
    macro-F1 is reported beside ours either way."""
    from ..pipeline import load_nlp, pipeline_name

    method = config["newsmtsc"]["method"]
    scorer = next((getattr(a, method) for a in annotators if hasattr(a, method)), None)
    gold_labels = [t.polarity for item in gold.items for t in item.targets]
    compounds = stock_compound(item.text for item in gold.items)
    baseline = [c for item, c in zip(gold.items, compounds, strict=True) for _ in item.targets]
    if scorer is None:
        report.notes.append(
            f"no annotator has {method}(); scored the baseline: stock VADER compound of the "
            "whole sentence"
        )
        scores = baseline
        progress(len(gold.items))
    else:
        nlp = load_nlp(model)
        report.pipeline = pipeline_name(nlp)
        scores = []
        pairs = ((item.text, item) for item in gold.items)
        for doc, item in nlp.pipe(pairs, as_tuples=True, batch_size=64):
            scores += [scorer(doc, t.start, t.end) for t in item.targets]
            progress(1)
    predicted = [polarity_of(score, config) for score in scores]
    report.rows, report.values = score_targets(gold_labels, predicted)
    stock = [polarity_of(score, config) for score in baseline]
    stock_scores = class_scores(gold_labels, stock, SENTIMENT_CLASSES)
    report.values["baseline_macro_f1"] = macro_f1(stock_scores)
    return report


class NewsmtscFormat(GoldFormat):
    """Scores the sentiment annotator's ``target_score`` (or the stock VADER baseline)."""

    name = "newsmtsc"
    layout = "*.jsonl"
    label_map_section = "newsmtsc"

    def detect(self, path: Path) -> bool:
        return path.suffix == ".jsonl" if path.is_file() else any(path.glob("*.jsonl"))

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_newsmtsc(path, newsmtsc_polarity(config))

    def tasks(self, config: Mapping[str, Any]) -> dict[str, set[str]]:
        return {"target": {config["newsmtsc"]["annotator"]}}

    def run(
        self, gold: Gold, report: Report, annotators: list[Any], model: str | None,
        config: Mapping[str, Any], progress: Progress, runnable: Set[str],
    ) -> Report:
        return newsmtsc_report(gold, report, annotators, model, config, progress)
