"""JSON-lines shards, one series per input, in input order."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ...article import Article
from ...atomic import Commit
from ...errors import ConfigError, InputError
from ...records import record_paths
from .folder import SHARD_NAME, STDIN, STDIN_SOURCE, Output, Reusable, read_header

SHARD_SIZE = 1000
NOT_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")

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
