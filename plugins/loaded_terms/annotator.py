"""The loaded_terms annotator: lexicon hits and scare quotes, each explaining itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import Annotation, Annotator, ConfigError, find_quotes, load_schema, sub_span

from .lexicon import BUILTIN_LEXICON, Entry, Lexicon, read_lexicon
from .matching import Match, TermIndex
from .phrase import framed_phrase, is_negated, noun_chunk_bounds
from .proper_names import inside_name, proper_name_tokens
from .scare_quotes import SCARE_QUOTE_MODES, SCARE_QUOTE_RATIONALE, scare_quote
from .target import target_entity
from .valence import valence as term_valence
from .voice import speakers, voice_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator import Article, Quote


class LoadedTerms(Annotator):
    """Framing vocabulary (labels, pejoratives, hyperbole, loaded verbs, …) and scare quotes."""

    name = "loaded_terms"
    version = "0.2.0"
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

    def annotate(
        self,
        article: Article,
        doc: Doc,
        annotations: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    ) -> Iterator[Annotation]:
        text = article.text
        quotes = find_quotes(text)
        cues = speakers((annotations or {}).get("attribution", ()))
        names = proper_name_tokens(doc)
        matches = [
            m for m in self.index.scan(doc)
            if m.entry.names_allowed
            or not inside_name(doc, m.start, m.end, names, m.length > 1 or not m.entry.words)
        ]
        scare = self._scare_quotes(text, quotes, matches)
        chunks = noun_chunk_bounds(doc) if self.settings["phrase_spans"] else {}
        for match in sorted(matches, key=lambda m: (m.start, m.end)):
            around = [q for q in quotes if q.contains(match.start, match.end)]
            entry = match.entry
            start, end = match.start, match.end
            if chunks:
                start, end = framed_phrase(doc, start, end, chunks)
            words = text[match.start : match.end].split()
            valence, valence_source = term_valence(
                entry.valence, words, self.category_valence.get(entry.category)
            )
            target = target_entity(match.head) if match.head is not None else None
            target_span = sub_span(text, target.start_char, target.end_char) if target else None
            voice = voice_of(match.start, match.end, quotes, cues)
            yield Annotation(
                "loaded_term",
                start,
                end,
                attributes={
                    "term": entry.label,
                    "term_span": sub_span(text, match.start, match.end),
                    "category": entry.category,
                    "tier": "low" if entry.category in self.demoted else "core",
                    "rationale": entry.rationale,
                    "alternative": entry.alternative,
                    "lexicon": entry.lexicon,
                    "source": entry.source,
                    "valence": valence,
                    "valence_source": valence_source,
                    "target": target_span,
                    "voice": voice.voice,
                    "speaker": voice.speaker,
                    "probability": None,
                    "in_quote": bool(around),
                    "scare_quoted": any(q in scare for q in around),
                    "negated": is_negated(match.head),
                    "matched_by": match.matched_by,
                },
            )
        for quote, attributes in scare.items():
            voice = voice_of(quote.start, quote.end, quotes, cues)
            yield Annotation(
                "scare_quote",
                quote.start,
                quote.end,
                attributes={
                    **attributes,
                    "category": "scare_quote",
                    "rationale": SCARE_QUOTE_RATIONALE,
                    "voice": voice.voice,
                    "speaker": voice.speaker,
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
            "scare_quotes": sum(a["label"] == "scare_quote" for a in annotations),
            "by_category": dict(sorted(categories.items())),
            "top_terms": [{"term": term, "count": count} for term, count in frequent],
            "lexicons": [f"{lexicon.name} {lexicon.version}" for lexicon in self.lexicons],
        }
