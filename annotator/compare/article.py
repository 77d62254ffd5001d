"""One annotation record prepared for comparison: kept annotations, boilerplate, words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..article_counts import boilerplate_spans, counted_words, quotations, words_within
from ..outlets import raw_outlet
from .text import (
    LINE,
    SENTENCE_END,
    WORD,
    overlaps,
)


def headline(record: dict[str, Any], boilerplate: list[tuple[int, int]]) -> str | None:
    """The article's title, or its first reporting line when the title is boilerplate."""
    text = record["article"]["text"]
    title = record["article"].get("title")
    if title is not None and any(text[s:e].strip() == title for s, e in boilerplate):
        title = next((line.group().strip() for line in LINE.finditer(text)
                      if line.group().strip()
                      and not overlaps(line.start(), line.end(), boilerplate)), None)
    return title


def reporting_text(record: dict[str, Any], boilerplate: list[tuple[int, int]]) -> str:
    """The article's text without its boilerplate lines."""
    text = record["article"]["text"]
    return "\n".join(line.group() for line in LINE.finditer(text)
                     if not overlaps(line.start(), line.end(), boilerplate))


@dataclass
class ComparedArticle:
    """One record prepared for comparison: its kept annotations and boilerplate."""

    id: str
    outlet: str
    title: str | None
    text: str
    sha256: str
    annotators: frozenset[str]
    boilerplate: list[tuple[int, int]]
    annotations: list[dict[str, Any]]
    words: list[tuple[int, int]]

    @classmethod
    def from_record(cls, record: dict[str, Any], outlet: str | None = None) -> ComparedArticle:
        """Prepare ``record``; ``outlet`` is its outlet's display name (default: as spelled)."""
        failed = {error["annotator"] for error in record["errors"]}
        ran = {a["name"] for a in record["provenance"]["annotators"]} - failed
        boilerplate = boilerplate_spans(record)
        kept = [
            a
            for a in record["annotations"]
            if a["annotator"] != "boilerplate" and not overlaps(a["start"], a["end"], boilerplate)
        ]
        article = record["article"]
        text = article["text"]
        title = headline(record, boilerplate)
        return cls(
            article["id"], outlet or raw_outlet(record), title, text, article["sha256"],
            frozenset(ran), boilerplate, kept, counted_words(text, boilerplate),
        )

    @cached_property
    def _by_label(self) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
        grouped: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        for a in self.annotations:
            grouped.setdefault((a["annotator"], None), []).append(a)
            grouped.setdefault((a["annotator"], a["label"]), []).append(a)
        return grouped

    def kept(self, annotator: str, label: str | None = None) -> list[dict[str, Any]]:
        """The kept annotations of ``annotator`` (with ``label``), in record order; the list
        is shared, not a copy."""
        return self._by_label.get((annotator, label), [])

    def in_headline(self, offset: int) -> bool:
        """Whether ``offset`` is on a headline-like line: no final punctuation, mostly capitals."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        line = self.text[start : end if end >= 0 else len(self.text)].strip()
        words = WORD.findall(line)
        capitalised = sum(w[:1].isupper() or w.isdigit() for w in words)
        return bool(words) and line[-1:] not in ".!?\"”’»:" and capitalised >= 0.6 * len(words)

    @cached_property
    def _word_starts(self) -> list[int]:
        return [s for s, _ in self.words]

    def words_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The counted words wholly inside ``start:end``, in order."""
        return words_within(self.words, self._word_starts, start, end)

    def count_words(self, start: int, end: int) -> int:
        return len(self.words_within(start, end))

    def evidence(self, start: int, end: int) -> dict[str, Any]:
        return {"article": self.id, "start": start, "end": end, "text": self.text[start:end]}

    @cached_property
    def segments(self) -> list[tuple[int, int]]:
        """Sentence-like units: sentiment's sentences if present, else a punctuation split;
        cut at line breaks and without boilerplate lines."""
        return list(self._segments())

    def _segments(self) -> Iterator[tuple[int, int]]:
        sentences = [(a["start"], a["end"]) for a in self.kept("sentiment", "sentence")]
        if not sentences:
            sentences = []
            for line in LINE.finditer(self.text):
                start = line.start()
                for end_mark in SENTENCE_END.finditer(line.group()):
                    sentences.append((start, line.start() + end_mark.start()))
                    start = line.start() + end_mark.end()
                sentences.append((start, line.end()))
        for start, end in sentences:
            for line in LINE.finditer(self.text, start, end):
                raw = line.group()
                s = line.start() + len(raw) - len(raw.lstrip())
                e = line.start() + len(raw.rstrip())
                if e > s and not overlaps(s, e, self.boilerplate):
                    yield s, e

    @cached_property
    def quotes(self) -> list[tuple[int, int, int]]:
        """Quotations not nested in another, outside boilerplate: (start, end, words inside)."""
        return quotations(self.text, self.boilerplate, self.words)

    @cached_property
    def quoted_words(self) -> int:
        """Counted words inside quotation marks."""
        return sum(inner for *_, inner in self.quotes)


Outlets = dict[str, list[ComparedArticle]]
