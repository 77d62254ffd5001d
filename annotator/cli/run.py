"""``annotate run PATH...``: annotate articles into JSON files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..article import Article
from ..errors import AnnotatorError, ConfigError, InputError
from ..plugins import load_annotators, load_readers, plugin_manager
from ..run.output import record_json, write_atomically
from .app import cli, comma_list, fail
from .config import HOST_KEYS, read_config


def output_path(out_dir: Path, article_id: str) -> Path:
    relative = Path(article_id + ".json")
    if relative.is_absolute() or ".." in relative.parts:
        raise InputError(f"{article_id!r}: article id is not a safe file name")
    return out_dir / relative


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path),
    default=Path("annotations"), show_default=True, help="Folder for the JSON files.",
)
@click.option("--model", help="spaCy pipeline package name or path (default: any installed "
              "English pipeline with parser and NER).")
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Load a plugin from this Python file (repeatable).")
@click.option("--only", help="Run only these annotators (comma-separated).")
@click.option("--disable", help="Do not run these annotators (comma-separated).")
@click.option("--lexicon", "lexicons", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra loaded-terms lexicon file (repeatable).")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file with a [tool.annotator] table (default: ./pyproject.toml).")
@click.option("--text-column", help="The text column of .csv/.tsv inputs (default: text).")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1),
              help="Articles per nlp.pipe batch.")
@click.option("-q", "--quiet", is_flag=True, help="No summary table.")
def run(
    paths: tuple[str, ...], output: Path, model: str | None, plugin_files: tuple[str, ...],
    only: str | None, disable: str | None, lexicons: tuple[Path, ...], config_path: Path | None,
    text_column: str | None, batch_size: int, quiet: bool,
) -> None:
    """Annotate PATHS (.txt, .md, .jsonl, .html, .csv, .tsv files, folders, or - for stdin).

    Exits 0 when every article and annotator succeeded, 1 when any failed (the
    rest still ran and were written), 2 on usage or configuration errors.
    """
    from ..pipeline import annotate_articles, check_requirements, load_nlp

    try:
        config = read_config(config_path)
        settings = {k: v for k, v in config.items() if k not in HOST_KEYS}
        if lexicons:
            terms = settings.setdefault("loaded_terms", {})
            terms["extra_lexicons"] = [*terms.get("extra_lexicons", []), *map(str, lexicons)]
        manager = plugin_manager(plugin_files)
        reader_settings = dict(config.get("readers") or {})
        if text_column:
            reader_settings["csv"] = {**reader_settings.get("csv", {}), "text_column": text_column}
        readers = load_readers(manager, reader_settings)
        annotators = load_annotators(
            manager,
            only=comma_list(only) or config.get("only"),
            disable=comma_list(disable) or config.get("disable"),
            settings=settings,
        )
        if not annotators:
            raise ConfigError("no annotators selected")
        nlp = load_nlp(model or config.get("model"))
        check_requirements(nlp, annotators)
    except AnnotatorError as error:
        fail(error)

    failures = 0
    articles: list[Article] = []
    seen: set[Path] = set()
    for item in readers.read(paths):
        try:
            if isinstance(item, InputError):
                raise item
            target = output_path(output, item.id)
            if target in seen:
                raise InputError(f"{item.source_path}: duplicate article id {item.id!r}, skipped")
            if len(item.text) > nlp.max_length:
                raise InputError(f"{item.source_path}: longer than {nlp.max_length} characters")
            seen.add(target)
            articles.append(item)
        except InputError as error:
            click.echo(f"error: {error}", err=True)
            failures += 1

    rows = []
    with click.progressbar(
        annotate_articles(articles, nlp, annotators, batch_size=batch_size),
        length=len(articles), label="Annotating", file=sys.stderr,
    ) as records:
        for record in records:
            write_atomically(output_path(output, record["article"]["id"]), record_json(record))
            for error in record["errors"]:
                click.echo(
                    f"error: {record['article']['source_path']}: annotator "
                    f"{error['annotator']!r} failed: {error['message']}", err=True,
                )
            failures += bool(record["errors"])
            rows.append(record)
    if rows and not quiet:
        click.echo(summary_table(rows, [a.name for a in annotators]))
    click.echo(f"{len(rows)} article(s) written to {output}/, {failures} failure(s)", err=True)
    sys.exit(1 if failures else 0)


def summary_table(records: list[dict[str, Any]], names: list[str]) -> str:
    """Annotations per annotator and errors, one row per article."""
    header = ["article", *names, "errors"]
    body = [
        [
            r["article"]["id"],
            *(str(sum(a["annotator"] == n for a in r["annotations"])) for n in names),
            str(len(r["errors"])),
        ]
        for r in records
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        for row in [header, *body]
    )
