"""The table exports keep every attribute and number as it was, and carry compare's columns."""

from __future__ import annotations

import csv
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from annotator_plugins.exporters.table import CsvExporter, ParquetExporter
from click.testing import CliRunner

from annotator import ConfigError
from annotator.cli import cli
from annotator.compare.article import ComparedArticle
from annotator.compare.metrics import quoted_voice
from annotator.thresholds import Thresholds


def record(article_id: str, attributes: list[dict], text: str = "one two three") -> dict:
    return {
        "schema_version": "1.1.0",
        "article": {"id": article_id, "title": None, "source": None, "url": None,
                    "date": None, "event": None, "meta": {}, "text": text,
                    "length": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()},
        "provenance": {"tool": {"name": "annotator", "version": "0"},
                       "annotators": [{"name": "custom", "version": "1"}]},
        "annotations": [{"annotator": "custom", "label": "x", "start": 0, "end": 3,
                         "text": text[:3], "attributes": a} for a in attributes],
        "summary": {},
        "errors": [],
    }


def parquet_rows(records: list[dict], tmp_path: Path) -> tuple[pa.Schema, list[dict]]:
    ParquetExporter().export(records, tmp_path)
    table = pq.read_table(tmp_path / "annotations.parquet")
    return table.schema, table.to_pylist()


