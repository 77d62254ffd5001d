"""PrescannedPattern gives exactly what re's finditer gives, only faster."""

from __future__ import annotations

import re

from annotator_plugins.attribution.lexicon import BUILTIN_LEXICON, load_lexicon
from hypothesis import given
from hypothesis import strategies as st

from annotator import PrescannedPattern, lowercase_for_prescan
from annotator.prescan import literal_prefixes, sre_parser

HEDGES = [hedge.pattern for hedge in load_lexicon(BUILTIN_LEXICON).hedges]
WORDS = ["some", "Many", "critics", "is", "WAS", "believed", "to", "be", "so-called", "the",
         "allegedly", "İs", "ıs", "ſome", "\u212anown", "most", "of", "them", "not", "clear",
         "whether", "reportedly", "might", "have", "been", "\u00e9t\u00e9", "\U0001f600", "\r\n"]
texts = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


def spans(matches):
    return [(m.start(), m.end()) for m in matches]


@given(texts)
def test_every_hedge_pattern_finds_what_finditer_finds(text):
    lower = lowercase_for_prescan(text)
    for scanned in HEDGES:
        assert spans(scanned.finditer(text, lower)) == spans(scanned.pattern.finditer(text))


def test_most_hedge_patterns_are_prescanned():
    assert sum(p.prefixes is not None for p in HEDGES) >= 0.9 * len(HEDGES)


def test_literal_prefixes_follow_groups_and_branches_past_assertions():
    def prefixes(pattern):
        return literal_prefixes(sre_parser.parse(pattern, re.IGNORECASE))

    assert prefixes(r"(?<!\bthe )\b(?:most|many)\s+x") == {"most", "many"}
    assert prefixes(r"\bso[\s-]called\b") == {"so"}
    assert prefixes(r"(?:^|\band\s+)some") is None  # an empty start
    assert prefixes(r"\b(?:un)?likely") is None


def test_offsets_that_lowercasing_would_move_fall_back_to_finditer():
    assert lowercase_for_prescan("İstanbul") is None  # lowercases to two code points
    assert lowercase_for_prescan("ſome") is None  # IGNORECASE matches it to "some"
    scanned = PrescannedPattern(re.compile(r"\bsome\b", re.IGNORECASE))
    assert spans(scanned.finditer("İ ſome some", None)) == [(2, 6), (7, 11)]
