"""Spans as the scorers see them: labelled sets of ``(start, end)`` parts, and their overlap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A labelled span made of one or more disjoint ``(start, end)`` parts (end exclusive)."""

    parts: tuple[tuple[int, int], ...]
    label: str = ""

    @classmethod
    def of(cls, start: int, end: int, label: str = "") -> Span:
        return cls(((start, end),), label)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def __len__(self) -> int:
        return sum(end - start for start, end in self.parts)


Pair = tuple[Span, Span]
"""A (cue, source) pair of spans."""


def normalize_parts(parts: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sort parts and join those that overlap or touch; drop empty ones."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(p for p in parts if p[1] > p[0]):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return tuple(joined)


def overlap(a: Span, b: Span) -> int:
    """Number of code points the two spans share."""
    return sum(
        max(0, min(a_end, b_end) - max(a_start, b_start))
        for a_start, a_end in a.parts
        for b_start, b_end in b.parts
    )


def merge_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Merge spans of the same label that share at least one code point (SemEval-2020 Task 11)."""
    merged: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (s.label, s.parts)):
        touching = [m for m in merged if m.label == span.label and overlap(m, span)]
        if touching:
            merged = [m for m in merged if m not in touching]
            parts = [p for m in touching for p in m.parts] + list(span.parts)
            span = Span(normalize_parts(parts), span.label)
        merged.append(span)
    return merged
