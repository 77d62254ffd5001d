"""The built-in input formats, one module each: text and Markdown, JSON lines, HTML, CSV/TSV."""

from __future__ import annotations

from typing import Any

from annotator import hookimpl

from .html import HtmlReader
from .jsonl import JsonLinesReader
from .table import TableReader
from .text import TextReader


@hookimpl
def register_readers(register: Any) -> None:
    for reader in (TextReader, JsonLinesReader, HtmlReader, TableReader):
        register(reader)
