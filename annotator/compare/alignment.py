"""The same claims and quotes found across the outlets of one event."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from ..quotes import find_quotes
from .article import ComparedArticle
from .text import (
    ELLIPSIS,
    WORD,
    content_words,
    overlaps,
    text_of,
)

if TYPE_CHECKING:
    pass

MIN_QUOTE_WORDS = 5
MIN_CLAIM_WORDS = 4
MIN_SHARED_WORDS = 3
MIN_OVERLAP = 0.2  # shared / all distinct content words: a short headline is no match for all
QUOTE_THRESHOLD = 60.0
CLAIM_THRESHOLD = 66.0
FULL_QUOTE_RATIO = 0.7



@dataclass
class Unit:
    """A claim (sentence) or a direct quote in one article, ready for fuzzy matching."""

    kind: str  # quote | claim
    article: ComparedArticle
    start: int
    end: int
    context: tuple[int, int]  # the sentence(s) around it
    words: list[str]
    length: int  # counted words
    quoted: bool = False  # a claim sentence that holds a long direct quote
    short_quote: bool = False  # a claim sentence with a short quoted phrase

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


def alignment_units(art: ComparedArticle) -> tuple[list[Unit], list[Unit]]:
    """The article's long direct quotes and its sentences (with those quotes masked out)."""
    segments = art.segments

    def context(start: int, end: int) -> tuple[int, int]:
        around = [(s, e) for s, e in segments if s < end and start < e]
        return (min(s for s, _ in around), max(e for _, e in around)) if around else (start, end)

    quotes: list[Unit] = []
    short: list[tuple[int, int]] = []
    for quote in find_quotes(art.text):
        if overlaps(quote.start, quote.end, art.boilerplate):
            continue
        inner = art.text[quote.content_start : quote.content_end]
        length = art.count_words(quote.content_start, quote.content_end)
        if length < MIN_QUOTE_WORDS:
            short.append((quote.start, quote.end))
        elif not any(u.start <= quote.start and quote.end <= u.end for u in quotes):
            quotes.append(Unit("quote", art, quote.start, quote.end,
                               context(quote.start, quote.end), content_words(inner), length))
    claims = []
    for start, end in segments:
        masked = art.text[start:end]
        inside = [u for u in quotes if u.start < end and start < u.end]
        for unit in sorted(inside, key=lambda u: -u.start):
            s, e = max(unit.start, start) - start, min(unit.end, end) - start
            masked = masked[:s] + " " * (e - s) + masked[e:]
        words = content_words(masked)
        if len(words) >= MIN_CLAIM_WORDS:
            claims.append(Unit("claim", art, start, end, (start, end), words,
                               art.count_words(start, end), quoted=bool(inside),
                               short_quote=overlaps(start, end, short)))
    return quotes, claims


def similarity(a: Unit, b: Unit) -> float:
    """token_set_ratio of the content words, once enough of them are shared."""
    shared, union = set(a.words) & set(b.words), set(a.words) | set(b.words)
    if len(shared) < MIN_SHARED_WORDS or len(shared) < MIN_OVERLAP * len(union):
        return 0.0
    return fuzz.token_set_ratio(" ".join(a.words), " ".join(b.words))


def cluster(units: list[Unit], threshold: float, linkage: str) -> list[tuple[list[Unit], float]]:
    """Agglomerate cross-outlet pairs, best first, keeping at most one unit per outlet.

    ``single`` linkage joins two groups on their best pair; ``average`` needs the
    mean over all their pairs (non-matching pairs count 0) to reach ``threshold``.
    """
    scores: dict[tuple[int, int], float] = {}
    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            if a.article.outlet != units[j].article.outlet:
                score = similarity(a, units[j])
                if score >= threshold:
                    scores[(i, j)] = score
    groups = {i: [i] for i in range(len(units))}
    owner = list(range(len(units)))
    for (i, j), _ in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        gi, gj = owner[i], owner[j]
        if gi == gj or {units[k].article.outlet for k in groups[gi]} & {
            units[k].article.outlet for k in groups[gj]
        }:
            continue
        if linkage == "average":
            pairs = [scores.get((min(a, b), max(a, b)), 0.0)
                     for a in groups[gi] for b in groups[gj]]
            if statistics.fmean(pairs) < threshold:
                continue
        for k in groups[gj]:
            owner[k] = gi
        groups[gi] += groups.pop(gj)
    clusters = []
    for members in groups.values():
        if len(members) < 2:
            continue
        pairs = [scores[(a, b)] for a in members for b in members if (a, b) in scores]
        ordered = sorted((units[k] for k in members), key=lambda u: (u.article.outlet, u.start))
        clusters.append((ordered, statistics.fmean(pairs)))
    return clusters


def cue_phrases(art: ComparedArticle, start: int, end: int) -> list[dict[str, Any]]:
    """The reporting cues inside a span, with the modifier each outlet chose."""
    cues = []
    for cue in art.kept("attribution", "cue"):
        if not overlaps(cue["start"], cue["end"], [(start, end)]):
            continue
        attributes = cue["attributes"]
        modifier = text_of(attributes.get("modifier")) or text_of(attributes.get("modifiers"))
        phrase = cue["text"]
        if modifier and modifier.lower() not in phrase.lower():
            phrase = f"{modifier} {phrase}" if " " not in modifier else f"{phrase} ({modifier})"
        cues.append({
            **art.evidence(cue["start"], cue["end"]),
            "phrase": phrase,
            "modifier": modifier,
            "stance": attributes.get("stance"),
            "source": text_of(attributes.get("source_name")) or text_of(attributes.get("source")),
        })
    return cues


def own_words(unit: Unit, others: list[Unit]) -> list[str]:
    """The content words of ``unit`` that no other member uses, as written, in order."""
    elsewhere = {word for other in others for word in other.words}
    own = []
    for match in WORD.finditer(unit.text):
        stems = content_words(match.group())
        if stems and stems[0] not in elsewhere and match.group() not in own:
            own.append(match.group())
    return own


def alignment_json(kind: str, units: list[Unit], score: float) -> dict[str, Any]:
    longest = max(u.length for u in units)
    members = []
    for unit in units:
        art = unit.article
        member = {
            "outlet": art.outlet,
            **art.evidence(unit.start, unit.end),
            "context": art.evidence(*unit.context),
            "words": unit.length,
            "own_words": own_words(unit, [u for u in units if u is not unit]),
            "cues": cue_phrases(art, *unit.context),
        }
        if kind == "quote":
            elided = bool(ELLIPSIS.search(unit.text))
            full = unit.length / longest >= FULL_QUOTE_RATIO and not elided
            member.update(presentation="direct", completeness="full" if full else "truncated",
                          elided=elided)
        else:
            member["presentation"] = (
                "direct quote" if unit.quoted else "partial quote" if unit.short_quote
                else "paraphrase"
            )
        members.append(member)
    return {"kind": kind, "similarity": round(score, 2), "outlets": len(units), "members": members}


def alignments(articles: list[ComparedArticle]) -> list[dict[str, Any]]:
    quotes: list[Unit] = []
    claims: list[Unit] = []
    for art in articles:
        q, c = alignment_units(art)
        quotes += q
        claims += c
    found = [("quote", c, s) for c, s in cluster(quotes, QUOTE_THRESHOLD, "single")]
    found += [("claim", c, s) for c, s in cluster(claims, CLAIM_THRESHOLD, "average")]
    found.sort(key=lambda f: (f[0] != "quote", -len(f[1]), -f[2], f[1][0].article.id,
                              f[1][0].start))
    return [alignment_json(kind, units, score) for kind, units, score in found]

