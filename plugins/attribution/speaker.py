"""Who a speaker is: the name inside a source span, or the named person a pronoun or a
description ("the Ukrainian leader") refers to. Heuristics, not coreference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .document import GROUP_LABELS, PERSON_LABELS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .document import DocAnalysis

SPEAKER_PRONOUNS = frozenset("he she they it who him her them".split())
ROLE_NOUNS = frozenset(
    """president leader minister chancellor premier prime secretary spokesman spokeswoman
    spokesperson official envoy ambassador governor senator candidate chief director
    chairman chairwoman head king queen mayor general""".split()
)


def speaker_name(
    a: DocAnalysis, source: tuple[int, int] | None, head: Token
) -> tuple[str | None, tuple[int, int] | None]:
    """The literal speaker name, and the span a pronoun or description resolves to."""
    if source is None:
        return None, None
    mentions = a.mentions()
    inside = [
        m for _, m, _ in mentions
        if source[0] <= m.start_char < source[1] and m.label_ in ("PERSON", "ORG")
    ]
    if inside:
        people = [m for m in inside if m.label_ in PERSON_LABELS]
        return (people or inside)[0].text, None
    if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
        noun = head.head.head
        named = [m for _, m, _ in mentions if m.start <= noun.i < m.end]
        if named:
            return None, (named[0].start_char, named[0].end_char)
    if head.lower_ in SPEAKER_PRONOUNS:
        return None, resolve_pronoun(a, source[0], head.lower_)
    if head.pos_ in ("NOUN", "PROPN") and head.lower_ in ROLE_NOUNS | {"leader"}:
        return None, resolve_description(a, source, head)
    return a.text[source[0] : source[1]], None


def resolve_pronoun(a: DocAnalysis, before: int, pronoun: str) -> tuple[int, int] | None:
    """The nearest preceding named speaker, preferring one that was a grammatical subject
    within the previous 600 characters."""
    groups = pronoun in ("it", "they", "them")
    labels = GROUP_LABELS | PERSON_LABELS if groups else PERSON_LABELS
    candidates = [(s, m, subj) for s, m, subj in a.mentions() if s < before]
    candidates = [c for c in candidates if c[1].label_ in labels]
    if not candidates:
        return None
    window = before - 600
    for start, mention, is_subject in reversed(candidates):
        if start < window:
            break
        if is_subject:
            return mention.start_char, mention.end_char
    mention = candidates[-1][1]
    return mention.start_char, mention.end_char


def resolve_description(
    a: DocAnalysis, source: tuple[int, int], head: Token
) -> tuple[int, int] | None:
    """'the Ukrainian leader': the nearest preceding person described with those words."""
    words = {t.lower_ for t in head.subtree if t.pos_ in ("ADJ", "NOUN", "PROPN")}
    best: tuple[float, int, Span] | None = None
    for start, mention, _ in a.mentions():
        if start >= source[0] or mention.label_ not in PERSON_LABELS:
            continue
        context = {
            t.lower_ for t in a.doc[max(0, mention.start - 4) : mention.start]
        } | {t.lower_ for child in mention.root.children if child.dep_ == "appos"
             for t in child.subtree}
        score = len(words & context)
        if head.lower_ == "leader" and context & ROLE_NOUNS:
            score += 0.5
        if best is None or score >= best[0]:
            best = (score, start, mention)
    if best is None:
        return None
    return best[2].start_char, best[2].end_char
