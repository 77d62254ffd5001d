"""Speaking turns: which cue each quotation belongs to.

A quotation is the content of at most one cue, the nearest in its paragraph. A quotation
no cue claims continues the turn of the cue before it, when nothing but that cue's own
sentence lies between them: the rest of a quote interrupted by its cue ("“When the rain
came,” she said, with a tired smile, “the roof gave way.”"), and the quoted sentences and
paragraphs that follow a quote without a new speaker ("“The budget is broken,” the mayor
said. “We start again in May.”"). Those become cues marked ``continuation``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotator import Quote

from .content import WORDLESS_CATEGORIES
from .cue import Cue

if TYPE_CHECKING:
    from .document import DocAnalysis

# a sentence end: . ! ? or … (after closing marks), then space; not "Mr." or an initial
SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr|\bMs|\bDr|\bSt)(?<!\bMrs)[.!?…][”\"’'»)]*\s")
INTERPOSED_CHARS = 120


def assign_quotes(analysis: DocAnalysis, cues: list[Cue]) -> list[Cue]:
    """``cues`` with each quotation claimed by one cue only, plus continuation cues, in
    document order."""
    claimed = _claim_each_quote_once(analysis, cues)
    found: list[Cue] = []
    turn: tuple[Cue, int] | None = None  # the cue whose turn is open, and where it ends
    unclaimed = [q for q in analysis.top_quotes if q.start not in claimed]
    events: list[tuple[int, Cue | None, Quote | None]] = sorted(
        [(cue.start, cue, None) for cue in cues] + [(q.start, None, q) for q in unclaimed],
        key=lambda event: (event[0], event[1] is None),
    )
    for _, opening, quote in events:
        if opening is not None:
            found.append(opening)
            turn = _turn_of(opening)
            continue
        assert quote is not None
        if turn is None or _inside(quote, turn[0].content):
            continue
        cue, end = turn
        speech = analysis.is_speech(quote) or not quote.balanced
        if _resumes(analysis, cue, end, quote) or speech and _follows(analysis, end, quote):
            continuation = cue.continued_by((quote.start, quote.end))
            found.append(continuation)
            turn = continuation, quote.end
        elif speech:
            turn = None  # someone else's words, or words no cue accounts for
    return found


def _claim_each_quote_once(analysis: DocAnalysis, cues: list[Cue]) -> set[int]:
    """Starts of the quotations that are some cue's direct content. Where two cues claim
    one, the cue in the quotation's paragraph and nearest to it keeps it."""
    owners: dict[int, Cue] = {}
    for cue in cues:
        if cue.quote_type != "direct" or cue.content is None:
            continue
        start = cue.content[0]
        rival = owners.get(start)
        if rival is None or _distance(analysis, cue) < _distance(analysis, rival):
            if rival is not None:
                rival.content = rival.quote_type = None
            owners[start] = cue
        else:
            cue.content = cue.quote_type = None
    return set(owners)


def _distance(analysis: DocAnalysis, cue: Cue) -> tuple[bool, int]:
    assert cue.content is not None
    start, end = cue.content
    gap = (end, cue.start) if end <= cue.start else (cue.end, start)
    return not analysis.same_paragraph(*gap), gap[1] - gap[0]


def _turn_of(cue: Cue) -> tuple[Cue, int] | None:
    """A cue opens a turn when it reports someone's words: where its sentence parts end."""
    if cue.entry.category in WORDLESS_CATEGORIES or cue.content is None and cue.source is None:
        return None
    return cue, max(cue.end, *(span[1] for span in (cue.content, cue.source) if span))


def _inside(quote: Quote, content: tuple[int, int] | None) -> bool:
    return content is not None and content[0] <= quote.start and quote.end <= content[1]


def _resumes(analysis: DocAnalysis, cue: Cue, turn_end: int, quote: Quote) -> bool:
    """The quote the cue interrupted goes on after it, in the same sentence, after a comma
    or a dash: “…,” she said, with a tired smile, “…”."""
    if cue.continuation or cue.content is None or cue.content[1] > cue.start:
        return False
    gap = analysis.text[turn_end : quote.start]
    return len(gap) <= INTERPOSED_CHARS and "\n" not in gap and gap.rstrip()[-1:] in ",:—–-" and (
        not SENTENCE_END.search(gap + " ")
    )


def _follows(analysis: DocAnalysis, turn_end: int, quote: Quote) -> bool:
    """The quote is the next sentence or paragraph after the turn, and a sentence of its
    own: only the rest of the turn's sentence lies between them."""
    if not analysis.opens_sentence(quote) or quote.balanced and not (
        analysis.closes_sentence(quote)
    ):
        return False
    gap = analysis.text[turn_end : quote.start]
    if not gap.strip():
        ended = analysis.text[:turn_end].rstrip("”\"’'» ")
        return ended[-1:] in ".!?…"
    end = SENTENCE_END.search(gap)
    return end is not None and "\n" not in gap[: end.start()] and not gap[end.end() :].strip()
