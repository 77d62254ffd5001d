"""Who a speaker is: the longest person's (else group's) name inside a source span, or
the named person a pronoun or a description ("the Ukrainian leader") refers to.
Heuristics, not coreference."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from .document import GROUP_LABELS, PERSON_LABELS, is_outlet

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .document import DocAnalysis

# a name and a coordinator opening a source: "Kyiv and international observers"
LEADING_CONJUNCT = re.compile(r"(?P<name>(?:[A-Z][\w’'.-]*\s*){1,3}?)\s*(?:,|and|or|&)\s+")
POSSESSIVE = re.compile(r"[’']s$")  # "Trump’s" when the entity took the case
SPEAKER_PRONOUNS = frozenset("he she they it who him her them".split())
PRONOUN_WINDOW = 600
SENTENCE_WINDOW = 2  # a pronoun's antecedent is in its sentence or the two before
ROLE_NOUNS = frozenset(
    """president leader minister chancellor premier prime secretary spokesman spokeswoman
    spokesperson official envoy ambassador governor senator candidate chief director
    chairman chairwoman head king queen mayor general""".split()
)


class LastSpeaker(NamedTuple):
    """The last speaker before a cue: the span it resolves to, and where it was named
    (the same span, unless a description or pronoun named it: "The Ukrainian president")."""

    resolved: tuple[int, int]
    mention: tuple[int, int]


def speaker_name(
    analysis: DocAnalysis, source: tuple[int, int] | None, head: Token,
    previous: LastSpeaker | None = None,
) -> tuple[str | None, tuple[int, int] | None]:
    """The literal speaker name, and the span a pronoun or description resolves to.

    A pronoun nearer to where the ``previous`` speaker was named than to any named person
    refers to that speaker ("“…,” the inspector said. “…,” she added.").
    """
    if source is None:
        return None, None
    mentions = analysis.mentions()
    def holds_head(mention: Span) -> bool:
        return mention.start <= head.i < mention.end

    inside = [  # a group (NORP) or a possessor only as the head: "Democrats", not "the
        m for _, m, _ in mentions  # Ukrainian leader"; not "Trump" in "Trump's aides"
        if source[0] <= m.start_char < source[1] and not is_outlet(m.text) and (
            holds_head(m) or m.label_ in ("PERSON", "ORG") and m.root.dep_ != "poss"
        )
    ]
    if inside:  # "US Defense Secretary Pete Hegseth": the name the head is in, else the
        people = [m for m in inside if m.label_ in PERSON_LABELS]  # longest person or group
        headed = [m for m in inside if holds_head(m)]
        name = (headed or [max(people or inside, key=len)])[0].text
        return POSSESSIVE.sub("", name), None
    if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
        noun = head.head.head
        named = [m for _, m, _ in mentions if m.start <= noun.i < m.end]
        if named:
            return None, (named[0].start_char, named[0].end_char)
    if head.lower_ in SPEAKER_PRONOUNS:
        named = resolve_pronoun(analysis, source[0], head.lower_)
        if previous is not None and (mention := previous.mention)[1] <= source[0] and (
            named is None or named[0] < mention[0]
        ) and source[0] - mention[0] <= PRONOUN_WINDOW and not (
            _subject_between(analysis, mention[1], source[0])
        ):
            return None, previous.resolved
        return None, named
    apposed = _apposed_person(analysis, source)
    if apposed is not None:  # "the referee, Olu Adeyemi"
        return None, apposed
    if head.pos_ in ("NOUN", "PROPN") and head.lower_ in ROLE_NOUNS | {"leader"}:
        return None, resolve_description(analysis, source, head)
    if head.pos_ == "PROPN" and head.text[:1].isupper():  # a name the NER missed
        doc, first, last = head.doc, head.i, head.i

        def in_name(i: int) -> bool:
            return 0 <= i < len(doc) and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper() and (
                source[0] <= doc[i].idx < source[1]
            )

        while in_name(first - 1):
            first -= 1
        while in_name(last + 1):
            last += 1
        return analysis.text[doc[first].idx : doc[last].idx + len(doc[last])], None
    return _without_relative_clause(analysis, source, head), None


def _without_relative_clause(analysis: DocAnalysis, source: tuple[int, int], head: Token) -> str:
    """The source's words up to a relative clause on its head ("a Wall Street Journal
    article", not "… article that"), without a place, outlet or date conjoined before them
    ("international observers", not "Kyiv and international observers"). The span stays
    as parsed."""
    start, end = source
    for child in head.children:
        if child.dep_ == "relcl" and start < child.left_edge.idx < end:
            end = child.left_edge.idx
    name = analysis.text[start:end].rstrip(" ,")
    while (leading := LEADING_CONJUNCT.match(name)) and (
        analysis.non_speaker(leading["name"].rstrip())
    ):
        name = name[leading.end() :]
    return name


def _subject_between(analysis: DocAnalysis, start: int, end: int) -> bool:
    """A noun is a sentence's subject between the two offsets, outside quotes: a new
    person may have come in ("The club's owner was less worried. “…,” he said.")."""
    span = analysis.doc.char_span(start, end, alignment_mode="contract")
    return span is not None and any(
        t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and t.pos_ == "NOUN"
        and not analysis.in_quote(t.idx) for t in span
    )


def _apposed_person(analysis: DocAnalysis, source: tuple[int, int]) -> tuple[int, int] | None:
    """A person named right after a description, set off by a comma: "the referee, Olu
    Adeyemi" (the parser often leaves the name out of the description's phrase). The name
    is a PERSON entity, or two or more capitalised proper nouns."""
    if not analysis.text.startswith(", ", source[1]):
        return None
    for start, mention, _ in analysis.mentions():
        if start == source[1] + 2 and mention.label_ in PERSON_LABELS:
            return mention.start_char, mention.end_char
    first = analysis.doc.char_span(source[1] + 2, source[1] + 3, alignment_mode="expand")
    if first is None or not analysis.has_pos:
        return None
    name = []
    for token in analysis.doc[first.start : first.start + 4]:
        if token.pos_ != "PROPN" or not token.text[:1].isupper():
            break
        name.append(token)
    if len(name) < 2:
        return None
    return name[0].idx, name[-1].idx + len(name[-1])


def resolve_pronoun(analysis: DocAnalysis, before: int, pronoun: str) -> tuple[int, int] | None:
    """The nearest preceding name of the right kind (he/she: a person; they/it: a person or
    group) that is a clause's subject in the same or one of the two previous sentences."""
    groups = pronoun in ("it", "they", "them")
    labels = GROUP_LABELS | PERSON_LABELS if groups else PERSON_LABELS
    token = analysis.doc.char_span(before, before + 1, alignment_mode="expand")
    if token is None or not analysis.has_parse:
        return None
    sentence = token[0].sent
    for _ in range(SENTENCE_WINDOW):
        if sentence.start > 0:
            sentence = analysis.doc[sentence.start - 1].sent
    earliest = sentence.start_char
    for start, mention, is_subject in reversed(analysis.mentions()):
        if earliest <= start < before and is_subject and mention.label_ in labels and not (
            analysis.in_quote(start)  # names quoted are not speakers
        ):
            return mention.start_char, mention.end_char
    return None


def resolve_description(
    analysis: DocAnalysis, source: tuple[int, int], head: Token
) -> tuple[int, int] | None:
    """'the Ukrainian leader': the nearest preceding person described with those words.
    A nationality or place in the description must describe the person too; with none,
    the person's description must share a word ("the president": "President X")."""
    words = {t.lower_ for t in head.subtree if t.pos_ in ("ADJ", "NOUN", "PROPN")}
    origins = {t.lower_ for t in head.subtree if t.ent_type_ in ("NORP", "GPE")}
    best: tuple[float, int, Span] | None = None
    for start, mention, _ in analysis.mentions():
        if start >= source[0] or mention.label_ not in PERSON_LABELS:
            continue
        context = {
            t.lower_ for t in analysis.doc[max(0, mention.start - 4) : mention.start]
        } | {t.lower_ for child in mention.root.children if child.dep_ == "appos"
             for t in child.subtree}
        if not words & context or not origins <= context:
            continue
        score = len(words & context)
        if best is None or score >= best[0]:
            best = (score, start, mention)
    if best is None:
        return None
    return best[2].start_char, best[2].end_char
