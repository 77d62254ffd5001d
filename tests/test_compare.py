"""`annotate compare`: metrics on hand-made records, alignment, labeling, report and CLI."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.compare import compare_records, comparison_problems, labeling, render_report
from annotator.compare.article import ComparedArticle
from annotator.compare.labeling import (
    clustered,
    lone_title_before,
    needed_sentences,
    title_words_before,
)
from annotator.compare.text import content_words
from annotator.errors import InputError
from annotator.records import iter_records

ALL = ("boilerplate", "loaded_terms", "attribution", "sentiment")


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def sub(text: str, needle: str, nth: int = 0) -> dict[str, Any]:
    start, end = at(text, needle, nth)
    return {"start": start, "end": end, "text": text[start:end]}


def ann(text: str, annotator: str, label: str, needle: str, nth: int = 0,
        score: float | None = None, **attributes: Any) -> dict[str, Any]:
    start, end = at(text, needle, nth)
    found = {"annotator": annotator, "label": label, "start": start, "end": end,
             "text": text[start:end], "attributes": attributes}
    if score is not None:
        found["score"] = score
    return found


def record(article_id: str, text: str, annotations: list[dict[str, Any]],
           source: str | None = None, annotators: tuple[str, ...] = ALL,
           errors: tuple[str, ...] = ()) -> dict[str, Any]:
    """A valid output record built by hand."""
    annotations = sorted(annotations, key=lambda a: (a["start"], a["end"], a["annotator"],
                                                     a["label"]))
    return {
        "schema_version": "1.0.0",
        "article": {
            "id": article_id, "source_path": f"{article_id}.txt", "title": None,
            "source": source, "url": None, "date": None, "text": text,
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "length": len(text),
        },
        "provenance": {
            "tool": {"name": "annotator", "version": "0.1.0"},
            "pipeline": {"name": "en_test", "version": "0.0.0", "spacy_version": "3.8.0",
                         "pipes": []},
            "annotators": [{"name": n, "version": "1.0.0", "config_sha256": "0" * 64,
                            "data_files": []} for n in annotators],
        },
        "annotations": [a for a in annotations if a["annotator"] in annotators],
        "summary": {},
        "errors": [{"annotator": n, "message": "RuntimeError: boom"} for n in errors],
    }


def one_story(records: list[dict[str, Any]], nlp: Any = None) -> dict[str, Any]:
    """The whole comparison of ``records`` told as one event (an override puts them together)."""
    return compare_records(records, nlp, overrides={r["article"]["id"]: "story" for r in records})


def compare_one(records: list[dict[str, Any]], nlp: Any = None) -> dict[str, Any]:
    """The single event's comparison, with the top-level lists, after checking the whole."""
    full = one_story(records, nlp)
    assert comparison_problems(full) == []
    return {**full, **full["events"][0], "articles": full["articles"]}


def row(comparison: dict[str, Any], group_start: str, label: str) -> dict[str, Any]:
    return next(r for r in comparison["metrics"]
                if r["group"].startswith(group_start) and r["label"] == label)


BODY = (
    "Trump branded Zelensky a dictator and a tyrant. "
    "Zelensky said he was ready to resign for NATO membership. "
    "Critics reportedly called the plan absurd."
)
FURNITURE = "Skip to main content\nSpread the love dictator tyrant\n"


def body_annotations(text: str) -> list[dict[str, Any]]:
    """The same annotations over BODY wherever it sits in ``text``."""
    return [
        ann(text, "loaded_terms", "loaded_term", "dictator", text.count("dictator") - 1,
            category="labeling"),
        ann(text, "loaded_terms", "loaded_term", "tyrant", text.count("tyrant") - 1,
            category="labeling"),
        ann(text, "loaded_terms", "loaded_term", "absurd", category="hyperbole"),
        ann(text, "attribution", "cue", "branded", stance="discrediting", modifier=None,
            source=sub(text, "Trump"), source_name="Trump", content=None, quote_type=None),
        ann(text, "attribution", "cue", "said", stance="neutral", modifier=None,
            source=sub(text, "Zelensky", text.count("Zelensky") - 1),
            source_name="Volodymyr Zelensky",
            content=sub(text, "he was ready to resign for NATO membership"),
            quote_type="indirect"),
        ann(text, "attribution", "hedge", "reportedly", category="hedge"),
        ann(text, "sentiment", "sentence", "Trump branded Zelensky a dictator and a tyrant.",
            score=-0.5, voice="journalist"),
        ann(text, "sentiment", "sentence", "Zelensky said he was ready to resign for NATO "
            "membership.", score=0.2, voice="journalist"),
        ann(text, "sentiment", "sentence", "Critics reportedly called the plan absurd.",
            score=-0.3, voice="journalist"),
    ]


