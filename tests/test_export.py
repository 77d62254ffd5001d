"""`annotate export`: the formats on real records, the command's guarantees and its errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest
from click.testing import CliRunner

from annotator import Exporter, hookimpl
from annotator.cli import cli
from annotator.testing import fake_distribution, installed_plugins
from tests.conftest import ROOT

FORMATS = ("labelstudio", "w3c", "brat", "parquet", "csv")


def export(*args: str):
    return CliRunner().invoke(cli, ["export", *args])


@pytest.fixture(scope="module")
def exports(seeds_output, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    for fmt in FORMATS:
        result = export(fmt, str(seeds_output), "-o", str(root / fmt))
        assert result.exit_code == 0, result.output
    return root


class Counts(Exporter):
    name = "counts"
    description = "annotation counts per article (a test plugin)"

    def export(self, records, output):
        lines = [f"{r['article']['id']}\t{len(r['annotations'])}\n" for r in records]
        (output / "counts.tsv").write_text("".join(lines), encoding="utf-8")


@hookimpl
def register_counts(register):
    register(Counts)


def counts_package():
    plugin = type("CountsPlugin", (), {"register_exporters": staticmethod(register_counts)})
    return fake_distribution("annotator-counts", {"counts": plugin})


def test_help_lists_every_installed_format_including_a_plugins():
    with installed_plugins(counts_package()):
        result = export("--help")
    assert result.exit_code == 0, result.output
    formats = result.output.split("Formats:")[1]
    for name in (*FORMATS, "counts"):
        assert re.search(rf"^\s+{name}\s", formats, re.M), name
    assert "annotation counts per article (a test plugin)" in formats


def test_a_plugin_format_exports(seeds_output, tmp_path):
    with installed_plugins(counts_package()):
        result = export("counts", str(seeds_output), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "out" / "counts.tsv").read_text().splitlines()) == 5


def test_unknown_format_lists_the_known_ones_and_exits_2(seeds_output, tmp_path):
    result = export("docx", str(seeds_output), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: unknown format 'docx' (known: brat, csv, labelstudio, parquet, w3c)"
    )
    assert not (tmp_path / "out").exists()


def test_a_non_empty_output_folder_is_kept_without_force(seeds_output, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = export("csv", str(seeds_output), "-o", str(out))
    assert result.exit_code == 2
    assert "folder is not empty (use --force to replace it)" in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    result = export("csv", str(seeds_output), "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["annotations.csv", "articles.csv"]


def test_an_invalid_record_stops_the_export_with_one_line_and_writes_nothing(
        seeds_output, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    for path in sorted(seeds_output.glob("*.json"))[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    broken = json.loads(path.read_text("utf-8"))
    broken["annotations"][0]["end"] += 1
    (folder / "zz_broken.json").write_text(json.dumps(broken), encoding="utf-8")
    result = export("w3c", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.startswith("error")]
    assert line.startswith(f"error: {folder / 'zz_broken.json'}")
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_a_failing_exporter_is_named_and_leaves_no_output(monkeypatch, seeds_output, tmp_path):
    def broken(self, records, output):
        (output / "half.txt").write_text("half")
        raise ValueError("disk on fire")

    monkeypatch.setattr("annotator_plugins.exporters.table.CsvExporter.export", broken)
    result = export("csv", str(seeds_output), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output.strip() == "error: exporter 'csv' failed: ValueError: disk on fire"
    assert list(tmp_path.iterdir()) == []


def test_unknown_setting_is_a_usage_error(seeds_output, tmp_path):
    result = export("brat", str(seeds_output), "-o", str(tmp_path / "o"), "--set", "offset=utf16")
    assert result.exit_code == 2
    assert "unknown setting(s) offset" in result.output


def test_exports_are_byte_identical_when_repeated(seeds_output, exports, tmp_path):
    for fmt in FORMATS:
        again = tmp_path / fmt
        assert export(fmt, str(seeds_output), "-o", str(again)).exit_code == 0
        first = {p.relative_to(exports / fmt): p.read_bytes()
                 for p in (exports / fmt).rglob("*") if p.is_file()}
        second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
        assert first == second, fmt


def test_labelstudio_tasks_config_and_predictions(seed_records, exports):
    tasks = json.loads((exports / "labelstudio" / "tasks.json").read_text("utf-8"))
    config = ElementTree.fromstring((exports / "labelstudio" / "config.xml").read_text())
    labels = {(group.get("name"), label.get("value"))
              for group in config.iter("Labels") for label in group.iter("Label")}
    assert config.find("Text").get("value") == "$text"
    assert {r.get("value") for r in config.iter("Relation")} == {"source", "content"}
    assert len(tasks) == len(seed_records)
    for task in tasks:
        record = seed_records[task["data"]["article_id"]]
        assert task["data"]["text"] == record["article"]["text"]
        [prediction] = task["predictions"]
        assert prediction["model_version"].startswith("annotator ")
        assert "attribution " in prediction["model_version"]
        regions = {r["id"]: r for r in prediction["result"] if r["type"] == "labels"}
        for region in regions.values():
            value = region["value"]
            assert task["data"]["text"][value["start"]:value["end"]] == value["text"]
            assert (region["from_name"], value["labels"][0]) in labels
            assert region["from_name"] not in ("boilerplate",)
        for relation in (r for r in prediction["result"] if r["type"] == "relation"):
            assert relation["from_id"] in regions and relation["to_id"] in regions
    stances = {label for name, label in labels if name == "attribution"}
    assert "cue/neutral" in stances


def test_brat_conf_declares_every_type_used(exports):
    conf = (exports / "brat" / "annotation.conf").read_text()
    entities = conf.split("[entities]\n")[1].split("[relations]")[0].split()
    used = set()
    for ann in (exports / "brat").glob("*.ann"):
        for line in ann.read_text("utf-8").splitlines():
            if line.startswith("T"):
                used.add(line.split("\t")[1].split(" ")[0])
    assert used == set(entities)
    assert "Source\tArg1:attribution-cue, Arg2:attribution-source" in conf


def test_w3c_annotations_are_json_ld_with_both_selectors(exports):
    collection = json.loads(next((exports / "w3c").glob("*.jsonld")).read_text("utf-8"))
    assert collection["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    item = collection["first"]["items"][0]
    assert item["type"] == "Annotation" and item["id"].startswith("urn:uuid:")
    assert [s["type"] for s in item["target"]["selector"]] == [
        "TextPositionSelector", "TextQuoteSelector"]


def docs_query() -> str:
    docs = (ROOT / "docs" / "export.md").read_text()
    [sql] = re.findall(r"```sql\n(.*?)```", docs, re.S)
    return sql


def compare_and_export(records: Path, root: Path, *export_options: str) -> tuple[dict, Path]:
    """``annotate compare`` then ``annotate export parquet`` and ``csv`` of ``records``:
    comparison.json's profile metrics by name, and the folder with the two exports."""
    result = CliRunner().invoke(cli, ["compare", str(records), "-o", str(root / "report")])
    assert result.exit_code == 0, result.output
    for fmt in ("parquet", "csv"):
        result = export(fmt, str(records), "-o", str(root / fmt), *export_options)
        assert result.exit_code == 0, result.output
    profile = json.loads((root / "report" / "comparison.json").read_text("utf-8"))["profile"]
    return {m["name"]: m for m in profile["metrics"]}, root


