"""``annotate new-plugin NAME``: start a plugin package from the template."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import AnnotatorError, ConfigError
from .app import cli, fail


@cli.command("new-plugin")
@click.argument("name")
@click.option("-o", "--output", "parent", default=Path("."), show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to create the package folder in.")
def new_plugin(name: str, parent: Path) -> None:
    """Write a plugin package annotator-NAME: pyproject with the entry point, an
    annotator, its attributes schema, tests using annotator.testing and a CI
    workflow. Its tests pass as written (pip install -e '.[test]' && pytest).
    """
    from ..plugin_template import PluginNames, write_plugin
    from ..plugins import annotator_classes, plugin_manager

    try:
        names = PluginNames.parse(name)
        if names.annotator in annotator_classes(plugin_manager()):
            raise ConfigError(f"an annotator named {names.annotator!r} is already installed; "
                              "annotator names must be unique")
        written = write_plugin(names, parent)
    except AnnotatorError as error:
        fail(error)
    root = parent / names.package
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"\nnext: cd {root} && pip install -e '.[test]' && python -m pytest", err=True)
