"""Where batches are annotated: in this process, or in a pool of worker processes.

The pool is Pebble's ``ProcessPool`` (spawned processes). Each worker loads the
spaCy pipeline and the annotators once, before its first batch. Pebble is the
watchdog: a batch that runs past its limit has its worker killed and replaced, and
a worker that dies (killed, out of memory) fails only the batch it held. Such a
batch is retried one article at a time, so only the article that kills or hangs a
worker is lost, with one error line.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Protocol

from ..article import Article
from ..errors import AnnotatorError
from .job import Engine, Job, Outcome, annotate_batch, engine_for

ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # as Dask's nanny
PARSE_SHARE = 1  # the parse of an article is allowed as long as one annotator
WATCHDOG_GRACE = 30.0  # seconds on top of the budgets, for loading and writing


class Executor(Protocol):
    """Runs batches. ``window`` is how many more batches may be in flight than one."""

    window: int

    def submit(self, batch: list[Article]) -> Any: ...

    def collect(self, handle: Any) -> list[Outcome]: ...

    def close(self, cancel: bool = False) -> None: ...


class InProcess:
    """Batches annotated in this process, one at a time, when they are collected."""

    window = 0

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def submit(self, batch: list[Article]) -> list[Article]:
        return batch

    def collect(self, handle: list[Article]) -> list[Outcome]:
        return self.engine.annotate(handle)

    def close(self, cancel: bool = False) -> None:
        """Nothing to stop."""


def watchdog_limit(job: Job, articles: int, annotators: int) -> float | None:
    """How long a batch may take before its worker is taken for stuck and replaced."""
    if not job.annotator_timeout:
        return None
    return WATCHDOG_GRACE + articles * (annotators + PARSE_SHARE) * job.annotator_timeout


def start_worker(job: Job) -> None:
    """Pebble's initializer: leave Ctrl-C to the parent, and load everything once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        engine_for(job).nlp  # noqa: B018 (loads the pipeline before the first batch)
    except Exception:  # noqa: S110 (the first batch raises it again, to the parent)
        pass


def retrying(collect: Callable[[Any], list[Outcome]], submit: Callable[[list[Article]], Any],
             batch: list[Article], future: Any, describe: Callable[[BaseException], str]
             ) -> list[Outcome]:
    """The outcomes of ``future``; if its worker failed, each article again on its own."""
    try:
        return collect(future)
    except AnnotatorError:
        raise  # a configuration problem in the worker: the run stops
    except Exception as error:
        if len(batch) == 1:
            return [Outcome.failed(batch[0], describe(error))]
        retries = [(article, submit([article])) for article in batch]
        return [outcome for article, handle in retries
                for outcome in retrying(collect, submit, [article], handle, describe)]


class WorkerPool:
    """``workers`` spawned processes, each with its own engine, batches in input order."""

    def __init__(self, job: Job, workers: int, annotators: int) -> None:
        from pebble import ProcessPool

        for variable in ONE_THREAD:  # a worker per core: math libraries must not add threads
            os.environ.setdefault(variable, "1")
        self.job = job
        self.annotators = annotators
        self.window = 2 * workers
        self.pool = ProcessPool(
            max_workers=workers, initializer=start_worker, initargs=(job,),
            context=multiprocessing.get_context("spawn"),
        )

    def _schedule(self, batch: list[Article]) -> Any:
        limit = watchdog_limit(self.job, len(batch), self.annotators)
        return self.pool.schedule(annotate_batch, args=(self.job, batch), timeout=limit)

    def submit(self, batch: list[Article]) -> tuple[list[Article], Any]:
        return batch, self._schedule(batch)

    def collect(self, handle: tuple[list[Article], Any]) -> list[Outcome]:
        batch, future = handle
        return retrying(lambda f: f.result(), self._schedule, batch, future, self._describe)

    def _describe(self, error: BaseException) -> str:
        from pebble import ProcessExpired

        if isinstance(error, FutureTimeout):
            limit = watchdog_limit(self.job, 1, self.annotators)
            return f"worker stopped responding for {limit:g} s; it was replaced"
        if isinstance(error, ProcessExpired):
            return f"worker process died (exit code {error.exitcode}); it was replaced"
        return f"worker failed: {type(error).__name__}: {error}".splitlines()[0]

    def close(self, cancel: bool = False) -> None:
        if cancel:
            self.pool.stop()
        else:
            self.pool.close()
        self.pool.join()
