"""The output folder is one transaction: re-runs equal fresh runs, nothing is lost (issue 22)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.atomic import Commit
from annotator.cli import cli
from annotator.run.output import STAGING, ShardFiles

FAST = ("--model", "blank", "--workers", "1", "-q", "--only", "boilerplate")
FORMATS = ("json", "jsonl")


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_jsonl(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), "utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the summary table, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "_summary.tsv"}


def rows_of(n: int) -> list[tuple[str, str]]:
    return [(f"a{i}", f"Officials said {i} things.") for i in range(n)]


@pytest.fixture
def small_shards(monkeypatch):
    monkeypatch.setattr(ShardFiles, "shard_size", 3)


@pytest.mark.parametrize("fmt", FORMATS)
def test_editing_one_article_rewrites_only_it_and_keeps_every_other_record(
        tmp_path, small_shards, fmt):
    corpus = write_jsonl(tmp_path / "c.jsonl", rows_of(10))
    out = tmp_path / "out"
    assert invoke(corpus, "-o", out, "--format", fmt, *FAST).exit_code == 0
    rows = rows_of(10)
    rows[5] = ("a5", "Officials said five things.")
    write_jsonl(corpus, rows)
    result = invoke(corpus, "-o", out, "--format", fmt, *FAST)
    assert result.exit_code == 0, result.output
    assert "1 article(s) written" in result.stderr and "9 unchanged" in result.stderr
    fresh = tmp_path / "fresh"
    invoke(corpus, "-o", fresh, "--format", fmt, *FAST)
    assert snapshot(out) == snapshot(fresh)


edits = st.lists(st.tuples(st.sampled_from(["edit", "delete", "insert"]),
                           st.integers(0, 30), st.text(min_size=1, max_size=12)),
                 max_size=6)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 12), changes=edits, fmt=st.sampled_from(FORMATS))
def test_a_rerun_after_random_edits_equals_a_fresh_run_byte_for_byte(
        tmp_path_factory, size, changes, fmt):
    folder = tmp_path_factory.mktemp("edits")
    rows = rows_of(size)
    corpus = write_jsonl(folder / "c.jsonl", rows)
    out, fresh = folder / "out", folder / "fresh"
    ShardFiles.shard_size, saved = 4, ShardFiles.shard_size
    try:
        assert invoke(corpus, "-o", out, "--format", fmt, *FAST).exit_code == 0
        for number, (kind, where, text) in enumerate(changes):
            if kind == "insert":
                rows.insert(where % (len(rows) + 1), (f"new{number}", f"Aides said {text}."))
            elif rows and kind == "delete":
                rows.pop(where % len(rows))
            elif rows:
                index = where % len(rows)
                rows[index] = (rows[index][0], f"Critics said {text}.")
        if not rows:
            return
        write_jsonl(corpus, rows)
        assert invoke(corpus, "-o", out, "--format", fmt, *FAST).exit_code == 0
        assert invoke(corpus, "-o", fresh, "--format", fmt, *FAST).exit_code == 0
    finally:
        ShardFiles.shard_size = saved
    assert snapshot(out) == snapshot(fresh)


def test_a_second_input_into_the_same_folder_keeps_the_first_inputs_shards(tmp_path):
    first = write_jsonl(tmp_path / "first.jsonl", rows_of(3))
    second = write_jsonl(tmp_path / "second.jsonl", [("b1", "Aides said so.")])
    out = tmp_path / "out"
    invoke(first, "-o", out, "--format", "jsonl", *FAST)
    before = (out / "first-00000.jsonl").read_bytes()
    assert invoke(second, "-o", out, "--format", "jsonl", *FAST).exit_code == 0
    assert (out / "first-00000.jsonl").read_bytes() == before
    assert len((out / "second-00000.jsonl").read_text("utf-8").splitlines()) == 1
    assert invoke("validate", out).exit_code == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_id_another_inputs_record_holds_is_an_error_naming_both(tmp_path, fmt):
    first = write_jsonl(tmp_path / "first.jsonl", [("same", "Officials said one thing.")])
    second = write_jsonl(tmp_path / "second.jsonl", [("same", "Aides said another.")])
    out = tmp_path / "out"
    invoke(first, "-o", out, "--format", fmt, *FAST)
    before = snapshot(out)
    result = invoke(second, "-o", out, "--format", fmt, *FAST)
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "second.jsonl:1" in line and "first.jsonl" in line and "'same'" in line
    assert snapshot(out) == before


def test_a_record_whose_source_gave_no_article_this_time_is_kept(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials said one thing.")
    (folder / "b.txt").write_text("Officials said another.")
    out = tmp_path / "out"
    invoke(folder, "-o", out, *FAST)
    (folder / "b.txt").write_bytes(b"\x00binary now")
    (folder / "c.txt").write_text("A new article.")
    result = invoke(folder, "-o", out, *FAST)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "b.json", "c.json"]
    (folder / "b.txt").unlink()
    assert invoke(folder, "-o", out, *FAST).exit_code == 0
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "c.json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_kept_record_that_no_longer_validates_is_annotated_again(tmp_path, fmt):
    corpus = write_jsonl(tmp_path / "c.jsonl", rows_of(2))
    out = tmp_path / "out"
    invoke(corpus, "-o", out, "--format", fmt, *FAST)
    fresh = snapshot(out)
    [path] = [p for p in out.iterdir() if p.name in ("a0.json", "c-00000.jsonl")]
    lines = path.read_text("utf-8").splitlines() if fmt == "jsonl" else [path.read_text("utf-8")]
    record = json.loads(lines[0])  # same article and provenance, but reversed offsets
    record["annotations"].append({"annotator": "boilerplate", "label": "nav", "start": 5,
                                  "end": 2, "text": "", "attributes": {}})
    lines[0] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert invoke("validate", out).exit_code == 1
    result = invoke(corpus, "-o", out, "--format", fmt, *FAST)
    assert result.exit_code == 0
    assert "1 unchanged" in result.stderr
    assert snapshot(out) == fresh


def test_the_summary_of_a_rerun_keeps_the_counts_of_unchanged_records(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", rows_of(2))
    out = tmp_path / "out"
    options = ("--model", "blank", "--workers", "1", "-q", "--only", "attribution")
    invoke(corpus, "-o", out, *options)
    first = (out / "_summary.tsv").read_text("utf-8").splitlines()
    invoke(corpus, "-o", out, *options)
    second = (out / "_summary.tsv").read_text("utf-8").splitlines()
    assert [row.split("\t")[2] for row in second[1:]] == ["unchanged", "unchanged"]
    assert [row.split("\t")[3:] for row in second] == [row.split("\t")[3:] for row in first]
    assert all(row.split("\t")[3] not in ("", "0") for row in second[1:])


@pytest.mark.parametrize("inside", [True, False])
def test_an_output_folder_that_overlaps_an_input_is_refused_before_writing(tmp_path, inside):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials said one thing.")
    out = folder / "out" if inside else tmp_path
    result = invoke(folder, "-o", out, *FAST)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "choose another -o" in result.stderr
    assert not (folder / "out").exists() and not (tmp_path / "_summary.tsv").exists()


def test_a_second_run_on_a_folder_being_written_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    held = ShardFiles(out, ["x.jsonl"])
    try:
        result = invoke(write_jsonl(tmp_path / "c.jsonl", rows_of(1)), "-o", out, *FAST)
        assert result.exit_code == 2
        assert "another annotate run is writing this folder" in result.stderr
    finally:
        held.finish(False)


def test_a_commit_cut_short_is_finished_by_the_next_writer(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", rows_of(4))
    out = tmp_path / "out"
    invoke(corpus, "-o", out, *FAST)
    expected = snapshot(out)
    staged = out / STAGING / "run-1"
    staged.mkdir(parents=True)
    for name in ("a0.json", "a1.json"):  # as if a crash struck after journalling
        shutil.move(out / name, staged / name)
    commit = Commit(out, out / STAGING / "commit.json")
    for name in ("a0.json", "a1.json"):
        commit.move(staged / name, out / name)
    commit.remove(staged)
    (out / STAGING / "commit.json").write_text(
        json.dumps({"moves": commit.moves, "removals": commit.removals}), "utf-8")
    assert invoke(corpus, "-o", out, *FAST).exit_code == 0
    assert snapshot(out) == expected


SLOW_PLUGIN = """
import time
from annotator import Annotation, Annotator, hookimpl
class Slow(Annotator):
    name = "slow"
    version = "1.0"
    def annotate(self, article, doc):
        time.sleep(0.1)
        return [Annotation("x", 0, 1)]
