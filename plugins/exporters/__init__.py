"""The built-in output formats, one module each: Label Studio, W3C Web Annotation, brat, and
tidy tables (Parquet, CSV)."""

from __future__ import annotations

from typing import Any

from annotator import hookimpl

from .brat import BratExporter
from .labelstudio import LabelStudioExporter
from .table import CsvExporter, ParquetExporter
from .w3c import W3CExporter


@hookimpl
def register_exporters(register: Any) -> None:
    for exporter in (LabelStudioExporter, W3CExporter, BratExporter, ParquetExporter,
                     CsvExporter):
        register(exporter)
