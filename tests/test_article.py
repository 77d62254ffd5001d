"""Reading inputs into articles; bad inputs become one-line errors in place."""

from __future__ import annotations

import io
import json

from annotator import Article, InputError
from annotator.article import read_articles


def read(*paths) -> list[Article | InputError]:
    return list(read_articles([str(p) for p in paths]))


def test_text_file_keeps_text_exactly_and_takes_first_line_as_title(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"Headline here\r\n\r\nBody \xf0\x9f\x98\x80 text.\r\n")
    [article] = read(path)
    assert article.id == "story"
    assert article.title == "Headline here"
    assert article.text == "Headline here\r\n\r\nBody 😀 text.\r\n"


def test_bom_is_removed(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff# Title\n\nText.".encode())
    [article] = read(path)
    assert article.text == "# Title\n\nText."
    assert article.title == "Title"


def test_folder_is_recursive_and_sorted_with_relative_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "one.txt").write_text("One.")
    (tmp_path / "a.md").write_text("A.")
    (tmp_path / "skip.json").write_text("{}")
    assert [a.id for a in read(tmp_path)] == ["a", "b/one"]


def test_undecodable_binary_and_empty_files_are_named_errors(tmp_path):
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "good.txt").write_text("Fine.")
    items = read(tmp_path)
    messages = [str(i) for i in items if isinstance(i, InputError)]
    assert any("blob.txt: binary file" in m for m in messages)
    assert any("latin.txt: not valid UTF-8" in m for m in messages)
    assert any("empty.txt: empty article" in m for m in messages)
    assert [a.id for a in items if isinstance(a, Article)] == ["good"]


def test_jsonl_reads_fields_and_reports_bad_lines_by_number(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "x1", "text": "First.", "title": "T", "source": "Outlet"}),
        "{not json",
        json.dumps({"id": "x2"}),
        json.dumps(["list"]),
        json.dumps({"id": "x3", "text": "Third.", "url": "https://example.org"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = read(path)
    articles = [i for i in items if isinstance(i, Article)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [a.id for a in articles] == ["x1", "x3"]
    assert articles[0].source == "Outlet" and articles[0].title == "T"
    assert articles[1].url == "https://example.org"
    assert errors[0].startswith(f"{path}:2: malformed JSON")
    assert errors[1].startswith(f"{path}:3: missing string field(s) text")
    assert errors[2].startswith(f"{path}:4: expected a JSON object")


def test_stdin_is_read_with_dash(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"From stdin.")))
    [article] = read("-")
    assert (article.id, article.text) == ("stdin", "From stdin.")


def test_missing_path_is_an_error(tmp_path):
    [error] = read(tmp_path / "nope.txt")
    assert isinstance(error, InputError) and "no such file or folder" in str(error)
