"""How the outlet frames a cue: the lexicon stance, changed by adverbs, phrases around the
cue ("without evidence", "contrary to …") and scare-quoted objects."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cue import Cue
    from .document import DocAnalysis
    from .lexicon import Lexicon


def decide_stance(
    lexicon: Lexicon, analysis: DocAnalysis, cue: Cue, next_cue: int | None
) -> None:
    """Lexicon stance, then adverbs, phrases around the cue and scare-quoted objects."""
    stance = cue.entry.stance
    modifier = None
    text = analysis.text
    span_words = re.findall(r"[\w’'-]+", text[cue.start : cue.end].lower())
    after = _sentence_after(analysis, cue)
    if next_cue is not None:
        after = after[: max(0, next_cue - cue.end)]
    next_word = re.match(r"[\s,]*([\w-]+)", after)
    candidates = span_words + ([next_word.group(1).lower()] if next_word else [])
    found: list[tuple[str, str]] = []
    for word in candidates:
        adverb = lexicon.adverbs.get(word)
        if adverb is not None:
            found.append((adverb.effect, word))
    for mod in lexicon.following:
        match = mod.pattern.search(after)
        if match:
            found.append((mod.effect, match.group(0).strip()))
    before = _sentence_before(analysis, cue)
    for mod in lexicon.preceding:
        match = mod.pattern.search(before)
        if match:
            found.append((mod.effect, match.group(0).strip()))
    scare = _scare_quoted_object(analysis, cue)
    if scare is not None:
        found.append(("distancing", scare))
    strongest = {effect: phrase for effect, phrase in reversed(found)}
    if "discrediting" in strongest:
        stance, modifier = "discrediting", strongest["discrediting"]
    elif "endorsing" in strongest:
        stance, modifier = "endorsing", strongest["endorsing"]
    elif "distancing" in strongest and stance in ("neutral", "endorsing"):
        stance, modifier = "distancing", strongest["distancing"]
    cue.stance, cue.modifier = stance, modifier


def _sentence_bounds(analysis: DocAnalysis, cue: Cue) -> tuple[int, int]:
    if cue.head is not None and analysis.doc.has_annotation("SENT_START"):
        sent = cue.head.sent
        return sent.start_char, sent.end_char
    text = analysis.text
    start = max(text.rfind(". ", 0, cue.start), text.rfind("\n", 0, cue.start)) + 1
    ends = [i for i in (text.find(". ", cue.end), text.find("\n", cue.end)) if i >= 0]
    return start, min(ends) if ends else len(text)


def _sentence_after(analysis: DocAnalysis, cue: Cue) -> str:
    """Text after the cue up to the next cue-worthy boundary in its sentence."""
    _, end = _sentence_bounds(analysis, cue)
    return analysis.text[cue.end : min(end, cue.end + 200)]


def _sentence_before(analysis: DocAnalysis, cue: Cue) -> str:
    start, _ = _sentence_bounds(analysis, cue)
    return analysis.text[max(start, cue.start - 120) : cue.start]


def _scare_quoted_object(analysis: DocAnalysis, cue: Cue) -> str | None:
    """A short quotation that is the cue verb's object itself, not words inside its
    clause: labeled him a “dictator”, called the plan “unrealistic”, praised it as
    “promising”. Without a parse: a short quote right after the cue. Never the quote the
    cue introduces ('According to X, “cats run the house.”')."""
    if cue.entry.role in ("speaker_label", "trailing_label"):
        return None
    own = cue.content[0] if cue.quote_type == "direct" and cue.content else None
    index = bisect_right(analysis.quote_starts, cue.end)
    nearby = [q for q in analysis.quotes[index : index + 3]
              if q.start >= cue.end and q.start != own and not analysis.is_speech(q)]
    if cue.head is None or not analysis.has_parse:
        for quote in nearby:
            gap = analysis.text[cue.end : quote.start]
            if len(gap) <= 40 and not re.search(r"[.!?;]\s", gap):
                return analysis.text[quote.start : quote.end]
        return None
    heads = []
    for child in cue.head.children:
        if child.i < cue.head.i:
            continue
        if child.dep_ in ("dobj", "oprd", "attr", "xcomp", "acomp") or (
            child.dep_ == "ccomp" and child.pos_ in ("ADJ", "NOUN") and not any(
                c.dep_ in ("aux", "auxpass", "mark", "cop") for c in child.children
            )
        ):
            heads.append(child)
        elif child.dep_ == "prep" and child.lower_ == "as":
            heads += [t for t in child.children if t.dep_ == "pobj"]
    for quote in nearby:
        if any(quote.content_start <= h.idx < quote.content_end for h in heads):
            return analysis.text[quote.start : quote.end]
    return None
