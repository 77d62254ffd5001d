"""Every exporter's offsets, mapped back, re-slice the same text: emoji, combining marks, CRLF.

brat and W3C exports also re-import through `annotate eval`'s readers with identical spans.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from annotator_plugins.exporters.brat import BratExporter, Utf16Offsets
from annotator_plugins.exporters.labelstudio import LabelStudioExporter
from annotator_plugins.exporters.table import CsvExporter, ParquetExporter
from annotator_plugins.exporters.w3c import W3CExporter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.eval.brat import parse_standoff, read_brat
from annotator.eval.w3c import read_w3c

PIECES = ["a", "b", " ", "Zoë", "e\u0301", "n\u0303o", "👍🏽", "🇺🇦", "👩‍👩‍👧", "\r\n", "\n", "“",
          "”", "—", "said", "\t"]
LABELS = [("loaded_terms", "loaded_term"), ("attribution", "hedge"), ("sentiment", "sentence")]


@st.composite
def records(draw) -> dict:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=3, max_size=40)))
    bounds = st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).map(sorted) \
        .filter(lambda b: b[0] < b[1])
    annotations = []
    for start, end in draw(st.lists(bounds, max_size=8)):
        annotator, label = draw(st.sampled_from(LABELS))
        annotations.append({"annotator": annotator, "label": label, "start": start, "end": end,
                            "text": text[start:end], "attributes": {"category": "pejorative"}})
    for (start, end), part in draw(st.lists(st.tuples(bounds, bounds), max_size=3)):
        annotations.append({
            "annotator": "attribution", "label": "cue", "start": start, "end": end,
            "text": text[start:end],
            "attributes": {"stance": "distancing", "negated": False, "source": {
                "start": part[0], "end": part[1], "text": text[part[0]:part[1]]}},
        })
    annotations.sort(key=lambda a: (a["start"], a["end"], a["annotator"], a["label"]))
    return {
        "schema_version": "1.1.0",
        "article": {"id": "story", "title": "T", "source": "Outlet", "url": None, "date": None,
                    "event": None, "meta": {}, "text": text, "length": len(text),
                    "sha256": hashlib.sha256(text.encode()).hexdigest()},
        "provenance": {"tool": {"name": "annotator", "version": "0"},
                       "annotators": [{"name": n, "version": "1"} for n in
                                      ("attribution", "loaded_terms", "sentiment")]},
        "annotations": annotations,
        "summary": {},
        "errors": [],
    }


def spans_of(record: dict) -> set[tuple[int, int, str]]:
    found = {(a["start"], a["end"], f"{a['annotator']}:{a['label']}")
             for a in record["annotations"]}
    for a in record["annotations"]:
        if source := a["attributes"].get("source"):
            found.add((source["start"], source["end"], "attribution:source"))
    return found


def exported(exporter, record: dict):
    folder = tempfile.TemporaryDirectory()
    exporter.export([record], Path(folder.name))
    return folder


ROUND_TRIP = settings(max_examples=40, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(records())
def test_labelstudio_regions_slice_the_task_text_to_value_text(record):
    exporter = LabelStudioExporter(skip=[], label_attributes={})
    with exported(exporter, record) as folder:
        [task] = json.loads((Path(folder) / "tasks.json").read_text("utf-8"))
    text = task["data"]["text"]
    assert text == record["article"]["text"]
    regions = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    for region in regions:
        value = region["value"]
        assert text[value["start"]:value["end"]] == value["text"]
    found = {(r["value"]["start"], r["value"]["end"], f"{r['from_name']}:{r['value']['labels'][0]}")
             for r in regions}
    assert found == spans_of(record)


@ROUND_TRIP
@given(records())
def test_w3c_selectors_slice_the_exported_text_and_reimport_identically(record):
    with exported(W3CExporter(), record) as folder:
        text = (Path(folder) / "story.txt").read_bytes().decode("utf-8")
        collection = json.loads((Path(folder) / "story.jsonld").read_text("utf-8"))
        gold = read_w3c(Path(folder))
    assert text == record["article"]["text"]
    for item in collection["first"]["items"]:
        position, quote = item["target"]["selector"]
        exact = text[position["start"]:position["end"]]
        assert exact == quote["exact"]
        assert text[:position["start"]].endswith(quote.get("prefix", ""))
        assert text[position["end"]:].startswith(quote.get("suffix", ""))
    [item] = gold.items
    record_spans = {(a["start"], a["end"], f"{a['annotator']}:{a['label']}")
                    for a in record["annotations"]}
    assert item.text == text
    assert {(s.start, s.end, s.label) for s in item.reviews[0][1]} == record_spans


def brat_spans(standoff) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.label.replace("-", ":", 1)) for s in standoff.spans.values()}


def brat_expected(record: dict) -> set[tuple[int, int, str]]:
    """The record's spans as brat holds them: without edge line breaks, and a sub-span only
    where its annotation could be written."""
    text, found = record["article"]["text"], set()
    for a in record["annotations"]:
        own = without_edge_breaks(text, {(a["start"], a["end"], f"{a['annotator']}:{a['label']}")})
        found |= own
        if own and (source := a["attributes"].get("source")):
            found |= without_edge_breaks(text, {(source["start"], source["end"],
                                                  "attribution:source")})
    return found


def without_edge_breaks(text: str, spans: set[tuple[int, int, str]]
                        ) -> set[tuple[int, int, str]]:
    """What brat can hold: spans without line breaks at their edges (none if all breaks)."""
    kept = set()
    for start, end, label in spans:
        while start < end and text[start] in "\r\n":
            start += 1
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        if end > start:
            kept.add((start, end, label))
    return kept


@ROUND_TRIP
@given(records())
def test_brat_spans_reimport_identically_and_fragments_skip_line_breaks(record):
    with exported(BratExporter(), record) as folder:
        text = (Path(folder) / "story.txt").read_bytes().decode("utf-8")
        ann = (Path(folder) / "story.ann").read_text("utf-8")
        gold = read_brat(Path(folder))
    assert text == record["article"]["text"]
    standoff = parse_standoff(ann, text, "story.ann")
    assert brat_spans(standoff) == brat_expected(record)
    for line in ann.splitlines():
        if line.startswith("T"):
            _, offsets, covered = line.split("\t", 2)
            parts = [tuple(map(int, p.split())) for p in offsets.split(" ", 1)[1].split(";")]
            assert covered == " ".join(text[s:e] for s, e in parts)
            assert not any("\n" in text[s:e] or "\r" in text[s:e] for s, e in parts)
    [item] = gold.items
    expected = []
    for cue in (a for a in record["annotations"] if a["label"] == "cue"):
        source = cue["attributes"]["source"]
        for cue_span in without_edge_breaks(text, {(cue["start"], cue["end"], "")}):
            kept = without_edge_breaks(text, {(source["start"], source["end"], "")})
            expected.append((cue_span[:2], next(iter(kept))[:2] if kept else None))
    found = [((r.cue.start, r.cue.end), (r.source.start, r.source.end) if r.source else None)
             for r in item.relations]
    assert sorted(found, key=str) == sorted(expected, key=str)


@ROUND_TRIP
@given(records())
def test_brat_utf16_offsets_map_back_to_the_same_code_point_spans(record):
    text = record["article"]["text"]
    with exported(BratExporter(offsets="utf16"), record) as folder:
        ann = (Path(folder) / "story.ann").read_text("utf-8")
    back = {unit: point for point, unit in enumerate(Utf16Offsets(text).units)}
    utf16 = text.encode("utf-16-le")
    found = set()
    for line in ann.splitlines():
        if not line.startswith("T"):
            continue
        _, offsets, covered = line.split("\t", 2)
        kind, spans = offsets.split(" ", 1)
        parts = [tuple(map(int, p.split())) for p in spans.split(";")]
        assert covered == " ".join(utf16[2 * s:2 * e].decode("utf-16-le") for s, e in parts)
        found.add((back[parts[0][0]], back[parts[-1][1]], kind.replace("-", ":", 1)))
    assert found == brat_expected(record)


@ROUND_TRIP
@given(records())
def test_table_rows_slice_the_article_text(record):
    text = record["article"]["text"]
    expected = sorted((a["start"], a["end"], a["text"]) for a in record["annotations"])
    with exported(ParquetExporter(), record) as folder:
        rows = pq.read_table(Path(folder) / "annotations.parquet").to_pylist()
        [article] = pq.read_table(Path(folder) / "articles.parquet").to_pylist()
    assert sorted((r["start"], r["end"], r["text"]) for r in rows) == expected
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert (article["article_id"], article["length"]) == ("story", len(text))
    with exported(CsvExporter(), record) as folder:
        with (Path(folder) / "annotations.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    assert sorted((int(r["start"]), int(r["end"]), r["text"]) for r in rows) == expected
