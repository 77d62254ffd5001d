"""Plugins run isolated: what one raises, hangs, kills or mutates costs only its output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import annotator.run.pool
from annotator.records import record_paths
from tests.conftest import SEEDS
from tests.test_run_hardening import corpus, invoke

FAST = ("--model", "blank", "-q")
ROWS = [{"id": i, "text": f"Officials said {i} things.", "outlet": "wire"} for i in "abc"]


def plugin(tmp_path: Path, body: str, name: str = "custom") -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(
        "import os, signal, sys, time\n"
        "from annotator import Annotation, Annotator, hookimpl\n"
        f"class Custom(Annotator):\n    name = {name!r}\n    version = '1.0'\n"
        "    def annotate(self, article, doc):\n"
        f"{body}\n"
        "        return [Annotation('word', 0, 1, attributes={'pid': os.getpid()})]\n"
        "@hookimpl\ndef register_annotators(register):\n    register(Custom)\n"
    )
    return path


def records(folder: Path) -> dict[str, dict]:
    return {record["article"]["id"]: record
            for record in (json.loads(p.read_text("utf-8")) for p in record_paths(folder))}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# 1. Whatever a plugin raises is its own error entry

@pytest.mark.parametrize(("statement", "message"), [
    ("sys.exit(0)", "SystemExit: 0"),
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("raise BaseException('gone')", "BaseException: gone"),
    ("raise GeneratorExit", "GeneratorExit"),
])
def test_a_base_exception_from_a_plugin_is_its_error_entry_and_the_run_goes_on(
        tmp_path, statement, message):
    exits = plugin(tmp_path, f"        if article.id == 'b':\n            {statement}", "exits")
    out = tmp_path / "out"
    result = invoke(corpus(tmp_path, ROWS), "-o", out, "--plugin", exits, "--workers", "1", *FAST)
    assert result.exit_code == 1, result.output
    assert error_lines(result.stderr) == [
        f"error: {tmp_path / 'corpus.jsonl'}:2: annotator 'exits' failed: {message}"]
    written = records(out)
    assert sorted(written) == ["a", "b", "c"]
    assert written["b"]["errors"] == [{"annotator": "exits", "message": message}]
    assert any(a["annotator"] == "sentiment" for a in written["b"]["annotations"])
    assert all(written[i]["errors"] == [] for i in "ac")


@pytest.mark.parametrize("swallowed", [False, True])
def test_the_users_ctrl_c_during_a_plugin_still_stops_the_run(tmp_path, swallowed):
    press = "            os.kill(os.getpid(), signal.SIGINT); time.sleep(5)"
    if swallowed:
        press = (f"            try:\n    {press}\n"
                 "            except BaseException:\n                pass")
    pressed = plugin(tmp_path, f"        if article.id == 'b':\n{press}", "pressed")
    out = tmp_path / "out"
    result = invoke(corpus(tmp_path, ROWS), "-o", out, "--plugin", pressed, "--workers", "1",
                    "--batch-size", "1", *FAST)
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.stderr
    assert "c" not in records(out)


def test_a_plugin_exiting_while_it_loads_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "exits.py"
    path.write_text("import sys\nsys.exit(0)\n")
    result = invoke(corpus(tmp_path, ROWS), "-o", tmp_path / "out", "--plugin", path,
                    "--workers", "1", *FAST)
    assert result.exit_code == 2
    assert f"plugin file {path} failed to load: SystemExit: 0" in result.stderr
    assert "Traceback" not in result.output


# 2. The timeout cannot be swallowed

SWALLOWS_TIMEOUT = ("        if article.id == 'b':\n"
                    "            while True:\n"
                    "                try:\n"
                    "                    time.sleep(0.05)\n"
                    "                except {caught}:\n"
                    "                    pass")


def test_a_plugin_catching_exception_cannot_swallow_the_timeout_in_process(tmp_path):
    swallows = plugin(tmp_path, SWALLOWS_TIMEOUT.format(caught="Exception"), "swallows")
    out = tmp_path / "out"
    started = time.monotonic()
    result = invoke(corpus(tmp_path, ROWS), "-o", out, "--plugin", swallows, "--workers", "1",
                    "--annotator-timeout", "1", *FAST)
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {tmp_path / 'corpus.jsonl'}:2: annotator 'swallows' failed: "
        "AnnotatorTimeout: took longer than 1 s (annotator_timeout), stopped"]
    assert sorted(records(out)) == ["a", "b", "c"]


@pytest.mark.slow
def test_a_plugin_catching_everything_is_stopped_by_the_watchdog(tmp_path, monkeypatch):
    monkeypatch.setattr(annotator.run.pool, "WATCHDOG_GRACE", 2.0)
    swallows = plugin(tmp_path, SWALLOWS_TIMEOUT.format(caught="BaseException"), "swallows")
    out = tmp_path / "out"
    started = time.monotonic()
    result = invoke(corpus(tmp_path, ROWS), "-o", out, "--plugin", swallows, "--workers", "2",
                    "--annotator-timeout", "1", *FAST)
    assert time.monotonic() - started < 90
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {tmp_path / 'corpus.jsonl'}:2: worker stopped responding for 8 s; "
        "it was replaced"]
    assert sorted(records(out)) == ["a", "c"]


# 3. Small inputs still run in workers, and a killed worker costs only its article

@pytest.mark.slow
def test_a_plugin_killing_its_worker_on_a_small_input_costs_only_that_article(tmp_path):
    kill = "os.kill(os.getpid(), signal.SIGKILL)"
    killer = plugin(tmp_path, f"        if article.id == 'b':\n            {kill}", "killer")
    out = tmp_path / "out"
    result = invoke(corpus(tmp_path, ROWS), "-o", out, "--plugin", killer, "--workers", "2", *FAST)
    assert result.exit_code == 1, result.output
    assert error_lines(result.stderr) == [
        f"error: {tmp_path / 'corpus.jsonl'}:2: worker process died (exit code -9); "
        "it was replaced"]
    written = records(out)
    assert sorted(written) == ["a", "c"]
    pids = {a["attributes"]["pid"] for r in written.values() for a in r["annotations"]
            if a["annotator"] == "killer"}
    assert pids and os.getpid() not in pids
    assert sorted(p.name for p in out.rglob(".*")) == []



@pytest.mark.parametrize("workers", ["1", "2"])
def test_os_exit_0_is_the_plugins_error_entry_at_once(tmp_path, workers):
    exits = plugin(tmp_path, "        if article.id == 'b':\n            os._exit(0)", "exits")
    out = tmp_path / "out"
    run = subprocess.run(  # a process of its own: before the fix, os._exit ends it, exit 0
        [sys.executable, "-m", "annotator.cli", corpus(tmp_path, ROWS), "-o", out,
         "--plugin", exits, "--workers", workers, *FAST],
        capture_output=True, text=True, timeout=25)
    assert run.returncode == 1, run.stderr  # within the timeout: not left to the watchdog (30 s)
    assert records(out)["b"]["errors"] == [
        {"annotator": "exits", "message": "SystemExit: os._exit(0)"}]

# 4. The Doc and the article are the annotator's own copies

MUTATES = """\
        article.meta.clear()
        article.meta['outlet'] = 'changed'
        for token in doc:
            token.lemma_, token.tag_, token.pos_, token.dep_ = 'x', 'X', 'X', 'dep'
            token.ent_type_ = ''
        doc.ents = ()
        doc.cats['changed'] = 1.0
        doc.user_data.clear()
        doc.spans['changed'] = [doc[0:1]]"""


def builtin_output(folder: Path, left_out: str) -> bytes:
    """Every record without the annotator ``left_out``, as bytes."""
    kept = {}
    for article_id, record in sorted(records(folder).items()):
        kept[article_id] = {
            "article": record["article"],
            "annotations": [a for a in record["annotations"] if a["annotator"] != left_out],
            "summary": {k: v for k, v in record["summary"].items() if k != left_out},
            "errors": record["errors"],
        }
    return json.dumps(kept, sort_keys=True).encode()


@pytest.mark.slow
def test_a_plugin_mutating_the_doc_and_meta_leaves_the_builtins_output_byte_identical(
        tmp_path, trained_nlp):
    rows = [{"id": p.stem[:3], "text": p.read_text("utf-8"), "outlet": "wire", "tags": ["a"]}
            for p in sorted(SEEDS.glob("*.txt"))]
    path = corpus(tmp_path, rows)
    mutator = plugin(tmp_path, MUTATES, "aaa_mutator")  # by name, it runs first
    alone, beside = tmp_path / "alone", tmp_path / "beside"
    assert invoke(path, "-o", alone, "--workers", "1", "-q").exit_code == 0
    result = invoke(path, "-o", beside, "--plugin", mutator, "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert records(beside)["000"]["summary"]["aaa_mutator"]["count"] == 1
    assert builtin_output(beside, "aaa_mutator") == builtin_output(alone, "aaa_mutator")


# 5. Dask: a killed worker costs only its own article

@pytest.mark.slow
def test_a_plugin_killing_a_dask_worker_costs_only_its_article(tmp_path):
    pytest.importorskip("distributed")
    kill = "os.kill(os.getpid(), signal.SIGKILL)"
    killer = plugin(tmp_path, f"        if article.id == 'b':\n            {kill}", "killer")
    out = tmp_path / "out"
    started = time.monotonic()
    result = invoke(corpus(tmp_path, ROWS), "-o", out, "--plugin", killer, "--workers", "2",
                    "--scheduler", "local", *FAST)
    assert time.monotonic() - started < 180
    assert result.exit_code == 1, result.output
    assert error_lines(result.stderr) == [
        f"error: {tmp_path / 'corpus.jsonl'}:2: Dask worker process died on this article; "
        "it was restarted"]
    assert sorted(records(out)) == ["a", "c"]
