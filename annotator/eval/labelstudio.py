"""Label Studio exports of reviewed annotations (JSON), as review gold.

Export the project as JSON after review: a list of tasks, each with ``data.text`` and the
reviewers' ``annotations``. A ``labels`` result's ``from_name`` is the annotator (one
``<Labels>`` per annotator, as ``annotate export labelstudio`` configures the project) and
its label ours (``cue/distancing``). Offsets are code points into ``data.text``, Label
Studio's convention since its emoji fix; exports made before it counted UTF-16 code units,
and such spans are recognised by their ``value.text`` and converted, with a note.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gold import Gold, data_files, read_text
from .review import ReviewedText, ReviewFormat
from .span import Span


def utf16_to_code_points(text: str) -> dict[int, int]:
    """UTF-16 code-unit offset -> code-point offset, for every boundary between characters."""
    table, units = {0: 0}, 0
    for index, character in enumerate(text, start=1):
        units += 2 if ord(character) > 0xFFFF else 1
        table[units] = index
    return table


def same_text(expected: str, found: str) -> bool:
    """Equal, or equal once whitespace runs are collapsed (Label Studio may trim them)."""
    return expected == found or " ".join(expected.split()) == " ".join(found.split())


class SpanReader:
    """Checks each region's offsets against ``value.text`` and converts old UTF-16 ones."""

    def __init__(self) -> None:
        self.converted = 0

    def span(self, value: Mapping[str, Any], key: str, text: str, where: str) -> Span:
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            raise InputError(f"{where}: a labels region needs integer start and end")
        quoted = value.get("text")
        if 0 <= start < end <= len(text) and (quoted is None or same_text(quoted, text[start:end])):
            return Span.of(start, end, key)
        table = utf16_to_code_points(text)
        if start in table and end in table and quoted is not None \
                and same_text(quoted, text[table[start]:table[end]]):
            self.converted += 1
            return Span.of(table[start], table[end], key)
        raise InputError(
            f"{where}: offsets {start}-{end} do not select {quoted!r} in the task text"
        )


def reviewer_of(annotation: Mapping[str, Any]) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return str(who if who is not None else annotation.get("id", "?"))


def task_reviews(task: Mapping[str, Any], text: str, where: str, spans: SpanReader
                 ) -> list[tuple[str, tuple[Span, ...]]]:
    """Each reviewer's spans; a ground-truth annotation first, then by reviewer id."""
    reviews = []
    for annotation in task.get("annotations") or ():
        if annotation.get("was_cancelled"):
            continue
        found = []
        for result in annotation.get("result") or ():
            value = result.get("value") or {}
            labels = value.get("labels")
            if result.get("type") != "labels" or not labels:
                continue
            region = f"{where}: region {result.get('id', '?')}"
            found += [spans.span(value, f"{result['from_name']}:{label}", text, region)
                      for label in labels]
        reviews.append((not annotation.get("ground_truth"), reviewer_of(annotation),
                        tuple(sorted(found, key=lambda s: (s.parts, s.label)))))
    return [(who, found) for _, who, found in sorted(reviews, key=lambda r: (r[0], r[1]))]


def read_labelstudio(path: Path) -> Gold:
    """Tasks with at least one (not cancelled) annotation; ids from ``data.article_id``."""
    gold = Gold("labelstudio", path, [])
    spans, unreviewed, seen = SpanReader(), 0, set()
    for export in data_files(path, ".json", "a Label Studio export"):
        try:
            tasks = json.loads(read_text(export))
        except json.JSONDecodeError as error:
            raise InputError(f"{export}:{error.lineno}: not JSON ({error.msg})") from None
        if not isinstance(tasks, list):
            raise InputError(f"{export}: not a Label Studio JSON export (a list of tasks)")
        for number, task in enumerate(tasks, start=1):
            data = task.get("data") if isinstance(task, dict) else None
            if not isinstance(data, dict) or not isinstance(data.get("text"), str):
                raise InputError(f"{export}: task {number} has no data.text")
            task_id = str(data.get("article_id") or task.get("id") or number)
            where = f"{export}: task {task_id}"
            if task_id in seen:
                raise InputError(f"{where}: the same article id is in another task")
            seen.add(task_id)
            reviews = task_reviews(task, data["text"], where, spans)
            if not reviews:
                unreviewed += 1
                continue
            gold.items.append(ReviewedText(task_id, data["text"], str(export), tuple(reviews)))
    if not gold.items:
        raise InputError(f"{path}: no reviewed task (no annotations) in the export")
    shared = sum(len(item.reviews) > 1 for item in gold.items)
    if shared:
        gold.notes.append(f"{shared} of {len(gold.items)} tasks have several reviewers; the "
                          "ground-truth (else first) annotation is the reference")
    if unreviewed:
        gold.notes.append(f"{unreviewed} tasks without annotations were skipped")
    if spans.converted:
        gold.notes.append(f"{spans.converted} regions had UTF-16 offsets (Label Studio before "
                          "its emoji fix) and were converted to code points")
    return gold


class LabelStudioFormat(ReviewFormat):
    name = "labelstudio"
    layout = "a Label Studio JSON export"
    label_map_section = "labelstudio"

    def review(self, config: Mapping[str, Any]) -> Mapping[str, Any]:
        """The label map's ``labelstudio`` section: what the export skipped and refined."""
        return config["labelstudio"]

    def detect(self, path: Path) -> bool:
        if not path.is_file() or path.suffix != ".json":
            return False
        with path.open("rb") as handle:
            return handle.read(64).lstrip().startswith(b"[")

    def read(self, path: Path, config: Mapping[str, Any]) -> Gold:
        return read_labelstudio(path)
