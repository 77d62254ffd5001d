"""Batches annotated on a Dask cluster: ``--scheduler ADDRESS``, or ``local`` for this machine.

Each batch is one task (``annotate_batch``); every Dask worker process builds its
engine (pipeline and annotators) once, on its first task, and keeps it for the
next. Records come back to this process, which writes them, so the output folder
needs to exist only here, and the bytes are those of a local run. Plugin files and
lexicons named in the configuration must be at the same paths on every worker.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Iterator
from multiprocessing import forkserver, get_context
from typing import Any

from ..article import Article
from ..errors import ConfigError
from .job import Job, Outcome, annotate_batch
from .pool import retrying, watchdog_limit

LOCAL = "local"
CONNECT_TIMEOUT = "30s"
LOCAL_SCHEDULER = {  # a worker runs one task at a time, and one that dies with it fails at once,
    "distributed.scheduler.worker-saturation": 1.0,  # so no innocent neighbour is blamed and
    "distributed.scheduler.allowed-failures": 0,  # retrying() gives each article its own try
    "distributed.worker.multiprocessing-method": "forkserver",  # see ctrl_c_left_to_annotate
}
FORKSERVER_PRELOAD = ["distributed", "annotator.run.job"]  # what every worker imports


def ctrl_c_left_to_annotate() -> None:
    """Start the fork server that local workers are forked from, with SIGINT ignored.

    Ctrl-C in a terminal reaches every process of its group. Each worker forked from
    this server (a restarted one too) inherits the ignored SIGINT from its first
    instruction, so it prints nothing; ``annotate`` alone stops and closes the cluster.
    """
    get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def ctrl_c_deferred() -> Iterator[None]:
    """A Ctrl-C pressed while the block runs is raised when it ends, not in the middle."""
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


class DaskCluster:
    """A Dask client on an existing scheduler, or on a LocalCluster of ``workers`` processes."""

    def __init__(self, job: Job, address: str, workers: int, annotators: int) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError(
                "--scheduler needs Dask: pip install 'annotator[dask]'") from None
        self.job = job
        self.annotators = annotators
        self.cluster = self.client = None
        try:
            if address == LOCAL:
                with dask.config.set(LOCAL_SCHEDULER), ctrl_c_deferred():
                    ctrl_c_left_to_annotate()
                    self.cluster = LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=logging.CRITICAL,
                    )
                    self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
        except OSError as error:
            raise ConfigError(f"--scheduler {address}: cannot connect ({error})") from None
        except KeyboardInterrupt:
            self.close(cancel=True)
            raise
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads

    def _schedule(self, batch: list[Article]) -> Any:
        return self.client.submit(annotate_batch, self.job, batch, pure=False)

    def submit(self, batch: list[Article]) -> tuple[list[Article], Any]:
        return batch, self._schedule(batch)

    def _result(self, future: Any) -> list[Outcome]:
        limit = watchdog_limit(self.job, self.job.batch_size, self.annotators)
        try:
            return future.result(timeout=limit)
        except TimeoutError:
            stuck = [worker for worker, keys in self.client.processing().items()
                     if future.key in keys]
            if stuck:
                self.client.restart_workers(stuck)
            raise

    def collect(self, handle: tuple[list[Article], Any]) -> list[Outcome]:
        batch, future = handle
        return retrying(self._result, self._schedule, batch, future, self._describe)

    @staticmethod
    def _describe(error: BaseException) -> str:
        if isinstance(error, TimeoutError):
            return "Dask worker stopped responding; it was restarted"
        if type(error).__name__ == "KilledWorker":
            return "Dask worker process died on this article; it was restarted"
        return f"Dask task failed: {type(error).__name__}: {error}".splitlines()[0]

    def close(self, cancel: bool = False) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
