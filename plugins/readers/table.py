"""CSV and TSV: one article per row, the text in one column and every other column kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from annotator import Article, InputError, Reader, Source, article_from_fields

FIELD_LIMIT = 2**31 - 1  # the csv module's default (131,072 characters) is shorter than articles


class TableReader(Reader):
    """Rows of a ``.csv`` (comma) or ``.tsv`` (tab) file with a header row.

    ``text_column`` holds the text and ``id_column`` the article id (default: the
    file's id and the row number, ``corpus/1`` for the first row under the header); ``title``,
    ``source``, ``url``, ``date`` and ``event`` columns become article fields and the
    other columns go to ``article.meta``. Empty cells are left out.

    CSV quoting is strict: a quote left open is an error at the line of its row,
    and the rest of the file is not read. TSV has no quoting: quotes are text,
    and a cell holds no tab or newline. A column named twice in the header is an
    error.
    """

    name = "csv"
    suffixes = (".csv", ".tsv")
    default_settings = {"text_column": "text", "id_column": "id"}

    def read(self, source: Source) -> Iterator[Article | InputError]:
        text_column, id_column = self.settings["text_column"], self.settings["id_column"]
        csv.field_size_limit(FIELD_LIMIT)
        with source.open() as raw:
            handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            rows = csv.reader(handle, **dialect(source.name))
            row_start = 1  # the line where the row being read starts
            try:
                header = next(rows, None)
                if header is None:
                    raise InputError(f"{source.name}: empty file, skipped")
                check_header(header, text_column, source.name)
                row_start = rows.line_num + 1
                for number, row in enumerate(rows, start=1):
                    where = f"{source.name}:{rows.line_num}"
                    row_start = rows.line_num + 1
                    if not any(cell.strip() for cell in row):
                        continue
                    if len(row) != len(header):
                        yield InputError(
                            f"{where}: {len(row)} cells for {len(header)} columns, skipped"
                        )
                        continue
                    fields = {key: cell for key, cell in zip(header, row, strict=True) if cell}
                    fields["text"] = fields.pop(text_column, "")
                    fields["id"] = fields.pop(id_column, f"{source.article_id}/{number}")
                    try:
                        yield article_from_fields(fields, where)
                    except InputError as error:
                        yield error
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{source.name}:{rows.line_num + 1}: not valid UTF-8 ({error.reason})"
                ) from None
            except csv.Error as error:
                raise InputError(
                    f"{source.name}:{row_start}: {error} in the row starting here "
                    f"(an unclosed quote?); the rest of the file is not read"
                ) from None


def dialect(name: str) -> dict[str, Any]:
    """Comma-separated with strict quoting, or tab-separated without quote processing."""
    if name.lower().endswith(".tsv"):
        return {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
    return {"delimiter": ",", "strict": True}


def check_header(header: list[str], text_column: str, where: str) -> None:
    """The header names each column once and has the text column."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(f"{where}:1: column {name!r} appears twice in the header, skipped")
        seen.add(name)
    if text_column not in header:
        found = ", ".join(header) or "none"
        raise InputError(
            f"{where}: no {text_column!r} column (found: {found}); "
            "name the text column with --text-column"
        )
