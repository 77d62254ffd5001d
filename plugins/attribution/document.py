"""One parsed document as the attribution annotator sees it: its quotations, the named
mentions that can speak, and the phrase span of a head word. Computed once per article."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from annotator import Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON_LABELS = frozenset({"PERSON"})
GROUP_LABELS = frozenset({"ORG", "NORP", "GPE"})
SHORT_QUOTE_WORDS = 4
SPEAKER_GAP = re.compile(r"[\s,—–-]*(?:(?:[A-Z][\w’'.-]*\s*){1,4}|(?:he|she|they|we|I)\s+)")
NEARBY_QUOTE_CHARS = 60
# "said", "told reporters on Sunday:", "said in a statement," then the quote
CUE_TO_QUOTE_GAP = re.compile(r"(?:\s+[\w’'.-]+){0,6}[\s,:—–-]*")


class DocAnalysis:
    """What the annotator needs to know about one parsed document, computed once."""

    def __init__(self, doc: Doc, text: str, quotes: list[Quote]) -> None:
        self.doc = doc
        self.text = text
        self.quotes = quotes
        self.has_parse = doc.has_annotation("DEP")
        self.has_pos = doc.has_annotation("POS") or doc.has_annotation("TAG")
        self.has_lemma = doc.has_annotation("LEMMA")
        self.has_ner = doc.has_annotation("ENT_IOB")
        self.quote_starts = [q.content_start for q in quotes]
        self._mentions: list[tuple[int, Span, bool]] | None = None

    def in_quote(self, offset: int) -> bool:
        """Inside the content of a direct quotation that is longer than a scare quote."""
        index = bisect_right(self.quote_starts, offset)
        for quote in reversed(self.quotes[:index]):
            if quote.content_start <= offset < quote.content_end and not self.is_short(quote):
                return True
            if quote.end < offset - 2000:
                break
        return False

    def is_short(self, quote: Quote) -> bool:
        return len(self.text[quote.content_start : quote.content_end].split()) <= SHORT_QUOTE_WORDS

    def quote_before(self, offset: int, skip: tuple[int, int] | None) -> Quote | None:
        """A long direct quote ending just before ``offset`` (only commas, spaces or the
        source span between them): “…,” Zelensky said."""
        index = bisect_right(self.quote_starts, offset)
        for quote in reversed(self.quotes[max(0, index - 4) : index]):
            trailing_comma = self.text[quote.content_start : quote.content_end].endswith(",")
            if quote.end > offset or self.is_short(quote) and not trailing_comma:
                continue
            gap = self.text[quote.end : offset]
            if skip and quote.end <= skip[0] and skip[1] <= offset:
                gap = self.text[quote.end : skip[0]] + self.text[skip[1] : offset]
            if len(gap) <= NEARBY_QUOTE_CHARS and (
                re.fullmatch(r"[\s,—–-]*", gap) or skip is None and SPEAKER_GAP.fullmatch(gap)
            ):
                return quote
        return None

    def quote_after(self, offset: int) -> Quote | None:
        """A long direct quote starting just after ``offset``: said: “…” or said, “…”."""
        index = bisect_right(self.quote_starts, offset)
        for quote in self.quotes[index : index + 3]:
            if quote.start < offset or self.is_short(quote):
                continue
            gap = self.text[offset : quote.start]
            if len(gap) <= NEARBY_QUOTE_CHARS and CUE_TO_QUOTE_GAP.fullmatch(gap) and not (
                re.search(r"[.!?]\s", gap)
            ):
                return quote
            break
        return None

    def mentions(self) -> list[tuple[int, Span, bool]]:
        """Named PERSON/ORG/NORP/GPE entities in order: (start char, span, is a subject)."""
        if self._mentions is None:
            self._mentions = [
                (ent.start_char, ent, ent.root.dep_ in ("nsubj", "nsubjpass"))
                for ent in self.doc.ents
                if ent.label_ in PERSON_LABELS or ent.label_ in GROUP_LABELS
            ] if self.has_ner else []
        return self._mentions

    def phrase_span(self, head: Token, exclude: Token | None = None) -> tuple[int, int]:
        """The phrase headed by ``head``: its subtree on the head's line, not reaching the
        cue ``exclude``, without edge punctuation."""
        tokens = list(head.subtree)
        if exclude is not None:
            if exclude.i > head.i:
                tokens = [t for t in tokens if t.i < exclude.i]
            else:
                tokens = [t for t in tokens if t.i > exclude.i]
        line_start = self.text.rfind("\n", 0, head.idx) + 1
        line_end = self.text.find("\n", head.idx)
        line_end = len(self.text) if line_end < 0 else line_end
        tokens = [t for t in tokens if line_start <= t.idx < line_end] or [head]
        quote = self.quote_before(head.idx + 1, None)
        if quote is None:
            index = bisect_right(self.quote_starts, head.idx)
            ended = [q for q in self.quotes[max(0, index - 3) : index] if q.end <= head.idx]
            quote = ended[-1] if ended else None
        if quote is not None:
            tokens = [t for t in tokens if t.idx >= quote.end] or [head]
        while len(tokens) > 1 and (tokens[0].is_punct or tokens[0].is_space):
            tokens.pop(0)
        while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].is_space):
            tokens.pop()
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1])

