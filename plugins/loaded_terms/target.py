"""Target: the named entity a loaded term describes, where the parse shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

TARGET_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _entity_of(token: Token) -> Span | None:
    """The naming entity holding the token, or the token itself when it is a proper noun."""
    if token.ent_type_ in TARGET_ENTITIES:
        return next(e for e in token.doc.ents if e.start <= token.i < e.end)
    if token.pos_ == "PROPN":
        return token.doc[token.i : token.i + 1]
    return None


def _named_modifier(noun: Token) -> Span | None:
    """An entity attached to a noun: "Assad regime", "Maduro's regime", "Putin, the dictator"."""
    for child in noun.children:
        if child.dep_ in {"compound", "poss", "appos"}:
            if found := _entity_of(child):
                return found
    if noun.dep_ == "appos":
        return _entity_of(noun.head)
    return None


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in SUBJECTS), None)


def target_entity(head: Token) -> Span | None:
    """The entity a term's head word describes; None when the parse does not say.

    Tried in order: an entity in or attached to the noun ("Assad regime"); the noun an
    adjective modifies ("corrupt Maduro"); the subject of a copula ("Maduro is a
    dictator", "the senator was defiant"); the named first object of a labelling verb
    ('labeled Zelensky a "dictator"'); the object, else (with no object) the subject, of
    a verb ("slammed Pelosi").
    """
    if not head.doc.has_annotation("DEP"):
        return None
    if head.pos_ in {"NOUN", "PROPN"} and (found := _named_modifier(head)):
        return found
    if head.dep_ == "amod" and (found := _entity_of(head.head) or _named_modifier(head.head)):
        return found
    if head.dep_ in {"dobj", "oprd"} and (found := _labelled_object(head)):
        return found
    if head.dep_ in {"attr", "acomp", "oprd"}:
        subject = _subject(head.head)
        return _entity_of(subject) if subject is not None else None
    if head.pos_ == "VERB":
        for child in head.children:
            if child.dep_ in {"dobj", "nsubjpass"} and (found := _entity_of(child)):
                return found
        if any(child.dep_ == "dobj" for child in head.children):
            return None  # "lauded the talks": the one praising is not the target
        subject = _subject(head)
        return _entity_of(subject) if subject is not None else None
    return None


def _labelled_object(label: Token) -> Span | None:
    """'labeled Zelensky a "dictator"': the other object of the labelling verb."""
    return next((found for child in label.head.children
                 if child.dep_ == "dobj" and child.i < label.i and (found := _entity_of(child))),
                None)
