"""The output folder of ``annotate run``, written as one transaction.

Two layouts: one JSON file per article (named by ``annotator.naming``), or, with
``--format jsonl``, JSON-lines shards of 1,000 records for each input, in input order
(``corpus-00000.jsonl``, ``corpus-00001.jsonl``... for the input ``corpus.jsonl``).

Nothing is written in place while a run goes on: records go to a folder of the run's
own under ``OUT/.annotator-run/``, and once the whole input has been read one commit
(``annotator.atomic.Commit``) renames them into place and removes the records the run
made stale. An interrupted or failed run commits nothing: the folder keeps its
previous complete state, and the records the run finished stay staged, so the next
run takes them up instead of annotating those articles again.

Which records a run may replace: a record belongs to an input of the run when its
``source_path`` is that input or lies under it. After a complete run, the records of
an input are those of this run, in input order; a record whose article is no longer
in its input is removed, unless its source file still exists and gave no article this
time (unreadable, or now empty), which keeps it. Records of other inputs are never
touched: an article id that such a record holds is an error naming both inputs.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..article import Article
from ..atomic import Commit, write_atomically
from ..errors import AnnotatorError, ConfigError, InputError
from ..records import record_paths
from ..schema import parse_record
from .naming import record_name

FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
PROBE_BYTES = 4096
SHARD_SIZE = 1000
SHARD_NAME = re.compile(r"(.+)-(\d{5})\.jsonl")
STAGING = ".annotator-run"
SUMMARY_FILE = "_summary.tsv"
STDIN, STDIN_SOURCE = "-", "<stdin>"
# the first fields of a record as annotate writes it, indented or on one line
HEADER = re.compile(
    rb'\A\{\s*"schema_version":\s*"[^"]*",\s*"article":\s*\{\s*"id":\s*"((?:[^"\\]|\\.)*)",'
    rb'\s*"source_path":\s*(null|"(?:[^"\\]|\\.)*")'
)
HEADER_BYTES = 1 << 16
NOT_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


class OutputError(AnnotatorError):
    """The output folder cannot take any more records: the run stops."""


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


def check_apart(inputs: Sequence[str], folder: Path) -> None:
    """Refuse, in one line, an output folder that is an input, lies inside one or holds one:
    its records would be read as articles, or its articles overwritten."""
    out = folder.resolve()
    for name in inputs:
        if name == STDIN:
            continue
        path = Path(name).resolve()
        if path == out or (path.is_dir() and out.is_relative_to(path)):
            raise ConfigError(f"{folder}: the output folder is inside the input {name} "
                              "(its records would be read as articles); choose another -o")
        if path.is_relative_to(out):
            raise ConfigError(f"{folder}: the output folder holds the input {name}; "
                              "choose another -o")


def source_file(source_path: str) -> str:
    """The input file a record's ``source_path`` names (``corpus.jsonl:12`` -> ``corpus.jsonl``;
    stdin is ``-``)."""
    if source_path == STDIN_SOURCE or source_path.startswith(STDIN_SOURCE + ":"):
        return STDIN
    if not os.path.lexists(source_path) and (line := re.fullmatch(r"(.*):\d+", source_path)):
        return line.group(1)
    return source_path


def missing(path: str) -> bool:
    """Whether ``path`` surely does not exist (a folder that cannot be read is not proof)."""
    if path == STDIN:
        return False
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


class Inputs:
    """The inputs of a run, as given on the command line, and which records they own."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self.resolved = {n: Path(n).resolve() for n in self.names if n != STDIN}

    def owner(self, source_path: str | None) -> str | None:
        """The input a record with this ``source_path`` came from, or None (another input)."""
        if source_path is None:
            return None
        file = source_file(source_path)
        if file == STDIN:
            return STDIN if STDIN in self.names else None
        path = Path(file).resolve()
        for name, root in self.resolved.items():
            if path == root or path.is_relative_to(root):
                return name
        return None


@dataclass(frozen=True)
class Reusable:
    """An existing record that is up to date: the line to copy (shards) or the staged file
    to move into place (a resumed record file), and its annotations per annotator."""

    counts: dict[str, int]
    line: str | None = None
    staged: Path | None = None


