"""Running the annotators a gold format needs over its texts, and scoring them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

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
) -> Report:
    """Run the annotators a gold format needs over its texts and score them.

    Only those annotators are instantiated (installed plugins plus ``plugin_files``); tasks
    whose annotators are missing are skipped with a note. ``progress`` is called with the
    number of gold items done since the last call.
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
    annotators = load_annotators(manager, only=names, include_used=True) if names else []
    report.annotators = [{"name": a.name, "version": a.version} for a in annotators]
    runnable = {task for task, needed in tasks.items() if needed <= installed}
    return gold_format.run(gold, report, annotators, model, config, progress, runnable)
