"""``annotate eval GOLD_DIR``: score annotators against a gold corpus."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from ..errors import AnnotatorError
from ..eval import FORMATS
from .app import cli, fail
from .config import HOST_KEYS, read_config


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
@click.option("--split", type=click.Choice(("dev", "train")),
              help="Score only the dev (or training) items of annotate train's split.")
@click.option("--dev-fraction", default=0.2, show_default=True,
              type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="The dev share that --split uses (as given to annotate train).")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file with [tool.annotator.NAME] settings (default: ./pyproject.toml).")
@click.option("--accuracy-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the scores as an accuracy file (precision with a 95% interval, "
              "the gold set, this command) for annotate compare --accuracy.")
def eval_command(
    gold_dir: Path, fmt: str | None, as_json: bool, limit: int | None, model: str | None,
    plugin_files: tuple[str, ...], label_map: Path | None, split: str | None,
    dev_fraction: float, config_path: Path | None, accuracy_out: Path | None,
) -> None:
    """Score annotators against a gold corpus.

    Prints a P/R/F1 table (or --json); formats, metrics and the label mapping are
    described in docs/eval.md. Annotators with learned parts are scored a second time
    without them (rows marked "baseline"). Exits 2 on a bad gold folder or configuration.
    """
    from ..eval import evaluate, load_label_maps, read_gold
    from ..training import split_items

    try:
        config = load_label_maps(label_map)
        settings = {k: v for k, v in read_config(config_path).items() if k not in HOST_KEYS}
        gold = read_gold(gold_dir, fmt, None, config)
        if split:
            train, dev = split_items(gold.items, dev_fraction)
            gold.items = dev if split == "dev" else train
            gold.notes.append(f"--split {split}: {len(gold.items)} items "
                              f"(dev fraction {dev_fraction}, by a hash of each item id)")
        if limit is not None and len(gold.items) > limit:
            total = len(gold.items)
            gold.notes.append(f"--limit {limit}: scored the first {limit} of {total} items")
            gold.items = gold.items[:limit]
        with click.progressbar(length=len(gold.items), label="Scoring", file=sys.stderr) as bar:
            report = evaluate(
                gold, model, config, plugin_files, progress=bar.update, settings=settings
            )
    except AnnotatorError as error:
        fail(error)
    if accuracy_out:
        from ..accuracy import accuracy_document
        from ..atomic import write_atomically
        command = shlex.join(["annotate", "eval", gold_dir.name,
                              *(["--format", fmt] if fmt else []),
                              *(["--split", split, "--dev-fraction", str(dev_fraction)]
                                if split else []),
                              *(["--limit", str(limit)] if limit else [])])
        write_atomically(accuracy_out, json.dumps(accuracy_document(report.as_dict(), command),
                                                  ensure_ascii=False, indent=2) + "\n")
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.table())