def read_header(data: bytes) -> tuple[str, str | None] | None:
    """The article id and source_path at the start of a record's bytes, or None."""
    found = HEADER.match(data)
    if found is None:
        return None
    try:
        return json.loads(b'"' + found.group(1) + b'"'), json.loads(found.group(2))
    except ValueError:
        return None


def _matches(record: Any, header: dict[str, Any], provenance: dict[str, Any]) -> bool:
    """Whether an existing record is this article, by this provenance, without errors."""
    return (
        isinstance(record, dict)
        and record.get("article") == header
        and record.get("provenance") == provenance
        and record.get("errors") == []
    )


class Staging:
    """``OUT/.annotator-run/``: this run's folder, the folders interrupted runs left
    (taken up, newest first), the lock that keeps a second run out, and the commit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = folder / STAGING
        self.lock = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.lock)
            raise ConfigError(f"{folder}: another annotate run is writing this folder") from None
        self.root.mkdir(exist_ok=True)
        Commit.finish_interrupted(folder, self.journal)
        self.resumed = sorted((p for p in self.root.glob("run-*") if p.is_dir()), reverse=True)
        self.current = self.root / f"run-{time.time_ns():020d}-{os.getpid()}"
        self.current.mkdir()

    @property
    def journal(self) -> Path:
        return self.root / "commit.json"

    def run(self, commit: Commit) -> None:
        """Make ``commit``, clearing every run folder once its moves are made."""
        for folder in (*self.resumed, self.current):
            commit.remove(folder)
        commit.run()
        self.close()

    def keep_for_resume(self) -> None:
        """Leave this run's records for the next run."""
        self.close()

    def close(self) -> None:
        """Remove what is empty, and let the next run in."""
        for folder in (self.current, self.root):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        with contextlib.suppress(OSError):
            os.close(self.lock)


class Output:
    """The output folder of a run: claims a target for each article, reuses or writes its
    record, and commits the whole at the end.

    ``claim`` names the target of an article (or raises InputError for an id that
    cannot be written); ``unchanged`` returns a Reusable when an existing record is
    this article by this provenance and still valid; ``write`` and ``keep`` put records
    in the run's staging folder in input order; ``finish`` commits when the whole input
    was read (``complete``), else leaves the staged records for the next run.
    """

    def __init__(self, folder: Path, inputs: Sequence[str],
                 attribute_schemas: Mapping[str, Mapping[str, Any]] | None = None,
                 force: bool = False) -> None:
        self.folder = folder
        self.root = folder.resolve()
        self.inputs = Inputs(inputs)
        self.schemas = dict(attribute_schemas or {})
        self.force = force
        self.sources: set[str] = set()  # source files that gave an article this run
        self.committed = False
        self._refuse_other_layout()
        self.staging = Staging(folder)

    @property
    def summary_path(self) -> Path:
        """Where the run's summary table is written; it is committed with the records."""
        return self.staging.current / SUMMARY_FILE

    @staticmethod
    def where(article: Article) -> str:
        return article.source_path or article.id

    def _source(self, article: Article) -> str:
        return source_file(article.source_path or STDIN_SOURCE)

    def _reusable(self, data: bytes, header: dict[str, Any],
                  provenance: dict[str, Any]) -> dict[str, int] | None:
        """The annotation counts of a record that may be kept as it is, or None."""
        record, problems = parse_record(data, self.schemas)
        if problems or not _matches(record, header, provenance):
            return None
        counts = dict.fromkeys((a["name"] for a in provenance["annotators"]), 0)
        counts.update(Counter(a["annotator"] for a in record["annotations"]))
        return counts

    def _refuse_other_layout(self) -> None:
        raise NotImplementedError

    def claim(self, article: Article) -> str:
        raise NotImplementedError

    def unchanged(self, target: str, header: dict[str, Any],
                  provenance: dict[str, Any]) -> Reusable | None:
        raise NotImplementedError

    def write(self, target: str, content: str) -> None:
        raise NotImplementedError

    def keep(self, target: str, kept: Reusable) -> None:
        """Keep an unchanged record (what ``unchanged`` returned)."""

    def location(self, target: str) -> str:
        """Where the last record written to ``target`` is, for the summary."""
        return target

    def finish(self, complete: bool) -> None:
        """Commit when ``complete`` (the whole input was read), else keep what was staged."""
        if not complete:
            self._close()
            self.staging.keep_for_resume()
            return
        self._close()
        commit = Commit(self.folder, self.staging.journal)
        self._plan(commit)
        if self.summary_path.is_file():
            commit.move(self.summary_path, self.folder / SUMMARY_FILE)
        try:
            self.staging.run(commit)
            self.committed = True
        except OSError as error:
            raise OutputError(f"{self.folder}: cannot put the records in place "
                              f"({error.strerror or error}); the next run finishes it") from None

    def _close(self) -> None:
        """Close what is open."""

    def _plan(self, commit: Commit) -> None:
        raise NotImplementedError

    def _stale(self, article_id: str, source_path: str | None) -> bool:
        """Whether a record of this run's inputs, whose id this run did not claim, goes: its
        source gave articles this time (so not this one), or no longer exists."""
        if self.inputs.owner(source_path) is None:
            return False
        file = source_file(source_path or "")
        return file in self.sources or missing(file)

    def _fail(self, error: OSError, target: str) -> None:
        message = f"{self.folder / target}: cannot write ({error.strerror or error})"
        if error.errno in FATAL_ERRNOS:
            raise OutputError(message) from None
        raise InputError(message) from None


