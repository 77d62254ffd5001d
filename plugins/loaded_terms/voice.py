"""Voice: is a loaded word the outlet's own choice, or quoted from a source (and whose)?

It reads the quotations in the text and the ``attribution`` annotator's cues (the
records as written to the output file): a word inside a quotation is ``quoted``, and
its speaker is the source of the cue whose content holds that quotation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator import Quote


@dataclass(frozen=True)
class Voice:
    voice: str  # "own" or "quoted"
    speaker: Mapping[str, Any] | None = None  # a sub-span {start, end, text}


OWN = Voice("own")


def _span(value: Any) -> Mapping[str, Any] | None:
    if isinstance(value, Mapping) and value.get("end", 0) > value.get("start", 0):
        return value
    return None


def speakers(attribution: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, Mapping[str, Any]]]:
    """(content start, content end, speaker sub-span) of each attribution cue that has both.

    The speaker is the resolved name when the source is a pronoun or description
    ("he" -> "Michael Steele"), else the source as written.
    """
    found = []
    for record in attribution:
        attributes = record.get("attributes") or {}
        content = _span(attributes.get("content"))
        speaker = _span(attributes.get("source_resolved")) or _span(attributes.get("source"))
        if record.get("label") == "cue" and content and speaker:
            found.append((content["start"], content["end"], speaker))
    return found


def voice_of(
    start: int,
    end: int,
    quotes: Sequence[Quote],
    cues: Sequence[tuple[int, int, Mapping[str, Any]]],
) -> Voice:
    """The voice of the span [start, end): quoted when a quotation holds it, with the
    speaker of the cue whose content overlaps that quotation most (None when no cue does)."""
    holding = [q for q in quotes if q.start <= start and end <= q.end]
    if not holding:
        return OWN
    quote = min(holding, key=lambda q: q.end - q.start)  # the innermost quotation
    best, best_overlap = None, 0
    for content_start, content_end, speaker in cues:
        shared = min(content_end, quote.end) - max(content_start, quote.start)
        if shared > best_overlap:
            best, best_overlap = speaker, shared
    return Voice("quoted", dict(best) if best else None)
