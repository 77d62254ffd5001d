"""A tidy table for pandas, R and DuckDB: one row per annotation, one per article.

``annotations`` has the article metadata (``article_id, source, event, date, url``), then
``annotator, label, start, end, text, score`` and every attribute flattened into its own
column (``attributes.category``, ``attributes.source.start``; lists as JSON text).
``articles`` has one row per article (``article_id, source, event, date, url, title,
length, words``), so rates per 1,000 words count articles without annotations too.
Columns are the union over all records, sorted, found in a first pass over the records.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator import ConfigError, Exporter

from .files import selected

WORD = re.compile(r"\w+(?:['’]\w+)*")  # as annotate compare counts words
ARTICLE_KEYS = ("source", "event", "date", "url")
ANNOTATION_COLUMNS = ("annotator", "label", "start", "end", "text", "score")
ARTICLE_COLUMNS = ("article_id", *ARTICLE_KEYS, "title", "length", "words")
KNOWN_KINDS = {"article_id": "str", "source": "str", "event": "str", "date": "str", "url": "str",
               "title": "str", "annotator": "str", "label": "str", "text": "str",
               "start": "int", "end": "int", "score": "float", "length": "int", "words": "int"}
Row = dict[str, Any]


def flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """``(column, value)`` pairs: nested objects joined with dots, lists as JSON text;
    nulls are left out (the cell stays empty)."""
    if value is None:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from flatten(inner, f"{prefix}.{key}")
    elif isinstance(value, list):
        yield prefix, json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        yield prefix, value


def article_row(record: Mapping[str, Any]) -> Row:
    article = record["article"]
    return {"article_id": article["id"], **{k: article.get(k) for k in ARTICLE_KEYS},
            "title": article.get("title"), "length": article["length"],
            "words": len(WORD.findall(article["text"]))}


def annotation_rows(record: Mapping[str, Any], skip: Iterable[str]) -> Iterator[Row]:
    article = record["article"]
    for annotation in selected(record["annotations"], skip):
        row = {"article_id": article["id"], **{k: article.get(k) for k in ARTICLE_KEYS}}
        row.update({key: annotation.get(key) for key in ANNOTATION_COLUMNS})
        row.update(flatten(annotation.get("attributes") or {}, "attributes"))
        yield row


def column_kind(values: set[type]) -> str:
    """``bool``, ``int``, ``float`` or ``str`` for the Python types seen in a column."""
    values.discard(type(None))
    if values and values <= {bool}:
        return "bool"
    if values and values <= {int}:
        return "int"
    if values and values <= {int, float}:
        return "float"
    return "str"


class Table:
    """Column names and kinds of one table, learnt from the rows of a first pass."""

    def __init__(self, fixed: tuple[str, ...], known: Mapping[str, str]) -> None:
        self.fixed = fixed
        self.known = known
        self.seen: dict[str, set[type]] = {name: set() for name in fixed}
        self._kinds: dict[str, str] | None = None

    def learn(self, row: Row) -> None:
        for key, value in row.items():
            self.seen.setdefault(key, set()).add(type(value))

    @property
    def columns(self) -> list[str]:
        return [*self.fixed, *sorted(set(self.seen) - set(self.fixed))]

    def kinds(self) -> dict[str, str]:
        """Each column's kind, fixed once the first pass is over."""
        if self._kinds is None:
            self._kinds = {name: self.known.get(name) or column_kind(set(self.seen[name]))
                           for name in self.columns}
        return self._kinds

    def cells(self, row: Row) -> Row:
        """The row with every column, values cast to the column's kind (JSON for odd ones)."""
        kinds, out = self.kinds(), {}
        for name in self.columns:
            value = row.get(name)
            if value is not None and kinds[name] == "float":
                value = float(value)
            elif value is not None and kinds[name] == "str" and not isinstance(value, str):
                value = json.dumps(value)
            out[name] = value
        return out


class TableExporter(Exporter):
    """Shared by the Parquet and CSV exporters: two passes, then rows in batches."""

    default_settings = {"skip": [], "batch_rows": 50_000}

    def tables(self, records: Iterable[dict[str, Any]]) -> tuple[Table, Table]:
        annotations = Table(("article_id", *ARTICLE_KEYS, *ANNOTATION_COLUMNS), KNOWN_KINDS)
        articles = Table(ARTICLE_COLUMNS, KNOWN_KINDS)
        for record in records:
            articles.learn(article_row(record))
            for row in annotation_rows(record, self.settings["skip"]):
                annotations.learn(row)
        return annotations, articles

    def batches(self, records: Iterable[dict[str, Any]], table: Table, articles: bool
                ) -> Iterator[list[Row]]:
        batch: list[Row] = []
        for record in records:
            rows = [article_row(record)] if articles else \
                annotation_rows(record, self.settings["skip"])
            batch += [table.cells(row) for row in rows]
            if len(batch) >= self.settings["batch_rows"]:
                yield batch
                batch = []
        if batch:
            yield batch


class ParquetExporter(TableExporter):
    """``annotations.parquet`` and ``articles.parquet`` (pyarrow)."""

    name = "parquet"
    description = "tidy tables: annotations.parquet (one row per annotation), articles.parquet"

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ConfigError("the parquet format needs pyarrow "
                              "(pip install 'annotator[interchange]')") from None

        types = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(),
                 "str": pa.string()}
        for name, table in zip(("annotations", "articles"), self.tables(records), strict=True):
            kinds = table.kinds()
            schema = pa.schema([(column, types[kinds[column]]) for column in table.columns])
            with pq.ParquetWriter(output / f"{name}.parquet", schema) as writer:
                for batch in self.batches(records, table, name == "articles"):
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))


class CsvExporter(TableExporter):
    """``annotations.csv`` and ``articles.csv`` (UTF-8, header row, RFC 4180 quoting)."""

    name = "csv"
    description = "tidy tables: annotations.csv (one row per annotation), articles.csv"

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        for name, table in zip(("annotations", "articles"), self.tables(records), strict=True):
            with (output / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=table.columns)
                writer.writeheader()
                for batch in self.batches(records, table, name == "articles"):
                    writer.writerows(
                        {k: csv_cell(v) for k, v in row.items()} for row in batch
                    )


def csv_cell(value: Any) -> Any:
    """Booleans as ``true``/``false`` (what DuckDB and R read as booleans), None as empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