def test_boilerplate_counts_in_no_metric() -> None:
    """An article with furniture (full of loaded words, a cue and a scored sentence inside it)
    measures exactly like the same article without it."""
    text = FURNITURE + BODY + "\nLeave a Comment"
    furniture = [
        ann(text, "boilerplate", "boilerplate", "Skip to main content", kind="navigation",
            rule="skip_link"),
        ann(text, "boilerplate", "boilerplate", "Spread the love dictator tyrant", kind="share",
            rule="share_widget"),
        ann(text, "boilerplate", "boilerplate", "Leave a Comment", kind="comment_prompt",
            rule="comment_prompt"),
        ann(text, "loaded_terms", "loaded_term", "dictator", category="labeling"),
        ann(text, "loaded_terms", "loaded_term", "tyrant", category="labeling"),
        ann(text, "attribution", "cue", "Leave", stance="neutral"),
        ann(text, "sentiment", "sentence", "Spread the love dictator tyrant", score=0.9,
            voice="journalist"),
    ]
    noisy = record("noisy", text, body_annotations(text) + furniture, source="Noisy")
    clean = record("clean", BODY, body_annotations(BODY), source="Clean")
    comparison = compare_one([noisy, clean])
    assert len(comparison["metrics"]) > 15
    for metric in comparison["metrics"]:
        cells = metric["cells"]
        assert cells["Noisy"]["value"] == cells["Clean"]["value"], metric["label"]
        assert cells["Noisy"]["count"] == cells["Clean"]["count"], metric["label"]
        for span in cells["Noisy"]["evidence"]:
            assert text[span["start"] : span["end"]] == span["text"]
            assert span["start"] >= len(FURNITURE)
    words = {a["id"]: a["words"] for a in comparison["articles"]}
    assert words == {"clean": 24, "noisy": 24}
    assert len(comparison["articles"][1]["boilerplate"]) == 3


def test_loaded_terms_are_counted_per_thousand_words_by_category() -> None:
    comparison = compare_one([record("a", BODY, body_annotations(BODY))])
    assert row(comparison, "Loaded terms", "labeling")["cells"]["a"]["value"] == round(
        2000 / 24, 4)
    hyperbole = row(comparison, "Loaded terms", "hyperbole")["cells"]["a"]
    assert hyperbole["count"] == 1
    assert [e["text"] for e in hyperbole["evidence"]] == ["absurd"]
    assert row(comparison, "Loaded terms", "all loaded terms")["cells"]["a"]["count"] == 3


def test_stance_mix_is_a_share_of_cues_and_hedges_a_rate() -> None:
    comparison = compare_one([record("a", BODY, body_annotations(BODY))])
    assert row(comparison, "Attribution stance", "discrediting")["cells"]["a"]["value"] == 0.5
    assert row(comparison, "Attribution stance", "neutral")["cells"]["a"]["value"] == 0.5
    assert row(comparison, "Attribution stance", "endorsing")["cells"]["a"]["value"] == 0.0
    assert row(comparison, "Hedging", "hedges")["cells"]["a"]["count"] == 1


def test_quoted_words_are_shared_by_resolved_speaker() -> None:
    text = ("Volodymyr Zelensky spoke. He said “we will not give up our land to anyone.” "
            "Donald Trump said “a deal is close.”")
    annotations = [
        ann(text, "attribution", "cue", "said", stance="neutral", source=sub(text, "He"),
            source_name=None, content=sub(text, "we will not give up our land to anyone."),
            quote_type="direct"),
        ann(text, "attribution", "cue", "said", 1, stance="neutral",
            source=sub(text, "Donald Trump"), source_name="Donald Trump",
            content=sub(text, "a deal is close."), quote_type="direct"),
        ann(text, "sentiment", "entity_mention", "He", score=0.0,
            entity="Volodymyr Zelensky", entity_type="PERSON", mention_kind="pronoun"),
    ]
    comparison = compare_one([record("a", text, annotations)])
    zelensky = row(comparison, "Share of quoted words, by speaker", "Volodymyr Zelensky")
    trump = row(comparison, "Share of quoted words, by speaker", "Donald Trump")
    assert zelensky["cells"]["a"]["count"] == 9
    assert trump["cells"]["a"]["count"] == 4
    assert zelensky["cells"]["a"]["value"] == round(9 / 13, 4)
    assert row(comparison, "Share of quoted words, by quote type", "direct")["cells"]["a"][
        "value"] == 1.0


