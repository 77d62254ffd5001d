"""The HTML (trafilatura) and CSV/TSV readers: body only, metadata kept, bad input named."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator import Article, InputError
from annotator.cli import cli
from annotator.plugins import load_readers, plugin_manager
from tests.conftest import ROOT

NEWS_PAGE = ROOT / "tests" / "fixtures" / "news_page.html"


def read(*paths, settings=None) -> list[Article | InputError]:
    return list(load_readers(plugin_manager(), settings).read([str(p) for p in paths]))


def test_saved_news_page_gives_the_body_title_site_date_and_canonical_url():
    [article] = read(NEWS_PAGE)
    assert isinstance(article, Article), article
    assert article.id == "news_page"
    assert article.title == "Harbour council approves flood wall after heated debate"
    assert article.source == "The Riverside Courier"
    assert article.url == "https://courier.example/news/2025/03/harbour-flood-wall"
    assert article.date == "2025-03-14"
    assert article.meta["author"] == "Mara Lindqvist"
    assert "Councillors voted seven to four" in article.text
    assert "review the final drawings before construction begins." in article.text
    for left_out in ("Subscribe for", "Holiday cottages", "Most read", "Ferry timetable",
                     "harbourwatcher", "Absolute disgrace", "my cellar flooded", "Cookie settings",
                     "All rights reserved"):
        assert left_out not in article.text, left_out


def test_site_name_setting_overrides_the_page(tmp_path):
    [article] = read(NEWS_PAGE, settings={"html": {"source": "Courier"}})
    assert article.source == "Courier"


def test_html_without_a_body_is_one_line_and_the_rest_is_read(tmp_path):
    (tmp_path / "a_nav_only.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        encoding="utf-8")
    (tmp_path / "b_story.html").write_bytes(NEWS_PAGE.read_bytes())
    error, article = read(tmp_path)
    assert isinstance(error, InputError)
    assert str(error).startswith(f"{tmp_path / 'a_nav_only.html'}: no article body found")
    assert "\n" not in str(error)
    assert isinstance(article, Article) and article.id == "b_story"


def test_html_is_sniffed_on_stdin_and_for_unknown_suffixes(tmp_path):
    page = tmp_path / "saved.page"
    page.write_bytes(NEWS_PAGE.read_bytes())
    [article] = read(page)
    assert article.source == "The Riverside Courier"


def test_annotating_a_saved_page_keeps_only_the_body_with_offsets_into_it(tmp_path):
    result = CliRunner().invoke(cli, [str(NEWS_PAGE), "-o", str(tmp_path), "-q",
                                      "--only", "attribution"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "news_page.json").read_text("utf-8"))
    assert record["article"]["title"].startswith("Harbour council approves")
    assert record["article"]["source"] == "The Riverside Courier"
    text = record["article"]["text"]
    assert "Absolute disgrace" not in text
    cues = [a for a in record["annotations"] if a["label"] == "cue"]
    assert cues and all(text[a["start"]:a["end"]] == a["text"] for a in cues)


def write(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


def test_csv_rows_become_articles_with_other_columns_as_metadata(tmp_path):
    write(tmp_path / "corpus.csv", 'id,text,source,topic\n'
          'a1,"He said it was fine.\r\nThen he left.",Courier,floods\n'
          ',\n'
          'a2,Second story.,,\n')
    first, second = read(tmp_path / "corpus.csv")
    assert (first.id, first.text, first.source, first.meta) == (
        "a1", "He said it was fine.\r\nThen he left.", "Courier", {"topic": "floods"})
    assert first.source_path.endswith("corpus.csv:3")
    assert (second.id, second.source, second.meta) == ("a2", None, {})


def test_tsv_with_a_named_text_column_and_ids_from_row_numbers(tmp_path):
    write(tmp_path / "notes.tsv", "headline\tbody\nOne\tFirst body.\nTwo\tSecond body.\n")
    articles = read(tmp_path / "notes.tsv", settings={"csv": {"text_column": "body"}})
    assert [(a.id, a.text, a.meta) for a in articles] == [
        ("notes/1", "First body.", {"headline": "One"}),
        ("notes/2", "Second body.", {"headline": "Two"}),
    ]


def test_csv_without_the_text_column_names_the_columns_it_found(tmp_path):
    path = write(tmp_path / "rows.csv", "headline,body\nA,B\n")
    [error] = read(path)
    assert str(error) == (f"{path}: no 'text' column (found: headline, body); "
                          "name the text column with --text-column")


def test_csv_row_with_the_wrong_number_of_cells_is_named_and_the_rest_read(tmp_path):
    path = write(tmp_path / "rows.csv", "text,source\nGood one.,X\nBad,row,extra\nAlso good.,Y\n")
    first, error, last = read(path)
    assert str(error) == f"{path}:3: 3 cells for 2 columns, skipped"
    assert (first.text, last.text) == ("Good one.", "Also good.")


def test_text_column_option_of_annotate(tmp_path):
    (tmp_path / "in").mkdir()
    write(tmp_path / "in" / "rows.csv", "headline,body\nA,He said so.\n")
    result = CliRunner().invoke(cli, [str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q",
                                      "--only", "attribution", "--text-column", "body"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "rows" / "1.json").read_text("utf-8"))
    assert record["article"]["text"] == "He said so."
    assert record["article"]["meta"] == {"headline": "A"}
