"""annotator.testing: the helpers plugin authors test with."""

from __future__ import annotations

import pytest

from annotator import Annotation, Annotator, Article, ConfigError, ModelError, hookimpl, sub_span
from annotator.plugins import annotator_classes, plugin_manager
from annotator.testing import (
    annotate_text,
    fake_distribution,
    installed_plugins,
    load_pipeline,
    run_annotator,
)

TEXT = "Officials said the plan was “dead”, critics claim."


class Capitals(Annotator):
    name = "capitals"
    version = "1.0"
    default_settings = {"min_length": 1}
    attributes_schema = {"type": "object", "required": ["word"],
                         "properties": {"word": {"type": "object"}}}

    def annotate(self, article, doc):
        for token in doc:
            if token.text[:1].isupper() and len(token) >= self.settings["min_length"]:
                yield Annotation("capital", token.idx, token.idx + len(token),
                                 attributes={"word": sub_span(article.text, token.idx,
                                                              token.idx + len(token))})


def test_run_annotator_returns_the_output_records_with_settings_applied():
    records = run_annotator(Capitals, "Ann met Bo in Rome.", {"min_length": 3})
    assert [(r["text"], r["start"], r["annotator"]) for r in records] == [
        ("Ann", 0, "capitals"), ("Rome", 14, "capitals")]
    assert records[0]["attributes"] == {"word": {"start": 0, "end": 3, "text": "Ann"}}


def test_run_annotator_checks_setting_types():
    with pytest.raises(ConfigError, match="setting min_length expects an integer"):
        run_annotator(Capitals, "Ann.", {"min_length": "3"})


def test_a_record_that_validate_would_reject_is_an_assertion_error():
    class Shifted(Capitals):
        def annotate(self, article, doc):
            yield Annotation("capital", 0, 1, attributes={"word": {"start": 0, "end": 1,
                                                                   "text": "x"}})

    with pytest.raises(AssertionError, match=r"test: /annotations/0/attributes/word: text 'x'"):
        run_annotator(Shifted, "Ann.")


def test_attributes_breaking_the_annotators_schema_are_an_assertion_error():
    class Schemaless(Capitals):
        def annotate(self, article, doc):
            yield Annotation("capital", 0, 1, attributes={"word": "A"})

    with pytest.raises(AssertionError, match="/attributes/word: 'A' is not of type 'object'"):
        run_annotator(Schemaless, "Ann.")


def test_an_exception_in_annotate_propagates_with_its_own_type():
    class Failing(Capitals):
        def annotate(self, article, doc):
            raise KeyError("no such entry")

    with pytest.raises(KeyError, match="no such entry"):
        run_annotator(Failing, "Ann.")


def test_used_annotators_come_from_the_installed_plugins_and_run_first():
    class Quoted(Annotator):
        name = "quoted_cues"
        version = "1.0"
        uses = ("attribution",)

        def annotate(self, article, doc, annotations):
            for cue in annotations["attribution"]:
                yield Annotation("cue_seen", cue["start"], cue["end"])

    record = annotate_text(TEXT, [Quoted])
    assert [a["name"] for a in record["provenance"]["annotators"]] == ["attribution",
                                                                       "quoted_cues"]
    seen = [(a["start"], a["end"]) for a in record["annotations"] if a["label"] == "cue_seen"]
    cues = [(a["start"], a["end"]) for a in record["annotations"]
            if a["annotator"] == "attribution"]
    assert seen and seen == cues


def test_annotate_text_takes_an_article_and_a_requirement_is_checked():
    article = Article(id="mine", text="Ann met Bo.", source="Outlet")
    record = annotate_text(article, [Capitals])
    assert record["article"]["id"] == "mine" and record["article"]["source"] == "Outlet"
    needy = type("Needy", (Capitals,), {"requires": ("ner",)})
    with pytest.raises(ModelError, match="capitals requires ner"):
        annotate_text("Ann.", [needy])


def test_load_pipeline_blank_is_cached_and_has_sentences():
    nlp = load_pipeline("blank")
    assert nlp is load_pipeline("blank")
    assert len(list(nlp("One. Two.").sents)) == 2


def test_installed_plugins_fakes_a_package_and_undoes_it_afterwards():
    class Plugin:
        @hookimpl
        def register_annotators(self, register):
            register(Capitals)

    package = fake_distribution("annotator-capitals", {"capitals": Plugin()}, version="0.3")
    with installed_plugins(package):
        manager = plugin_manager()
        assert "capitals" in annotator_classes(manager)
        assert str(manager.origin("capitals")) == "package annotator-capitals 0.3"
    assert "capitals" not in annotator_classes(plugin_manager())


def test_installed_plugins_without_the_real_ones_loads_nothing_else():
    with installed_plugins(keep_real=False):
        assert annotator_classes(plugin_manager()) == {}


def test_an_article_needs_only_id_and_text():
    article = Article(id="a", text="Text.")
    assert article.source_path is None and dict(article.meta) == {}
