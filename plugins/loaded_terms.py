"""Loaded terms: framing vocabulary from governed YAML lexicons, and scare quotes.

Every hit explains itself: the lexicon entry's category, rationale, neutral
alternative and source travel with it, plus whether the outlet is quoting
someone (``in_quote``) and whether a negation governs the word (``negated``).

Run ``python -m annotator_plugins.loaded_terms FILE...`` to lint lexicons.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import (
    Annotation,
    Annotator,
    ConfigError,
    find_quotes,
    hookimpl,
    load_schema,
    read_data_file,
    sub_span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from annotator import Article, Quote

BUILTIN_LEXICON = Path(__file__).parent / "lexicons" / "loaded_terms.yaml"
LEXICON_KIND = "term-lexicon"
UPOS = frozenset(
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
)
ENTRY_FIELDS = frozenset(
    {"term", "pattern", "category", "rationale", "alternative", "source", "pos", "case_sensitive"}
)
REQUIRED_ENTRY_FIELDS = ("category", "rationale", "source")
SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")
HYPHENS = frozenset({"-", "‐", "‑"})
NEGATORS = frozenset({"not", "n't", "never", "no", "nor", "neither", "without", "hardly"})
SENTENCE_END = re.compile(r"[.!?…](?=\s*\S)|[!?]")
LABELING_CUES = frozenset(
    """call label brand dub term describe deem denounce decry refer name characterize
    characterise portray cast style tag""".split()
)
REPORTING_VERBS = frozenset(
    """say tell add ask write state declare insist claim argue explain warn note
    announce reply respond tweet post continue conclude""".split()
)


@dataclass(frozen=True)
class Entry:
    """One lexicon entry, compiled for matching."""

    category: str
    rationale: str
    source: str
    lexicon: str
    words: tuple[str, ...] = ()
    hyphen_gaps: frozenset[int] = frozenset()
    term: str | None = None
    pattern: re.Pattern[str] | None = None
    alternative: str | None = None
    pos: frozenset[str] = frozenset()
    case_sensitive: bool = False

    @property
    def label(self) -> str:
        return self.term if self.term is not None else self.pattern.pattern  # type: ignore[union-attr]

    @property
    def key(self) -> tuple[Any, ...]:
        """Entries with the same key override each other across lexicons."""
        return (self.words or self.label, self.category)


@dataclass(frozen=True)
class Lexicon:
    """A loaded term lexicon: its metadata and compiled entries."""

    name: str
    version: str
    categories: dict[str, str]
    entries: tuple[Entry, ...]


@cache
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


@cache
def _split_term(term: str) -> tuple[tuple[str, ...], frozenset[int]]:
    """The term's words as the tokenizer splits them, and the gaps written with a hyphen."""
    words: list[str] = []
    gaps = set()
    for token in _tokenizer()(term):
        if token.text in HYPHENS:
            gaps.add(len(words) - 1)
        elif not token.is_space:
            words.append(token.text)
    return tuple(words), frozenset(gaps)


def term_words(term: str, case_sensitive: bool = False) -> tuple[str, ...]:
    """The term as the tokenizer splits it, hyphens dropped, lowercased unless case-sensitive."""
    words = _split_term(term)[0]
    return words if case_sensitive else tuple(w.lower() for w in words)


def hyphen_gaps(term: str) -> frozenset[int]:
    """Gaps (after word k) that the term writes with a hyphen: only hyphenated text matches them.

    A term written with spaces ("war of words") also matches its hyphenated form
    ("war-of-words"), but "would-be" must not match "would be".
    """
    return _split_term(term)[1]


def _term_problem(term: Any) -> str | None:
    """Why a term can never match as written, or None."""
    if not isinstance(term, str) or not term.strip():
        return "term is empty"
    if term != term.strip() or re.search(r"\s{2,}|[\t\n\r]", term):
        return "term has stray whitespace"
    words = term_words(term, case_sensitive=True)
    if not any(re.search(r"\w", word) for word in words):
        return "term has no words"
    if any(len(word) > 1 and (word[0] in HYPHENS or word[-1] in HYPHENS) for word in words):
        return "term has a dangling hyphen; text splits hyphens off words, so it never matches"
    return None


def _pattern_problem(pattern: Any) -> str | None:
    if not isinstance(pattern, str) or not pattern:
        return "pattern is empty"
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        return f"pattern does not compile: {error}"
    if compiled.fullmatch(""):
        return "pattern matches the empty string"
    return None


