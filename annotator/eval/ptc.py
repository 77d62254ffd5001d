"""PTC span labels (SemEval-2020 Task 11): technique spans over whole articles."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, GoldItem, checked_span, read_text
from .gold_format import GoldFormat
from .metrics import any_overlap_score, partial_overlap_score
from .report import ScoreRow
from .selector import Annotations, Selector, category_of, selected
from .span import Span


@dataclass(frozen=True)
class SpanText(GoldItem):
    spans: tuple[Span, ...]


def read_ptc(folder: Path) -> Gold:
    """PTC span labels: ``labels.tsv`` (or ``*.labels``) rows ``id<TAB>label<TAB>start<TAB>end``
    over ``articles/article<id>.txt``. Every article is scored, with or without spans."""
    article_dir = folder / "articles"
    label_files = sorted(folder.glob("*.tsv")) + sorted(folder.glob("*.labels"))
    if not article_dir.is_dir() or not label_files:
        raise InputError(f"{folder}: not a PTC corpus (needs articles/ and labels.tsv)")
    texts = {
        re.sub(r"^article", "", p.stem): p for p in sorted(article_dir.glob("article*.txt"))
    }
    loaded = {doc_id: read_text(path) for doc_id, path in texts.items()}
    spans: dict[str, list[Span]] = defaultdict(list)
    for label_file in label_files:
        for number, line in enumerate(read_text(label_file).splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{label_file}:{number}"
            fields = line.split("\t")
            if len(fields) != 4 or not fields[2].isdigit() or not fields[3].isdigit():
                raise InputError(f"{where}: expected id<TAB>label<TAB>start<TAB>end")
            doc_id, label, start, end = fields
            if doc_id not in loaded:
                raise InputError(f"{where}: no articles/article{doc_id}.txt")
            parts = [(int(start), int(end))]
            spans[doc_id].append(checked_span(parts, label, loaded[doc_id], where))
    items = [
        SpanText(doc_id, loaded[doc_id], str(texts[doc_id]), tuple(spans.get(doc_id, ())))
        for doc_id in loaded
    ]
    return Gold("ptc", folder, items)


@dataclass(frozen=True)
class SpanTask:
    """A PTC task: gold labels merged into one class, our selectors, an optional breakdown."""

    gold_labels: frozenset[str]
    selectors: tuple[Selector, ...]
    breakdown: str | None


def ptc_tasks(config: Mapping[str, Any]) -> dict[str, SpanTask]:
    """The PTC tasks of the label map, by name."""
    tasks = {}
    for name, task in config["ptc"]["tasks"].items():
        selectors = tuple(Selector.from_config(s, f"ptc.{name}") for s in task["ours"])
        tasks[name] = SpanTask(frozenset(task["gold"]), selectors, task.get("breakdown"))
    return tasks


def score_ptc(
    items: Sequence[SpanText], annotations: Annotations, tasks: Mapping[str, SpanTask]
) -> list[ScoreRow]:
    """Per task: SemEval partial overlap and any overlap, gold labels merged into one class;
    with a breakdown, any-overlap rows per category of ours (P is its hit rate)."""
    rows = []
    for name, task in tasks.items():
        gold_labels, selectors, breakdown = task.gold_labels, task.selectors, task.breakdown
        expected = {
            item.id: [Span(s.parts) for s in item.spans if s.label in gold_labels]
            for item in items
        }
        picked = {item.id: selected(annotations.get(item.id, ()), selectors) for item in items}
        predicted = {
            doc_id: [Span.of(a["start"], a["end"]) for a in found]
            for doc_id, found in picked.items()
        }
        rows.append(ScoreRow(name, "partial", partial_overlap_score(predicted, expected)))
        rows.append(ScoreRow(name, "any overlap", any_overlap_score(predicted, expected)))
        if breakdown:
            categories = sorted(
                {category_of(a, breakdown) for found in picked.values() for a in found}
            )
            for category in categories:
                of_category = {
                    doc_id: [
                        Span.of(a["start"], a["end"])
                        for a in found
                        if category_of(a, breakdown) == category
                    ]
                    for doc_id, found in picked.items()
                }
                score = any_overlap_score(of_category, expected)
                rows.append(ScoreRow(f"{name}[{category}]", "any overlap", score))
    return rows


class PtcFormat(GoldFormat):
    name = "ptc"
    layout = "PTC articles/+labels.tsv"
    label_map_section = "ptc"

    def detect(self, path: Path) -> bool:
        return path.is_dir() and (path / "articles").is_dir()

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_ptc(path)

    def tasks(self, config: Mapping[str, Any]) -> dict[str, set[str]]:
        return {
            name: {s.annotator for s in task.selectors}
            for name, task in ptc_tasks(config).items()
        }

    def score(
        self, items: Sequence[Any], annotations: Annotations, config: Mapping[str, Any],
        runnable: Set[str],
    ) -> tuple[list[ScoreRow], dict[str, float]]:
        tasks = {name: task for name, task in ptc_tasks(config).items() if name in runnable}
        return score_ptc(items, annotations, tasks), {}
