"""The ``annotate`` command group and what every command shares: one-line errors."""

from __future__ import annotations

import sys

import click
from click_default_group import DefaultGroup

from .. import __version__
from ..errors import AnnotatorError, ConfigError
from ..plugins import MODEL_EXTRA


def fail(error: AnnotatorError, code: int = 2) -> None:
    """Print ``error`` as one line and exit with ``code`` (2: usage or configuration)."""
    click.echo(f"error: {error}", err=True)
    sys.exit(code)


def comma_list(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


# Top-level modules of the nlp extra: a command that needs one says how to install it.
NLP_MODULES = frozenset({"pebble", "rapidfuzz", "sklearn", "spacy", "thinc", "vaderSentiment"})


INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


class Group(DefaultGroup):
    """The command group: a missing annotation dependency is one line naming the extra, and
    Ctrl-C before a command's own handling (loading the model, say) is one line too."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as error:
            if (error.name or "").split(".")[0] not in NLP_MODULES:
                raise
            fail(ConfigError(f"this command needs {error.name}, which the plain 'annotator' "
                             f"install leaves out: {MODEL_EXTRA}"))
        except KeyboardInterrupt:
            click.echo(("\n" if sys.stderr.isatty() else "") + "interrupted", err=True)
            sys.exit(INTERRUPTED)


@click.group(cls=Group, default="run", default_if_no_args=False)
@click.version_option(__version__, prog_name="annotate")
def cli() -> None:
    """Annotate news articles for source bias and framing.

    \b
    annotate seeds/                  annotate a folder into annotations/
    annotate validate annotations/   check annotation files against the schema
    annotate plugins                 list plugins and annotators
    annotate new-plugin NAME         start a plugin package

    \b
    Documentation: README.md and docs/ in the source repository; plugins:
    docs/writing-plugins.md (walk-through) and docs/hooks.md (reference).
    """
