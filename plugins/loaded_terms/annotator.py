"""The loaded_terms annotator: lexicon hits and scare quotes, each explaining itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import (
    Annotation,
    Annotator,
    ConfigError,
    find_quotes,
    load_schema,
    model_provenance,
    sub_span,
)

from .learned import (
    BUILTIN_MODEL,
    DEFAULT_THRESHOLD,
    LEARNED_SOURCE,
    PROPOSAL_THRESHOLD,
    Proposal,
    SpanScorer,
    proposals,
    span_probability,
)
from .learned import train as train_scorer
from .lexicon import BUILTIN_LEXICON, Entry, Lexicon, read_lexicon
from .matching import Match, TermIndex
from .phrase import framed_phrase, is_negated, noun_chunk_bounds
from .proper_names import inside_name, proper_name_tokens
from .scare_quotes import SCARE_QUOTE_MODES, SCARE_QUOTE_RATIONALE, scare_quote
from .target import target_entity
from .valence import valence as term_valence
from .voice import Voice, speakers, voice_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator import Article, Gold, Quote, TrainOptions


@dataclass(frozen=True)
class Kept:
    """A lexicon hit the threshold keeps: its span (the framed phrase), tier, probability."""

    match: Match
    span: tuple[int, int]
    tier: str
    probability: float | None


def stance_cue_spans(attribution: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """The spans of the attribution cues that take a stance ("inaccurately asserted",
    "boasted"): their words count as the cue's stance, not again as loaded terms."""
    return [
        (record["start"], record["end"]) for record in attribution
        if record.get("label") == "cue"
        and (record.get("attributes") or {}).get("stance", "neutral") != "neutral"
    ]


