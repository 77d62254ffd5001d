"""The report pages (Jinja2, autoescaped, offline): one per event, and an index with the profile.

An event page shows how its outlets told it, from compare_event's result and the
event's records; the index page shows the outlet profile (dot-and-whisker plots
drawn as inline SVG) and the list of events, each linking to its page.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from .profile import PROFILE_METRICS

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


def metric_panel_id(metric: str, outlet: str) -> str:
    """The fixed id of an event page's panel for a profile metric's cell (the index links it)."""
    return f"ev-{metric}-{hashlib.sha1(outlet.encode('utf-8')).hexdigest()[:8]}"


def slug(value: str) -> str:
    return SLUG.sub("-", value.lower()).strip("-") or "x"


def display(value: float | None, unit: str, available: bool) -> str:
    """A metric value as the table shows it (a value that rounds to zero shows no sign)."""
    if not available:
        return "n/a"
    if value is None:
        return "–"
    if unit == "share":
        text = f"{value:.0%}"
    elif unit == "score":
        text = f"{value:+.2f}"
    else:
        text = f"{value:.1f}"
    return text.lstrip("+-") if not any(c in "123456789" for c in text) else text


def display_p(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


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

    def __init__(self, comparison: dict[str, Any], records: list[dict[str, Any]],
                 accuracy: Mapping[str, dict[str, Any]]) -> None:
        self.comparison = comparison
        self.accuracy = accuracy
        self.records = sorted(records, key=lambda r: r["article"]["id"])
        self.article_index = {r["article"]["id"]: i for i, r in enumerate(self.records)}
        self.targets: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.panels: list[dict[str, Any]] = []
        self.layers = self._layers()

    def anchor(self, span: dict[str, Any]) -> str:
        """The id of the anchor placed at ``span`` in its article's view."""
        self.targets[span["article"]].add((span["start"], span["end"]))
        return f"t-{self.article_index[span['article']]}-{span['start']}-{span['end']}"

    def panel(self, title: str, evidence: list[dict[str, Any]],
              panel_id: str | None = None) -> str | None:
        """Register an evidence panel listing spans; returns its id.

        Without a fixed ``panel_id`` an empty panel is not made (None).
        """
        if not evidence and panel_id is None:
            return None
        panel_id = panel_id or f"ev-{len(self.panels)}"
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
                fixed = metric_panel_id(row["metric"], outlet) if row.get("metric") else None
                cells.append({
                    "text": display(cell["value"], row["unit"], cell["available"]),
                    "count": cell["count"],
                    "panel": self.panel(title, cell["evidence"], fixed),
                    "available": cell["available"],
                })
            metric = row.get("metric")
            groups.setdefault(row["group"], []).append(
                {"label": row["label"], "unit": row["unit"], "annotator": row["annotator"],
                 "cells": cells, "metric": metric,
                 "precision": precision_text(self.accuracy.get(metric)) if metric else None}
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
        """The text cut at every boundary; each piece lists the annotations covering it
        (in record order), swept once from left to right."""
        cuts = {0, len(text)}
        starting: dict[int, list[int]] = defaultdict(list)
        for number, a in enumerate(annotations):
            cuts.update((a["start"], a["end"]))
            if a["start"] < a["end"]:
                starting[a["start"]].append(number)
        anchors: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for start, end in sorted(targets):
            cuts.update((start, end))
            anchors[start].append((f"t-{index}-{start}-{end}", end))
        bounds = sorted(cuts)
        descriptions: dict[int, str] = {}
        active: set[int] = set()
        segments = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            active = {n for n in active if annotations[n]["end"] > start}
            active.update(starting.get(start, ()))
            covering = sorted(active)
            layers = sorted({self.layers[(annotations[n]["annotator"],
                                          annotations[n]["label"])].css for n in covering},
                            key=lambda css: int(css[1:]))
            for n in covering:
                if n not in descriptions:
                    descriptions[n] = describe(annotations[n])
            tooltip = "\n".join(descriptions[n] for n in covering)
            here = anchors.pop(start, [])
            segments.append(Segment(start, text[start:end], layers, tooltip, here))
        return segments


@cache
def environment() -> Environment:
    """The template environment, made once (templates are compiled on first use)."""
    return Environment(
        loader=PackageLoader("annotator", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def precision_text(accuracy: dict[str, Any] | None) -> str:
    """``P 0.38 [0.18, 0.61]`` of a metric's measured accuracy, or that it was not measured."""
    if accuracy is None:
        return "not measured"
    interval = ("" if accuracy["low"] is None
                else f" [{accuracy['low']:.2f}, {accuracy['high']:.2f}]")
    return f"P {accuracy['precision']:.2f}{interval}"


def measurement(accuracy: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the measurement-quality section: every profile metric, measured or not."""
    return [{"metric": name, "label": label, "accuracy": accuracy.get(name)}
            for name, label, _ in PROFILE_METRICS]


def render_event(part: dict[str, Any], records: list[dict[str, Any]],
                 event: dict[str, Any] | None = None, index: str | None = None,
                 accuracy: Mapping[str, dict[str, Any]] | None = None) -> str:
    """One event's page from compare_event's result ``part`` and the event's ``records``.

    ``event`` is its entry in comparison.json (id, title, ...); ``index`` the link
    back to the index page, when there is one; ``accuracy`` maps profile metrics to
    their measured accuracy.
    """
    accuracy = accuracy or {}
    page = Page(part, records, accuracy)
    context = {
        "comparison": part,
        "event": event,
        "index": index,
        "version": __version__,
        "outlets": [o["name"] for o in part["outlets"]],
        "groups": page.metric_groups(),
        "alignments": page.alignments(),
        "labeling": page.labeling(),
        "measurement": measurement(accuracy),
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
    return environment().get_template("event.html.j2").render(
        **context, articles=articles, panels=page.panels, layers=layers, annotators=legend,
    )


def render_report(comparison: dict[str, Any], records: list[dict[str, Any]]) -> str:
    """The report page of a whole in-memory comparison: the event page when there is one
    event, else the index page."""
    if len(comparison["events"]) == 1:
        event = comparison["events"][0]
        part = {**event, "articles": comparison["articles"],
                "alignments": comparison["alignments"]}
        return render_event(part, records, event)
    return render_index(comparison)


PLOT_WIDTH = 360
PLOT_ROW = 22
PLOT_LEFT = 150


def _plot(metric: dict[str, Any]) -> dict[str, Any] | None:
    """Dot-and-whisker geometry: one row per outlet, mean as a dot, interval as a line."""
    rows = metric["by_outlet"]
    if not rows:
        return None
    ends = [value for r in rows.values() for value in (r["mean"], r["low"], r["high"])
            if value is not None]
    low, high = min([0.0, *ends]), max([0.0, *ends])
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return round(PLOT_LEFT + 10 + (value - low) / span * (PLOT_WIDTH - PLOT_LEFT - 20), 1)

    return {
        "width": PLOT_WIDTH, "height": PLOT_ROW * len(rows) + 24, "left": PLOT_LEFT,
        "zero": x(0.0), "low_label": display(low, metric["unit"], True),
        "high_label": display(high, metric["unit"], True), "axis_y": PLOT_ROW * len(rows) + 4,
        "right": PLOT_WIDTH - 10,
        "rows": [
            {"outlet": outlet, "y": PLOT_ROW * n + 14, "mean": x(r["mean"]),
             "low": None if r["low"] is None else x(r["low"]),
             "high": None if r["high"] is None else x(r["high"]),
             "label": f"{outlet}: {display(r['mean'], metric['unit'], True)} "
                      f"{interval_text(r, metric['unit'])}, {r['events']} events"}
            for n, (outlet, r) in enumerate(rows.items())
        ],
    }


def interval_text(found: dict[str, Any], unit: str) -> str:
    """``[low, high]``, or why there is no interval."""
    if found["low"] is None:
        return "(too few events for an interval)"
    return f"[{display(found['low'], unit, True)}, {display(found['high'], unit, True)}]"


def render_index(comparison: dict[str, Any]) -> str:
    """The index page: the outlet profile first, then the events, each linking to its page."""
    pages = {e["id"]: e["page"] for e in comparison["events"]}
    titles = {e["id"]: e["title"] or e["id"] for e in comparison["events"]}
    outlets = [o["name"] for o in comparison["outlets"]]
    panels: list[dict[str, Any]] = []
    metrics = []
    for metric in comparison["profile"]["metrics"]:
        cells = []
        for outlet in outlets:
            found = metric["by_outlet"].get(outlet)
            if found is None:
                cells.append(None)
                continue
            panel_id = f"pv-{len(panels)}"
            panels.append({
                "id": panel_id, "title": f"{metric['label']} — {outlet}, per event",
                "spans": [{
                    "href": f"{pages[v['event']]}#{metric_panel_id(metric['name'], outlet)}",
                    "text": display(v["value"], metric["unit"], True),
                    "article": titles[v["event"]],
                } for v in found["values"]],
            })
            cells.append({
                "panel": panel_id, "mean": display(found["mean"], metric["unit"], True),
                "interval": interval_text(found, metric["unit"]), "events": found["events"],
            })
        differences = [
            {**d, "text": display(d["mean"], metric["unit"], True),
             "interval": interval_text(d, metric["unit"]),
             "p_text": display_p(d["p"]), "p_holm_text": display_p(d["p_holm"])}
            for d in comparison["profile"]["differences"] if d["metric"] == metric["name"]
        ]
        metrics.append({**metric, "cells": cells, "plot": _plot(metric),
                        "differences": differences,
                        "precision": precision_text(metric["accuracy"]),
                        "effect_text": display_p(metric["outlet_effect"]["p"])})
    events = []
    for event in comparison["events"]:
        events.append({**event, "outlet_names": [o["name"] for o in event["outlets"]]})
    return environment().get_template("index.html.j2").render(
        comparison=comparison, version=__version__, outlets=outlets, metrics=metrics,
        events=events, panels=panels, profile=comparison["profile"],
        measurement=measurement({m["name"]: m["accuracy"] for m in comparison["profile"]["metrics"]
                                 if m["accuracy"]}),
    )
