"""``annotate plugins``: each plugin with its package, version, hooks and what it registers."""

from __future__ import annotations

import json
from typing import Any

import click

from ..errors import AnnotatorError
from ..plugins import (
    CORE_DISTRIBUTION,
    PluginHost,
    annotator_classes,
    canonical,
    exporter_classes,
    plugin_manager,
    reader_classes,
)
from .app import cli, fail


def describe_plugins(manager: PluginHost) -> list[dict[str, Any]]:
    """One entry per plugin, by name: origin, hooks, and the classes each hook registered."""
    found = {
        "annotators": ("register_annotators", annotator_classes(manager)),
        "readers": ("register_readers", reader_classes(manager)),
        "exporters": ("register_exporters", exporter_classes(manager)),
    }
    described = []
    for name, plugin in sorted(manager.list_name_plugin()):
        origin = manager.origin(name)
        entry: dict[str, Any] = {
            "name": name,
            "package": origin.package,
            "version": origin.version,
            "file": origin.file,
            "builtin": canonical(origin.package or "") == CORE_DISTRIBUTION,
            "hooks": sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()),
        }
        for key, (hook, classes) in found.items():
            owners = manager.owners.get(hook, {})
            mine = [cls for cls_name, cls in classes.items() if owners.get(cls_name) == name]
            if mine:
                entry[key] = [class_entry(key, cls) for cls in mine]
        described.append(entry)
    return described


def class_entry(kind: str, cls: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": cls.name}
    if kind == "annotators":
        schema = cls.attributes_schema
        entry |= {"version": cls.version, "requires": list(cls.requires), "uses": list(cls.uses),
                  "attributes_schema": schema.get("$id") if schema else None}
    elif kind == "readers":
        entry["suffixes"] = list(cls.suffixes)
    else:
        entry["description"] = cls.description
    return entry


def plugin_lines(entry: dict[str, Any]) -> list[str]:
    if entry["package"]:
        builtin = ", built-in" if entry["builtin"] else ""
        where = f"{entry['package']} {entry['version']}{builtin}"
    else:
        where = f"file {entry['file']}" if entry["file"] else "registered in code"
    lines = [f"{entry['name']}  ({where})", f"  hooks: {', '.join(entry['hooks']) or 'none'}"]
    for annotator in entry.get("annotators", []):
        notes = [f"requires {', '.join(annotator['requires'])}"] if annotator["requires"] else []
        notes += [f"uses {', '.join(annotator['uses'])}"] if annotator["uses"] else []
        details = f"  ({'; '.join(notes)})" if notes else ""
        lines.append(f"  annotator {annotator['name']} {annotator['version']}{details}")
    for reader in entry.get("readers", []):
        lines.append(f"  reader {reader['name']}  {' '.join(reader['suffixes'])}")
    for exporter in entry.get("exporters", []):
        lines.append(f"  exporter {exporter['name']}  {exporter['description']}")
    return lines


@cli.command()
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Also load a plugin from this Python file (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead.")
def plugins(plugin_files: tuple[str, ...], as_json: bool) -> None:
    """List the plugins: package and version, hooks, and the annotators, readers and
    exporters each registers.

    ANNOTATOR_LOAD_PLUGINS chooses the third-party packages (unset: all; empty:
    none; a,b: only those); the built-ins always load.
    """
    try:
        described = describe_plugins(plugin_manager(plugin_files))
    except AnnotatorError as error:
        fail(error)
    if as_json:
        click.echo(json.dumps(described, indent=2))
        return
    for entry in described:
        click.echo("\n".join(plugin_lines(entry)))
