"""The ``attribution`` annotator: reporting cues with stance, speaker and content; hedges;
vague sources."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import (
    Annotation,
    Annotator,
    ConfigError,
    TrainOptions,
    find_quotes,
    load_schema,
    model_provenance,
    sub_span,
)

from .content import quoted_parts
from .cue import Cue
from .document import DocAnalysis
from .finder import CueFinder
from .hedge import hedge_annotations, vague_source_annotations
from .learned import MODELS, LearnedParts, Thresholds, hedged_sentences, merge_cues
from .lexicon import BUILTIN_LEXICON, STANCES, load_lexicon
from .source import drop_non_speakers
from .speaker import SPEAKER_PRONOUNS, LastSpeaker, speaker_name

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator import Article, Gold


THRESHOLD_SETTINGS = (
    "cue_threshold", "keep_threshold", "source_threshold", "hedge_threshold",
    "hedge_keep_threshold",
)


class Attribution(Annotator):
    """Reporting cues with stance, speaker and content; hedges; vague sources."""

    name = "attribution"
    version = "1.4.3"
    requires = ()
    attributes_schema = load_schema("attributes/attribution.json")
    default_settings = {
        "lexicon": None,
        "resolve_sources": True,
        "hedges": True,
        "skip_cues_in_quotes": True,
        "learned": True,
        "model": None,
        "cue_threshold": 0.7,
        "keep_threshold": 0.5,
        "source_threshold": 0.3,
        "hedge_threshold": 0.6,
        "hedge_keep_threshold": 0.01,
    }
    baseline_settings = {"learned": False}

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        for name in THRESHOLD_SETTINGS:
            value = self.settings[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or not (
                0 <= value <= 1
            ):
                raise ConfigError(f"attribution: {name} must be a number from 0 to 1, "
                                  f"not {value!r}")
        path = Path(self.settings["lexicon"] or BUILTIN_LEXICON)
        self.lexicon = load_lexicon(path)
        self.data_files.append(path)
        self.learned: LearnedParts | None = None
        if self.settings["learned"]:
            self.learned = LearnedParts(Path(self.settings["model"] or MODELS))
        s = self.settings
        self.thresholds = Thresholds(
            s["cue_threshold"], s["keep_threshold"], s["source_threshold"],
            s["hedge_threshold"], s["hedge_keep_threshold"],
        )

    @classmethod
    def train(cls, golds: Sequence[Gold], options: TrainOptions) -> None:
        """Train the cue/source tagger (brat gold) and the hedge classifier (sentence gold)."""
        from .training import train

        train(golds, options)

    def annotate(self, article: Article, doc: Doc) -> Iterator[Annotation]:
        text = article.text
        analysis = DocAnalysis(doc, text, find_quotes(text), article.source)
        skip = self.settings["skip_cues_in_quotes"]
        cues = CueFinder(self.lexicon, analysis, skip).find()
        if self.learned is not None and analysis.has_parse:
            cues = merge_cues(analysis, self.lexicon, cues, self.learned.cue, self.thresholds, skip)
        drop_non_speakers(analysis, cues)
        previous: LastSpeaker | None = None
        for cue in cues:
            annotation = self._cue_annotation(cue, analysis, previous)
            source = annotation.attributes["source"]
            speaker = annotation.attributes["source_resolved"] or source
            if speaker is not None and speaker["text"].lower() not in SPEAKER_PRONOUNS:
                previous = LastSpeaker((speaker["start"], speaker["end"]),
                                       (source["start"], source["end"]))
            yield annotation
        if self.settings["hedges"]:
            hits = list(hedge_annotations(self.lexicon, text, analysis))
            if self.learned is not None and analysis.has_parse:
                yield from hedged_sentences(
                    analysis, self.lexicon, hits, self.learned.hedge, self.thresholds
                )
            else:
                for hit in hits:
                    attributes = {**hit.attributes, "method": "rules", "probability": None}
                    yield Annotation("hedge", hit.start, hit.end, attributes=attributes)
        yield from vague_source_annotations(self.lexicon, cues, analysis)

    def provenance(self) -> dict[str, Any]:
        """The base provenance, plus the model folders' hashes and which method ran."""
        record = super().provenance()
        if self.learned is None:
            record["method"] = "rules only (learned = false)"
            return record
        models = [model_provenance(name, path, MODELS / name)
                  for name, path in self.learned.folders.items()]
        record["data_files"] += models
        record["method"] = (
            f"learned: {models[0]['name']} and {models[1]['name']}, merged with the rules; "
            "rules alone where the pipeline has no parser"
        )
        return record

    def _cue_annotation(
        self, cue: Cue, analysis: DocAnalysis, previous: LastSpeaker | None
    ) -> Annotation:
        text = analysis.text
        source = sub_span(text, *cue.source) if cue.source else None
        resolved = None
        name = None
        if cue.source_head is not None:
            named, resolved_span = speaker_name(
                analysis, cue.source, cue.source_head, previous
            )
            if resolved_span and self.settings["resolve_sources"]:
                resolved = sub_span(text, *resolved_span)
                name = text[resolved_span[0] : resolved_span[1]]
            else:
                name = named
        if name is None and source is not None:
            name = source["text"]  # an unresolved pronoun or description, as written
        content = sub_span(text, *cue.content) if cue.content else None
        quoted = quoted_parts(analysis, cue.content) if cue.quote_type == "mixed" else []
        attributes = {
            "stance": cue.stance,
            "entry": cue.entry.key,
            "category": cue.entry.category,
            "modifier": cue.modifier,
            "negated": cue.negated,
            "source": source,
            "source_resolved": resolved,
            "source_name": name,
            "content": content,
            "quote_type": cue.quote_type,
            "quoted": [sub_span(text, q.start, q.end) for q in quoted],
            "continuation": cue.continuation,
            "has_source": source is not None,
            "method": cue.method,
            "probability": cue.probability,
        }
        return Annotation("cue", cue.start, cue.end, attributes=attributes)

    def summarize(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        """Counts by label, cues by stance, and the share of cues with a known source;
        continuation cues count only as ``continuations``, not again by stance."""
        summary = super().summarize(annotations)
        every_cue = [a for a in annotations if a["label"] == "cue"]
        cues = [a for a in every_cue if not a["attributes"]["continuation"]]
        stances = {stance: 0 for stance in STANCES}
        for cue in cues:
            stances[cue["attributes"]["stance"]] += 1
        summary["stances"] = stances
        sourced = sum(cue["attributes"]["has_source"] for cue in cues)
        summary["sourced_share"] = round(sourced / len(cues), 4) if cues else None
        summary["continuations"] = len(every_cue) - len(cues)
        return summary

