"""The labeling matrix: titles, descriptions and labels each outlet gives the main people."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .article import ComparedArticle, Outlets
from .entity import Entity, EntityIndex
from .text import (
    QUOTE_MARKS,
    ROLE_NOUNS,
    STOPWORDS,
    TITLE_POS,
    WORD,
    overlaps,
    text_of,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

ROLES = "|".join(sorted(ROLE_NOUNS))
ROLE_PHRASE = re.compile(rf"\b(?:the|its|their)\s+(?:[\w-]+\s+){{0,3}}(?:{ROLES})\b",
                         re.IGNORECASE)
WORDS_BEFORE = re.compile(r"(?:[\w.'’–-]+[ \t]+)+$")  # the words right before a name
# honorifics and abbreviated titles: alone before a name, each is its title ("Mr.", "Sen.")
SHORT_TITLES = frozenset("mr mrs ms dr sen rep gov gen lt col capt sgt adm rev prof".split())
# words that are never part of a title: where the words before a name stop being one
NOT_TITLE = STOPWORDS | frozenset("""whether though although including like unlike since per
    via toward towards among amid despite upon within without across behind beyond around
    along near versus""".split())
# words that open an appositive although they are stop words ("Romney, then governor")
APPOSITION_OPENERS = frozenset("""a an the his her its their our my this that these those then
    also now once""".split())
# a comma, bracket or dash after a name, then a word that may open a noun phrase
APPOSITION_AFTER = re.compile(r"(?:['’]s?)?[ \t]*[,(—–][ \t]*([\w'’-]+)")
HEAD_BEFORE = re.compile(r"([a-z][\w'’-]*)[ \t]*,[ \t]*$")  # "the nominee, Mitt Romney"
LABEL_WINDOW = 8  # words between a loaded term and the person it may be said of
BLANK = re.compile(r"[^\n]")


def clustered(art: ComparedArticle) -> bool:
    """Whether the record has entity clusters (the sentiment annotator's, from a full parse)."""
    return bool(art.kept("sentiment", "entity_mention"))


def person_names_at(art: ComparedArticle, doc: Doc | None) -> list[tuple[int, int]]:
    """Where the article names a person: its clusters' PERSON name mentions; without
    clusters, the PERSON entities of ``doc`` (a full parse)."""
    if clustered(art):
        return [(m["start"], m["end"]) for m in art.kept("sentiment", "entity_mention")
                if m["attributes"].get("entity_type", "PERSON") == "PERSON"
                and m["attributes"].get("mention_kind", "name") == "name"]
    if doc is None:
        return []
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PERSON"]


def title_words_before(text: str, start: int, name: int) -> list[str]:
    """The words right before the name at ``name`` (from ``start``, on its line) back to a
    stop word or punctuation: where a title may be ("former House Speaker")."""
    found = WORDS_BEFORE.search(text, start, name)
    run: list[str] = []
    for word in reversed(found.group().split() if found else []):
        if word.strip(".'’–-").lower() in NOT_TITLE | {""}:
            break
        run.append(word)
    return run[::-1]


def lone_title_before(text: str, start: int, name: int) -> tuple[int, int] | None:
    """Where one word alone before a name is its title, read without a parse: an honorific
    or abbreviated title ("Mr.", "Sen.") or a capitalised role noun ("President")."""
    run = title_words_before(text, start, name)
    if len(run) != 1:
        return None
    bare = run[0].rstrip(".").lower()
    if bare not in SHORT_TITLES and not (run[0].istitle() and bare in ROLE_NOUNS):
        return None
    begin = text.rindex(run[0], start, name)
    return begin, begin + len(run[0])


def _apposition_beside(text: str, start: int, name: tuple[int, int], end: int) -> bool:
    """Whether a name may have an appositive: "Zelensky, the Ukrainian president" or
    "(R-Ohio)" after it, "the Ukrainian president, Zelensky" before it."""
    after = APPOSITION_AFTER.match(text, name[1], end)
    if after is not None and (after.group(1).lower() in APPOSITION_OPENERS
                              or after.group(1).lower() not in NOT_TITLE):
        return True
    before = HEAD_BEFORE.search(text, start, name[0])
    return before is not None and before.group(1) not in NOT_TITLE


def _near(a: tuple[int, int], b: tuple[int, int], text: str) -> bool:
    """Whether at most LABEL_WINDOW words lie between two spans."""
    gap = text[min(a[1], b[1]) : max(a[0], b[0])] if a[1] <= b[0] or b[1] <= a[0] else ""
    return len(WORD.findall(gap)) <= LABEL_WINDOW


def needed_sentences(art: ComparedArticle,
                     main_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences the labeling matrix can read something in, in text order.

    A sentence where a main person's name has a title before it ("Ukrainian President
    Volodymyr Zelensky"; one word alone, "Mr." or "President", needs no parse) or may
    have an appositive beside it; a sentence with a loaded term near a main person's name
    (a label said of them); and sentences with a definite role phrase ("the Ukrainian
    leader") that shares a word with one of those titles.
    """
    named = [(s, e) for s, e in person_names_at(art, None)
             if overlaps(s, e, main_spans) and not art.in_headline(s)]
    loaded = [(a["start"], a["end"]) for a in art.kept("loaded_terms")
              if not art.in_headline(a["start"])]
    keep: list[tuple[int, int]] = []
    roles: list[tuple[int, int, set[str]]] = []  # sentences with role phrases, their modifiers
    title_words: set[str] = set()
    for start, end in art.segments:
        needed = False
        for s, e in named:
            if start <= s < end:
                run = title_words_before(art.text, start, s)
                if run and lone_title_before(art.text, start, s) is None:
                    title_words.update(w.strip(".'’–-").lower() for w in run)
                    needed = True
                needed = needed or _apposition_beside(art.text, start, (s, e), end)
        needed = needed or any(
            start <= term[0] < end and start <= person[0] < end and _near(term, person, art.text)
            for term in loaded for person in main_spans)
        if needed:
            keep.append((start, end))
        elif phrases := list(ROLE_PHRASE.finditer(art.text, start, end)):
            roles.append((start, end, {w.lower() for phrase in phrases
                                       for w in WORD.findall(phrase.group())[1:-1]}))
    title_words -= ROLE_NOUNS
    return sorted(keep + [(start, end) for start, end, words in roles if words & title_words])


def pieces(text: str, sentences: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into the sentences (True: to parse) and the blanked gaps between them
    (spaces, line breaks kept): joined again, every offset is an offset of ``text``."""
    found = []
    last = 0
    for start, end in sentences:
        found += [(BLANK.sub(" ", text[last:start]), False), (text[start:end], True)]
        last = end
    found.append((BLANK.sub(" ", text[last:]), False))
    return [(piece, parse) for piece, parse in found if piece]


def labeling_docs(articles: list[ComparedArticle], nlp: Language,
                  spans: dict[str, dict[str, list[tuple[int, int]]]],
                  main: list[Entity]) -> dict[str, Doc]:
    """Parse, in one batch and without NER (the clusters name the people) or lemmas, the
    sentences the labeling matrix reads in each article that has entity clusters.

    Each sentence is parsed on its own, so no parse joins two of them; an article's
    sentences and blanked gaps (tokenized only) are joined into one Doc whose offsets are
    the article's.
    """
    from spacy.tokens import Doc

    cut: dict[str, list[tuple[str, bool]]] = {}
    for art in articles:
        if clustered(art):
            main_spans = sorted(s for e in main for s in spans[art.id].get(e.key, []))
            if sentences := needed_sentences(art, main_spans):
                cut[art.id] = pieces(art.text, sentences)
    disable = [name for name in ("ner", "lemmatizer") if name in nlp.pipe_names]
    parsed = iter(nlp.pipe((piece for found in cut.values() for piece, parse in found if parse),
                           disable=disable))
    return {
        art_id: Doc.from_docs([next(parsed) if parse else nlp.make_doc(piece)
                               for piece, parse in found],
                              ensure_whitespace=False, exclude=["tensor"])
        for art_id, found in cut.items()
    }


def _parsed(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens of ``start:end`` when that part of the text was parsed (not blanked)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return None if span is None or all(token.is_space for token in span) else span



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
        span = _parsed(doc, start, end)
        if span is not None:
            for token in span:
                found[token.i] = (start, end)
    return found


def descriptors(
    art: ComparedArticle, doc: Doc | None, entity_spans: dict[str, list[tuple[int, int]]],
    index: EntityIndex, parsed: bool = True,
) -> dict[str, list[Descriptor]]:
    """Titles, appositives, resolved descriptions and labels predicated of each entity.

    Descriptions come from the entity clusters in the record (``entity_mention``
    of kind ``description``) and, with a parse, from definite noun phrases whose
    modifier matches the entity's own title ("the Ukrainian leader"). ``doc`` holds
    the parsed sentences (None: none needed); ``parsed`` says whether the event had a
    parser at all (without one, only the record's descriptions are read).
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
    if not parsed:
        return found
    described = {(e["start"], e["end"]) for ds in found.values() for d in ds for e in d.evidence}
    token_entity: dict[int, str] = {}
    for key, spans in entity_spans.items():
        for i in entity_tokens(doc, spans) if doc is not None else ():
            token_entity[i] = key
    title_words: dict[str, set[str]] = defaultdict(set)
    for start, end in person_names_at(art, doc):
        if art.in_headline(start) or overlaps(start, end, art.boilerplate):
            continue
        ent = _parsed(doc, start, end) if doc is not None else None
        if ent is not None:
            _name_descriptors(art, ent, token_entity, found, title_words)
            continue
        # a sentence left unparsed: only a lone title before the name is read
        keys = {key for key, spans in entity_spans.items() if overlaps(start, end, spans)}
        sentence = next((s for s, e in art.segments if s <= start < e), None)
        lone = lone_title_before(art.text, sentence, start) if sentence is not None else None
        if lone is not None and len(keys) == 1:
            key = keys.pop()
            text = art.text[lone[0] : lone[1]]
            found[key].append(Descriptor(text, "title", [art.evidence(*lone)]))
            title_words[key].update(w.lower() for w in WORD.findall(text))
    if doc is not None:
        _chunk_descriptions(art, doc, described, title_words, found)
        _labels(art, doc, token_entity, found)
    for key, items in found.items():  # an appositive that is a label is shown as the label
        labels = [(e["start"], e["end"]) for d in items if d.kind == "label" for e in d.evidence]
        found[key] = [d for d in items if d.kind != "appositive"
                      or not overlaps(d.evidence[0]["start"], d.evidence[0]["end"], labels)]
    return found


def _name_descriptors(art: ComparedArticle, ent: Span, token_entity: dict[int, str],
                      found: dict[str, list[Descriptor]],
                      title_words: dict[str, set[str]]) -> None:
    """The title before a parsed name and the appositives beside it."""
    keys = {token_entity[t.i] for t in ent if t.i in token_entity}
    if len(keys) != 1:
        return
    key = keys.pop()
    doc = ent.doc
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


def _chunk_descriptions(art: ComparedArticle, doc: Doc, described: set[tuple[int, int]],
                        title_words: dict[str, set[str]],
                        found: dict[str, list[Descriptor]]) -> None:
    """Definite noun phrases whose modifier is a word of one person's title."""
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.pos_ != "NOUN" or chunk[0].lower_ != "the" or overlaps(
            chunk.start_char, chunk.end_char, art.boilerplate
        ):
            continue
        modifiers = {t.lower_ for t in chunk[1:-1]}
        if root.lower_ not in ROLE_NOUNS and not any(  # a plural is not one person
            root.lower_ in words for words in title_words.values()
        ):
            continue
        owners = [key for key, words in title_words.items() if modifiers & (words - ROLE_NOUNS)]
        if len(owners) == 1 and (chunk.start_char, chunk.end_char) not in described:
            text = _clean(chunk.text)
            found[owners[0]].append(
                Descriptor(text, "description", [art.evidence(chunk.start_char, chunk.end_char)])
            )


def _labels(art: ComparedArticle, doc: Doc, token_entity: dict[int, str],
            found: dict[str, list[Descriptor]]) -> None:
    """Loaded terms said of a person."""
    for a in art.kept("loaded_terms"):
        span = _parsed(doc, a["start"], a["end"])
        if span is None or art.in_headline(a["start"]):
            continue
        key = _predicated_of(span.root, token_entity)
        if key is not None:
            term = a["text"].strip(QUOTE_MARKS + " ,.;:")
            found[key].append(Descriptor(term, "label", [art.evidence(a["start"], a["end"])]))


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
                    docs: dict[str, Doc], spans: dict[str, dict],
                    parsed: bool = True) -> list[dict[str, Any]]:
    """One row per main person: per outlet, its mentions and descriptors with evidence."""
    found = {art.id: descriptors(art, docs.get(art.id), spans[art.id], index, parsed)
             for articles in outlets.values() for art in articles} if main else {}
    rows = []
    for entity in main:
        cells = {}
        for outlet, articles in outlets.items():
            merged: dict[tuple[str, str], Descriptor] = {}
            mention_evidence = []
            for art in articles:
                mention_evidence += [art.evidence(s, e)
                                     for s, e in spans[art.id].get(entity.key, [])]
                for d in found[art.id].get(entity.key, []):
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

