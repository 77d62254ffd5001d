"""One annotation record prepared for comparison: kept annotations, boilerplate, words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .text import (
    LINE,
    SENTENCE_END,
    WORD,
    outlet_of,
    overlaps,
)

if TYPE_CHECKING:
    pass

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
    def from_record(cls, record: dict[str, Any]) -> ComparedArticle:
        failed = {error["annotator"] for error in record["errors"]}
        ran = {a["name"] for a in record["provenance"]["annotators"]} - failed
        boilerplate = [
            (a["start"], a["end"]) for a in record["annotations"] if a["annotator"] == "boilerplate"
        ]
        kept = [
            a
            for a in record["annotations"]
            if a["annotator"] != "boilerplate" and not overlaps(a["start"], a["end"], boilerplate)
        ]
        article = record["article"]
        text = article["text"]
        title = article.get("title")
        if title is not None and any(text[s:e].strip() == title for s, e in boilerplate):
            title = next((line.group().strip() for line in LINE.finditer(text)
                          if line.group().strip()
                          and not overlaps(line.start(), line.end(), boilerplate)), None)
        words = [
            m.span() for m in WORD.finditer(text) if not overlaps(m.start(), m.end(), boilerplate)
        ]
        return cls(
            article["id"], outlet_of(record), title, text, article["sha256"],
            frozenset(ran), boilerplate, kept, words,
        )

    def kept(self, annotator: str, label: str | None = None) -> list[dict[str, Any]]:
        return [
            a
            for a in self.annotations
            if a["annotator"] == annotator and (label is None or a["label"] == label)
        ]

    def in_headline(self, offset: int) -> bool:
        """Whether ``offset`` is on a headline-like line: no final punctuation, mostly capitals."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        line = self.text[start : end if end >= 0 else len(self.text)].strip()
        words = WORD.findall(line)
        capitalised = sum(w[:1].isupper() or w.isdigit() for w in words)
        return bool(words) and line[-1:] not in ".!?\"”’»:" and capitalised >= 0.6 * len(words)

    def count_words(self, start: int, end: int) -> int:
        return sum(1 for s, e in self.words if start <= s and e <= end)

    def evidence(self, start: int, end: int) -> dict[str, Any]:
        return {"article": self.id, "start": start, "end": end, "text": self.text[start:end]}

    def segments(self) -> Iterator[tuple[int, int]]:
        """Sentence-like units: sentiment's sentences if present, else a punctuation split;
        cut at line breaks and without boilerplate lines."""
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


Outlets = dict[str, list[ComparedArticle]]
