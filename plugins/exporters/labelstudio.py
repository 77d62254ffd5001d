"""Label Studio: tasks with our annotations as predictions, and the labeling configuration.

Offsets follow Label Studio's convention for the ``Text`` tag: ``value.start`` and
``value.end`` index the task's ``data.text`` as a Python string does (code points;
``\\r\\n`` counts as two), and ``value.text`` is exactly ``text[start:end]``. The
sources for that convention are listed in docs/export.md.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from annotator import Exporter

from .files import scalar_attributes, selected, sub_spans

TEXT_NAME = "text"
ARTICLE_FIELDS = ("id", "title", "source", "url", "date", "event")


def label_value(annotation: Mapping[str, Any], label_attributes: Mapping[str, str]) -> str:
    """The Label Studio label: ours, refined by one attribute where the settings name one
    (``cue/distancing``), so a reviewer can correct the attribute by relabeling."""
    attribute = label_attributes.get(annotation["annotator"])
    value = (annotation.get("attributes") or {}).get(attribute) if attribute else None
    return f"{annotation['label']}/{value}" if isinstance(value, str) and value else \
        annotation["label"]


def model_version(record: Mapping[str, Any]) -> str:
    """``annotator 0.1.0 (attribution 1.0.0, ...)``: the tool and every annotator that ran."""
    provenance = record["provenance"]
    annotators = ", ".join(f"{a['name']} {a['version']}" for a in provenance["annotators"])
    return f"{provenance['tool']['name']} {provenance['tool']['version']} ({annotators})"


def region(region_id: str, annotator: str, start: int, end: int, text: str, label: str
           ) -> dict[str, Any]:
    return {
        "id": region_id, "from_name": annotator, "to_name": TEXT_NAME, "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


class LabelStudioExporter(Exporter):
    """``tasks.json`` (import it into a project) and ``config.xml`` (its labeling config)."""

    name = "labelstudio"
    description = "Label Studio tasks (predictions to review) and labeling config"
    default_settings = {
        "skip": ["sentiment:sentence", "boilerplate"],
        "label_attributes": {"attribution": "stance", "loaded_terms": "category"},
        "relations": {"attribution": ["source", "content"]},
    }

    def task(self, record: Mapping[str, Any], labels: dict[str, set[str]],
             relations: set[str]) -> dict[str, Any]:
        article = record["article"]
        text = article["text"]
        result: list[dict[str, Any]] = []
        linked = self.settings["relations"]
        for number, annotation in enumerate(selected(record["annotations"], self.settings["skip"])):
            name, cue_id = annotation["annotator"], f"r{number}"
            label = label_value(annotation, self.settings["label_attributes"])
            labels[name].add(label)
            item = region(cue_id, name, annotation["start"], annotation["end"],
                          text[annotation["start"]:annotation["end"]], label)
            if annotation.get("score") is not None:
                item["score"] = annotation["score"]
            details = scalar_attributes(annotation)
            if details:
                item["meta"] = {"text": [
                    "; ".join(f"{key}: {value}" for key, value in details.items())
                ]}
            result.append(item)
            for key, span in sub_spans(annotation):
                if key not in linked.get(name, ()):
                    continue
                labels[name].add(key)
                relations.add(key)
                part_id = f"{cue_id}.{key}"
                result.append(region(part_id, name, span["start"], span["end"],
                                     text[span["start"]:span["end"]], key))
                result.append({"from_id": cue_id, "to_id": part_id, "type": "relation",
                               "direction": "right", "labels": [key]})
        data = {"text": text} | {
            f"article_{key}" if key == "id" else key: article[key]
            for key in ARTICLE_FIELDS if article.get(key) is not None
        }
        return {"data": data,
                "predictions": [{"model_version": model_version(record), "result": result}]}

    def export(self, records: Iterable[dict[str, Any]], output: Path) -> None:
        labels: dict[str, set[str]] = defaultdict(set)
        relations: set[str] = set()
        with (output / "tasks.json").open("w", encoding="utf-8", newline="\n") as handle:
            handle.write("[")
            for number, record in enumerate(records):
                task = json.dumps(self.task(record, labels, relations), ensure_ascii=False)
                handle.write(("," if number else "") + "\n" + task)
            handle.write("\n]\n")
        (output / "config.xml").write_text(labeling_config(labels, relations), encoding="utf-8")


def labeling_config(labels: Mapping[str, set[str]], relations: set[str]) -> str:
    """The ``<View>`` with the text, one ``<Labels>`` per annotator, and the relations."""
    view = ElementTree.Element("View")
    style = ElementTree.SubElement(view, "Style")
    style.text = ".htx-text { white-space: pre-wrap; }"
    for name in sorted(labels):
        group = ElementTree.SubElement(view, "Labels", name=name, toName=TEXT_NAME)
        for label in sorted(labels[name]):
            ElementTree.SubElement(group, "Label", value=label)
    if relations:
        group = ElementTree.SubElement(view, "Relations")
        for relation in sorted(relations):
            ElementTree.SubElement(group, "Relation", value=relation)
    ElementTree.SubElement(view, "Text", name=TEXT_NAME, value=f"${TEXT_NAME}")
    ElementTree.indent(view)
    return ElementTree.tostring(view, encoding="unicode") + "\n"
