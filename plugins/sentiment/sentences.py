"""An article's sentences, its title and lede lines, and whose voice each sentence is in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator import (
    find_quotes,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc


WHITESPACE = re.compile(r"\s+")
LINE = re.compile(r"[^\n]+")
SENTENCE_FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")


@dataclass(frozen=True)
class Sentence:
    """A trimmed sentence span with its section (headline/lede/body) and voice."""

    start: int
    end: int
    section: str
    voice: str


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_bounds(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Trimmed, non-blank sentence spans; a line break always ends a sentence.

    Uses the pipeline's sentence boundaries (parser or sentencizer); without any, each
    line is one sentence.
    """
    if doc.has_annotation("SENT_START"):
        pieces = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        pieces = [(0, len(text))]
    bounds = []
    for start, end in pieces:
        for line in LINE.finditer(text, start, end):
            low, high = trimmed(text, line.start(), line.end())
            if low < high:
                bounds.append((low, high))
    return bounds


def section_lines(text: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The headline and lede lines, each (start, end) or None.

    Headline: the first non-blank line, when it has at most 25 words and does not end in
    sentence-final punctuation. Lede: the first later line of at least 12 words that ends
    in sentence-final punctuation (so kickers, bylines and "Reading Time" lines are
    skipped). Without a headline, the lede is the first such line of the text.
    """
    lines = [trimmed(text, m.start(), m.end()) for m in LINE.finditer(text)]
    lines = [(s, e) for s, e in lines if s < e]
    if not lines:
        return None, None
    first = text[lines[0][0] : lines[0][1]]
    headline = None
    if len(first.split()) <= 25 and not SENTENCE_FINAL.search(first):
        headline = lines[0]
    rest = lines[1:] if headline else lines
    lede = next(
        (
            (s, e)
            for s, e in rest
            if len(text[s:e].split()) >= 12 and SENTENCE_FINAL.search(text[s:e])
        ),
        None,
    )
    return headline, lede


def _visible(chunk: str) -> int:
    return len(chunk) - sum(len(gap) for gap in WHITESPACE.findall(chunk))


def voice_of(start: int, end: int, text: str, quoted: list[tuple[int, int]]) -> str:
    """ "quoted" when most of the sentence's non-space characters lie inside quote content."""
    inside = sum(
        _visible(text[max(start, q_start) : min(end, q_end)])
        for q_start, q_end in quoted
        if q_start < end and start < q_end
    )
    visible = _visible(text[start:end])
    return "quoted" if visible and inside * 2 > visible else "journalist"


def _merged_quote_contents(text: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for quote in find_quotes(text):
        span = (quote.content_start, quote.content_end)
        if merged and span[0] < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    return merged


def article_sentences(doc: Doc, text: str) -> list[Sentence]:
    headline, lede = section_lines(text)
    quoted = _merged_quote_contents(text)
    sentences = []
    for start, end in sentence_bounds(doc, text):
        if headline and headline[0] <= start < headline[1]:
            section = "headline"
        elif lede and lede[0] <= start < lede[1]:
            section = "lede"
        else:
            section = "body"
        sentences.append(Sentence(start, end, section, voice_of(start, end, text, quoted)))
    return sentences
