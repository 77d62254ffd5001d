"""``annotate validate PATH...``: check annotation files against the schema."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from ..errors import AnnotatorError, ConfigError
from ..plugins import annotator_classes, plugin_manager
from .app import cli, fail


def json_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return found


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Also load attribute schemas from this plugin file.")
def validate(paths: tuple[Path, ...], plugin_files: tuple[str, ...]) -> None:
    """Check annotation files (or folders of them) against the schema.

    Beyond the JSON Schema: sha256 and length of the text, every offset in
    range and equal to its slice, sorted annotations, and known annotator
    names. Prints one line per problem (file, JSON pointer, reason). Exits 0
    when all are valid, 1 when any is not, 2 on usage errors. Needs no spaCy
    pipeline.
    """
    from ..schema import file_problems

    try:
        classes = annotator_classes(plugin_manager(plugin_files))
    except AnnotatorError as error:
        fail(error)
    schemas = {n: c.attributes_schema for n, c in classes.items() if c.attributes_schema}
    files = json_files(paths)
    if not files:
        fail(ConfigError(f"no .json files in {', '.join(map(str, paths))}"))
    invalid = 0
    for file in files:
        problems = file_problems(file, schemas)
        invalid += bool(problems)
        for problem in problems:
            click.echo(problem.line(str(file)))
    click.echo(f"{len(files)} file(s) checked, {invalid} invalid", err=True)
    sys.exit(1 if invalid else 0)
