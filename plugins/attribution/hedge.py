"""Hedges ("reportedly", "so-called") and vague sources ("officials said") around the cues."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from annotator import Annotation, lowercase_for_prescan

from .document import PERSON_LABELS

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .cue import Cue
    from .document import DocAnalysis
    from .lexicon import Lexicon


def quantifies_plural_subject(doc: Doc, end: int) -> bool:
    """Whether the word ending at ``end`` is, or modifies, a plural noun that is the
    subject of a clause ("some critics say", "many senior officials doubt"): an unnamed
    group holding a view, not a count of things ("many steps"); true on a Doc without a
    parse, which cannot tell."""
    if not doc.has_annotation("DEP"):
        return True
    span = doc.char_span(end - 1, end, alignment_mode="expand")
    if span is None:
        return False
    word = span[-1]
    noun = word if word.pos_ in ("NOUN", "PROPN") or word.head is word else word.head
    return noun.tag_ in ("NNS", "NNPS") and noun.dep_ in ("nsubj", "nsubjpass")


def has_no_subject(doc: Doc, start: int, end: int) -> bool:
    """Whether no word of [start, end) has an active subject of its own ("he believed"
    reports a belief: a cue, not a hedge); true on a Doc without a parse."""
    if not doc.has_annotation("DEP"):
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is None or not any(c.dep_ == "nsubj" for t in span for c in t.children)


def hedge_annotations(lexicon: Lexicon, text: str, analysis: DocAnalysis) -> Iterator[Annotation]:
    """Hedge phrases from the lexicon, outside direct quotes, longest match first."""
    hits: list[tuple[int, int, str, str]] = []
    lower = lowercase_for_prescan(text)
    for hedge in lexicon.hedges:
        for match in hedge.pattern.finditer(text, lower):
            if hedge.requires == "plural_subject" and not quantifies_plural_subject(
                analysis.doc, match.end()
            ) or hedge.requires == "no_subject" and not has_no_subject(
                analysis.doc, match.start(), match.end()
            ):
                continue
            hits.append((match.start(), match.end(), hedge.entry, hedge.category))
    hits.sort(key=lambda h: (h[0], -h[1]))
    last_end = -1
    for start, end, entry, category in hits:
        if start < last_end or analysis.in_quote(start):
            continue
        last_end = end
        yield Annotation("hedge", start, end, attributes={"entry": entry, "category": category})


def vague_source_annotations(
    lexicon: Lexicon, cues: Iterable[Cue], analysis: DocAnalysis
) -> Iterator[Annotation]:
    """Cues whose speaker is unnamed: 'officials said', 'critics claim', 'some argue'."""
    doc = analysis.doc
    for cue in cues:
        if cue.continuation:
            continue
        if cue.source is not None and cue.source_head is not None:
            head = cue.source_head
            category = lexicon.vague_words.get(head.lower_) or (
                lexicon.vague_words.get(head.lemma_.lower()) if analysis.has_lemma else None
            )
            if category is None or head.pos_ == "PROPN" or any(
                m.label_ in PERSON_LABELS for _, m, _ in analysis.mentions()
                if cue.source[0] <= m.start_char < cue.source[1]
            ):
                continue
            start, end = min(cue.source[0], cue.start), max(cue.source[1], cue.end)
            if end - start > 160:
                start, end = cue.source
            yield Annotation("vague_source", start, end, attributes={
                "entry": head.lower_, "category": category,
            })
        elif not analysis.has_parse and cue.head is not None:
            for token in reversed(doc[max(0, cue.head.i - 4) : cue.head.i]):
                if token.is_punct:
                    break
                category = lexicon.vague_words.get(token.lower_)
                if category is not None:
                    yield Annotation("vague_source", token.idx, cue.end, attributes={
                        "entry": token.lower_, "category": category,
                    })
                    break
