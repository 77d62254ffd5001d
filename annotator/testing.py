"""Helpers for testing plugins: run annotators on a text, fake an installed plugin package.

They work in any test framework (no pytest import)::

    from annotator.testing import run_annotator

    def test_finds_the_claim():
        [claim] = run_annotator(NumericClaims, "It cost $5.", nlp="installed")
        assert claim["text"] == "$5"
"""

from __future__ import annotations

import importlib.metadata
import sys
import types
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from . import plugins
from .annotation import Annotator, read_only
from .article import Article
from .errors import ModelError
from .schema import record_problems

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["FakeDistribution", "annotate_text", "fake_distribution", "installed_annotators",
           "installed_plugins", "load_pipeline", "run_annotator"]


@cache
def load_pipeline(nlp: str = "blank") -> Language:
    """A spaCy pipeline, loaded once per process.

    ``"blank"``: blank English with a sentencizer (tokens and sentences only, as
    the tool's fallback); ``"installed"``: the installed trained English
    pipeline (a ModelError when there is none); anything else: a package name or
    path for ``spacy.load``.
    """
    import spacy

    from .pipeline import find_english_pipeline, load_nlp

    if nlp == "blank":
        blank = spacy.blank("en")
        blank.add_pipe("sentencizer")
        return blank
    if nlp == "installed":
        name = find_english_pipeline()
        if name is None:
            raise ModelError("no trained English spaCy pipeline is installed "
                             "(pip install 'annotator[model]')")
        return load_nlp(name)
    return load_nlp(nlp)


def annotate_text(
    text: str | Article,
    annotators: list[type[Annotator]],
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    nlp: str | Language = "blank",
) -> dict[str, Any]:
    """The output record of ``annotators`` (classes) on ``text``, checked as by ``validate``.

    Every annotator the classes use, directly or not, comes from the installed
    plugins (a class given here replaces an installed one of the same name), and
    they run in the host's order. ``settings`` maps annotator names to their
    settings, type-checked as in a run. ``nlp`` is a spaCy ``Language`` or a name
    for :func:`load_pipeline`. Returns the record as it would be written. An
    exception inside an annotator propagates with its traceback; a record that
    ``annotate validate`` would reject (including attributes breaking the
    annotator's ``attributes_schema``) raises AssertionError listing the problems.
    """
    from .pipeline import annotator_records, article_record, check_requirements, run_provenance

    article = text if isinstance(text, Article) else Article(id="test", text=text)
    language = load_pipeline(nlp) if isinstance(nlp, str) else nlp
    classes = {cls.name: cls for cls in annotators}
    if any(cls.uses for cls in annotators):
        classes = {**plugins.annotator_classes(plugins.plugin_manager()), **classes}
    order = plugins.run_order(classes, plugins.with_used(classes, [c.name for c in annotators]))
    settings = settings or {}
    instances = [plugins.instantiate(classes[name], dict(settings.get(name, {})))
                 for name in order]
    check_requirements(language, instances)
    doc = language(article.text)
    record = article_record(article, doc, instances, run_provenance(language, instances))
    for error in record["errors"]:
        annotator = next(a for a in instances if a.name == error["annotator"])
        if not error["message"].startswith("not run:"):
            used = {name: read_only([a for a in record["annotations"] if a["annotator"] == name])
                    for name in annotator.uses}
            annotator_records(annotator, article, doc, used)  # raises with the real traceback
        raise AssertionError(f"annotator {error['annotator']!r} failed: {error['message']}")
    schemas = {a.name: a.attributes_schema for a in instances if a.attributes_schema}
    if problems := record_problems(record, schemas):
        raise AssertionError("the record is invalid:\n" +
                             "\n".join(p.line(article.id) for p in problems))
    return record


def run_annotator(
    annotator: type[Annotator],
    text: str | Article,
    settings: Mapping[str, Any] | None = None,
    nlp: str | Language = "blank",
) -> list[dict[str, Any]]:
    """The checked output records of one annotator class on ``text``, sorted by offset.

    ``settings`` are the annotator's own; see :func:`annotate_text` for the rest.
    Each record is a dict as in the output file: ``annotator``, ``label``,
    ``start``, ``end``, ``text``, ``score`` (when set) and ``attributes``.
    """
    record = annotate_text(text, [annotator], {annotator.name: settings or {}}, nlp)
    return [a for a in record["annotations"] if a["annotator"] == annotator.name]


def installed_annotators(plugin_files: Iterable[str | Path] = ()) -> dict[str, type[Annotator]]:
    """Every annotator class the installed plugins (and ``plugin_files``) register, by name:
    what ``annotate`` would load."""
    return plugins.annotator_classes(plugins.plugin_manager(plugin_files))


class FakeDistribution(importlib.metadata.Distribution):
    """An installed pip package that exists only in memory, with ``annotator`` entry points."""

    def __init__(self, name: str, entry_points: Mapping[str, str], version: str = "1.0"):
        self.package = name
        self.package_version = version
        lines = ["[annotator]", *(f"{key} = {value}" for key, value in entry_points.items())]
        self.entry_points_txt = "\n".join(lines) + "\n"
        self.modules: dict[str, types.ModuleType] = {}

    def read_text(self, filename: str) -> str | None:
        if filename == "METADATA":
            return (f"Metadata-Version: 2.1\nName: {self.package}\n"
                    f"Version: {self.package_version}\n")
        if filename == "entry_points.txt":
            return self.entry_points_txt
        return None

    def locate_file(self, path: str | Path) -> Path:
        return Path(path)


def fake_distribution(
    name: str, entry_points: Mapping[str, str | object], version: str = "1.0"
) -> FakeDistribution:
    """A fake pip package ``name`` whose ``annotator`` entry points are ``entry_points``.

    Each value is either an import reference (``"my_module"`` or
    ``"my_module:plugin"``) or the plugin object itself (a module, or an object
    with ``@hookimpl`` methods), which :func:`installed_plugins` makes importable.
    """
    references: dict[str, str] = {}
    modules: dict[str, types.ModuleType] = {}
    for key, value in entry_points.items():
        if isinstance(value, str):
            references[key] = value
        else:
            module_name = f"_annotator_fake_{plugins.canonical(name).replace('-', '_')}_{key}"
            module = types.ModuleType(module_name)
            module.plugin = value  # type: ignore[attr-defined]
            modules[module_name] = module
            references[key] = f"{module_name}:plugin"
    distribution = FakeDistribution(name, references, version)
    distribution.modules = modules
    return distribution


@contextmanager
def installed_plugins(*distributions: FakeDistribution, keep_real: bool = True) -> Iterator[None]:
    """Within the block, the plugin manager sees these packages as installed.

    The real installed plugins stay visible unless ``keep_real`` is False (then
    not even the built-ins load).
    """
    real = importlib.metadata.entry_points

    def entry_points(group: str) -> list[importlib.metadata.EntryPoint]:
        found = list(real(group=group)) if keep_real else []
        for distribution in distributions:
            found.extend(ep for ep in distribution.entry_points if ep.group == group)
        return found

    modules = {name: module for d in distributions for name, module in d.modules.items()}
    with mock.patch.object(plugins, "entry_points", entry_points), \
            mock.patch.dict(sys.modules, modules):
        yield
