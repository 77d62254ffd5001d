"""Output formats: the Exporter base class and the records it is given."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import click

from .outlets import OutletNames, raw_outlet
from .records import iter_records
from .settings import Configurable
from .thresholds import Thresholds


class Records:
    """The records to export, re-readable: the valid annotation records of a folder, read
    lazily, every pass reading them again (with a progress bar on a terminal), or a list
    held in memory. Spans below ``thresholds`` are left out.

    ``outlet(record)`` is the record's outlet as ``annotate compare`` names it (aliases
    applied, the most common spelling shown); ``event(record)`` its event: ``events``
    (article id -> event, as compare's events.json), else the article's ``event``.
    """

    def __init__(self, source: Path | Iterable[dict[str, Any]],
                 thresholds: Thresholds | None = None,
                 aliases: Mapping[str, str] | None = None,
                 events: Mapping[str, str] | None = None) -> None:
        self.source = source if isinstance(source, Path) else list(source)
        self.thresholds = thresholds or Thresholds()
        self.aliases = aliases or {}
        self.events = events or {}
        self.passes = 0
        self._outlets: OutletNames | None = None

    @classmethod
    def of(cls, records: Iterable[dict[str, Any]]) -> Records:
        """``records`` itself if it is a ``Records``, else its records held in memory."""
        return records if isinstance(records, Records) else cls(records)

    def _read(self) -> Iterator[dict[str, Any]]:
        if isinstance(self.source, list):
            yield from self.source
            return
        self.passes += 1
        label = "Exporting" if self.passes == 1 else f"Exporting (pass {self.passes})"
        with click.progressbar(iter_records(self.source), label=label, file=sys.stderr) as bar:
            for _, record in bar:
                yield record

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for record in self._read():
            yield self.thresholds.filter(record)

    def outlet(self, record: Mapping[str, Any]) -> str:
        if self._outlets is None:
            names = OutletNames(self.aliases)
            for other in self._read():
                names.add(raw_outlet(other))
            self._outlets = names
        return self._outlets.display(self._outlets.key(raw_outlet(record)))

    def event(self, record: Mapping[str, Any]) -> str | None:
        article = record["article"]
        given = article.get("event")
        given = given.strip() if isinstance(given, str) and given.strip() else None
        return self.events.get(article["id"], given)


class Exporter(Configurable):
    """Base class for output formats. Subclass it and register the class.

    Class attributes: ``name`` (unique; the FORMAT of ``annotate export``),
    ``description`` (one line for ``--help``) and ``default_settings``.
    ``export(records, output)`` writes the records, valid annotation records in
    input order, into the folder ``output``, which exists and is empty.
    ``records`` (``annotate export`` passes a ``Records``) holds one record in memory at
    a time, and may be iterated more than once (each pass reads the files again), for
    formats that must see every record before writing (a table's columns, a labeling
    configuration). Name an article's files with ``FileNames`` (``annotator.run.naming``).
    """

    kind = "exporter"
    description: ClassVar[str] = ""

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        raise NotImplementedError