def documented_profile(folder: Path, suffix: str) -> dict[str, float]:
    rows = duckdb.sql(docs_query().replace("'tables/", f"'{folder}/")
                      .replace(".parquet'", f".{suffix}'")).fetchall()
    return {outlet: mean for outlet, mean, _ in rows}


def reported(metrics: dict, name: str) -> dict[str, float]:
    return {outlet: cell["mean"] for outlet, cell in metrics[name]["by_outlet"].items()}


def test_the_documented_query_recomputes_the_reports_profile_from_the_seeds(seeds_output,
                                                                           tmp_path):
    metrics, root = compare_and_export(seeds_output, tmp_path, "--events",
                                       str(tmp_path / "report" / "events.json"))
    for suffix in ("parquet", "csv"):
        assert documented_profile(root / suffix, suffix) == reported(metrics, "loaded_own")


def test_the_documented_query_is_the_per_event_mean_over_outlets_spelled_two_ways(
        seed_records, tmp_path):
    placed = {"000": ("FOX", "e1"), "001": ("fox ", "e2"), "002": ("CNN", "e1"),
              "003": ("cnn", "e2"), "004": ("CNN", "e1")}  # CNN: two articles in e1
    records = tmp_path / "records"
    records.mkdir()
    for stem, seed in seed_records.items():
        record = json.loads(json.dumps(seed))  # the fixture is shared: change a copy
        record["article"]["source"], record["article"]["event"] = placed[stem[:3]]
        (records / f"{stem}.json").write_text(json.dumps(record), encoding="utf-8")
    metrics, root = compare_and_export(records, tmp_path)
    expected = reported(metrics, "loaded_own")
    assert set(expected) == {"CNN", "FOX"}
    assert documented_profile(root / "parquet", "parquet") == expected
    assert documented_profile(root / "csv", "csv") == expected
    pooled = duckdb.sql(f"""
        WITH words AS (SELECT outlet, sum(words - quoted_words) AS own_words
                       FROM '{root}/parquet/articles.parquet' GROUP BY outlet),
             terms AS (SELECT outlet, count(*) AS own_terms
                       FROM '{root}/parquet/annotations.parquet'
                       WHERE label = 'loaded_term' AND voice = 'own' AND NOT in_boilerplate
                       GROUP BY outlet)
        SELECT outlet, round(1000.0 * own_terms / own_words, 4) FROM words JOIN terms USING (outlet)
        """).fetchall()
    assert dict(pooled) != expected  # a pooled rate is not what the report shows


