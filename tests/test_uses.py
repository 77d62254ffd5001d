"""Annotators that build on others: `uses`, run order and the `annotations` parameter."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from click.testing import CliRunner

from annotator import Annotation, Annotator, Article, ConfigError, PluginError, hookimpl
from annotator.cli import cli
from annotator.pipeline import annotate_articles
from annotator.plugins import load_annotators, plugin_manager

ARTICLE = Article(id="a", text="Officials said the plan was dead.")


class Words(Annotator):
    """One annotation per word."""

    name = "words"
    version = "1.0"

    def annotate(self, article, doc):
        return [Annotation("word", t.idx, t.idx + len(t)) for t in doc if t.is_alpha]


class LongWords(Annotator):
    """Re-labels the words of `words` longer than four letters."""

    name = "long_words"
    version = "1.0"
    uses = ("words",)

    def annotate(self, article, doc, annotations):
        self.received = annotations
        for word in annotations["words"]:
            if len(word["text"]) > 4:
                yield Annotation("long", word["start"], word["end"],
                                 attributes={"of": word["label"]})


class Count(Annotator):
    """Uses `long_words` (and so, indirectly, `words`) without reading them."""

    name = "count"
    version = "1.0"
    uses = ("long_words",)

    def annotate(self, article, doc):
        return []


class Broken(Annotator):
    name = "words"
    version = "1.0"

    def annotate(self, article, doc):
        raise RuntimeError("no words today")


def manager_with(*classes: type[Annotator]):
    class Plugin:
        @hookimpl
        def register_annotators(self, register):
            for cls in classes:
                register(cls)

    manager = plugin_manager()
    manager.register(Plugin(), name="test-plugin")
    return manager


def uses(name: str, *used: str) -> type[Annotator]:
    return type(name, (Annotator,), {"name": name, "version": "1.0", "uses": used,
                                     "annotate": lambda self, article, doc: []})


def test_used_annotators_run_first_whatever_their_names(blank_nlp):
    manager = manager_with(Count, LongWords, Words)
    annotators = load_annotators(manager, only=["count", "long_words", "words"])
    assert [a.name for a in annotators] == ["words", "long_words", "count"]


def test_annotations_are_the_used_annotators_records_read_only(blank_nlp):
    annotators = load_annotators(manager_with(LongWords, Words), only=["long_words", "words"])
    [record] = annotate_articles([ARTICLE], blank_nlp, annotators)
    received = annotators[1].received
    assert set(received) == {"words"}
    words = [a for a in record["annotations"] if a["annotator"] == "words"]
    assert [dict(r, attributes=dict(r["attributes"])) for r in received["words"]] == words
    assert isinstance(received["words"][0], MappingProxyType)
    with pytest.raises(TypeError):
        received["words"][0]["label"] = "changed"
    longs = [a["text"] for a in record["annotations"] if a["annotator"] == "long_words"]
    assert longs == ["Officials"]


def test_an_annotator_that_modifies_what_it_uses_fails_and_the_output_is_intact(blank_nlp):
    class Meddler(LongWords):
        name = "meddler"

        def annotate(self, article, doc, annotations):
            annotations["words"][0]["attributes"]["x"] = 1
            return []

    annotators = load_annotators(manager_with(Meddler, Words), only=["meddler", "words"])
    [record] = annotate_articles([ARTICLE], blank_nlp, annotators)
    assert record["errors"][0]["annotator"] == "meddler"
    assert record["errors"][0]["message"].startswith("TypeError")
    assert all(a["attributes"] == {} for a in record["annotations"])


def test_a_used_annotators_failure_is_an_error_for_its_users_too(blank_nlp):
    annotators = load_annotators(manager_with(Count, LongWords, Broken),
                                 only=["count", "long_words", "words"])
    [record] = annotate_articles([ARTICLE], blank_nlp, annotators)
    assert record["errors"] == [
        {"annotator": "count", "message": "not run: it uses 'long_words', which failed"},
        {"annotator": "long_words", "message": "not run: it uses 'words', which failed"},
        {"annotator": "words", "message": "RuntimeError: no words today"},
    ]
    assert record["annotations"] == [] and record["summary"] == {}


def test_a_missing_used_annotator_is_an_error_naming_both():
    with pytest.raises(ConfigError, match="'long_words' uses 'words', which is not installed"):
        load_annotators(manager_with(LongWords), only=["long_words"])


def test_a_disabled_used_annotator_is_an_error_naming_both():
    manager = manager_with(LongWords, Words)
    with pytest.raises(ConfigError, match="'long_words' uses 'words', which is disabled"):
        load_annotators(manager, only=["long_words"], disable=None)
    with pytest.raises(ConfigError, match="'long_words' uses 'words', which is disabled"):
        load_annotators(manager, only=["long_words", "words"], disable=["words"])


def test_include_used_adds_what_only_needs():
    manager = manager_with(Count, LongWords, Words)
    annotators = load_annotators(manager, only=["count"], include_used=True)
    assert [a.name for a in annotators] == ["words", "long_words", "count"]


@pytest.mark.parametrize("graph, cycle", [
    ({"a": ("b",), "b": ("a",)}, "'a' uses 'b' uses 'a'"),
    ({"a": ("b",), "b": ("c",), "c": ("a",)}, "'a' uses 'b' uses 'c' uses 'a'"),
    ({"a": ("a",)}, "'a' uses 'a'"),
])
def test_a_cycle_is_an_error_naming_the_annotators(graph, cycle):
    manager = manager_with(*(uses(name, *used) for name, used in graph.items()))
    with pytest.raises(ConfigError, match=f"annotators in a cycle: {cycle}$"):
        load_annotators(manager, only=list(graph))


PLUGIN_USING = """
from annotator import Annotator, hookimpl


