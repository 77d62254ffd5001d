"""Reading annotation records back from an output folder, one at a time.

Both layouts of ``annotate run`` are read: one JSON file per article, and JSON-lines
shards (``--format jsonl``), one record a line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .errors import InputError
from .schema import Problem, parse_record, read_record

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


def read_records(
    path: Path, attribute_schemas: Mapping[str, Mapping[str, Any]] | None = None
) -> Iterator[tuple[str, Any, list[Problem]]]:
    """``(where, record, problems)`` for the file, or for each line of a shard (``file:line``)."""
    if path.suffix != ".jsonl":
        record, problems = read_record(path, attribute_schemas)
        yield str(path), record, problems
        return
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield f"{path}:{number}", *parse_record(line, attribute_schemas)
    except OSError as error:
        yield str(path), None, [Problem("", f"cannot read ({error.strerror})")]


def read_valid_record(path: Path) -> dict[str, Any]:
    """One annotation file, parsed and validated; an invalid one is an InputError naming it."""
    record, problems = read_record(path)
    if problems:
        raise InputError(f"{problems[0].line(str(path))} (not a valid annotation record)")
    return record


def iter_records(directory: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield ``(path, record)`` for every annotation record under ``directory``, lazily.

    Only one record is held at a time; a shard yields one pair per line. A folder
    without annotation files, a record that fails validation, or an article id seen
    twice raises InputError with one line naming the file (and line).
    """
    paths = record_paths(directory)
    if not paths:
        raise InputError(f"{directory}: no annotation files (*.json, *.jsonl) found")
    seen: dict[str, str] = {}
    for path in paths:
        for where, record, problems in read_records(path):
            if problems:
                raise InputError(f"{problems[0].line(where)} (not a valid annotation record)")
            article_id = record["article"]["id"]
            if article_id in seen:
                raise InputError(
                    f"{where}: article id {article_id!r} is also in {seen[article_id]}")
            seen[article_id] = where
            yield path, record
