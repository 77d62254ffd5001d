"""``annotate eval GOLD_DIR``: score annotators against a gold corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import AnnotatorError
from ..eval import FORMATS
from .app import cli, fail


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Gold format (default: detected from the folder's layout).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", type=click.IntRange(1), help="Score only the first N gold items.")
@click.option("--model", help="spaCy pipeline package name or path.")
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Load a plugin from this Python file (repeatable).")
@click.option("--label-map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML mapping gold labels to ours (default: the packaged label_maps.yaml).")
def eval_command(
    gold_dir: Path, fmt: str | None, as_json: bool, limit: int | None, model: str | None,
    plugin_files: tuple[str, ...], label_map: Path | None,
) -> None:
    """Score annotators against a gold corpus.

    Prints a P/R/F1 table (or --json); formats, metrics and the label mapping are
    described in docs/eval.md. Exits 2 on a bad gold folder or configuration.
    """
    from ..eval import evaluate, load_label_maps, read_gold

    try:
        config = load_label_maps(label_map)
        gold = read_gold(gold_dir, fmt, limit, config)
        with click.progressbar(length=len(gold.items), label="Scoring", file=sys.stderr) as bar:
            report = evaluate(gold, model, config, plugin_files, progress=bar.update)
    except AnnotatorError as error:
        fail(error)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.table())
