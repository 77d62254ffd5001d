"""``annotate train NAME GOLD_DIR...``: train an annotator's learned parts on gold."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import AnnotatorError, ConfigError
from ..eval import FORMATS
from ..plugins import annotator_classes, plugin_manager
from .app import cli, fail


@cli.command("train")
@click.argument("name")
@click.argument("gold_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the trained model (point [tool.annotator.NAME] model at it).")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
@click.option("--dev-fraction", default=0.2, show_default=True,
              type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Share of gold items held out as the dev set (by a hash of the item id).")
@click.option("--epochs", type=click.IntRange(1), help="Epochs (default: the config's).")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Gold format of every GOLD_DIR (default: detected from each layout).")
@click.option("--limit", type=click.IntRange(1), help="Use only the first N items of each.")
@click.option("--model", help="spaCy pipeline that parses the gold texts (default: any "
              "installed English pipeline; use the one you annotate with).")
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Load a plugin from this Python file (repeatable).")
def train_command(
    name: str, gold_dirs: tuple[Path, ...], output: Path, seed: int, dev_fraction: float,
    epochs: int | None, fmt: str | None, limit: int | None, model: str | None,
    plugin_files: tuple[str, ...],
) -> None:
    """Train annotator NAME's learned parts on gold folders (the formats annotate eval reads).

    \b
    annotate train attribution ../shared/gold/polnear-train -o models/attr

    Seeded and reproducible; shows progress and the dev-set score after each epoch
    (docs/training.md). Exits 2 on a bad gold folder, an unknown annotator or one that
    cannot be trained.
    """
    from ..eval import read_gold
    from ..training import TrainOptions

    try:
        classes = annotator_classes(plugin_manager(plugin_files))
        if name not in classes:
            raise ConfigError(f"unknown annotator {name!r} (known: {', '.join(classes)})")
        trainer = getattr(classes[name], "train", None)
        if not callable(trainer):
            raise ConfigError(f"annotator {name!r} has nothing to train (no train method)")
        golds = [read_gold(path, fmt, limit) for path in gold_dirs]
        trainer(golds, TrainOptions(output, seed, dev_fraction, epochs, model))
    except AnnotatorError as error:
        fail(error)
    click.echo(f"wrote {output}/", err=True)
