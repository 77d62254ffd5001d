"""Events compared and their pages rendered, in this process or in worker processes.

With more than one worker, a process pool (``concurrent.futures``) takes one event
per task and each worker reads the event's records itself. The pipeline is loaded
once, here: where processes can be forked (Linux, and no other thread running) the
workers start as copies of this one, pipeline included, so a worker costs nothing to
start; elsewhere they are spawned and each loads it once. Results come back in event
order with at most two events per worker in flight, so memory holds a few events and
the bytes written do not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from ..pipeline import load_nlp
from ..records import read_record_at
from ..thresholds import Thresholds
from .corpus import Event, EventResult
from .report import render_event
from .story import compare_event

if TYPE_CHECKING:
    from spacy.language import Language

IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class EventTask:
    """What comparing one event takes: the event, its outlet names and the page's way back."""

    event: Event
    outlets: dict[str, str]  # article id -> outlet display name
    index_link: str | None  # the event page's link to the index page, when there is one
    accuracy: Mapping[str, dict[str, Any]]  # profile metric -> its measured accuracy
    thresholds: Thresholds  # spans below their annotator's minimum probability are left out


def compare_and_render(task: EventTask, nlp: Language | None) -> EventResult:
    """Compare one event from its records and render its page."""
    records = [task.thresholds.filter(read_record_at(entry.location))
               for entry in task.event.entries]
    result = EventResult(task.event, compare_event(records, nlp, task.outlets, task.event.id))
    result.page = render_event(result.part, records, result.as_json(), task.index_link,
                               task.accuracy)
    return result


_pipelines: dict[str | None, Language | None] = {}  # per process; forked workers inherit it


def _pipeline(model: str | None) -> Language | None:
    if model not in _pipelines:
        _pipelines[model] = load_nlp(model)
    return _pipelines[model]


def _start_worker() -> None:
    """One BLAS thread per worker: the workers are the parallelism, and BLAS threads
    waiting on each other only burn CPU."""
    threadpool_limits(1)


def _in_worker(task: EventTask, model: str | None) -> EventResult:
    return compare_and_render(task, _pipeline(model))


def compared_events(tasks: Iterable[EventTask], model: str | None,
                    workers: int) -> Iterator[EventResult]:
    """Each task's result, in order; ``model`` names the spaCy pipeline (None: any English).

    A failure in a worker is raised here as it was.
    """
    nlp = _pipeline(model)
    if workers <= 1:
        for task in tasks:
            yield compare_and_render(task, nlp)
        return
    forkable = "fork" in multiprocessing.get_all_start_methods()
    method = "fork" if forkable and threading.active_count() == 1 else "spawn"
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker)
    pending: deque[Future[EventResult]] = deque()
    try:
        for task in tasks:
            pending.append(pool.submit(_in_worker, task, model))
            if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
