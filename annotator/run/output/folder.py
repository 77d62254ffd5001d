"""What both layouts of the output folder share: checks, the staging folder, ownership,
reuse of finished records, and the commit."""

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...article import Article
from ...atomic import Commit
from ...errors import AnnotatorError, ConfigError, InputError
from ...schema import parse_record

FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
PROBE_BYTES = 4096
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
