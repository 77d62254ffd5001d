"""BASIL (Fan et al. 2019): one event told by three outlets, with expert word-level bias marks.

Each article is a JSON file of sentences; its marks are in a sibling annotation file,
offsets relative to one sentence. The text we annotate is the title, a blank line, then
the paragraphs (sentences joined by a space, paragraphs by a blank line), and every mark
is moved onto it. Scored: any overlap against the lexical-bias (``lex``) marks, the
per-article rate of our spans against the experts' rate (Spearman), and how many of the
quoted marks we find carry ``voice: quoted``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, GoldItem, read_text
from .gold_format import GoldFormat
from .metrics import Score, any_overlap_score
from .report import ScoreRow
from .selector import Annotations, Selector, category_of, selected
from .span import Span


@dataclass(frozen=True)
class Mark:
    """One expert mark moved onto the article text."""

    start: int
    end: int
    bias: str  # "lex" (loaded word choice) or "inf" (informational)
    quoted: bool
    speaker: str
    polarity: str
    target: str


@dataclass(frozen=True)
class BasilArticle(GoldItem):
    source: str
    event: str
    marks: tuple[Mark, ...]


def article_text(article: Mapping[str, Any], where: str) -> tuple[str, dict[str, int]]:
    """The text we annotate, and where each sentence id (``title``, ``p<N>``) starts in it."""
    try:
        title, paragraphs = article["title"], article["body-paragraphs"]
        starts = {"title": 0}
        offset, body, number = len(title) + 2, [], 0
        for paragraph in paragraphs:
            for sentence in paragraph:
                starts[f"p{number}"] = offset
                offset += len(sentence) + 1
                number += 1
            body.append(" ".join(paragraph))
            offset += 1
    except (KeyError, TypeError) as error:
        raise InputError(f"{where}: not a BASIL article ({error})") from None
    return title + "\n\n" + "\n\n".join(body), starts


def read_marks(
    annotations: Mapping[str, Any], text: str, starts: Mapping[str, int], where: str
) -> tuple[Mark, ...]:
    marks = []
    for number, mark in enumerate(annotations.get("phrase-level-annotations") or ()):
        context = f"{where}: phrase-level-annotations[{number}]"
        try:
            start = starts[mark["id"]] + int(mark["start"])
            end = starts[mark["id"]] + int(mark["end"])
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{context}: no sentence {mark.get('id')!r} or bad offsets") from None
        if text[start:end] != mark.get("txt"):
            raise InputError(f"{context}: offsets do not slice {mark.get('txt')!r}")
        marks.append(Mark(start, end, str(mark.get("bias", "")), mark.get("quote") == "yes",
                          str(mark.get("speaker", "")), str(mark.get("polarity", "")),
                          str(mark.get("target", ""))))
    return tuple(marks)


def read_json(path: Path) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None


def read_basil(folder: Path) -> Gold:
    """``articles/<year>/<event>_<n>.json`` with ``annotations/<year>/<event>_<n>_ann.json``."""
    gold = Gold("basil", folder, [])
    missing = 0
    for path in sorted((folder / "articles").glob("*/*.json")):
        marks_path = folder / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        if not marks_path.is_file():
            missing += 1
            continue
        article = read_json(path)
        text, starts = article_text(article, str(path))
        marks = read_marks(read_json(marks_path), text, starts, str(marks_path))
        gold.items.append(BasilArticle(
            path.stem, text, str(path), str(article.get("source", "")).lower(),
            str(article.get("triplet-uuid", "")), marks,
        ))
    if not gold.items:
        raise InputError(f"{folder}: no articles/<year>/*.json with annotations/<year>/*_ann.json")
    if missing:
        gold.notes.append(f"{missing} articles have no annotation file and were skipped")
    return gold


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank (as Spearman's rho needs)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    first = 0
    while first < len(order):
        last = first
        while last + 1 < len(order) and values[order[last + 1]] == values[order[first]]:
            last += 1
        for k in range(first, last + 1):
            result[order[k]] = (first + last) / 2 + 1
        first = last + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rho: Pearson's r of the ranks (0 when either side is constant)."""
    from statistics import StatisticsError, correlation

    try:
        return correlation(ranks(xs), ranks(ys))
    except StatisticsError:
        return 0.0


