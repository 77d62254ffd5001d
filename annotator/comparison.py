"""Compare outlets on one story from their annotation records.

``compare(records, nlp)`` returns the comparison: a table of metrics per
outlet (every cell carrying the spans behind it), claims and quotes aligned
across outlets, and the labels each outlet attaches to the main people.
Boilerplate spans (the ``boilerplate`` annotator) are left out of everything:
annotations overlapping them are dropped and their words are not counted,
while every offset still points into the original article text.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from . import __version__
from .errors import InputError
from .quotes import find_quotes
from .schema import load_schema, read_record, schema_problems

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

COMPARISON_VERSION = "1.0.0"
COMPARISON_SCHEMA = "comparison.json"
WORD = re.compile(r"\w+(?:['’]\w+)*")
LINE = re.compile(r"[^\n]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z0-9])")
ELLIPSIS = re.compile(r"…|\.\.\.")
POSSESSIVE = re.compile(r"['’]s?$")
APOSTROPHE = re.compile(r"['’]")
QUOTE_MARKS = "\"'“”‘’«»„"
NEGATIVE, POSITIVE = -0.05, 0.05  # VADER's conventional compound thresholds
STANCES = ("neutral", "endorsing", "distancing", "discrediting")
PRONOUNS = frozenset("he she they it him her them his hers their its we i you".split())
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours said says say stated told added
    """.split()
)
ROLE_NOUNS = frozenset(
    """president leader head chief minister premier spokesman spokesperson spokeswoman envoy
    secretary chancellor king prime commander general official""".split()
)
TITLE_POS = frozenset({"PROPN", "NOUN", "ADJ"})
MIN_QUOTE_WORDS = 5
MIN_CLAIM_WORDS = 4
MIN_SHARED_WORDS = 3
MIN_OVERLAP = 0.2  # shared / all distinct content words: a short headline is no match for all
QUOTE_THRESHOLD = 60.0
CLAIM_THRESHOLD = 66.0
FULL_QUOTE_RATIO = 0.7
SURNAME_SIMILARITY = 85.0
MAX_MAIN_ENTITIES = 8