def csv_rows(records: list[dict], tmp_path: Path) -> list[dict]:
    tmp_path.mkdir()
    CsvExporter().export(records, tmp_path)
    with (tmp_path / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_dotted_attribute_and_a_nested_one_are_kept_apart_as_json(tmp_path):
    records = [record("r", [{"a.b": 1, "a": {"b": 2}, "c": {"d": 3}}])]
    schema, [row] = parquet_rows(records, tmp_path)
    assert row["attributes.a.b"] == 1
    assert json.loads(row["attributes.a"]) == {"b": 2}
    assert row["attributes.c.d"] == 3  # no collision: still flattened
    assert schema.field("attributes.a.b").type == pa.int64()
    [cells] = csv_rows(records, tmp_path / "csv")
    assert (cells["attributes.a.b"], json.loads(cells["attributes.a"])) == ("1", {"b": 2})


def test_integers_stay_integers_however_large(tmp_path):
    records = [record("r", [{"big": 2**70, "small": 1, "mixed": 1},
                            {"big": -3, "small": 2, "mixed": 0.5}])]
    schema, rows = parquet_rows(records, tmp_path)
    assert schema.field("attributes.small").type == pa.int64()
    assert schema.field("attributes.big").type == pa.decimal128(38, 0)
    assert [r["attributes.big"] for r in rows] == [Decimal(2**70), Decimal(-3)]
    assert [r["attributes.small"] for r in rows] == [1, 2]
    assert [r["attributes.mixed"] for r in rows] == ["1", "0.5"]  # JSON: 1 is not 1.0
    cells = csv_rows(records, tmp_path / "csv")
    assert [c["attributes.big"] for c in cells] == [str(2**70), "-3"]
    assert [c["attributes.mixed"] for c in cells] == ["1", "0.5"]


def test_beyond_decimal_an_integer_is_json_and_a_string_one_stays_a_string(tmp_path):
    records = [record("r", [{"huge": 10**40, "kind": "1"}, {"kind": 1}])]
    schema, rows = parquet_rows(records, tmp_path)
    assert json.loads(rows[0]["attributes.huge"]) == 10**40
    assert [json.loads(r["attributes.kind"]) for r in rows] == ["1", 1]


def test_articles_carry_compares_words_and_annotations_its_boilerplate_and_voice(
        seed_records, tmp_path):
    records = list(seed_records.values())
    ParquetExporter().export(records, tmp_path)
    articles = {r["article_id"]: r for r in pq.read_table(tmp_path / "articles.parquet")
                .to_pylist()}
    rows = pq.read_table(tmp_path / "annotations.parquet").to_pylist()
    for item in records:
        compared = ComparedArticle.from_record(item)
        row = articles[compared.id]
        assert (row["words"], row["quoted_words"]) == (len(compared.words),
                                                       compared.quoted_words)
        assert row["outlet"] == compared.outlet
        kept = {(a["annotator"], a["label"], a["start"], a["end"]) for a in compared.annotations}
        mine = [r for r in rows if r["article_id"] == compared.id]
        assert {(r["annotator"], r["label"], r["start"], r["end"])
                for r in mine if not r["in_boilerplate"]} == kept
    seed = articles[next(iter(seed_records.values()))["article"]["id"]]
    assert seed["words"] < len(seed_records[next(iter(seed_records))]["article"]["text"].split())
    terms = [(r, a) for item in records for r, a in zip(
        [r for r in rows if r["article_id"] == item["article"]["id"]],
        item["annotations"], strict=True) if a["label"] == "loaded_term"]
    assert terms and all((r["voice"] == "quoted") == quoted_voice(a) for r, a in terms)
    assert {r["voice"] for r, _ in terms} == {"own", "quoted"}


def test_outlets_are_named_as_compare_names_them(tmp_path):
    spelled = []
    for number, source in enumerate(["FOX", "fox ", "Fox", "nytimes.com"]):
        item = record(f"r{number}", [{}])
        item["article"]["source"] = source
        spelled.append(item)
    from annotator import Records

    ParquetExporter().export(Records(spelled, aliases={"nytimes.com": "NYT"}), tmp_path)
    outlets = [r["outlet"] for r in pq.read_table(tmp_path / "articles.parquet").to_pylist()]
    assert outlets == ["FOX", "FOX", "FOX", "NYT"]  # ties: the first spelling in sorted order


@pytest.mark.parametrize("values, kept", [
    ((), {0.2, 0.6, 0.9, None}),
    (("0.5",), {0.6, 0.9, None}),
    (("custom=0.7",), {0.9, None}),
    (("other=0.7", "0.1"), {0.2, 0.6, 0.9, None}),
])
def test_min_probability_leaves_out_spans_below_the_threshold(values, kept):
    thresholds = Thresholds.parse(values)
    spans = [{"attributes": {"probability": p}} for p in (0.2, 0.6, 0.9, None)]
    assert {s["attributes"]["probability"] for s in spans
            if thresholds.keeps("custom", s)} == kept


@pytest.mark.parametrize("value", ["1.5", "-0.1", "x", "nan", "custom=", "=0.5", "inf"])
def test_a_threshold_outside_0_1_or_malformed_is_a_config_error(value):
    with pytest.raises(ConfigError, match="--min-probability"):
        Thresholds.parse([value])


def test_min_probability_on_export_filters_and_bad_values_exit_2(seeds_output, tmp_path):
    runner = CliRunner()
    out = tmp_path / "all"
    assert runner.invoke(cli, ["export", "parquet", str(seeds_output), "-o", str(out)]
                         ).exit_code == 0
    result = runner.invoke(cli, ["export", "parquet", str(seeds_output), "-o",
                                 str(tmp_path / "some"), "--min-probability", "attribution=0.9"])
    assert result.exit_code == 0, result.output
    every = pq.read_table(out / "annotations.parquet").to_pylist()
    some = pq.read_table(tmp_path / "some" / "annotations.parquet").to_pylist()
    dropped = [r for r in every if r["annotator"] == "attribution"
               and r["attributes.probability"] is not None and r["attributes.probability"] < 0.9]
    assert dropped and len(some) == len(every) - len(dropped)
    bad = runner.invoke(cli, ["export", "csv", str(seeds_output), "-o", str(tmp_path / "bad"),
                              "--min-probability", "2"])
    assert bad.exit_code == 2
    assert bad.output.splitlines() == [
        "error: --min-probability '2': P must be between 0 and 1"]
    assert not (tmp_path / "bad").exists()
