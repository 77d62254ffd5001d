"""Loading the published schemas and validating annotation records and files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from .safe_json import JSONError, parse_json

SCHEMA_PACKAGE = "annotator_schemas"
RECORD_SCHEMA = "record.json"


@dataclass(frozen=True)
class Problem:
    """One validation failure: where (a JSON pointer) and why.

    ``unchecked`` marks what could not be checked (an annotator whose attribute
    schema is not available) rather than what is wrong.
    """

    pointer: str
    message: str
    unchecked: bool = False

    def line(self, path: str) -> str:
        return f"{path}: {self.pointer or '/'}: {self.message}"


def _schema_files() -> Iterator[Any]:
    root = files(SCHEMA_PACKAGE)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from sorted(entry.iterdir(), key=lambda e: e.name)
        else:
            yield entry


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A published schema by its path under schemas/, e.g. ``"attributes/sentiment.json"``."""
    return json.loads(files(SCHEMA_PACKAGE).joinpath(name).read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    """Every published schema, addressable by its ``$id``."""
    resources = []
    for entry in _schema_files():
        if entry.name.endswith(".json"):
            contents = json.loads(entry.read_text(encoding="utf-8"))
            resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def _fast_registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(uri, registry().contents(uri)) for uri in registry()])


class _Compiled:
    """One schema's validators, built once: a fast yes/no, and the detailed one for messages."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema  # kept so that its id() is not reused while cached
        self.fast = jsonschema_rs.Draft202012Validator(schema, registry=_fast_registry())
        self.detailed = Draft202012Validator(schema, registry=registry())


_compiled: dict[int, _Compiled] = {}


def compiled(schema: Mapping[str, Any]) -> _Compiled:
    """The validators of ``schema``, built on first use and reused (cached by identity)."""
    found = _compiled.get(id(schema))
    if found is None or found.schema is not schema:
        found = _compiled[id(schema)] = _Compiled(schema)
    return found


def pointer(*parts: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _short(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def schema_problems(instance: Any, schema: Mapping[str, Any], *prefix: object) -> list[Problem]:
    """JSON Schema errors, each at its JSON pointer (``prefix`` is prepended), once each.

    Valid instances take the fast path; the detailed validator runs only to explain
    an invalid one.
    """
    validators = compiled(schema)
    if validators.fast.is_valid(instance):
        return []
    errors = sorted(validators.detailed.iter_errors(instance),
                    key=lambda e: list(map(str, e.absolute_path)))
    problems = [
        Problem(pointer(*prefix, *error.absolute_path), error.message[:300]) for error in errors
    ]
    return list(dict.fromkeys(problems))  # "required" from allOf and properties: said once


def _is_offset(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _nested_spans(value: Any, *path: object) -> Iterator[tuple[tuple[object, ...], dict]]:
    """Every object inside ``value`` that has numeric start/end and a text string."""
    if isinstance(value, dict):
        if _is_offset(value.get("start")) and _is_offset(value.get("end")) and (
            isinstance(value.get("text"), str)
        ):
            yield path, value
        for key, item in value.items():
            if isinstance(item, dict | list):
                yield from _nested_spans(item, *path, key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict | list):
                yield from _nested_spans(item, *path, index)


def offsets_problem(start: Any, end: Any, length: int) -> str | None:
    """Why ``start:end`` cannot be a span of a text of ``length`` code points, or None."""
    if not (type(start) is int and type(end) is int):
        return f"offsets must be integers, not {start!r}:{end!r}"
    if start > end:
        return f"start {start} is after end {end}"
    if start < 0 or end > length:
        return f"offsets {start}:{end} outside the text (length {length})"
    return None


def _slice_problem(span: dict[str, Any], text: str) -> str | None:
    start, end = span["start"], span["end"]
    if reason := offsets_problem(start, end, len(text)):
        return reason
    if text[start:end] != span["text"]:
        return (
            f"text {_short(span['text'])} does not equal "
            f"article.text[{start}:{end}] {_short(text[start:end])}"
        )
    return None


Schemas = Mapping[str, Mapping[str, Any]]
# A record's attribute schemas by annotator name, and what cannot be checked (unchecked problems)
SchemaFinder = Callable[[dict[str, Any]], tuple[Schemas, list[Problem]]]


def record_problems(
    record: Any, attribute_schemas: Schemas | SchemaFinder | None = None
) -> list[Problem]:
    """Everything wrong with one record: its shape, then hashes, offsets, order and names.

    ``attribute_schemas`` maps annotator names to the schema of their ``attributes``,
    or finds them from the record (once its shape is right; see schema_catalog).
    """
    problems = schema_problems(record, load_schema(RECORD_SCHEMA))
    if problems:
        return problems
    if callable(attribute_schemas):
        attribute_schemas, unchecked = attribute_schemas(record)
        problems.extend(unchecked)
    article = record["article"]
    text = article["text"]
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != article["sha256"]:
        problems.append(Problem("/article/sha256", "does not match the sha256 of article.text"))
    if article["length"] != len(text):
        problems.append(Problem("/article/length", f"is {article['length']}, text has {len(text)}"))
    names = [a["name"] for a in record["provenance"]["annotators"]]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem("/provenance/annotators", f"annotator {name!r} listed twice"))
    known = set(names)

    def unknown(name: str) -> str:
        return f"unknown annotator {name!r} (not in provenance.annotators)"

    previous: tuple | None = None
    unsorted: list[int] = []
    for index, annotation in enumerate(record["annotations"]):
        at = ("annotations", index)
        name = annotation["annotator"]
        if name not in known:
            problems.append(Problem(pointer(*at, "annotator"), unknown(name)))
        for path, span in _nested_spans(annotation):
            if reason := _slice_problem(span, text):
                problems.append(Problem(pointer(*at, *path), reason))
        key = (annotation["start"], annotation["end"], name, annotation["label"])
        if previous is not None and key < previous:
            unsorted.append(index)
        previous = key
        if attribute_schemas and name in attribute_schemas:
            schema = attribute_schemas[name]
            problems.extend(schema_problems(annotation["attributes"], schema, *at, "attributes"))
    if unsorted:
        more = f"; {len(unsorted)} annotations out of order in all" if len(unsorted) > 1 else ""
        problems.append(Problem(pointer("annotations", unsorted[0]),
                                f"out of order (sorted by start, end, annotator, label){more}"))
    for name in record["summary"]:
        if name not in known:
            problems.append(Problem(pointer("summary", name), unknown(name)))
    for index, error in enumerate(record["errors"]):
        if error["annotator"] not in known:
            at = pointer("errors", index, "annotator")
            problems.append(Problem(at, unknown(error["annotator"])))
    return problems


def parse_record(
    data: bytes, attribute_schemas: Schemas | SchemaFinder | None = None
) -> tuple[Any, list[Problem]]:
    """One record from its bytes (a file, or a line of a shard), with its problems.

    JSON outside the limits of safe_json (non-finite numbers, lone surrogates,
    nesting deeper than MAX_DEPTH) is a problem like malformed JSON.
    """
    try:
        record = parse_json(data)
    except JSONError as error:
        return None, [Problem("", f"not JSON: {error}" if error.malformed else str(error))]
    return record, record_problems(record, attribute_schemas)


def read_record(
    path: Path, attribute_schemas: Schemas | SchemaFinder | None = None
) -> tuple[Any, list[Problem]]:
    """One annotation file, parsed, with its problems (unreadable or malformed JSON too)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem("", f"cannot read ({error.strerror})")]
    return parse_record(data, attribute_schemas)
