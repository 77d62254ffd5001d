"""The measures: P/R/F1 over spans, (cue, source) pairs, sentence classes and ratings.

Pure functions of predicted and gold values; nothing here reads files or runs annotators.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .span import Pair, Span, merge_overlapping, overlap


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1, with the two denominators they were computed over."""

    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int


def prf(precision_sum: float, predicted: int, recall_sum: float, gold: int) -> Score:
    """P = precision_sum / predicted, R = recall_sum / gold, F1 their harmonic mean.

    Follows the SemEval-2020 Task 11 scorer: an empty denominator gives 0, and F1 is 1
    when there is nothing to predict and nothing was predicted.
    """
    precision = precision_sum / predicted if predicted else 0.0
    recall = recall_sum / gold if gold else 0.0
    if not predicted and not gold:
        f1 = 1.0
    elif precision and recall:
        f1 = 2 * precision * recall / (precision + recall)
    else:
        f1 = 0.0
    return Score(precision, recall, f1, predicted, gold)


def partial_overlap_score(
    predicted: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]
) -> Score:
    """The SemEval-2020 Task 11 partial-overlap measure over documents (keyed by id).

    Overlapping spans of one label are first merged in both sets (the official scorer merges
    the gold spans and, with ``-m``, the predicted ones). Then, over same-label pairs,
    P = sum |p & g| / |p| over predictions / #predictions and
    R = sum |p & g| / |g| over gold spans / #gold spans.
    """
    precision_sum = recall_sum = 0.0
    predicted_count = gold_count = 0
    for doc_id in sorted(set(predicted) | set(gold)):
        ours = merge_overlapping(predicted.get(doc_id, ()))
        theirs = merge_overlapping(gold.get(doc_id, ()))
        predicted_count += len(ours)
        gold_count += len(theirs)
        for p in ours:
            for g in theirs:
                if p.label == g.label:
                    shared = overlap(p, g)
                    precision_sum += shared / len(p)
                    recall_sum += shared / len(g)
    return prf(precision_sum, predicted_count, recall_sum, gold_count)


def any_overlap_score(
    predicted: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]
) -> Score:
    """P = share of predictions overlapping a same-label gold span; R = share of gold spans
    overlapped by a same-label prediction. Identical spans count once."""
    hit_predictions = hit_gold = 0
    predicted_count = gold_count = 0
    for doc_id in sorted(set(predicted) | set(gold)):
        ours = set(predicted.get(doc_id, ()))
        theirs = set(gold.get(doc_id, ()))
        predicted_count += len(ours)
        gold_count += len(theirs)
        hit_predictions += sum(
            any(p.label == g.label and overlap(p, g) for g in theirs) for p in ours
        )
        hit_gold += sum(any(p.label == g.label and overlap(p, g) for p in ours) for g in theirs)
    return prf(hit_predictions, predicted_count, hit_gold, gold_count)


def pair_overlap_score(
    predicted: Mapping[str, Iterable[Pair]], gold: Mapping[str, Iterable[Pair]]
) -> Score:
    """Any-overlap P/R/F1 for (cue, source) pairs: a predicted pair matches a gold relation
    when its cue overlaps the relation's cue and its source overlaps the relation's source."""

    def matches(a: Pair, b: Pair) -> bool:
        return overlap(a[0], b[0]) > 0 and overlap(a[1], b[1]) > 0

    hit_predictions = hit_gold = 0
    predicted_count = gold_count = 0
    for doc_id in sorted(set(predicted) | set(gold)):
        ours = set(predicted.get(doc_id, ()))
        theirs = set(gold.get(doc_id, ()))
        predicted_count += len(ours)
        gold_count += len(theirs)
        hit_predictions += sum(any(matches(p, g) for g in theirs) for p in ours)
        hit_gold += sum(any(matches(p, g) for p in ours) for g in theirs)
    return prf(hit_predictions, predicted_count, hit_gold, gold_count)


def positive_class_score(gold: Sequence[bool], predicted: Sequence[bool]) -> Score:
    """P/R/F1 of the positive class for parallel lists of gold and predicted labels."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in length")
    true_positives = sum(g and p for g, p in zip(gold, predicted, strict=True))
    return prf(true_positives, sum(predicted), true_positives, sum(gold))


def class_scores(
    gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]
) -> dict[str, Score]:
    """One-vs-rest P/R/F1 for each class."""
    return {
        name: positive_class_score([g == name for g in gold], [p == name for p in predicted])
        for name in classes
    }


def macro_f1(scores: Mapping[str, Score]) -> float:
    """Unweighted mean of the per-class F1 scores."""
    return sum(s.f1 for s in scores.values()) / len(scores)


def accuracy(gold: Sequence[Any], predicted: Sequence[Any]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's r (statistics.correlation)."""
    return statistics.correlation(xs, ys)


def exact_match_score(
    predicted: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]
) -> Score:
    """P = share of predictions equal to a gold span (same parts and label); R = share of
    gold spans predicted exactly. Identical spans count once."""
    hits = predicted_count = gold_count = 0
    for doc_id in sorted(set(predicted) | set(gold)):
        ours, theirs = set(predicted.get(doc_id, ())), set(gold.get(doc_id, ()))
        predicted_count += len(ours)
        gold_count += len(theirs)
        hits += len(ours & theirs)
    return prf(hits, predicted_count, hits, gold_count)
