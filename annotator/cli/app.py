"""The ``annotate`` command group and what every command shares: one-line errors."""

from __future__ import annotations

import sys

import click
from click_default_group import DefaultGroup

from .. import __version__
from ..errors import AnnotatorError


def fail(error: AnnotatorError, code: int = 2) -> None:
    """Print ``error`` as one line and exit with ``code`` (2: usage or configuration)."""
    click.echo(f"error: {error}", err=True)
    sys.exit(code)


def comma_list(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@click.group(cls=DefaultGroup, default="run", default_if_no_args=False)
@click.version_option(__version__, prog_name="annotate")
def cli() -> None:
    """Annotate news articles for source bias and framing.

    \b
    annotate seeds/                  annotate a folder into annotations/
    annotate validate annotations/   check annotation files against the schema
    annotate plugins                 list plugins and annotators
    """
