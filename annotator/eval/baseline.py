"""Baseline rows: an annotator with learned parts scored again without them, on the same parse.

An annotator declares ``baseline_settings`` (for attribution, the rules alone); ``evaluate``
adds a twin instance with those settings, renamed ``<name>#baseline``, to the same run, and
the format scores the twin's annotations under the annotator's own name as extra rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .report import ScoreRow
from .selector import Annotations

BASELINE = "baseline"
TWIN_MARK = "#"


def baseline_twins(
    annotators: Sequence[Any], manager: Any, settings: Mapping[str, Mapping[str, Any]]
) -> list[Any]:
    """A twin of each annotator that declares ``baseline_settings``, named ``<name>#baseline``."""
    from ..plugins import load_annotators

    twins = []
    for annotator in annotators:
        if annotator.baseline_settings is None:
            continue
        own = {**settings.get(annotator.name, {}), **annotator.baseline_settings}
        [twin] = load_annotators(manager, only=[annotator.name], settings={annotator.name: own})
        twin.name = f"{annotator.name}{TWIN_MARK}{BASELINE}"
        twins.append(twin)
    return twins


def is_twin(annotator: Any) -> bool:
    return annotator.name.endswith(TWIN_MARK + BASELINE)


def split_baseline(
    annotations: Annotations, twins: Sequence[Any]
) -> tuple[dict[str, list[Mapping[str, Any]]], dict[str, list[Mapping[str, Any]]]]:
    """Our annotations, and the baseline's: the twins' under their annotators' names in
    place of the annotators' own."""
    original = {twin.name: twin.name.partition(TWIN_MARK)[0] for twin in twins}
    replaced = {*original, *original.values()}
    ours: dict[str, list[Mapping[str, Any]]] = {}
    baseline: dict[str, list[Mapping[str, Any]]] = {}
    for key, found in annotations.items():
        ours[key] = [a for a in found if a["annotator"] not in original]
        baseline[key] = [a for a in found if a["annotator"] not in replaced] + [
            {**a, "annotator": original[a["annotator"]]} for a in found
            if a["annotator"] in original
        ]
    return ours, baseline


def baseline_rows(
    rows: Sequence[ScoreRow], values: Mapping[str, float]
) -> tuple[list[ScoreRow], dict[str, float]]:
    """The baseline's rows and values, marked; rows that do not score us (humans) are left
    out, since they would repeat."""
    marked = [
        ScoreRow(r.task, f"{r.measure}, {BASELINE}", r.score) for r in rows
        if not r.measure.endswith(", humans")
    ]
    return marked, {f"{name}, {BASELINE}": value for name, value in values.items()}


def baseline_note(twin: Any) -> str:
    off = ", ".join(f"{key}={value!r}" for key, value in twin.baseline_settings.items())
    return f"{BASELINE}: {twin.name.partition(TWIN_MARK)[0]} with {off}"
