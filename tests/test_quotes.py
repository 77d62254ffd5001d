"""Quote pairing on the marks real copy uses."""

from __future__ import annotations

import pytest

from annotator.quotes import find_quotes


def contents(text: str) -> list[str]:
    return [text[q.content_start:q.content_end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “I am ready,” and left.", ["I am ready,"]),
        ('He said "I am ready," and left.', ["I am ready,"]),
        ("«One could feel offended by being called a ‘dictator’,» he said.",
         ["One could feel offended by being called a ‘dictator’,", "dictator"]),
        ("as potentially “promising.» Then", ["promising."]),
        ("Zelensky’s aides said it’s the Ukrainians’ future.", []),
        ("He called it 'a farce' again.", ["a farce"]),
        ("He said ``we will win'' and left.", ["we will win"]),
        ("It was called `` the best '' by some, and ''I will go,'' he said.",
         [" the best ", "I will go,"]),
        ("''We will win,'' he said, citing ''progress.''", ["We will win,", "progress."]),
        ('A 5" screen, he said "fine".', ["fine"]),
    ],
)
def test_pairs(text, expected):
    assert contents(text) == expected


def test_unclosed_quote_runs_to_the_end_of_its_line_unbalanced():
    text = "He said “we will win\nNext paragraph."
    [quote] = find_quotes(text)
    assert not quote.balanced
    assert text[quote.content_start:quote.content_end] == "we will win"