@hookimpl
def register_annotators(register):
    register(Slow)
"""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_ctrl_c_leaves_the_previous_state_and_the_next_run_takes_up_the_finished_work(
        tmp_path, fmt):
    corpus = write_jsonl(tmp_path / "c.jsonl", rows_of(60))
    plugin = tmp_path / "slow.py"
    plugin.write_text(SLOW_PLUGIN)
    out = tmp_path / "out"
    assert invoke(corpus, "-o", out, "--format", fmt, *FAST).exit_code == 0
    before = snapshot(out)
    command = [sys.executable, "-m", "annotator.cli", str(corpus), "-o", str(out), "--format",
               fmt, "--model", "blank", "--workers", "1", "-q", "--plugin", str(plugin),
               "--only", "boilerplate,slow", "--batch-size", "2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((out / STAGING).glob("run-*/*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "interrupted: " in stderr and "Traceback" not in stderr
    assert f"kept in {out}/{STAGING}/ for the next run" in stderr
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(STAGING)} == before
    assert not list(out.rglob(".*.json*.*")), "a temporary file was left"
    assert invoke("validate", out).exit_code == 0
    result = invoke(corpus, "-o", out, "--format", fmt, "--plugin", plugin,
                    "--model", "blank", "--workers", "1", "-q", "--only", "boilerplate,slow")
    assert result.exit_code == 0
    assert " unchanged" in result.stderr
    assert not (out / STAGING).exists()

