"""What the parse says around a hit: negation, and the phrase the term frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NEGATORS = frozenset({"not", "n't", "never", "no", "nor", "neither", "without", "hardly"})


def is_negated(head: Token | None) -> bool | None:
    """Whether a negation governs the word (None when the doc has no parse)."""
    if head is None or not head.doc.has_annotation("DEP"):
        return None
    governors = [head]
    if head.dep_ in {"acomp", "attr", "xcomp", "dobj", "ccomp", "oprd", "amod"}:
        governors.append(head.head)
        if head.dep_ == "amod" and head.head.dep_ in {"attr", "acomp", "dobj"}:
            governors.append(head.head.head)
    return any(
        child.dep_ == "neg" or (child.dep_ in {"det", "advmod"} and child.lower_ in NEGATORS)
        for governor in governors
        for child in governor.children
    )


def noun_chunk_bounds(doc: Doc) -> dict[int, tuple[int, int]]:
    """Token index -> (start, end) of the base noun phrase holding it; {} without a parse."""
    if not doc.has_annotation("DEP"):
        return {}
    try:
        chunks = list(doc.noun_chunks)
    except NotImplementedError:  # a pipeline for a language without a noun-chunk iterator
        return {}
    return {i: (chunk.start, chunk.end) for chunk in chunks for i in range(chunk.start, chunk.end)}


def framed_phrase(
    doc: Doc, start: int, end: int, chunks: dict[int, tuple[int, int]]
) -> tuple[int, int]:
    """The term plus the words it directly frames, by the parse; the term alone without one.

    An adjective takes the noun it modifies ("brutal regime"), an adverb the
    adjective or adverb right after it ("utterly ridiculous"), and the result
    widens to its base noun phrase ("a corrupt city council") without crossing
    punctuation, so a quoted label keeps its quote marks outside.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span) or not chunks:
        return start, end
    head, first, last = span.root, span.start, span.end - 1
    if head.dep_ == "amod" and 0 < head.head.i - last <= 3:
        last = head.head.i
    elif head.dep_ == "advmod" and head.head.pos_ in {"ADJ", "ADV"} and 0 < head.head.i - last <= 2:
        last = head.head.i
    chunk_start, chunk_end = chunks.get(last, chunks.get(head.i, (first, last + 1)))
    while first > chunk_start and not doc[first - 1].is_punct:
        first -= 1
    while last < chunk_end - 1 and not doc[last + 1].is_punct:
        last += 1
    return doc[first].idx, doc[last].idx + len(doc[last].text)
