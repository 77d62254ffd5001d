"""What a run did: totals per annotator, and one row per article in ``_summary.tsv``."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import IO

from .output import STAGING, SUMMARY_FILE, OutputError

TABLE_ROWS = 20  # up to this many articles, the per-article table is printed too


class Summary:
    """Counts of the run, and its per-article table, streamed to ``staged`` (the output
    commits it as ``OUT/_summary.tsv`` with the records)."""

    def __init__(self, folder: Path, staged: Path, names: list[str]) -> None:
        self.names = names
        self.path = folder / SUMMARY_FILE
        self.staged = staged
        self.written = self.unchanged = self.failed = self.failures = 0
        self.annotations: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.rows: list[list[str]] | None = []  # kept while the run is small
        self.handle: IO[str] | None = staged.open("w", encoding="utf-8", newline="")
        self.tsv = csv.writer(self.handle, delimiter="\t", lineterminator="\n")
        self._row(["article", "file", "status", *names, "errors"])

    def _row(self, row: list[str]) -> None:
        self.tsv.writerow(row)
        if self.rows is not None:
            self.rows.append(row)
            if len(self.rows) > TABLE_ROWS + 1:
                self.rows = None

    def record(self, article_id: str, location: str, counts: dict[str, int], errors: list[str],
               kept: bool = False) -> None:
        """One article whose record is in the output (written now, or ``kept`` unchanged), with
        its annotations per annotator and the annotators that failed on it."""
        if kept:
            self.unchanged += 1
        else:
            self.written += 1
            self.errors.update(errors)
            self.failures += bool(errors)
        self.annotations.update(counts)
        status = "unchanged" if kept else "written"
        self._row([article_id, location, status, *(str(counts.get(n, "")) for n in self.names),
                   str(len(errors))])

    def failure(self, article_id: str | None) -> None:
        """An input or article that has no record."""
        self.failed += 1
        self.failures += 1
        if article_id is not None:
            self._row([article_id, "", "failed", *("" for _ in self.names), "1"])

    def close(self) -> None:
        """Finish the staged table (the output's commit puts it in place)."""
        if self.handle is None:
            return
        handle, self.handle = self.handle, None
        try:
            handle.close()
        except OSError as error:
            raise OutputError(f"{self.path}: cannot write ({error.strerror or error})") from None

    def table(self) -> str:
        """Annotations per annotator and errors: a row per article for a small run, and totals."""
        rows = [["article", *self.names, "errors"]]
        if self.rows is not None:
            rows += [[r[0], *r[3:]] for r in self.rows[1:]]
        rows.append(["total", *(str(self.annotations[n]) for n in self.names),
                     str(self.failures)])
        return _aligned(rows)

    def line(self, folder: Path, committed: bool = True) -> str:
        """The run in one line; ``committed`` false when its records were left staged."""
        if not committed:
            return (f"{self.written} article(s) finished, kept in {folder}/{STAGING}/ for "
                    f"the next run; {folder}/ is as it was before this run")
        kept = f", {self.unchanged} unchanged (skipped)" if self.unchanged else ""
        return (f"{self.written} article(s) written to {folder}/{kept}, "
                f"{self.failures} failure(s); per article: {self.path}")


def _aligned(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    )
