"""Writing records into the output folder: one JSON file per article, or JSON-lines shards.

Every write is atomic (a temporary file in the same folder, fsync, rename), and a
temporary file never outlives a failed or interrupted write. An error that means the
folder can take no more (disk full, quota, read-only, I/O error) stops the run; any
other error writing one article's file is that article's failure.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import orjson

from ..article import Article
from ..errors import AnnotatorError, ConfigError, InputError
from .naming import record_name

FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
PROBE_BYTES = 4096
SHARD_SIZE = 1000
SHARD_NAME = "shard-{:05d}.jsonl"
SHARD_PATTERN = re.compile(r"shard-(\d{5})\.jsonl")
ID_FIELD = re.compile(rb'^\{"schema_version":"[^"]*","article":\{"id":"((?:[^"\\]|\\.)*)"')


class OutputError(AnnotatorError):
    """The output folder cannot take any more records: the run stops."""


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


def check_writable(folder: Path) -> None:
    """Fail with one line, before anything is loaded, if ``folder`` cannot take files.

    A probe file is written (with fsync) and removed: in the folder if it exists,
    else in its nearest existing parent, so that a failed run creates no folder.
    """
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: output folder is not a folder")
    existing = next(p for p in (folder.absolute(), *folder.absolute().parents) if p.exists())
    try:
        with tempfile.NamedTemporaryFile("wb", dir=existing, prefix=".annotator-probe.") as probe:
            probe.write(b"\0" * PROBE_BYTES)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        raise ConfigError(
            f"{folder}: output folder is not writable ({error.strerror or error})"
        ) from None


def _matches(record: Any, header: dict[str, Any], provenance: dict[str, Any]) -> bool:
    """Whether an existing record is this article, by this provenance, without errors."""
    return (
        isinstance(record, dict)
        and record.get("article") == header
        and record.get("provenance") == provenance
        and record.get("errors") == []
    )


class Output:
    """The output folder of a run: claims a file for each article, reuses or writes it.

    ``claim`` names the target of an article (or raises InputError for an id that
    cannot be written); ``unchanged`` returns what to keep when the existing output
    already holds this article with the same provenance; ``write`` and ``keep`` put
    records on disk in input order; ``finish`` completes the folder.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = folder.resolve()

    @staticmethod
    def where(article: Article) -> str:
        return article.source_path or article.id

    def claim(self, article: Article) -> str:
        raise NotImplementedError

    def unchanged(self, target: str, header: dict[str, Any],
                  provenance: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def write(self, target: str, content: str) -> None:
        raise NotImplementedError

    def keep(self, target: str, kept: str) -> None:
        """Keep an unchanged record (``kept`` is what ``unchanged`` returned)."""

    def location(self, target: str) -> str:
        """Where the last record written to ``target`` is, for the summary."""
        return target

    def finish(self, complete: bool) -> None:
        """Close what is open; ``complete`` when the whole input was read."""

    def _fail(self, error: OSError, target: str) -> None:
        message = f"{self.folder / target}: cannot write ({error.strerror or error})"
        if error.errno in FATAL_ERRNOS:
            raise OutputError(message) from None
        raise InputError(message) from None


class RecordFiles(Output):
    """One JSON file per article, named by ``annotator.run.naming``."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.claimed: set[str] = set()

    def claim(self, article: Article) -> str:
        where = self.where(article)
        if not article.id:
            raise InputError(f"{where}: empty article id, skipped")
        name = record_name(article.id)
        if name in self.claimed:
            raise InputError(f"{where}: duplicate article id {article.id!r}, skipped")
        if not (self.folder / name).parent.resolve().is_relative_to(self.root):
            raise InputError(
                f"{where}: article id {article.id!r} would be written outside {self.folder} "
                "(through a symbolic link), skipped"
            )
        self.claimed.add(name)
        return name

    def unchanged(self, target: str, header: dict[str, Any],
                  provenance: dict[str, Any]) -> str | None:
        try:
            record = orjson.loads((self.folder / target).read_bytes())
        except (OSError, ValueError):
            return None
        return "" if _matches(record, header, provenance) else None

    def write(self, target: str, content: str) -> None:
        try:
            write_atomically(self.folder / target, content)
        except OSError as error:
            self._fail(error, target)


class ShardFiles(Output):
    """Records as JSON lines, ``shard_size`` a file, in input order (``shard-00000.jsonl``...).

    Claimed article number n goes to shard n // shard_size. A shard is written to a
    temporary file and renamed once the next one starts (or at the end); an
    unchanged record is copied from the shard as it was before this run.
    """

    def __init__(self, folder: Path, shard_size: int = SHARD_SIZE) -> None:
        super().__init__(folder)
        self.shard_size = shard_size
        self.ids: set[str] = set()
        self.count = 0
        self.open_shard: str | None = None
        self.handle: IO[str] | None = None
        self.lines = 0  # in the open shard
        self.published: set[str] = set()
        self.previous_shard: str | None = None
        self.previous_index: dict[str, tuple[int, int]] = {}
        self.previous_handle: IO[bytes] | None = None

    def claim(self, article: Article) -> str:
        if not article.id:
            raise InputError(f"{self.where(article)}: empty article id, skipped")
        if article.id in self.ids:
            raise InputError(
                f"{self.where(article)}: duplicate article id {article.id!r}, skipped")
        self.ids.add(article.id)
        target = SHARD_NAME.format(self.count // self.shard_size)
        self.count += 1
        return target

    def _previous(self, shard: str) -> dict[str, tuple[int, int]]:
        """Where each id's line is in ``shard`` as it was before this run."""
        if shard != self.previous_shard:
            self._close_previous()
            self.previous_shard, self.previous_index = shard, {}
            try:
                self.previous_handle = (self.folder / shard).open("rb")
            except OSError:
                return self.previous_index
            offset = 0
            for line in self.previous_handle:
                found = ID_FIELD.search(line)
                if found:
                    with contextlib.suppress(ValueError):
                        article_id = json.loads(b'"' + found.group(1) + b'"')
                        self.previous_index.setdefault(article_id, (offset, len(line)))
                offset += len(line)
        return self.previous_index

    def _close_previous(self) -> None:
        if self.previous_handle is not None:
            self.previous_handle.close()
        self.previous_handle = None

    def unchanged(self, target: str, header: dict[str, Any],
                  provenance: dict[str, Any]) -> str | None:
        place = self._previous(target).get(header["id"])
        if place is None or self.previous_handle is None:
            return None
        try:
            self.previous_handle.seek(place[0])
            line = self.previous_handle.read(place[1]).decode("utf-8")
            return line if _matches(orjson.loads(line), header, provenance) else None
        except (OSError, ValueError):
            return None

    def keep(self, target: str, kept: str) -> None:
        self.write(target, kept)

    def write(self, target: str, content: str) -> None:
        try:
            if target != self.open_shard:
                self._close()
                self.handle = temporary_file(self.folder / target)
                self.open_shard = target
            assert self.handle is not None
            self.handle.write(content)
            self.lines += 1
        except OSError as error:
            self._abandon()
            self._fail(error, target)

    def location(self, target: str) -> str:
        return f"{target}:{self.lines}"

    def _close(self) -> None:
        if self.handle is not None and self.open_shard is not None:
            try:
                publish(self.handle, self.folder / self.open_shard)
                self.published.add(self.open_shard)
            except OSError as error:
                shard = self.open_shard
                self._abandon()
                self._fail(error, shard)
        self.handle, self.open_shard, self.lines = None, None, 0

    def _abandon(self) -> None:
        if self.handle is not None:
            discard(self.handle)
        self.handle, self.open_shard, self.lines = None, None, 0

    def finish(self, complete: bool) -> None:
        self._close_previous()
        try:
            self._close()
        finally:
            self._abandon()
        if complete:  # other shards hold articles this input no longer has there
            for path in self.folder.glob("shard-*.jsonl"):
                if SHARD_PATTERN.fullmatch(path.name) and path.name not in self.published:
                    path.unlink()


def open_output(folder: Path, output_format: str) -> Output:
    return ShardFiles(folder) if output_format == "jsonl" else RecordFiles(folder)
