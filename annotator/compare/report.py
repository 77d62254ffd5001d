"""Render a comparison and its records as one offline HTML page (Jinja2, autoescaped)."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

KNOWN_COLOURS = {
    "loaded_terms": "#ffc94d",
    "attribution": "#7fb8f0",
    "sentiment": "#6cc070",
    "boilerplate": "#a0a0a0",
}
PALETTE = ("#e58fd4", "#f49b6c", "#63c8c0", "#b79cf0", "#d4c35a", "#f07f8f")
LONG_SPAN = 80  # layers whose spans are longer than this (median) are underlined, not filled
TOOLTIP_KEYS_SKIPPED = frozenset({"start", "end", "text"})
SLUG = re.compile(r"[^a-z0-9]+")


def slug(value: str) -> str:
    return SLUG.sub("-", value.lower()).strip("-") or "x"


def display(value: float | None, unit: str, available: bool) -> str:
    """A metric value as the table shows it."""
    if not available:
        return "n/a"
    if value is None:
        return "–"
    if unit == "share":
        return f"{value:.0%}"
    if unit == "score":
        return f"{value:+.2f}"
    return f"{value:.1f}"


def describe(annotation: dict[str, Any]) -> str:
    """One tooltip line: annotator, label, score and the scalar attributes."""
    parts = [f"{annotation['annotator']} · {annotation['label']}"]
    if isinstance(annotation.get("score"), int | float):
        parts.append(f"score {annotation['score']:+.3f}")
    for key, value in annotation.get("attributes", {}).items():
        if key in TOOLTIP_KEYS_SKIPPED or value is None or value == []:
            continue
        if isinstance(value, dict):
            value = value.get("text")
        elif isinstance(value, list):
            value = ", ".join(str(v.get("text", v)) if isinstance(v, dict) else str(v)
                              for v in value)
        if value not in (None, ""):
            parts.append(f"{key}: {value}")
    return " | ".join(parts)


@dataclass
class Layer:
    """One (annotator, label) pair, drawn in its annotator's colour."""

    css: str
    annotator: str
    slug: str
    label: str
    colour: str
    underline: bool
    count: int


@dataclass
class Segment:
    start: int
    text: str
    layers: list[str] = field(default_factory=list)
    tooltip: str = ""
    anchors: list[tuple[str, int]] = field(default_factory=list)  # (id, end offset)


