"""The output folder of ``annotate run``, written as one transaction.

Two layouts: one JSON file per article (named by ``annotator.naming``), or, with
``--format jsonl``, JSON-lines shards of 1,000 records for each input, in input order
(``corpus-00000.jsonl``, ``corpus-00001.jsonl``... for the input ``corpus.jsonl``).

Nothing is written in place while a run goes on: records go to a folder of the run's
own under ``OUT/.annotator-run/``, and once the whole input has been read one commit
(``annotator.atomic.Commit``) renames them into place and removes the records the run
made stale. An interrupted or failed run commits nothing: the folder keeps its
previous complete state, and the records the run finished stay staged, so the next
run takes them up instead of annotating those articles again.

Which records a run may replace: a record belongs to an input of the run when its
``source_path`` is that input or lies under it. After a complete run, the records of
an input are those of this run, in input order; a record whose article is no longer
in its input is removed, unless its source file still exists and gave no article this
time (unreadable, or now empty), which keeps it. Records of other inputs are never
touched: an article id that such a record holds is an error naming both inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .folder import (
    STAGING,
    SUMMARY_FILE,
    Output,
    OutputError,
    Reusable,
    check_apart,
    check_writable,
)
from .record_files import RecordFiles
from .shards import ShardFiles

__all__ = ["STAGING", "SUMMARY_FILE", "Output", "OutputError", "RecordFiles", "Reusable",
           "ShardFiles", "check_apart", "check_writable", "open_output"]


def open_output(folder: Path, output_format: str, inputs: Sequence[str],
                attribute_schemas: Mapping[str, Mapping[str, Any]] | None = None,
                force: bool = False) -> Output:
    kind = ShardFiles if output_format == "jsonl" else RecordFiles
    return kind(folder, inputs, attribute_schemas, force)
