"""``annotate compare ANNOTATIONS_DIR``: compare outlets into a report."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import AnnotatorError
from ..run.output import write_atomically
from .app import cli, fail


@cli.command("compare")
@click.argument("annotations_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", default="report", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for report.html and comparison.json.")
@click.option("--model", help="spaCy pipeline for the labeling matrix (default: any installed).")
def compare_command(annotations_dir: Path, out_dir: Path, model: str | None) -> None:
    """Compare outlets: write OUT/report.html and OUT/comparison.json (see docs/compare.md)."""
    from ..compare import compare_event, comparison_problems, render_report
    from ..pipeline import load_nlp
    from ..records import iter_records

    try:
        records = [record for _, record in iter_records(annotations_dir)]
        comparison = compare_event(records, load_nlp(model))
    except AnnotatorError as error:
        fail(error)
    problems = comparison_problems(comparison)
    if problems:
        fail(AnnotatorError(f"comparison.json would not match its schema: {problems[0]}"), 1)
    write_atomically(out_dir / "comparison.json",
                     json.dumps(comparison, ensure_ascii=False, indent=2) + "\n")
    write_atomically(out_dir / "report.html", render_report(comparison, records))
    click.echo(f"{len(comparison['outlets'])} outlets, {len(comparison['alignments'])} aligned "
               f"claims and quotes: wrote {out_dir / 'report.html'} and "
               f"{out_dir / 'comparison.json'}")
