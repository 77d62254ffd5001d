"""A tidy table for pandas, R and DuckDB: one row per annotation, one per article.

``annotations`` has the article's ``article_id, outlet, event, source, date, url``, then
``annotator, label, start, end, text, score, in_boilerplate, voice`` and every attribute
in its own column (``attributes.category``, ``attributes.source.start``). ``articles``
has one row per article (``article_id, outlet, event, source, date, url, title, length,
words, quoted_words``), so rates per 1,000 words count articles without annotations too.
``outlet`` is named and ``words`` counted exactly as ``annotate compare`` does. Columns
are the union over all records, sorted, found in a first pass over the records.

Nothing is lost in flattening: nested objects are joined with dots, but an attribute
whose columns would collide with another's (``a.b`` and ``{"a": {"b": ...}}``) is kept
whole in one column as JSON text. Integers stay integers: int64, or decimal(38, 0) in
Parquet beyond int64; a column mixing kinds (``1`` and ``0.5``, a string and a number)
and lists are JSON text, so ``1`` never becomes ``1.0``.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from annotator import ConfigError, Exporter, Records
from annotator.article_counts import boilerplate_spans, counted_words, overlaps, quotations

from .files import selected

ARTICLE_KEYS = ("source", "date", "url")
CONTEXT_COLUMNS = ("article_id", "outlet", "event", *ARTICLE_KEYS)
ANNOTATION_COLUMNS = ("annotator", "label", "start", "end", "text", "score",
                      "in_boilerplate", "voice")
ARTICLE_COLUMNS = (*CONTEXT_COLUMNS, "title", "length", "words", "quoted_words")
KNOWN_KINDS = {"article_id": "str", "outlet": "str", "event": "str", "source": "str",
               "date": "str", "url": "str", "title": "str", "annotator": "str", "label": "str",
               "text": "str", "voice": "str", "start": "int", "end": "int", "score": "float",
               "in_boilerplate": "bool", "length": "int", "words": "int",
               "quoted_words": "int"}
INT64 = range(-(2**63), 2**63)
DECIMAL_DIGITS = 38
Row = dict[str, Any]
LeafPath = tuple[str, ...]


def leaves(value: Any, path: LeafPath) -> Iterator[tuple[LeafPath, Any]]:
    """``(path, value)`` for each scalar or list inside nested objects; an empty object is
    a leaf of its own; nulls are left out (the cell stays empty)."""
    if value is None:
        return
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            yield from leaves(inner, (*path, key))
    else:
        yield path, value


def column(path: LeafPath) -> str:
    return ".".join(("attributes", *path))


class Flattening:
    """Which attributes are flattened and which kept whole, learnt in a first pass: an
    attribute is kept whole when one of its columns is also another path's column."""

    def __init__(self) -> None:
        self.paths: dict[str, set[LeafPath]] = defaultdict(set)  # attribute -> its leaf paths
        self.whole: set[str] = set()

    def learn(self, attributes: Mapping[str, Any]) -> None:
        for key, value in attributes.items():
            self.paths[key].update(path for path, _ in leaves(value, (key,)))

    def settle(self) -> None:
        """Keep whole every attribute in a collision, until none is left."""
        while True:
            owners: dict[str, set[LeafPath]] = defaultdict(set)
            for key, paths in self.paths.items():
                for path in [(key,)] if key in self.whole else paths:
                    owners[column(path)].add(path)
            colliding = {path[0] for paths in owners.values() if len(paths) > 1
                         for path in paths} - self.whole
            if not colliding:
                return
            self.whole |= colliding

    def cells(self, attributes: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
        for key, value in attributes.items():
            if key in self.whole:
                if value is not None:
                    yield column((key,)), value
            else:
                for path, leaf in leaves(value, (key,)):
                    yield column(path), leaf


def voice(annotation: Mapping[str, Any]) -> str | None:
    """The span's voice: its ``voice`` attribute, else from ``in_quote`` (as compare reads a
    loaded term's voice)."""
    attributes = annotation.get("attributes") or {}
    if isinstance(attributes.get("voice"), str):
        return attributes["voice"]
    if "in_quote" in attributes:
        return "quoted" if attributes["in_quote"] else "own"
    return None


def context_row(record: Mapping[str, Any], records: Records) -> Row:
    article = record["article"]
    return {"article_id": article["id"], "outlet": records.outlet(record),
            "event": records.event(record), **{k: article.get(k) for k in ARTICLE_KEYS}}


def article_row(record: Mapping[str, Any], records: Records) -> Row:
    article = record["article"]
    boilerplate = boilerplate_spans(record)
    words = counted_words(article["text"], boilerplate)
    quoted = sum(inner for *_, inner in quotations(article["text"], boilerplate, words))
    return {**context_row(record, records), "title": article.get("title"),
            "length": article["length"], "words": len(words), "quoted_words": quoted}


def annotation_rows(record: Mapping[str, Any], records: Records, skip: Iterable[str]
                    ) -> Iterator[tuple[Row, Mapping[str, Any]]]:
    """``(row without attributes, attributes)`` for each exported annotation."""
    context = context_row(record, records)
    boilerplate = boilerplate_spans(record)
    for annotation in selected(record["annotations"], skip):
        row = {**context, **{key: annotation.get(key) for key in ANNOTATION_COLUMNS[:6]},
               "in_boilerplate": overlaps(annotation["start"], annotation["end"], boilerplate),
               "voice": voice(annotation)}
        yield row, annotation.get("attributes") or {}


def column_kind(values: set[type], widest: int) -> str:
    """``bool``, ``int``, ``bigint`` (beyond int64), ``float``, ``str`` or ``json`` for
    the Python types seen in a column and its widest integer."""
    values.discard(type(None))
    if len(values) != 1:
        return "json"
    (kind,) = values
    if kind is int:
        return "int" if widest in INT64 else \
            "bigint" if len(str(abs(widest))) <= DECIMAL_DIGITS else "json"
    return {bool: "bool", float: "float", str: "str"}.get(kind, "json")


class Table:
    """Column names and kinds of one table, learnt from the rows of a first pass."""

    def __init__(self, fixed: tuple[str, ...]) -> None:
        self.fixed = fixed
        self.seen: dict[str, set[type]] = {name: set() for name in fixed}
        self.widest: dict[str, int] = defaultdict(int)  # the integer furthest from zero
        self._kinds: dict[str, str] | None = None

    def learn(self, row: Row) -> None:
        for key, value in row.items():
            self.seen.setdefault(key, set()).add(type(value))
            if type(value) is int and abs(value) > abs(self.widest[key]):
                self.widest[key] = value

    @property
    def columns(self) -> list[str]:
        return [*self.fixed, *sorted(set(self.seen) - set(self.fixed))]

    def kinds(self) -> dict[str, str]:
        """Each column's kind, fixed once the first pass is over (a column with no value
        takes its known kind, else ``str``)."""
        if self._kinds is None:
            self._kinds = {
                name: column_kind(set(self.seen[name]), self.widest[name])
                if self.seen[name] - {type(None)} else KNOWN_KINDS.get(name, "str")
                for name in self.columns
            }
        return self._kinds

    def cells(self, row: Row) -> Row:
        """The row with every column, values as the column's kind holds them."""
        kinds, out = self.kinds(), {}
        for name in self.columns:
            value = row.get(name)
            if value is not None and kinds[name] == "json":
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            elif value is not None and kinds[name] == "bigint":
                value = Decimal(value)
            out[name] = value
        return out


class TableExporter(Exporter):
    """Shared by the Parquet and CSV exporters: a first pass learns the columns, then each
    table is written in batches of rows."""

    default_settings = {"skip": [], "batch_rows": 50_000}

    def tables(self, records: Records) -> tuple[Table, Table, Flattening]:
        annotations = Table((*CONTEXT_COLUMNS, *ANNOTATION_COLUMNS))
        articles = Table(ARTICLE_COLUMNS)
        flattening = Flattening()
        flat, whole = Table(()), Table(())  # attribute columns flattened, and kept whole
        for record in records:
            articles.learn(article_row(record, records))
            for row, attributes in annotation_rows(record, records, self.settings["skip"]):
                annotations.learn(row)
                flattening.learn(attributes)
                flat.learn({column(p): v for k, value in attributes.items()
                            for p, v in leaves(value, (k,))})
                whole.learn({column((k,)): v for k, v in attributes.items() if v is not None})
        flattening.settle()
        for key, paths in flattening.paths.items():
            kept_whole = key in flattening.whole
            for name in [column((key,))] if kept_whole else map(column, paths):
                source = whole if kept_whole else flat
                annotations.seen[name] = source.seen[name]
                annotations.widest[name] = source.widest[name]
        return annotations, articles, flattening

    def batches(self, records: Records, table: Table,
                flattening: Flattening | None) -> Iterator[list[Row]]:
        """Rows of the articles table (``flattening`` None) or of the annotations table."""
        batch: list[Row] = []
        for record in records:
            if flattening is None:
                batch.append(table.cells(article_row(record, records)))
            else:
                batch += [table.cells({**row, **dict(flattening.cells(attributes))})
                          for row, attributes in annotation_rows(record, records,
                                                                 self.settings["skip"])]
            if len(batch) >= self.settings["batch_rows"]:
                yield batch
                batch = []
        if batch:
            yield batch

    def tables_to_write(self, records: Iterable[dict[str, Any]]
                        ) -> Iterator[tuple[str, Table, Iterator[list[Row]]]]:
        """``(name, table, its batches)`` for ``annotations`` and ``articles``."""
        records = Records.of(records)
        annotations, articles, flattening = self.tables(records)
        yield "annotations", annotations, self.batches(records, annotations, flattening)
        yield "articles", articles, self.batches(records, articles, None)


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

        types = {"bool": pa.bool_(), "int": pa.int64(), "bigint": pa.decimal128(DECIMAL_DIGITS, 0),
                 "float": pa.float64(), "str": pa.string(), "json": pa.string()}
        for name, table, batches in self.tables_to_write(records):
            kinds = table.kinds()
            schema = pa.schema([(column, types[kinds[column]]) for column in table.columns])
            with pq.ParquetWriter(output / f"{name}.parquet", schema) as writer:
                for batch in batches:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))


class CsvExporter(TableExporter):
    """``annotations.csv`` and ``articles.csv`` (UTF-8, header row, RFC 4180 quoting)."""

    name = "csv"
    description = "tidy tables: annotations.csv (one row per annotation), articles.csv"

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        for name, table, batches in self.tables_to_write(records):
            with (output / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=table.columns)
                writer.writeheader()
                for batch in batches:
                    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in batch)


def csv_cell(value: Any) -> Any:
    """Booleans as ``true``/``false`` (what DuckDB and R read as booleans), None as empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
