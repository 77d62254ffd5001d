"""``annotate compare ANNOTATIONS_DIR``: compare outlets across events into a report."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import AnnotatorError, ConfigError
from .app import cli, fail
from .config import read_config
from .run import all_cores, setting


@cli.command("compare")
@click.argument("annotations_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", default="report", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for report.html, comparison.json, events.json and events/.")
@click.option("--model", help="spaCy pipeline for the labeling matrix (default: any installed).")
@click.option("--events", "events_file", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="JSON object mapping article id to event id; overrides "
              "the articles' event field and the automatic grouping (e.g. an edited events.json).")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file whose [tool.annotator.outlets] maps outlet aliases to names "
              "(default: ./pyproject.toml).")
@click.option("--seed", type=int, help="Seed of the bootstrap intervals (default: a fixed one).")
@click.option("--resamples", type=click.IntRange(100),
              help="Bootstrap resamples per interval (default: 2000).")
@click.option("--workers", type=click.IntRange(1),
              help="Processes comparing events side by side, each loading the pipeline once "
              "(default: all cores; [tool.annotator] workers). The files do not depend on it.")
@click.option("--accuracy", "accuracy_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Accuracy file from annotate eval --accuracy-out (repeatable), shown beside "
              "each metric (default: the accuracy measured for the built-in annotators).")
@click.option("--min-probability", "thresholds", multiple=True, metavar="[ANNOTATOR=]P",
              help="Leave out spans with a probability below P, of ANNOTATOR or of every "
              "annotator (repeatable; spans without a probability are kept), as export does.")
def compare_command(annotations_dir: Path, out_dir: Path, model: str | None,
                    events_file: Path | None, config_path: Path | None, seed: int | None,
                    resamples: int | None, workers: int | None,
                    accuracy_files: tuple[Path, ...], thresholds: tuple[str, ...]) -> None:
    """Compare outlets across the events in ANNOTATIONS_DIR (see docs/compare.md).

    Groups the articles into events (their event field, --events, else from the
    texts), compares the outlets within each event, and profiles each outlet over
    events with bootstrap intervals. Writes OUT/comparison.json, OUT/events.json
    (article id -> event), OUT/report.html (the index, or the event's page when there
    is one event), OUT/events/*.html and the profile as OUT/profile.csv,
    OUT/profile.parquet and OUT/differences.csv. Each metric shows its annotator's
    measured precision (--accuracy). Exit 1 if the comparison would not match
    its schema, 2 on bad input or usage.
    """
    from ..compare.events import read_event_file
    from ..compare.output import ComparisonInvalid
    from ..compare.run import run_compare
    from ..outlets import read_aliases
    from ..thresholds import Thresholds
    try:
        config = read_config(config_path)
        aliases = read_aliases(config)
        workers = workers or setting(config, "workers", int, 1) or all_cores()
        overrides = read_event_file(events_file) if events_file else None
        summary = run_compare(annotations_dir, out_dir, model, workers, aliases, overrides,
                              seed, resamples, list(accuracy_files) or None,
                              Thresholds.parse(thresholds))
    except ComparisonInvalid as error:
        fail(error, 1)
    except AnnotatorError as error:
        fail(error)
    except OSError as error:  # disk full, no permission: the report folder is as it was
        fail(ConfigError(f"{error.filename or out_dir}: cannot write the report "
                         f"({error.strerror}); {out_dir} is as it was"), 1)
    click.echo(summary)
