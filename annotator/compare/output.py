"""comparison.json, written one event at a time and checked against its schema part by part.

The long lists (events, articles, alignments) are spooled to temporary files as
each event finishes, so memory holds one event; ``finish`` streams the whole
document out. The bytes are exactly those of ``json.dumps(whole, indent=2)``.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from typing import IO, Any

from ..errors import AnnotatorError
from ..schema import load_schema, schema_problems

COMPARISON_VERSION = "2.2.0"
COMPARISON_SCHEMA = "comparison.json"
SPOOLED = {"events": "event", "articles": "article", "alignments": "alignment"}
ORDER = ("comparison_version", "tool", "grouping", "outlets", "events", "articles",
         "alignments", "profile", "notes")


class ComparisonInvalid(AnnotatorError):
    """The comparison would not match its schema: a bug, reported instead of written."""


def _dumps(value: Any, depth: int) -> str:
    """``value`` as it appears at ``depth`` inside a document dumped with indent=2."""
    try:
        text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError as error:  # NaN or an infinity: not JSON
        raise ComparisonInvalid(
            f"comparison.json would hold a non-finite number: {error}") from None
    return text.replace("\n", "\n" + "  " * depth)


@cache
def part_schema(definition: str) -> dict[str, Any]:
    """The schema of one part of a comparison (a ``$defs`` entry); one object per part, so
    its validator is built once."""
    return {"$ref": f"{load_schema(COMPARISON_SCHEMA)['$id']}#/$defs/{definition}"}


def part_problems(value: Any, definition: str) -> list[str]:
    """Schema problems of one part of a comparison (a ``$defs`` entry), one line each."""
    return [f"{p.pointer or '/'}: {p.message}"
            for p in schema_problems(value, part_schema(definition))]


def comparison_problems(comparison: dict[str, Any]) -> list[str]:
    """Schema problems of a whole comparison, one line each (empty when valid)."""
    return [f"{p.pointer or '/'}: {p.message}"
            for p in schema_problems(comparison, load_schema(COMPARISON_SCHEMA))]


class ComparisonWriter:
    """Collects the spooled lists, validating each item as it comes."""

    def __init__(self) -> None:
        self.spools: dict[str, IO[str]] = {
            name: tempfile.TemporaryFile("w+", encoding="utf-8") for name in SPOOLED
        }
        self.counts = dict.fromkeys(SPOOLED, 0)
        self.problems: list[str] = []

    def add(self, name: str, item: dict[str, Any]) -> None:
        for problem in part_problems(item, SPOOLED[name]):
            problem = problem[1:] if problem.startswith("/:") else problem
            self.problems.append(f"/{name}/{self.counts[name]}{problem}")
        spool = self.spools[name]
        spool.write((",\n    " if self.counts[name] else "\n    ") + _dumps(item, 2))
        self.counts[name] += 1

    def check_head(self, head: dict[str, Any]) -> None:
        """Validate everything but the spooled lists (``head`` holds the other keys)."""
        skeleton = {**head, **{name: [] for name in SPOOLED}}
        self.problems += [p for p in comparison_problems(skeleton)
                          if not p.startswith("/events:")]

    def finish(self, head: dict[str, Any], out: IO[str]) -> None:
        """Write the document: ``head`` holds every key but the spooled lists."""
        out.write("{")
        for number, key in enumerate(ORDER):
            out.write(("," if number else "") + f"\n  {json.dumps(key)}: ")
            if key in SPOOLED:
                spool = self.spools[key]
                spool.seek(0)
                out.write("[")
                while chunk := spool.read(1 << 16):
                    out.write(chunk)
                out.write("\n  ]" if self.counts[key] else "]")
            else:
                out.write(_dumps(head[key], 1))
        out.write("\n}\n")

    def close(self) -> None:
        for spool in self.spools.values():
            spool.close()
