"""Comparing a whole corpus: one pass to find outlets and events, then one event at a time.

The first pass streams every record once and keeps a few fields per article (id,
where it is, outlet, date, given event, title, and a 100-word lead for automatic
grouping). The second pass loads one event's records, compares them, hands the
result on, and lets them go: memory is bounded by the largest event.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..article_counts import boilerplate_spans
from ..outlets import OutletNames, raw_outlet
from ..records import Location, read_record_at
from .article import headline, reporting_text
from .events import (
    LEAD_WORDS,
    MAX_DISTANCE,
    WINDOW_DAYS,
    group_texts,
    lead,
    parse_date,
    slug,
)
from .output import COMPARISON_VERSION, ComparisonWriter
from .profile import RESAMPLES, SEED, ProfileBuilder
from .story import compare_event

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class Entry:
    """What the first pass keeps of one article."""

    id: str
    location: Location | str  # where to read the record again (a str: an in-memory key)
    outlet: str  # the outlet's matching key
    date: date | None
    given: str | None
    title: str | None


@dataclass
class Event:
    id: str
    entries: list[Entry]
    groupings: set[str] = field(default_factory=set)
    page: str = "report.html"

    @property
    def grouping(self) -> str:
        return next(iter(self.groupings)) if len(self.groupings) == 1 else "mixed"

    @property
    def date(self) -> date | None:
        return min((e.date for e in self.entries if e.date), default=None)

    @property
    def title(self) -> str | None:
        return next((e.title for e in sorted(self.entries, key=lambda e: e.id) if e.title), None)


@dataclass
class Plan:
    """The corpus after the first pass: outlets and events, nothing loaded."""

    names: OutletNames
    events: list[Event]
    counts: Counter[str]
    versions: dict[str, set[str]]  # annotator -> the versions that wrote the records

    def outlet_of(self, entry: Entry) -> str:
        return self.names.display(entry.outlet)

    def outlets_of(self, event: Event) -> dict[str, str]:
        """Article id -> outlet display name, for the articles of ``event``."""
        return {e.id: self.outlet_of(e) for e in event.entries}


def _given_event(record: dict[str, Any]) -> str | None:
    event = record["article"].get("event")
    return event.strip() if isinstance(event, str) and event.strip() else None


def plan(records: Iterable[tuple[Location | str, dict[str, Any]]],
         aliases: Mapping[str, str] | None = None,
         overrides: Mapping[str, str] | None = None) -> Plan:
    """Read every record once and decide the outlets and events.

    An article's event is its entry in ``overrides`` (article id -> event), else
    its own ``event`` field, else a group found from the texts (``group_texts``).
    """
    names = OutletNames(aliases)
    overrides = overrides or {}
    entries: list[Entry] = []
    leads: list[str] = []
    ungrouped: list[Entry] = []
    versions: dict[str, set[str]] = defaultdict(set)
    for location, record in records:
        article = record["article"]
        for annotator in record["provenance"]["annotators"]:
            versions[annotator["name"]].add(annotator["version"])
        boilerplate = boilerplate_spans(record)
        entry = Entry(article["id"], location, names.add(raw_outlet(record)),
                      parse_date(article.get("date")), _given_event(record),
                      headline(record, boilerplate))
        entries.append(entry)
        if entry.id not in overrides and entry.given is None:
            ungrouped.append(entry)
            leads.append(lead(reporting_text(record, boilerplate)))
    events: dict[str, Event] = {}
    counts: Counter[str] = Counter()

    def put(event_id: str, entry: Entry, how: str) -> None:
        event = events.setdefault(event_id, Event(event_id, []))
        event.entries.append(entry)
        event.groupings.add(how)
        counts[how] += 1

    for entry in entries:
        if entry.id in overrides:
            put(overrides[entry.id], entry, "override")
        elif entry.given is not None:
            put(entry.given, entry, "given")
    if ungrouped:
        labels = group_texts(leads, [e.date for e in ungrouped])
        groups: dict[int, list[Entry]] = defaultdict(list)
        for label, entry in zip(labels, ungrouped, strict=True):
            groups[label].append(entry)
        for members in sorted(groups.values(), key=lambda m: min((e.date or date.max, e.id)
                                                                 for e in m)):
            first = min(members, key=lambda e: (e.date or date.max, e.id))
            base = "-".join(p for p in (first.date and first.date.isoformat(),
                                        slug(first.title or first.id)) if p) or "event"
            event_id, number = base, 1
            while event_id in events:
                number += 1
                event_id = f"{base}-{number}"
            for entry in members:
                put(event_id, entry, "automatic")
    ordered = sorted(events.values(), key=lambda e: (e.date or date.max, e.id))
    for event in ordered:
        event.entries.sort(key=lambda e: e.id)
        if len(ordered) > 1:
            digest = hashlib.sha1(event.id.encode("utf-8")).hexdigest()[:8]
            event.page = f"events/{slug(event.id, 40) or 'event'}-{digest}.html"
    return Plan(names, ordered, counts, versions)


@dataclass
class EventResult:
    event: Event
    part: dict[str, Any]  # compare_event's result
    page: str | None = None  # the event's HTML page, when it was asked for

    def as_json(self) -> dict[str, Any]:
        """The event's entry in comparison.json's ``events``."""
        event = self.event
        return {
            "id": event.id, "grouping": event.grouping, "title": event.title,
            "date": event.date.isoformat() if event.date else None, "page": event.page,
            "articles": [e.id for e in event.entries], "outlets": self.part["outlets"],
            "metrics": self.part["metrics"], "labeling": self.part["labeling"],
            "notes": self.part["notes"],
        }


def compare_events(corpus: Plan, nlp: Language | None,
                   load: Callable[[Any], dict[str, Any]] = read_record_at) -> Iterator[EventResult]:
    """Compare one event at a time, loading only its records."""
    for event in corpus.events:
        records = [load(entry.location) for entry in event.entries]
        yield EventResult(event, compare_event(records, nlp, corpus.outlets_of(event), event.id))


def head(corpus: Plan, profile: ProfileBuilder) -> dict[str, Any]:
    """Everything in comparison.json but the per-event lists."""
    articles: dict[str, list[str]] = defaultdict(list)
    events: dict[str, list[str]] = defaultdict(list)
    for event in corpus.events:
        for entry in event.entries:
            articles[entry.outlet].append(entry.id)
            if event.id not in events[entry.outlet]:
                events[entry.outlet].append(event.id)
    outlets = sorted(articles, key=corpus.names.display)
    names = [corpus.names.display(key) for key in outlets]
    notes = [
        f"outlet {corpus.names.display(key)!r} was spelled "
        + ", ".join(repr(s) for s in corpus.names.variants(key))
        for key in outlets if len(corpus.names.variants(key)) > 1
    ]
    lonely = [e.id for e in corpus.events if len({x.outlet for x in e.entries}) == 1]
    if lonely:
        notes.append(f"{len(lonely)} event(s) told by one outlet only (nothing to align, no "
                     "within-event difference): " + ", ".join(lonely[:10])
                     + (" …" if len(lonely) > 10 else ""))
    return {
        "comparison_version": COMPARISON_VERSION,
        "tool": {"name": "annotator", "version": __version__},
        "grouping": {"override": corpus.counts["override"], "given": corpus.counts["given"],
                     "automatic": corpus.counts["automatic"], "window_days": WINDOW_DAYS,
                     "lead_words": LEAD_WORDS, "max_distance": MAX_DISTANCE},
        "outlets": [
            {"name": corpus.names.display(key), "spellings": corpus.names.variants(key),
             "articles": sorted(articles[key]), "events": events[key]}
            for key in outlets
        ],
        "profile": profile.build(names),
        "notes": notes,
    }


def compare_records(records: list[dict[str, Any]], nlp: Language | None = None,
                    aliases: Mapping[str, str] | None = None,
                    overrides: Mapping[str, str] | None = None, seed: int = SEED,
                    resamples: int = RESAMPLES) -> dict[str, Any]:
    """The whole comparison of in-memory records (for tests and small corpora)."""
    by_id = {r["article"]["id"]: r for r in records}
    corpus = plan(by_id.items(), aliases, overrides)
    writer = ComparisonWriter()
    profile = ProfileBuilder(seed, resamples)
    try:
        for result in compare_events(corpus, nlp, by_id.__getitem__):
            add_result(writer, profile, result)
        top = head(corpus, profile)
        writer.check_head(top)
        out = io.StringIO()
        writer.finish(top, out)
    finally:
        writer.close()
    return json.loads(out.getvalue())


def add_result(writer: ComparisonWriter, profile: ProfileBuilder, result: EventResult) -> None:
    writer.add("events", result.as_json())
    for article in result.part["articles"]:
        writer.add("articles", article)
    for alignment in result.part["alignments"]:
        writer.add("alignments", alignment)
    profile.add_event(result.event.id, result.part["metrics"])
