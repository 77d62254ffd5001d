"""Probability thresholds: ``--min-probability [ANNOTATOR=]P`` for exports and compare.

A span's probability is its ``probability`` field, else its ``attributes.probability``
(the learned parts record it there; rule-based spans have none). A span without a
probability is always kept; one with a probability below the threshold of its
annotator (``attribution=0.8``), else below the threshold for all (``0.5``), is left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError

ALL = ""  # the key of the threshold that applies to every annotator


def span_probability(span: Mapping[str, Any]) -> float | None:
    value = span.get("probability")
    if value is None:
        value = (span.get("attributes") or {}).get("probability")
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number else None


def parse_threshold(value: str) -> tuple[str, float]:
    """``"attribution=0.8"`` -> ``("attribution", 0.8)``; ``"0.5"`` -> ``(ALL, 0.5)``."""
    name, sep, raw = value.rpartition("=")
    if sep and not name.strip():
        raise ConfigError(f"--min-probability {value!r}: expected [ANNOTATOR=]P")
    try:
        probability = float(raw)
    except ValueError:
        raise ConfigError(f"--min-probability {value!r}: {raw!r} is not a number "
                          "(expected [ANNOTATOR=]P, P between 0 and 1)") from None
    if not (math.isfinite(probability) and 0.0 <= probability <= 1.0):
        raise ConfigError(f"--min-probability {value!r}: P must be between 0 and 1")
    return name.strip(), probability


@dataclass(frozen=True)
class Thresholds:
    """The minimum probability per annotator name (``ALL``: for every annotator)."""

    minimum: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def parse(cls, values: Iterable[str]) -> Thresholds:
        """From ``--min-probability`` values; one given twice for an annotator is an error."""
        minimum: dict[str, float] = {}
        for value in values:
            name, probability = parse_threshold(value)
            if name in minimum:
                raise ConfigError(f"--min-probability given twice for "
                                  f"{name or 'all annotators'}")
            minimum[name] = probability
        return cls(minimum)

    def keeps(self, annotator_name: str, span: Mapping[str, Any]) -> bool:
        """Whether ``span`` of ``annotator_name`` reaches its threshold (or has no probability)."""
        threshold = self.minimum.get(annotator_name, self.minimum.get(ALL))
        probability = span_probability(span)
        return threshold is None or probability is None or probability >= threshold

    def filter(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """``record`` with only the annotations that reach their thresholds."""
        return {**record, "annotations": [
            a for a in record["annotations"] if self.keeps(a["annotator"], a)]}
