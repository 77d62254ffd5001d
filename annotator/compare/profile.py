"""The outlet profile: each metric's mean over events per outlet, with bootstrap intervals,
and tests of the outlet effect within events.

An outlet's value for a metric in one event is that event's table cell. Events, not
articles or words, are the unit:

- each outlet's mean over the events it told, and each pair's mean within-event
  difference, get a 95% percentile bootstrap interval that resamples events (seeded);
  with fewer than ``MIN_EVENTS`` events there is no interval (it would be noise);
- each pair's differences get a sign-flip permutation test (exact up to 2^16 sign
  patterns, else seeded random ones), with p-values Holm-adjusted over every pair and
  metric of the profile;
- each metric gets a permutation test of the outlet effect controlled for the event:
  outlets are shuffled within each event, so an event that every outlet told with more
  loaded terms moves nothing.
"""

from __future__ import annotations

import itertools
import zlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

SEED = 20250101
RESAMPLES = 2000
CONFIDENCE = 0.95
MIN_EVENTS = 5  # fewer events than this: no interval, no test
EXACT_SIGN_FLIPS = 16  # up to this many events, every sign pattern is tried
PAIR_TEST = ("sign-flip permutation test of the within-event differences (exact up to "
             f"{EXACT_SIGN_FLIPS} events, else random sign patterns), two-sided; p Holm-adjusted "
             "over every pair and metric")
OUTLET_TEST = ("permutation test of the outlet effect within events: outlets shuffled within "
               "each event, statistic the spread of the outlets' mean deviations from their "
               "events' means")

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
    low: float | None  # None: too few events for an interval
    high: float | None
    events: int

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (
            self.low > 0 or self.high < 0)

    def as_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4) + 0.0  # + 0.0: no -0.0

        return {"mean": rounded(self.mean), "low": rounded(self.low),
                "high": rounded(self.high), "events": self.events}


def bootstrap(values: list[float], rng: np.random.Generator, resamples: int = RESAMPLES,
              confidence: float = CONFIDENCE) -> Interval:
    """The mean of ``values`` with a percentile bootstrap interval (resampling the values);
    no interval below ``MIN_EVENTS`` values."""
    data = np.asarray(values, dtype=np.float64)
    if len(data) < MIN_EVENTS:
        return Interval(float(data.mean()), None, None, len(data))
    picks = rng.integers(0, len(data), size=(resamples, len(data)))
    means = data[picks].mean(axis=1)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(data.mean()), float(low), float(high), len(data))


def sign_flip_p(differences: list[float], rng: np.random.Generator,
                resamples: int = RESAMPLES) -> float | None:
    """Two-sided p of a mean difference of zero: how often flipping the signs of the
    within-event differences gives a mean at least as far from zero (None below
    ``MIN_EVENTS``)."""
    data = np.asarray(differences, dtype=np.float64)
    if len(data) < MIN_EVENTS:
        return None
    observed = abs(data.mean())
    if len(data) <= EXACT_SIGN_FLIPS:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=len(data))))
        means = np.abs(signs @ data) / len(data)
        return float(np.mean(means >= observed - 1e-12))
    signs = rng.choice((1.0, -1.0), size=(resamples, len(data)))
    extreme = np.sum(np.abs(signs @ data) / len(data) >= observed - 1e-12)
    return float((extreme + 1) / (resamples + 1))


def outlet_effect_p(values: dict[str, dict[str, float]], rng: np.random.Generator,
                    resamples: int = RESAMPLES) -> tuple[float | None, int]:
    """p of no outlet effect once each event's own level is taken out, and the events used.

    ``values`` maps event -> outlet -> value; events told by one outlet say nothing and
    are left out. The statistic is the sum over outlets of the squared mean deviation
    from the event means; outlets are shuffled within each event.
    """
    events = [by_outlet for by_outlet in values.values() if len(by_outlet) > 1]
    if len(events) < MIN_EVENTS:
        return None, len(events)
    outlets = sorted({o for by_outlet in events for o in by_outlet})
    index = {o: i for i, o in enumerate(outlets)}
    width = len(outlets)
    sums = np.zeros((resamples + 1, width))  # row 0: as observed; then one row a shuffle
    counts = np.zeros(width)
    offsets = (np.arange(resamples + 1) * width)[:, None]
    for by_outlet in events:
        labels = np.array([index[o] for o in by_outlet])
        deviations = np.array(list(by_outlet.values()))
        deviations = deviations - deviations.mean()
        shuffled = np.vstack([labels, rng.permuted(np.tile(labels, (resamples, 1)), axis=1)])
        np.add.at(sums.reshape(-1), (shuffled + offsets).reshape(-1),
                  np.tile(deviations, resamples + 1))
        counts[labels] += 1
    statistics = np.sum((sums / counts) ** 2, axis=1)
    extreme = np.sum(statistics[1:] >= statistics[0] - 1e-12)
    return float((extreme + 1) / (resamples + 1)), len(events)


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm's step-down adjustment of the p-values that are there."""
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(present):
        running = max(running, min(1.0, (len(present) - rank) * p))
        adjusted[i] = running
    return adjusted


def _p(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class ProfileBuilder:
    """Collects each event's per-outlet values, then computes the profile."""

    def __init__(self, seed: int = SEED, resamples: int = RESAMPLES,
                 accuracy: Mapping[str, dict[str, Any]] | None = None) -> None:
        self.seed = seed
        self.resamples = resamples
        self.accuracy = accuracy or {}  # metric -> its measured accuracy (annotator.accuracy)
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

        Each metric and outlet (or outlet pair) gets its own generators, seeded from
        ``seed`` and their names, so adding a metric or an outlet leaves the other
        intervals and tests unchanged.
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
                interval = bootstrap([v for _, v in found], self.rng(name, outlet),
                                     self.resamples)
                by_outlet[outlet] = {**interval.as_json(),
                                     "values": [{"event": e, "value": v} for e, v in found]}
            by_event: dict[str, dict[str, float]] = defaultdict(dict)
            for outlet, found in per_outlet.items():
                for event, value in found:
                    by_event[event][outlet] = value
            p, events = outlet_effect_p(by_event, self.rng(name, "outlet effect"),
                                        self.resamples)
            metrics.append({"name": name, "label": label, "unit": unit, "by_outlet": by_outlet,
                            "outlet_effect": {"p": _p(p), "events": events},
                            "accuracy": self.accuracy.get(name)})
            for a, b in combinations(outlets, 2):
                first = dict(per_outlet.get(a, []))
                second = dict(per_outlet.get(b, []))
                paired = [first[e] - second[e] for e in first if e in second]
                if not paired:
                    continue
                interval = bootstrap(paired, self.rng(name, a, b), self.resamples)
                differences.append({
                    "metric": name, "a": a, "b": b, **interval.as_json(),
                    "excludes_zero": interval.excludes_zero,
                    "p": _p(sign_flip_p(paired, self.rng(name, a, b, "test"), self.resamples)),
                })
        for difference, adjusted in zip(differences, holm([d["p"] for d in differences]),
                                        strict=True):
            difference["p_holm"] = _p(adjusted)
        return {
            "unit_of_resampling": "event",
            "confidence": CONFIDENCE,
            "resamples": self.resamples,
            "seed": self.seed,
            "min_events": MIN_EVENTS,
            "tests": {"pairs": PAIR_TEST, "outlet_effect": OUTLET_TEST},
            "metrics": metrics,
            "differences": differences,
        }