class Page:
    """The view model: anchors into articles, evidence panels and article segments."""

    def __init__(self, comparison: dict[str, Any], records: list[dict[str, Any]]) -> None:
        self.comparison = comparison
        self.records = sorted(records, key=lambda r: r["article"]["id"])
        self.article_index = {r["article"]["id"]: i for i, r in enumerate(self.records)}
        self.targets: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.panels: list[dict[str, Any]] = []
        self.layers = self._layers()

    def anchor(self, span: dict[str, Any]) -> str:
        """The id of the anchor placed at ``span`` in its article's view."""
        self.targets[span["article"]].add((span["start"], span["end"]))
        return f"t-{self.article_index[span['article']]}-{span['start']}-{span['end']}"

    def panel(self, title: str, evidence: list[dict[str, Any]]) -> str | None:
        """Register an evidence panel listing spans; returns its id (None when empty)."""
        if not evidence:
            return None
        panel_id = f"ev-{len(self.panels)}"
        spans = [{"href": "#" + self.anchor(e), "text": e["text"], "article": e["article"]}
                 for e in evidence]
        self.panels.append({"id": panel_id, "title": title, "spans": spans})
        return panel_id

    def _layers(self) -> dict[tuple[str, str], Layer]:
        lengths: dict[tuple[str, str], list[int]] = defaultdict(list)
        for record in self.records:
            for a in record["annotations"]:
                lengths[(a["annotator"], a["label"])].append(a["end"] - a["start"])
        annotators = sorted({annotator for annotator, _ in lengths})
        colours = dict(KNOWN_COLOURS)
        spare = iter(PALETTE * (1 + len(annotators) // len(PALETTE)))
        for name in annotators:
            colours.setdefault(name, next(spare))
        order = sorted(lengths, key=lambda key: (-statistics.median(lengths[key]), key))
        return {
            key: Layer(f"L{n}", key[0], slug(key[0]), key[1], colours[key[0]],
                       statistics.median(lengths[key]) > LONG_SPAN, len(lengths[key]))
            for n, key in enumerate(order)
        }

    def metric_groups(self) -> list[dict[str, Any]]:
        outlets = [o["name"] for o in self.comparison["outlets"]]
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in self.comparison["metrics"]:
            cells = []
            for outlet in outlets:
                cell = row["cells"][outlet]
                title = f"{row['group']}: {row['label']} — {outlet}"
                cells.append({
                    "text": display(cell["value"], row["unit"], cell["available"]),
                    "count": cell["count"],
                    "panel": self.panel(title, cell["evidence"]),
                    "available": cell["available"],
                })
            groups.setdefault(row["group"], []).append(
                {"label": row["label"], "unit": row["unit"], "annotator": row["annotator"],
                 "cells": cells}
            )
        return [{"group": g, "rows": rows} for g, rows in groups.items()]

    def alignments(self) -> list[dict[str, Any]]:
        views = []
        for alignment in self.comparison["alignments"]:
            members = []
            for member in alignment["members"]:
                cues = [{**cue, "href": "#" + self.anchor(cue)} for cue in member["cues"]]
                members.append({**member, "href": "#" + self.anchor(member), "cues": cues})
            views.append({**alignment, "members": members})
        return views

    def labeling(self) -> list[dict[str, Any]]:
        outlets = [o["name"] for o in self.comparison["outlets"]]
        rows = []
        for row in self.comparison["labeling"]:
            cells = []
            for outlet in outlets:
                cell = row["cells"][outlet]
                descriptors = [
                    {**d, "panel": self.panel(f"{row['entity']}: “{d['text']}” — {outlet}",
                                              d["evidence"])}
                    for d in cell["descriptors"]
                ]
                cells.append({
                    "mentions": cell["mentions"],
                    "panel": self.panel(f"{row['entity']}: mentions — {outlet}",
                                        cell["mention_evidence"]),
                    "descriptors": descriptors,
                })
            rows.append({"entity": row["entity"], "cells": cells})
        return rows

    def articles(self) -> list[dict[str, Any]]:
        """Each article as segments cut at every annotation and anchor boundary."""
        views = []
        compared = {a["id"]: a for a in self.comparison["articles"]}
        for index, record in enumerate(self.records):
            article = record["article"]
            views.append({
                "index": index,
                "id": article["id"],
                "title": compared[article["id"]]["title"],
                "outlet": compared[article["id"]]["outlet"],
                "words": compared[article["id"]]["words"],
                "segments": self._segments(index, article["text"], record["annotations"],
                                           self.targets.get(article["id"], set())),
            })
        return views

    def _segments(self, index: int, text: str, annotations: list[dict[str, Any]],
                  targets: Iterable[tuple[int, int]]) -> list[Segment]:
        cuts = {0, len(text)}
        for a in annotations:
            cuts.update((a["start"], a["end"]))
        anchors: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for start, end in sorted(targets):
            cuts.update((start, end))
            anchors[start].append((f"t-{index}-{start}-{end}", end))
        bounds = sorted(cuts)
        segments = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            covering = [a for a in annotations if a["start"] <= start and end <= a["end"]
                        and a["start"] < a["end"]]
            layers = sorted({self.layers[(a["annotator"], a["label"])].css for a in covering},
                            key=lambda css: int(css[1:]))
            tooltip = "\n".join(describe(a) for a in covering)
            here = anchors.pop(start, [])
            segments.append(Segment(start, text[start:end], layers, tooltip, here))
        return segments


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("annotator", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(comparison: dict[str, Any], records: list[dict[str, Any]]) -> str:
    """The report page for ``comparison`` built from ``records``: one self-contained file."""
    page = Page(comparison, records)
    context = {
        "comparison": comparison,
        "outlets": [o["name"] for o in comparison["outlets"]],
        "groups": page.metric_groups(),
        "alignments": page.alignments(),
        "labeling": page.labeling(),
    }
    articles = page.articles()  # after the others: it places their anchors
    layers = sorted(page.layers.values(), key=lambda layer: int(layer.css[1:]))
    legend = []
    for name in sorted({layer.annotator for layer in layers}):
        own = sorted((la for la in layers if la.annotator == name), key=lambda la: la.label)
        legend.append({
            "name": name, "slug": own[0].slug, "colour": own[0].colour,
            "labels": ", ".join(f"{la.label} ×{la.count}" for la in own),
        })
    return environment().get_template("report.html.j2").render(
        **context, articles=articles, panels=page.panels, layers=layers, annotators=legend,
    )
