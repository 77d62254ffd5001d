"""Proper names: a word inside a name ("Dave Brat", "Vicente Fox") is never a loaded term.

A name is a named entity of a naming type (PERSON, ORG, GPE, FAC, LAW, WORK_OF_ART) or a
run of capitalised proper nouns ("Grand Jury"), and every other occurrence of a word
used in one, written the same way ("Brat said" after "Dave Brat"). Headlines written in
title case make every word look like a name, so their words count only by that last rule.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "FAC", "LAW", "WORK_OF_ART"})
MINOR_WORDS = frozenset(
    "a an and as at but by for from in into of on or the to vs via with".split()
)
WORD = re.compile(r"[^\W\d_][\w’'-]*")


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of three or more words where most words are capitalised."""
    lines = []
    for match in re.finditer(r"[^\n]+", text):
        words = [w for w in WORD.findall(match.group()) if w.lower() not in MINOR_WORDS]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words):
            lines.append((match.start(), match.end()))
    return lines


def _titled_propn(token: Token) -> bool:
    """A proper noun written with a capital and then lower case ("Brat", "McCain"; not "WAR")."""
    return token.pos_ == "PROPN" and token.text[:1].isupper() and not token.text.isupper()


def _name_runs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of naming entities and of capitalised PROPN tokens that are not a
    sentence's lone first word."""
    runs = []
    if doc.has_annotation("ENT_IOB"):
        runs += [(e.start, e.end) for e in doc.ents if e.label_ in NAME_ENTITIES]
    if doc.has_annotation("POS"):
        start = None
        for token in [*doc, None]:
            if token is not None and _titled_propn(token):
                start = token.i if start is None else start
                continue
            if start is not None:
                end = token.i if token is not None else len(doc)
                if end - start > 1 or doc[start].is_sent_start is not True:
                    runs.append((start, end))
                start = None
    return runs


def proper_name_tokens(doc: Doc) -> dict[int, tuple[int, int]]:
    """Token index -> the token range of the name holding it.

    Outside title-case lines every name counts; a word used in a name elsewhere in the
    article is a name wherever it is written the same way ("Brat said", a headline's
    "Brat"); otherwise words of title-case lines are not names. Empty on a pipeline
    without NER or tags.
    """
    runs = _name_runs(doc)
    if not runs:
        return {}
    titled = title_case_lines(doc.text)

    def in_title(token: Token) -> bool:
        return any(start <= token.idx < end for start, end in titled)

    inside: dict[int, tuple[int, int]] = {}
    name_words: set[str] = set()
    for start, end in runs:
        if in_title(doc[start]):
            continue
        for i in range(start, end):
            inside.setdefault(i, (start, end))
            name_words.add(doc[i].text)
    for token in doc:
        if token.i not in inside and token.text in name_words:
            inside[token.i] = (token.i, token.i + 1)
    return inside


def inside_name(
    doc: Doc, start: int, end: int, names: dict[int, tuple[int, int]], whole_name_ok: bool
) -> bool:
    """Whether the character span [start, end) has a word inside a name.

    With ``whole_name_ok`` (multiword terms and patterns), a match that is the whole
    name ("Witch Hunt", "Deep State", "Russiagate") is not inside one.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    ranges = {names[i] for i in range(span.start, span.end) if i in names}
    return any(not (whole_name_ok and r == (span.start, span.end)) for r in ranges)
