"""Every span the built-ins emit re-slices exactly, whatever the text (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator import Article
from annotator.pipeline import annotate_articles
from annotator.plugins import load_annotators
from annotator.quotes import find_quotes
from annotator.schema import record_problems

WORDS = [
    "Trump", "Zelensky", "said", "claimed", "falsely", "allegedly", "according", "to",
    "dictator", "regime", "staged", "referendums", "reportedly", "the", "war", "a", "he",
    "told", "reporters", "so-called", "slammed", "peace", "“", "”", '"', "‘", "’", "«", "»",
    "'", ",", ".", ":", "—", "😀", "👩‍👩‍👧", "🇺🇦", "e\u0301", "n\u0303o", "Zelens\u0306kyy",
    "\r\n", "\n", "\r\n\r\n", "  ", "\t",
]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join).filter(str.strip)

SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def builtins():
    return load_annotators()


def assert_every_span_reslices(nlp, annotators, text):
    [record] = annotate_articles([Article(id="h", text=text, source_path="-")], nlp, annotators)
    assert record["errors"] == []
    for annotation in record["annotations"]:
        assert text[annotation["start"]:annotation["end"]] == annotation["text"]
    assert record_problems(record) == []


@SETTINGS
@given(text=texts)
def test_spans_reslice_on_the_blank_pipeline(blank_nlp, builtins, text):
    assert_every_span_reslices(blank_nlp, builtins, text)


@settings(SETTINGS, max_examples=40)
@given(text=texts)
@example(text="slammed ‘ falsely 😀 Trump")  # once gave an empty content clause
def test_spans_reslice_on_the_trained_pipeline(trained_nlp, builtins, text):
    assert_every_span_reslices(trained_nlp, builtins, text)


@given(text=st.lists(st.sampled_from([*WORDS, "a", "b"]), max_size=30).map("".join))
def test_quotes_are_well_formed_spans(text):
    for quote in find_quotes(text):
        assert 0 <= quote.start < quote.content_start <= quote.content_end <= quote.end
        assert quote.end <= len(text)
