"""Writing files and whole outputs so that a reader never sees half of them.

A file is written to a temporary file in its folder, fsynced and renamed onto its name.
A whole output (the records of a run, a comparison, an export) is staged first and
put in place by a ``Commit``: the renames it will make are written to a journal, then
made, then the journal is removed; a commit cut short (killed, power lost) is finished
by the next writer of that folder (``finish_interrupted_commit``). Ctrl-C is held back
while a commit runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


def temporary_file(path: Path) -> IO[str]:
    return tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    )


def publish(handle: IO[str], path: Path) -> None:
    """Flush, fsync, close and rename a temporary file onto ``path``."""
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    os.chmod(handle.name, 0o644)  # NamedTemporaryFile creates 0600; outputs are shared files
    os.replace(handle.name, path)


def discard(handle: IO[str]) -> None:
    with contextlib.suppress(OSError):
        handle.close()
    with contextlib.suppress(OSError):
        os.unlink(handle.name)


def write_atomically(path: Path, content: str | Callable[[IO[str]], None]) -> None:
    """Write via a temporary file in the same folder and a rename: never a half file.

    ``content`` is the text, or a function that writes it to the open file (for
    output streamed in parts). The temporary file is removed if anything goes
    wrong, Ctrl-C included.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = temporary_file(path)
    try:
        handle.write(content) if isinstance(content, str) else content(handle)
        publish(handle, path)
    except BaseException:
        discard(handle)
        raise


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold SIGINT back while the block runs (in the main thread); it arrives after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def overlaps(first: Path, second: Path) -> bool:
    """Whether two folders are one, or one lies inside the other (symbolic links resolved)."""
    one, other = first.resolve(), second.resolve()
    return one.is_relative_to(other) or other.is_relative_to(one)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class Commit:
    """The renames and removals that put a staged output in place, made all or none.

    Paths are kept relative to ``folder``, so a folder moved after a crash still
    finishes its commit. ``journal`` is the file that records a commit in progress.
    """

    def __init__(self, folder: Path, journal: Path) -> None:
        self.folder = folder
        self.journal = journal
        self.moves: list[tuple[str, str]] = []
        self.removals: list[str] = []

    def move(self, source: Path, target: Path) -> None:
        self.moves.append((self._relative(source), self._relative(target)))

    def remove(self, path: Path) -> None:
        self.removals.append(self._relative(path))

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def run(self) -> None:
        """Journal, rename, remove, then drop the journal; Ctrl-C waits until it is done."""
        with ctrl_c_held():
            write_atomically(self.journal, json.dumps(
                {"moves": self.moves, "removals": self.removals}, ensure_ascii=False) + "\n")
            _fsync_folder(self.journal.parent)
            self._apply()
            self.journal.unlink()

    def _apply(self) -> None:
        touched = {self.folder}
        for source, target in self.moves:
            path = self.folder / target
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):  # moved before a crash
                os.replace(self.folder / source, path)
            touched.add(path.parent)
        for removal in self.removals:
            path = self.folder / removal
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            touched.add(path.parent)
        for folder in touched:
            _fsync_folder(folder)

    @classmethod
    def finish_interrupted(cls, folder: Path, journal: Path) -> bool:
        """Finish the commit a crash cut short, if ``journal`` records one; True if it did."""
        try:
            recorded = json.loads(journal.read_text("utf-8"))
        except FileNotFoundError:
            return False
        except (OSError, ValueError):  # a journal not wholly written: its commit never began
            journal.unlink(missing_ok=True)
            return False
        commit = cls(folder, journal)
        commit.moves = [tuple(pair) for pair in recorded["moves"]]
        commit.removals = list(recorded["removals"])
        with ctrl_c_held():
            commit._apply()
            journal.unlink()
        return True


class StagedOutput:
    """Files written into a staging folder inside ``folder``, then put in place by one Commit.

    Until ``commit`` the folder is as it was; a commit cut short is finished by the
    next ``StagedOutput`` of the same folder. Use as a context manager: leaving it
    without a commit discards what was staged.
    """

    def __init__(self, folder: Path, area: str) -> None:
        self.folder = folder
        self.area = folder / area
        self.area.mkdir(parents=True, exist_ok=True)
        self.journal = self.area / "commit.json"
        Commit.finish_interrupted(folder, self.journal)
        self.stage = Path(tempfile.mkdtemp(prefix="stage-", dir=self.area))
        self.staged: list[str] = []

    def write(self, relative: str, content: str | Callable[[IO[str]], None]) -> None:
        """Stage the file that will be ``folder/relative``."""
        write_atomically(self.stage / relative, content)
        self.staged.append(relative)

    def staged_path(self, relative: str) -> Path:
        """A path to stage ``folder/relative`` at, for writers that want a path."""
        path = self.stage / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.staged.append(relative)
        return path

    def commit(self, removals: Iterator[Path] | list[Path] = ()) -> None:
        """Move every staged file into place and remove ``removals``, all or none."""
        commit = Commit(self.folder, self.journal)
        for relative in self.staged:
            commit.move(self.stage / relative, self.folder / relative)
        for path in removals:
            commit.remove(path)
        commit.remove(self.stage)
        commit.run()
        with contextlib.suppress(OSError):
            self.area.rmdir()

    def __enter__(self) -> StagedOutput:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.stage.exists():
            shutil.rmtree(self.stage, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.area.rmdir()
