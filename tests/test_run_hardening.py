"""annotate run never crashes, never hangs, never writes an invalid file (issue 16)."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annotator.atomic
import annotator.run.output.folder
from annotator.cli import cli
from annotator.records import record_paths
from annotator.run.budget import AnnotatorTimeout, time_budget
from annotator.run.naming import record_name
from tests.conftest import SEEDS

FAST = ("--model", "blank", "--workers", "1", "-q")


def invoke(*args: object, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def corpus(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def plugin(tmp_path: Path, body: str, name: str = "custom") -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(
        "from annotator import Annotation, Annotator, hookimpl, sub_span\n"
        f"class Custom(Annotator):\n    name = {name!r}\n    version = '1.0'\n{body}\n"
        "@hookimpl\ndef register_annotators(register):\n    register(Custom)\n"
    )
    return path


def records(folder: Path) -> dict[str, dict]:
    return {json.loads(p.read_text("utf-8"))["article"]["id"]: json.loads(p.read_text("utf-8"))
            for p in record_paths(folder)}


def hidden_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


# 1. Article ids

def test_long_and_odd_ids_get_safe_names_and_keep_the_id(tmp_path):
    ids = ["x" * 300, "nul\x00byte", "../escape", ".hidden", "a//b", "tab\tnewline\n"]
    rows = [{"id": i, "text": f"Officials said {n} things."} for n, i in enumerate(ids)]
    out = tmp_path / "out"
    result = invoke(corpus(tmp_path, rows), "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    assert set(records(out)) == set(ids)
    for path in out.rglob("*.json"):
        assert path.resolve().is_relative_to(out.resolve())
        assert len(path.name.encode()) <= 120
    assert invoke("validate", out).exit_code == 0


def test_naming_scheme_keeps_plain_ids_and_hashes_the_rest():
    assert record_name("politics/2024/story-1") == "politics/2024/story-1.json"
    odd = record_name("../etc/passwd")
    assert odd.startswith("etc-passwd-") and odd.endswith(".json") and "/" not in odd
    assert record_name("a" * 300) != record_name("a" * 301)
    with pytest.raises(ValueError):
        record_name("")


def test_empty_id_is_one_line_with_file_and_line_and_the_rest_is_written(tmp_path):
    path = corpus(tmp_path, [{"id": "", "text": "Empty id."}, {"id": "ok", "text": "Fine."}])
    out = tmp_path / "out"
    result = invoke(path, "-o", out, *FAST)
    assert result.exit_code == 1
    assert f"error: {path}:1: empty article id, skipped" in result.stderr
    assert set(records(out)) == {"ok"}
    assert "Traceback" not in result.output


def test_symlinked_folder_inside_output_cannot_lead_outside(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "lnk").symlink_to(elsewhere)
    path = corpus(tmp_path, [{"id": "lnk/x", "text": "Out."}, {"id": "y", "text": "In."}])
    result = invoke(path, "-o", out, *FAST)
    assert result.exit_code == 1
    assert f"{path}:1: article id 'lnk/x' would be written outside" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert (out / "y.json").is_file()


def test_lone_surrogate_is_one_line_not_a_traceback(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": "s", "text": "bad \\ud800 text"}\n{"id": "t", "text": "Good."}\n')
    result = invoke(path, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 1
    assert f"{path}:1: not valid Unicode" in result.stderr
    assert (tmp_path / "out" / "t.json").is_file()


# 2. Hanging annotators

def test_time_budget_stops_a_block_in_the_main_thread_and_in_another_thread():
    with pytest.raises(AnnotatorTimeout), time_budget(0.2):
        time.sleep(5)
    caught = []

    def worker():
        try:
            with time_budget(0.2):
                while True:
                    pass
        except AnnotatorTimeout as error:
            caught.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert caught and not thread.is_alive()


def test_hanging_annotator_becomes_an_error_entry_and_the_rest_goes_on(tmp_path):
    hang = plugin(tmp_path, "    def annotate(self, article, doc):\n"
                            "        if article.id == 'slow':\n"
                            "            import time; time.sleep(60)\n"
                            "        return [Annotation('word', 0, 1)]\n", "hang")
    path = corpus(tmp_path, [{"id": "slow", "text": "Slow one."}, {"id": "fast", "text": "Ok."}])
    out = tmp_path / "out"
    started = time.monotonic()
    result = invoke(path, "-o", out, "--plugin", hang, "--annotator-timeout", "1", *FAST)
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert "annotator 'hang' failed: AnnotatorTimeout: took longer than 1 s" in result.stderr
    written = records(out)
    assert written["slow"]["errors"][0]["annotator"] == "hang"
    assert any(a["annotator"] == "sentiment" for a in written["slow"]["annotations"])
    assert written["fast"]["errors"] == []
    assert invoke("validate", "--plugin", hang, out).exit_code == 0


# 3. Output folder

def test_output_that_is_a_file_exits_2(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    result = invoke(SEEDS, "-o", target, *FAST)
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_read_only_output_folder_exits_2_with_one_line_before_loading_anything(
    tmp_path, monkeypatch
):
    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(annotator.run.output.folder.tempfile, "NamedTemporaryFile", read_only)
    monkeypatch.setattr("annotator.plugins.plugin_manager",
                        lambda *a: pytest.fail("loaded plugins before checking the output"))
    result = invoke(SEEDS, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {tmp_path / 'out'}: output folder is not writable "
                             "(Read-only file system)\n")


def test_disk_full_mid_run_is_one_line_removes_the_temporary_file_and_counts(tmp_path, monkeypatch):
    fsync, calls = os.fsync, []

    def full_after_two(fd):
        calls.append(fd)
        if len(calls) > 3:  # the probe, two records, then the disk is full
            raise OSError(28, "No space left on device")
        fsync(fd)

    monkeypatch.setattr(annotator.atomic.os, "fsync", full_after_two)
    out = tmp_path / "out"
    result = invoke(SEEDS, "-o", out, "--batch-size", "1", *FAST)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert "2 article(s) finished, kept in" in result.stderr
    assert list(out.glob("*.json")) == []  # the folder is as it was: nothing committed
    assert not [p for p in out.rglob(".*.json.*")]  # no temporary file
    monkeypatch.setattr(annotator.atomic.os, "fsync", fsync)
    again = invoke(SEEDS, "-o", out, "--batch-size", "1", *FAST)
    assert "3 article(s) written" in again.stderr and "2 unchanged" in again.stderr
    assert len(list(out.glob("*.json"))) == 5
    assert hidden_files(out) == []


def test_nonexistent_input_exits_2(tmp_path):
    result = invoke(tmp_path / "nope", "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_dangling_symlink_in_a_folder_is_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A real article.")
    (folder / "gone.txt").symlink_to(tmp_path / "missing.txt")
    result = invoke(folder, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 1
    assert "gone.txt: dangling symbolic link, skipped" in result.stderr


def test_progress_is_not_printed_when_stderr_is_not_a_terminal(tmp_path):
    result = invoke(SEEDS, "-o", tmp_path / "out", *FAST)
    assert "Annotating" not in result.output


# 4. Nothing invalid reaches disk

BAD_OUTPUTS = {
    "empty_label": "        return [Annotation('', 0, 1)]\n",
    "number_label": "        return [Annotation(123, 0, 1)]\n",
    "float_offsets": "        return [Annotation('x', 0.0, 1.0)]\n",
    "reversed": "        return [Annotation('x', 3, 1)]\n",
    "bad_sub_span": "        return [Annotation('x', 0, 2, attributes={'part': "
                    "{'start': 0, 'end': 1, 'text': 'wrong'}})]\n",
    "breaks_schema": "        return [Annotation('x', 0, 2, attributes={'size': 'big'})]\n",
    "bad_summary": "        return [Annotation('x', 0, 2)]\n"
                   "    def summarize(self, annotations):\n        return 'not an object'\n",
}
SCHEMA = ("    attributes_schema = {'type': 'object', 'properties': "
          "{'size': {'type': 'integer'}}}\n")


@pytest.mark.parametrize("case", sorted(BAD_OUTPUTS))
def test_output_that_validate_would_reject_becomes_an_error_entry(tmp_path, case):
    bad = plugin(tmp_path, SCHEMA + "    def annotate(self, article, doc):\n" + BAD_OUTPUTS[case],
                 "bad")
    out = tmp_path / "out"
    result = invoke(SEEDS / "000_a3d49863d93668f5.txt", "-o", out, "--plugin", bad, *FAST)
    assert result.exit_code == 1, result.output
    assert "annotator 'bad' failed" in result.stderr
    [record] = records(out).values()
    assert [e["annotator"] for e in record["errors"]] == ["bad"]
    assert not any(a["annotator"] == "bad" for a in record["annotations"])
    assert invoke("validate", out).exit_code == 0
    assert invoke("validate", "--plugin", bad, out).exit_code == 0


# The property: random JSONL never makes the run raise, and every file it writes validates

ids = st.text(min_size=0, max_size=40) | st.sampled_from(["..", ".", "a/../b", "/abs", "x" * 300])
texts = st.text(min_size=0, max_size=80) | st.sampled_from(["\r\n😀 e\u0301 “q”", " ", "\x00"])
meta = st.dictionaries(st.text(max_size=8).filter(lambda k: k not in ("id", "text")),
                       st.none() | st.integers() | st.text(max_size=10) | st.lists(st.booleans()),
                       max_size=3)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(ids, texts, meta), min_size=1, max_size=6))
def test_random_jsonl_never_raises_and_every_file_validates(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "in.jsonl"
    path.write_text("".join(json.dumps({**m, "id": i, "text": t}) + "\n" for i, t, m in rows),
                    encoding="utf-8")
    out = folder / "out"
    result = invoke(path, "-o", out, "--only", "attribution,loaded_terms,sentiment", *FAST)
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    written = list(out.rglob("*.json"))
    if written:
        check = invoke("validate", out)
        assert check.exit_code == 0, check.output
    for path in written:
        assert path.resolve().is_relative_to(out.resolve())
    assert hidden_files(out) == []
