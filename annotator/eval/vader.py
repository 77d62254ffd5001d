"""VADER's ground truth: news snippets with the raters' mean score, against stock VADER."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, GoldItem, data_files, read_text
from .gold_format import GoldFormat, Progress
from .metrics import pearson
from .report import Report


@dataclass(frozen=True)
class RatedSnippet(GoldItem):
    rating: float


VADER_LINE = re.compile(r"^([^\t]+)\t(-?\d+(?:\.\d+)?)\t(.+)$")


def read_vader(path: Path) -> Gold:
    """VADER ground truth: ``id<TAB>mean rating<TAB>text`` lines in ``*.txt`` files."""
    gold = Gold("vader", path, [])
    for txt in data_files(path, ".txt", "VADER ratings"):
        for number, line in enumerate(read_text(txt).splitlines(), start=1):
            if not line.strip():
                continue
            match = VADER_LINE.match(line)
            if not match:
                raise InputError(f"{txt}:{number}: expected id<TAB>score<TAB>text")
            gold.items.append(
                RatedSnippet(match.group(1), match.group(3), str(txt), float(match.group(2)))
            )
    return gold


def stock_compound(texts: Iterable[str]) -> list[float]:
    """Stock VADER compound scores (vaderSentiment, unmodified lexicon)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(text)["compound"] for text in texts]


class VaderFormat(GoldFormat):
    """Scores stock VADER itself: no annotator runs."""

    name = "vader"
    layout = "VADER *.txt"

    def detect(self, path: Path) -> bool:
        return path.suffix == ".txt" if path.is_file() else any(path.glob("*.txt"))

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_vader(path)

    def run(
        self, gold: Gold, report: Report, annotators: list[Any], model: str | None,
        config: Mapping[str, Any], progress: Progress, runnable: Set[str],
    ) -> Report:
        scores = stock_compound(item.text for item in gold.items)
        progress(len(gold.items))
        report.values["pearson_r"] = pearson(scores, [item.rating for item in gold.items])
        report.notes.append("stock VADER compound per snippet vs the raters' mean")
        return report
