"""The ``annotate`` command line, one module per command (as spaCy's ``spacy/cli``)."""

from . import (  # noqa: F401 (registers commands)
    compare,
    evaluate,
    export,
    new_plugin,
    plugins,
    run,
    schema,
    train,
    validate,
)
from .app import cli
from .config import read_config

__all__ = ["cli", "read_config"]
