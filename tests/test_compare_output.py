"""`annotate compare` writes its folder as one transaction, with the profile as tidy tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.accuracy import STANCE_UNMEASURED, accuracy_document, metric_accuracy, wilson
from annotator.cli import cli
from annotator.compare import output as comparison_output
from annotator.thresholds import span_probability
from tests.test_compare_corpus import corpus


def records_folder(tmp_path: Path, records: list[dict] | None = None) -> Path:
    folder = tmp_path / "annotations"
    folder.mkdir(exist_ok=True)
    for found in records if records is not None else corpus(loaded=True):
        (folder / f"{found['article']['id']}.json").write_text(json.dumps(found), "utf-8")
    return folder


def compare(folder: Path, out: Path, *extra: str):
    return CliRunner().invoke(cli, ["compare", str(folder), "-o", str(out), "--model",
                                    "blank:en", *extra])


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_tables_hold_the_numbers_of_comparison_json(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = compare(records_folder(tmp_path), out)
    assert result.exit_code == 0, result.output
    profile = json.loads((out / "comparison.json").read_text("utf-8"))["profile"]
    rows = list(csv.DictReader((out / "profile.csv").open(encoding="utf-8")))
    expected = [(o, m["name"], cell["mean"], cell["events"])
                for m in profile["metrics"] for o, cell in m["by_outlet"].items()]
    assert [(r["outlet"], r["metric"], float(r["mean"]), int(r["events"])) for r in rows] \
        == expected
    assert {r["low"] for r in rows} == {""}  # three events: fewer than the minimum
    pairs = list(csv.DictReader((out / "differences.csv").open(encoding="utf-8")))
    assert [(r["a"], r["b"], r["metric"], float(r["difference"])) for r in pairs] == [
        (d["a"], d["b"], d["metric"], d["mean"]) for d in profile["differences"]]
    import pyarrow.parquet as pq
    table = pq.read_table(out / "profile.parquet").to_pylist()
    assert [(r["outlet"], r["metric"], r["mean"], r["events"]) for r in table] == expected
    assert table[0]["low"] is None


def test_a_failed_comparison_leaves_the_report_folder_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = records_folder(tmp_path)
    out = tmp_path / "report"
    assert compare(folder, out).exit_code == 0
    before = files(out)

    def broken(self, head, handle) -> None:
        handle.write("{")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(comparison_output.ComparisonWriter, "finish", broken)
    (folder / "court-gamma.json").unlink()  # the second comparison would differ
    result = compare(folder, out)
    assert result.exit_code == 1
    assert result.output.strip().endswith("cannot write the report (No space left on device); "
                                          f"{out} is as it was")
    assert files(out) == before
    assert not (out / ".annotator-compare").exists()


def test_pages_of_events_no_longer_compared_are_removed(tmp_path: Path) -> None:
    records = corpus(loaded=True)
    folder = records_folder(tmp_path, records)
    out = tmp_path / "report"
    assert compare(folder, out).exit_code == 0
    assert len(list((out / "events").glob("*.html"))) == 3
    for found in records:
        if found["article"]["event"] == "court":
            (folder / f"{found['article']['id']}.json").unlink()
    assert compare(folder, out).exit_code == 0
    fresh = tmp_path / "fresh"
    assert compare(folder, fresh).exit_code == 0
    assert files(out) == files(fresh)


@pytest.mark.parametrize("where", ["same", "inside", "parent"])
def test_a_report_folder_overlapping_the_records_is_refused(tmp_path: Path, where: str) -> None:
    folder = records_folder(tmp_path)
    out = {"same": folder, "inside": folder / "report", "parent": tmp_path}[where]
    before = files(tmp_path)
    result = compare(folder, out)
    assert result.exit_code == 2
    assert "the report folder overlaps the records folder" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert files(tmp_path) == before


def test_a_non_finite_number_is_refused_not_written(tmp_path: Path) -> None:
    writer = comparison_output.ComparisonWriter()
    with pytest.raises(comparison_output.ComparisonInvalid, match="non-finite"):
        writer.add("alignments", {"score": float("nan")})
    writer.close()


def accuracy_file(tmp_path: Path, version: str = "0.2.0") -> Path:
    report = {"format": "basil", "gold": "/somewhere/basil-train", "items": 30,
              "notes": ["--split dev: 30 items"], "pipeline": "en_core_web_sm",
              "annotators": [{"name": "loaded_terms", "version": version}],
              "scores": {"lexical_bias": {"any overlap": {
                  "precision": 0.25, "recall": 0.4, "f1": 0.31, "predicted": 80, "gold": 50}}}}
    path = tmp_path / "accuracy.json"
    path.write_text(json.dumps(accuracy_document(report, "annotate eval basil-train")), "utf-8")
    return path


def test_the_wilson_interval_is_the_textbook_one() -> None:
    assert wilson(0.5, 100) == (0.4038, 0.5962)
    assert wilson(0.0, 10) == (0.0, 0.2775)
    assert wilson(0.3, 0) == (None, None)


def test_each_metric_names_its_measured_precision_and_how(tmp_path: Path) -> None:
    records = corpus(loaded=True)
    version = next(a["version"] for a in records[0]["provenance"]["annotators"]
                   if a["name"] == "loaded_terms")
    out = tmp_path / "report"
    result = compare(records_folder(tmp_path, records), out, "--accuracy",
                     str(accuracy_file(tmp_path, version)))
    assert result.exit_code == 0, result.output
    metrics = {m["name"]: m for m in json.loads(
        (out / "comparison.json").read_text("utf-8"))["profile"]["metrics"]}
    loaded = metrics["loaded_own"]["accuracy"]
    assert (loaded["precision"], loaded["predicted"], loaded["gold_set"]) \
        == (0.25, 80, "basil-train")
    assert loaded["same_version"] and (loaded["low"], loaded["high"]) == wilson(0.25, 80)
    assert metrics["hedges"]["accuracy"] is None
    page = (out / "report.html").read_text("utf-8")
    row = page[page.index('id="measurement-loaded_own"'):]
    row = row[:row.index("</tr>")]
    assert "0.25" in row and "annotate eval basil-train" in row and "not the version" not in row
    assert 'href="#measurement-loaded_own">P 0.25 [0.17, 0.35]</a>' in page
    assert "not measured" in page[page.index('id="measurement-hedges"'):]
    assert loaded["caveat"] is None and 'class="caveat"' not in row


def test_a_stance_measured_by_cues_alone_says_its_stance_is_not_measured(tmp_path: Path) -> None:
    report = {"format": "brat", "gold": "polnear-train", "items": 188, "notes": [],
              "pipeline": "en_core_web_sm", "annotators": [{"name": "attribution",
                                                            "version": "1.4.2"}],
              "scores": {"cue": {"any overlap": {"precision": 0.848, "recall": 0.71, "f1": 0.77,
                                                 "predicted": 3811, "gold": 4510}}}}
    path = tmp_path / "polnear.json"
    path.write_text(json.dumps(accuracy_document(report, "annotate eval polnear")), "utf-8")
    shown = metric_accuracy([path], {"attribution": {"1.4.2"}})
    assert shown["stance_distancing"]["caveat"] == STANCE_UNMEASURED
    assert shown["stance_distancing"]["precision"] == 0.848 and "hedges" not in shown


def test_an_accuracy_file_of_another_version_is_flagged(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = compare(records_folder(tmp_path), out, "--accuracy",
                     str(accuracy_file(tmp_path, "0.0.1-old")))
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text("utf-8")
    assert "not the version that wrote these records" in page


@pytest.mark.parametrize("content", [None, "{", '{"accuracy_version": "1.0.0"}'])
def test_a_missing_or_bad_accuracy_file_is_one_line_and_exit_2(
        tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "accuracy.json"
    if content is not None:
        path.write_text(content, "utf-8")
    result = compare(records_folder(tmp_path), tmp_path / "report", "--accuracy", str(path))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith(f"error: {path}: ") and "accuracy file" in lines[-1]
    assert not (tmp_path / "report").exists()


def test_min_probability_leaves_low_probability_spans_out_of_compare(
        seeds_output: Path, tmp_path: Path) -> None:
    def hedges(out: Path) -> int:
        comparison = json.loads((out / "comparison.json").read_text("utf-8"))
        return sum(cell["count"] for event in comparison["events"] for row in event["metrics"]
                   if row.get("metric") == "hedges" for cell in row["cells"].values())

    def hedge_spans(minimum: float) -> int:
        return sum(1 for path in seeds_output.glob("*.json")
                   for a in json.loads(path.read_text("utf-8"))["annotations"]
                   if a["annotator"] == "attribution" and a["label"] == "hedge"
                   and (span_probability(a) or 1.0) >= minimum)

    everything, confident = tmp_path / "all", tmp_path / "confident"
    assert compare(seeds_output, everything).exit_code == 0
    result = compare(seeds_output, confident, "--min-probability", "attribution=0.95")
    assert result.exit_code == 0, result.output
    assert hedge_spans(0.95) < hedge_spans(0.0)  # the seeds have hedges below 0.95
    assert hedges(confident) < hedges(everything)
    assert hedges(everything) - hedges(confident) <= hedge_spans(0.0) - hedge_spans(0.95)


@pytest.mark.parametrize("value", ["1.5", "-0.1", "x", "attribution=", "=0.5"])
def test_a_bad_min_probability_is_one_line_and_exit_2(tmp_path: Path, value: str) -> None:
    result = compare(records_folder(tmp_path), tmp_path / "report", "--min-probability", value)
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error: --min-probability")
    assert not (tmp_path / "report").exists()
