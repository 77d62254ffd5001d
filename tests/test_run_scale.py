"""annotate run at scale (issue 12): workers, Dask, incremental runs, JSONL shards, faults."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import annotator.cli.run
import annotator.run.pool
from annotator.cli import cli
from annotator.records import iter_records
from annotator.run.output import ShardFiles
from tests.conftest import SEEDS

FAST = ("--model", "blank", "-q")


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def seeds_jsonl(tmp_path: Path, copies: int = 2) -> Path:
    path = tmp_path / "seeds.jsonl"
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rows = [{"id": f"{n:03d}", "text": t, "source": f"outlet{n % 3}"}
            for n, t in enumerate(texts * copies)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def plugin(tmp_path: Path, body: str, name: str) -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(
        "import os, signal, time\n"
        "from annotator import Annotation, Annotator, hookimpl\n"
        f"class Custom(Annotator):\n    name = {name!r}\n    version = '1.0'\n{body}\n"
        "@hookimpl\ndef register_annotators(register):\n    register(Custom)\n"
    )
    return path


# Incremental runs

def test_unchanged_rerun_skips_everything_and_changes_are_redone(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        (corpus / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    assert invoke(corpus, "-o", out, "--workers", "1", *FAST).exit_code == 0
    first = tree(out)
    again = invoke(corpus, "-o", out, "--workers", "1", *FAST)
    assert again.exit_code == 0
    assert "0 article(s) written" in again.stderr and "3 unchanged (skipped)" in again.stderr
    assert {k: v for k, v in tree(out).items() if k != "_summary.tsv"} == {
        k: v for k, v in first.items() if k != "_summary.tsv"}

    changed = sorted(corpus.iterdir())[0]
    changed.write_text(changed.read_text("utf-8") + "\nOne more sentence.", "utf-8")
    edited = invoke(corpus, "-o", out, "--workers", "1", *FAST)
    assert "1 article(s) written" in edited.stderr and "2 unchanged" in edited.stderr

    other = invoke(corpus, "-o", out, "--workers", "1", "--only", "sentiment", *FAST)
    assert "3 article(s) written" in other.stderr  # another provenance: all redone
    forced = invoke(corpus, "-o", out, "--workers", "1", "--only", "sentiment", "--force", *FAST)
    assert "3 article(s) written" in forced.stderr and "(skipped)" not in forced.stderr


def test_summary_tsv_has_one_row_per_article_and_status(tmp_path):
    out = tmp_path / "out"
    invoke(SEEDS, "-o", out, "--workers", "1", *FAST)
    rows = (out / "_summary.tsv").read_text("utf-8").splitlines()
    assert rows[0].split("\t")[:3] == ["article", "file", "status"]
    assert [r.split("\t")[2] for r in rows[1:]] == ["written"] * 5
    invoke(SEEDS, "-o", out, "--workers", "1", *FAST)
    rows = (out / "_summary.tsv").read_text("utf-8").splitlines()
    assert [r.split("\t")[2] for r in rows[1:]] == ["unchanged"] * 5


# JSONL shards

def test_jsonl_shards_hold_the_same_records_in_input_order_and_are_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(ShardFiles, "shard_size", 4)
    corpus = seeds_jsonl(tmp_path)
    files, shards = tmp_path / "files", tmp_path / "shards"
    assert invoke(corpus, "-o", files, "--workers", "1", *FAST).exit_code == 0
    assert invoke(corpus, "-o", shards, "--workers", "1", "--format", "jsonl", *FAST
                  ).exit_code == 0
    assert sorted(p.name for p in shards.glob("*.jsonl")) == [
        "seeds-00000.jsonl", "seeds-00001.jsonl", "seeds-00002.jsonl"]
    lines = [json.loads(line) for p in sorted(shards.glob("*.jsonl"))
             for line in p.read_text("utf-8").splitlines()]
    assert [r["article"]["id"] for r in lines] == [f"{n:03d}" for n in range(10)]
    for record in lines:
        assert json.loads((files / f"{record['article']['id']}.json").read_text()) == record
    assert [r["article"]["id"] for _, r in iter_records(shards)] == [f"{n:03d}" for n in range(10)]
    assert invoke("validate", shards).exit_code == 0
    rerun = invoke(corpus, "-o", shards, "--workers", "1", "--format", "jsonl", *FAST)
    assert "10 unchanged" in rerun.stderr
    assert [json.loads(line) for p in sorted(shards.glob("*.jsonl"))
            for line in p.read_text("utf-8").splitlines()] == lines


def test_validate_names_file_and_line_in_a_shard(tmp_path):
    corpus = seeds_jsonl(tmp_path, copies=1)
    out = tmp_path / "out"
    invoke(corpus, "-o", out, "--workers", "1", "--format", "jsonl", *FAST)
    shard = out / "seeds-00000.jsonl"
    lines = shard.read_text("utf-8").splitlines(keepends=True)
    record = json.loads(lines[2])
    record["annotations"][0]["start"] += 1
    lines[2] = json.dumps(record) + "\n"
    shard.write_text("".join(lines), "utf-8")
    result = invoke("validate", out)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{shard}:3: /annotations/0: ")


# Workers and Dask give the same bytes

@pytest.mark.slow
def test_two_workers_and_dask_local_write_the_same_bytes_as_one_process(tmp_path):
    corpus = seeds_jsonl(tmp_path)
    outputs = {}
    for name, options in {"one": ("--workers", "1"), "two": ("--workers", "2"),
                          "dask": ("--workers", "2", "--scheduler", "local")}.items():
        out = tmp_path / name
        result = invoke(corpus, "-o", out, "--batch-size", "3", *options, "-q")
        assert result.exit_code == 0, (name, result.output)
        outputs[name] = tree(out)
    assert len(outputs["one"]) == 11
    assert outputs["two"] == outputs["one"]
    assert outputs["dask"] == outputs["one"]


@pytest.mark.slow
def test_an_existing_dask_scheduler_by_address_writes_the_same_bytes(tmp_path):
    from distributed import LocalCluster

    corpus = seeds_jsonl(tmp_path, copies=1)
    one, remote = tmp_path / "one", tmp_path / "remote"
    assert invoke(corpus, "-o", one, "--workers", "1", "--batch-size", "2", *FAST).exit_code == 0
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        result = invoke(corpus, "-o", remote, "--scheduler", cluster.scheduler_address,
                        "--batch-size", "2", *FAST)
    assert result.exit_code == 0, result.output
    assert tree(remote) == tree(one)


# Faults in workers

@pytest.mark.slow
def test_a_dying_worker_costs_only_its_article(tmp_path):
    killer = plugin(tmp_path, "    def annotate(self, article, doc):\n"
                              "        if article.id == '003':\n"
                              "            os.kill(os.getpid(), signal.SIGKILL)\n"
                              "        return []\n", "killer")
    out = tmp_path / "out"
    result = invoke(seeds_jsonl(tmp_path), "-o", out, "--plugin", killer, "--workers", "2",
                    "--batch-size", "2", *FAST)
    assert result.exit_code == 1
    [line] = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert line.endswith(":4: worker process died (exit code -9); it was replaced")
    assert sorted(p.stem for p in out.glob("*.json")) == [
        f"{n:03d}" for n in range(10) if n != 3]


@pytest.mark.slow
def test_a_stuck_worker_is_replaced_and_costs_only_its_article(tmp_path, monkeypatch):
    monkeypatch.setattr(annotator.run.pool, "WATCHDOG_GRACE", 2.0)
    stuck = plugin(tmp_path, "    def annotate(self, article, doc):\n"
                             "        if article.id == '001':\n"
                             "            signal.pthread_sigmask(signal.SIG_BLOCK, [14])\n"
                             "            time.sleep(600)\n"
                             "        return []\n", "stuck")
    out = tmp_path / "out"
    started = time.monotonic()
    result = invoke(seeds_jsonl(tmp_path, copies=1), "-o", out, "--plugin", stuck,
                    "--workers", "2", "--batch-size", "2", "--annotator-timeout", "1", *FAST)
    assert time.monotonic() - started < 120
    assert result.exit_code == 1
    [line] = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert line.endswith(":2: worker stopped responding for 8 s; it was replaced")
    assert sorted(p.stem for p in out.glob("*.json")) == ["000", "002", "003", "004"]


@pytest.mark.slow
def test_ctrl_c_under_dask_prints_one_line_and_keeps_the_previous_output(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{n:03d}", "text": f"Officials said {n} things."})
                              + "\n" for n in range(200)), encoding="utf-8")
    out = tmp_path / "out"
    assert invoke(corpus, "-o", out, "--only", "boilerplate", *FAST).exit_code == 0
    before = tree(out)
    slow = plugin(tmp_path, "    def annotate(self, article, doc):\n"
                            "        time.sleep(0.1)\n"
                            "        return []\n", "slow")
    run = subprocess.Popen(  # its own process group, which a terminal's Ctrl-C reaches whole
        [sys.executable, "-m", "annotator.cli", corpus, "-o", out, "--plugin", slow,
         "--only", "boilerplate,slow", "--scheduler", "local", "--workers", "2",
         "--batch-size", "2", *FAST], stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not any((out / ".annotator-run").glob("run-*/*")) and time.monotonic() < deadline:
        time.sleep(0.2)  # records are being written
    time.sleep(1)
    os.killpg(run.pid, signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    assert [line for line in stderr.splitlines() if line.strip()] == [
        stderr.strip()], stderr
    assert stderr.startswith("interrupted: ")
    assert {name: data for name, data in tree(out).items()
            if not name.startswith(".annotator-run")} == before


def test_ctrl_c_while_the_model_loads_is_one_line(tmp_path, monkeypatch):
    def pressed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(annotator.cli.run, "Engine", pressed)
    result = invoke(seeds_jsonl(tmp_path, copies=1), "-o", tmp_path / "out", *FAST)
    assert (result.exit_code, result.stderr) == (130, "interrupted\n")
    assert not (tmp_path / "out").exists()
