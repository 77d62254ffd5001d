"""Parsing once, sharing the Doc, isolating failures, choosing the spaCy pipeline."""

from __future__ import annotations

import pytest

import annotator.pipeline
from annotator import Annotation, Annotator, Article, ModelError
from annotator.pipeline import annotate_articles, find_english_pipeline, load_nlp

ARTICLES = [Article(id=f"a{i}", text=f"Article number {i}. It is short.", source_path="-")
            for i in range(3)]


class Recorder(Annotator):
    name = "recorder"
    version = "1.0"

    def __init__(self, **settings):
        super().__init__(**settings)
        self.docs = []

    def annotate(self, article, doc):
        self.docs.append(doc)
        return [Annotation("first_word", 0, len(doc[0]))]


class Echo(Recorder):
    name = "echo"


class Broken(Annotator):
    name = "broken"
    version = "1.0"

    def annotate(self, article, doc):
        raise RuntimeError(f"cannot handle {article.id}")


class OutOfRange(Annotator):
    name = "out_of_range"
    version = "1.0"

    def annotate(self, article, doc):
        return [Annotation("past_the_end", 0, len(article.text) + 1)]


def test_each_article_is_parsed_once_in_one_pipe_and_every_annotator_gets_the_same_parse(
    blank_nlp, monkeypatch
):
    parsed = []
    make_doc = blank_nlp.make_doc
    monkeypatch.setattr(blank_nlp, "make_doc", lambda text: parsed.append(text) or make_doc(text))
    recorder, echo = Recorder(), Echo()
    records = list(annotate_articles(ARTICLES, blank_nlp, [echo, recorder]))
    assert parsed == [a.text for a in ARTICLES]
    assert len(records) == 3
    assert [d.to_bytes() for d in recorder.docs] == [d.to_bytes() for d in echo.docs]


def test_failing_annotator_is_recorded_and_the_others_go_on(blank_nlp):
    records = list(annotate_articles(ARTICLES, blank_nlp, [Broken(), Recorder()]))
    for record in records:
        message = f"RuntimeError: cannot handle {record['article']['id']}"
        assert record["errors"] == [{"annotator": "broken", "message": message}]
        assert [a["annotator"] for a in record["annotations"]] == ["recorder"]
        assert "broken" not in record["summary"]


def test_offsets_outside_the_text_are_the_annotators_error(blank_nlp):
    [record] = annotate_articles(ARTICLES[:1], blank_nlp, [OutOfRange()])
    assert record["annotations"] == []
    assert record["errors"][0]["annotator"] == "out_of_range"
    assert "outside the text" in record["errors"][0]["message"]


def test_requirements_are_checked_before_any_article(blank_nlp):
    class NeedsParser(Recorder):
        name = "needs_parser"
        requires = ("parser",)

    annotator_ = NeedsParser()
    with pytest.raises(ModelError, match="needs_parser requires parser"):
        list(annotate_articles(ARTICLES, blank_nlp, [annotator_]))
    assert annotator_.docs == []


def test_record_carries_provenance_and_text_hash(blank_nlp):
    [record] = annotate_articles(ARTICLES[:1], blank_nlp, [Recorder()])
    provenance = record["provenance"]
    assert provenance["tool"]["name"] == "annotator"
    assert provenance["pipeline"]["pipes"] == ["sentencizer"]
    assert provenance["annotators"][0]["name"] == "recorder"
    assert len(record["article"]["sha256"]) == 64
    assert record["article"]["length"] == len(ARTICLES[0].text)


def test_blank_fallback_warns_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(annotator.pipeline, "find_english_pipeline", lambda: None)
    nlp = load_nlp()
    warning = capsys.readouterr().err
    assert warning.startswith("warning: no trained English spaCy pipeline")
    assert warning.count("\n") == 1
    assert nlp.pipe_names == ["sentencizer"]
    assert list(nlp("One. Two.").sents)[1].text == "Two."


def test_installed_english_pipeline_with_parser_and_ner_is_found(trained_nlp):
    nlp = load_nlp()
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    assert nlp.lang == "en"
    assert find_english_pipeline() is not None


def test_model_option_loads_a_pipeline_by_path(trained_nlp, tmp_path):
    trained_nlp.to_disk(tmp_path / "pipeline")
    assert load_nlp(str(tmp_path / "pipeline")).pipe_names == trained_nlp.pipe_names


def test_unknown_model_is_one_clear_error():
    with pytest.raises(ModelError, match="cannot load spaCy pipeline 'no_such_pipeline'"):
        load_nlp("no_such_pipeline")


def test_described_pipeline_is_the_loaded_one_so_reruns_can_skip_without_loading(trained_nlp):
    from annotator.pipeline import describe_pipeline, pipeline_provenance

    assert describe_pipeline() == pipeline_provenance(load_nlp())
    assert describe_pipeline("blank") == pipeline_provenance(load_nlp("blank"))
    with pytest.raises(ModelError, match="cannot load spaCy pipeline 'no_such_pipeline'"):
        describe_pipeline("no_such_pipeline")
