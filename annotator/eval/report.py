"""What one `annotate eval` run measured: score rows, single values and notes, as a table or
JSON."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .metrics import Score


@dataclass(frozen=True)
class ScoreRow:
    task: str
    measure: str
    score: Score


@dataclass
class Report:
    """Everything one `annotate eval` run measured."""

    format: str
    gold_path: str
    items: int
    rows: list[ScoreRow] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    annotators: list[dict[str, Any]] = field(default_factory=list)
    pipeline: str | None = None

    def as_dict(self) -> dict[str, Any]:
        scores: dict[str, dict[str, Any]] = defaultdict(dict)
        for row in self.rows:
            s = row.score
            scores[row.task][row.measure] = {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "predicted": s.predicted,
                "gold": s.gold,
            }
        return {
            "format": self.format,
            "gold": self.gold_path,
            "items": self.items,
            "scores": dict(scores),
            "values": {k: round(v, 4) for k, v in self.values.items()},
            "notes": self.notes,
            "annotators": self.annotators,
            "pipeline": self.pipeline,
        }

    def table(self) -> str:
        """Aligned plain-text table: one row per score, then single values and notes."""
        lines = [f"{self.format} gold: {self.gold_path} ({self.items} items)"]
        if self.annotators:
            names = ", ".join(f"{a['name']} {a['version']}" for a in self.annotators)
            lines.append(f"annotators: {names}; pipeline: {self.pipeline}")
        if self.rows:
            header = ("task", "measure", "P", "R", "F1", "pred", "gold")
            cells = [
                (
                    r.task,
                    r.measure,
                    f"{r.score.precision:.3f}",
                    f"{r.score.recall:.3f}",
                    f"{r.score.f1:.3f}",
                    str(r.score.predicted),
                    str(r.score.gold),
                )
                for r in self.rows
            ]
            widths = [max(len(c[i]) for c in [header, *cells]) for i in range(len(header))]
            for row in [header, *cells]:
                left = [row[i].ljust(widths[i]) for i in (0, 1)]
                right = [row[i].rjust(widths[i]) for i in range(2, len(row))]
                lines.append("  ".join(left + right).rstrip())
        if self.values:
            width = max(len(name) for name in self.values)
            lines += [f"{name.ljust(width)}  {value:.3f}" for name, value in self.values.items()]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)
