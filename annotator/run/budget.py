"""A time budget for one annotator on one article.

In a process's main thread the budget is a ``SIGALRM`` timer (``setitimer``); in any
other thread (a Dask worker runs tasks in threads) a timer thread raises the timeout
in the working thread. Either way the exception arrives between two Python bytecodes.
An annotator stuck inside C code, or one that catches BaseException and carries on,
is caught by the parent's watchdog instead, which replaces the whole worker (see
``annotator.run.pool``); in ``--workers 1`` runs nothing can stop it.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class AnnotatorTimeout(BaseException):
    """An annotator ran past its time budget on one article.

    A BaseException, so that a plugin's ``except Exception`` cannot swallow it.
    """


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise AnnotatorTimeout in this thread if the block runs longer than ``seconds``.

    ``None`` or 0 means no budget.
    """
    if not seconds:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _thread_timer(seconds):
            yield


def _timeout_message(seconds: float) -> str:
    return f"took longer than {seconds:g} s (annotator_timeout), stopped"


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise AnnotatorTimeout(_timeout_message(seconds))

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    target = ctypes.c_ulong(threading.get_ident())
    done = threading.Event()
    lock = threading.Lock()

    def expire() -> None:
        with lock:
            if not done.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_Expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except _Expired:
        raise AnnotatorTimeout(_timeout_message(seconds)) from None
    finally:
        with lock:
            done.set()
        timer.cancel()


class _Expired(BaseException):
    """Raised asynchronously into a worker thread; turned into AnnotatorTimeout."""
