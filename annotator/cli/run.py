"""``annotate run PATH...``: annotate articles into JSON files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import AnnotatorError, ConfigError
from ..run.job import DEFAULT_TIMEOUT, FORMATS, Engine, Job
from ..run.output import OutputError, check_apart, check_writable, open_output
from ..run.pool import Executor, InProcess, WorkerPool
from ..run.summary import Summary
from .app import INTERRUPTED, cli, comma_list, fail
from .config import HOST_KEYS, read_config


def all_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_inputs(paths: tuple[str, ...]) -> None:
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise ConfigError(f"{missing[0]}: no such file or folder")


def setting(config: dict[str, Any], key: str, kind: type, minimum: float) -> Any:
    value = config.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"[tool.annotator] {key} must be a number >= {minimum:g}")
    return value


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path),
    default=Path("annotations"), show_default=True, help="Folder for the JSON files.",
)
@click.option("--model", help="spaCy pipeline package name or path, or 'blank' for the fast "
              "mode (default: any installed English pipeline with parser and NER).")
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Load a plugin from this Python file (repeatable).")
@click.option("--only", help="Run only these annotators (comma-separated), and those they use.")
@click.option("--disable", help="Do not run these annotators (comma-separated).")
@click.option("--lexicon", "lexicons", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra loaded-terms lexicon file (repeatable).")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file with a [tool.annotator] table (default: ./pyproject.toml).")
@click.option("--text-column", help="The text column of .csv/.tsv inputs (default: text).")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1),
              help="Articles per nlp.pipe batch (and per task for the workers).")
@click.option("--workers", type=click.IntRange(1),
              help="Worker processes, each loading the pipeline once (default: all cores; "
              "[tool.annotator] workers).")
@click.option("--scheduler", metavar="ADDRESS|local",
              help="Run on a Dask cluster (tcp://host:8786), or 'local' for a LocalCluster "
              "of --workers processes. Needs the [dask] extra.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="json",
              show_default=True,
              help="json: one file per article; jsonl: shards of 1,000 records a line each.")
@click.option("--force", is_flag=True,
              help="Annotate every article again, even those whose output is up to date.")
@click.option("--annotator-timeout", type=click.FloatRange(0),
              help=f"Seconds each annotator may take on one article; 0 for no limit "
              f"(default {DEFAULT_TIMEOUT:g}; [tool.annotator] annotator_timeout).")
@click.option("-q", "--quiet", is_flag=True, help="No summary table.")
def run(
    paths: tuple[str, ...], output: Path, model: str | None, plugin_files: tuple[str, ...],
    only: str | None, disable: str | None, lexicons: tuple[Path, ...], config_path: Path | None,
    text_column: str | None, batch_size: int, workers: int | None, scheduler: str | None,
    output_format: str, force: bool, annotator_timeout: float | None, quiet: bool,
) -> None:
    """Annotate PATHS (.txt, .md, .jsonl, .html, .csv, .tsv files, folders, or - for stdin).

    Articles whose output is already there, with the same text and provenance, are
    skipped (--force redoes them). Exits 0 when every article and annotator
    succeeded, 1 when any failed (the rest still ran and were written), 2 on usage
    or configuration errors, 130 when interrupted (what was finished is on disk).
    """
    from ..plugins import load_readers, plugin_manager
    from ..schema_catalog import write_schemas

    try:
        check_inputs(paths)
        config = read_config(config_path)
        check_writable(output)
        check_apart(paths, output)
        settings = {k: v for k, v in config.items() if k not in HOST_KEYS}
        if lexicons:
            terms = settings.setdefault("loaded_terms", {})
            terms["extra_lexicons"] = [*terms.get("extra_lexicons", []), *map(str, lexicons)]
        timeout = annotator_timeout
        if timeout is None:
            timeout = setting(config, "annotator_timeout", int | float, 0)
        workers = workers or setting(config, "workers", int, 1) or all_cores()
        chosen_only = comma_list(only) or config.get("only")
        chosen_disable = comma_list(disable) or config.get("disable")
        job = Job(
            model=model or config.get("model"),
            plugin_files=tuple(map(str, plugin_files)),
            only=tuple(chosen_only) if chosen_only else None,
            disable=tuple(chosen_disable) if chosen_disable else None,
            settings=settings,
            batch_size=batch_size,
            annotator_timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            output_format=output_format,
        )
        reader_settings = dict(config.get("readers") or {})
        if text_column:
            reader_settings["csv"] = {**reader_settings.get("csv", {}), "text_column": text_column}
        readers = load_readers(plugin_manager(plugin_files), reader_settings)
        engine = Engine(job)
        engine.expected_provenance  # noqa: B018 (the pipeline exists and serves the annotators)
        try:
            output.mkdir(parents=True, exist_ok=True)
            write_schemas(output, {a.name: a.attributes_schema for a in engine.annotators})
        except OSError as error:
            raise ConfigError(f"{output}: cannot create the output folder ({error.strerror})"
                              ) from None
        schemas = {a.name: a.attributes_schema for a in engine.annotators if a.attributes_schema}
        folder = open_output(output, output_format, paths, schemas, force)
    except AnnotatorError as error:
        fail(error)

    names = [a.name for a in engine.annotators]
    for annotator in engine.annotators:
        if job.only and annotator.name not in job.only:
            users = [a.name for a in engine.annotators if annotator.name in a.uses]
            click.echo(f"note: also running {annotator.name} (used by {', '.join(users)})",
                       err=True)

    def start(many: bool) -> Executor:
        if scheduler:
            from ..run.cluster import DaskCluster

            return DaskCluster(job, scheduler, workers, len(names))
        if workers > 1:  # plugins never run in this process, which must outlive them
            return WorkerPool(job, workers if many else 1, len(names))
        return InProcess(engine)

    from ..run.loop import Run

    summary = Summary(output, folder.summary_path, names)
    terminal = sys.stderr.isatty()

    def progress(summary: Summary) -> None:
        click.echo(f"\rAnnotating: {summary.written} written, {summary.unchanged} unchanged, "
                   f"{summary.failures} failure(s)", nl=False, err=True)

    def report(line: str) -> None:
        click.echo(("\n" if terminal else "") + line, err=True)

    loop = Run(engine, folder, summary, start, report, force,
               progress if terminal else None)
    code = 0
    try:
        loop.run(readers.read(paths))
    except KeyboardInterrupt:
        code = INTERRUPTED
    except OutputError as error:
        click.echo(f"{chr(10) if terminal else ''}error: {error}", err=True)
        code = 1
    except AnnotatorError as error:  # a worker could not load what the parent could
        fail(error)
    if terminal:
        click.echo(err=True)
    if not quiet and code == 0:
        click.echo(summary.table())
    if code == INTERRUPTED:
        click.echo("interrupted: ", nl=False, err=True)
    click.echo(summary.line(output, folder.committed), err=True)
    sys.exit(code or (1 if summary.failures else 0))
