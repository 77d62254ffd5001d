"""The labeling matrix: titles, descriptions and labels each outlet gives the main people."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .article import ComparedArticle, Outlets
from .entity import Entity, EntityIndex
from .text import (
    QUOTE_MARKS,
    ROLE_NOUNS,
    TITLE_POS,
    WORD,
    overlaps,
    text_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token



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

