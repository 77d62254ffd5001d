"""Annotate news articles for source bias and framing.

Plugins import from here only; this is the public surface.
"""

from importlib.metadata import PackageNotFoundError, version

from .annotation import Annotation, Annotator, sub_span
from .article import Article
from .data_file import read_data_file
from .errors import AnnotatorError, ConfigError, InputError, ModelError, PluginError
from .hookspecs import hookimpl
from .quotes import Quote, find_quotes
from .schema import load_schema

try:
    __version__ = version("annotator")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "Annotation",
    "Annotator",
    "AnnotatorError",
    "Article",
    "ConfigError",
    "InputError",
    "ModelError",
    "PluginError",
    "Quote",
    "__version__",
    "find_quotes",
    "hookimpl",
    "load_schema",
    "read_data_file",
    "sub_span",
]
