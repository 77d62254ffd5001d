"""The comparison report in a real headless Chromium: content present, article text inert.

Drives Debian's /usr/bin/chromium through Playwright's sync API (no browser
download). Skips when either is missing; `.ci/run` installs both.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from annotator import Article
from annotator.compare import compare_records, render_report
from annotator.compare.run import run_compare
from annotator.pipeline import annotate_articles
from annotator.plugins import load_annotators
from tests.test_compare_corpus import corpus

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE_TEXT = (
    "Hostile Outlet Reports\n\n"
    "The minister was branded a “dictator” by critics. "
    "<script>window.__pwned = 1</script> "
    '<img src=x onerror="window.__pwned = 2"> '
    "Officials said the talks were “promising” and would go on."
)

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
)
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory, seed_records, trained_nlp) -> tuple[Path, list[dict[str, Any]]]:
    hostile = Article(id="zz_hostile", text=HOSTILE_TEXT, source_path="hostile.txt",
                      source="Hostile Outlet")
    [injected] = annotate_articles([hostile], trained_nlp, load_annotators())
    records = [*seed_records.values(), injected]
    one_event = {r["article"]["id"]: "seeds" for r in records}
    html = render_report(compare_records(records, trained_nlp, overrides=one_event), records)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path, records


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(report, browser):
    path, _ = report
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(path.as_uri())
    yield page
    page.close()


def save_screenshot(element_or_page: Any, name: str, tmp_path: Path) -> Path:
    path = tmp_path / name
    element_or_page.screenshot(path=str(path))
    if target := os.environ.get("ANNOTATOR_SCREENSHOT_DIR"):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)
    return path


def test_no_script_from_article_text_runs(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    hostile = page.locator("article.article", has_text="Hostile Outlet")
    text = hostile.locator(".text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert hostile.locator("script, img").count() == 0


def test_metric_table_has_a_row_per_metric_and_a_column_per_outlet(
    page, report, tmp_path
) -> None:
    _, records = report
    page.evaluate("window.scrollTo(0, 0)")
    save_screenshot(page, "report-top.png", tmp_path)
    outlets = {r["article"].get("source") or r["article"]["id"] for r in records}
    assert page.locator("#metric-table thead th").count() == len(outlets) + 2  # + precision
    labels = page.locator("#metric-table tr.metric th").all_inner_texts()
    assert {"all loaded terms", "discrediting", "mean", "share of words inside quotation marks"} \
        <= set(labels)
    assert page.locator("#metric-table a.value").count() > 20


def test_alignment_shows_the_five_way_quote(page) -> None:
    quotes = page.locator(".alignment[data-kind=quote]")
    five_way = quotes.filter(has_text="exchange").first
    assert five_way.locator(".member").count() == 5
    assert page.locator(".alignment[data-kind=claim]").count() >= 1


def test_labeling_matrix_has_the_main_people(page) -> None:
    entities = " ".join(page.locator("#labeling-matrix tr.entity th").all_inner_texts())
    for surname in ("Trump", "Zelensk", "Putin"):
        assert surname in entities


def test_highlights_toggle_and_numbers_open_their_spans(page, tmp_path) -> None:
    highlighted = page.locator("article.article .seg[title]")
    assert highlighted.count() > 50
    boilerplate = page.locator("article.article .seg[title^='boilerplate']").first
    style = "el => getComputedStyle(el).textDecorationLine"
    assert boilerplate.evaluate(style) == "line-through"
    page.locator("input.toggle[data-annotator=boilerplate]").uncheck()
    assert boilerplate.evaluate(style) == "none"
    page.locator("input.toggle[data-annotator=boilerplate]").check()
    assert boilerplate.evaluate(style) == "line-through"

    number = page.locator("#metric-table a.value").first
    number.click()
    panel = page.locator(".evidence:target")
    sync_api.expect(panel).to_be_visible()
    panel.locator("a[href^='#t-']").first.click()
    sync_api.expect(page.locator(".seg.focus").first).to_be_visible()
    save_screenshot(page, "report-evidence.png", tmp_path)

    page.goto(page.url.split("#")[0] + "#alignments")
    save_screenshot(page, "report-alignment.png", tmp_path)
    article = page.locator("article.article").nth(3)
    article.scroll_into_view_if_needed()
    shot = save_screenshot(article, "report-article.png", tmp_path)
    assert shot.stat().st_size > 10_000


@pytest.fixture(scope="module")
def index_page(tmp_path_factory, browser):
    """The index page of three events x three outlets, written by the command's code."""
    folder = tmp_path_factory.mktemp("annotations")
    for found in corpus(loaded=True):
        (folder / f"{found['article']['id']}.json").write_text(json.dumps(found), "utf-8")
    out = tmp_path_factory.mktemp("report")
    run_compare(folder, out, "blank:en")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto((out / "report.html").as_uri())
    yield page
    page.close()