def _entry_problems(raw: Any, categories: dict[str, str]) -> list[str]:
    """Every problem with one raw entry, as short phrases."""
    if not isinstance(raw, dict):
        return ["entry is not a mapping"]
    problems = [f"unknown field {f!r}" for f in sorted(set(raw) - ENTRY_FIELDS)]
    if ("term" in raw) == ("pattern" in raw):
        problems.append("needs exactly one of 'term' or 'pattern'")
    elif "term" in raw:
        problems += filter(None, [_term_problem(raw["term"])])
    else:
        problems += filter(None, [_pattern_problem(raw["pattern"])])
    for field in REQUIRED_ENTRY_FIELDS:
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            problems.append(f"missing {field!r}")
    if isinstance(raw.get("category"), str) and raw["category"] not in categories:
        problems.append(f"unknown category {raw['category']!r}")
    alternative = raw.get("alternative")
    if alternative is not None and (not isinstance(alternative, str) or not alternative.strip()):
        problems.append("'alternative' must be a non-empty string or absent")
    pos = raw.get("pos", [])
    if not isinstance(pos, list) or not pos and "pos" in raw:
        problems.append("'pos' must be a non-empty list of UPOS tags")
    else:
        problems += [f"{tag!r} is not a UPOS tag" for tag in pos if tag not in UPOS]
    if not isinstance(raw.get("case_sensitive", False), bool):
        problems.append("'case_sensitive' must be true or false")
    return problems


def _describe(raw: Any, index: int) -> str:
    label = raw.get("term") or raw.get("pattern") if isinstance(raw, dict) else None
    return f"entry {index + 1}" + (f" ({label!r})" if label else "")


def lint_lexicon(path: str | Path, known_categories: dict[str, str] | None = None) -> list[str]:
    """Every problem in a lexicon file, one line each naming the file and entry; [] if clean.

    Checks the header (kind, name, semver version, categories), each entry's fields,
    categories (declared in the file or in ``known_categories``), UPOS tags, terms
    and patterns that can never match, and duplicate terms.
    """
    path = Path(path)
    try:
        data = read_data_file(path, LEXICON_KIND)
    except ConfigError as error:
        return [str(error)]
    return _lint(path, data, known_categories)


def _lint(path: Path, data: Any, known_categories: dict[str, str] | None) -> list[str]:
    problems = []
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        problems.append(f"{path}: missing 'name'")
    if not SEMVER.match(str(data.get("version", ""))):
        problems.append(f"{path}: 'version' must be semver like 1.0.0")
    declared = data.get("categories") or {}
    if not isinstance(declared, dict) or not all(
        isinstance(v, str) and v.strip() for v in declared.values()
    ):
        problems.append(f"{path}: 'categories' must map each id to a description")
        declared = {}
    categories = {**(known_categories or {}), **declared}
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        return [*problems, f"{path}: 'entries' must be a non-empty list"]
    seen: dict[tuple[Any, ...], int] = {}
    for index, raw in enumerate(entries):
        where = f"{path}: {_describe(raw, index)}"
        entry_problems = _entry_problems(raw, categories)
        problems += [f"{where}: {problem}" for problem in entry_problems]
        if entry_problems:
            continue
        case_sensitive = raw.get("case_sensitive", False)
        identity = (
            term_words(raw["term"], case_sensitive) if "term" in raw else raw["pattern"],
            case_sensitive,
            tuple(sorted(raw.get("pos", []))),
        )
        if identity in seen:
            problems.append(f"{where}: duplicate of entry {seen[identity] + 1}")
        seen.setdefault(identity, index)
    return problems


def read_lexicon(path: str | Path, known_categories: dict[str, str] | None = None) -> Lexicon:
    """Load and compile a lexicon; any lint problem raises ConfigError naming file and entry."""
    path = Path(path)
    data = read_data_file(path, LEXICON_KIND)
    problems = _lint(path, data, known_categories)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise ConfigError(problems[0] + more)
    categories = {**(known_categories or {}), **(data.get("categories") or {})}
    entries = []
    for raw in data["entries"]:
        case_sensitive = raw.get("case_sensitive", False)
        term = raw.get("term")
        entries.append(
            Entry(
                category=raw["category"],
                rationale=raw["rationale"].strip(),
                source=raw["source"].strip(),
                lexicon=data["name"],
                words=term_words(term, case_sensitive) if term else (),
                hyphen_gaps=hyphen_gaps(term) if term else frozenset(),
                term=term,
                pattern=None
                if term
                else re.compile(raw["pattern"], 0 if case_sensitive else re.IGNORECASE),
                alternative=raw.get("alternative"),
                pos=frozenset(raw.get("pos", [])),
                case_sensitive=case_sensitive,
            )
        )
    return Lexicon(data["name"], str(data["version"]), categories, tuple(entries))


