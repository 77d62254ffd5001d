"""A run's job description, the engine it builds in each process, and the outcome per article.

A ``Job`` is plain, picklable data: what a worker process (or a Dask worker)
needs to build the same spaCy pipeline and annotators as the parent. Each process
builds its ``Engine`` once (``engine_for``) and reuses it for every batch.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import orjson

from ..annotation import Annotator
from ..article import Article
from ..errors import ConfigError
from ..pipeline import (
    InvalidRecord,
    article_record,
    check_pipes,
    checked_record,
    describe_pipeline,
    load_nlp,
    run_provenance,
)
from ..plugins import load_annotators, plugin_manager
from .budget import time_budget

if TYPE_CHECKING:
    from spacy.language import Language

FORMATS = ("json", "jsonl")
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Job:
    """What shapes the output: pipeline, plugins, annotator selection and settings, format."""

    model: str | None = None
    plugin_files: tuple[str, ...] = ()
    only: tuple[str, ...] | None = None
    disable: tuple[str, ...] | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    batch_size: int = 16
    annotator_timeout: float | None = DEFAULT_TIMEOUT
    output_format: str = "json"

    def key(self) -> str:
        """A hash of the whole job, to find a process's engine for it."""
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Outcome:
    """What became of one article: its serialized record, or why there is none."""

    article_id: str
    source_path: str | None
    content: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # annotations per annotator
    errors: list[tuple[str, str]] = field(default_factory=list)  # (annotator, message)
    failure: str | None = None

    @classmethod
    def failed(cls, article: Article, reason: str) -> Outcome:
        return cls(article.id, article.source_path, failure=reason)


def serialize(record: dict[str, Any], output_format: str) -> str:
    """A record as a file (JSON indented by 2) or as one compact JSON line.

    orjson writes it; what orjson refuses (integers past 64 bits, keys that are not
    strings) falls back to the standard library, and text that is not valid
    Unicode raises UnicodeEncodeError.
    """
    indent = output_format != "jsonl"
    try:
        data = orjson.dumps(record, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:  # orjson.JSONEncodeError
        text = json.dumps(record, ensure_ascii=False, allow_nan=False,
                          indent=2 if indent else None, separators=None if indent else (",", ":"))
        data = text.encode("utf-8")
    return data.decode("utf-8") + "\n"


class Engine:
    """The annotators of a job, and its spaCy pipeline, loaded when first needed."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.annotators: list[Annotator] = load_annotators(
            plugin_manager(job.plugin_files),
            only=list(job.only) if job.only else None,
            disable=list(job.disable) if job.disable else None,
            settings=copy.deepcopy(dict(job.settings)),
            include_used=True,
        )
        if not self.annotators:
            raise ConfigError("no annotators selected")
        self._nlp: Language | None = None

    @cached_property
    def expected_provenance(self) -> dict[str, Any]:
        """The provenance records of this job carry, known without loading the pipeline.

        Checks the annotators' requirements, and warns once when falling back to blank.
        """
        pipeline = describe_pipeline(self.job.model)
        check_pipes(pipeline, self.annotators)
        return run_provenance(None, self.annotators, pipeline)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp(self.job.model, warn=False)
            check_pipes(run_provenance(self._nlp, ())["pipeline"], self.annotators)
        return self._nlp

    @cached_property
    def provenance(self) -> dict[str, Any]:
        return run_provenance(self.nlp, self.annotators)

    def annotate(self, articles: list[Article]) -> list[Outcome]:
        """Parse ``articles`` in one ``nlp.pipe`` batch and run every annotator on each."""
        limit = self.nlp.max_length
        fit = [a for a in articles if len(a.text) <= limit]
        try:
            docs = iter(list(self.nlp.pipe([a.text for a in fit], batch_size=len(articles))))
        except Exception:  # one text spaCy cannot take: parse one by one to find it
            return [self.annotate_one(article) for article in articles]
        return [
            self.outcome(article, next(docs)) if len(article.text) <= limit
            else Outcome.failed(article, f"longer than the pipeline's {limit:,} characters")
            for article in articles
        ]

    def annotate_one(self, article: Article) -> Outcome:
        try:
            doc = self.nlp(article.text)
        except Exception as error:
            message = f"spaCy failed: {type(error).__name__}: {error}".splitlines()[0]
            return Outcome.failed(article, message)
        return self.outcome(article, doc)

    def outcome(self, article: Article, doc: Any) -> Outcome:
        def budget() -> Any:
            return time_budget(self.job.annotator_timeout)

        record = article_record(article, doc, self.annotators, self.provenance, budget)
        try:
            record = checked_record(record, self.annotators)
            content = serialize(record, self.job.output_format)
        except InvalidRecord as error:
            return Outcome.failed(article, f"record would not validate: {error}")
        except (UnicodeEncodeError, ValueError) as error:
            return Outcome.failed(article, f"record cannot be written as JSON: {error}")
        counts: dict[str, int] = {a.name: 0 for a in self.annotators}
        for annotation in record["annotations"]:
            counts[annotation["annotator"]] += 1
        return Outcome(
            article.id, article.source_path, content, counts,
            [(e["annotator"], e["message"]) for e in record["errors"]],
        )


_engines: dict[str, Engine] = {}


def engine_for(job: Job) -> Engine:
    """This process's engine for ``job``, built on first use (workers load once)."""
    key = job.key()
    if key not in _engines:
        _engines.clear()  # one job per process at a time
        _engines[key] = Engine(job)
    return _engines[key]


def annotate_batch(job: Job, articles: list[Article]) -> list[Outcome]:
    """The task a worker runs: annotate one batch with this process's engine."""
    return engine_for(job).annotate(articles)
