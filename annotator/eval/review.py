"""Reviewed annotations as gold: our spans, corrected by people, scored per annotator and label.

A review corpus (a Label Studio export, W3C Web Annotation JSON-LD) gives each text one or
more reviewers' spans, labelled ``<annotator>:<label>``. Our annotators run on the same
texts; each label is scored by exact match and by any overlap against the reference
reviewer, and where several people reviewed a text, the others are scored against the same
reference ("reviewers" rows) beside ours on those texts ("ours" rows): their agreement is
the ceiling for ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from .gold import GoldItem
from .gold_format import GoldFormat
from .metrics import any_overlap_score, exact_match_score
from .report import ScoreRow
from .selector import Annotations
from .span import Span

PLAIN_LABELS: Mapping[str, Any] = {"label_attributes": {}, "skip": [], "relations": {}}


@dataclass(frozen=True)
class ReviewedText(GoldItem):
    """One text and each reviewer's spans (labels ``annotator:label``), the reference first."""

    reviews: tuple[tuple[str, tuple[Span, ...]], ...]


def annotator_of(key: str) -> str:
    return key.partition(":")[0]


def our_spans(annotations: Iterable[Mapping[str, Any]], review: Mapping[str, Any]
              ) -> list[Span]:
    """Our annotations as review spans: ``annotator:label``, the label refined by the
    configured attribute (``attribution:cue/distancing``), and the sub-spans named in
    ``relations`` (``attribution:source``), as the Label Studio export shows them."""
    skip = set(review["skip"])
    spans = []
    for annotation in annotations:
        name, label = annotation["annotator"], annotation["label"]
        if name in skip or f"{name}:{label}" in skip:
            continue
        attributes = annotation.get("attributes") or {}
        attribute = review["label_attributes"].get(name)
        value = attributes.get(attribute) if attribute else None
        if isinstance(value, str) and value:
            label = f"{label}/{value}"
        spans.append(Span.of(annotation["start"], annotation["end"], f"{name}:{label}"))
        for key in review["relations"].get(name, ()):
            part = attributes.get(key)
            if isinstance(part, dict) and part.get("end", 0) > part.get("start", 0):
                spans.append(Span.of(part["start"], part["end"], f"{name}:{key}"))
    return spans


def reviewed_annotators(items: Sequence[ReviewedText]) -> set[str]:
    return {annotator_of(s.label) for item in items for _, spans in item.reviews for s in spans}


def label_rows(
    predicted: Mapping[str, list[Span]], expected: Mapping[str, list[Span]], suffix: str = "",
    measures: Sequence[str] = ("exact", "any overlap"),
) -> list[ScoreRow]:
    """One row per label and measure."""
    scorers = {"exact": exact_match_score, "any overlap": any_overlap_score}
    keys = sorted({s.label for spans in (*predicted.values(), *expected.values()) for s in spans})
    rows = []
    for key in keys:
        ours = {doc: [s for s in spans if s.label == key] for doc, spans in predicted.items()}
        gold = {doc: [s for s in spans if s.label == key] for doc, spans in expected.items()}
        rows += [ScoreRow(key, m + suffix, scorers[m](ours, gold)) for m in measures]
    return rows


def score_reviews(items: Sequence[ReviewedText], annotations: Annotations,
                  review: Mapping[str, Any]) -> list[ScoreRow]:
    """Ours against each text's reference reviewer, per label; then reviewer agreement.

    ``review`` says how our annotations were labelled for the reviewers: ``skip`` (not
    shown) and ``label_attributes`` (the attribute that refines each annotator's labels).
    """
    reviewed = reviewed_annotators(items)
    expected = {item.id: list(item.reviews[0][1]) for item in items}
    predicted = {
        item.id: [s for s in our_spans(annotations.get(item.id, ()), review)
                  if annotator_of(s.label) in reviewed]
        for item in items
    }
    rows = label_rows(predicted, expected)
    shared = [item for item in items if len(item.reviews) > 1]
    if shared:
        others = {f"{item.id}#{who}": list(spans) for item in shared for who, spans in
                  item.reviews[1:]}
        references = {key: expected[key.partition("#")[0]] for key in others}
        rows += label_rows(others, references, ", reviewers", ("exact",))
        rows += label_rows({item.id: predicted[item.id] for item in shared},
                           {item.id: expected[item.id] for item in shared}, ", ours", ("exact",))
    return rows


class ReviewFormat(GoldFormat):
    """Shared by the review formats: run the annotators the reviewers saw, score per label."""

    def review(self, config: Mapping[str, Any]) -> Mapping[str, Any]:
        """How our annotations were labelled in the exported review (default: as they are)."""
        return PLAIN_LABELS

    def gold_tasks(self, gold: Any, config: Mapping[str, Any]) -> dict[str, set[str]]:
        return {name: {name} for name in sorted(reviewed_annotators(gold.items))}

    def score(
        self, items: Sequence[Any], annotations: Annotations, config: Mapping[str, Any],
        runnable: Set[str],
    ) -> tuple[list[ScoreRow], dict[str, float]]:
        return score_reviews(items, annotations, self.review(config)), {}
