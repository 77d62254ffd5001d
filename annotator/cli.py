"""The ``annotate`` command line."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from click_default_group import DefaultGroup

from . import __version__
from .article import Article
from .errors import AnnotatorError, ConfigError, InputError
from .plugins import (
    annotator_classes,
    exporter_classes,
    load_annotators,
    load_readers,
    plugin_manager,
    reader_classes,
)

CONFIG_TABLE = ("tool", "annotator")
HOST_KEYS = ("only", "disable", "model", "readers", "outlets")  # the rest: annotator tables


def comma_list(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def read_config(path: Path | None) -> dict[str, Any]:
    """The ``[tool.annotator]`` table of ``path``, or of ./pyproject.toml when it has one."""
    if path is None:
        path = Path("pyproject.toml")
        if not path.is_file():
            return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration ({error})") from error
    for key in CONFIG_TABLE:
        data = data.get(key, {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.annotator] must be a table")
    return data


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder and a rename: never a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(handle.name, 0o644)  # NamedTemporaryFile creates 0600; outputs are shared files
    os.replace(handle.name, path)


def record_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def output_path(out_dir: Path, article_id: str) -> Path:
    relative = Path(article_id + ".json")
    if relative.is_absolute() or ".." in relative.parts:
        raise InputError(f"{article_id!r}: article id is not a safe file name")
    return out_dir / relative


def fail(error: AnnotatorError, code: int = 2) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(code)


@click.group(cls=DefaultGroup, default="run", default_if_no_args=False)
@click.version_option(__version__, prog_name="annotate")
def cli() -> None:
    """Annotate news articles for source bias and framing.

    \b
    annotate seeds/                  annotate a folder into annotations/
    annotate validate annotations/   check annotation files against the schema
    annotate plugins                 list plugins and annotators
    """


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
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1),
              help="Articles per nlp.pipe batch.")
@click.option("-q", "--quiet", is_flag=True, help="No summary table.")
def run(
    paths: tuple[str, ...], output: Path, model: str | None, plugin_files: tuple[str, ...],
    only: str | None, disable: str | None, lexicons: tuple[Path, ...], config_path: Path | None,
    batch_size: int, quiet: bool,
) -> None:
    """Annotate PATHS (.txt, .md, .jsonl files, folders, or - for stdin) into JSON files.

    Exits 0 when every article and annotator succeeded, 1 when any failed (the
    rest still ran and were written), 2 on usage or configuration errors.
    """
    from .pipeline import annotate_articles, check_requirements, load_nlp

    try:
        config = read_config(config_path)
        settings = {k: v for k, v in config.items() if k not in HOST_KEYS}
        if lexicons:
            terms = settings.setdefault("loaded_terms", {})
            terms["extra_lexicons"] = [*terms.get("extra_lexicons", []), *map(str, lexicons)]
        manager = plugin_manager(plugin_files)
        readers = load_readers(manager, config.get("readers"))
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
    from .schema import file_problems

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


@cli.command()
def plugins() -> None:
    """List the loaded plugins with their annotators, readers and exporters."""
    try:
        manager = plugin_manager()
        classes = annotator_classes(manager)
        readers = reader_classes(manager)
        exporters = exporter_classes(manager)
    except AnnotatorError as error:
        fail(error)
    click.echo("plugins:")
    for name, plugin in sorted(manager.list_name_plugin()):
        click.echo(f"  {name}  ({getattr(plugin, '__name__', type(plugin).__name__)})")
    click.echo("annotators:")
    for name, cls in classes.items():
        requires = f"  requires {', '.join(cls.requires)}" if cls.requires else ""
        click.echo(f"  {name} {cls.version}{requires}")
    click.echo("readers:")
    for name, reader in readers.items():
        click.echo(f"  {name}  {' '.join(reader.suffixes)}")
    click.echo("exporters:")
    for name, exporter in exporters.items():
        click.echo(f"  {name}  {exporter.description}")


@cli.command()
@click.argument("name", default="record.json")
def schema(name: str) -> None:
    """Print a published JSON Schema (default: the annotation record)."""
    from .schema import load_schema

    try:
        click.echo(json.dumps(load_schema(name), indent=2, ensure_ascii=False))
    except (FileNotFoundError, IsADirectoryError):
        fail(ConfigError(f"no schema named {name!r}"))


@cli.command("compare")
@click.argument("annotations_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", default="report", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for report.html and comparison.json.")
@click.option("--model", help="spaCy pipeline for the labeling matrix (default: any installed).")
def compare_command(annotations_dir: Path, out_dir: Path, model: str | None) -> None:
    """Compare outlets: write OUT/report.html and OUT/comparison.json (see docs/compare.md)."""
    from .compare import compare_event, comparison_problems, render_report
    from .pipeline import load_nlp
    from .records import iter_records

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


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.option("--format", "fmt",
              type=click.Choice(("brat", "ptc", "sentences", "newsmtsc", "vader")),
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
    from .evaluation import evaluate, load_label_maps, read_gold

    try:
        config = load_label_maps(label_map)
        gold = read_gold(gold_dir, fmt, limit)
        with click.progressbar(length=len(gold.items), label="Scoring", file=sys.stderr) as bar:
            report = evaluate(gold, model, config, plugin_files, progress=bar.update)
    except AnnotatorError as error:
        fail(error)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.table())
