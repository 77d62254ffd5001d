"""The run loop: read articles lazily, skip the unchanged, annotate in batches, write in order.

Memory stays flat: inputs are read one at a time, at most a few batches are in
flight, and each record is written (and forgotten) as soon as it is its turn.
Everything reaches the output folder and the summary in input order, whatever
executes the batches, so the bytes do not depend on the number of workers.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..article import Article
from ..errors import InputError
from ..pipeline import article_fields
from .job import Engine, Outcome
from .output import Output, Reusable
from .pool import Executor
from .summary import Summary

Report = Callable[[str], None]


@dataclass
class Batch:
    """Articles annotated together, with their targets; ``handle`` once submitted."""

    items: list[tuple[Article, str]] = field(default_factory=list)
    handle: Any = None
    ready: bool = False  # complete: no more articles join it
    submitted: bool = False
    outcomes: list[Outcome] | None = None  # once collected


@dataclass
class Slot:
    """An article's place in input order: item ``index`` of ``batch``."""

    batch: Batch
    index: int


@dataclass
class Kept:
    article: Article
    target: str
    kept: Reusable


@dataclass
class Failed:
    message: str
    article_id: str | None = None


Entry = Slot | Kept | Failed


def unwritable(article: Article) -> str | None:
    """Why an article cannot become a record (text or fields that are not Unicode), or None."""
    try:
        for value in (article.id, article.text, article.title, article.source, article.url,
                      article.date, article.event, article.source_path):
            if value is not None:
                value.encode("utf-8")
        json.dumps(dict(article.meta), ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError) as error:
        return f"not valid Unicode or JSON ({type(error).__name__}), skipped"
    return None


class Run:
    """One ``annotate run``: its engine, output folder, summary and executor."""

    def __init__(self, engine: Engine, output: Output, summary: Summary,
                 start: Callable[[bool], Executor], report: Report, force: bool = False,
                 progress: Callable[[Summary], None] | None = None) -> None:
        self.engine = engine
        self.output = output
        self.summary = summary
        self.start = start  # start(many): the executor, for one batch or for many
        self.executor: Executor | None = None
        self.report = report
        self.force = force
        self.progress = progress
        self.queue: deque[Entry] = deque()
        self.batches = 0  # in the queue
        self.complete = False

    def run(self, items: Iterable[Article | InputError]) -> None:
        """Process every item; leaves the folder complete even when interrupted."""
        provenance = None if self.force else self.engine.expected_provenance
        batch = Batch()
        try:
            for item in items:
                entry = self._entry(item, provenance)
                if isinstance(entry, tuple):
                    batch.items.append(entry)
                    self.queue.append(Slot(batch, len(batch.items) - 1))
                    if len(batch.items) == self.engine.job.batch_size:
                        self._enqueue(batch)
                        batch = Batch()
                else:
                    self.queue.append(entry)
                self._drain(self._window())
            if batch.items:
                self._enqueue(batch)
            if self.executor is None:
                self.executor = self.start(False)
                self._submit()
            self._drain(0)
            self.complete = True
        except BaseException:
            with contextlib.suppress(Exception):  # the first error is the one to report
                self.close(cancel=True)
            raise
        self.close(cancel=False)

    def close(self, cancel: bool) -> None:
        """Stop the executor, complete the folder, write the summary; the first error is raised."""
        executor = self.executor
        steps = [self.summary.close, lambda: self.output.finish(self.complete)]
        if executor is not None:
            steps.insert(0, lambda: executor.close(cancel=cancel))
        first: BaseException | None = None
        for step in steps:
            try:
                step()
            except BaseException as error:
                first = first or error
        if first is not None:
            raise first

    def _entry(self, item: Article | InputError, provenance: dict[str, Any] | None
               ) -> Entry | tuple[Article, str]:
        if isinstance(item, InputError):
            return Failed(str(item))
        where = Output.where(item)
        if reason := unwritable(item):
            return Failed(f"{where}: {reason}")
        try:
            target = self.output.claim(item)
        except InputError as error:
            return Failed(str(error), item.id or None)
        if provenance is not None:
            kept = self.output.unchanged(target, article_fields(item), provenance)
            if kept is not None:
                return Kept(item, target, kept)
        return item, target

    def _window(self) -> int:
        return self.executor.window if self.executor is not None else 1

    def _enqueue(self, batch: Batch) -> None:
        batch.ready = True
        self.batches += 1
        if self.executor is None and self.batches < 2:
            return  # held: a single batch needs a single worker
        if self.executor is None:
            self.executor = self.start(True)
        self._submit()

    def _submit(self) -> None:
        assert self.executor is not None
        for entry in self.queue:
            if isinstance(entry, Slot) and entry.batch.ready and not entry.batch.submitted:
                entry.batch.handle = self.executor.submit([a for a, _ in entry.batch.items])
                entry.batch.submitted = True

    def _drain(self, window: int) -> None:
        """Write the ready entries at the head, waiting while more than ``window`` batches fly."""
        while self.queue:
            head = self.queue[0]
            if isinstance(head, Slot):
                batch = head.batch
                if batch.outcomes is None:
                    if not batch.submitted or self.batches <= window:
                        return
                    assert self.executor is not None
                    batch.outcomes = self.executor.collect(batch.handle)
                    self.batches -= 1
                self.queue.popleft()
                article, target = batch.items[head.index]
                self._write(article, target, batch.outcomes[head.index])
            else:
                self.queue.popleft()
                self._settle(head)
            if self.progress is not None:
                self.progress(self.summary)

    def _settle(self, entry: Kept | Failed) -> None:
        if isinstance(entry, Failed):
            self.report(f"error: {entry.message}")
            self.summary.failure(entry.article_id)
            return
        self.output.keep(entry.target, entry.kept)
        self.summary.record(entry.article.id, self.output.location(entry.target),
                            entry.kept.counts, [], kept=True)

    def _write(self, article: Article, target: str, outcome: Outcome) -> None:
        where = Output.where(article)
        if outcome.content is None:
            self._settle(Failed(f"{where}: {outcome.failure}", article.id))
            return
        try:
            self.output.write(target, outcome.content)
        except InputError as error:
            self._settle(Failed(str(error), article.id))
            return
        for name, message in outcome.errors:
            self.report(f"error: {where}: annotator {name!r} failed: {message}")
        self.summary.record(article.id, self.output.location(target), outcome.counts,
                            [name for name, _ in outcome.errors])
