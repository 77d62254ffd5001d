"""Plain text and Markdown: one article per file, with optional YAML front matter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from annotator import Article, InputError, Reader, Source, article_from_fields

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
