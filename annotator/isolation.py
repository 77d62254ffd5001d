"""What keeps one plugin from stopping a run or changing another plugin's output.

Whatever a plugin raises, ``SystemExit`` and ``KeyboardInterrupt`` included, is that
plugin's failure, and so is a call to ``os._exit``; only the user's own Ctrl-C (a SIGINT
received while plugin code ran) stops the run. Each annotator gets its own copy of the
Doc and of the article's metadata, so what it changes there no other annotator sees.
"""

from __future__ import annotations

import copy
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .article import Article

_ctrl_c = threading.Event()  # set by the SIGINT handler of watching_ctrl_c
_process_exit = os._exit
_in_plugin_code = threading.local()  # .active: this thread runs plugin code (exit_refused)


def _exit_unless_in_plugin_code(code: int) -> NoReturn:
    if getattr(_in_plugin_code, "active", False):
        raise SystemExit(f"os._exit({code})")
    _process_exit(code)


@contextmanager
def exit_refused() -> Iterator[None]:
    """While the block runs, ``os._exit`` called from this thread raises ``SystemExit``.

    Otherwise a plugin's ``os._exit`` would end the run at once (one process) or its
    worker with a code a process pool may take for a normal end (0). Other threads, and
    this one after the block, exit as usual.
    """
    os._exit = _exit_unless_in_plugin_code
    _in_plugin_code.active = True
    try:
        yield
    finally:
        _in_plugin_code.active = False


@contextmanager
def watching_ctrl_c() -> Iterator[None]:
    """While the block runs, remember whether a SIGINT arrived (see ``stops_the_run``).

A Ctrl-C that plugin code caught and swallowed is raised again when the block ends.

    Signals reach only the main thread, and only when Python handles SIGINT; elsewhere
    (worker threads and processes that ignore SIGINT) every KeyboardInterrupt is raised
    by code, so nothing needs watching.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield
        return

    def received(signum: int, frame: Any) -> None:
        _ctrl_c.set()
        previous(signum, frame)

    _ctrl_c.clear()
    signal.signal(signal.SIGINT, received)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if _ctrl_c.is_set():
        raise KeyboardInterrupt


def stops_the_run(error: BaseException) -> bool:
    """Whether ``error``, caught around plugin code, is the user's Ctrl-C, not the plugin's."""
    return isinstance(error, KeyboardInterrupt) and _ctrl_c.is_set()


def own_copies(article: Article, doc: Doc) -> tuple[Article, Doc]:
    """The article with a deep copy of its metadata, and a copy of the Doc, for one annotator.

    ``Doc.copy`` copies tokens and their attributes, entities, spans, ``cats`` and
    ``user_data`` (custom extension values); the vocabulary stays shared.
    """
    return replace(article, meta=copy.deepcopy(dict(article.meta))), doc.copy()
