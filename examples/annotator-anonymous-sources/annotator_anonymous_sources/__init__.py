"""Claims from anonymous sources, and whether the article says why the source is unnamed.

Built on the attribution annotator: its `vague_source` spans find unnamed speakers
("a senior official", "people familiar with the matter") and its `cue` records give
the reporting verb, the stance and the claim. This plugin pairs them, and looks in
the speaker's sentence for the explanation newsroom codes ask for when anonymity is
granted ("speaking on condition of anonymity", "not authorized to speak publicly").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from annotator import Annotation, Annotator, hookimpl, read_data_file, sub_span

HERE = files(__package__)
EXPLANATIONS = Path(str(HERE.joinpath("explanations.yaml")))


def read_explanations(path: Path) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, category) for each entry of an anonymity-explanations data file."""
    data = read_data_file(path, "anonymity-explanations")
    return [(re.compile(entry["pattern"], re.IGNORECASE), entry["category"])
            for entry in data["entries"]]


class AnonymousSources(Annotator):
    """One `anonymous_source` annotation per claim attributed to an unnamed speaker."""

    name = "anonymous_sources"
    version = "0.1.0"
    requires = ("parser",)  # attribution finds speakers only with a parse
    uses = ("attribution",)
    attributes_schema = json.loads(HERE.joinpath("attributes.json").read_text(encoding="utf-8"))
    default_settings = {"explanations": None}  # another anonymity-explanations file
    settings_schema = {"type": "object", "properties": {"explanations": {"type": "string"}}}

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        path = Path(self.settings["explanations"] or EXPLANATIONS)
        self.explanations = read_explanations(path)
        self.data_files.append(path)

    def annotate(self, article, doc, annotations) -> Iterator[Annotation]:
        records = annotations["attribution"]
        cues = [r for r in records if r["label"] == "cue"]
        for vague in longest_per_start(r for r in records if r["label"] == "vague_source"):
            inside = [c for c in cues if vague["start"] <= c["start"] and c["end"] <= vague["end"]]
            if not inside:
                continue
            cue = inside[-1]  # the main reporting verb: "who asked not to be named ... said"
            attributes = cue["attributes"]
            speaker = attributes["source"] or {"start": vague["start"], "end": cue["start"]}
            sentence = next(s for s in doc.sents if s.start_char <= speaker["start"] < s.end_char)
            explanation = self.explanation(article.text, sentence.start_char, sentence.end_char)
            yield Annotation(
                "anonymous_source",
                speaker["start"],
                speaker["end"],
                attributes={
                    "kind": vague["attributes"]["category"],
                    "cue": sub_span(article.text, cue["start"], cue["end"]),
                    "stance": attributes["stance"],
                    "claim": plain(attributes["content"]),
                    "explained": explanation is not None,
                    "explanation": explanation,
                },
            )

    def explanation(self, text: str, start: int, end: int) -> dict[str, Any] | None:
        """The first explanation of anonymity in ``text[start:end]``, as a sub-span."""
        found = [(m.start(), m.end(), category) for pattern, category in self.explanations
                 if (m := pattern.search(text, start, end))]
        if not found:
            return None
        first, last, category = min(found)
        return {**sub_span(text, first, last), "category": category}

    def summarize(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        explained = sum(a["attributes"]["explained"] for a in annotations)
        return {"count": len(annotations), "explained": explained}


def longest_per_start(spans: Iterator[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Of the spans starting at one offset ("Officials, who asked" and "Officials, who
    asked not to be named ... said"), the longest."""
    longest: dict[int, Mapping[str, Any]] = {}
    for span in spans:
        if span["end"] > longest.get(span["start"], {"end": -1})["end"]:
            longest[span["start"]] = span
    return [longest[start] for start in sorted(longest)]


def plain(span: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A read-only sub-span from another annotator's record, as a plain dict."""
    return None if span is None else {key: span[key] for key in ("start", "end", "text")}


@hookimpl
def register_annotators(register):
    register(AnonymousSources)
