"""Valence: which way a loaded term leans (negative, positive or neutral), and why."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

VADER_CUTOFF = 0.5  # |mean VADER valence| below this (on VADER's -4..4 scale) is neutral


@cache
def vader_lexicon() -> dict[str, float]:
    """VADER's word valences (vaderSentiment's stock lexicon)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().lexicon


def vader_valence(words: Iterable[str]) -> str | None:
    """The sign of the mean VADER valence of the words VADER knows, or None if it knows none."""
    lexicon = vader_lexicon()
    scores = [lexicon[w] for w in (word.lower() for word in words) if w in lexicon]
    if not scores:
        return None
    mean = sum(scores) / len(scores)
    if mean >= VADER_CUTOFF:
        return "positive"
    if mean <= -VADER_CUTOFF:
        return "negative"
    return "neutral"


def valence(
    entry_valence: str | None, words: Iterable[str], category_valence: str | None
) -> tuple[str, str]:
    """(valence, where it came from): the lexicon entry, else VADER, else the category."""
    if entry_valence:
        return entry_valence, "lexicon"
    from_vader = vader_valence(words)
    if from_vader:
        return from_vader, "vader"
    return category_valence or "neutral", "category"
