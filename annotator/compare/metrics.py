"""The outlet × metric table of one event: every cell carries the spans behind it."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .article import ComparedArticle, Outlets
from .entity import Entity, EntityIndex, is_heading_line, source_entity
from .text import (
    PRONOUNS,
    STANCES,
    span_of,
    text_of,
)

NEGATIVE, POSITIVE = -0.05, 0.05  # VADER's conventional compound thresholds



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
    metric: str | None = None  # its name in the outlet profile, for the rows the profile takes

    def as_json(self, key: str) -> dict[str, Any]:
        return {
            "key": key,
            **({"metric": self.metric} if self.metric else {}),
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
             select: Callable[[ComparedArticle], list[dict[str, Any]]],
             words: Callable[[ComparedArticle], int] = lambda art: len(art.words),
             metric: str | None = None) -> Row:
    """Hits per 1,000 words (by default all counted words; ``words`` chooses others)."""
    cells: dict[str, Cell | None] = {}
    for outlet, every in outlets.items():
        articles = ran_on(every, annotator)
        if not articles:
            cells[outlet] = None
            continue
        items = [(art, a["start"], a["end"]) for art in articles for a in select(art)]
        total = sum(words(art) for art in articles)
        cells[outlet] = _cell(items, 1000 * len(items) / total if total else None)
    return Row(group, label, "per_1000_words", annotator, cells, metric)


def quoted_voice(annotation: dict[str, Any]) -> bool:
    """Whether a loaded-term hit is quoted speech: its ``voice`` when given, else ``in_quote``."""
    voice = annotation["attributes"].get("voice")
    if voice in ("own", "quoted"):
        return voice == "quoted"
    return bool(annotation["attributes"].get("in_quote"))


def loaded_term_rows(outlets: Outlets) -> list[Row]:
    group = "Loaded terms per 1,000 words"
    categories = sorted({
        str(a["attributes"].get("category"))
        for articles in outlets.values() for art in articles
        for a in art.kept("loaded_terms", "loaded_term")
    })
    rows = [
        rate_row(group, "all loaded terms", "loaded_terms", outlets,
                 lambda art: art.kept("loaded_terms", "loaded_term")),
        rate_row(group, "own voice (per 1,000 words outside quotes)", "loaded_terms", outlets,
                 lambda art: [a for a in art.kept("loaded_terms", "loaded_term")
                              if not quoted_voice(a)],
                 words=lambda art: len(art.words) - art.quoted_words, metric="loaded_own"),
        rate_row(group, "quoted voice (per 1,000 quoted words)", "loaded_terms", outlets,
                 lambda art: [a for a in art.kept("loaded_terms", "loaded_term")
                              if quoted_voice(a)],
                 words=lambda art: art.quoted_words, metric="loaded_quoted"),
    ]
    for category in categories:
        rows.append(rate_row(
            group, category, "loaded_terms", outlets,
            lambda art, c=category: [a for a in art.kept("loaded_terms", "loaded_term")
                                     if str(a["attributes"].get("category")) == c],
        ))
    rows.append(rate_row(group, "scare quotes", "loaded_terms", outlets,
                         lambda art: art.kept("loaded_terms", "scare_quote") + [
                             a for a in art.kept("loaded_terms", "loaded_term")
                             if a["attributes"].get("scare_quoted")]))
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
    for row in rows:
        row.metric = f"stance_{row.label}"
    group = "Hedging per 1,000 words"
    rows.append(rate_row(group, "hedges", "attribution", outlets,
                         lambda art: art.kept("attribution", "hedge"), metric="hedges"))
    rows.append(rate_row(group, "vague sources", "attribution", outlets,
                         lambda art: art.kept("attribution", "vague_source"),
                         metric="vague_sources"))
    return rows


DOCUMENTS = frozenset("""amendment article bill clause constitution act law rule rules order
    report statement poll polls survey data study figures document documents memo letter plan
    proposal measure resolution""".split())  # texts say things only through people
BARE_BODIES = frozenset("house senate congress court".split())  # a speaker alone, not in a name
NAME_JOINERS = frozenset({"of", "the", "for", "and", "de", "von", "van", "al", "bin"})
UNNAMED = "(unnamed or unresolved)"


def proper_name(name: str) -> bool:
    """Whether ``name`` reads as a person's or organisation's name: capitalised words only
    (joiners such as 'of' allowed inside), no clause, and not a document or a chamber."""
    words = name.replace("’", "'").split()
    if not words or any(mark in name for mark in ",;:") or words[0].lower() in NAME_JOINERS:
        return False
    if any(w.lower().strip(".'s") in DOCUMENTS for w in words) or (
        len(words) == 1 and words[0].lower() in BARE_BODIES
    ):
        return False
    return all(w[:1].isupper() or w.lower() in NAME_JOINERS for w in words)


def speaker_of(art: ComparedArticle, cue: dict[str, Any], index: EntityIndex) -> str:
    """Who a cue attributes words to: a person or organisation, merged across the event's
    outlets by surname where possible; a pronoun counts only when resolved to one."""
    attributes = cue["attributes"]
    source_span = span_of(attributes.get("source"))
    if source_span and is_heading_line(art.text, source_span[0]):
        return UNNAMED
    speaker = text_of(attributes.get("source_name"))
    if source_span and (cluster := source_entity(art, source_span, speaker)) and (
        proper_name(cluster)
    ):
        entity = index.resolve(cluster)  # the entity cluster over the source wins
        return entity.name if entity else cluster
    name = speaker or text_of(attributes.get("source"))
    if not name or name.lower() in PRONOUNS:
        return UNNAMED
    entity = index.resolve(name)
    if entity is not None:
        return entity.name
    return name if proper_name(name) else UNNAMED


def quoted_word_rows(outlets: Outlets, index: EntityIndex) -> list[Row]:
    """Share of quoted words per speaker, and direct versus indirect quoting."""
    def contents(art: ComparedArticle) -> list[tuple[str, str, int, int, float]]:
        seen: set[int] = set()
        items = []
        for cue in art.kept("attribution", "cue"):
            span = span_of(cue["attributes"].get("content"))
            if span is None:
                continue
            words = [s for s, _ in art.words_within(*span) if s not in seen]
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


def voice_rows(outlets: Outlets) -> list[Row]:
    """Words inside quotation marks (always measurable) and sentiment by sentence voice."""
    group = "Journalist voice versus quoted voice"
    cells: dict[str, Cell | None] = {}
    for outlet, articles in outlets.items():
        quotes = [(art, *quote) for art in articles for quote in art.quotes]
        quoted = sum(inner for *_, inner in quotes)
        words = _words(articles)
        cell = _cell([(art, s, e) for art, s, e, _ in quotes], quoted / words if words else None)
        cell.count = quoted
        cells[outlet] = cell
    rows = [Row(group, "share of words inside quotation marks", "share", "core", cells,
                "quoted_words")]
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
        if voice == "journalist":
            rows[-1].metric = "journalist_sentiment"
    return rows

