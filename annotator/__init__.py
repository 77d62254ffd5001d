"""Annotate news articles for source bias and framing.

Plugins import from here only; this is the public surface.
"""

from importlib.metadata import PackageNotFoundError, version

from .annotation import Annotation, Annotator, sub_span
from .article import Article, article_from_fields
from .data_file import read_data_file
from .errors import AnnotatorError, ConfigError, InputError, ModelError, PluginError
from .eval import Gold
from .exporter import Exporter, Records
from .hookspecs import hookimpl
from .prescan import PrescannedPattern, lowercase_for_prescan
from .quotes import Quote, find_quotes
from .reader import Reader, Source, decode
from .run.naming import FileNames
from .schema import load_schema
from .training import (
    TrainOptions,
    gold_formats,
    load_model,
    model_provenance,
    model_sha256,
    parse_texts,
    predict,
    predict_each,
    save_model,
    sentence_score,
    span_score,
    split_items,
    train_pipeline,
)

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
    "Exporter",
    "FileNames",
    "Gold",
    "InputError",
    "ModelError",
    "PluginError",
    "PrescannedPattern",
    "Quote",
    "Reader",
    "Records",
    "Source",
    "TrainOptions",
    "__version__",
    "article_from_fields",
    "decode",
    "find_quotes",
    "gold_formats",
    "hookimpl",
    "load_model",
    "load_schema",
    "lowercase_for_prescan",
    "model_provenance",
    "model_sha256",
    "parse_texts",
    "predict",
    "predict_each",
    "read_data_file",
    "save_model",
    "sentence_score",
    "span_score",
    "split_items",
    "sub_span",
    "train_pipeline",
]