def load_records(directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every valid annotation record under ``directory`` (``*.json``, recursive, sorted).

    Earlier outputs of ``compare`` (``comparison.json``) are skipped; any other file
    that fails validation stops the comparison with one line naming it.
    """
    paths = sorted(p for p in directory.rglob("*.json")
                   if not p.name.startswith(".") and p.name != "comparison.json")
    if not paths:
        raise InputError(f"{directory}: no annotation files (*.json) found")
    loaded = []
    seen: dict[str, Path] = {}
    for path in paths:
        record, problems = read_record(path)
        if problems:
            raise InputError(f"{problems[0].line(str(path))} (not a valid annotation record)")
        article_id = record["article"]["id"]
        if article_id in seen:
            raise InputError(f"{path}: article id {article_id!r} is also in {seen[article_id]}")
        seen[article_id] = path
        loaded.append((path, record))
    return loaded


def outlet_of(record: dict[str, Any]) -> str:
    """The article's ``source`` when it has one, else its id."""
    return record["article"].get("source") or record["article"]["id"]


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def text_of(value: Any) -> str | None:
    """The text of an attribute that may be a string, a sub-span or a list of them."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"] or None
    if isinstance(value, list):
        parts = [t for item in value if (t := text_of(item))]
        return " ".join(parts) or None
    return None


def span_of(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dict) and isinstance(value.get("start"), int):
        return value["start"], value["end"]
    return None


def content_words(text: str) -> list[str]:
    """Lower-cased words minus stop words, crudely stemmed, for fuzzy matching."""
    words = []
    for word in WORD.findall(text.lower()):
        word = APOSTROPHE.split(word)[0]  # Zelensky’s -> zelensky, I’m -> i
        if word in STOPWORDS or len(word) < 2 or word.isdigit():
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.append(word)
    return words


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


# ---------------------------------------------------------------- entities


@dataclass
class Entity:
    """A person known across outlets by a surname key, e.g. ``zelensky``."""

    key: str
    names: Counter[str] = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return max(self.names.items(), key=lambda item: (item[1], len(item[0]), item[0]))[0]


class EntityIndex:
    """People named in full somewhere in the corpus; a mention resolves by fuzzy surname."""

    def __init__(self, full_names: Iterable[str]) -> None:
        self.entities: list[Entity] = []
        for name in full_names:
            parts = [POSSESSIVE.sub("", p) for p in name.split()]
            if len(parts) < 2 or not all(
                p[:1].isupper() and p.replace(".", "").isalpha() and p.lower() not in STOPWORDS
                for p in parts
            ):
                continue
            entity = self.match(parts[-1]) or self._add(parts[-1].lower())
            entity.names[" ".join(parts)] += 1

    def _add(self, key: str) -> Entity:
        entity = Entity(key)
        self.entities.append(entity)
        return entity

    def match(self, word: str) -> Entity | None:
        """The entity whose surname key is closest to ``word``, if close enough."""
        word = POSSESSIVE.sub("", word).lower()
        if len(word) < 3:
            return None
        scored = [(fuzz.ratio(word, e.key), e.key, e) for e in self.entities]
        best = max(scored, default=None, key=lambda item: (item[0], item[1]))
        return best[2] if best and best[0] >= SURNAME_SIMILARITY else None

    def resolve(self, name: str | None) -> Entity | None:
        """The entity a name refers to: its last matching capitalised word wins."""
        if not name:
            return None
        for word in reversed(name.split()):
            if word[:1].isupper() and (entity := self.match(word)):
                return entity
        return None


def person_names(article: ComparedArticle, doc: Doc | None) -> list[str]:
    """Names of people: NER PERSON spans and the record's PERSON entity clusters."""
    names = []
    if doc is not None:
        names += [ent.text for ent in doc.ents if ent.label_ == "PERSON"]
    for a in article.kept("sentiment", "entity_mention"):
        attributes = a["attributes"]
        if attributes.get("entity_type", "PERSON") == "PERSON":
            names += [n] if (n := text_of(attributes.get("entity"))) else []
    return names


def mentions(
    article: ComparedArticle, index: EntityIndex, doc: Doc | None
) -> dict[str, list[tuple[int, int]]]:
    """Spans that name each entity (by surname), outside boilerplate."""
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if doc is not None:
        candidates = [(t.idx, t.idx + len(t.text), t.text) for t in doc if t.text[:1].isupper()]
    else:
        candidates = [(m.start(), m.end(), m.group()) for m in WORD.finditer(article.text)
                      if m.group()[:1].isupper()]
    for start, end, word in candidates:
        if overlaps(start, end, article.boilerplate):
            continue
        entity = index.match(word)
        if entity is not None:
            found[entity.key].append((start, end))
    return found


# ---------------------------------------------------------------- metric table


@dataclass
class Cell:
    value: float | None
    count: int
    evidence: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        value = None if self.value is None else round(self.value, 4)
        return {"value": value, "count": self.count, "evidence": self.evidence}


@dataclass
class Row:
    group: str
    label: str
    unit: str  # per_1000_words | share | score
    annotator: str
    cells: dict[str, Cell | None]  # None: the annotator did not run for that outlet

    def as_json(self, key: str) -> dict[str, Any]:
        return {
            "key": key,
            "group": self.group,
            "label": self.label,
            "unit": self.unit,
            "annotator": self.annotator,
            "cells": {
                outlet: {"available": False, "value": None, "count": 0, "evidence": []}
                if cell is None
                else {"available": True, **cell.as_json()}
                for outlet, cell in self.cells.items()
            },
        }


Outlets = dict[str, list[ComparedArticle]]
Items = list[tuple[ComparedArticle, int, int]]


def ran_on(articles: list[ComparedArticle], annotator: str) -> list[ComparedArticle]:
    """The articles ``annotator`` ran on: an outlet's numbers come from these alone."""
    return [a for a in articles if annotator in a.annotators]


def _cell(items: Items, value: float | None) -> Cell:
    evidence = [article.evidence(s, e) for article, s, e in sorted(items, key=_item_order)]
    return Cell(value, len(items), evidence)


def _item_order(item: tuple[ComparedArticle, int, int]) -> tuple[str, int, int]:
    return item[0].id, item[1], item[2]


def _words(articles: list[ComparedArticle]) -> int:
    return sum(len(a.words) for a in articles)


def rate_row(group: str, label: str, annotator: str, outlets: Outlets,
             select: Callable[[ComparedArticle], list[dict[str, Any]]]) -> Row:
    """Hits per 1,000 counted words."""
    cells: dict[str, Cell | None] = {}
    for outlet, every in outlets.items():
        articles = ran_on(every, annotator)
        if not articles:
            cells[outlet] = None
            continue
        items = [(art, a["start"], a["end"]) for art in articles for a in select(art)]
        words = _words(articles)
        cells[outlet] = _cell(items, 1000 * len(items) / words if words else None)
    return Row(group, label, "per_1000_words", annotator, cells)


def loaded_term_rows(outlets: Outlets) -> list[Row]:
    group = "Loaded terms per 1,000 words"
    categories = sorted({
        str(a["attributes"].get("category"))
        for articles in outlets.values() for art in articles
        for a in art.kept("loaded_terms", "loaded_term")
    })
    rows = [rate_row(group, "all loaded terms", "loaded_terms", outlets,
                     lambda art: art.kept("loaded_terms", "loaded_term"))]
    for category in categories:
        rows.append(rate_row(
            group, category, "loaded_terms", outlets,
            lambda art, c=category: [a for a in art.kept("loaded_terms", "loaded_term")
                                     if str(a["attributes"].get("category")) == c],
        ))
    rows.append(rate_row(group, "scare quotes", "loaded_terms", outlets,
                         lambda art: art.kept("loaded_terms", "scare_quote")))
    return rows


Classifier = Callable[[ComparedArticle], list[tuple[str, int, int, float]]]


def share_rows(group: str, annotator: str, outlets: Outlets, labels: list[str],
               classify: Classifier) -> list[Row]:
    """For each label, its share of the weighted items an outlet has (weights: words, counts)."""
    rows = []
    per_outlet: dict[str, list[tuple[Any, ...]] | None] = {}
    for outlet, every in outlets.items():
        articles = ran_on(every, annotator)
        per_outlet[outlet] = [(art, *item) for art in articles for item in classify(art)] \
            if articles else None
    for label in labels:
        cells: dict[str, Cell | None] = {}
        for outlet, items in per_outlet.items():
            if items is None:
                cells[outlet] = None
                continue
            total = sum(weight for *_, weight in items)
            chosen = [(art, s, e, w) for art, lab, s, e, w in items if lab == label]
            weight = sum(w for *_, w in chosen)
            share = weight / total if total else None
            cell = _cell([(art, s, e) for art, s, e, _ in chosen], share)
            cell.count = round(weight)
            cells[outlet] = cell
        rows.append(Row(group, label, "share", annotator, cells))
    return rows


def attribution_rows(outlets: Outlets) -> list[Row]:
    def stances(art: ComparedArticle) -> list[tuple[str, int, int, float]]:
        return [(str(a["attributes"].get("stance")), a["start"], a["end"], 1.0)
                for a in art.kept("attribution", "cue")]

    rows = share_rows("Attribution stance (share of reporting cues)", "attribution", outlets,
                      list(STANCES), stances)
    group = "Hedging per 1,000 words"
    rows.append(rate_row(group, "hedges", "attribution", outlets,
                         lambda art: art.kept("attribution", "hedge")))
    rows.append(rate_row(group, "vague sources", "attribution", outlets,
                         lambda art: art.kept("attribution", "vague_source")))
    return rows


def speaker_of(art: ComparedArticle, cue: dict[str, Any], index: EntityIndex) -> str:
    """Who a cue attributes words to, as a cross-outlet entity name where possible."""
    attributes = cue["attributes"]
    name = text_of(attributes.get("source_name")) or text_of(attributes.get("source"))
    source_span = span_of(attributes.get("source"))
    if source_span and (not name or name.lower() in PRONOUNS):
        for mention in art.kept("sentiment", "entity_mention"):
            if overlaps(*source_span, [(mention["start"], mention["end"])]):
                name = text_of(mention["attributes"].get("entity")) or name
    if not name or name.lower() in PRONOUNS:
        return "(unresolved)"
    entity = index.resolve(name)
    return entity.name if entity else name


def quoted_word_rows(outlets: Outlets, index: EntityIndex) -> list[Row]:
    """Share of quoted words per speaker, and direct versus indirect quoting."""
    def contents(art: ComparedArticle) -> list[tuple[str, str, int, int, float]]:
        seen: set[int] = set()
        items = []
        for cue in art.kept("attribution", "cue"):
            span = span_of(cue["attributes"].get("content"))
            if span is None:
                continue
            words = [s for s, e in art.words if span[0] <= s and e <= span[1] and s not in seen]
            seen.update(words)
            if words:
                kind = str(cue["attributes"].get("quote_type") or "unknown")
                items.append((speaker_of(art, cue, index), kind, *span, float(len(words))))
        return items

    cached = {art.id: contents(art) for articles in outlets.values() for art in articles}
    totals: Counter[str] = Counter()
    for items in cached.values():
        for speaker, _, _, _, weight in items:
            totals[speaker] += weight
    speakers = sorted(totals, key=lambda s: (-totals[s], s))
    kinds = sorted({kind for items in cached.values() for _, kind, *_ in items})
    rows = share_rows("Share of quoted words, by speaker", "attribution", outlets, speakers,
                      lambda art: [(sp, s, e, w) for sp, _, s, e, w in cached[art.id]])
    rows += share_rows("Share of quoted words, by quote type", "attribution", outlets, kinds,
                       lambda art: [(k, s, e, w) for _, k, s, e, w in cached[art.id]])
    return rows


def _scored(art: ComparedArticle, label: str) -> list[dict[str, Any]]:
    return [a for a in art.kept("sentiment", label) if isinstance(a.get("score"), int | float)]


def score_row(group: str, label: str, outlets: Outlets,
              select: Callable[[ComparedArticle], list[dict[str, Any]]],
              aggregate: Callable[[list[float]], float] = statistics.fmean) -> Row:
    cells: dict[str, Cell | None] = {}
    for outlet, every in outlets.items():
        articles = ran_on(every, "sentiment")
        if not articles:
            cells[outlet] = None
            continue
        chosen = [(art, a) for art in articles for a in select(art)]
        scores = [a["score"] for _, a in chosen]
        cells[outlet] = _cell([(art, a["start"], a["end"]) for art, a in chosen],
                              aggregate(scores) if scores else None)
    return Row(group, label, "score", "sentiment", cells)


def sentiment_rows(outlets: Outlets, index: EntityIndex, main: list[Entity]) -> list[Row]:
    group = "Sentence sentiment (VADER compound)"
    rows = [
        score_row(group, "mean", outlets, lambda art: _scored(art, "sentence")),
        score_row(group, "median", outlets, lambda art: _scored(art, "sentence"),
                  statistics.median),
    ]

    def polarity(art: ComparedArticle) -> list[tuple[str, int, int, float]]:
        return [(
            "share negative" if a["score"] <= NEGATIVE
            else "share positive" if a["score"] >= POSITIVE else "share neutral",
            a["start"], a["end"], 1.0,
        ) for a in _scored(art, "sentence")]

    labels = ["share negative", "share neutral", "share positive"]
    rows += share_rows(group, "sentiment", outlets, labels, polarity)
    entity_group = "Sentiment toward entities (mean over mentions)"
    for entity in main:
        rows.append(score_row(
            entity_group, entity.name, outlets,
            lambda art, e=entity: [
                a for a in _scored(art, "entity_mention")
                if index.resolve(text_of(a["attributes"].get("entity"))) is e
            ],
        ))
    return rows


def outermost_quotes(art: ComparedArticle) -> list[tuple[int, int, int]]:
    """Quotations not nested in another, outside boilerplate: (start, end, words inside)."""
    found: list[tuple[int, int, int]] = []
    for quote in find_quotes(art.text):
        if overlaps(quote.start, quote.end, art.boilerplate) or any(
            s <= quote.start and quote.end <= e for s, e, _ in found
        ):
            continue
        inner = art.count_words(quote.content_start, quote.content_end)
        if inner:
            found.append((quote.start, quote.end, inner))
    return found


def voice_rows(outlets: Outlets) -> list[Row]:
    """Words inside quotation marks (always measurable) and sentiment by sentence voice."""
    group = "Journalist voice versus quoted voice"
    cells: dict[str, Cell | None] = {}
    for outlet, articles in outlets.items():
        quotes = [(art, *quote) for art in articles for quote in outermost_quotes(art)]
        quoted = sum(inner for *_, inner in quotes)
        words = _words(articles)
        cell = _cell([(art, s, e) for art, s, e, _ in quotes], quoted / words if words else None)
        cell.count = quoted
        cells[outlet] = cell
    rows = [Row(group, "share of words inside quotation marks", "share", "core", cells)]
    voices = sorted({
        str(a["attributes"]["voice"]) for articles in outlets.values() for art in articles
        for a in _scored(art, "sentence") if a["attributes"].get("voice") is not None
    })
    for voice in voices:
        rows.append(score_row(
            group, f"mean sentiment, {voice} voice", outlets,
            lambda art, v=voice: [a for a in _scored(art, "sentence")
                                  if str(a["attributes"].get("voice")) == v],
        ))
    return rows


# ---------------------------------------------------------------- alignment


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
    segments = list(art.segments())

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


# ---------------------------------------------------------------- labeling matrix


@dataclass
class Descriptor:
    text: str
    kind: str  # title | appositive | description | label
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _contiguous_title(doc: Doc, first: int, allowed: set[int]) -> tuple[int, int] | None:
    """Tokens right before a name that belong to it (compound/amod chain): a title."""
    i = first - 1
    while i >= 0:
        token = doc[i]
        if i not in allowed or token.is_space or "\n" in token.whitespace_:
            break
        if token.pos_ not in TITLE_POS and token.text not in {"-", "–", "."}:
            break
        i -= 1
    start = i + 1
    while start < first and doc[start].text in {"-", "–", "."}:
        start += 1
    if start >= first or not any(doc[k].pos_ == "NOUN" or doc[k].lower_ in ROLE_NOUNS
                                 or doc[k].text.istitle() for k in range(start, first)):
        return None
    return doc[start].idx, doc[first - 1].idx + len(doc[first - 1].text)


def _clean(text: str) -> str:
    return " ".join(text.strip(" ,;:—–-\n").split())


def entity_tokens(doc: Doc, spans: list[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """Token index -> the mention span it belongs to (mentions found by surname)."""
    found = {}
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for token in span:
                found[token.i] = (start, end)
    return found


def descriptors(
    art: ComparedArticle, doc: Doc | None, entity_spans: dict[str, list[tuple[int, int]]],
    index: EntityIndex,
) -> dict[str, list[Descriptor]]:
    """Titles, appositives, resolved descriptions and labels predicated of each entity.

    Descriptions come from the entity clusters in the record (``entity_mention``
    of kind ``description``) and, with a parse, from definite noun phrases whose
    modifier matches the entity's own title ("the Ukrainian leader").
    """
    found: dict[str, list[Descriptor]] = defaultdict(list)
    for mention in art.kept("sentiment", "entity_mention"):
        attributes = mention["attributes"]
        entity = index.resolve(text_of(attributes.get("entity")))
        if attributes.get("mention_kind") == "description" and entity is not None:
            found[entity.key].append(Descriptor(
                _clean(mention["text"]), "description",
                [art.evidence(mention["start"], mention["end"])],
            ))
    if doc is None:
        return found
    described = {(e["start"], e["end"]) for ds in found.values() for d in ds for e in d.evidence}
    token_entity: dict[int, str] = {}
    for key, spans in entity_spans.items():
        for i in entity_tokens(doc, spans):
            token_entity[i] = key
    title_words: dict[str, set[str]] = defaultdict(set)
    for ent in doc.ents:
        if ent.label_ != "PERSON" or art.in_headline(ent.start_char) or overlaps(
            ent.start_char, ent.end_char, art.boilerplate
        ):
            continue
        keys = {token_entity[t.i] for t in ent if t.i in token_entity}
        if len(keys) != 1:
            continue
        key = keys.pop()
        left = {t.i for child in ent.root.children if child.i < ent.start for t in child.subtree}
        if (title := _contiguous_title(doc, ent.start, left)) is not None:
            text = art.text[title[0] : title[1]]
            found[key].append(Descriptor(text, "title", [art.evidence(*title)]))
            title_words[key].update(w.lower() for w in WORD.findall(text))
        for child in ent.root.children:
            if child.dep_ == "appos" and child.i > ent.end - 1 and child.pos_ in ("NOUN", "PROPN"):
                tokens = [t for t in child.subtree if t.sent == ent.sent]
                start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
                text = _clean(art.text[start:end])
                if text:
                    found[key].append(Descriptor(text, "appositive", [art.evidence(start, end)]))
        head = ent.root.head
        if ent.root.dep_ == "appos" and head.pos_ == "NOUN":
            tokens = [t for t in head.subtree if t.i < ent.start and not t.is_punct]
            if tokens:
                start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
                text = _clean(art.text[start:end])
                found[key].append(Descriptor(text, "appositive", [art.evidence(start, end)]))
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.pos_ != "NOUN" or chunk[0].lower_ != "the" or overlaps(
            chunk.start_char, chunk.end_char, art.boilerplate
        ):
            continue
        modifiers = {t.lower_ for t in chunk[1:-1]}
        if root.lemma_.lower() not in ROLE_NOUNS and not any(
            root.lower_ in words for words in title_words.values()
        ):
            continue
        owners = [key for key, words in title_words.items() if modifiers & (words - ROLE_NOUNS)]
        if len(owners) == 1 and (chunk.start_char, chunk.end_char) not in described:
            text = _clean(chunk.text)
            found[owners[0]].append(
                Descriptor(text, "description", [art.evidence(chunk.start_char, chunk.end_char)])
            )
    for a in art.kept("loaded_terms"):
        span = doc.char_span(a["start"], a["end"], alignment_mode="expand")
        if span is None or art.in_headline(a["start"]):
            continue
        key = _predicated_of(span.root, token_entity)
        if key is not None:
            term = a["text"].strip(QUOTE_MARKS + " ,.;:")
            found[key].append(Descriptor(term, "label", [art.evidence(a["start"], a["end"])]))
    for key, items in found.items():  # an appositive that is a label is shown as the label
        labels = [(e["start"], e["end"]) for d in items if d.kind == "label" for e in d.evidence]
        found[key] = [d for d in items if d.kind != "appositive"
                      or not overlaps(d.evidence[0]["start"], d.evidence[0]["end"], labels)]
    return found


def _predicated_of(term: Token, token_entity: dict[int, str]) -> str | None:
    """The entity a loaded term is said of: 'labeled X a "dictator"', 'X, a "dictator"'."""
    nominal = term.pos_ in ("NOUN", "PROPN", "ADJ")
    for child in term.children:  # "X, a dictator"; small clause "labeling X a dictator"
        if nominal and child.dep_ in ("nmod", "appos", "nsubj") and child.i in token_entity:
            return token_entity[child.i]
    if term.dep_ == "appos" and term.head.i in token_entity:
        return token_entity[term.head.i]
    subjects = {
        "oprd": ("dobj", "nsubjpass"),  # labeled X a "dictator"; X was labeled a "dictator"
        "dobj": ("dobj",),  # the double-object parse of the same
        "attr": ("nsubj",),  # X is a "dictator"
        "acomp": ("nsubj",),
    }
    for sibling in term.head.children:
        if sibling.i < term.i and sibling.dep_ in subjects.get(term.dep_, ()) and (
            sibling.i in token_entity
        ):
            return token_entity[sibling.i]
    return None


def labeling_matrix(outlets: Outlets, index: EntityIndex, main: list[Entity],
                    docs: dict[str, Doc], spans: dict[str, dict]) -> list[dict[str, Any]]:
    rows = []
    for entity in main:
        cells = {}
        for outlet, articles in outlets.items():
            merged: dict[tuple[str, str], Descriptor] = {}
            mention_evidence = []
            for art in articles:
                found = spans[art.id].get(entity.key, [])
                mention_evidence += [art.evidence(s, e) for s, e in found]
                found = descriptors(art, docs.get(art.id), spans[art.id], index)
                for d in found.get(entity.key, []):
                    slot = merged.setdefault((d.kind, d.text.lower()), Descriptor(d.text, d.kind))
                    slot.evidence += [
                        e for e in d.evidence
                        if not overlaps(e["start"], e["end"], [(o["start"], o["end"]) for o in
                                        slot.evidence if o["article"] == e["article"]])
                    ]
            cells[outlet] = {
                "mentions": len(mention_evidence),
                "mention_evidence": mention_evidence,
                "descriptors": [
                    {"text": d.text, "kind": d.kind, "count": len(d.evidence),
                     "evidence": d.evidence}
                    for d in sorted(merged.values(), key=lambda d: (-len(d.evidence), d.kind,
                                                                     d.text.lower()))
                ],
            }
        rows.append({"entity": entity.name, "key": entity.key, "cells": cells})
    return rows


# ---------------------------------------------------------------- the comparison


def main_entities(index: EntityIndex, spans: dict[str, dict], outlets: Outlets) -> list[Entity]:
    """People mentioned by at least half the outlets (and at least two), most covered first."""
    coverage: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for articles in outlets.values():
        keys = {key for art in articles for key, found in spans[art.id].items() if found}
        coverage.update(keys)
        for art in articles:
            for key, found in spans[art.id].items():
                total[key] += len(found)
    needed = max(2, math.ceil(len(outlets) / 2))
    chosen = [e for e in index.entities if coverage[e.key] >= needed]
    chosen.sort(key=lambda e: (-coverage[e.key], -total[e.key], e.key))
    return chosen[:MAX_MAIN_ENTITIES]


def compare(records: list[dict[str, Any]], nlp: Language | None = None) -> dict[str, Any]:
    """The comparison of the outlets in ``records`` (one record per article).

    ``nlp``, a pipeline with parser and NER, is used for the labeling matrix;
    without it the matrix is left empty and a note says why.
    """
    ordered = sorted(records, key=lambda r: r["article"]["id"])
    articles = [ComparedArticle.from_record(r) for r in ordered]
    outlets: Outlets = defaultdict(list)
    for art in articles:
        outlets[art.outlet].append(art)
    outlets = dict(sorted(outlets.items()))
    parsed = nlp is not None and {"parser", "ner"} <= set(nlp.pipe_names)
    docs = dict(zip([a.id for a in articles], nlp.pipe(a.text for a in articles), strict=True)) \
        if parsed else {}
    index = EntityIndex(n for art in articles for n in person_names(art, docs.get(art.id)))
    spans = {art.id: mentions(art, index, docs.get(art.id)) for art in articles}
    main = main_entities(index, spans, outlets)
    rows = (loaded_term_rows(outlets) + attribution_rows(outlets) + quoted_word_rows(outlets, index)
            + sentiment_rows(outlets, index, main) + voice_rows(outlets))
    notes = []
    for name in ("boilerplate", "loaded_terms", "attribution", "sentiment"):
        missing = [o for o, arts in outlets.items() if not ran_on(arts, name)]
        if missing:
            notes.append(f"annotator {name!r} did not run for {', '.join(missing)}: "
                         "its numbers are n/a there")
    if not parsed:
        notes.append("no spaCy pipeline with parser and NER: the labeling matrix lacks titles, "
                     "appositives and predicated labels")
    return {
        "comparison_version": COMPARISON_VERSION,
        "tool": {"name": "annotator", "version": __version__},
        "outlets": [{"name": o, "articles": [a.id for a in arts]} for o, arts in outlets.items()],
        "articles": [
            {"id": a.id, "outlet": a.outlet, "title": a.title, "sha256": a.sha256,
             "words": len(a.words), "boilerplate": [a.evidence(s, e) for s, e in a.boilerplate],
             "annotators": sorted(a.annotators)}
            for a in articles
        ],
        "metrics": [row.as_json(f"m{number}") for number, row in enumerate(rows)],
        "alignments": alignments(articles),
        "labeling": labeling_matrix(outlets, index, main, docs, spans),
        "notes": notes,
    }


def comparison_problems(comparison: dict[str, Any]) -> list[str]:
    """Schema problems of a comparison, one line each (empty when valid)."""
    return [f"{p.pointer or '/'}: {p.message}"
            for p in schema_problems(comparison, load_schema(COMPARISON_SCHEMA))]
