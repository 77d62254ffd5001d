"""Picking our annotations for a gold task, as the label map describes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from .span import Span

Annotations = Mapping[str, Sequence[Mapping[str, Any]]]
"""Our annotation dicts (as written to JSON) keyed by gold item id."""


@dataclass(frozen=True)
class Selector:
    """Picks our annotations by annotator name, label and accepted attribute values."""

    annotator: str
    label: str
    where: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Any, context: str) -> Selector:
        if not isinstance(config, dict) or not {"annotator", "label"} <= set(config):
            raise ConfigError(f"label map {context}: a selector needs annotator and label")
        where = {key: tuple(values) for key, values in (config.get("where") or {}).items()}
        return cls(str(config["annotator"]), str(config["label"]), where)

    def matches(self, annotation: Mapping[str, Any]) -> bool:
        if annotation["annotator"] != self.annotator or annotation["label"] != self.label:
            return False
        attributes = annotation.get("attributes") or {}
        return all(attributes.get(key) in values for key, values in self.where.items())


def selected(
    annotations: Iterable[Mapping[str, Any]], selectors: Sequence[Selector]
) -> list[Mapping[str, Any]]:
    """The annotations any of the selectors picks."""
    return [a for a in annotations if any(s.matches(a) for s in selectors)]


def sub_span_of(annotation: Mapping[str, Any], attribute: str) -> Span | None:
    value = (annotation.get("attributes") or {}).get(attribute)
    if isinstance(value, dict) and value.get("end", 0) > value.get("start", 0):
        return Span.of(value["start"], value["end"])
    return None


def category_of(annotation: Mapping[str, Any], attribute: str) -> str:
    value = (annotation.get("attributes") or {}).get(attribute)
    return str(value) if value is not None else annotation["label"]
