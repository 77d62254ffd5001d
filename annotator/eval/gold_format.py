"""The interface every gold format implements, and the standard way a format is run.

A format recognises its corpus layout (``detect``), reads it into :class:`Gold` items
(``read``), names the annotators each of its tasks needs (``tasks``) and scores our
annotations against the items (``score``). ``run`` annotates the gold texts and scores
them; a format that scores some other way (VADER ratings, NewsMTSC targets) overrides it.
A new format is a module in this package with a subclass, listed in ``registry.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from pathlib import Path
from typing import Any, ClassVar

from .gold import Gold, GoldItem
from .report import Report, ScoreRow
from .selector import Annotations

Progress = Callable[[int], None]
"""Called with the number of gold items done since the last call."""


class GoldFormat:
    """One gold corpus format: how to recognise, read and score it."""

    name: ClassVar[str]
    layout: ClassVar[str]
    """How the corpus looks on disk, for the error listing the formats known."""
    label_map_section: ClassVar[str | None] = None
    """The section of label_maps.yaml this format needs, if any."""
    batch_size: ClassVar[int] = 16

    def detect(self, path: Path) -> bool:
        """Whether this file or folder looks like this format."""
        raise NotImplementedError

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        raise NotImplementedError

    def tasks(self, config: Mapping[str, Any]) -> dict[str, set[str]]:
        """For each scored task, the names of the annotators it needs (none: no annotators)."""
        return {}

    def gold_tasks(self, gold: Gold, config: Mapping[str, Any]) -> dict[str, set[str]]:
        """``tasks`` for this gold corpus; formats whose tasks depend on the corpus (the
        annotators reviewers saw) override this instead of ``tasks``."""
        return self.tasks(config)

    def score(
        self,
        items: Sequence[Any],
        annotations: Annotations,
        config: Mapping[str, Any],
        runnable: Set[str],
    ) -> tuple[list[ScoreRow], dict[str, float]]:
        """Score rows and single values for our annotations of the items; ``runnable`` is
        the tasks whose annotators are all installed."""
        raise NotImplementedError

    def run(
        self,
        gold: Gold,
        report: Report,
        annotators: list[Any],
        model: str | None,
        config: Mapping[str, Any],
        progress: Progress,
        runnable: Set[str],
    ) -> Report:
        """Annotate the gold texts with ``annotators`` (one ``nlp.pipe`` pass) and score them;
        baseline twins among them (see ``baseline``) are scored again as marked rows."""
        from ..pipeline import load_nlp, pipeline_name
        from .baseline import baseline_note, baseline_rows, is_twin, split_baseline

        if not annotators:
            return report
        nlp = load_nlp(model)
        report.pipeline = pipeline_name(nlp)
        annotations, failures = annotate_gold(
            gold.items, annotators, nlp, progress, self.batch_size
        )
        if failures:
            report.notes.append(f"{len(failures)} annotator failure(s), first: {failures[0]}")
        twins = [a for a in annotators if is_twin(a)]
        ours, baseline = split_baseline(annotations, twins)
        report.rows, report.values = self.score(gold.items, ours, config, runnable)
        if twins:
            rows, values = baseline_rows(*self.score(gold.items, baseline, config, runnable))
            report.rows += rows
            report.values.update(values)
            report.notes += [baseline_note(twin) for twin in twins]
        return report


def annotate_gold(
    items: Sequence[GoldItem], annotators: list[Any], nlp: Any, progress: Progress,
    batch_size: int,
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Our annotations per gold item id (one ``nlp.pipe`` pass), and annotator failures."""
    from ..article import Article
    from ..pipeline import annotate_articles

    articles = [Article(id=item.id, text=item.text, source_path=item.path) for item in items]
    annotations: dict[str, list[dict[str, Any]]] = {}
    failures: list[str] = []
    for record in annotate_articles(articles, nlp, annotators, batch_size=batch_size):
        annotations[record["article"]["id"]] = record["annotations"]
        failures += [
            f"{record['article']['source_path']}: {e['annotator']} failed: {e['message']}"
            for e in record["errors"]
        ]
        progress(1)
    return annotations, failures
