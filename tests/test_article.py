"""Reading inputs into articles; bad inputs become one-line errors in place."""

from __future__ import annotations

import io
import json

from annotator import Article, InputError
from annotator.plugins import load_readers, plugin_manager


def read(*paths) -> list[Article | InputError]:
    return list(load_readers(plugin_manager()).read([str(p) for p in paths]))


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


def test_jsonl_keeps_every_field_known_ones_as_attributes_the_rest_in_meta(tmp_path):
    path = tmp_path / "corpus.jsonl"
    row = {"id": "a", "text": "Body.", "event": "e-17", "date": 2019, "section": "World",
           "tags": ["x", "y"], "score": 0.5}
    path.write_text(json.dumps(row) + "\n")
    [article] = read(path)
    assert (article.event, article.date) == ("e-17", "2019")
    assert article.meta == {"section": "World", "tags": ["x", "y"], "score": 0.5}


def test_jsonl_field_that_cannot_be_a_string_is_named(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Body.", "source": {"name": "x"}}) + "\n")
    [error] = read(path)
    assert str(error) == f"{path}:1: field 'source' must be a string, not dict"


def test_non_finite_number_in_metadata_is_named(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": "a", "text": "Body.", "weight": NaN}\n')
    [error] = read(path)
    assert str(error).startswith(f"{path}:1: non-finite number NaN")


def test_markdown_front_matter_becomes_metadata_and_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: The title\nsource: NYT\ndate: 2020-01-02\nbeat: politics\n---\n"
                    "# Heading\n\nBody.\n")
    [article] = read(path)
    assert article.text == "# Heading\n\nBody.\n"
    assert (article.title, article.source, article.date) == ("The title", "NYT", "2020-01-02")
    assert article.meta == {"beat": "politics"}
    assert article.id == "story"


def test_a_leading_rule_that_is_not_a_mapping_stays_text(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("---\nJust a line.\n---\nBody.\n")
    [article] = read(path)
    assert article.text.startswith("---\nJust a line.")


def test_broken_front_matter_names_file_and_line(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody.\n")
    [error] = read(path)
    assert isinstance(error, InputError) and str(error).startswith(f"{path}:")
    assert "front matter is not valid YAML" in str(error)


def test_file_with_unknown_suffix_names_the_known_ones(tmp_path):
    path = tmp_path / "notes.xyz"
    path.write_text("Text.")
    [error] = read(path)
    assert str(error) == (
        f"{path}: no reader for this file (known: .csv, .htm, .html, .jsonl, .md, .tsv, .txt)"
    )


def test_dangling_symlink_in_a_folder_is_reported(tmp_path):
    (tmp_path / "good.txt").write_text("Fine.")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    items = read(tmp_path)
    assert [a.id for a in items if isinstance(a, Article)] == ["good"]
    assert [str(e) for e in items if isinstance(e, InputError)] == [
        f"{tmp_path / 'gone.txt'}: dangling symbolic link, skipped"
    ]
