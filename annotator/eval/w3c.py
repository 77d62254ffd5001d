"""W3C Web Annotation JSON-LD as review gold (``annotate export w3c`` output, or any tool's).

Each annotation's target names its text (``source``, a file relative to the JSON-LD file)
and selects a span with a TextPositionSelector (code points) or, failing that, a
TextQuoteSelector (exact, with prefix and suffix). When both are given they must agree.
The label is the ``tagging`` body's value and the annotator the ``creator``'s name.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import InputError
from .gold import Gold, read_text
from .review import ReviewedText, ReviewFormat
from .span import Span

SUFFIXES = (".jsonld", ".json")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def annotations_of(document: Any) -> Iterator[Mapping[str, Any]]:
    """The annotations of a collection (its pages' items), a page, a list or one annotation."""
    for node in as_list(document):
        if not isinstance(node, dict):
            continue
        if node.get("type") == "Annotation":
            yield node
        for key in ("first", "items", "next"):
            if isinstance(node.get(key), dict | list):
                yield from annotations_of(node[key])


def label_of(annotation: Mapping[str, Any]) -> str | None:
    for body in as_list(annotation.get("body")):
        if isinstance(body, dict) and body.get("purpose", "tagging") == "tagging" \
                and isinstance(body.get("value"), str):
            return body["value"]
        if isinstance(body, str):
            return body
    return None


def select(text: str, selectors: list[Any], where: str) -> tuple[int, int]:
    """``(start, end)`` from the position selector (checked against the quote), else the
    first place the quote (with its prefix and suffix) occurs."""
    by_type = {s.get("type"): s for s in selectors if isinstance(s, dict)}
    quote = by_type.get("TextQuoteSelector")
    position = by_type.get("TextPositionSelector")
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not isinstance(start, int) or not isinstance(end, int) \
                or not 0 <= start < end <= len(text):
            raise InputError(f"{where}: TextPositionSelector {start}-{end} outside the text")
        if quote is not None and quote.get("exact") != text[start:end]:
            raise InputError(f"{where}: TextPositionSelector {start}-{end} does not select "
                             f"the quote {quote.get('exact')!r}")
        return start, end
    if quote is not None and quote.get("exact"):
        prefix, exact = quote.get("prefix", ""), quote["exact"]
        found = text.find(prefix + exact + quote.get("suffix", ""))
        if found >= 0:
            return found + len(prefix), found + len(prefix) + len(exact)
        raise InputError(f"{where}: quote {exact!r} not found in the text")
    raise InputError(f"{where}: no TextPositionSelector or TextQuoteSelector")


def text_path(document: Path, source: Any, where: str) -> Path:
    if not isinstance(source, str) or urlparse(source).scheme:
        raise InputError(f"{where}: target source {source!r} is not a file beside the JSON-LD")
    return document.parent / unquote(source)


def read_w3c(path: Path) -> Gold:
    """Every annotation of every ``*.jsonld`` (recursive), grouped by the text it targets;
    a ``<name>.txt`` beside ``<name>.jsonld`` is an item even without annotations."""
    documents = [path] if path.is_file() else sorted(
        p for p in path.rglob("*") if p.suffix in SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )
    texts: dict[Path, str] = {}
    spans: dict[Path, list[Span]] = defaultdict(list)
    for document in documents:
        try:
            data = json.loads(read_text(document))
        except json.JSONDecodeError as error:
            raise InputError(f"{document}:{error.lineno}: not JSON ({error.msg})") from None
        beside = document.with_suffix(".txt")
        if beside.is_file() and beside not in texts:  # a text nobody tagged is gold too
            texts[beside] = read_text(beside)
        for number, annotation in enumerate(annotations_of(data), start=1):
            where = f"{document}: annotation {annotation.get('id', number)}"
            target = next((t for t in as_list(annotation.get("target")) if isinstance(t, dict)),
                          None)
            label = label_of(annotation)
            if target is None or label is None:
                raise InputError(f"{where}: needs a target with a selector and a tagging body")
            source = text_path(document, target.get("source"), where)
            if source not in texts:
                texts[source] = read_text(source)
            start, end = select(texts[source], as_list(target.get("selector")), where)
            creator = annotation.get("creator")
            name = creator.get("name") if isinstance(creator, dict) else None
            spans[source].append(Span.of(start, end, f"{name or 'unknown'}:{label}"))
    if not texts:
        raise InputError(f"{path}: no W3C annotations found")
    root = path if path.is_dir() else path.parent
    items = [
        ReviewedText(source.relative_to(root).with_suffix("").as_posix(), texts[source],
                     str(source), (("w3c", tuple(sorted(set(spans[source]),
                                                        key=lambda s: (s.parts, s.label)))),))
        for source in sorted(texts)
    ]
    return Gold("w3c", path, list(items))


class W3CFormat(ReviewFormat):
    name = "w3c"
    layout = "W3C Web Annotation *.jsonld"

    def detect(self, path: Path) -> bool:
        if path.is_file():
            return path.suffix == ".jsonld"
        return any(path.rglob("*.jsonld"))

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_w3c(path)