def words(text: str) -> int:
    return len(text.split())


def score_basil(
    items: Sequence[BasilArticle], annotations: Annotations, config: Mapping[str, Any]
) -> tuple[list[ScoreRow], dict[str, float]]:
    """Any overlap against ``lex`` marks (and against every mark), per category of ours;
    rate Spearman; the share of found quoted ``lex`` marks our overlapping spans call quoted."""
    section = config["basil"]
    selectors = [Selector.from_config(s, "basil.ours") for s in section["ours"]]
    breakdown = section.get("breakdown")
    picked = {item.id: selected(annotations.get(item.id, ()), selectors) for item in items}
    ours = {key: [Span.of(a["start"], a["end"]) for a in found] for key, found in picked.items()}

    def marks(item: BasilArticle, bias: Set[str] | None = None) -> list[Span]:
        return [Span.of(m.start, m.end) for m in item.marks if bias is None or m.bias in bias]

    lexical = {item.id: marks(item, {"lex"}) for item in items}
    rows = [
        ScoreRow("lexical_bias", "any overlap", any_overlap_score(ours, lexical)),
        ScoreRow("any_bias", "any overlap",
                 any_overlap_score(ours, {item.id: marks(item) for item in items})),
    ]
    if breakdown:
        categories = sorted({category_of(a, breakdown) for f in picked.values() for a in f})
        for category in categories:
            of_category = {
                key: [Span.of(a["start"], a["end"]) for a in found
                      if category_of(a, breakdown) == category]
                for key, found in picked.items()
            }
            rows.append(ScoreRow(f"lexical_bias[{category}]", "any overlap",
                                 any_overlap_score(of_category, lexical)))
    rows.append(ScoreRow("quoted_marks", "voice: quoted", quoted_voice_score(items, picked)))
    ours_rate = [1000 * len(ours[item.id]) / max(1, words(item.text)) for item in items]
    experts_rate = [1000 * len(lexical[item.id]) / max(1, words(item.text)) for item in items]
    return rows, {"rate_spearman": spearman(ours_rate, experts_rate)}


def quoted_voice_score(
    items: Sequence[BasilArticle], picked: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Score:
    """Of the quoted ``lex`` marks that some span of ours overlaps (found), the share where
    an overlapping span says ``voice: quoted`` (its recall; precision is over our quoted
    spans that overlap any ``lex`` mark, the share on a quoted one)."""
    found = right = ours_quoted = ours_quoted_right = 0
    for item in items:
        spans = picked[item.id]
        lexical = [m for m in item.marks if m.bias == "lex"]
        for mark in lexical:
            hits = [a for a in spans if a["start"] < mark.end and mark.start < a["end"]]
            if mark.quoted and hits:
                found += 1
                right += any((a.get("attributes") or {}).get("voice") == "quoted" for a in hits)
        for a in spans:
            on = [m for m in lexical if a["start"] < m.end and m.start < a["end"]]
            if on and (a.get("attributes") or {}).get("voice") == "quoted":
                ours_quoted += 1
                ours_quoted_right += any(m.quoted for m in on)
    from .metrics import prf

    return prf(ours_quoted_right, ours_quoted, right, found)


class BasilFormat(GoldFormat):
    name = "basil"
    layout = "BASIL articles/<year>/*.json+annotations/<year>/*_ann.json"
    label_map_section = "basil"

    def detect(self, path: Path) -> bool:
        return path.is_dir() and any((path / "annotations").glob("*/*_ann.json"))

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_basil(path)

    def tasks(self, config: Mapping[str, Any]) -> dict[str, set[str]]:
        return {"lexical_bias": {s["annotator"] for s in config["basil"]["ours"]}}

    def score(
        self, items: Sequence[Any], annotations: Annotations, config: Mapping[str, Any],
        runnable: Set[str],
    ) -> tuple[list[ScoreRow], dict[str, float]]:
        if "lexical_bias" not in runnable:
            return [], {}
        return score_basil(items, annotations, config)
