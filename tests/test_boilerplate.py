"""The boilerplate annotator: classes of page furniture, found by line, never body text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from annotator_plugins.boilerplate import BUILTIN_RULES, Boilerplate, read_rules

from annotator import Article, ConfigError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def boilerplate() -> Boilerplate:
    return Boilerplate()


def spans(annotator: Boilerplate, text: str) -> list[tuple[str, str]]:
    article = Article(id="t", text=text, source_path="t.txt")
    found = annotator.annotate(article, None)
    return [(text[a.start : a.end], a.attributes["kind"]) for a in found]


def test_seed_boilerplate_lines_are_found_with_their_kind(boilerplate: Boilerplate) -> None:
    found = {
        line: kind
        for path in sorted(SEEDS.glob("*.txt"))
        for line, kind in spans(boilerplate, path.read_text(encoding="utf-8"))
    }
    expected = {
        "Skip to main content": "navigation",
        "JOIN THE MOVEMENT": "promotion",
        "Leave a Comment": "comment_prompt",
        "Spread the love": "share",
        "Reading Time: 2 minutes": "reading_time",
        "AFP": "credit",
        "Keep up to date with our latest videos, news and content": "subscription",
    }
    for line, kind in expected.items():
        assert found.pop(line) == kind
    rest = {line[:20]: kind for line, kind in found.items()}
    assert rest == {"Already a subscriber": "subscription", "1000w Ukrainian Pres": "caption"}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Skip to content", "navigation"),
        ("Home » World » Europe", "navigation"),
        ("Subscribers only: sign in to your account to keep reading.", "subscription"),
        ("Sign up for our daily newsletter", "subscription"),
        ("DONATE NOW", "promotion"),
        ("Support independent journalism today.", "promotion"),
        ("Share this article:", "share"),
        ("Facebook | Twitter | WhatsApp | Email", "share"),
        ("12 Comments", "comment_prompt"),
        ("Join the discussion", "comment_prompt"),
        ("5 min read", "reading_time"),
        ("Estimated reading time: 4 minutes", "reading_time"),
        ("Soldiers at a base near Kharkiv. (Photo by Jane Doe/Getty Images)", "caption"),
        ("Photo: Jane Doe", "credit"),
        ("(Reuters)", "credit"),
        ("With inputs from agencies", "credit"),
        ("This story was first published by Example Weekly.", "credit"),
        ("Post republished with permission from A Small Blog", "credit"),
        ("— Jane Roe (@janeroe) March 3, 2019", "embed"),
        ("Hide Caption 3 of 12 Photos: Crowds gather outside the court", "caption"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Email *", "form"),
        ("Website This field is for validation purposes and should be left unchanged.", "form"),
        ("Take our quick poll: who won the debate?", "form"),
        ("Follow us on Instagram: @example_news", "promotion"),
    ],
)
def test_rules_cover_classes_not_seed_strings(
    boilerplate: Boilerplate, line: str, kind: str
) -> None:
    text = f"Headline\n\n  {line}  \n\nBody text follows here."
    assert spans(boilerplate, text) == [(line, kind)]


@pytest.mark.parametrize(
    "line",
    [
        "Zelensky said he would leave a comment on the deal for later.",
        "Trump told reporters to subscribe to his view of the war, then left.",
        "The movement to join NATO has stalled.",
        "US-Ukraine Tensions Over Security and Resources",
        "Reading the room, officials said talks would take two minutes at most.",
        "Putin: ‘Fate’ and ‘God’ Behind the War",
    ],
)
def test_reporting_lines_are_not_boilerplate(boilerplate: Boilerplate, line: str) -> None:
    assert spans(boilerplate, line) == []


def test_offsets_point_into_the_original_text(boilerplate: Boilerplate) -> None:
    text = "\ufeffIntro 🇺🇦 line\r\n   Spread the love\r\nBody."
    article = Article(id="t", text=text, source_path="t.txt")
    [annotation] = boilerplate.annotate(article, None)
    assert text[annotation.start : annotation.end] == "Spread the love"
    assert annotation.attributes == {"kind": "share", "rule": "share_widget"}


def test_every_builtin_rule_explains_itself() -> None:
    entries = yaml.safe_load(BUILTIN_RULES.read_text(encoding="utf-8"))["rules"]
    assert len(entries) == len(read_rules(BUILTIN_RULES))
    for entry in entries:
        assert len(entry["rationale"]) > 30, entry["id"]
        assert entry["source"]


def test_unknown_kind_in_a_rules_file_is_a_config_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "kind: boilerplate-rules\nrules:\n"
        "  - {id: x, kind: footer, pattern: 'x', max_words: 1, rationale: r, source: s}\n"
    )
    with pytest.raises(ConfigError, match="unknown kind 'footer'"):
        Boilerplate(rules_file=str(rules))


def test_a_rules_file_without_its_kind_is_a_config_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: []\n")
    with pytest.raises(ConfigError, match="needs 'kind: boilerplate-rules'"):
        Boilerplate(rules_file=str(rules))


def test_a_custom_rules_file_replaces_the_builtin_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "kind: boilerplate-rules\nrules:\n"
        "  - id: listen\n    kind: promotion\n    pattern: 'listen to this article'\n"
        "    max_words: 4\n    rationale: audio player label\n    source: test\n"
    )
    annotator = Boilerplate(rules_file=str(rules))
    assert spans(annotator, "Listen to this article\nSkip to main content") == [
        ("Listen to this article", "promotion")
    ]
    assert annotator.provenance()["data_files"][0]["name"] == "rules.yaml"


def test_summary_counts_kinds_and_characters(boilerplate: Boilerplate) -> None:
    article = Article(id="t", text="AFP\nBody.\nLeave a Comment", source_path="t.txt")
    annotations = [
        {"label": "boilerplate", "start": a.start, "end": a.end, "attributes": a.attributes}
        for a in boilerplate.annotate(article, None)
    ]
    assert boilerplate.summarize(annotations) == {
        "count": 2,
        "characters": 3 + 15,
        "kinds": {"comment_prompt": 1, "credit": 1},
    }
