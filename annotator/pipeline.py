"""Parse each article once with batched ``nlp.pipe`` and run every annotator on the same Doc."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .annotation import Annotation, Annotator, read_only
from .article import Article
from .errors import ModelError

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


def load_nlp(model: str | None = None) -> Language:
    """Load ``model`` (a package name or path), else the installed English pipeline.

    With no pipeline installed, warn in one line and use blank English with a
    sentencizer: annotators then work from tokens alone.
    """
    import spacy

    name = model or find_english_pipeline()
    if name is None:
        click.echo(
            "warning: no trained English spaCy pipeline with parser and NER is installed; "
            "using blank English (install the 'model' extra for parses and entities)",
            err=True,
        )
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        return spacy.load(name)
    except (OSError, ImportError, ValueError) as error:
        reason = str(error).splitlines()[0]
        raise ModelError(f"cannot load spaCy pipeline {name!r}: {reason}") from error


def check_requirements(nlp: Language, annotators: Iterable[Annotator]) -> None:
    """Fail before any article runs if an annotator needs a pipe the pipeline lacks."""
    problems = [
        f"{a.name} requires {', '.join(missing)}"
        for a in annotators
        if (missing := [pipe for pipe in a.requires if pipe not in nlp.pipe_names])
    ]
    if problems:
        raise ModelError(
            f"pipeline {pipeline_name(nlp)} (pipes: {', '.join(nlp.pipe_names) or 'none'}) "
            f"cannot serve: {'; '.join(problems)}; use --model or --disable"
        )


def pipeline_name(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', '?')}_{nlp.meta.get('name', '?')}"


def run_provenance(nlp: Language, annotators: Iterable[Annotator]) -> dict[str, Any]:
    """What produced a record: tool, spaCy pipeline and each annotator with its hashes."""
    import spacy

    return {
        "tool": {"name": "annotator", "version": __version__},
        "pipeline": {
            "name": pipeline_name(nlp),
            "version": nlp.meta.get("version", "0.0.0"),
            "spacy_version": spacy.__version__,
            "pipes": list(nlp.pipe_names),
        },
        "annotators": [a.provenance() for a in sorted(annotators, key=lambda a: a.name)],
    }


def annotation_record(annotator: str, annotation: Annotation, text: str) -> dict[str, Any]:
    """The JSON form of one annotation; offsets outside the text are the plugin's error."""
    start, end = annotation.start, annotation.end
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise ValueError(f"offsets {start}:{end} outside the text (length {len(text)})")
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


def article_record(
    article: Article, doc: Doc, annotators: list[Annotator], provenance: dict[str, Any]
) -> dict[str, Any]:
    """Run every annotator on one parsed article; a failing annotator becomes an error entry.

    ``annotators`` come in run order (used annotators first). An annotator whose
    used annotator failed on this article does not run and gets an error entry too.
    """
    annotations: list[dict[str, Any]] = []
    summary: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    views: dict[str, tuple[Any, ...]] = {}
    failed: set[str] = set()
    used = {name for annotator in annotators for name in annotator.uses}
    for annotator in annotators:
        if missing := [name for name in annotator.uses if name not in views]:
            failed.add(annotator.name)
            why = "failed" if set(missing) <= failed else "did not run before it"
            message = f"not run: it uses {', '.join(map(repr, missing))}, which {why}"
            errors.append({"annotator": annotator.name, "message": message})
            continue
        try:
            produced = annotator_records(
                annotator, article, doc, {name: views[name] for name in annotator.uses}
            )
            summary[annotator.name] = annotator.summarize(produced)
        except Exception as error:
            failed.add(annotator.name)
            message = f"{type(error).__name__}: {error}".splitlines()[0]
            errors.append({"annotator": annotator.name, "message": message})
            continue
        if annotator.name in used:
            views[annotator.name] = read_only(
                sorted(produced, key=lambda a: (a["start"], a["end"], a["label"]))
            )
        annotations.extend(produced)
    annotations.sort(key=lambda a: (a["start"], a["end"], a["annotator"], a["label"]))
    return {
        "schema_version": SCHEMA_VERSION,
        "article": {
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
        },
        "provenance": provenance,
        "annotations": annotations,
        "summary": dict(sorted(summary.items())),
        "errors": sorted(errors, key=lambda e: e["annotator"]),
    }


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
        yield article_record(article, doc, annotators, provenance)