def test_index_shows_the_profile_first_then_the_events(index_page, tmp_path) -> None:
    page = index_page
    save_screenshot(page, "index-top.png", tmp_path)
    headings = page.locator("h2").all_inner_texts()
    assert headings.index("Outlet profile") < headings.index("Events")
    assert page.locator("#profile-table thead th").count() == 6  # metric, outlets, test, P
    assert page.locator("#profile-table tr.metric").count() == 10
    assert page.locator("svg.plot").first.is_visible()
    assert page.locator("svg.plot circle").count() >= 3
    events = page.locator("#event-list tr.event")
    assert events.count() == 3
    assert "Alpha, Beta, Gamma" in events.first.inner_text()


def test_a_profile_number_opens_its_events_and_leads_to_the_spans(index_page, tmp_path) -> None:
    page = index_page
    row = page.locator("#profile-table tr[data-metric=loaded_own]")
    row.locator("a.value").first.click()
    panel = page.locator(".evidence:target")
    sync_api.expect(panel).to_be_visible()
    assert panel.locator("li").count() == 3  # one value per event
    panel.locator("a").nth(1).click()  # the first event's value
    page.wait_for_load_state()
    assert "/events/" in page.url
    target = page.locator(".evidence:target")
    sync_api.expect(target).to_be_visible()
    target.locator("a[href^='#t-']").first.click()
    sync_api.expect(page.locator(".seg.focus").first).to_be_visible()
    save_screenshot(page, "index-event-span.png", tmp_path)
    page.locator("#back").click()
    page.wait_for_load_state()
    assert page.url.endswith("report.html")


def known_comparison() -> dict[str, Any]:
    """Six events told by three outlets, with values chosen so that the intervals are known:
    Alpha is always 10 above Beta (its difference excludes zero), Alpha and Gamma alternate
    (their difference straddles zero), and Delta told only two events (no interval)."""
    from annotator.compare.profile import ProfileBuilder

    builder = ProfileBuilder(resamples=500)
    events = [f"e{n}" for n in range(6)]
    for n, event in enumerate(events):
        values = {"Alpha": 20.0 + n, "Beta": 10.0 + n, "Gamma": 20.0 + n + (3 if n % 2 else -3)}
        if n < 2:
            values["Delta"] = 5.0
        cells = {o: {"available": True, "value": v} for o, v in values.items()}
        builder.add_event(event, [{"metric": "loaded_own", "cells": cells}])
    outlets = ["Alpha", "Beta", "Delta", "Gamma"]
    return {
        "events": [{"id": e, "page": f"events/{e}.html", "title": e, "date": None,
                    "grouping": "given", "articles": [], "outlets": []} for e in events],
        "outlets": [{"name": o} for o in outlets], "articles": [], "notes": [],
        "profile": builder.build(outlets),
    }


def test_bold_differences_are_exactly_those_whose_interval_excludes_zero(browser, tmp_path):
    from annotator.compare.report import render_index

    comparison = known_comparison()
    path = tmp_path / "report.html"
    path.write_text(render_index(comparison), "utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    rows = page.locator("#differences tr.difference[data-metric=loaded_own]")
    weight = "el => Number(getComputedStyle(el.querySelector('td')).fontWeight)"
    bold = {rows.nth(i).locator("td").nth(1).inner_text(): rows.nth(i).evaluate(weight) >= 600
            for i in range(rows.count())}
    expected = {
        f"{d['a']} − {d['b']}": d["low"] is not None and (d["low"] > 0 or d["high"] < 0)
        for d in comparison["profile"]["differences"] if d["metric"] == "loaded_own"
    }
    assert bold == expected
    assert bold["Alpha − Beta"] and not bold["Alpha − Gamma"] and not bold["Alpha − Delta"]
    assert sum(bold.values()) >= 2  # some rows bold, some not: the test can fail both ways
    delta = rows.filter(has_text="Alpha − Delta")
    assert "too few events" in delta.locator("td.interval").inner_text()
    page.close()
