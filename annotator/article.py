"""The article record every reader produces and every annotator reads."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

KNOWN_FIELDS = ("id", "text", "title", "source", "url", "date", "event")


@dataclass(frozen=True)
class Article:
    """One article: its text exactly as read (after decoding), where it came from, and its metadata.

    ``meta`` holds every input field that is not one of the known ones, as JSON values.
    """

    id: str
    text: str
    source_path: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    event: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


def _json_value(value: Any) -> Any:
    """``value`` as plain JSON (dates from YAML become ISO strings)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def article_from_fields(fields: Mapping[str, Any], where: str, default_id: str | None = None
                        ) -> Article:
    """An Article from a mapping of input fields (a JSON line, front matter, a CSV row...).

    ``id`` and ``text`` are required (``default_id`` stands in for a missing id);
    ``title, source, url, date, event`` become attributes (scalars as strings) and
    every other field goes to ``meta``. Problems are an InputError naming ``where``.
    """
    fields = {"id": default_id, **fields} if default_id is not None else dict(fields)
    missing = [key for key in ("id", "text") if fields.get(key) is None]
    if missing:
        raise InputError(f"{where}: missing string field(s) {', '.join(missing)}, skipped")
    for key in ("id", "text"):
        if not isinstance(fields[key], str):
            raise InputError(f"{where}: field {key!r} must be a string, not "
                             f"{type(fields[key]).__name__} {fields[key]!r:.40}, skipped")
    if not fields["text"].strip():
        raise InputError(f"{where}: empty text, skipped")
    known: dict[str, str] = {}
    for key in KNOWN_FIELDS[2:]:
        value = _json_value(fields.get(key))
        if isinstance(value, dict | list):
            raise InputError(f"{where}: field {key!r} must be a string, not {type(value).__name__}")
        if value is not None:
            known[key] = str(value)
    meta = {k: _json_value(v) for k, v in fields.items() if k not in KNOWN_FIELDS}
    try:
        json.dumps(meta, allow_nan=False)
    except ValueError as error:
        raise InputError(f"{where}: metadata is not plain JSON ({error})") from None
    return Article(id=fields["id"], text=fields["text"], source_path=where, meta=meta, **known)
