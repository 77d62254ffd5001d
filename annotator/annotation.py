"""What an annotator is and what it returns."""

from __future__ import annotations

import hashlib
import inspect
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from .settings import Configurable

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .article import Article


@dataclass(frozen=True)
class Annotation:
    """One labelled span of the article text, in code-point offsets (end exclusive).

    The host adds ``annotator`` and ``text`` (always ``article.text[start:end]``).
    Sub-spans inside ``attributes`` are made with :func:`sub_span`.
    """

    label: str
    start: int
    end: int
    score: float | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


def sub_span(text: str, start: int, end: int) -> dict[str, Any]:
    """A span nested in ``attributes``: offsets plus the text they slice.

    Returns a new dict ``{"start": start, "end": end, "text": text[start:end]}``
    (code points, end exclusive), which ``annotate validate`` re-slices. The
    offsets are not checked here: out-of-range ones make the record invalid.
    """
    return {"start": start, "end": end, "text": text[start:end]}


def read_only(value: Any) -> Any:
    """``value`` (JSON data) as read-only views: dicts become mappings, lists tuples."""
    if isinstance(value, dict):
        return MappingProxyType({key: read_only(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(read_only(item) for item in value)
    return value


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Annotator(Configurable):
    """Base class for annotators. Subclass it and register the class.

    Class attributes: ``name`` (unique; the key in the JSON), ``version``
    (recorded in provenance), ``requires`` (spaCy pipe names checked before the
    run), ``uses`` (names of annotators that run first and whose output this one
    reads), ``attributes_schema`` (JSON Schema for ``attributes``, or None) and
    ``default_settings`` (every accepted keyword argument with its default) and
    ``baseline_settings`` (settings that turn its learned parts off, for ``annotate eval``'s
    baseline rows; None when it has none).
    """

    kind = "annotator"
    required_attributes = ("name", "version")
    version: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    uses: ClassVar[tuple[str, ...]] = ()
    attributes_schema: ClassVar[dict[str, Any] | None] = None
    baseline_settings: ClassVar[dict[str, Any] | None] = None

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.data_files: list[Path] = []

    def annotate(self, article: Article, doc: Doc) -> Iterable[Annotation]:
        """Return the annotations for one article. ``doc`` is shared: do not modify it.

        An annotator that ``uses`` others may add a parameter ``annotations``: it
        then receives ``{name: records}`` for each used annotator, the records as
        in the output file (read-only mappings; lists are tuples).
        """
        raise NotImplementedError

    @classmethod
    def takes_annotations(cls) -> bool:
        """Whether ``annotate`` accepts ``annotations`` (by name or ``**kwargs``)."""
        parameters = inspect.signature(cls.annotate).parameters.values()
        return any(p.name == "annotations" or p.kind is p.VAR_KEYWORD for p in parameters)

    def summarize(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        """Summarise this annotator's annotations of one article (default: counts by label)."""
        labels = Counter(a["label"] for a in annotations)
        return {"count": len(annotations), "labels": dict(sorted(labels.items()))}

    def provenance(self) -> dict[str, Any]:
        """Name, version, hashes of the settings and data files that shaped the output, and
        the ``$id`` and sha256 of the attribute schema (None when it declares none)."""
        from .schema_catalog import schema_reference

        data_files = [{"name": p.name, "sha256": file_sha256(p)} for p in self.data_files]
        config = json.dumps(
            {"settings": self.settings, "data_files": data_files}, sort_keys=True, default=str
        )
        return {
            "name": self.name,
            "version": self.version,
            "config_sha256": hashlib.sha256(config.encode()).hexdigest(),
            "data_files": data_files,
            "attributes_schema": schema_reference(self.attributes_schema),
        }
