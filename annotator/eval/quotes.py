"""Quote attribution: (speaker, cue, content) triples per text, scored by whether each
quotation is found and given the right speaker and cue verb.

A gold file is JSON Lines named ``*.quotes.jsonl``; each line is one text::

    {"id": "tram", "text": "“The line is done,” the minister said.",
     "quotes": [{"content": "“The line is done,”", "speaker": "the minister", "cue": "said"}]}

``content`` must occur exactly once in ``text`` (quotation marks optional: they are ignored
when matching). A text lists every quotation and reported clause a reader would attribute,
so that an attribution of ours that matches none counts against precision.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, GoldItem, read_text
from .gold_format import GoldFormat
from .metrics import prf
from .report import ScoreRow
from .selector import Annotations, Selector, selected

SUFFIX = ".quotes.jsonl"
EDGE = "\"'“”‘’«»„`,.;:!?… \t\r\n"
DETERMINERS = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    speaker: str
    cue: str


@dataclass(frozen=True)
class QuotedText(GoldItem):
    quotes: tuple[GoldQuote, ...]


def core(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without quotation marks, punctuation or spaces at its edges."""
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def words(text: str | None) -> list[str]:
    """Lower-case words, without a leading determiner ("the mayor" -> ["mayor"])."""
    found = re.findall(r"[\w’'-]+", (text or "").lower())
    return found[1:] if found[:1] and found[0] in DETERMINERS and len(found) > 1 else found


def read_quotes(path: Path) -> Gold:
    gold = Gold("quotes", path, [])
    files = [path] if path.is_file() else sorted(path.glob(f"*{SUFFIX}"))
    if not files:
        raise InputError(f"{path}: no {SUFFIX} file")
    for jsonl in files:
        for number, line in enumerate(read_text(jsonl).splitlines(), start=1):
            if line.strip():
                gold.items.append(_quoted_text(line, f"{jsonl}:{number}", str(jsonl)))
    return gold


def _quoted_text(line: str, where: str, path: str) -> QuotedText:
    try:
        record = json.loads(line)
        text = record["text"]
        raw_quotes = [(q["content"], q["speaker"], q["cue"]) for q in record["quotes"]]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise InputError(f"{where}: not a quotes record ({error!r})") from None
    if not isinstance(text, str) or not all(
        isinstance(value, str) and value.strip() for triple in raw_quotes for value in triple
    ):
        raise InputError(f"{where}: text, content, speaker and cue must be non-empty strings")
    quotes = []
    for content, speaker, cue in raw_quotes:
        if text.count(content) != 1:
            problem = "does not occur" if content not in text else "occurs more than once"
            raise InputError(f"{where}: content {content[:40]!r} {problem} in the text")
        start = text.index(content)
        quotes.append(GoldQuote(start, start + len(content), speaker, cue))
    return QuotedText(str(record.get("id") or where), text, path, tuple(quotes))


@dataclass(frozen=True)
class Attributed:
    """One attribution of ours: its content's core span, speaker names and cue words."""

    start: int
    end: int
    speakers: tuple[list[str], ...]
    cue: list[str]


def our_attributions(
    item: QuotedText, annotations: Sequence[Mapping[str, Any]], config: Mapping[str, Any]
) -> list[Attributed]:
    brat = config["brat"]
    found = []
    for cue in selected(annotations, [Selector.from_config(brat["cue"], "brat.cue")]):
        attributes = cue.get("attributes") or {}
        content = attributes.get(brat["content_attribute"])
        if not isinstance(content, dict):
            continue
        source = attributes.get(brat["source_attribute"])
        names = [attributes.get(brat.get("speaker_name_attribute", "source_name"))]
        names.append(source.get("text") if isinstance(source, dict) else None)
        start, end = core(item.text, content["start"], content["end"])
        speakers = tuple(words(name) for name in names if name)
        found.append(Attributed(start, end, speakers, words(cue["text"])))
    return found


def _matches(gold: tuple[int, int], ours: Attributed) -> int:
    """Shared code points when they cover at least half of each span, else 0."""
    shared = min(gold[1], ours.end) - max(gold[0], ours.start)
    if shared <= 0 or 2 * shared < gold[1] - gold[0] or 2 * shared < ours.end - ours.start:
        return 0
    return shared


def same_speaker(expected: str, ours: Attributed) -> bool:
    """The expected speaker's words are all in one of our names, or one of our names' words
    are all in the expected speaker ("Brandt" and "Ilse Brandt" agree)."""
    wanted = set(words(expected))
    return any(wanted <= set(name) or set(name) <= wanted for name in ours.speakers if name)


def score_quotes(
    items: Sequence[QuotedText], annotations: Annotations, config: Mapping[str, Any]
) -> tuple[list[ScoreRow], dict[str, float]]:
    """content: a gold quotation found (half of each span shared, marks ignored); speaker and
    cue: found with the right speaker name and cue verb too. P is over our attributions, R
    over the gold quotations (R is the accuracy: the share of quotations got right)."""
    hits = {"content": 0, "speaker": 0, "cue": 0}
    predicted = gold_count = 0
    for item in items:
        ours = our_attributions(item, annotations.get(item.id, ()), config)
        predicted += len(ours)
        gold_count += len(item.quotes)
        free = list(ours)
        for quote in item.quotes:
            span = core(item.text, quote.start, quote.end)
            best = max(free, key=lambda o: _matches(span, o), default=None)
            if best is None or not _matches(span, best):
                continue
            free.remove(best)
            hits["content"] += 1
            hits["speaker"] += same_speaker(quote.speaker, best)
            hits["cue"] += set(words(quote.cue)) <= set(best.cue)
    rows = [ScoreRow("quotes", measure, prf(hit, predicted, hit, gold_count))
            for measure, hit in hits.items()]
    return rows, {}


class QuotesFormat(GoldFormat):
    name = "quotes"
    layout = f"*{SUFFIX}"
    label_map_section = None  # scored through the brat section: cue, content and source

    def detect(self, path: Path) -> bool:
        if path.is_file():
            return path.name.endswith(SUFFIX)
        return any(path.glob(f"*{SUFFIX}"))

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_quotes(path)

    def tasks(self, config: Mapping[str, Any]) -> dict[str, set[str]]:
        return {"quotes": {config["brat"]["cue"]["annotator"]}}

    def score(
        self, items: Sequence[Any], annotations: Annotations, config: Mapping[str, Any],
        runnable: Set[str],
    ) -> tuple[list[ScoreRow], dict[str, float]]:
        return score_quotes(items, annotations, config)
