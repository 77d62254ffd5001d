"""Built-in input formats: plain text and Markdown (with optional front matter), and JSON lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from annotator import Article, InputError, Reader, Source, article_from_fields, decode, hookimpl

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of ``text`` (``---`` lines around a mapping) and the body after it.

    Text without a front-matter block, or whose block is not a mapping, is all body.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        fields = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 2
        raise InputError(f"{where}:{line}: front matter is not valid YAML, skipped") from None
    if not isinstance(fields, dict):
        return {}, text
    return {str(key): value for key, value in fields.items()}, text[match.end():]


def title_of(text: str) -> str | None:
    """The first non-empty line, without Markdown heading marks."""
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip() or None
    return None


class TextReader(Reader):
    """One article per file; YAML front matter between ``---`` lines becomes its metadata."""

    name = "text"
    suffixes = (".txt", ".md")

    def read(self, source: Source) -> Iterator[Article | InputError]:
        fields, body = front_matter(source.read_text(), source.name)
        if not body.strip():
            raise InputError(f"{source.name}: empty article, skipped")
        fields = {"title": title_of(body), **fields, "text": body}
        yield article_from_fields(fields, source.name, default_id=source.article_id)


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


@hookimpl
def register_readers(register: Any) -> None:
    register(TextReader)
    register(JsonLinesReader)
