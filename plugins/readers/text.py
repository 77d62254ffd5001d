"""Plain text and Markdown: one article per file, with optional YAML front matter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from annotator import Article, InputError, Reader, Source, article_from_fields
from annotator.safe_yaml import FRONT_MATTER as FRONT_MATTER_LIMITS
from annotator.safe_yaml import YAMLProblem, load_yaml

from ..boilerplate import Boilerplate

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of ``text`` (``---`` lines around a mapping) and the body after it.

    Text without a front-matter block, or whose block is not a mapping, is all body.
    The block is read within the limits of ``safe_yaml.FRONT_MATTER`` (size,
    nesting, aliases; no tags beyond plain values).
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        fields = load_yaml(match.group(1), FRONT_MATTER_LIMITS)
    except YAMLProblem as error:
        at = f"{where}:{error.line + 1}" if error.line else where  # the block starts on line 2
        raise InputError(f"{at}: front matter {error}, skipped") from None
    if not isinstance(fields, dict):
        return {}, text
    return {str(key): value for key, value in fields.items()}, text[match.end():]


@cache
def page_furniture() -> Boilerplate:
    """The boilerplate annotator with its built-in rules, whose lines are never a title."""
    return Boilerplate()


def title_of(text: str) -> str | None:
    """The first non-empty line, without Markdown heading marks, that is not boilerplate
    ("Skip to main content", share prompts, captions...: see plugins/lexicons/boilerplate.yaml)."""
    for line in text.splitlines():
        candidate = line.strip().lstrip("#").strip()
        if candidate and page_furniture().classify(candidate) is None:
            return candidate
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
