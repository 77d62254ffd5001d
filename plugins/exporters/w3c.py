"""W3C Web Annotation JSON-LD: per article, its text and a collection of annotations.

Each annotation targets the exported text file with a TextPositionSelector (code points,
as the Web Annotation Data Model requires: "in terms of unicode code points ... not in
terms of code units") and a TextQuoteSelector (exact, prefix, suffix).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from annotator import Exporter

from .files import ArticleFiles, selected, write_exact

NAMESPACE = uuid.UUID("5f0c3c6e-9d1b-5b7e-8a55-2f4f6a1c9e10")
CONTEXT = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "annotator": "https://annotator.dev/ns#",
        "attributes": {"@id": "annotator:attributes", "@type": "@json"},
        "score": {"@id": "annotator:score"},
    },
]


def annotation_id(record: Mapping[str, Any], annotation: Mapping[str, Any], number: int) -> str:
    """A stable ``urn:uuid:`` from the text's sha256, the position in the record and the span."""
    key = json.dumps([record["article"]["sha256"], number, annotation["annotator"],
                      annotation["label"], annotation["start"], annotation["end"]])
    return uuid.uuid5(NAMESPACE, key).urn


def w3c_annotation(record: Mapping[str, Any], annotation: Mapping[str, Any], number: int,
                   source: str, context: int) -> dict[str, Any]:
    text = record["article"]["text"]
    start, end = annotation["start"], annotation["end"]
    quote = {"type": "TextQuoteSelector", "exact": text[start:end],
             "prefix": text[max(0, start - context):start], "suffix": text[end:end + context]}
    target: dict[str, Any] = {"source": source, "selector": [
        {"type": "TextPositionSelector", "start": start, "end": end},
        {key: value for key, value in quote.items() if value},
    ]}
    if record["article"].get("url"):
        target["scope"] = record["article"]["url"]
    item: dict[str, Any] = {
        "id": annotation_id(record, annotation, number),
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"type": "Software", "name": annotation["annotator"]},
        "body": {"type": "TextualBody", "purpose": "tagging", "value": annotation["label"]},
        "target": target,
    }
    if annotation.get("attributes"):
        item["attributes"] = annotation["attributes"]
    if annotation.get("score") is not None:
        item["score"] = annotation["score"]
    return item


class W3CExporter(Exporter):
    """``<id>.txt`` (the exact text) and ``<id>.jsonld`` (an AnnotationCollection) per article."""

    name = "w3c"
    description = "W3C Web Annotation JSON-LD (position and quote selectors) with the texts"
    default_settings = {"skip": [], "context": 32}

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        files = ArticleFiles(output)
        for record in records:
            article = record["article"]
            text_path = files.path(article["id"], ".txt")
            write_exact(text_path, article["text"])
            source = quote(text_path.name)
            items = [
                w3c_annotation(record, annotation, number, source, self.settings["context"])
                for number, annotation in enumerate(
                    selected(record["annotations"], self.settings["skip"]))
            ]
            tool = record["provenance"]["tool"]
            collection = {
                "@context": CONTEXT,
                "id": uuid.uuid5(NAMESPACE, article["id"]).urn,
                "type": "AnnotationCollection",
                "label": article.get("title") or article["id"],
                "generator": {"type": "Software", "name": f"{tool['name']} {tool['version']}"},
                "total": len(items),
                "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
            }
            files.path(article["id"], ".jsonld").write_text(
                json.dumps(collection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
