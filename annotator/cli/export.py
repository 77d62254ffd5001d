"""``annotate export FORMAT ANNOTATIONS -o OUT``: annotation records into other tools' formats."""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from ..atomic import Commit, overlaps
from ..errors import AnnotatorError, ConfigError, InputError, PluginError
from ..exporter import Records
from ..outlets import read_aliases
from ..plugins import exporter_classes, instantiate, plugin_manager
from ..records import iter_records, record_paths
from ..thresholds import Thresholds
from .app import cli, fail
from .config import read_config


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


def refuse_overlap(output: Path, annotations: Path) -> None:
    """A ConfigError when ``output`` is, holds or lies inside the records folder."""
    if overlaps(output, annotations):
        raise ConfigError(f"{output}: the export folder overlaps the records in {annotations} "
                          "(choose a folder outside them)")


def is_record_file(path: Path) -> bool:
    """Whether ``path`` (a ``.json`` or ``.jsonl`` file) starts with an annotation record."""
    try:
        with path.open("rb") as handle:
            first = handle.readline() if path.suffix == ".jsonl" else handle.read()
        data = json.loads(first)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and {"article", "annotations"} <= set(data)


def refuse_replacing(output: Path, force: bool) -> None:
    """A ConfigError unless ``output`` may be replaced: absent or empty, or --force and
    no annotation records in it (--force replaces an export, never records)."""
    if output.exists() and not output.is_dir():
        raise ConfigError(f"{output}: exists and is not a folder")
    if not output.exists() or not any(output.iterdir()):
        return
    if not force:
        raise ConfigError(f"{output}: folder is not empty (use --force to replace it)")
    held = next((p for p in record_paths(output) if is_record_file(p)), None)
    if held is not None:
        raise ConfigError(f"{output}: holds annotation records ({held}); --force replaces an "
                          "export, never records")