def test_sentiment_distribution_entity_sentiment_and_voice() -> None:
    text = "Volodymyr Zelensky warned. Donald Trump cheered. “This is a bad deal,” Zelensky said."
    annotations = [
        ann(text, "sentiment", "sentence", "Volodymyr Zelensky warned.", score=-0.5,
            voice="journalist"),
        ann(text, "sentiment", "sentence", "Donald Trump cheered.", score=0.6,
            voice="journalist"),
        ann(text, "sentiment", "sentence", "“This is a bad deal,” Zelensky said.", score=0.0,
            voice="quoted"),
        ann(text, "sentiment", "entity_mention", "Volodymyr Zelensky", score=-0.4,
            entity="Volodymyr Zelensky", entity_type="PERSON", mention_kind="name"),
        ann(text, "sentiment", "entity_mention", "Zelensky", 1, score=-0.2,
            entity="Volodymyr Zelensky", entity_type="PERSON", mention_kind="name"),
        ann(text, "sentiment", "entity_mention", "Donald Trump", score=0.5,
            entity="Donald Trump", entity_type="PERSON", mention_kind="name"),
    ]
    other = record("b", "Donald Trump and Volodymyr Zelensky met.", [])
    comparison = compare_one([record("a", text, annotations), other])
    sentiment = "Sentence sentiment"
    assert row(comparison, sentiment, "mean")["cells"]["a"]["value"] == round(0.1 / 3, 4)
    assert row(comparison, sentiment, "median")["cells"]["a"]["value"] == 0.0
    for label in ("share negative", "share neutral", "share positive"):
        assert row(comparison, sentiment, label)["cells"]["a"]["value"] == round(1 / 3, 4)
    assert row(comparison, "Sentiment toward", "Volodymyr Zelensky")["cells"]["a"]["value"] \
        == -0.3
    assert row(comparison, "Sentiment toward", "Donald Trump")["cells"]["a"]["count"] == 1
    assert row(comparison, "Journalist voice", "mean sentiment, quoted voice")["cells"]["a"][
        "value"] == 0.0
    inside = row(comparison, "Journalist voice", "share of words inside quotation marks")
    assert inside["cells"]["a"]["count"] == 5
    assert inside["cells"]["a"]["value"] == round(5 / 13, 4)


def test_missing_or_failed_annotators_are_na_not_a_crash() -> None:
    only_boilerplate = record("a", BODY, body_annotations(BODY), annotators=("boilerplate",))
    failed = record("b", BODY, body_annotations(BODY), errors=("sentiment",))
    comparison = compare_one([only_boilerplate, failed])
    for label in ("all loaded terms", "discrediting", "mean"):
        cell = next(r for r in comparison["metrics"] if r["label"] == label)["cells"]["a"]
        assert cell == {"available": False, "value": None, "count": 0, "evidence": []}
    assert row(comparison, "Sentence sentiment", "mean")["cells"]["b"]["available"] is False
    assert row(comparison, "Attribution stance", "neutral")["cells"]["b"]["value"] == 0.5
    assert any("'sentiment' did not run for a, b" in note for note in comparison["notes"])


def test_outlet_is_the_source_field_else_the_article_id() -> None:
    comparison = compare_one([
        record("x1", BODY, [], source="Daily"),
        record("x2", BODY, [], source="Daily"),
        record("y", BODY, []),
    ])
    assert comparison["outlets"] == [{"name": "Daily", "articles": ["x1", "x2"]},
                                     {"name": "y", "articles": ["y"]}]


OUTLET_TEXTS = {
    "A": ("Ukraine's president spoke on Sunday.\n"
          "“If peace needs me to give up my post, I am ready, I can exchange it for NATO,” "
          "Zelensky said.\nTrump falsely claimed that Ukraine started the war last week.\n"
          "The weather in Kyiv was cold and grey all day."),
    "B": ("Zelensky offered to resign.\n“If you really need me to give up my post, I am "
          "ready,” he said.\nTrump inaccurately asserted that Ukraine had started the war.\n"
          "Markets rose sharply in Asian trading."),
    "C": ("“If there is peace, if you really need me to leave my post, I am ready… I can "
          "exchange it for NATO,” Zelensky said.\nIn a post, Trump claimed Ukraine started the "
          "war.\nFootball results follow below."),
}


