"""Scare quotes: short quotations used as labels in the outlet's own sentence."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from annotator import sub_span

if TYPE_CHECKING:
    from annotator import Quote

SENTENCE_END = re.compile(r"[.!?…](?=\s*\S)|[!?]")
LABELING_CUES = frozenset(
    """call label brand dub term describe deem denounce decry refer name characterize
    characterise portray cast style tag""".split()
)
REPORTING_VERBS = frozenset(
    """say tell add ask write state declare insist claim argue explain warn note
    announce reply respond tweet post continue conclude""".split()
)
SCARE_QUOTE_MODES = ("labels", "all", "none")
SCARE_QUOTE_RATIONALE = (
    "A short quotation used as a label: the outlet holds the word at arm's length."
)


def _preceding_words(text: str, start: int, count: int) -> list[str]:
    return re.findall(r"[\w’']+", text[max(0, start - 60) : start])[-count:]


def scare_quote(text: str, quote: Quote, max_words: int) -> dict[str, Any] | None:
    """Attributes when a quote is a short label in the outlet's sentence, else None.

    A scare quote has 1..max_words words, no sentence-ending punctuation inside
    (a single trailing period or comma before the closing mark is typography),
    and is not an utterance introduced by a reporting verb plus comma or colon.
    """
    if not quote.balanced:
        return None
    content = text[quote.content_start : quote.content_end]
    words = re.findall(r"\w[\w’'-]*", content)
    if not 1 <= len(words) <= max_words:
        return None
    if SENTENCE_END.search(content.rstrip(".,").rstrip()):
        return None
    lead = text[max(0, quote.start - 3) : quote.start].rstrip()
    if lead.endswith((":", ",")) and not re.search(r"[,:]\s*$", content):
        before = _preceding_words(text, quote.start, 3)
        if any(_base(word) in REPORTING_VERBS for word in before):
            return None
    previous = _preceding_words(text, quote.start, 4)
    cue = next((w for w in reversed(previous) if _base(w) in LABELING_CUES), None)
    return {
        "words": len(words),
        "content": sub_span(text, quote.content_start, quote.content_end),
        "labeling_cue": cue,
    }


def _base(word: str) -> str:
    """A crude verb base for cue lookup: labeled -> label, branding -> brand, calls -> call."""
    word = word.lower()
    for suffix, replacement in (("ied", "y"), ("led", "l"), ("ed", ""), ("ing", ""), ("s", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement:
            stem = word[: -len(suffix)] + replacement
            if stem in LABELING_CUES | REPORTING_VERBS:
                return stem
            if stem + "e" in LABELING_CUES | REPORTING_VERBS:
                return stem + "e"
    return word
