"""``annotate schema [NAME]``: print a published JSON Schema or a plugin's attribute schema."""

from __future__ import annotations

import json
from typing import Any

import click

from ..errors import AnnotatorError, ConfigError
from .app import cli, fail


def known_schemas(plugin_files: tuple[str, ...]) -> dict[str, tuple[dict[str, Any], str]]:
    """Every schema by name, with where it comes from: published, or an installed plugin's
    ``attributes/<annotator>.json``."""
    from ..plugins import annotator_classes, plugin_manager
    from ..schema_catalog import published_schemas

    known = {name: (schema, "published") for name, schema in published_schemas().items()}
    for name, cls in annotator_classes(plugin_manager(plugin_files)).items():
        key = f"attributes/{name}.json"
        if cls.attributes_schema and key not in known:
            known[key] = (cls.attributes_schema, f"annotator {name!r}")
    return dict(sorted(known.items()))


@cli.command()
@click.argument("name", default="record.json")
@click.option("--list", "list_them", is_flag=True,
              help="List the schemas that exist (name, $id, source) instead.")
@click.option("--plugin", "plugin_files", multiple=True, type=click.Path(dir_okay=False),
              help="Also load a plugin from this Python file (repeatable).")
def schema(name: str, list_them: bool, plugin_files: tuple[str, ...]) -> None:
    """Print a JSON Schema: record.json (default), comparison.json, or the attribute
    schema of any annotator, published or installed (attributes/<annotator>.json).
    """
    from ..schema_catalog import published_schemas

    if not list_them and not plugin_files and name in published_schemas():
        click.echo(json.dumps(published_schemas()[name], indent=2, ensure_ascii=False))
        return
    try:
        known = known_schemas(plugin_files)
    except AnnotatorError as error:
        fail(error)
    if list_them:
        for key, (contents, source) in known.items():
            click.echo(f"{key}  {contents.get('$id', '(no $id)')}  ({source})")
        return
    if name not in known:
        fail(ConfigError(f"no schema named {name!r} (known: {', '.join(known)})"))
    click.echo(json.dumps(known[name][0], indent=2, ensure_ascii=False))