class RecordFiles(Output):
    """One JSON file per article, named by ``annotator.naming``."""

    def __init__(self, folder: Path, inputs: Sequence[str],
                 attribute_schemas: Mapping[str, Mapping[str, Any]] | None = None,
                 force: bool = False) -> None:
        super().__init__(folder, inputs, attribute_schemas, force)
        self.claimed: dict[str, str] = {}  # target -> where
        self.written: list[str] = []
        self.resumed: dict[str, Path] = {}  # target -> resumed staged file
        self._existing: tuple[str, bytes | None] | None = None

    def _refuse_other_layout(self) -> None:
        if any(SHARD_NAME.fullmatch(p.name) for p in self.folder.glob("*.jsonl")):
            raise ConfigError(f"{self.folder}: holds JSON-lines shards; write --format jsonl "
                              "to it, or choose another -o")

    def _existing_bytes(self, target: str) -> bytes | None:
        if self._existing is None or self._existing[0] != target:
            try:
                data: bytes | None = (self.folder / target).read_bytes()
            except OSError:
                data = None
            self._existing = (target, data)
        return self._existing[1]

    def claim(self, article: Article) -> str:
        where = self.where(article)
        if not article.id:
            raise InputError(f"{where}: empty article id, skipped")
        name = record_name(article.id)
        if name in self.claimed:
            raise InputError(f"{where}: article id {article.id!r} is also the id of "
                             f"{self.claimed[name]}, skipped")
        if not (self.folder / name).parent.resolve().is_relative_to(self.root):
            raise InputError(
                f"{where}: article id {article.id!r} would be written outside {self.folder} "
                "(through a symbolic link), skipped"
            )
        data = self._existing_bytes(name)
        if data is not None and not self.force:
            self._check_replaceable(article, where, name, data)
        self.claimed[name] = where
        self.sources.add(self._source(article))
        return name

    def _check_replaceable(self, article: Article, where: str, name: str, data: bytes) -> None:
        """An existing file at ``name`` may be replaced only when it is this input's record
        (or an orphan: a record whose source no longer exists)."""
        header = read_header(data)
        if header is None:
            raise InputError(f"{where}: {self.folder / name} exists and is not an annotation "
                             "record; skipped (move it away)")
        other_id, other_source = header
        if self.inputs.owner(other_source) is not None and other_id == article.id:
            return
        if other_source is not None and missing(source_file(other_source)):
            return
        raise InputError(
            f"{where}: article id {article.id!r} collides with {other_source or other_id!r}, "
            f"whose record {self.folder / name} is from another input; skipped (use another "
            "-o, or --force to replace it)"
        )

    def unchanged(self, target: str, header: dict[str, Any],
                  provenance: dict[str, Any]) -> Reusable | None:
        for folder in self.staging.resumed:
            path = folder / target
            with contextlib.suppress(OSError):
                counts = self._reusable(path.read_bytes(), header, provenance)
                if counts is not None:
                    return Reusable(counts, staged=path)
        data = self._existing_bytes(target)
        if data is None:
            return None
        counts = self._reusable(data, header, provenance)
        return None if counts is None else Reusable(counts)

    def keep(self, target: str, kept: Reusable) -> None:
        if kept.staged is not None:
            self.resumed[target] = kept.staged

    def write(self, target: str, content: str) -> None:
        try:
            write_atomically(self.staging.current / target, content)
        except OSError as error:
            self._fail(error, target)
        self.written.append(target)
        self.resumed.pop(target, None)

    def _plan(self, commit: Commit) -> None:
        for target in self.written:
            commit.move(self.staging.current / target, self.folder / target)
        for target, staged in self.resumed.items():
            commit.move(staged, self.folder / target)
        for path in record_paths(self.folder):
            if path.suffix != ".json":
                continue
            name = path.relative_to(self.folder).as_posix()
            if name in self.claimed:
                continue
            try:
                with path.open("rb") as handle:
                    header = read_header(handle.read(HEADER_BYTES))
            except OSError:
                continue
            if header is not None and self._stale(*header):
                commit.remove(path)


