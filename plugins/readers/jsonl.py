"""JSON lines: one article per line, an object with ``id`` and ``text`` and any other fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from annotator import Article, InputError, Reader, Source, article_from_fields, decode


class JsonLinesReader(Reader):
    """One article per line: a JSON object with ``id`` and ``text``, any other fields kept."""

    name = "jsonl"
    suffixes = (".jsonl",)

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


def parse_object(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{where}: malformed JSON ({error.msg}), skipped") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, skipped")
    return record
