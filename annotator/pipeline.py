"""Parse each article once with batched ``nlp.pipe`` and run every annotator on the same Doc."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .annotation import Annotation, Annotator, read_only
from .article import Article
from .errors import ModelError
from .isolation import exit_refused, own_copies, stops_the_run, watching_ctrl_c
from .schema import offsets_problem, record_problems

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SCHEMA_VERSION = "1.1.0"
NEEDED_PIPES = ("parser", "ner")


def find_english_pipeline() -> str | None:
    """The first installed spaCy package (by name) for English with a parser and NER."""
    import spacy

    for name in sorted(spacy.util.get_installed_models()):
        try:
            meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
        except Exception:  # a broken package is not a candidate
            continue
        if meta.get("lang") == "en" and set(NEEDED_PIPES) <= set(meta.get("pipeline", ())):
            return name
    return None


BLANK = "blank"  # --model blank: tokens and sentences only, the fast mode


def blank_english() -> Language:
    """Blank English with a sentencizer: tokens and sentences, no parse."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _warn_blank() -> None:
    click.echo(
        "warning: no trained English spaCy pipeline with parser and NER is installed; "
        "using blank English (install the 'model' extra for parses and entities)",
        err=True,
    )


def _cannot_load(name: str, error: Exception) -> ModelError:
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return ModelError(f"cannot load spaCy pipeline {name!r}: {reason}")


def load_nlp(model: str | None = None, warn: bool = True) -> Language:
    """Load ``model`` (a package name or path, or ``blank``), else the installed English pipeline.

    With no pipeline installed, warn in one line (unless ``warn`` is false) and use
    blank English with a sentencizer: annotators then work from tokens alone.
    """
    import spacy

    name = model or find_english_pipeline()
    if name is None or name == BLANK:
        if name is None and warn:
            _warn_blank()
        return blank_english()
    try:
        return spacy.load(name)
    except (OSError, ImportError, ValueError) as error:
        raise _cannot_load(name, error) from error


def describe_pipeline(model: str | None = None) -> dict[str, Any]:
    """The provenance ``pipeline`` entry that ``load_nlp(model)`` would give, from its meta.

    Reads the package's or folder's meta.json without loading any weights, so a
    run can compare provenance, and check requirements, before loading anything.
    """
    import spacy

    name = model or find_english_pipeline()
    if name is None or name == BLANK:
        if name is None:
            _warn_blank()
        return pipeline_provenance(blank_english())
    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ImportError, ValueError) as error:
        raise _cannot_load(name, error) from error
    return {
        "name": f"{meta.get('lang', '?')}_{meta.get('name', '?')}",
        "version": meta.get("version", "0.0.0"),
        "spacy_version": spacy.__version__,
        "pipes": list(meta.get("pipeline", ())),
    }


def check_requirements(nlp: Language, annotators: Iterable[Annotator]) -> None:
    """Fail before any article runs if an annotator needs a pipe the pipeline lacks."""
    check_pipes(pipeline_provenance(nlp), annotators)


def check_pipes(pipeline: dict[str, Any], annotators: Iterable[Annotator]) -> None:
    """Like check_requirements, for a provenance ``pipeline`` entry (name and pipes)."""
    pipes = pipeline["pipes"]
    problems = [
        f"{a.name} requires {', '.join(missing)}"
        for a in annotators
        if (missing := [pipe for pipe in a.requires if pipe not in pipes])
    ]
    if problems:
        raise ModelError(
            f"pipeline {pipeline['name']} (pipes: {', '.join(pipes) or 'none'}) "
            f"cannot serve: {'; '.join(problems)}; use --model or --disable"
        )


def pipeline_name(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}"


def pipeline_provenance(nlp: Language) -> dict[str, Any]:
    """The spaCy pipeline as provenance records it: name, version, spaCy version, pipes."""
    import spacy

    return {
        "name": pipeline_name(nlp),
        "version": nlp.meta.get("version", "0.0.0"),
        "spacy_version": spacy.__version__,
        "pipes": list(nlp.pipe_names),
    }