def _plural_forms(word: str) -> set[str]:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return {word + "es"}
    if re.search(r"[^aeiou]y$", word):
        return {word[:-1] + "ies"}
    return {word + "s"}


def _verb_forms(word: str) -> set[str]:
    """-ed and -ing forms by the regular spelling rules (slam -> slammed, blast -> blasted)."""
    if word.endswith("e"):
        return {word + "d", word[:-1] + "ing"}
    if re.search(r"[^aeiou]y$", word):
        return {word[:-1] + "ied", word + "ing"}
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", word):
        return {word + word[-1] + "ed", word + word[-1] + "ing"}
    return {word + "ed", word + "ing"}


def inflected_variants(entry: Entry) -> Iterator[tuple[str, ...]]:
    """Regular inflections of a term for docs without lemmas (the blank pipeline).

    Entries restricted to verbs yield only their -ed/-ing forms, which are verbs
    without a tagger's help; other POS-restricted entries yield nothing, and
    case-sensitive entries only themselves.
    """
    words = entry.words
    if not words:
        return
    if entry.pos:
        if "VERB" in entry.pos and not entry.case_sensitive:
            for form in _verb_forms(words[0]):
                yield (form, *words[1:])
        return
    yield words
    if entry.case_sensitive:
        return
    for form in _plural_forms(words[-1]):
        yield (*words[:-1], form)
    for form in _verb_forms(words[0]) | (_plural_forms(words[0]) if len(words) > 1 else set()):
        yield (form, *words[1:])


@dataclass(frozen=True)
class Match:
    """A lexicon hit: character offsets, the head token (when tagged) and how it matched."""

    entry: Entry
    start: int
    end: int
    head: Token | None
    matched_by: str
    length: int = 1