@dataclass(frozen=True)
class Place:
    """Where a record is in a shard: file, byte offset, length, and its source_path."""

    path: Path
    offset: int
    length: int
    source_path: str | None

    def read(self) -> bytes | None:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                return handle.read(self.length)
        except OSError:
            return None


def shard_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(offset, line)`` for each line of a shard."""
    with path.open("rb") as handle:
        offset = 0
        for line in handle:
            yield offset, line
            offset += len(line)


def as_line(data: bytes) -> str:
    """A record's bytes as one line of a shard, ending in a newline."""
    line = data.decode("utf-8")
    return line if line.endswith("\n") else line + "\n"


def slug(name: str) -> str:
    return NOT_SLUG.sub("-", name).strip("-.") or "input"


class ShardFiles(Output):
    """Records as JSON lines, ``shard_size`` a file, one series of shards per input.

    Claimed article number n of an input goes to its series' shard n // shard_size.
    An input keeps the series it has; a new one is named after the input (``corpus``
    for ``corpus.jsonl``, ``stdin`` for ``-``), with ``-2``, ``-3``... when that name is
    another input's.
    """

    shard_size = SHARD_SIZE

    def __init__(self, folder: Path, inputs: Sequence[str],
                 attribute_schemas: Mapping[str, Mapping[str, Any]] | None = None,
                 force: bool = False) -> None:
        super().__init__(folder, inputs, attribute_schemas, force)
        self.resumed: dict[str, Place] = {}  # id -> a record an interrupted run staged
        self.previous: dict[str, Place] = {}  # id -> a committed record of this run's inputs
        self.others: dict[str, str] = {}  # id -> its source, for records of other inputs
        self.owned_files: dict[Path, str] = {}  # existing shard -> the input it belongs to
        self.taken: dict[str, str | None] = {}  # existing series -> its input (None: another)
        self._index()
        self.claimed: dict[str, str] = {}  # id -> where
        self.series: dict[str, str] = {}  # input -> series name
        self.counts: Counter[str] = Counter()  # records per series
        self.lines: Counter[str] = Counter()  # lines per staged shard
        self.handle: IO[str] | None = None
        self.open_target: str | None = None
        self.written: list[str] = []  # staged shards, in order

    def _refuse_other_layout(self) -> None:
        if any(p.suffix == ".json" for p in record_paths(self.folder)):
            raise ConfigError(f"{self.folder}: holds one JSON file per article; write "
                              "--format json to it, or choose another -o")

    def _index(self) -> None:
        """Where every existing record is, by id; a shard that mixes inputs is refused."""
        for folder in self.staging.resumed:
            for path in sorted(folder.glob("*.jsonl")):
                for place, article_id in self._places(path):
                    if self.inputs.owner(place.source_path) is not None:
                        self.resumed.setdefault(article_id, place)
        for path in record_paths(self.folder):
            if path.suffix != ".jsonl":
                continue
            owners: set[str | None] = set()
            for number, (place, article_id) in enumerate(self._places(path), start=1):
                owner = self.inputs.owner(place.source_path)
                owners.add(owner)
                if owner is not None:
                    self.previous.setdefault(article_id, place)
                else:
                    source = place.source_path or "an unknown input"
                    self.others.setdefault(article_id, f"{source} (in {path}:{number})")
            if len(owners) > 1:
                raise ConfigError(f"{path}: holds records of several inputs; annotate them "
                                  "again all together, or choose another -o")
            owner = next(iter(owners), None)
            if owner is not None:
                self.owned_files[path] = owner
            if found := SHARD_NAME.fullmatch(path.name):
                self.taken.setdefault(found.group(1), owner)

    @staticmethod
    def _places(path: Path) -> Iterator[tuple[Place, str]]:
        try:
            for offset, line in shard_lines(path):
                if header := read_header(line):
                    yield Place(path, offset, len(line), header[1]), header[0]
        except OSError:
            return

    def _series_of(self, name: str) -> str:
        if name not in self.series:
            own = sorted(series for series, owner in self.taken.items() if owner == name)
            if own:
                self.series[name] = own[0]
            else:
                path = Path(name).resolve()
                base = "stdin" if name == STDIN else slug(path.stem if path.is_file()
                                                           else path.name)
                used = {s for s, owner in self.taken.items() if owner != name}
                used |= set(self.series.values())
                series, number = base, 1
                while series in used:
                    number += 1
                    series = f"{base}-{number}"
                self.series[name] = series
        return self.series[name]

    def claim(self, article: Article) -> str:
        where = self.where(article)
        if not article.id:
            raise InputError(f"{where}: empty article id, skipped")
        if article.id in self.claimed:
            raise InputError(f"{where}: article id {article.id!r} is also the id of "
                             f"{self.claimed[article.id]}, skipped")
        if article.id in self.others:
            raise InputError(f"{where}: article id {article.id!r} collides with "
                             f"{self.others[article.id]}, from another input; skipped "
                             "(use another -o)")
        owner = self.inputs.owner(article.source_path or STDIN_SOURCE)
        series = self._series_of(STDIN if owner is None else owner)
        self.claimed[article.id] = where
        self.sources.add(self._source(article))
        return self._next_target(series)

    def _next_target(self, series: str) -> str:
        target = f"{series}-{self.counts[series] // self.shard_size:05d}.jsonl"
        self.counts[series] += 1
        return target

    def unchanged(self, target: str, header: dict[str, Any],
                  provenance: dict[str, Any]) -> Reusable | None:
        for found in (self.resumed, self.previous):
            place = found.get(header["id"])
            if place is None:
                continue
            data = place.read()
            counts = None if data is None else self._reusable(data, header, provenance)
            if counts is not None:
                return Reusable(counts, line=as_line(data))
        return None

    def keep(self, target: str, kept: Reusable) -> None:
        assert kept.line is not None
        self.write(target, kept.line)

    def write(self, target: str, content: str) -> None:
        try:
            if target != self.open_target:
                self._close()
                self.handle = (self.staging.current / target).open("a", encoding="utf-8")
                self.open_target = target
                if target not in self.written:
                    self.written.append(target)
            assert self.handle is not None
            self.handle.write(content)
            self.lines[target] += 1
        except OSError as error:
            self._close()
            self._fail(error, target)

    def location(self, target: str) -> str:
        return f"{target}:{self.lines[target]}"

    def _close(self) -> None:
        handle, self.handle, self.open_target = self.handle, None, None
        if handle is not None:
            try:
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                handle.close()

    def _plan(self, commit: Commit) -> None:
        redone = set(self.series)  # the inputs that gave articles: their series are rebuilt
        self._carry_over(redone)
        for target in self.written:
            commit.move(self.staging.current / target, self.folder / target)
        for path, owner in self.owned_files.items():
            if owner in redone and path.relative_to(self.folder).as_posix() not in self.written:
                commit.remove(path)

    def _carry_over(self, redone: set[str]) -> None:
        """Append to each rebuilt series the committed records it keeps that this run did
        not redo: those whose source gave no article this time (unreadable, now empty)."""
        for article_id, place in sorted(self.previous.items(),
                                        key=lambda item: (item[1].path, item[1].offset)):
            owner = self.inputs.owner(place.source_path)
            if (article_id in self.claimed or owner not in redone
                    or self._stale(article_id, place.source_path)):
                continue
            data = place.read()
            if data is not None:
                self.write(self._next_target(self._series_of(owner)), as_line(data))
        self._close()


def open_output(folder: Path, output_format: str, inputs: Sequence[str],
                attribute_schemas: Mapping[str, Mapping[str, Any]] | None = None,
                force: bool = False) -> Output:
    kind = ShardFiles if output_format == "jsonl" else RecordFiles
    return kind(folder, inputs, attribute_schemas, force)

