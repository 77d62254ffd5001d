"""The ``annotate`` command line, one module per command (as spaCy's ``spacy/cli``)."""

from . import compare, evaluate, export, plugins, run, schema, validate  # noqa: F401 (registers commands)
from .app import cli
from .config import read_config

__all__ = ["cli", "read_config"]
