"""One JSON file per article."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ...article import Article
from ...atomic import Commit, write_atomically
from ...errors import ConfigError, InputError
from ...records import record_paths
from ..naming import record_name
from .folder import HEADER_BYTES, SHARD_NAME, Output, Reusable, missing, read_header, source_file


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
