"""The outlet profile: each metric's mean over events per outlet, with bootstrap intervals.

An outlet's value for a metric in one event is that event's table cell. Events,
not articles or words, are the unit: the profile resamples events with replacement
(a seeded bootstrap) to give a 95% percentile interval for each outlet's mean and for
each pair's paired within-event difference.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

SEED = 20250101
RESAMPLES = 2000
CONFIDENCE = 0.95

# name, label, unit, in the order the profile shows them
PROFILE_METRICS: tuple[tuple[str, str, str], ...] = (
    ("loaded_own", "loaded terms per 1,000 words, own voice", "per_1000_words"),
    ("loaded_quoted", "loaded terms per 1,000 quoted words, quoted voice", "per_1000_words"),
    ("stance_neutral", "neutral reporting cues (share)", "share"),
    ("stance_endorsing", "endorsing reporting cues (share)", "share"),
    ("stance_distancing", "distancing reporting cues (share)", "share"),
    ("stance_discrediting", "discrediting reporting cues (share)", "share"),
    ("hedges", "hedges per 1,000 words", "per_1000_words"),
    ("vague_sources", "vague sources per 1,000 words", "per_1000_words"),
    ("journalist_sentiment", "mean sentence sentiment, journalist voice", "score"),
    ("quoted_words", "share of words inside quotation marks", "share"),
)


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    events: int

    def as_json(self) -> dict[str, Any]:
        return {"mean": round(self.mean, 4), "low": round(self.low, 4),
                "high": round(self.high, 4), "events": self.events}


def bootstrap(values: list[float], rng: np.random.Generator, resamples: int = RESAMPLES,
              confidence: float = CONFIDENCE) -> Interval:
    """The mean of ``values`` with a percentile bootstrap interval (resampling the values)."""
    data = np.asarray(values, dtype=np.float64)
    picks = rng.integers(0, len(data), size=(resamples, len(data)))
    means = data[picks].mean(axis=1)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(data.mean()), float(low), float(high), len(data))


class ProfileBuilder:
    """Collects each event's per-outlet values, then computes the profile."""

    def __init__(self, seed: int = SEED, resamples: int = RESAMPLES) -> None:
        self.seed = seed
        self.resamples = resamples
        # metric -> outlet -> [(event, value)]
        self.values: dict[str, dict[str, list[tuple[str, float]]]] = defaultdict(
            lambda: defaultdict(list))

    def add_event(self, event: str, metrics: list[dict[str, Any]]) -> None:
        """Take the profile metrics of one event's table (rows with a ``metric`` name)."""
        for row in metrics:
            name = row.get("metric")
            if name is None:
                continue
            for outlet, cell in row["cells"].items():
                if cell["available"] and cell["value"] is not None:
                    self.values[name][outlet].append((event, cell["value"]))

    def rng(self, *names: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, *(zlib.crc32(n.encode()) for n in names)])

    def build(self, outlets: list[str]) -> dict[str, Any]:
        """The profile object of comparison.json.

        Each metric and outlet (or outlet pair) gets its own generator, seeded from
        ``seed`` and their names, so adding a metric or an outlet leaves the other
        intervals unchanged.
        """
        metrics = []
        differences = []
        for name, label, unit in PROFILE_METRICS:
            per_outlet = self.values.get(name, {})
            by_outlet = {}
            for outlet in outlets:
                found = per_outlet.get(outlet, [])
                if not found:
                    continue
                rng = self.rng(name, outlet)
                interval = bootstrap([v for _, v in found], rng, self.resamples)
                by_outlet[outlet] = {**interval.as_json(),
                                     "values": [{"event": e, "value": v} for e, v in found]}
            metrics.append({"name": name, "label": label, "unit": unit, "by_outlet": by_outlet})
            for a, b in combinations(outlets, 2):
                first = dict(per_outlet.get(a, []))
                second = dict(per_outlet.get(b, []))
                paired = [first[e] - second[e] for e in first if e in second]
                if not paired:
                    continue
                rng = self.rng(name, a, b)
                interval = bootstrap(paired, rng, self.resamples)
                differences.append({"metric": name, "a": a, "b": b, **interval.as_json()})
        return {
            "unit_of_resampling": "event",
            "confidence": CONFIDENCE,
            "resamples": self.resamples,
            "seed": self.seed,
            "metrics": metrics,
            "differences": differences,
        }
