"""``annotate export FORMAT ANNOTATIONS -o OUT``: annotation records into other tools' formats."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..errors import AnnotatorError, ConfigError, InputError, PluginError
from ..plugins import exporter_classes, instantiate, plugin_manager
from ..records import iter_records
from .app import cli, fail
from .config import read_config


class RecordFolder:
    """The valid annotation records of a folder, read lazily; every pass reads them again,
    with a progress bar on a terminal."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.passes = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.passes += 1
        records = (record for _, record in iter_records(self.folder))
        label = "Exporting" if self.passes == 1 else f"Exporting (pass {self.passes})"
        with click.progressbar(records, label=label, file=sys.stderr) as bar:
            yield from bar


class ExportCommand(click.Command):
    """``--help`` ends with the installed formats (loading the plugins only then)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        try:
            rows = [(n, c.description) for n, c in exporter_classes(plugin_manager()).items()]
        except AnnotatorError as error:
            rows = [("?", f"plugins failed to load: {error}")]
        with formatter.section("Formats"):
            formatter.write_dl(rows)
        super().format_epilog(ctx, formatter)


def parse_setting(value: str) -> tuple[str, Any]:
    key, sep, raw = value.partition("=")
    if not sep or not key:
        raise ConfigError(f"--set {value!r}: expected KEY=VALUE")
    try:
        return key, json.loads(raw)
    except json.JSONDecodeError:
        return key, raw


def replace_folder(staged: Path, output: Path) -> None:
    """Put the finished ``staged`` folder at ``output``, replacing what is there."""
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        output.rename(old)
        staged.rename(output)
        shutil.rmtree(old)
    else:
        staged.rename(output)


@cli.command("export", cls=ExportCommand)
@click.argument("fmt", metavar="FORMAT")
@click.argument("annotations", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Folder to write (created; must be empty unless --force).")
@click.option("--force", is_flag=True, help="Replace a non-empty output folder.")
@click.option("-s", "--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="An exporter setting (repeatable; VALUE is JSON or a plain string).")
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Load a plugin from this Python file (repeatable).")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file with a [tool.annotator] table (default: ./pyproject.toml); "
              "settings under [tool.annotator.exporters.FORMAT].")
def export_command(
    fmt: str, annotations: Path, output: Path, force: bool, settings: tuple[str, ...],
    plugin_files: tuple[str, ...], config_path: Path | None,
) -> None:
    """Export the annotation records under ANNOTATIONS in FORMAT to the folder OUTPUT.

    The whole export is written to a temporary folder first and moved into place at
    the end, so OUTPUT never holds half an export. Exits 0 on success, 1 when a
    record cannot be read, 2 on usage or configuration errors (an unknown FORMAT
    lists the known ones). Formats and offsets: docs/export.md.
    """
    try:
        classes = exporter_classes(plugin_manager(plugin_files))
        if fmt not in classes:
            raise ConfigError(f"unknown format {fmt!r} (known: {', '.join(classes) or 'none'})")
        if output.exists() and not output.is_dir():
            raise ConfigError(f"{output}: exists and is not a folder")
        if output.exists() and any(output.iterdir()) and not force:
            raise ConfigError(f"{output}: folder is not empty (use --force to replace it)")
        configured = read_config(config_path).get("exporters", {}).get(fmt, {})
        exporter = instantiate(classes[fmt], {**configured, **dict(map(parse_setting, settings))})
        next(iter_records(annotations))  # an empty folder fails before anything is written
        records = RecordFolder(annotations)
    except InputError as error:
        fail(error, 1)
    except AnnotatorError as error:
        fail(error)
    output.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        exporter.export(records, staged)
    except AnnotatorError as error:
        shutil.rmtree(staged)
        fail(error, 1)
    except Exception as error:
        shutil.rmtree(staged)
        fail(PluginError(f"exporter {fmt!r} failed: {type(error).__name__}: {error}"), 1)
    except BaseException:
        shutil.rmtree(staged)
        raise
    os.chmod(staged, 0o755)  # mkdtemp creates 0700; an export is a shared folder
    replace_folder(staged, output)
    click.echo(f"{fmt}: wrote {output}/", err=True)
    sys.exit(0)
