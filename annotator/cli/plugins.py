"""``annotate plugins``: list plugins, annotators, readers and exporters."""

from __future__ import annotations

import click

from ..errors import AnnotatorError
from ..plugins import annotator_classes, exporter_classes, plugin_manager, reader_classes
from .app import cli, fail


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
