"""The outlet profile as tidy tables: profile.csv (and .parquet) and differences.csv.

One row per outlet and metric, and one per outlet pair and metric, with the numbers
of comparison.json's ``profile`` (intervals blank below its ``min_events``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

PROFILE_COLUMNS = ("outlet", "metric", "mean", "low", "high", "events")
DIFFERENCE_COLUMNS = ("a", "b", "metric", "difference", "low", "high", "events",
                      "excludes_zero", "p", "p_holm")


def profile_rows(profile: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"outlet": outlet, "metric": metric["name"], "mean": cell["mean"],
             "low": cell["low"], "high": cell["high"], "events": cell["events"]}
            for metric in profile["metrics"] for outlet, cell in metric["by_outlet"].items()]


def difference_rows(profile: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"a": d["a"], "b": d["b"], "metric": d["metric"], "difference": d["mean"],
             "low": d["low"], "high": d["high"], "events": d["events"],
             "excludes_zero": d["excludes_zero"], "p": d["p"], "p_holm": d["p_holm"]}
            for d in profile["differences"]]


def csv_text(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """RFC 4180 CSV with a header; a missing value is an empty cell."""
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_profile_parquet(rows: list[dict[str, Any]], path: str) -> bool:
    """Write profile rows as Parquet; False when pyarrow (the interchange extra) is missing."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return False
    types = {"outlet": pa.string(), "metric": pa.string(), "events": pa.int64()}
    schema = pa.schema([(name, types.get(name, pa.float64())) for name in PROFILE_COLUMNS])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return True