class User(Annotator):
    name = "user"
    version = "1.0"
    uses = ({used!r},)

    def annotate(self, article, doc, annotations):
        return []


@hookimpl
def register_annotators(register):
    register(User)
"""


@pytest.mark.parametrize("used, options, message", [
    ("nope", [], "error: annotator 'user' uses 'nope', which is not installed"),
    ("attribution", ["--disable", "attribution,loaded_terms"],
     "error: annotator 'user' uses 'attribution', which is disabled"),
    ("user", [], "error: annotators in a cycle: 'user' uses 'user'"),
])
def test_cli_stops_before_reading_any_article_with_one_line_and_exit_2(
    tmp_path, used, options, message
):
    plugin = tmp_path / "user.py"
    plugin.write_text(PLUGIN_USING.format(used=used))
    result = CliRunner().invoke(
        cli, [str(plugin), "--plugin", str(plugin), "-o", str(tmp_path / "o"),
              *options]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0]]
    assert result.stderr.startswith(message)
    assert not (tmp_path / "o").exists()


def test_uses_must_be_a_tuple_of_names():
    odd = type("Odd", (LongWords,), {"name": "odd", "uses": "words"})
    with pytest.raises(PluginError, match=r"uses must be a tuple of annotator names, not 'words'"):
        load_annotators(manager_with(odd, Words))


def test_users_of_an_annotator_whose_output_is_invalid_are_dropped_too(blank_nlp):
    class BadWords(Words):
        def annotate(self, article, doc):
            return [Annotation("word", 0, 3, attributes={"x": {"start": 0, "end": 1,
                                                               "text": "not O"}})]

    annotators = load_annotators(manager_with(Count, LongWords, BadWords),
                                 only=["count", "long_words", "words"])
    [record] = annotate_articles([ARTICLE], blank_nlp, annotators)
    assert [e["annotator"] for e in record["errors"]] == ["count", "long_words", "words"]
    assert record["errors"][1]["message"] == (
        "dropped: it uses 'words', whose output breaks the record rules")
    assert record["annotations"] == []
