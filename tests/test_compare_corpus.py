"""`annotate compare` over many events: grouping, outlet names, the profile and the files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import cli
from annotator.compare import compare_records, comparison_problems, render_report
from annotator.compare.events import group_texts, parse_date, read_event_file
from annotator.compare.output import ComparisonWriter
from annotator.compare.profile import ProfileBuilder, bootstrap, holm, outlet_effect_p, sign_flip_p
from annotator.errors import ConfigError
from annotator.outlets import OutletNames
from tests.test_compare import ann, record, sub

STORIES = {
    "shutdown": ("Congress passed a budget deal to end the government shutdown on Friday. "
                 "“We will reopen the government today,” the Speaker said after the vote. "
                 "Federal workers return to offices across the country next week."),
    "storm": ("A powerful hurricane struck the Gulf coast, flooding thousands of homes. "
              "“This storm is the worst we have seen in decades,” the governor said. "
              "Rescue crews searched flooded neighbourhoods for stranded residents."),
    "court": ("The Supreme Court ruled that the state voting law was unconstitutional. "
              "“The law placed an undue burden on voters,” the justices wrote in the opinion. "
              "Civil rights groups welcomed the ruling while state officials criticised it."),
}
DATES = {"shutdown": "2013-10-17", "storm": "2013-10-20", "court": "2013-11-30"}


def story_record(event: str, outlet: str, spelling: str | None = None, *,
                 given_event: bool = True, extra: str = "", loaded: bool = False,
                 meta: dict[str, Any] | None = None) -> dict[str, Any]:
    text = f"{outlet} report. " + STORIES[event] + extra
    annotations = []
    if loaded:
        word = {"shutdown": "passed", "storm": "powerful", "court": "ruled"}[event]
        annotations.append(ann(text, "loaded_terms", "loaded_term", word, category="hyperbole",
                               in_quote=False))
    found = record(f"{event}-{outlet.lower()}", text, annotations, source=spelling or outlet)
    found["schema_version"] = "1.1.0"
    found["article"].update(event=event if given_event else None, date=DATES[event],
                            meta=meta or {})
    return found


def corpus(**options: Any) -> list[dict[str, Any]]:
    return [story_record(e, o, **options) for e in STORIES for o in ("Alpha", "Beta", "Gamma")]


def test_given_events_are_compared_apart_and_nothing_aligns_across_them() -> None:
    comparison = compare_records(corpus())
    assert comparison_problems(comparison) == []
    assert [e["id"] for e in comparison["events"]] == ["shutdown", "storm", "court"]
    assert {e["grouping"] for e in comparison["events"]} == {"given"}
    event_of = {a["id"]: a["event"] for a in comparison["articles"]}
    assert comparison["alignments"]
    for alignment in comparison["alignments"]:
        assert {event_of[m["article"]] for m in alignment["members"]} == {alignment["event"]}
    by_outlet = comparison["profile"]["metrics"][-1]["by_outlet"]  # share of quoted words
    assert set(by_outlet) == {"Alpha", "Beta", "Gamma"}
    # three events are fewer than the profile's minimum: a mean, but no interval
    assert comparison["profile"]["min_events"] > 3
    assert all(cell["events"] == 3 and cell["low"] is None and cell["high"] is None
               for cell in by_outlet.values())


def test_without_event_fields_the_texts_are_grouped_by_story_and_date() -> None:
    comparison = compare_records(corpus(given_event=False))
    groups = sorted(sorted(e["articles"]) for e in comparison["events"])
    assert groups == sorted(sorted(f"{e}-{o}" for o in ("alpha", "beta", "gamma"))
                            for e in STORIES)
    assert {e["grouping"] for e in comparison["events"]} == {"automatic"}
    assert comparison["grouping"]["automatic"] == 9


def test_the_date_window_keeps_the_same_story_a_month_apart_separate() -> None:
    text = STORIES["court"]
    labels = group_texts([text, text, text], [parse_date("2013-01-01"),
                                              parse_date("2013-01-03"), parse_date("2013-02-20")])
    assert labels[0] == labels[1] != labels[2]


def test_an_events_file_overrides_the_event_field(tmp_path: Path) -> None:
    records = corpus()
    moved = {"court-gamma": "storm"}
    comparison = compare_records(records, overrides=moved)
    storm = next(e for e in comparison["events"] if e["id"] == "storm")
    assert "court-gamma" in storm["articles"] and storm["grouping"] == "mixed"
    path = tmp_path / "events.json"
    path.write_text(json.dumps(moved), encoding="utf-8")
    assert read_event_file(path) == moved
    path.write_text('["not", "a", "mapping"]', encoding="utf-8")
    with pytest.raises(ConfigError, match="events.json: the events file must be"):
        read_event_file(path)


def test_outlet_spellings_merge_and_show_the_most_common() -> None:
    records = [story_record("shutdown", "Fox", "fox"), story_record("storm", "Fox", "FOX "),
               story_record("court", "Fox", "fox"), story_record("court", "Alpha")]
    comparison = compare_records(records)
    fox = next(o for o in comparison["outlets"] if o["name"] == "fox")
    assert fox["spellings"] == ["FOX", "fox"]
    assert fox["events"] == ["shutdown", "storm", "court"]
    assert any("'fox' was spelled 'FOX', 'fox'" in note for note in comparison["notes"])


def test_the_alias_map_joins_outlets_under_one_name() -> None:
    names = OutletNames({"nytimes.com": "NYT", "The New York Times": "NYT"})
    for spelling in ("nytimes.com", " NYTimes.com", "The New York Times", "nyt", "BBC"):
        names.add(spelling)
    assert names.key("nytimes.com") == names.key("the new york times") == names.key("NYT")
    assert names.display(names.key("nytimes.com")) == "NYT"
    assert names.display(names.key("BBC")) == "BBC"
    records = [story_record("storm", "A", "nytimes.com"), story_record("storm", "B", "NYT"),
               story_record("storm", "C", "BBC")]
    comparison = compare_records(records, aliases={"nytimes.com": "NYT"})
    assert [o["name"] for o in comparison["outlets"]] == ["BBC", "NYT"]


def test_record_metadata_reaches_compare(tmp_path: Path) -> None:
    """JSONL fields survive annotate (event in article, the rest in meta) and drive compare."""
    lines = [json.dumps({"id": f"{e}-{o}", "text": STORIES[e], "source": o, "event": e,
                         "date": DATES[e], "desk": "politics"})
             for e in ("storm", "court") for o in ("Alpha", "beta")]
    corpus_file = tmp_path / "corpus.jsonl"
    corpus_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "annotations"
    result = CliRunner().invoke(cli, [str(corpus_file), "-o", str(out), "-q",
                                      "--only", "loaded_terms,attribution"])
    assert result.exit_code == 0, result.output
    annotated = json.loads((out / "storm-Alpha.json").read_text(encoding="utf-8"))
    assert annotated["article"]["event"] == "storm"
    assert annotated["article"]["meta"] == {"desk": "politics"}
    report = tmp_path / "report"
    result = CliRunner().invoke(cli, ["compare", str(out), "-o", str(report), "--model",
                                      "blank:en"])
    assert result.exit_code == 0, result.output
    comparison = json.loads((report / "comparison.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in comparison["events"]] == ["storm", "court"]
    assert json.loads((report / "events.json").read_text(encoding="utf-8")) == {
        "court-Alpha": "court", "court-beta": "court", "storm-Alpha": "storm",
        "storm-beta": "storm"}
    pages = sorted(p.name for p in (report / "events").glob("*.html"))
    assert len(pages) == 2
    index = (report / "report.html").read_text(encoding="utf-8")
    assert all(f'href="events/{page}"' in index for page in pages)


def test_an_event_told_by_one_outlet_has_values_but_no_alignment_or_difference() -> None:
    records = corpus() + [story_record("shutdown", "Solo")]
    records[-1]["article"].update(id="lonely", event="lonely")
    comparison = compare_records(records)
    lonely = next(e for e in comparison["events"] if e["id"] == "lonely")
    assert [o["name"] for o in lonely["outlets"]] == ["Solo"]
    assert not [a for a in comparison["alignments"] if a["event"] == "lonely"]
    quoted = comparison["profile"]["metrics"][-1]
    assert quoted["by_outlet"]["Solo"]["events"] == 1
    assert not [d for d in comparison["profile"]["differences"] if "Solo" in (d["a"], d["b"])]
    assert any("told by one outlet only" in note for note in comparison["notes"])


def test_an_outlet_missing_from_some_events_is_averaged_over_its_own() -> None:
    records = [r for r in corpus(loaded=True)
               if r["article"]["id"] not in ("storm-gamma", "court-gamma")]
    comparison = compare_records(records)
    gamma = next(o for o in comparison["outlets"] if o["name"] == "Gamma")
    assert gamma["events"] == ["shutdown"]
    own = next(m for m in comparison["profile"]["metrics"] if m["name"] == "loaded_own")
    assert own["by_outlet"]["Gamma"]["events"] == 1
    assert own["by_outlet"]["Alpha"]["events"] == 3
    pairs = {(d["a"], d["b"]): d["events"] for d in comparison["profile"]["differences"]
             if d["metric"] == "loaded_own"}
    assert pairs == {("Alpha", "Beta"): 3, ("Alpha", "Gamma"): 1, ("Beta", "Gamma"): 1}


def test_the_bootstrap_is_seeded_and_covers_the_mean() -> None:
    values = [0.1, 0.5, 0.2, 0.9, 0.4, 0.3]
    first = bootstrap(values, np.random.default_rng(7))
    assert first == bootstrap(values, np.random.default_rng(7))
    assert first.low < first.mean < first.high
    assert bootstrap(values, np.random.default_rng(8)) != first
    one = bootstrap([0.25], np.random.default_rng(1))
    assert (one.mean, one.low, one.high, one.events) == (0.25, None, None, 1)
    assert not one.excludes_zero


def test_the_sign_flip_test_is_exact_for_few_events() -> None:
    rng = np.random.default_rng(0)
    assert sign_flip_p([1.0] * 4, rng) is None  # below the minimum: no test
    assert sign_flip_p([1.0] * 6, rng) == 2 / 64  # only all-plus and all-minus are as far
    assert sign_flip_p([1.0, -1.0] * 3, rng) == 1.0
    assert 0 < sign_flip_p([1.0] * 20, rng) < 0.01


def test_the_outlet_effect_is_tested_within_events() -> None:
    rng = np.random.default_rng(0)
    # every event has its own level; outlet B is always 1 above outlet A
    shifted = {f"e{i}": {"A": float(10 * i), "B": float(10 * i + 1)} for i in range(8)}
    p, events = outlet_effect_p(shifted, rng)
    assert events == 8 and p < 0.02
    # the same levels with no outlet effect: A and B swap which is higher
    mixed = {f"e{i}": {"A": float(10 * i + i % 2), "B": float(10 * i + 1 - i % 2)}
             for i in range(8)}
    assert outlet_effect_p(mixed, rng)[0] > 0.5
    assert outlet_effect_p({"e": {"A": 1.0}}, rng) == (None, 0)


def test_holm_adjusts_the_present_p_values_step_down() -> None:
    assert holm([0.01, None, 0.04, 0.03]) == [0.03, None, 0.06, 0.06]


def test_the_profile_is_byte_identical_across_runs_and_input_orders() -> None:
    records = corpus(loaded=True)
    first = json.dumps(compare_records(records))
    assert first == json.dumps(compare_records(list(reversed(records))))
    assert json.dumps(compare_records(records, seed=1)) != first
    builder = ProfileBuilder(seed=3)
    builder.add_event("e1", [{"metric": "hedges", "cells": {
        "A": {"available": True, "value": 1.0}, "B": {"available": True, "value": 3.0}}}])
    builder.add_event("e2", [{"metric": "hedges", "cells": {
        "A": {"available": True, "value": 2.0}, "B": {"available": False, "value": None}}}])
    profile = builder.build(["A", "B"])
    hedges = next(m for m in profile["metrics"] if m["name"] == "hedges")["by_outlet"]
    assert hedges["A"]["mean"] == 1.5 and hedges["A"]["events"] == 2
    assert hedges["B"]["events"] == 1
    [difference] = [d for d in profile["differences"] if d["metric"] == "hedges"]
    assert (difference["mean"], difference["events"]) == (-2.0, 1)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=5), st.one_of(
    st.integers(), st.text(),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3))), max_size=4))
def test_the_streamed_document_equals_json_dumps(items: list[dict[str, Any]]) -> None:
    head = {"comparison_version": "2.0.0", "tool": {"name": "annotator", "version": "x"},
            "grouping": {}, "outlets": [], "profile": {"metrics": []}, "notes": ["é"]}
    writer = ComparisonWriter()
    for item in items:
        writer.add("alignments", item)  # not valid alignments: only the bytes matter here
    out = io.StringIO()
    writer.finish(head, out)
    writer.close()
    whole = {**head, "events": [], "articles": [], "alignments": items}
    ordered = {key: whole[key] for key in ("comparison_version", "tool", "grouping", "outlets",
                                           "events", "articles", "alignments", "profile",
                                           "notes")}
    assert out.getvalue() == json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


def test_one_event_gives_the_story_page_and_many_give_the_index() -> None:
    records = corpus()
    one = [r for r in records if r["article"]["event"] == "storm"]
    page = render_report(compare_records(one), one)
    assert 'id="metric-table"' in page and 'id="profile-table"' not in page
    index = render_report(compare_records(records), records)
    assert 'id="profile-table"' in index and index.count('class="event"') == 3
    assert index.index('id="profile"') < index.index('id="events"')


def test_compare_command_prints_progress_and_rejects_a_bad_events_file(tmp_path: Path) -> None:
    folder = tmp_path / "annotations"
    folder.mkdir()
    for found in corpus():
        (folder / f"{found['article']['id']}.json").write_text(json.dumps(found), "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(folder), "--events", str(bad), "-o",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.json: cannot read the events file" in result.output
    result = CliRunner().invoke(cli, ["compare", str(folder), "-o", str(tmp_path / "out"),
                                      "--model", "blank:en"])
    assert result.exit_code == 0, result.output
    assert "Comparing 3 event(s)" in result.output
    assert "3 outlets, 3 event(s)" in result.output


def test_jsonl_shards_compare_as_one_file_per_article(tmp_path: Path) -> None:
    files, shards = tmp_path / "files", tmp_path / "shards"
    files.mkdir()
    shards.mkdir()
    records = corpus()
    for found in records:
        (files / f"{found['article']['id']}.json").write_text(json.dumps(found), "utf-8")
    for number, part in enumerate((records[:4], records[4:])):  # an event split across shards
        lines = "\n".join(json.dumps(found) for found in reversed(part)) + "\n"
        (shards / f"part-{number}.jsonl").write_text(lines, "utf-8")
    outputs = []
    for folder in (files, shards):
        out = tmp_path / f"out-{folder.name}"
        result = CliRunner().invoke(cli, ["compare", str(folder), "-o", str(out),
                                          "--model", "blank:en"])
        assert result.exit_code == 0, result.output
        outputs.append((out / "comparison.json").read_bytes())
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[1])["articles"]) == len(records)


def test_workers_write_the_same_files_as_one_process(tmp_path: Path, trained_nlp) -> None:
    folder = tmp_path / "annotations"
    folder.mkdir()
    for found in corpus(loaded=True):
        (folder / f"{found['article']['id']}.json").write_text(json.dumps(found), "utf-8")
    written = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}"
        result = CliRunner().invoke(cli, ["compare", str(folder), "-o", str(out),
                                          "--workers", workers])
        assert result.exit_code == 0, result.output
        written.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*"))
                        if p.is_file()})
    # events.json, comparison.json, the index, 3 event pages and the profile tables
    assert len(written[0]) == 9
    assert written[0] == written[1]


def test_speakers_are_people_organisations_or_resolved_pronouns() -> None:
    text = ("Senator Mary Jones said the plan was fair. The Amendment says rights are kept. "
            "The House voted on it. The Constitution, which is old, states the rule. "
            "The White House said it would wait. He said nothing more.")
    cues = []
    for needle, source, name, content in (
        ("said", "Mary Jones", "Mary Jones", "the plan was fair"),
        ("says", "Amendment", "Amendment", "rights are kept"),
        ("voted", "House", "House", "on it"),
        ("states", "The Constitution, which", "The Constitution, which", "the rule"),
        ("said", "White House", "White House", "it would wait"),
        ("said", "He", None, "nothing more"),
    ):
        nth = {"said": len([c for c in cues if c["text"] == "said"])}.get(needle, 0)
        cues.append(ann(text, "attribution", "cue", needle, nth, stance="neutral",
                        source=sub(text, source), source_name=name,
                        content=sub(text, content), quote_type="indirect"))
    comparison = compare_records([record("a", text, cues, source="A")])
    speakers = {r["label"] for r in comparison["events"][0]["metrics"]
                if r["group"] == "Share of quoted words, by speaker"}
    assert speakers == {"Mary Jones", "White House", "(unnamed or unresolved)"}