def overlaps_any(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def merge_overlapping_hits(kept: Sequence[Kept]) -> list[Kept]:
    """One hit per run of overlapping spans ("brutal" and "dictator" in "a brutal
    dictator"): the core-tier one before the low tier, then the one with the longest
    matched words, then the more probable, spanning the whole run."""
    merged: list[list[Kept]] = []
    for hit in sorted(kept, key=lambda h: h.span):
        if merged and hit.span[0] < max(h.span[1] for h in merged[-1]):
            merged[-1].append(hit)
        else:
            merged.append([hit])
    return [
        replace(
            max(group, key=lambda h: (h.tier == "core", h.match.end - h.match.start,
                                      h.probability or 0.0)),
            span=(group[0].span[0], max(h.span[1] for h in group)),
        )
        for group in merged
    ]


class LoadedTerms(Annotator):
    """Framing vocabulary (labels, pejoratives, hyperbole, loaded verbs, …) and scare quotes."""

    name = "loaded_terms"
    version = "0.3.0"
    requires = ()
    uses = ("attribution",)
    attributes_schema = load_schema("attributes/loaded_terms.json")
    default_settings: dict[str, Any] = {
        "extra_lexicons": [],
        "disable_categories": [],
        "include_builtin": True,
        "scare_quotes": "labels",
        "phrase_spans": True,
        "max_scare_quote_words": 4,
        "model": "builtin",
        "threshold": DEFAULT_THRESHOLD,
        "proposal_threshold": PROPOSAL_THRESHOLD,
    }

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        if self.settings["scare_quotes"] not in SCARE_QUOTE_MODES:
            raise ConfigError(
                f"loaded_terms: scare_quotes must be one of {', '.join(SCARE_QUOTE_MODES)}, "
                f"not {self.settings['scare_quotes']!r}"
            )
        extra = self.settings["extra_lexicons"]
        paths = [BUILTIN_LEXICON] if self.settings["include_builtin"] else []
        paths += [Path(p) for p in ([extra] if isinstance(extra, str) else extra)]
        categories: dict[str, str] = {}
        merged: dict[tuple[Any, ...], Entry] = {}
        self.lexicons: list[Lexicon] = []
        for path in paths:
            lexicon = read_lexicon(path, categories)
            categories = lexicon.categories
            self.lexicons.append(lexicon)
            self.data_files.append(path)
            for entry in lexicon.entries:
                merged.pop(entry.key, None)
                merged[entry.key] = entry
        unknown = sorted(set(self.settings["disable_categories"]) - set(categories))
        if unknown:
            raise ConfigError(
                f"loaded_terms: disable_categories names unknown categories {', '.join(unknown)} "
                f"(known: {', '.join(sorted(categories))})"
            )
        disabled = set(self.settings["disable_categories"])
        self.categories = categories
        self.category_valence = {k: v for x in self.lexicons for k, v in x.category_valence.items()}
        self.demoted = {k: v for x in self.lexicons for k, v in x.demoted.items()}
        self.entries = [e for e in merged.values() if e.category not in disabled]
        self.index = TermIndex(self.entries)
        self.scorer = self._load_scorer(self.settings["model"])
        for name in ("threshold", "proposal_threshold"):
            value = self.settings[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or not (
                0 <= value <= 1
            ):
                raise ConfigError(f"loaded_terms: {name} must be a number from 0 to 1, "
                                  f"not {value!r}")

    def _load_scorer(self, model: Any) -> SpanScorer | None:
        """The learned scorer: ``builtin`` (shipped weights), a model folder, or none."""
        if model in (None, "none"):
            return None
        if not isinstance(model, str | Path):
            raise ConfigError(f"loaded_terms: model must be 'builtin', 'none' or a folder, "
                              f"not {model!r}")
        folder = BUILTIN_MODEL if model == "builtin" else Path(model)
        scorer = SpanScorer.load(folder)
        self.scorer_model = model_provenance("scorer", folder, BUILTIN_MODEL)
        return scorer

    def provenance(self) -> dict[str, Any]:
        """The base provenance, plus the scorer's model folder and its hash."""
        record = super().provenance()
        if self.scorer is not None:
            record["data_files"].append(self.scorer_model)
        return record

    @classmethod
    def train(cls, golds: Sequence[Gold], options: TrainOptions) -> None:
        """Train the learned span scorer on PTC gold (docs/loaded-terms.md)."""
        lexicon = cls(model="none")
        train_scorer(golds, options, lambda doc: lexicon.lexicon_features(doc))

    def matches(self, doc: Doc) -> list[Match]:
        """Lexicon hits, left to right, without those inside proper names."""
        names = proper_name_tokens(doc)
        found = [
            m for m in self.index.scan(doc)
            if m.entry.names_allowed
            or not inside_name(doc, m.start, m.end, names, m.length > 1 or not m.entry.words)
        ]
        return sorted(found, key=lambda m: (m.start, m.end))

    def lexicon_features(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start, end, category) of every lexicon hit: what the learned scorer reads."""
        return [(m.start, m.end, m.entry.category) for m in self.matches(doc)]

    def scored(self, doc: Doc) -> tuple[list[Match], Any]:
        """The lexicon hits, and the learned scorer's per-token probabilities: everything the
        threshold then chooses from. None without a model, and on a Doc without a parse,
        whose features the scorer was not trained on (the blank pipeline)."""
        matches = self.matches(doc)
        if self.scorer is None or not doc.has_annotation("DEP"):
            return matches, None
        hits = [(m.start, m.end, m.entry.category) for m in matches]
        return matches, self.scorer.probabilities(doc, hits)

    def select(
        self, doc: Doc, matches: list[Match], probabilities: Any, threshold: float
    ) -> tuple[list[Kept], list[Proposal]]:
        """The hits kept at ``threshold`` (core tier always; a demoted category's only at or
        above it) with their spans, and the learned scorer's own spans that overlap no kept
        hit, at or above ``threshold`` and ``proposal_threshold`` both."""
        chunks = noun_chunk_bounds(doc) if self.settings["phrase_spans"] else {}
        kept = []
        for match in matches:
            probability = (
                span_probability(doc, probabilities, match.start, match.end)
                if probabilities is not None else None
            )
            tier = "low" if match.entry.category in self.demoted else "core"
            if probability is not None and tier == "low" and probability < threshold:
                continue
            span = framed_phrase(doc, match.start, match.end, chunks) if chunks else (
                match.start, match.end)
            kept.append(Kept(match, span, tier, probability))
        if probabilities is None:
            return kept, []
        learned = [
            p for p in proposals(
                doc, probabilities, max(threshold, self.settings["proposal_threshold"])
            )
            if not any(p.start < k.span[1] and k.span[0] < p.end for k in kept)
        ]
        return kept, learned

    def annotate(
        self,
        article: Article,
        doc: Doc,
        annotations: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    ) -> Iterator[Annotation]:
        text = article.text
        quotes = find_quotes(text)
        cues = speakers((annotations or {}).get("attribution", ()))
        matches, probabilities = self.scored(doc)
        kept, learned = self.select(doc, matches, probabilities, self.settings["threshold"])
        stance_cues = stance_cue_spans((annotations or {}).get("attribution", ()))
        kept = merge_overlapping_hits(
            [h for h in kept if not overlaps_any(h.match.start, h.match.end, stance_cues)]
        )
        learned = [p for p in learned if not overlaps_any(p.start, p.end, stance_cues)]
        scare = self._scare_quotes(text, quotes, matches)
        for hit in kept:
            voice = voice_of(hit.match.start, hit.match.end, quotes, cues)
            yield self._term_annotation(text, hit, voice, quotes, scare)
        for proposal in learned:
            voice = voice_of(proposal.start, proposal.end, quotes, cues)
            yield self._learned_annotation(text, doc, proposal, voice)
        for quote, attributes in scare.items():
            if any(quote.contains(h.match.start, h.match.end) for h in kept):
                continue  # the loaded term inside says it (scare_quoted): counted once
            voice = voice_of(quote.start, quote.end, quotes, cues)
            probability = (
                span_probability(doc, probabilities, quote.content_start, quote.content_end)
                if probabilities is not None else None
            )
            yield Annotation(
                "scare_quote",
                quote.start,
                quote.end,
                score=probability,
                attributes={
                    **attributes,
                    "category": "scare_quote",
                    "rationale": SCARE_QUOTE_RATIONALE,
                    "voice": voice.voice,
                    "speaker": voice.speaker,
                    "probability": probability,
                },
            )

    def _term_annotation(
        self,
        text: str,
        hit: Kept,
        voice: Voice,
        quotes: list[Quote],
        scare: dict[Quote, dict[str, Any]],
    ) -> Annotation:
        match, probability = hit.match, hit.probability
        entry = match.entry
        around = [q for q in quotes if q.contains(match.start, match.end)]
        valence, valence_source = term_valence(
            entry.valence, text[match.start : match.end].split(),
            self.category_valence.get(entry.category),
        )
        target = target_entity(match.head) if match.head is not None else None
        return Annotation(
            "loaded_term",
            *hit.span,
            score=probability,
            attributes={
                "term": entry.label,
                "term_span": sub_span(text, match.start, match.end),
                "category": entry.category,
                "tier": hit.tier,
                "rationale": entry.rationale,
                "alternative": entry.alternative,
                "lexicon": entry.lexicon,
                "source": entry.source,
                "valence": valence,
                "valence_source": valence_source,
                "target": sub_span(text, target.start_char, target.end_char) if target else None,
                "voice": voice.voice,
                "speaker": voice.speaker,
                "probability": probability,
                "in_quote": bool(around),
                "scare_quoted": any(q in scare for q in around),
                "negated": is_negated(match.head),
                "matched_by": match.matched_by,
            },
        )

    def _learned_annotation(
        self, text: str, doc: Doc, proposal: Proposal, voice: Voice
    ) -> Annotation:
        """A span only the learned scorer found: category ``learned``, its cue words as the
        rationale, and valence and target from its most probable word."""
        span = doc.char_span(proposal.start, proposal.end, alignment_mode="expand")
        head = span.root if span is not None and doc.has_annotation("DEP") else None
        valence, valence_source = term_valence(None, proposal.cue_words, None)
        target = target_entity(head) if head is not None else None
        cues = ", ".join(f"'{word}'" for word in proposal.cue_words)
        return Annotation(
            "loaded_term",
            proposal.start,
            proposal.end,
            score=proposal.probability,
            attributes={
                "term": text[proposal.start : proposal.end],
                "term_span": sub_span(text, proposal.start, proposal.end),
                "category": "learned",
                "tier": "learned",
                "rationale": f"The learned scorer rates these words as loaded language; "
                             f"cue words: {cues}.",
                "alternative": None,
                "lexicon": self.scorer.name if self.scorer else "learned",
                "source": LEARNED_SOURCE,
                "valence": valence,
                "valence_source": valence_source,
                "target": sub_span(text, target.start_char, target.end_char) if target else None,
                "voice": voice.voice,
                "speaker": voice.speaker,
                "probability": proposal.probability,
                "in_quote": voice.voice == "quoted",
                "scare_quoted": False,
                "negated": is_negated(head),
                "matched_by": "model",
            },
        )

    def _scare_quotes(
        self, text: str, quotes: list[Quote], matches: list[Match]
    ) -> dict[Quote, dict[str, Any]]:
        """Short quotes used as labels: in "labels" mode only those with a labeling verb
        before them or loaded vocabulary inside; in "all" mode every short non-speech quote."""
        mode = self.settings["scare_quotes"]
        found = {}
        for quote in quotes if mode != "none" else ():
            attributes = scare_quote(text, quote, self.settings["max_scare_quote_words"])
            if attributes is None:
                continue
            inner = sorted({m.entry.label for m in matches if quote.contains(m.start, m.end)})
            if mode == "all" or inner or attributes["labeling_cue"]:
                found[quote] = {**attributes, "loaded_terms": inner}
        return found

    def summarize(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        terms = [a for a in annotations if a["label"] == "loaded_term"]
        categories = Counter(a["attributes"]["category"] for a in terms)
        frequent = Counter(a["attributes"]["term"] for a in terms).most_common(10)
        voices = Counter(a["attributes"]["voice"] for a in terms)
        return {
            "loaded_terms": len(terms),
            "own_voice": voices["own"],
            "quoted": voices["quoted"],
            "by_tier": dict(sorted(Counter(a["attributes"]["tier"] for a in terms).items())),
            "by_valence": dict(sorted(Counter(a["attributes"]["valence"] for a in terms).items())),
            "scare_quotes": sum(a["label"] == "scare_quote" for a in annotations)
            + sum(a["attributes"]["scare_quoted"] for a in terms),
            "by_category": dict(sorted(categories.items())),
            "top_terms": [{"term": term, "count": count} for term, count in frequent],
            "lexicons": [f"{lexicon.name} {lexicon.version}" for lexicon in self.lexicons],
        }
