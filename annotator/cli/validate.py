"""``annotate validate PATH...``: check annotation files against the schema."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import click

from ..errors import AnnotatorError, ConfigError
from ..schema_catalog import SchemaCatalog
from .app import cli, fail

COMPARISON = "comparison.json"
CHUNK = 32  # files per task with --workers

_catalog: SchemaCatalog | None = None


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
    from ..safe_json import JSONError, parse_json
    from ..schema import load_schema, schema_problems

    try:
        comparison = parse_json(path.read_bytes())
    except OSError as error:
        return [f"{path}: /: cannot read ({error.strerror})"]
    except JSONError as error:
        return [f"{path}: /: {error}"]
    return [problem.line(str(path))
            for problem in schema_problems(comparison, load_schema(COMPARISON))]


@dataclass
class Checked:
    """What checking some files found: counts, problem lines, and annotators left unchecked."""

    records: int = 0
    invalid: int = 0
    lines: list[str] = field(default_factory=list)
    unchecked: dict[str, int] = field(default_factory=dict)  # line -> files

    def add(self, other: Checked) -> None:
        self.records += other.records
        self.invalid += other.invalid
        self.lines += other.lines
        for line, count in other.unchecked.items():
            self.unchecked[line] = self.unchecked.get(line, 0) + count


def check_file(path: Path, allow_unknown: bool = False) -> Checked:
    """The records checked, invalid records and problem lines of one file.

    Each record's attribute schemas are the ones its provenance names (see
    schema_catalog). An annotator whose schema cannot be found is a problem, or,
    with ``allow_unknown``, only counted.
    """
    from ..records import read_records

    checked = Checked()
    if path.name == COMPARISON:
        checked.lines = comparison_lines(path)
        checked.records, checked.invalid = 1, bool(checked.lines)
        return checked
    assert _catalog is not None
    catalog = _catalog
    for where, _, problems in read_records(path, lambda r: catalog.schemas_for(r, path)):
        checked.records += 1
        if allow_unknown:
            for problem in (p for p in problems if p.unchecked):
                checked.unchecked[problem.message] = checked.unchecked.get(problem.message, 0) + 1
            problems = [p for p in problems if not p.unchecked]
        checked.invalid += bool(problems)
        checked.lines.extend(problem.line(where) for problem in problems)
    return checked


def _start_worker(plugin_files: tuple[str, ...]) -> None:
    global _catalog
    _catalog = SchemaCatalog(plugin_files)


def check_files(files: list[Path], plugin_files: tuple[str, ...], workers: int,
                allow_unknown: bool) -> Iterator[Checked]:
    """check_file for each file, in order, in this process or in ``workers`` processes."""
    _start_worker(plugin_files)
    check = partial(check_file, allow_unknown=allow_unknown)
    if workers == 1 or len(files) <= CHUNK:
        yield from map(check, files)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker, initargs=(plugin_files,)) as pool:
        yield from pool.map(check, files, chunksize=CHUNK)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Also look for attribute schemas in this plugin file.")
@click.option("--allow-unknown", is_flag=True,
              help="Accept annotators whose attribute schema is not available (their "
              "attributes go unchecked; a note says which).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
              help="Processes checking files in parallel.")
def validate(paths: tuple[Path, ...], plugin_files: tuple[str, ...], allow_unknown: bool,
             workers: int) -> None:
    """Check annotation files, shards or folders of them against the schema.

    Beyond the JSON Schema: sha256 and length of the text, every offset in
    range and equal to its slice, sorted annotations, and known annotator
    names. Each annotator's attributes are checked against the schema the file
    names (by $id and sha256), found among the published schemas, in a .schemas
    folder beside the files (annotate writes one) or in an installed plugin; an
    annotator it cannot check is a problem unless --allow-unknown. A
    comparison.json (from annotate compare) is checked against its own schema.
    Prints one line per problem (file or file:line, JSON pointer, reason).
    Exits 0 when all are valid, 1 when any is not, 2 on usage errors. Imports no
    spaCy.
    """
    files = files_to_check(paths)
    if not files:
        fail(ConfigError(f"no .json or .jsonl files in {', '.join(map(str, paths))}"))
    total = Checked()
    try:
        for checked in check_files(files, plugin_files, workers, allow_unknown):
            total.add(checked)
            for line in checked.lines:
                click.echo(line)
    except AnnotatorError as error:  # an installed plugin needed for a schema fails to load
        fail(error)
    for message, count in sorted(total.unchecked.items()):
        click.echo(f"note: {count} record(s): {message}", err=True)
    click.echo(f"{total.records} record(s) in {len(files)} file(s) checked, "
               f"{total.invalid} invalid", err=True)
    sys.exit(1 if total.invalid else 0)