def test_same_quote_and_claim_are_aligned_across_outlets_with_each_verb() -> None:
    records = []
    for outlet, text in OUTLET_TEXTS.items():
        cues = []
        for verb in ("claimed", "asserted"):
            if verb in text:
                modifier = next((m for m in ("falsely", "inaccurately") if m + " " + verb in text),
                                None)
                cues.append(ann(text, "attribution", "cue", verb,
                                stance="discrediting" if modifier else "distancing",
                                modifier=modifier, source=sub(text, "Trump"),
                                source_name="Trump", content=None, quote_type="indirect"))
        records.append(record(outlet.lower(), text, cues, source=outlet))
    comparison = compare_one(records)
    quote = next(a for a in comparison["alignments"] if a["kind"] == "quote")
    assert [m["outlet"] for m in quote["members"]] == ["A", "B", "C"]
    completeness = {m["outlet"]: (m["completeness"], m["elided"]) for m in quote["members"]}
    assert completeness == {"A": ("full", False), "B": ("truncated", False),
                            "C": ("truncated", True)}
    claim = next(a for a in comparison["alignments"]
                 if a["kind"] == "claim" and "started the war" in a["members"][0]["text"])
    phrases = {m["outlet"]: [c["phrase"] for c in m["cues"]] for m in claim["members"]}
    assert phrases == {"A": ["falsely claimed"], "B": ["inaccurately asserted"],
                       "C": ["claimed"]}
    assert {m["presentation"] for m in claim["members"]} == {"paraphrase"}
    assert {m["outlet"]: m["own_words"] for m in claim["members"]} == {
        "A": ["falsely", "last", "week"], "B": ["inaccurately", "asserted"], "C": ["post"]}
    aligned = {m["text"] for a in comparison["alignments"] for m in a["members"]}
    assert not any(word in text for text in aligned for word in ("weather", "Markets",
                                                                 "Football"))


def test_content_words_drop_stop_words_and_fold_inflections() -> None:
    assert content_words("Trump claimed that Ukraine started the war") == [
        "trump", "claim", "ukraine", "start", "war"]
    assert content_words("Ukraine's starting, I’m told") == ["ukraine", "start"]


def test_report_renders_article_markup_as_text() -> None:
    text = "Hostile\n<script>window.__pwned = 1</script> <img src=x onerror=alert(1)> dictator"
    annotations = [ann(text, "loaded_terms", "loaded_term", "dictator", category="labeling",
                       rationale='"><script>alert(2)</script>')]
    records = [record("h", text, annotations)]
    html = render_report(one_story(records), records)
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(2)" not in html
    assert html.count("<script>") == 1  # the report's own toggle script
    assert "http://" not in html and "https://" not in html


def test_load_records_names_an_invalid_file(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(record("a", BODY, [])), encoding="utf-8")
    broken = record("b", BODY, [])
    broken["article"]["sha256"] = "0" * 64
    (tmp_path / "b.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.json: /article/sha256"):
        list(iter_records(tmp_path))


