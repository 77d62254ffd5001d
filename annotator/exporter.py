"""Output formats: the Exporter base class."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from .settings import Configurable


class Exporter(Configurable):
    """Base class for output formats. Subclass it and register the class.

    Class attributes: ``name`` (unique; the FORMAT of ``annotate export``),
    ``description`` (one line for ``--help``) and ``default_settings``.
    ``export(records, output)`` writes the records, valid annotation records in
    input order, into the folder ``output``, which exists and is empty.
    ``records`` holds one record in memory at a time, and may be iterated more
    than once (each pass reads the files again), for formats that must see every
    record before writing (a table's columns, a labeling configuration).
    """

    kind = "exporter"
    description: ClassVar[str] = ""

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        raise NotImplementedError
