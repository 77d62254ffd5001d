"""Sentiment: stock VADER per sentence, explained as data, and sentiment toward each entity.

Sentence annotations keep VADER's stock scores so they stay comparable with published
results; each one lists the words that moved the score and the VADER rules that fired,
read from VADER's own lexicon and rules rather than re-implemented. Entity mentions are
clustered within the article and scored by :meth:`Sentiment.target_score` over the clause
around the mention. See docs/sentiment.md.
"""

from typing import Any

from annotator import hookimpl

from .annotator import Sentiment


@hookimpl
def register_annotators(register: Any) -> None:
    register(Sentiment)
