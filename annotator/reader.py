"""Input formats: the Reader base class, and walking paths to the reader of each file."""

from __future__ import annotations

import errno
import io
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, ClassVar

from .article import Article
from .errors import InputError
from .settings import Configurable

SNIFF_BYTES = 2048
STDIN = "-"


@dataclass(frozen=True)
class Source:
    """One input file (or stdin) and the article id it gets if it holds a single article."""

    name: str
    article_id: str
    path: Path | None = None
    data: bytes | None = None

    def open(self) -> BinaryIO:
        """The raw bytes, for readers that stream (one article per line or row)."""
        return io.BytesIO(self.data) if self.path is None else self.path.open("rb")

    def read_text(self) -> str:
        """The whole input as text: UTF-8 with or without BOM; NUL bytes or bad UTF-8 raise."""
        with self.open() as handle:
            return decode(handle.read(), self.name)


def decode(data: bytes, where: str) -> str:
    """UTF-8 with or without BOM; binary or undecodable bytes are an InputError."""
    if b"\x00" in data:
        raise InputError(f"{where}: binary file (contains NUL bytes), skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{where}: not valid UTF-8 (byte {error.start}: {data[error.start:error.start + 1]!r})"
        ) from None


def not_readable(path: Path) -> str | None:
    """Why ``path`` is neither a regular file nor a folder (a FIFO, a symbolic link loop...),
    in words for a message; None when it is one."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop, skipped"
        if path.is_symlink():
            return "dangling symbolic link, skipped"
        if error.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot read ({error.strerror})"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a FIFO, a named pipe" if stat.S_ISFIFO(mode) else "a socket or device"
    return f"not a regular file ({kind}), skipped"


class Reader(Configurable):
    """Base class for input formats. Subclass it and register the class.

    Class attributes: ``name`` (unique), ``suffixes`` (file suffixes it reads,
    lower case with the dot) and ``default_settings``. ``read(source)`` yields
    Articles, and InputError values in place of what it cannot read, so one bad
    line never stops the rest. ``sniff(head)`` may claim a file whose suffix no
    reader knows, from its first bytes.
    """

    kind = "reader"
    suffixes: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: bytes) -> bool:
        """Whether these first bytes of a file look like this format (default: never)."""
        return False

    def read(self, source: Source) -> Iterator[Article | InputError]:
        raise NotImplementedError


class ReaderSet:
    """The readers of a run, found by suffix or by sniffing."""

    def __init__(self, readers: Iterable[Reader]) -> None:
        self.readers = sorted(readers, key=lambda r: r.name)
        self.by_suffix: dict[str, Reader] = {}
        for reader in self.readers:
            for suffix in reader.suffixes:
                if suffix in self.by_suffix:
                    raise InputError(
                        f"readers {self.by_suffix[suffix].name!r} and {reader.name!r} "
                        f"both claim {suffix} files"
                    )
                self.by_suffix[suffix] = reader

    def known_suffixes(self) -> str:
        return ", ".join(sorted(self.by_suffix)) or "none"

    def for_file(self, path: Path, head: bytes) -> Reader:
        reader = self.by_suffix.get(path.suffix.lower())
        if reader is None:
            reader = next((r for r in self.readers if r.sniff(head)), None)
        if reader is None:
            raise InputError(f"{path}: no reader for this file (known: {self.known_suffixes()})")
        return reader

    def read_file(self, path: Path, article_id: str) -> Iterator[Article | InputError]:
        try:
            with path.open("rb") as handle:
                head = handle.read(SNIFF_BYTES)
            reader = self.for_file(path, head)
            yield from reader.read(Source(str(path), article_id, path=path))
        except InputError as error:
            yield error
        except OSError as error:
            yield InputError(f"{path}: cannot read ({error.strerror})")

    def read_stdin(self) -> Iterator[Article | InputError]:
        data = sys.stdin.buffer.read()
        source = Source("<stdin>", "stdin", data=data)
        reader = next((r for r in self.readers if r.sniff(data[:SNIFF_BYTES])), None)
        reader = reader or self.by_suffix.get(".txt")
        if reader is None:
            yield InputError("<stdin>: no reader for plain text is loaded")
            return
        try:
            yield from reader.read(source)
        except InputError as error:
            yield error

    def read(self, paths: Iterable[str]) -> Iterator[Article | InputError]:
        """Articles from files, folders (recursive, sorted) and ``-`` (stdin), lazily.

        A folder's files are those with a known suffix, ids being paths relative to
        it without the suffix; hidden files and folders are skipped. A file given
        by name is read by its suffix, else by sniffing. Problems come back as
        InputError values in place.
        """
        for name in paths:
            if name == STDIN:
                yield from self.read_stdin()
                continue
            path = Path(name)
            if problem := not_readable(path):
                yield InputError(f"{path}: {problem}")
            elif path.is_dir():
                yield from self.read_folder(path)
            else:
                yield from self.read_file(path, path.stem)

    def read_folder(self, folder: Path) -> Iterator[Article | InputError]:
        found = False
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if any(part.startswith(".") for part in relative.parts):
                continue
            if path.suffix.lower() not in self.by_suffix or path.is_dir():
                continue
            if problem := not_readable(path):
                yield InputError(f"{path}: {problem}")
                continue
            found = True
            yield from self.read_file(path, relative.with_suffix("").as_posix())
        if not found:
            yield InputError(f"{folder}: no readable files found (known: {self.known_suffixes()})")
