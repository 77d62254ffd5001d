"""Reading annotation records back from an output folder, one at a time.

Both layouts of ``annotate run`` are read: one JSON file per article, and JSON-lines
shards (``--format jsonl``), one record a line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .schema import Problem, SchemaFinder, Schemas, parse_record, read_record

NOT_RECORDS = frozenset({"comparison.json", "events.json"})  # what `annotate compare` writes
RECORD_SUFFIXES = (".json", ".jsonl")


def _visible(path: Path, directory: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(directory).parts)


def record_paths(directory: Path) -> list[Path]:
    """The annotation files under ``directory`` (``*.json`` and ``*.jsonl``, recursive, sorted).

    Hidden files and the outputs of ``annotate compare`` are left out.
    """
    return sorted(
        p for p in directory.rglob("*")
        if p.suffix in RECORD_SUFFIXES and p.is_file() and _visible(p, directory)
        and p.name not in NOT_RECORDS
    )


@dataclass(frozen=True)
class Location:
    """Where a record is: its file, and in a shard the byte offset of its line."""

    path: Path
    offset: int | None = None


def _read_records(
    path: Path, attribute_schemas: Schemas | SchemaFinder | None = None
) -> Iterator[tuple[str, Location, Any, list[Problem]]]:
    if path.suffix != ".jsonl":
        record, problems = read_record(path, attribute_schemas)
        yield str(path), Location(path), record, problems
        return
    try:
        with path.open("rb") as handle:
            offset = 0
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield (f"{path}:{number}", Location(path, offset),
                           *parse_record(line, attribute_schemas))
                offset += len(line)
    except OSError as error:
        yield str(path), Location(path), None, [Problem("", f"cannot read ({error.strerror})")]


def read_records(
    path: Path, attribute_schemas: Schemas | SchemaFinder | None = None
) -> Iterator[tuple[str, Any, list[Problem]]]:
    """``(where, record, problems)`` for the file, or for each line of a shard (``file:line``)."""
    for where, _, record, problems in _read_records(path, attribute_schemas):
        yield where, record, problems


def read_record_at(location: Location) -> dict[str, Any]:
    """A record ``iter_located_records`` has already validated, read again from its place."""
    if location.offset is None:
        return json.loads(location.path.read_bytes().decode("utf-8"))
    with location.path.open("rb") as handle:
        handle.seek(location.offset)
        return json.loads(handle.readline().decode("utf-8"))


def iter_located_records(directory: Path) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Yield ``(location, record)`` for every annotation record under ``directory``, lazily.

    Only one record is held at a time; a shard yields one pair per line. A folder
    without annotation files, a record that fails validation, or an article id seen
    twice raises InputError with one line naming the file (and line).
    """
    paths = record_paths(directory)
    if not paths:
        raise InputError(f"{directory}: no annotation files (*.json, *.jsonl) found")
    seen: dict[str, str] = {}
    for path in paths:
        for where, location, record, problems in _read_records(path):
            if problems:
                raise InputError(f"{problems[0].line(where)} (not a valid annotation record)")
            article_id = record["article"]["id"]
            if article_id in seen:
                raise InputError(
                    f"{where}: article id {article_id!r} is also in {seen[article_id]}")
            seen[article_id] = where
            yield location, record


def iter_records(directory: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield ``(path, record)`` for every annotation record under ``directory``, lazily
    (as ``iter_located_records``; a shard's path for each of its lines)."""
    for location, record in iter_located_records(directory):
        yield location.path, record
