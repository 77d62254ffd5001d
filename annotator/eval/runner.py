"""Running the annotators a gold format needs over its texts, and scoring them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .baseline import baseline_twins
from .gold import Gold
from .gold_format import Progress
from .registry import GOLD_FORMATS, load_label_maps
from .report import Report


def evaluate(
    gold: Gold,
    model: str | None = None,
    config: Mapping[str, Any] | None = None,
    plugin_files: Sequence[str | Path] = (),
    progress: Progress = lambda _: None,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> Report:
    """Run the annotators a gold format needs over its texts and score them.

    Only those annotators are instantiated (installed plugins plus ``plugin_files``, with
    their ``settings``); tasks whose annotators are missing are skipped with a note. An
    annotator with ``baseline_settings`` also runs with them on the same parse, its scores
    repeated as rows marked "baseline". ``progress`` is called with the number of gold
    items done since the last call.
    """
    from ..plugins import annotator_classes, load_annotators, plugin_manager

    config = config or load_label_maps()
    gold_format = GOLD_FORMATS[gold.format]
    report = Report(gold.format, str(gold.path), len(gold.items), notes=list(gold.notes))
    tasks = gold_format.gold_tasks(gold, config)
    if not tasks:
        return gold_format.run(gold, report, [], model, config, progress, set())

    manager = plugin_manager(plugin_files)
    installed = set(annotator_classes(manager))
    for task, names in tasks.items():
        if missing := names - installed:
            report.notes.append(f"{task}: skipped, annotator(s) {', '.join(sorted(missing))} "
                                "not installed")
    names = sorted(set().union(*tasks.values()) & installed)
    chosen = {name: dict(value) for name, value in (settings or {}).items() if name in installed}
    annotators = (
        load_annotators(manager, only=names, settings=chosen, include_used=True) if names else []
    )
    report.annotators = [{"name": a.name, "version": a.version} for a in annotators]
    runnable = {task for task, needed in tasks.items() if needed <= installed}
    twins = baseline_twins(annotators, manager, chosen)
    return gold_format.run(gold, report, [*annotators, *twins], model, config, progress, runnable)
