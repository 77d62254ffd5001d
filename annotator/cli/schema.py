"""``annotate schema [NAME]``: print a published JSON Schema."""

from __future__ import annotations

import json

import click

from ..errors import ConfigError
from .app import cli, fail


@cli.command()
@click.argument("name", default="record.json")
def schema(name: str) -> None:
    """Print a published JSON Schema (default: the annotation record)."""
    from ..schema import load_schema

    try:
        click.echo(json.dumps(load_schema(name), indent=2, ensure_ascii=False))
    except (FileNotFoundError, IsADirectoryError):
        fail(ConfigError(f"no schema named {name!r}"))
