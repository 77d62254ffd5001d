"""``annotate validate PATH...``: check annotation files against the schema."""

from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click

from ..errors import AnnotatorError, ConfigError
from ..plugins import annotator_classes, plugin_manager
from .app import cli, fail

COMPARISON = "comparison.json"
CHUNK = 32  # files per task with --workers

_schemas: Mapping[str, Mapping[str, Any]] = {}


def files_to_check(paths: Iterable[Path]) -> list[Path]:
    """Record files and shards (and comparison.json) in the folders, and the files named."""
    from ..records import record_paths

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            comparisons = [p for p in path.rglob(COMPARISON)
                           if not any(part.startswith(".") for part in p.relative_to(path).parts)]
            found.extend(sorted([*record_paths(path), *comparisons]))
        else:
            found.append(path)
    return found


def comparison_lines(path: Path) -> list[str]:
    """Problems of a comparison.json, checked against its own schema."""
    from ..compare import comparison_problems

    try:
        comparison = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return [f"{path}: /: cannot read as JSON ({error})".splitlines()[0]]
    return [f"{path}: {problem}" for problem in comparison_problems(comparison)]


def check_file(path: Path) -> tuple[int, int, list[str]]:
    """(records checked, invalid records, problem lines) for one file."""
    from ..records import read_records

    if path.name == COMPARISON:
        lines = comparison_lines(path)
        return 1, bool(lines), lines
    checked = invalid = 0
    lines: list[str] = []
    for where, _, problems in read_records(path, _schemas):
        checked += 1
        invalid += bool(problems)
        lines.extend(problem.line(where) for problem in problems)
    return checked, invalid, lines


def _start_worker(schemas: Mapping[str, Mapping[str, Any]]) -> None:
    global _schemas
    _schemas = schemas


def check_files(files: list[Path], schemas: Mapping[str, Mapping[str, Any]], workers: int
                ) -> Iterator[tuple[int, int, list[str]]]:
    """check_file for each file, in order, in this process or in ``workers`` processes."""
    _start_worker(schemas)
    if workers == 1 or len(files) <= CHUNK:
        yield from map(check_file, files)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker, initargs=(schemas,)) as pool:
        yield from pool.map(check_file, files, chunksize=CHUNK)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Also load attribute schemas from this plugin file.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
              help="Processes checking files in parallel.")
def validate(paths: tuple[Path, ...], plugin_files: tuple[str, ...], workers: int) -> None:
    """Check annotation files, shards or folders of them against the schema.

    Beyond the JSON Schema: sha256 and length of the text, every offset in
    range and equal to its slice, sorted annotations, and known annotator
    names. A comparison.json (from annotate compare) is checked against its own
    schema. Prints one line per problem (file or file:line, JSON pointer,
    reason). Exits 0 when all are valid, 1 when any is not, 2 on usage errors.
    Needs no spaCy pipeline.
    """
    try:
        classes = annotator_classes(plugin_manager(plugin_files))
    except AnnotatorError as error:
        fail(error)
    schemas = {n: c.attributes_schema for n, c in classes.items() if c.attributes_schema}
    files = files_to_check(paths)
    if not files:
        fail(ConfigError(f"no .json or .jsonl files in {', '.join(map(str, paths))}"))
    checked = invalid = 0
    for file_checked, file_invalid, lines in check_files(files, schemas, workers):
        checked += file_checked
        invalid += file_invalid
        for line in lines:
            click.echo(line)
    click.echo(f"{checked} record(s) in {len(files)} file(s) checked, {invalid} invalid",
               err=True)
    sys.exit(1 if invalid else 0)
