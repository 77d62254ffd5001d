"""Text helpers shared by the comparison: words, content words, spans and overlaps."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..article_counts import WORD
from ..article_counts import overlaps as overlaps  # the compare modules' import

if TYPE_CHECKING:
    pass

LINE = re.compile(r"[^\n]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z0-9])")
ELLIPSIS = re.compile(r"…|\.\.\.")
POSSESSIVE = re.compile(r"['’]s?$")
APOSTROPHE = re.compile(r"['’]")
QUOTE_MARKS = "\"'“”‘’«»„"
STANCES = ("neutral", "endorsing", "distancing", "discrediting")
PRONOUNS = frozenset("he she they it him her them his hers their its we i you".split())
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours said says say stated told added
    """.split()
)
ROLE_NOUNS = frozenset(
    """president leader head chief minister premier spokesman spokesperson spokeswoman envoy
    secretary chancellor king prime commander general official""".split()
)
TITLE_POS = frozenset({"PROPN", "NOUN", "ADJ"})
def text_of(value: Any) -> str | None:
    """The text of an attribute that may be a string, a sub-span or a list of them."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"] or None
    if isinstance(value, list):
        parts = [t for item in value if (t := text_of(item))]
        return " ".join(parts) or None
    return None


def span_of(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dict) and isinstance(value.get("start"), int):
        return value["start"], value["end"]
    return None


def content_words(text: str) -> list[str]:
    """Lower-cased words minus stop words, crudely stemmed, for fuzzy matching."""
    words = []
    for word in WORD.findall(text.lower()):
        word = APOSTROPHE.split(word)[0]  # Zelensky’s -> zelensky, I’m -> i
        if word in STOPWORDS or len(word) < 2 or word.isdigit():
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.append(word)
    return words


