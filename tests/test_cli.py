"""The annotate command end to end: seeds, validation, determinism, failures, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import annotator.pipeline
from annotator.cli import cli
from tests.conftest import SEEDS

BUILTINS = ("attribution", "loaded_terms", "sentiment")
FALSELY = re.compile(r"\b(falsely|inaccurately)\b", re.IGNORECASE)


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_seeds_give_five_valid_files_with_every_builtin(seeds_output, seed_records):
    assert len(seed_records) == 5
    for record in seed_records.values():
        produced = {a["annotator"] for a in record["annotations"]}
        assert set(BUILTINS) <= produced, record["article"]["id"]
        assert record["errors"] == []
    result = invoke("validate", seeds_output)
    assert result.exit_code == 0, result.output


def test_seeds_falsely_and_inaccurately_cues_discredit_with_trump_as_source(seed_records):
    found = 0
    for record in seed_records.values():
        for a in record["annotations"]:
            modifier = a["attributes"].get("modifier") or ""
            if a["label"] == "cue" and FALSELY.search(f"{a['text']} {modifier}"):
                found += 1
                assert a["attributes"]["stance"] == "discrediting", a["text"]
                assert "Trump" in a["attributes"]["source_name"], a
    assert found >= 3


def test_seeds_plain_claimed_is_not_neutral(seed_records):
    claimed = [
        a for r in seed_records.values() for a in r["annotations"]
        if a["label"] == "cue" and a["text"].lower() == "claimed"
    ]
    assert claimed
    assert all(a["attributes"]["stance"] != "neutral" for a in claimed)


def test_seeds_quoted_dictator_is_one_scare_quoted_loaded_term(seed_records):
    record = seed_records["001_ae5e02e24ca58ad5"]
    by_label = {(a["label"], a["text"]) for a in record["annotations"]}
    assert ("loaded_term", "dictator") in by_label
    assert ("scare_quote", "“dictator”") not in by_label


def test_shifted_offset_fails_validation_with_one_line(seeds_output, tmp_path):
    path = tmp_path / "shifted.json"
    record = json.loads((seeds_output / "001_ae5e02e24ca58ad5.json").read_text("utf-8"))
    record["annotations"][4]["start"] += 1
    path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    result = invoke("validate", path)
    assert result.exit_code == 1
    [line] = [x for x in result.stdout.splitlines() if x]
    assert line.startswith(f"{path}: /annotations/4: text ")


def test_same_input_gives_byte_identical_files(seeds_output, tmp_path):
    assert invoke(SEEDS, "-o", tmp_path, "-q").exit_code == 0
    for first in sorted(seeds_output.glob("*.json")):
        assert (tmp_path / first.name).read_bytes() == first.read_bytes(), first.name


def test_bad_input_is_one_line_and_the_rest_is_written(tmp_path, trained_nlp):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "001_ae5e02e24ca58ad5.txt", corpus)
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    result = invoke(corpus, "-o", tmp_path / "out", "-q")
    assert result.exit_code == 1
    assert f"error: {corpus / 'broken.txt'}: binary file" in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "001_ae5e02e24ca58ad5.json").is_file()


def test_broken_plugin_is_recorded_per_article_and_exit_is_nonzero(tmp_path, trained_nlp):
    plugin = tmp_path / "explode.py"
    plugin.write_text(
        "from annotator import Annotator, hookimpl\n"
        "class Explode(Annotator):\n"
        "    name = 'explode'\n"
        "    version = '0.0.1'\n"
        "    def annotate(self, article, doc):\n"
        "        raise ValueError('boom')\n"
        "@hookimpl\n"
        "def register_annotators(register):\n"
        "    register(Explode)\n"
    )
    out = tmp_path / "out"
    result = invoke(SEEDS, "-o", out, "--plugin", plugin, "-q")
    assert result.exit_code == 1
    assert result.stderr.count("annotator 'explode' failed: ValueError: boom") == 5
    record = json.loads((out / "000_a3d49863d93668f5.json").read_text("utf-8"))
    assert record["errors"] == [{"annotator": "explode", "message": "ValueError: boom"}]
    assert {a["annotator"] for a in record["annotations"]} >= set(BUILTINS)
    assert invoke("validate", "--plugin", plugin, out).exit_code == 0


def test_blank_pipeline_fallback_still_annotates(tmp_path, monkeypatch):
    monkeypatch.setattr(annotator.pipeline, "find_english_pipeline", lambda: None)
    result = invoke(SEEDS / "003_0ed92c114fbffe39.txt", "-o", tmp_path, "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: no trained English spaCy pipeline")
    record = json.loads((tmp_path / "003_0ed92c114fbffe39.json").read_text("utf-8"))
    assert record["provenance"]["pipeline"]["pipes"] == ["sentencizer"]
    assert {a["annotator"] for a in record["annotations"]} >= set(BUILTINS)
    assert invoke("validate", tmp_path).exit_code == 0


def test_stdin_and_only(tmp_path, trained_nlp):
    result = CliRunner().invoke(
        cli, ["-", "-o", str(tmp_path), "--only", "sentiment", "-q"],
        input="Officials said the plan was a disaster.",
    )
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "stdin.json").read_text("utf-8"))
    assert {a["annotator"] for a in record["annotations"]} == {"sentiment"}
    assert [p["name"] for p in record["provenance"]["annotators"]] == ["sentiment"]


def test_only_runs_the_annotators_it_uses_too_and_says_so(tmp_path, trained_nlp):
    result = CliRunner().invoke(
        cli, ["-", "-o", str(tmp_path), "--only", "loaded_terms", "-q"],
        input='The regime\'s spokesman said the "reforms" were working.',
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("note: also running attribution (used by loaded_terms)\n")
    record = json.loads((tmp_path / "stdin.json").read_text("utf-8"))
    assert [p["name"] for p in record["provenance"]["annotators"]] == [
        "attribution", "loaded_terms"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", str(SEEDS), "--only", "loaded_terms", "--disable", "attribution"],
         "annotator 'loaded_terms' uses 'attribution', which is disabled"),
        (["validate", "does-not-exist"], "does not exist"),
        (["run", str(SEEDS), "--only", "nope"], "--only: unknown annotator(s) nope"),
        (["run", str(SEEDS), "--model", "no_such_pipeline"], "cannot load spaCy pipeline"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_validate_folder_without_json_is_a_usage_error(tmp_path):
    result = invoke("validate", tmp_path)
    assert result.exit_code == 2
    assert "no .json or .jsonl files" in result.output


def test_plugins_lists_builtins_with_versions():
    result = invoke("plugins")
    assert result.exit_code == 0
    for name in BUILTINS:
        assert f"  annotator {name} " in result.stdout


def test_schema_prints_the_record_schema():
    result = invoke("schema")
    assert json.loads(result.stdout)["$id"].endswith("/record.json")


def test_config_table_selects_annotators(tmp_path, trained_nlp):
    config = tmp_path / "annotator.toml"
    config.write_text('[tool.annotator]\nonly = ["sentiment"]\n')
    out = tmp_path / "out"
    result = invoke(SEEDS / "002_a25355c8a7e0ad96.txt", "-o", out, "--config", config, "-q")
    assert result.exit_code == 0, result.output
    record = json.loads((out / "002_a25355c8a7e0ad96.json").read_text("utf-8"))
    assert {a["annotator"] for a in record["annotations"]} == {"sentiment"}


def test_output_is_atomic_leaving_no_temporary_files(seeds_output):
    assert sorted(p.name for p in Path(seeds_output).iterdir() if p.name.startswith("."))== []


def test_jsonl_metadata_reaches_the_record_and_validates(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "The minister said it.", "source": "NYT",
                                  "event": "budget-2024", "desk": "politics"}) + "\n")
    out = tmp_path / "out"
    result = invoke(corpus, "-o", out, "-q", "--only", "sentiment")
    assert result.exit_code == 0, result.output
    article = json.loads((out / "a.json").read_text())["article"]
    assert (article["source"], article["event"], article["meta"]) == (
        "NYT", "budget-2024", {"desk": "politics"})
    assert invoke("validate", out).exit_code == 0


def test_validate_checks_comparison_json_against_its_own_schema(seeds_output, tmp_path):
    folder = tmp_path / "both"
    shutil.copytree(seeds_output, folder)
    (folder / "comparison.json").write_text('{"schema_version": "0"}', "utf-8")
    result = invoke("validate", folder)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"{folder / 'comparison.json'}: ") for line in lines)
    assert "6 record(s) in 6 file(s) checked, 1 invalid" in result.stderr


def test_validate_with_workers_prints_the_same_lines_in_the_same_order(seeds_output, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):  # more than one chunk of files
        source = sorted(seeds_output.glob("*.json"))[n % 5]
        record = json.loads(source.read_text("utf-8"))
        record["article"]["id"] = f"{n:02d}"
        if n % 7 == 0:
            record["annotations"][0]["start"] += 1
        (folder / f"{n:02d}.json").write_text(json.dumps(record), "utf-8")
    one, two = invoke("validate", folder), invoke("validate", folder, "--workers", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert sorted({line.split(": ")[0] for line in one.stdout.splitlines()}) == [
        str(folder / f"{n:02d}.json") for n in range(0, 40, 7)]
    assert "40 record(s) in 40 file(s) checked, 6 invalid" in two.stderr