def run_provenance(
    nlp: Language | None, annotators: Iterable[Annotator],
    pipeline: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What produced a record: tool, spaCy pipeline and each annotator with its hashes.

    ``pipeline`` (from describe_pipeline) stands in for a pipeline not loaded yet.
    """
    return {
        "tool": {"name": "annotator", "version": __version__},
        "pipeline": pipeline if pipeline is not None else pipeline_provenance(nlp),
        "annotators": [a.provenance() for a in sorted(annotators, key=lambda a: a.name)],
    }


def annotation_record(annotator: str, annotation: Annotation, text: str) -> dict[str, Any]:
    """The JSON form of one annotation; a bad label or bad offsets are the plugin's error."""
    start, end = annotation.start, annotation.end
    if reason := offsets_problem(start, end, len(text)):
        raise ValueError(reason)
    if not (isinstance(annotation.label, str) and annotation.label):
        raise ValueError(f"label must be a non-empty string, not {annotation.label!r}")
    record: dict[str, Any] = {
        "annotator": annotator,
        "label": annotation.label,
        "start": start,
        "end": end,
        "text": text[start:end],
    }
    if annotation.score is not None:
        record["score"] = annotation.score
    record["attributes"] = annotation.attributes
    json.dumps([annotation.score, annotation.attributes], allow_nan=False)  # fail here, named
    return record


def annotator_records(
    annotator: Annotator, article: Article, doc: Doc, used: dict[str, tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """One annotator's output records for one article, raising what it raises.

    ``used`` holds the read-only records of the annotators it uses; ``annotate``
    receives them as ``annotations`` when it takes that parameter.
    """
    extra = {"annotations": used} if annotator.takes_annotations() else {}
    return [
        annotation_record(annotator.name, a, article.text)
        for a in annotator.annotate(article, doc, **extra)
    ]


Budget = Callable[[], AbstractContextManager[object]]


def article_fields(article: Article) -> dict[str, Any]:
    """The record's ``article`` object: every field, the text, its sha256 and length."""
    return {
        "id": article.id,
        "source_path": article.source_path,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "date": article.date,
        "event": article.event,
        "meta": dict(article.meta),
        "text": article.text,
        "sha256": hashlib.sha256(article.text.encode("utf-8")).hexdigest(),
        "length": len(article.text),
    }


def article_record(
    article: Article, doc: Doc, annotators: list[Annotator], provenance: dict[str, Any],
    budget: Budget = nullcontext,
) -> dict[str, Any]:
    """Run every annotator on one parsed article; a failing annotator becomes an error entry.

    ``annotators`` come in run order (used annotators first). An annotator whose
    used annotator failed on this article does not run and gets an error entry too.
    Each annotator runs inside ``budget()`` (a time budget, in a run), on its own copies
    of the Doc and the metadata; anything it raises but the user's Ctrl-C is its error.
    """
    annotations: list[dict[str, Any]] = []
    summary: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    views: dict[str, tuple[Any, ...]] = {}
    failed: set[str] = set()
    used = {name for annotator in annotators for name in annotator.uses}
    with watching_ctrl_c(), exit_refused():
        for annotator in annotators:
            if missing := [name for name in annotator.uses if name not in views]:
                failed.add(annotator.name)
                why = "failed" if set(missing) <= failed else "did not run before it"
                message = f"not run: it uses {', '.join(map(repr, missing))}, which {why}"
                errors.append({"annotator": annotator.name, "message": message})
                continue
            try:
                with budget():
                    produced = annotator_records(
                        annotator, *own_copies(article, doc),
                        {name: views[name] for name in annotator.uses},
                    )
                    summarized = annotator.summarize(produced)
            except BaseException as error:  # SystemExit too: the plugin's failure, not the run's
                if stops_the_run(error):
                    raise
                failed.add(annotator.name)
                message = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                errors.append({"annotator": annotator.name, "message": message.splitlines()[0]})
                continue
            summary[annotator.name] = summarized
            if annotator.name in used:
                views[annotator.name] = read_only(
                    sorted(produced, key=lambda a: (a["start"], a["end"], a["label"]))
                )
            annotations.extend(produced)
    annotations.sort(key=lambda a: (a["start"], a["end"], a["annotator"], a["label"]))
    return {
        "schema_version": SCHEMA_VERSION,
        "article": article_fields(article),
        "provenance": provenance,
        "annotations": annotations,
        "summary": dict(sorted(summary.items())),
        "errors": sorted(errors, key=lambda e: e["annotator"]),
    }


class InvalidRecord(Exception):
    """A record that would not validate for a reason no annotator is to blame for."""


def checked_record(
    record: dict[str, Any], annotators: list[Annotator],
    attribute_schemas: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """``record`` held to the rules of ``annotate validate``, so nothing invalid is written.

    An annotator whose annotations or summary break them loses both and gets an
    error entry naming the first problem, and so does every annotator that uses
    it; anything else raises InvalidRecord.
    ``attribute_schemas`` defaults to each annotator's ``attributes_schema``.
    """
    if attribute_schemas is None:
        attribute_schemas = {a.name: a.attributes_schema for a in annotators
                             if a.attributes_schema}
    problems = record_problems(record, attribute_schemas)
    if not problems:
        return record
    blamed: dict[str, str] = {}
    for problem in problems:
        parts = problem.pointer.split("/")
        if parts[1:2] == ["annotations"] and len(parts) > 2 and parts[2].isdigit():
            name = record["annotations"][int(parts[2])]["annotator"]
        elif parts[1:2] == ["summary"] and len(parts) > 2:
            name = parts[2]
        else:
            raise InvalidRecord(f"{problem.pointer or '/'}: {problem.message}")
        blamed.setdefault(name, f"output breaks the record rules at {problem.pointer}: "
                                f"{problem.message}".splitlines()[0])
    for annotator in annotators:  # in run order: users of a blamed annotator read bad output
        if annotator.name not in blamed and (bad := [n for n in annotator.uses if n in blamed]):
            blamed[annotator.name] = (f"dropped: it uses {', '.join(map(repr, bad))}, whose "
                                      "output breaks the record rules")
    record = {
        **record,
        "annotations": [a for a in record["annotations"] if a["annotator"] not in blamed],
        "summary": {k: v for k, v in record["summary"].items() if k not in blamed},
        "errors": sorted(
            [*record["errors"],
             *({"annotator": n, "message": m} for n, m in blamed.items())],
            key=lambda e: e["annotator"],
        ),
    }
    if problems := record_problems(record, attribute_schemas):
        raise InvalidRecord(f"{problems[0].pointer or '/'}: {problems[0].message}")
    return record


def annotate_articles(
    articles: Iterable[Article],
    nlp: Language,
    annotators: list[Annotator],
    batch_size: int = 16,
) -> Iterator[dict[str, Any]]:
    """One output record per article, in input order, parsing in batches."""
    check_requirements(nlp, annotators)
    provenance = run_provenance(nlp, annotators)
    pairs = ((article.text, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield checked_record(article_record(article, doc, annotators, provenance), annotators)
