"""How an article's words are counted, shared by ``annotate compare`` and the table exports.

A word is a run of word characters with inner apostrophes (``don't``, ``Zelensky’s``).
Words that overlap a boilerplate span (the ``boilerplate`` annotator's) are not counted,
nor are annotations that overlap one. Quoted words are the counted words inside
quotation marks, each quotation counted once (one nested in another is left out).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .quotes import find_quotes

WORD = re.compile(r"\w+(?:['’]\w+)*")
Span = tuple[int, int]


def overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def boilerplate_spans(record: Mapping[str, Any]) -> list[Span]:
    return [(a["start"], a["end"]) for a in record["annotations"]
            if a["annotator"] == "boilerplate"]


def counted_words(text: str, boilerplate: Sequence[Span]) -> list[Span]:
    """The spans of the words counted in ``text``: those outside boilerplate."""
    return [m.span() for m in WORD.finditer(text) if not overlaps(m.start(), m.end(), boilerplate)]


def words_within(words: Sequence[Span], starts: Sequence[int], start: int, end: int
                 ) -> list[Span]:
    """The ``words`` (with their ``starts``, both sorted) wholly inside ``start:end``."""
    first = bisect_left(starts, start)
    last = bisect_left(starts, end, first)
    return [(s, e) for s, e in words[first:last] if e <= end]


def quotations(text: str, boilerplate: Sequence[Span], words: Sequence[Span]
               ) -> list[tuple[int, int, int]]:
    """Quotations not nested in another, outside boilerplate, with counted words inside:
    ``(start, end, words inside)``."""
    starts = [s for s, _ in words]
    found: list[tuple[int, int, int]] = []
    for quote in find_quotes(text):
        if overlaps(quote.start, quote.end, boilerplate) or any(
            s <= quote.start and quote.end <= e for s, e, _ in found
        ):
            continue
        inner = len(words_within(words, starts, quote.content_start, quote.content_end))
        if inner:
            found.append((quote.start, quote.end, inner))
    return found