class TermIndex:
    """Term entries keyed by their first word, longest first, for a left-to-right scan."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self.blank_by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self.patterns: list[Entry] = []
        for entry in entries:
            if entry.pattern is not None:
                self.patterns.append(entry)
                continue
            self.by_first.setdefault(entry.words[0], []).append((entry.words, entry))
            for variant in set(inflected_variants(entry)):
                self.blank_by_first.setdefault(variant[0], []).append((variant, entry))
        for index in (self.by_first, self.blank_by_first):
            for candidates in index.values():
                candidates.sort(key=lambda item: -len(item[0]))

    def scan(self, doc: Doc) -> list[Match]:
        """Longest non-overlapping term matches, left to right, then pattern matches.

        At each position every key of the token (exact text, lowercase, lemma) is
        tried; the longest entry wins, and on a tie the earlier key (the written form).
        """
        lemmatized = doc.has_annotation("LEMMA")
        tagged = doc.has_annotation("POS")
        index = self.by_first if lemmatized else self.blank_by_first
        tokens = [t for t in doc if not _is_infix_hyphen(t) and not t.is_space]
        keys = [_token_keys(t, lemmatized) for t in tokens]
        matches: list[Match] = []
        position = 0
        while position < len(tokens):
            found = None
            for key in dict.fromkeys(keys[position]):
                for words, entry in index.get(key, ()):
                    if found and len(words) <= found.length:
                        break
                    match = _match_at(words, entry, tokens, keys, position, tagged, lemmatized)
                    if match:
                        found = match
                        break
            if found:
                matches.append(found)
            position += found.length if found else 1
        matches += self._pattern_matches(doc, tagged)
        return matches

    def _pattern_matches(self, doc: Doc, tagged: bool) -> Iterator[Match]:
        for entry in self.patterns:
            for found in entry.pattern.finditer(doc.text):  # type: ignore[union-attr]
                span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
                head = span.root if span is not None and len(span) else None
                if entry.pos and not (tagged and head is not None and head.pos_ in entry.pos):
                    continue
                yield Match(entry, found.start(), found.end(), head, "pattern")


def _is_infix_hyphen(token: Token) -> bool:
    """A hyphen glued to words on both sides (war-of-words, Moscow-staged)."""
    return (
        token.text in HYPHENS
        and 0 < token.i < len(token.doc) - 1
        and not token.doc[token.i - 1].whitespace_
        and not token.whitespace_
    )


def _token_keys(token: Token, lemmatized: bool) -> tuple[str, ...]:
    """(exact text, then lookup keys): lowercase form and, when available, the lemma."""
    lower = token.lower_
    if lemmatized and token.lemma_:
        lemma = token.lemma_.lower()
        return (token.text, lower) if lemma == lower else (token.text, lower, lemma)
    return (token.text, lower)


def _match_at(
    words: tuple[str, ...],
    entry: Entry,
    tokens: list[Token],
    keys: list[tuple[str, ...]],
    position: int,
    tagged: bool,
    lemmatized: bool,
) -> Match | None:
    end = position + len(words)
    if end > len(tokens):
        return None
    by_lemma = False
    for offset, word in enumerate(words):
        token_keys = keys[position + offset]
        if entry.case_sensitive:
            if token_keys[0] != word:
                return None
        elif word not in token_keys[1:]:
            return None
        else:
            by_lemma = by_lemma or word != token_keys[1]
    for gap in entry.hyphen_gaps:
        left = tokens[position + gap]
        if left.i + 1 >= len(left.doc) or not _is_infix_hyphen(left.doc[left.i + 1]):
            return None
    first, last = tokens[position], tokens[end - 1]
    if last.i + 1 < len(last.doc) and _is_infix_hyphen(last.doc[last.i + 1]):
        return None  # a modifier inside a compound ("regime-change"); its head is the last part
    span = first.doc[first.i : last.i + 1]
    if len(span) != len(words):
        matched = {t.i for t in tokens[position:end]}
        if not all(_is_infix_hyphen(t) for t in span if t.i not in matched):
            return None
    head = span.root if tagged else None
    if entry.pos and tagged and (head is None or head.pos_ not in entry.pos):
        return None
    if not lemmatized:
        matched_by = "form" if words == entry.words else "inflection"
    else:
        matched_by = "lemma" if by_lemma else "form"
    return Match(entry, first.idx, last.idx + len(last.text), head, matched_by, len(words))


def is_negated(head: Token | None) -> bool | None:
    """Whether a negation governs the word (None when the doc has no parse)."""
    if head is None or not head.doc.has_annotation("DEP"):
        return None
    governors = [head]
    if head.dep_ in {"acomp", "attr", "xcomp", "dobj", "ccomp", "oprd", "amod"}:
        governors.append(head.head)
        if head.dep_ == "amod" and head.head.dep_ in {"attr", "acomp", "dobj"}:
            governors.append(head.head.head)
    return any(
        child.dep_ == "neg" or (child.dep_ in {"det", "advmod"} and child.lower_ in NEGATORS)
        for governor in governors
        for child in governor.children
    )


def noun_chunk_bounds(doc: Doc) -> dict[int, tuple[int, int]]:
    """Token index -> (start, end) of the base noun phrase holding it; {} without a parse."""
    if not doc.has_annotation("DEP"):
        return {}
    try:
        chunks = list(doc.noun_chunks)
    except NotImplementedError:  # a pipeline for a language without a noun-chunk iterator
        return {}
    return {i: (chunk.start, chunk.end) for chunk in chunks for i in range(chunk.start, chunk.end)}


def framed_phrase(
    doc: Doc, start: int, end: int, chunks: dict[int, tuple[int, int]]
) -> tuple[int, int]:
    """The term plus the words it directly frames, by the parse; the term alone without one.

    An adjective takes the noun it modifies ("brutal regime"), an adverb the
    adjective or adverb right after it ("utterly ridiculous"), and the result
    widens to its base noun phrase ("a corrupt city council") without crossing
    punctuation, so a quoted label keeps its quote marks outside.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span) or not chunks:
        return start, end
    head, first, last = span.root, span.start, span.end - 1
    if head.dep_ == "amod" and 0 < head.head.i - last <= 3:
        last = head.head.i
    elif head.dep_ == "advmod" and head.head.pos_ in {"ADJ", "ADV"} and 0 < head.head.i - last <= 2:
        last = head.head.i
    chunk_start, chunk_end = chunks.get(last, chunks.get(head.i, (first, last + 1)))
    while first > chunk_start and not doc[first - 1].is_punct:
        first -= 1
    while last < chunk_end - 1 and not doc[last + 1].is_punct:
        last += 1
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _preceding_words(text: str, start: int, count: int) -> list[str]:
    return re.findall(r"[\w’']+", text[max(0, start - 60) : start])[-count:]