def test_load_records_refuses_the_same_article_twice(tmp_path: Path) -> None:
    for name in ("a.json", "copy/a.json"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(json.dumps(record("a", BODY, [])), encoding="utf-8")
    with pytest.raises(InputError, match=r"copy/a\.json: article id 'a' is also in .*/a\.json"):
        list(iter_records(tmp_path))


def test_comparison_schema_rejects_a_malformed_comparison() -> None:
    comparison = one_story([record("a", BODY, body_annotations(BODY))])
    comparison["alignments"].append({"kind": "rumour", "similarity": 101, "outlets": 1,
                                     "members": []})
    del comparison["notes"]
    problems = comparison_problems(comparison)
    assert any("'notes' is a required property" in p for p in problems)
    assert any(p.startswith("/alignments/0/kind") for p in problems)


# ---------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_comparison(seed_records, trained_nlp) -> dict[str, Any]:
    return compare_one(list(seed_records.values()), trained_nlp)


def test_seed_comparison_is_valid_and_every_span_reslices(seed_comparison, seed_records) -> None:
    texts = {r["article"]["id"]: r["article"]["text"] for r in seed_records.values()}
    boilerplate = {a["id"]: [(b["start"], b["end"]) for b in a["boilerplate"]]
                   for a in seed_comparison["articles"]}
    assert sum(map(len, boilerplate.values())) >= 9

    def spans(value: Any) -> list[dict[str, Any]]:
        if isinstance(value, dict):
            here = [value] if {"article", "start", "end", "text"} <= set(value) else []
            return here + [s for v in value.values() for s in spans(v)]
        if isinstance(value, list):
            return [s for v in value for s in spans(v)]
        return []

    found = spans([seed_comparison["metrics"], seed_comparison["alignments"],
                   seed_comparison["labeling"]])
    assert len(found) > 300
    for span in found:
        assert texts[span["article"]][span["start"] : span["end"]] == span["text"]
        assert not any(span["start"] < e and s < span["end"] for s, e in
                       boilerplate[span["article"]]), span


def test_seed_zelensky_quote_is_aligned_in_all_five_outlets(seed_comparison) -> None:
    quotes = [a for a in seed_comparison["alignments"] if a["kind"] == "quote"]
    five = [a for a in quotes if a["outlets"] == 5]
    assert len(five) == 1
    for member in five[0]["members"]:
        assert "ready" in member["text"] and "post" in member["text"] or "NATO" in member["text"]


def test_seed_trump_started_the_war_claim_is_aligned_with_each_verb(seed_comparison) -> None:
    claims = [a for a in seed_comparison["alignments"] if a["kind"] == "claim" and all(
        "war" in m["text"] and any(v in m["text"] for v in ("started", "starting", "initiated"))
        for m in a["members"])]
    assert len(claims) == 1
    members = claims[0]["members"]
    assert len(members) >= 3
    phrases = " | ".join(c["phrase"] for m in members for c in m["cues"])
    assert "falsely" in phrases and "inaccurately asserted" in phrases


def test_seed_labeling_matrix_has_the_main_people_and_their_labels(seed_comparison) -> None:
    rows = {r["entity"].split()[-1][:7]: r for r in seed_comparison["labeling"]}
    assert {"Trump", "Zelensk", "Putin"} <= set(rows)
    zelensky = [d for cell in rows["Zelensk"]["cells"].values() for d in cell["descriptors"]]
    assert {"Ukrainian President", "dictator"} <= {d["text"] for d in zelensky}
    assert any(d["text"].lower() == "the ukrainian leader" for d in zelensky)
    trump = {d["text"] for cell in rows["Trump"]["cells"].values() for d in cell["descriptors"]}
    assert "Former President" in trump
    assert all(cell["mentions"] > 0 for cell in rows["Trump"]["cells"].values())


def test_parsing_only_the_needed_sentences_reads_what_parsing_all_of_them_reads(
        seed_records, seed_comparison, trained_nlp, monkeypatch) -> None:
    records = list(seed_records.values())
    assert all(clustered(ComparedArticle.from_record(r)) for r in records)  # the sparse path
    chosen = [needed_sentences(ComparedArticle.from_record(r), [(0, len(r["article"]["text"]))])
              for r in records]
    total = sum(len(ComparedArticle.from_record(r).segments) for r in records)
    assert 0 < sum(map(len, chosen)) < total / 2
    monkeypatch.setattr(labeling, "needed_sentences", lambda art, spans: art.segments)
    assert compare_one(records, trained_nlp)["labeling"] == seed_comparison["labeling"]


def test_a_lone_title_before_a_name_is_read_without_a_parse() -> None:
    text = "The vote was close, said Sen. Mary Jones. President Obama agreed, aides said."
    assert lone_title_before(text, 0, text.index("Mary")) == at(text, "Sen.")
    second = text.index("President")  # where the second sentence starts
    assert lone_title_before(text, second, text.index("Obama")) == at(text, "President")
    assert lone_title_before(text, second, text.index("aides")) is None
    named = "He said Republican presidential candidate Mitt Romney won."
    assert title_words_before(named, 0, named.index("Mitt")) == [
        "Republican", "presidential", "candidate"]


def test_compare_command_writes_a_valid_report(seeds_output, tmp_path) -> None:
    result = CliRunner().invoke(cli, ["compare", str(seeds_output), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "5 outlets" in result.output
    (seeds_output / "comparison.json").write_text("{}", encoding="utf-8")
    try:  # a comparison written beside the records is not read back as a record
        again = CliRunner().invoke(cli, ["compare", str(seeds_output), "-o", str(tmp_path)])
    finally:
        (seeds_output / "comparison.json").unlink()
    assert again.exit_code == 0, again.output
    comparison = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('class="alignment"') == len(comparison["alignments"])


def test_compare_command_fails_cleanly_on_a_folder_without_records(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["compare", str(tmp_path / "empty"), "-o",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no annotation files" in result.output


def test_labeling_matrix_finds_titles_descriptions_and_predicated_labels(trained_nlp) -> None:
    first = ("Former President Donald Trump labeled Ukrainian President Volodymyr Zelensky a "
             "“dictator” on Sunday. The Ukrainian leader said he was not offended.")
    second = ("Kremlin spokesman Dmitry Peskov praised Donald Trump. Volodymyr Zelensky, a "
              "“dictator” in Trump's words, met Dmitry Peskov's critics.")
    records = [
        record("a", first, [ann(first, "loaded_terms", "loaded_term", "dictator",
                                category="labeling")]),
        record("b", second, [ann(second, "loaded_terms", "loaded_term", "dictator",
                                 category="labeling")]),
    ]
    comparison = compare_one(records, trained_nlp)
    rows = {r["entity"]: r["cells"] for r in comparison["labeling"]}
    assert set(rows) == {"Donald Trump", "Volodymyr Zelensky"}  # Peskov: one outlet only

    def found(entity: str, outlet: str) -> set[tuple[str, str]]:
        return {(d["text"], d["kind"]) for d in rows[entity][outlet]["descriptors"]}

    assert found("Volodymyr Zelensky", "a") == {
        ("Ukrainian President", "title"), ("The Ukrainian leader", "description"),
        ("dictator", "label")}
    assert ("dictator", "label") in found("Volodymyr Zelensky", "b")
    assert found("Donald Trump", "a") == {("Former President", "title")}
    assert rows["Donald Trump"]["b"]["mentions"] == 2


def test_without_a_parse_the_matrix_keeps_clusters_and_says_what_is_missing(blank_nlp) -> None:
    text = "Donald Trump met Volodymyr Zelensky. The Ukrainian leader left."
    mentions = [
        ann(text, "sentiment", "entity_mention", "Volodymyr Zelensky", score=0.0,
            entity="Volodymyr Zelensky", entity_type="PERSON", mention_kind="name"),
        ann(text, "sentiment", "entity_mention", "The Ukrainian leader", score=0.0,
            entity="Volodymyr Zelensky", entity_type="PERSON", mention_kind="description"),
        ann(text, "sentiment", "entity_mention", "Donald Trump", score=0.0,
            entity="Donald Trump", entity_type="PERSON", mention_kind="name"),
    ]
    records = [record("a", text, mentions), record("b", text, mentions)]
    comparison = compare_one(records, blank_nlp)
    assert any("no spaCy pipeline with parser and NER" in note for note in comparison["notes"])
    zelensky = next(r for r in comparison["labeling"] if r["entity"] == "Volodymyr Zelensky")
    assert [(d["text"], d["kind"]) for d in zelensky["cells"]["b"]["descriptors"]] == [
        ("The Ukrainian leader", "description")]


def test_comparison_and_report_are_deterministic() -> None:
    records = [record(o.lower(), t, [], source=o) for o, t in OUTLET_TEXTS.items()]
    first = one_story(records)
    second = one_story(list(reversed(records)))
    assert json.dumps(first) == json.dumps(second)
    assert render_report(first, records) == render_report(second, list(reversed(records)))


def test_an_outlet_is_measured_on_the_articles_each_annotator_ran_on() -> None:
    comparison = compare_one([
        record("m1", BODY, body_annotations(BODY), source="Mixed"),
        record("m2", BODY + " " + BODY, [], source="Mixed", annotators=("boilerplate",)),
    ])
    cell = row(comparison, "Loaded terms", "all loaded terms")["cells"]["Mixed"]
    assert (cell["value"], cell["count"]) == (125.0, 3)


def test_every_report_link_has_its_target() -> None:
    records = [record("a", BODY, body_annotations(BODY), source="A"),
               record("b", BODY, body_annotations(BODY), source="B")]
    html = render_report(one_story(records), records)
    ids = set(re.findall(r' id="([^"]+)"', html))
    links = set(re.findall(r' href="#([^"]+)"', html)) - {"_"}
    assert len(links) > 20
    assert links <= ids, links - ids
    assert len(re.findall(r'class="anchor" id="t-', html)) == len(
        {link for link in links if link.startswith("t-")})
