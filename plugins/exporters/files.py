"""What the exporters share: where an article's files go, exact text files, spans by label."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator import FileNames


class ArticleFiles:
    """Where each article's files go in one export: ``output/<file stem><suffix>``, the
    stem from ``annotator.run.naming`` (a long or odd id gets a hashed name; two ids with
    one name are an InputError naming both)."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.names = FileNames()

    def path(self, article_id: str, suffix: str) -> Path:
        """The file for ``article_id`` with ``suffix``, its folders created."""
        path = self.output.joinpath(*f"{self.names.claim(article_id)}{suffix}".split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


def write_exact(path: Path, text: str) -> None:
    """UTF-8 without newline translation: ``\\r\\n`` stays two characters."""
    path.write_text(text, encoding="utf-8", newline="")


def selected(annotations: Iterable[Mapping[str, Any]], skip: Iterable[str]
             ) -> Iterator[Mapping[str, Any]]:
    """The annotations whose annotator, or ``annotator:label``, is not in ``skip``."""
    skipped = set(skip)
    for annotation in annotations:
        name, label = annotation["annotator"], annotation["label"]
        if name not in skipped and f"{name}:{label}" not in skipped:
            yield annotation


def sub_spans(annotation: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(attribute, span)`` for each attribute that is a span (``start``, ``end``, ``text``)."""
    for key, value in sorted((annotation.get("attributes") or {}).items()):
        if isinstance(value, dict) and {"start", "end", "text"} <= set(value):
            yield key, value


def scalar_attributes(annotation: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    """The attributes that are plain strings, numbers or booleans."""
    return {
        key: value for key, value in sorted((annotation.get("attributes") or {}).items())
        if isinstance(value, str | int | float | bool)
    }
