"""Sentiment toward a target: the clause around a mention, tuned on NewsMTSC train
(docs/sentiment.md)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .vader import NEUTRAL_BAND, VaderResult

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


# Target scoring, tuned on NewsMTSC train (docs/sentiment.md): words outside the target's
# clause count with weight OUTSIDE_CLAUSE_DECAY ** (dependency distance - 1) from the target.
OUTSIDE_CLAUSE_DECAY = 0.8
NEGATIVE_WEIGHT = 2.0
EMBEDDED_WEIGHT = 0.2
QUOTE_WEIGHT = 0.6
SKIPPED_POS = frozenset({"PROPN", "ADP", "SCONJ", "CCONJ", "DET", "PRON", "PART", "AUX", "NUM"})
# Raw target scores in [NEGATIVE_FROM, POSITIVE_FROM] are mapped into VADER's neutral band.
NEGATIVE_FROM = -0.15
POSITIVE_FROM = 0.075
CLAUSE_DEPS = frozenset(
    {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "csubj", "parataxis", "acl", "pcomp"}
)
VERBAL = frozenset({"VERB", "AUX"})
# VADER strips only ASCII punctuation and spots "n't" only with a straight apostrophe, so
# "terrific.”" and "don’t" escape it. Target scoring (never the stock sentence scores) reads
# typographic marks as their ASCII forms; one character for one keeps every offset.
PLAIN_PUNCTUATION = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": " ", "–": " "})


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence scored once for all the targets in it: VADER's words (offsets relative
    to ``start``), quotation contents and the token index of each word."""

    start: int
    result: VaderResult
    quotes: tuple[tuple[int, int], ...]
    tokens: tuple[int, ...]


@dataclass(frozen=True)
class TargetSentiment:
    score: float
    raw: float
    evidence: tuple[int, int]


def calibrate(raw: float) -> float:
    """Map a raw clause score onto VADER's convention (|score| < 0.05 is neutral).

    Raw scores in [NEGATIVE_FROM, POSITIVE_FROM] land inside the neutral band (0 stays 0);
    outside it the mapping is linear and order-preserving up to +-1.
    """
    inner = NEUTRAL_BAND * 0.99
    if raw < NEGATIVE_FROM:
        return -NEUTRAL_BAND - (1 - NEUTRAL_BAND) * (NEGATIVE_FROM - raw) / (1 + NEGATIVE_FROM)
    if raw > POSITIVE_FROM:
        return NEUTRAL_BAND + (1 - NEUTRAL_BAND) * (raw - POSITIVE_FROM) / (1 - POSITIVE_FROM)
    if raw < 0:
        return -inner * raw / NEGATIVE_FROM
    return inner * raw / POSITIVE_FROM if POSITIVE_FROM else 0.0


@dataclass
class TargetContext:
    """Per-article state shared by the targets of one Doc: its text, its sentences (token
    ranges) and each sentence scored once."""

    text: str
    sentences: list[tuple[int, int]]
    scored: dict[tuple[int, int], ScoredSentence] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc, text: str | None = None) -> TargetContext:
        """Sentences as the pipeline splits them, and split again after line breaks (as
        the sentence annotations are), so a headline is never scored with its lede."""
        text = doc.text if text is None else text
        ranges = [(s.start, s.end) for s in doc.sents] if doc.has_annotation("SENT_START") else []
        sentences = []
        for start, end in ranges or [(0, len(doc))]:
            for token in doc[start:end]:
                if "\n" in token.text_with_ws and token.i + 1 < end:
                    sentences.append((start, token.i + 1))
                    start = token.i + 1
            sentences.append((start, end))
        return cls(text, sentences)

    def sentence_of(self, doc: Doc, span: Span) -> Span:
        """The sentence(s) containing ``span``."""
        starts = [start for start, _ in self.sentences]
        first = self.sentences[max(bisect.bisect_right(starts, span.start) - 1, 0)]
        last = self.sentences[max(bisect.bisect_right(starts, span.end - 1) - 1, 0)]
        return doc[first[0] : max(first[1], last[1])]


def clause_root(token: Token) -> Token:
    """The nearest verbal clause head above ``token`` (the sentence root at worst)."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in VERBAL and current.dep_ in CLAUSE_DEPS:
            return current
    return current


def clause_tokens(root: Token, target: set[int]) -> tuple[set[int], set[int]]:
    """The clause's subtree minus the embedded clauses that do not contain the target,
    and those embedded clauses (often reported speech: "X said [that ...]")."""
    keep = {t.i for t in root.subtree}
    embedded: set[int] = set()
    for child in root.children:
        if child.dep_ in CLAUSE_DEPS and child.pos_ in VERBAL:
            inner = {t.i for t in child.subtree}
            if not inner & target:
                embedded |= inner
    return keep - embedded, embedded


def tree_distance(anchor: dict[int, int], token: Token) -> int:
    """Edges between ``token`` and the anchor token, whose ancestors index ``anchor``."""
    steps = 0
    current = token
    while current.i not in anchor:
        if current.head.i == current.i:
            return 99
        current = current.head
        steps += 1
    return steps + anchor[current.i]