def scare_quote(text: str, quote: Quote, max_words: int) -> dict[str, Any] | None:
    """Attributes when a quote is a short label in the outlet's sentence, else None.

    A scare quote has 1..max_words words, no sentence-ending punctuation inside
    (a single trailing period or comma before the closing mark is typography),
    and is not an utterance introduced by a reporting verb plus comma or colon.
    """
    if not quote.balanced:
        return None
    content = text[quote.content_start : quote.content_end]
    words = re.findall(r"\w[\w’'-]*", content)
    if not 1 <= len(words) <= max_words:
        return None
    if SENTENCE_END.search(content.rstrip(".,").rstrip()):
        return None
    lead = text[max(0, quote.start - 3) : quote.start].rstrip()
    if lead.endswith((":", ",")) and not re.search(r"[,:]\s*$", content):
        before = _preceding_words(text, quote.start, 3)
        if any(_base(word) in REPORTING_VERBS for word in before):
            return None
    previous = _preceding_words(text, quote.start, 4)
    cue = next((w for w in reversed(previous) if _base(w) in LABELING_CUES), None)
    return {
        "words": len(words),
        "content": sub_span(text, quote.content_start, quote.content_end),
        "labeling_cue": cue,
    }


def _base(word: str) -> str:
    """A crude verb base for cue lookup: labeled -> label, branding -> brand, calls -> call."""
    word = word.lower()
    for suffix, replacement in (("ied", "y"), ("led", "l"), ("ed", ""), ("ing", ""), ("s", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement:
            stem = word[: -len(suffix)] + replacement
            if stem in LABELING_CUES | REPORTING_VERBS:
                return stem
            if stem + "e" in LABELING_CUES | REPORTING_VERBS:
                return stem + "e"
    return word


SCARE_QUOTE_MODES = ("labels", "all", "none")


class LoadedTerms(Annotator):
    """Framing vocabulary (labels, pejoratives, hyperbole, loaded verbs, …) and scare quotes."""

    name = "loaded_terms"
    version = "0.2.0"
    requires = ()
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
        self.entries = [e for e in merged.values() if e.category not in disabled]
        self.index = TermIndex(self.entries)

    def annotate(self, article: Article, doc: Doc) -> Iterator[Annotation]:
        text = article.text
        quotes = find_quotes(text)
        matches = self.index.scan(doc)
        scare = self._scare_quotes(text, quotes, matches)
        chunks = noun_chunk_bounds(doc) if self.settings["phrase_spans"] else {}
        for match in sorted(matches, key=lambda m: (m.start, m.end)):
            around = [q for q in quotes if q.contains(match.start, match.end)]
            entry = match.entry
            start, end = match.start, match.end
            if chunks:
                start, end = framed_phrase(doc, start, end, chunks)
            yield Annotation(
                "loaded_term",
                start,
                end,
                attributes={
                    "term": entry.label,
                    "term_span": sub_span(text, match.start, match.end),
                    "category": entry.category,
                    "rationale": entry.rationale,
                    "alternative": entry.alternative,
                    "lexicon": entry.lexicon,
                    "source": entry.source,
                    "in_quote": bool(around),
                    "scare_quoted": any(q in scare for q in around),
                    "negated": is_negated(match.head),
                    "matched_by": match.matched_by,
                },
            )
        for quote, attributes in scare.items():
            yield Annotation("scare_quote", quote.start, quote.end, attributes=attributes)

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
        return {
            "loaded_terms": len(terms),
            "own_voice": sum(not a["attributes"]["in_quote"] for a in terms),
            "in_quote": sum(a["attributes"]["in_quote"] for a in terms),
            "scare_quotes": sum(a["label"] == "scare_quote" for a in annotations),
            "by_category": dict(sorted(categories.items())),
            "top_terms": [{"term": term, "count": count} for term, count in frequent],
            "lexicons": [f"{lexicon.name} {lexicon.version}" for lexicon in self.lexicons],
        }


def _lint_main(argv: list[str]) -> int:
    """Lint lexicon files named on the command line; exit 1 if any has problems."""
    builtin = read_data_file(BUILTIN_LEXICON, LEXICON_KIND).get("categories") or {}
    problems = [p for path in argv for p in lint_lexicon(path, builtin)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


@hookimpl
def register_annotators(register: Any) -> None:
    register(LoadedTerms)


if __name__ == "__main__":
    sys.exit(_lint_main(sys.argv[1:]))
