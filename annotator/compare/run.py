"""`annotate compare` from folder to files: plan, compare event by event, write, report progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import click

from ..atomic import write_atomically
from ..records import Location, iter_located_records, record_paths
from .corpus import add_result, head, plan
from .output import ComparisonInvalid, ComparisonWriter
from .profile import RESAMPLES, SEED, ProfileBuilder
from .report import render_index
from .worker import EventTask, compared_events


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


def run_compare(directory: Path, out_dir: Path, model: str | None = None, workers: int = 1,
                aliases: Mapping[str, str] | None = None,
                overrides: Mapping[str, str] | None = None, seed: int | None = None,
                resamples: int | None = None) -> str:
    """Compare the records under ``directory`` into ``out_dir``; returns a one-line summary.

    Writes events.json, one page per event (or report.html alone for one event),
    then comparison.json and the index report.html. ``model`` names the spaCy
    pipeline (None: any installed English one); ``workers`` processes compare events
    side by side (the files are the same for any number). Progress goes to stderr.
    """
    with click.progressbar(length=len(record_paths(directory)), label="Reading records",
                           file=sys.stderr) as bar:
        corpus = plan(_counting_files(iter_located_records(directory), bar.update),
                      aliases, overrides)
    grouping = {e.id: event.id for event in corpus.events for e in event.entries}
    write_atomically(out_dir / "events.json",
                     json.dumps(dict(sorted(grouping.items())), ensure_ascii=False, indent=2)
                     + "\n")
    writer = ComparisonWriter()
    profile = ProfileBuilder(SEED if seed is None else seed,
                             RESAMPLES if resamples is None else resamples)
    single = len(corpus.events) == 1
    alignments = 0
    index_events = []
    tasks = (EventTask(event, corpus.outlets_of(event), None if single else "../report.html")
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
                write_atomically(out_dir / result.event.page, result.page or "")
        top = head(corpus, profile)
        writer.check_head(top)
        if writer.problems:
            raise ComparisonInvalid(
                f"comparison.json would not match its schema: {writer.problems[0]}")
        write_atomically(out_dir / "comparison.json", lambda out: writer.finish(top, out))
    finally:
        writer.close()
    if not single:
        articles = [article for event in index_events for article in event["articles"]]
        write_atomically(out_dir / "report.html",
                         render_index({**top, "events": index_events, "articles": articles}))
    return (f"{len(top['outlets'])} outlets, {len(corpus.events)} event(s), {alignments} aligned "
            f"claims and quotes: wrote {out_dir / 'report.html'} and "
            f"{out_dir / 'comparison.json'}")
