"""Hostile input gets one line naming the file (and line) and the reason (issue 22, items 5, 6,
9, 10), and titles skip page furniture (issue 23)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import Article, InputError
from annotator.cli import cli
from annotator.plugins import load_readers, plugin_manager
from annotator.records import record_paths
from annotator.safe_json import MAX_DEPTH, JSONError, parse_json

FAST = ("--model", "blank", "--workers", "1", "-q")


def invoke(*args: object, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def read(*paths) -> list[Article | InputError]:
    return list(load_readers(plugin_manager()).read([str(p) for p in paths]))


def written_ids(folder: Path) -> set[str]:
    return {json.loads(p.read_text("utf-8"))["article"]["id"] for p in record_paths(folder)}


def nested(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


# JSON: depth, non-finite numbers, lone surrogates

def test_meta_nested_600_levels_is_one_line_and_the_good_articles_are_written(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": "a", "text": "First."}\n'
                    f'{{"id": "deep", "text": "Deep.", "meta": {nested(600)}}}\n'
                    '{"id": "c", "text": "Third."}\n')
    result = invoke(path, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 1
    assert f"error: {path}:2: nested deeper than {MAX_DEPTH - 2} levels, skipped" in result.stderr
    assert "Traceback" not in result.output
    assert written_ids(tmp_path / "out") == {"a", "c"}


def test_json_limits_refuse_what_no_writer_can_write_again():
    assert parse_json(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))
    for text, reason in [(nested(MAX_DEPTH + 1), "nested deeper"),
                         ("[NaN]", "non-finite number NaN"),
                         ("[-Infinity]", "non-finite number -Infinity"),
                         ("[1e400]", "non-finite number"), ('"\\ud800"', "not valid Unicode"),
                         ("{bad", "Expecting property name")]:
        with pytest.raises(JSONError, match=reason):
            parse_json(text)


@pytest.fixture(scope="module")
def good_record(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("good")
    (tmp / "a.txt").write_text("Officials said the plan was bold.")
    result = invoke(tmp / "a.txt", "-o", tmp / "out", *FAST)
    assert result.exit_code == 0, result.output
    return (tmp / "out" / "a.json").read_text("utf-8")


@pytest.mark.parametrize("meta, reason", [
    ('{"w": NaN}', "non-finite number NaN"),
    ('{"w": -Infinity}', "non-finite number"),
    ('{"w": 1e400}', "non-finite number"),
    ('{"w": "\\ud800"}', "not valid Unicode"),
    (nested(2000), "nested deeper"),
])
def test_validate_names_the_bad_file_and_checks_the_others(tmp_path, good_record, meta, reason):
    (tmp_path / "a.json").write_text(good_record)
    (tmp_path / "b.json").write_text(good_record.replace('"meta": {}', f'"meta": {meta}'))
    (tmp_path / "c.json").write_text(good_record.replace('"Officials', '"Ministers'))
    result = invoke("validate", tmp_path)
    assert result.exit_code == 1
    problems = result.stdout.splitlines()
    assert problems[0].startswith(f"{tmp_path / 'b.json'}: /: ") and reason in problems[0]
    assert any(line.startswith(str(tmp_path / "c.json")) for line in problems)  # checked too
    assert len([p for p in problems if "b.json" in p]) == 1
    assert "Traceback" not in result.output


# stdin

@pytest.mark.parametrize("data, ids", [
    (b'{"id": "x", "text": "One."}\n\n{"id": "y", "text": "Two."}\n', ["x", "y"]),
    (b'{"id": "long", "text": "' + b"word " * 1000 + b'"}\n', ["long"]),
    (b"{Editor's note} Plain text.\n", ["stdin"]),
    (b'{"id": "x", "text": "One."}\nthen prose\n', ["stdin"]),
])
def test_jsonl_on_stdin_is_read_as_jsonl_and_text_as_text(monkeypatch, data, ids):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert [article.id for article in read("-")] == ids


# CSV and TSV

def test_unclosed_quote_is_an_error_at_its_row_not_one_merged_article(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text('id,text\na,"Fine, quoted\nover two lines."\nb,"Unclosed quote\n'
                    "c,Third row.\nd,Fourth row.\n")
    items = read(path)
    assert [i.id for i in items if isinstance(i, Article)] == ["a"]
    [error] = [str(i) for i in items if isinstance(i, InputError)]
    assert error.startswith(f"{path}:4: unexpected end of data in the row starting here")


def test_quote_closed_rows_later_is_an_error_too(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text('id,text\na,"Unclosed\nb,plain\nc,"closed" here\n')
    [error] = read(path)
    assert str(error).startswith(f"{path}:2: ',' expected after '\"'")


def test_tsv_cell_starting_with_a_quote_keeps_its_quotes(tmp_path):
    path = tmp_path / "corpus.tsv"
    path.write_text('id\ttext\tnote\na\t"Lies," she said.\t"x\nb\tSecond.\tplain\n')
    first, second = read(path)
    assert first.text == '"Lies," she said.' and first.meta == {"note": '"x'}
    assert second.text == "Second."


@pytest.mark.parametrize("suffix, header", [(".csv", "id,text,source,text"),
                                            (".tsv", "id\ttext\tsource\tsource")])
def test_duplicated_header_names_the_file_and_the_column(tmp_path, suffix, header):
    path = tmp_path / f"corpus{suffix}"
    path.write_text(header + "\n" + header.replace("text", "Body.") + "\n")
    [error] = read(path)
    column = header.split(header[2])[-1]
    assert str(error) == f"{path}:1: column {column!r} appears twice in the header, skipped"


# YAML front matter and data files

ALIAS_BOMB = "bomb: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10))


@pytest.mark.parametrize("front, reason", [
    (ALIAS_BOMB, "has more than 10,000 values once aliases expand"),
    ("blob: !!binary aGVsbG8=\n", "has the tag !!binary, which is not accepted"),
    ("tags: !!set {a, b}\n", "has the tag !!set, which is not accepted"),
    ("run: !!python/object/apply:os.system [ls]\n", "has the tag !!python/object/apply"),
    ("deep: " + "[" * 40 + "]" * 40 + "\n", "is nested deeper than 20 levels"),
    ("a: &x " + "[" * 15 + "]" * 15 + "\nb: " + "[" * 10 + "*x" + "]" * 10 + "\n",
     "is nested deeper than 20 levels"),
    ("x: &x 1\nrefs: [" + ", ".join(["*x"] * 101) + "]\n", "has more than 100 aliases"),
    ("a: [unclosed\n", "is not valid YAML"),
    ("note: " + "y" * 70_000 + "\n", "is 70,007 bytes, more than the limit of 65,536"),
])
def test_hostile_front_matter_is_one_line_and_fails_fast(tmp_path, front, reason):
    path = tmp_path / "story.md"
    path.write_text(f"---\n{front}---\nBody.\n")
    [error] = read(path)
    assert isinstance(error, InputError) and reason in str(error)
    assert str(error).startswith(f"{path}") and "\n" not in str(error)


def test_alias_bomb_is_short_and_plain_aliases_still_work(tmp_path):
    assert len(ALIAS_BOMB) < 520
    path = tmp_path / "story.md"
    path.write_text("---\nbase: &b {desk: politics}\ncopy: *b\ndate: 2020-01-02\n---\nBody.\n")
    [article] = read(path)
    assert article.meta == {"base": {"desk": "politics"}, "copy": {"desk": "politics"}}
    assert article.date == "2020-01-02"


def test_data_file_with_a_refused_tag_is_one_config_line(tmp_path):
    from annotator import ConfigError, read_data_file

    path = tmp_path / "rules.yaml"
    path.write_text("kind: boilerplate-rules\nrules: !!set {a, b}\n")
    with pytest.raises(ConfigError) as caught:
        read_data_file(path, "boilerplate-rules")
    assert str(caught.value).startswith(f"{path}:2: the file has the tag !!set")


def test_label_map_yaml_uses_the_same_limits(tmp_path):
    from annotator import ConfigError
    from annotator.eval.registry import load_label_maps

    path = tmp_path / "maps.yaml"
    path.write_text(ALIAS_BOMB)
    with pytest.raises(ConfigError, match="has more than 2,000,000 values once aliases expand"):
        load_label_maps(path)


# Configuration

def config_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "annotator.toml"
    path.write_text(f"[tool.annotator]\n{body}\n")
    return path


@pytest.mark.parametrize("body, line", [
    ('only = ["quotes", 3]', "only expects a list of strings, got ['quotes', 3] (a list)"),
    ("model = 5", "model expects a string, got 5 (an integer)"),
    ('readers = "x"', "readers expects a table, got 'x' (a string)"),
    ("readers = {csv = 5}", "readers.csv expects a table, got 5 (an integer)"),
    ("workers = 2.5", "workers expects an integer, got 2.5 (a number)"),
])
def test_config_of_the_wrong_type_is_one_line_naming_key_and_type(tmp_path, body, line):
    (tmp_path / "a.txt").write_text("Officials said so.")
    config = config_file(tmp_path, body)
    result = invoke(tmp_path / "a.txt", "-o", tmp_path / "out", "--config", config, *FAST)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {config}: [tool.annotator] {line}"


def test_only_as_a_string_is_one_name_not_its_letters(tmp_path):
    (tmp_path / "a.txt").write_text("Skip to main content\nOfficials said so.")
    config = config_file(tmp_path, 'only = "boilerplate"')
    result = invoke(tmp_path / "a.txt", "-o", tmp_path / "out", "--config", config, *FAST)
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "a.json").read_text("utf-8"))
    assert [a["name"] for a in record["provenance"]["annotators"]] == ["boilerplate"]


# Clear messages

def test_numeric_id_says_the_id_must_be_a_string(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": 7, "text": "Body."}\n{"text": "No id."}\n')
    numeric, missing = read(path)
    assert str(numeric) == f"{path}:1: field 'id' must be a string, not int 7, skipped"
    assert str(missing) == f"{path}:2: missing string field(s) id, skipped"


@pytest.mark.parametrize("given", ["file", "folder"])
def test_fifo_is_not_a_regular_file_and_is_not_opened(tmp_path, given):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A real article.")
    os.mkfifo(folder / "pipe.txt")
    items = read(folder / "pipe.txt" if given == "file" else folder)
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [f"{folder / 'pipe.txt'}: not a regular file (a FIFO, a named pipe), skipped"]


@pytest.mark.parametrize("given", ["file", "folder"])
def test_symlink_loop_says_it_is_a_loop_and_dangling_says_dangling(tmp_path, given):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "c.txt").symlink_to(folder / "gone.txt")
    paths = [folder / "a.txt", folder / "c.txt"] if given == "file" else [folder]
    errors = [str(i) for i in read(*paths)]
    assert f"{folder / 'a.txt'}: symbolic link loop, skipped" in errors
    assert f"{folder / 'c.txt'}: dangling symbolic link, skipped" in errors


# Titles (issue 23)

@pytest.mark.parametrize("lines, title", [
    (["Skip to main content", "", "Share this article", "Advertisement",
      "Minister Resigns Over Budget", "", "The minister resigned on Monday."],
     "Minister Resigns Over Budget"),
    (["Protesters gather outside parliament. (Photo by Jane Doe/Reuters)",
      "# Parliament Votes on the Bill", "Body."], "Parliament Votes on the Bill"),
    (["Headline Without Furniture", "Body."], "Headline Without Furniture"),
    (["Advertisement", "Skip to content"], None),
])
def test_txt_title_is_the_first_line_that_is_not_boilerplate(tmp_path, lines, title):
    path = tmp_path / "story.txt"
    path.write_text("\n".join(lines) + "\n")
    [article] = read(path)
    assert article.title == title
    assert article.text == "\n".join(lines) + "\n"


def test_seed_that_opens_with_a_skip_link_is_not_titled_by_it():
    from tests.conftest import SEEDS

    path = SEEDS / "000_a3d49863d93668f5.txt"
    assert path.read_text("utf-8").startswith("Skip to main content")
    [article] = read(path)
    assert article.title and not article.title.startswith(("Skip to", "Already a subscriber"))


def test_jsonl_piped_to_annotate_dash_becomes_one_record_per_line(tmp_path):
    lines = '{"id": "x", "text": "Officials said so."}\n{"id": "y", "text": "Two."}\n'
    result = invoke("-", "-o", tmp_path / "out", *FAST, input=lines)
    assert result.exit_code == 0, result.output
    assert written_ids(tmp_path / "out") == {"x", "y"}
