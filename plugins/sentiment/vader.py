"""Stock VADER with offsets: the words that moved a score and the rules that fired, read
from VADER's own lexicon and rules."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaderSentiment.vaderSentiment import (
    B_INCR,
    BOOSTER_DICT,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    negated,
)

if TYPE_CHECKING:
    pass

NEUTRAL_BAND = 0.05  # VADER's documented cut: compound >= 0.05 positive, <= -0.05 negative
NON_SPACE = re.compile(r"\S+")


@dataclass(frozen=True)
class VaderResult:
    """VADER's scores for one text, with its words (offsets relative to the text) and the
    final valence each contributed, after VADER's rules."""

    scores: dict[str, float]
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    valences: tuple[float, ...]
    cap_differential: bool


def _vader_words(
    analyzer: SentimentIntensityAnalyzer, text: str
) -> tuple[str, list[str], list[tuple[int, int]]]:
    """VADER's emoji-expanded text, its words, and each word's span in ``text``.

    Mirrors ``polarity_scores`` (emoji descriptions, whitespace split, punctuation strip)
    while tracking which character of ``text`` every expanded character came from.
    """
    if analyzer.emojis.keys().isdisjoint(text):
        expanded, origin = text, None
    else:
        chars: list[str] = []
        origins: list[int] = []
        prev_space = True
        for i, char in enumerate(text):
            description = analyzer.emojis.get(char)
            if description is None:
                chars.append(char)
                origins.append(i)
                prev_space = char == " "
                continue
            if not prev_space:
                chars.append(" ")
                origins.append(i)
            chars.extend(description)
            origins.extend([i] * len(description))
            prev_space = False
        expanded, origin = "".join(chars), origins
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in NON_SPACE.finditer(expanded):
        token = match.group()
        stripped = token.strip(string.punctuation)
        if len(stripped) <= 2:  # VADER keeps short tokens whole: emoticons like :)
            stripped, low = token, match.start()
        else:
            low = match.start() + token.index(stripped)
        high = low + len(stripped)
        words.append(stripped)
        spans.append((low, high) if origin is None else (origin[low], origin[high - 1] + 1))
    return expanded.strip(), words, spans


def vader_score(analyzer: SentimentIntensityAnalyzer, text: str) -> VaderResult:
    """Score ``text`` exactly as ``analyzer.polarity_scores`` does, keeping per-word valences."""
    expanded, words, spans = _vader_words(analyzer, text)
    sentitext = SentiText(expanded)
    items = sentitext.words_and_emoticons
    sentiments: list[float] = []
    lexicon = analyzer.lexicon
    for i, item in enumerate(items):
        lowered = item.lower()
        if (
            lowered not in lexicon
            or lowered in BOOSTER_DICT
            or (lowered == "kind" and i < len(items) - 1 and items[i + 1].lower() == "of")
        ):
            sentiments.append(0)  # what sentiment_valence gives a word outside the lexicon
            continue
        sentiments = analyzer.sentiment_valence(0, sentitext, item, i, sentiments)
    sentiments = analyzer._but_check(items, sentiments)
    scores = analyzer.score_valence(sentiments, expanded)
    return VaderResult(
        scores=scores,
        words=tuple(items),
        spans=tuple(spans),
        valences=tuple(float(v) for v in sentiments),
        cap_differential=sentitext.is_cap_diff,
    )


def lexicon_view(
    analyzer: SentimentIntensityAnalyzer, lexicon: Mapping[str, float]
) -> SentimentIntensityAnalyzer:
    """An analyser sharing ``analyzer``'s rules and emoji table but reading ``lexicon``.

    Built without re-reading VADER's files; the shared analyser is never mutated, so
    views are safe to make per call.
    """
    view = object.__new__(SentimentIntensityAnalyzer)
    view.lexicon = lexicon
    view.emojis = analyzer.emojis
    return view


def fired_rules(
    analyzer: SentimentIntensityAnalyzer, result: VaderResult, text: str
) -> list[tuple[str, int | None, int | None]]:
    """The VADER rules that changed a valence: (rule, cue word index, affected word index).

    Follows the conditions of ``SentimentIntensityAnalyzer.sentiment_valence``,
    ``_negation_check``, ``_least_check``, ``_special_idioms_check``, ``_but_check`` and
    ``_punctuation_emphasis``; punctuation rules carry no word index.
    """
    lexicon = analyzer.lexicon
    lowered = [w.lower() for w in result.words]
    fired: list[tuple[str, int | None, int | None]] = []
    for i, word in enumerate(lowered):
        if word not in lexicon or word in BOOSTER_DICT or result.valences[i] == 0:
            continue
        if result.words[i].isupper() and result.cap_differential:
            fired.append(("caps_emphasis", i, i))
        for back in (1, 2, 3):
            if (
                i >= back
                and lowered[i - back] == "no"
                and (back < 3 or lowered[i - 1] in ("or", "nor"))
            ):
                fired.append(("negation", i - back, i))
                break
        for back in (1, 2, 3):
            j = i - back
            if j < 0 or lowered[j] in lexicon:
                continue
            if lowered[j] in BOOSTER_DICT:
                kind = "booster" if BOOSTER_DICT[lowered[j]] == B_INCR else "dampener"
                fired.append((kind, j, i))
            rule = _negation_rule(lowered, i, back)
            if rule:
                fired.append((rule, j, i))
            if back == 3 and _idiom_at(lowered, i):
                fired.append(("idiom", j, i))
        if i > 0 and lowered[i - 1] == "least" and not (i > 1 and lowered[i - 2] in ("at", "very")):
            fired.append(("least_negation", i - 1, i))
    if "but" in lowered and any(result.valences):
        fired.append(("but", lowered.index("but"), None))
    total = sum(result.valences)
    if total and "!" in text:
        fired.append(("exclamation", None, None))
    if total and text.count("?") > 1:
        fired.append(("question_marks", None, None))
    return sorted(
        set(fired),
        key=lambda r: (
            math.inf if r[1] is None else r[1],
            r[0],
            math.inf if r[2] is None else r[2],
        ),
    )


def _negation_rule(lowered: list[str], i: int, back: int) -> str | None:
    """What ``_negation_check`` does to word ``i`` for the word ``back`` places before it."""
    j = i - back
    emphasis = {"so", "this"}
    if back == 2 and lowered[j] == "never" and lowered[i - 1] in emphasis:
        return "never_so_emphasis"
    if back == 3 and (
        (lowered[j] == "never" and lowered[i - 2] in emphasis) or lowered[i - 1] in emphasis
    ):
        return "never_so_emphasis"
    if back >= 2 and lowered[j] == "without" and "doubt" in lowered[j + 1 : i]:
        return None
    return "negation" if negated([lowered[j]]) else None


def _idiom_at(lowered: list[str], i: int) -> bool:
    """VADER's special-case idioms and booster n-grams around word ``i`` (i >= 3)."""
    around = [
        " ".join(lowered[i - 1 : i + 1]),
        " ".join(lowered[i - 2 : i + 1]),
        " ".join(lowered[i - 2 : i]),
        " ".join(lowered[i - 3 : i]),
        " ".join(lowered[i - 3 : i - 1]),
        " ".join(lowered[i : i + 2]),
        " ".join(lowered[i : i + 3]),
    ]
    return any(seq in SPECIAL_CASES or seq in BOOSTER_DICT for seq in around)