class StagedExport:
    """An export written to a staging folder beside ``output``, then put in place by one
    journalled ``Commit``: ``output`` holds the previous export or the new one, never a mix.

    The staging area is ``.<output name>.annotator-export/`` beside ``output``; a commit
    cut short is finished, and a staging folder left by a killed export removed, by the
    next export to ``output``.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.area = output.parent / f".{output.name}.annotator-export"
        self.area.mkdir(parents=True, exist_ok=True)
        self.journal = self.area / "commit.json"
        Commit.finish_interrupted(output.parent, self.journal)
        for stale in self.area.glob("stage-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.stage = Path(tempfile.mkdtemp(prefix="stage-", dir=self.area))

    def commit(self) -> None:
        """Move every staged file into ``output`` and remove what the new export lacks."""
        new = {p.relative_to(self.stage) for p in self.stage.rglob("*") if not p.is_dir()}
        folders = {parent for path in new for parent in path.parents}
        commit = Commit(self.output.parent, self.journal)
        replaced = self.area / "replaced"
        aside, removals = self._old_entries(new, folders)
        for path in aside:  # moved first, so a staged file or folder can take its place
            commit.move(self.output / path, replaced / path)
        for path in sorted(new):
            commit.move(self.stage / path, self.output / path)
        for path in [*(self.output / p for p in removals), replaced, self.stage]:
            commit.remove(path)
        self.output.mkdir(exist_ok=True)
        commit.run()
        self.discard()

    def _old_entries(self, new: set[Path], folders: set[Path]
                     ) -> tuple[list[Path], list[Path]]:
        """What ``output`` holds that staged files do not overwrite: entries of the wrong
        kind (a file where a folder goes, or the reverse), and entries to remove."""
        aside: list[Path] = []
        removals: list[Path] = []
        pending = [self.output] if self.output.is_dir() else []
        while pending:
            for entry in sorted(pending.pop().iterdir()):
                relative = entry.relative_to(self.output)
                is_folder = entry.is_dir() and not entry.is_symlink()
                if is_folder and relative in folders:
                    pending.append(entry)
                elif relative in (new if is_folder else folders):
                    aside.append(relative)
                elif relative not in new:
                    removals.append(relative)
        return aside, removals

    def discard(self) -> None:
        """Remove the staging folder, unless a commit cut short still needs it (its journal
        is there: the next export finishes it)."""
        if self.journal.exists():
            return
        shutil.rmtree(self.stage, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.area.rmdir()


@cli.command("export", cls=ExportCommand)
@click.argument("fmt", metavar="FORMAT")
@click.argument("annotations", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Folder to write (created; must be empty unless --force; never the records "
              "folder, inside it or around it).")
@click.option("--force", is_flag=True,
              help="Replace a non-empty output folder (never one holding annotation records).")
@click.option("-s", "--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="An exporter setting (repeatable; VALUE is JSON or a plain string).")
@click.option("--min-probability", "thresholds", multiple=True, metavar="[ANNOTATOR=]P",
              help="Leave out spans with a probability below P, of ANNOTATOR or of every "
              "annotator (repeatable; spans without a probability are kept).")
@click.option("--events", "events_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON object mapping article id to event id (annotate compare's events.json); "
              "the event column, over the articles' own event field.")
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Load a plugin from this Python file (repeatable).")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML file with a [tool.annotator] table (default: ./pyproject.toml); "
              "settings under [tool.annotator.exporters.FORMAT], outlet aliases under "
              "[tool.annotator.outlets].")
def export_command(
    fmt: str, annotations: Path, output: Path, force: bool, settings: tuple[str, ...],
    thresholds: tuple[str, ...], events_file: Path | None, plugin_files: tuple[str, ...],
    config_path: Path | None,
) -> None:
    """Export the annotation records under ANNOTATIONS in FORMAT to the folder OUTPUT.

    The export is written to a staging folder beside OUTPUT and put in place by one
    journalled commit, so OUTPUT holds the previous export or the new one, never a mix.
    Exits 0 on success, 1 when a record cannot be read or the exporter fails, 2 on usage
    or configuration errors (an unknown FORMAT lists the known ones), before anything is
    written. Formats, columns and offsets: docs/export.md.
    """
    try:
        refuse_overlap(output, annotations)
        classes = exporter_classes(plugin_manager(plugin_files))
        if fmt not in classes:
            raise ConfigError(f"unknown format {fmt!r} (known: {', '.join(classes) or 'none'})")
        refuse_replacing(output, force)
        config = read_config(config_path)
        configured = config.get("exporters", {}).get(fmt, {})
        exporter = instantiate(classes[fmt], {**configured, **dict(map(parse_setting, settings))})
        records = Records(annotations, Thresholds.parse(thresholds), read_aliases(config),
                          read_events(events_file))
        next(iter_records(annotations))  # an empty folder fails before anything is written
    except InputError as error:
        fail(error, 1)
    except AnnotatorError as error:
        fail(error)
    try:
        staged = StagedExport(output)
    except OSError as error:
        fail(ConfigError(f"{output}: cannot write the export ({error.strerror})"), 1)
    try:
        exporter.export(records, staged.stage)
        staged.commit()
    except AnnotatorError as error:
        staged.discard()
        fail(error, 1)
    except OSError as error:
        staged.discard()
        fail(ConfigError(f"{error.filename or output}: cannot write the export "
                         f"({error.strerror}); {output} is as it was"), 1)
    except Exception as error:
        staged.discard()
        fail(PluginError(f"exporter {fmt!r} failed: {type(error).__name__}: {error}"), 1)
    except BaseException:
        staged.discard()
        raise
    click.echo(f"{fmt}: wrote {output}/", err=True)
    sys.exit(0)


def read_events(path: Path | None) -> dict[str, str]:
    """The ``--events`` file (article id -> event id), read as ``annotate compare`` reads it."""
    if path is None:
        return {}
    from ..compare.events import read_event_file  # compare's imports are heavy: only when asked

    return read_event_file(path)
