"""JSON lines: one article per line, an object with ``id`` and ``text`` and any other fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator import Article, InputError, Reader, Source, article_from_fields, decode
from annotator.reader import SNIFF_BYTES
from annotator.safe_json import MAX_DEPTH, JSONError, parse_json

# An article's fields sit two levels down in its record (record.article.meta).
FIELDS_MAX_DEPTH = MAX_DEPTH - 2


class JsonLinesReader(Reader):
    """One article per line: a JSON object with ``id`` and ``text``, any other fields kept.

    Input without a suffix (stdin) is JSON lines when it starts with ``{`` and each
    complete line of its head is a JSON object; a first line longer than the head
    counts when it starts with ``{"``.
    """

    name = "jsonl"
    suffixes = (".jsonl",)

    def sniff(self, head: bytes) -> bool:
        lines = [line for line in head.splitlines() if line.strip()]
        if not lines or not lines[0].lstrip().startswith(b"{"):
            return False
        complete = lines if len(head) < SNIFF_BYTES or head.endswith(b"\n") else lines[:-1]
        if not complete:
            return lines[0].lstrip().startswith(b'{"')
        return all(is_object(line) for line in complete)

    def read(self, source: Source) -> Iterator[Article | InputError]:
        with source.open() as handle:
            for number, raw in enumerate(handle, start=1):
                where = f"{source.name}:{number}"
                try:
                    line = decode(raw, where)
                    if not line.strip():
                        continue
                    yield article_from_fields(parse_object(line, where), where)
                except InputError as error:
                    yield error


def is_object(line: bytes) -> bool:
    try:
        return isinstance(parse_json(line, FIELDS_MAX_DEPTH), dict)
    except JSONError:
        return False


def parse_object(line: str, where: str) -> dict[str, Any]:
    try:
        record = parse_json(line, FIELDS_MAX_DEPTH)
    except JSONError as error:
        reason = f"malformed JSON ({error})" if error.malformed else str(error)
        raise InputError(f"{where}: {reason}, skipped") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, skipped")
    return record
