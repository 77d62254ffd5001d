"""`annotate compare` from folder to files: plan, compare event by event, write, report progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import click

from ..accuracy import metric_accuracy, shipped_accuracy_files
from ..atomic import StagedOutput, overlaps
from ..errors import ConfigError
from ..records import Location, iter_located_records, record_paths
from ..thresholds import Thresholds
from .corpus import Plan, add_result, head, plan
from .output import ComparisonInvalid, ComparisonWriter
from .profile import RESAMPLES, SEED, ProfileBuilder
from .report import render_index
from .tables import (
    DIFFERENCE_COLUMNS,
    PROFILE_COLUMNS,
    csv_text,
    difference_rows,
    profile_rows,
    write_profile_parquet,
)
from .worker import EventTask, compared_events

STAGING = ".annotator-compare"  # inside the report folder while a comparison is written


def _counting_files(records: Iterator[tuple[Location, dict[str, Any]]],
                    advance: Callable[[int], None]) -> Iterator[tuple[Location, dict[str, Any]]]:
    """``records`` as they come, advancing the progress bar as each file is finished."""
    current = None
    for location, record in records:
        if location.path != current:
            if current is not None:
                advance(1)
            current = location.path
        yield location, record
    advance(1)


def check_apart(directory: Path, out_dir: Path) -> None:
    """Refuse, in one line, a report folder that is the records folder, inside it or holds it."""
    if overlaps(directory, out_dir):
        raise ConfigError(f"{out_dir}: the report folder overlaps the records folder "
                          f"{directory}; choose another -o")


def stale_pages(out_dir: Path, written: list[str]) -> list[Path]:
    """Event pages of an earlier comparison that this one does not write."""
    pages = out_dir / "events"
    keep = {out_dir / name for name in written}
    return sorted(p for p in pages.glob("*.html") if p not in keep) if pages.is_dir() else []


def run_compare(directory: Path, out_dir: Path, model: str | None = None, workers: int = 1,
                aliases: Mapping[str, str] | None = None,
                overrides: Mapping[str, str] | None = None, seed: int | None = None,
                resamples: int | None = None, accuracy_files: list[Path] | None = None,
                thresholds: Thresholds | None = None) -> str:
    """Compare the records under ``directory`` into ``out_dir``; returns a one-line summary.

    Writes events.json, one page per event (or report.html alone for one event),
    comparison.json, the index report.html, and the profile as profile.csv,
    profile.parquet (with pyarrow) and differences.csv. Everything is staged and put
    in place at once: an interrupted or failed comparison leaves ``out_dir`` as it
    was. ``model`` names the spaCy pipeline (None: any installed English one);
    ``workers`` processes compare events side by side (the files are the same for any
    number). ``accuracy_files`` (default: the shipped ones) give the measured
    accuracy shown beside each metric; spans below ``thresholds`` are left out.
    Progress goes to stderr.
    """
    check_apart(directory, out_dir)
    with click.progressbar(length=len(record_paths(directory)), label="Reading records",
                           file=sys.stderr) as bar:
        corpus = plan(_counting_files(iter_located_records(directory), bar.update),
                      aliases, overrides)
    accuracy = metric_accuracy(
        shipped_accuracy_files() if accuracy_files is None else accuracy_files, corpus.versions)
    with StagedOutput(out_dir, STAGING) as staged:
        top, alignments = _compare(corpus, staged, model, workers, thresholds or Thresholds(),
                                   ProfileBuilder(SEED if seed is None else seed,
                                                  RESAMPLES if resamples is None else resamples,
                                                  accuracy))
        staged.commit(stale_pages(out_dir, staged.staged))
    return (f"{len(top['outlets'])} outlets, {len(corpus.events)} event(s), {alignments} aligned "
            f"claims and quotes: wrote {out_dir / 'report.html'}, "
            f"{out_dir / 'comparison.json'} and the profile tables")


def _compare(corpus: Plan, staged: StagedOutput, model: str | None, workers: int,
             thresholds: Thresholds, profile: ProfileBuilder) -> tuple[dict[str, Any], int]:
    grouping = {e.id: event.id for event in corpus.events for e in event.entries}
    staged.write("events.json", json.dumps(dict(sorted(grouping.items())), ensure_ascii=False,
                                           indent=2) + "\n")
    writer = ComparisonWriter()
    single = len(corpus.events) == 1
    alignments = 0
    index_events = []
    tasks = (EventTask(event, corpus.outlets_of(event), None if single else "../report.html",
                       profile.accuracy, thresholds)
             for event in corpus.events)
    try:
        with click.progressbar(
            compared_events(tasks, model, min(workers, len(corpus.events))),
            length=len(corpus.events), label=f"Comparing {len(corpus.events)} event(s)",
            file=sys.stderr,
        ) as results:
            for result in results:
                add_result(writer, profile, result)
                alignments += len(result.part["alignments"])
                entry = result.as_json()
                index_events.append({k: entry[k] for k in ("id", "grouping", "title", "date",
                                                           "page", "articles", "outlets")})
                staged.write(result.event.page, result.page or "")
        top = head(corpus, profile)
        writer.check_head(top)
        if writer.problems:
            raise ComparisonInvalid(
                f"comparison.json would not match its schema: {writer.problems[0]}")
        staged.write("comparison.json", lambda out: writer.finish(top, out))
    finally:
        writer.close()
    if not single:
        articles = [article for event in index_events for article in event["articles"]]
        staged.write("report.html",
                     render_index({**top, "events": index_events, "articles": articles}))
    rows = profile_rows(top["profile"])
    staged.write("profile.csv", csv_text(rows, PROFILE_COLUMNS))
    staged.write("differences.csv",
                 csv_text(difference_rows(top["profile"]), DIFFERENCE_COLUMNS))
    write_profile_parquet(rows, str(staged.staged_path("profile.parquet")))
    return top, alignments