def test_brat_zip_per_article_for_inception_with_utf16_offsets(seeds_output, tmp_path):
    import zipfile

    result = export("brat", str(seeds_output), "-o", str(tmp_path / "z"),
                    "--set", "zip=true", "--set", "offsets=utf16")
    assert result.exit_code == 0, result.output
    archives = sorted((tmp_path / "z").glob("*.zip"))
    assert len(archives) == 5 and not list((tmp_path / "z").glob("*.ann"))
    with zipfile.ZipFile(archives[0]) as archive:
        assert archive.namelist() == [f"{archives[0].stem}.txt", f"{archives[0].stem}.ann"]
        text = archive.read(f"{archives[0].stem}.txt").decode("utf-8")
        ann = archive.read(f"{archives[0].stem}.ann").decode("utf-8")
    units = text.encode("utf-16-le")
    for line in ann.splitlines():
        if line.startswith("T"):
            _, offsets, covered = line.split("\t", 2)
            parts = [tuple(map(int, p.split())) for p in offsets.split(" ", 1)[1].split(";")]
            assert covered == " ".join(units[2 * s:2 * e].decode("utf-16-le") for s, e in parts)


def test_an_empty_annotations_folder_is_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    result = export("csv", str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {tmp_path / 'empty'}: no annotation files")
    assert "\n" not in result.output.strip()


def test_label_studio_sdk_accepts_the_config_and_every_prediction(exports):
    from label_studio_sdk.label_interface import LabelInterface

    interface = LabelInterface((exports / "labelstudio" / "config.xml").read_text())
    tasks = json.loads((exports / "labelstudio" / "tasks.json").read_text("utf-8"))
    assert all(interface.validate_prediction(task["predictions"][0]) for task in tasks)
    wrong = json.loads(json.dumps(tasks[0]["predictions"][0]))
    wrong["result"][0]["value"]["labels"] = ["not-in-the-config"]
    assert not interface.validate_prediction(wrong)


def test_export_reads_jsonl_shards_as_it_reads_one_file_per_article(exports, tmp_path):
    shards = tmp_path / "shards"
    result = CliRunner().invoke(cli, [str(ROOT / "seeds"), "-o", str(shards), "--format", "jsonl",
                                      "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert list(shards.rglob("*.jsonl"))
    for fmt in ("csv", "w3c"):
        assert export(fmt, str(shards), "-o", str(tmp_path / fmt)).exit_code == 0
        expected = {p.relative_to(exports / fmt): p.read_bytes()
                    for p in (exports / fmt).rglob("*") if p.is_file()}
        assert {p.relative_to(tmp_path / fmt): p.read_bytes()
                for p in (tmp_path / fmt).rglob("*") if p.is_file()} == expected, fmt
