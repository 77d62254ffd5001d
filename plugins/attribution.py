"""Attribution and hedging: who said what, and how the outlet frames it.

Three labels:

- ``cue``: a reporting cue (a verb with its auxiliaries, negation and adverbs, or a nominal
  or prepositional cue such as "according to") with its ``stance`` (neutral, endorsing,
  distancing, discrediting), the lexicon ``entry`` and ``modifier`` that decided it, the
  ``source`` (speaker) and ``content`` as sub-spans, and the quote type.
- ``hedge``: words that weaken or second-hand a claim (reportedly, so-called, "it is said").
- ``vague_source``: an unnamed source ("officials said", "critics claim", "some argue").

Cues and hedges are lexical and work on any pipeline; sources, conjoined verbs and
clause contents need the dependency parse, and pronoun resolution needs NER. Without
them the annotator degrades to lexical cues with ``has_source`` false.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import (
    Annotation,
    Annotator,
    ConfigError,
    Quote,
    find_quotes,
    hookimpl,
    load_schema,
    read_data_file,
    sub_span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from annotator import Article

BUILTIN_LEXICON = Path(__file__).parent / "lexicons" / "attribution.yaml"
LEXICON_KIND = "cue-lexicon"
STANCES = ("neutral", "endorsing", "distancing", "discrediting")
REQUIREMENTS = ("clause", "complement", "named_subject")
PHRASE_ROLES = ("object", "setting", "speaker_label")
LABEL_WORDS = frozenset(
    """note update updated editor photo photos related read source sources video watch see
    also correction disclosure by share subscribe advertisement image credit caption listen
    tags posted filed warning topics""".split()
)

AUXILIARIES = frozenset(
    """be is are was were been being am 's 're have has had 've 'd do does did will would
    shall should can could may might must wo ca""".split()
)
NEGATIONS = frozenset({"not", "n't", "never", "n’t"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd", "prep", "agent", "acomp", "npadvmod"})
CHAIN_DEPS = frozenset({"conj", "xcomp", "advcl", "ccomp", "pcomp", "prep"})
PRONOUNS = frozenset("he she they it we i you who which that him her them".split())
RELATIVE_PRONOUNS = frozenset({"that", "which", "who"})
SPEAKER_PRONOUNS = frozenset("he she they it who him her them".split())
PERSON_LABELS = frozenset({"PERSON"})
GROUP_LABELS = frozenset({"ORG", "NORP", "GPE"})
ROLE_NOUNS = frozenset(
    """president leader minister chancellor premier prime secretary spokesman spokeswoman
    spokesperson official envoy ambassador governor senator candidate chief director
    chairman chairwoman head king queen mayor general""".split()
)
SHORT_QUOTE_WORDS = 4
SPEAKER_GAP = re.compile(r"[\s,—–-]*(?:(?:[A-Z][\w’'.-]*\s*){1,4}|(?:he|she|they|we|I)\s+)")
NEARBY_QUOTE_CHARS = 60
# "said", "told reporters on Sunday:", "said in a statement," then the quote
CUE_TO_QUOTE_GAP = re.compile(r"(?:\s+[\w’'.-]+){0,6}[\s,:—–-]*")


@dataclass(frozen=True)
class CueEntry:
    """A reporting verb or phrase from the lexicon."""

    key: str
    stance: str
    category: str
    requires: str | None = None
    particles: tuple[str, ...] = ()
    role: str = "subject"
    objects: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Modifier:
    """A word or pattern that changes the stance of a nearby cue."""

    label: str
    effect: str
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    """The compiled cue lexicon."""

    verbs_by_lemma: dict[str, CueEntry]
    verbs_by_form: dict[str, CueEntry]
    nouns: dict[str, CueEntry]
    phrases: dict[str, list[tuple[tuple[str, ...], CueEntry]]]
    adverbs: dict[str, Modifier]
    following: tuple[Modifier, ...]
    preceding: tuple[Modifier, ...]
    hedges: tuple[tuple[re.Pattern[str], str, str], ...]
    vague_words: dict[str, str]


@dataclass
class Cue:
    """A cue found in the document, before it becomes an Annotation."""

    start: int
    end: int
    entry: CueEntry
    head: Token | None
    negated: bool = False
    modifier: str | None = None
    stance: str = "neutral"
    source: tuple[int, int] | None = None
    source_head: Token | None = None
    content: tuple[int, int] | None = None
    quote_type: str | None = None


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a verb lemma (irregular ones come from the lexicon)."""
    forms = {lemma}
    consonant_y = lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou"
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(lemma + "es")
    elif consonant_y:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    elif consonant_y:
        forms |= {lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + "ed", lemma + "ing"}
    return forms


def _check_entry(raw: Any, path: Path, section: str, index: int, keys: tuple[str, ...]) -> None:
    where = f"{path}: {section} entry {index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: not a mapping")
    for key in (*keys, "rationale", "source"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{where}: missing {key!r}")
    for key in ("stance", "effect"):
        if key in raw and raw[key] not in STANCES:
            raise ConfigError(f"{where}: {key} {raw[key]!r} is not one of {', '.join(STANCES)}")


def _phrase_pattern(phrase: str) -> str:
    """A literal phrase as a regex: word boundaries, flexible spaces and hyphens."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", phrase.strip())]
    return r"\b" + r"[\s-]+".join(words) + r"\b"


def _compile(pattern: str, path: Path) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise ConfigError(f"{path}: pattern {pattern!r} does not compile: {error}") from error


def load_lexicon(path: Path) -> Lexicon:
    """Read and compile a cue lexicon, raising ConfigError with the file and entry on problems."""
    data = read_data_file(path, LEXICON_KIND)
    by_lemma: dict[str, CueEntry] = {}
    by_form: dict[str, CueEntry] = {}
    for index, raw in enumerate(data.get("verbs") or []):
        _check_entry(raw, path, "verbs", index, ("lemma", "stance", "category"))
        requires = raw.get("requires")
        particles: tuple[str, ...] = ()
        if requires and requires not in REQUIREMENTS:
            particles, requires = tuple(requires.split("|")), None
        entry = CueEntry(raw["lemma"], raw["stance"], raw["category"], requires, particles)
        by_lemma[entry.key] = entry
        forms = set(raw.get("forms") or ()) or inflections(entry.key)
        for form in forms | {entry.key}:
            by_form.setdefault(form, entry)
    nouns: dict[str, CueEntry] = {}
    for index, raw in enumerate(data.get("nouns") or []):
        _check_entry(raw, path, "nouns", index, ("lemma", "stance", "category"))
        preps = tuple(raw["requires"].split("|")) if raw.get("requires") else ()
        nouns[raw["lemma"]] = CueEntry(
            raw["lemma"], raw["stance"], raw["category"], particles=preps
        )
    phrases: dict[str, list[tuple[tuple[str, ...], CueEntry]]] = {}
    for index, raw in enumerate(data.get("phrases") or []):
        _check_entry(raw, path, "phrases", index, ("phrase", "stance", "category", "role"))
        if raw["role"] not in PHRASE_ROLES:
            raise ConfigError(f"{path}: phrases entry {index + 1}: role must be one of "
                              f"{', '.join(PHRASE_ROLES)}")
        words = tuple(raw["phrase"].lower().split())
        objects = frozenset(w.lower() for w in raw.get("objects") or ())
        entry = CueEntry(
            raw["phrase"], raw["stance"], raw["category"], role=raw["role"], objects=objects
        )
        phrases.setdefault(words[0], []).append((words, entry))
    for candidates in phrases.values():
        candidates.sort(key=lambda candidate: -len(candidate[0]))
    adverbs: dict[str, Modifier] = {}
    following: list[Modifier] = []
    preceding: list[Modifier] = []
    for index, raw in enumerate(data.get("modifiers") or []):
        key = "phrase" if "phrase" in raw else "pattern"
        _check_entry(raw, path, "modifiers", index, ("phrase",) if key == "phrase" else (
            "id", "pattern"
        ) + ("effect", "kind"))
        compiled = _compile(_phrase_pattern(raw[key]) if key == "phrase" else raw[key], path)
        modifier = Modifier(raw.get("id", raw[key]), raw["effect"], raw["kind"], compiled)
        if raw["kind"] == "adverb":
            adverbs[raw["phrase"].lower()] = modifier
        elif raw["kind"] == "following":
            following.append(modifier)
        elif raw["kind"] == "preceding":
            preceding.append(modifier)
        else:
            raise ConfigError(f"{path}: modifiers entry {index + 1}: unknown kind {raw['kind']!r}")
    hedges = []
    for index, raw in enumerate(data.get("hedges") or []):
        key = "phrase" if "phrase" in raw else "pattern"
        _check_entry(raw, path, "hedges", index, ("phrase",) if key == "phrase" else (
            "id", "pattern"
        ) + ("category",))
        regex = _phrase_pattern(raw[key]) if key == "phrase" else raw[key]
        hedges.append((_compile(regex, path), raw.get("id", raw[key]), raw["category"]))
    vague: dict[str, str] = {}
    for index, raw in enumerate(data.get("vague_sources") or []):
        _check_entry(raw, path, "vague_sources", index, ("word", "category"))
        vague[raw["word"].lower()] = raw["category"]
    return Lexicon(
        by_lemma, by_form, nouns, phrases, adverbs, tuple(following), tuple(preceding),
        tuple(hedges), vague,
    )


class Attribution(Annotator):
    """Reporting cues with stance, speaker and content; hedges; vague sources."""

    name = "attribution"
    version = "1.0.0"
    requires = ()
    attributes_schema = load_schema("attributes/attribution.json")
    default_settings = {
        "lexicon": None,
        "resolve_sources": True,
        "hedges": True,
        "skip_cues_in_quotes": True,
    }

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        path = Path(self.settings["lexicon"] or BUILTIN_LEXICON)
        self.lexicon = load_lexicon(path)
        self.data_files.append(path)

    def annotate(self, article: Article, doc: Doc) -> Iterator[Annotation]:
        text = article.text
        analysis = DocAnalysis(doc, text, find_quotes(text))
        cues = CueFinder(self.lexicon, analysis, self.settings["skip_cues_in_quotes"]).find()
        for cue in cues:
            yield self._cue_annotation(cue, analysis)
        if self.settings["hedges"]:
            yield from hedge_annotations(self.lexicon, text, analysis)
        yield from vague_source_annotations(self.lexicon, cues, analysis)

    def _cue_annotation(self, cue: Cue, analysis: DocAnalysis) -> Annotation:
        text = analysis.text
        source = sub_span(text, *cue.source) if cue.source else None
        resolved = None
        name = None
        if cue.source_head is not None:
            named, resolved_span = analysis.speaker_name(cue.source, cue.source_head)
            if resolved_span and self.settings["resolve_sources"]:
                resolved = sub_span(text, *resolved_span)
                name = text[resolved_span[0] : resolved_span[1]]
            else:
                name = named
        elif source is not None:
            name = source["text"]
        attributes = {
            "stance": cue.stance,
            "entry": cue.entry.key,
            "category": cue.entry.category,
            "modifier": cue.modifier,
            "negated": cue.negated,
            "source": source,
            "source_resolved": resolved,
            "source_name": name,
            "content": sub_span(text, *cue.content) if cue.content else None,
            "quote_type": cue.quote_type,
            "has_source": source is not None,
        }
        return Annotation("cue", cue.start, cue.end, attributes=attributes)

    def summarize(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        """Counts by label, cues by stance, and the share of cues with a known source."""
        summary = super().summarize(annotations)
        cues = [a for a in annotations if a["label"] == "cue"]
        stances = {stance: 0 for stance in STANCES}
        for cue in cues:
            stances[cue["attributes"]["stance"]] += 1
        summary["stances"] = stances
        sourced = sum(cue["attributes"]["has_source"] for cue in cues)
        summary["sourced_share"] = round(sourced / len(cues), 4) if cues else None
        return summary


class DocAnalysis:
    """What the annotator needs to know about one parsed document, computed once."""

    def __init__(self, doc: Doc, text: str, quotes: list[Quote]) -> None:
        self.doc = doc
        self.text = text
        self.quotes = quotes
        self.has_parse = doc.has_annotation("DEP")
        self.has_pos = doc.has_annotation("POS") or doc.has_annotation("TAG")
        self.has_lemma = doc.has_annotation("LEMMA")
        self.has_ner = doc.has_annotation("ENT_IOB")
        self.quote_starts = [q.content_start for q in quotes]
        self._mentions: list[tuple[int, Span, bool]] | None = None

    def in_quote(self, offset: int) -> bool:
        """Inside the content of a direct quotation that is longer than a scare quote."""
        index = bisect_right(self.quote_starts, offset)
        for quote in reversed(self.quotes[:index]):
            if quote.content_start <= offset < quote.content_end and not self.is_short(quote):
                return True
            if quote.end < offset - 2000:
                break
        return False

    def is_short(self, quote: Quote) -> bool:
        return len(self.text[quote.content_start : quote.content_end].split()) <= SHORT_QUOTE_WORDS

    def quote_before(self, offset: int, skip: tuple[int, int] | None) -> Quote | None:
        """A long direct quote ending just before ``offset`` (only commas, spaces or the
        source span between them): “…,” Zelensky said."""
        index = bisect_right(self.quote_starts, offset)
        for quote in reversed(self.quotes[max(0, index - 4) : index]):
            trailing_comma = self.text[quote.content_start : quote.content_end].endswith(",")
            if quote.end > offset or self.is_short(quote) and not trailing_comma:
                continue
            gap = self.text[quote.end : offset]
            if skip and quote.end <= skip[0] and skip[1] <= offset:
                gap = self.text[quote.end : skip[0]] + self.text[skip[1] : offset]
            if len(gap) <= NEARBY_QUOTE_CHARS and (
                re.fullmatch(r"[\s,—–-]*", gap) or skip is None and SPEAKER_GAP.fullmatch(gap)
            ):
                return quote
        return None

    def quote_after(self, offset: int) -> Quote | None:
        """A long direct quote starting just after ``offset``: said: “…” or said, “…”."""
        index = bisect_right(self.quote_starts, offset)
        for quote in self.quotes[index : index + 3]:
            if quote.start < offset or self.is_short(quote):
                continue
            gap = self.text[offset : quote.start]
            if len(gap) <= NEARBY_QUOTE_CHARS and CUE_TO_QUOTE_GAP.fullmatch(gap) and not (
                re.search(r"[.!?]\s", gap)
            ):
                return quote
            break
        return None

    def mentions(self) -> list[tuple[int, Span, bool]]:
        """Named PERSON/ORG/NORP/GPE entities in order: (start char, span, is a subject)."""
        if self._mentions is None:
            self._mentions = [
                (ent.start_char, ent, ent.root.dep_ in ("nsubj", "nsubjpass"))
                for ent in self.doc.ents
                if ent.label_ in PERSON_LABELS or ent.label_ in GROUP_LABELS
            ] if self.has_ner else []
        return self._mentions

    def speaker_name(
        self, source: tuple[int, int] | None, head: Token
    ) -> tuple[str | None, tuple[int, int] | None]:
        """The literal speaker name, and the span a pronoun or description resolves to."""
        if source is None:
            return None, None
        mentions = self.mentions()
        inside = [
            m for _, m, _ in mentions
            if source[0] <= m.start_char < source[1] and m.label_ in ("PERSON", "ORG")
        ]
        if inside:
            people = [m for m in inside if m.label_ in PERSON_LABELS]
            return (people or inside)[0].text, None
        if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
            noun = head.head.head
            named = [m for _, m, _ in mentions if m.start <= noun.i < m.end]
            if named:
                return None, (named[0].start_char, named[0].end_char)
        if head.lower_ in SPEAKER_PRONOUNS:
            return None, self.resolve_pronoun(source[0], head.lower_)
        if head.pos_ in ("NOUN", "PROPN") and head.lower_ in ROLE_NOUNS | {"leader"}:
            return None, self.resolve_description(source, head)
        return self.text[source[0] : source[1]], None

    def resolve_pronoun(self, before: int, pronoun: str) -> tuple[int, int] | None:
        """The nearest preceding named speaker, preferring one that was a grammatical subject
        within the previous 600 characters."""
        groups = pronoun in ("it", "they", "them")
        labels = GROUP_LABELS | PERSON_LABELS if groups else PERSON_LABELS
        candidates = [(s, m, subj) for s, m, subj in self.mentions() if s < before]
        candidates = [c for c in candidates if c[1].label_ in labels]
        if not candidates:
            return None
        window = before - 600
        for start, mention, is_subject in reversed(candidates):
            if start < window:
                break
            if is_subject:
                return mention.start_char, mention.end_char
        mention = candidates[-1][1]
        return mention.start_char, mention.end_char

    def resolve_description(self, source: tuple[int, int], head: Token) -> tuple[int, int] | None:
        """'the Ukrainian leader': the nearest preceding person described with those words."""
        words = {t.lower_ for t in head.subtree if t.pos_ in ("ADJ", "NOUN", "PROPN")}
        best: tuple[float, int, Span] | None = None
        for start, mention, _ in self.mentions():
            if start >= source[0] or mention.label_ not in PERSON_LABELS:
                continue
            context = {
                t.lower_ for t in self.doc[max(0, mention.start - 4) : mention.start]
            } | {t.lower_ for child in mention.root.children if child.dep_ == "appos"
                 for t in child.subtree}
            score = len(words & context)
            if head.lower_ == "leader" and context & ROLE_NOUNS:
                score += 0.5
            if best is None or score >= best[0]:
                best = (score, start, mention)
        if best is None:
            return None
        return best[2].start_char, best[2].end_char


class CueFinder:
    """Finds cues in one document and fills in stance, source and content."""

    def __init__(self, lexicon: Lexicon, analysis: DocAnalysis, skip_in_quotes: bool) -> None:
        self.lexicon = lexicon
        self.a = analysis
        self.skip_in_quotes = skip_in_quotes

    def find(self) -> list[Cue]:
        """Every cue in document order, outside long direct quotes, with its stance."""
        cues: list[Cue] = []
        taken: set[int] = set()
        doc = self.a.doc
        for token in doc:
            if token.i in taken:
                continue
            phrase = self._phrase_at(token)
            if phrase is not None:
                cue = self._phrase_cue(token, *phrase)
            elif self.a.has_parse and token.pos_ == "NOUN":
                cue = self._noun_cue(token)
            else:
                cue = self._verb_cue(token)
            if cue is None:
                continue
            if self.skip_in_quotes and self.a.in_quote(cue.start):
                continue
            cue_tokens = self.a.doc.char_span(cue.start, cue.end, alignment_mode="expand")
            taken.update(range(token.i, cue_tokens.end if cue_tokens is not None else token.i + 1))
            cues.append(cue)
        cues = self._merge_statement_phrases(cues)
        for index, cue in enumerate(cues):
            following = cues[index + 1].start if index + 1 < len(cues) else None
            self._decide_stance(cue, following)
        return cues

    # ---- detection

    def _phrase_at(self, token: Token) -> tuple[tuple[str, ...], CueEntry] | None:
        for words, entry in self.lexicon.phrases.get(token.lower_, ()):
            span = self.a.doc[token.i : token.i + len(words)]
            if tuple(t.lower_ for t in span) == words:
                return words, entry
        return None

    def _verb_cue(self, token: Token) -> Cue | None:
        a = self.a
        entry = None
        if a.has_lemma:
            entry = self.lexicon.verbs_by_lemma.get(token.lemma_.lower())
        if entry is None:
            entry = self.lexicon.verbs_by_form.get(token.lower_)
        if entry is None:
            return None
        if a.has_pos and token.pos_ != "VERB" and not self._headline_verb(token, entry):
            return None
        if not a.has_pos and not self._verb_without_tags(token, entry):
            return None
        if a.has_parse and self._naming_participle(token, entry):
            return None
        if not self._satisfies(token, entry):
            return None
        first, last = self._verb_extent(token, entry)
        doc = a.doc
        cue = Cue(doc[first].idx, doc[last].idx + len(doc[last]), entry, token)
        cue.negated = any(doc[i].lower_ in NEGATIONS for i in range(first, last + 1)) or (
            a.has_parse and any(c.dep_ == "neg" for c in token.children)
        )
        if a.has_parse:
            self._fill_verb_source(cue, token)
            self._fill_verb_content(cue, token)
        else:
            self._fill_adjacent_quote(cue)
        return cue

    def _noun_cue(self, token: Token) -> Cue | None:
        """'Trump's claim that ...', 'criticism of the plan by Democrats': a speech-act noun
        with a complement; its speaker is the possessor or the object of by/from."""
        entry = self.lexicon.nouns.get(token.lemma_.lower())
        if entry is None:
            return None
        children = list(token.children)
        if entry.particles:
            if not any(c.dep_ == "prep" and c.lower_ in entry.particles for c in children):
                return None
        elif not any(c.dep_ in ("prep", "acl", "ccomp", "relcl", "poss") for c in children):
            return None
        cue = Cue(token.idx, token.idx + len(token), entry, token)
        speaker = next((c for c in children if c.dep_ == "poss"), None)
        if speaker is None:
            for child in children:
                if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                    speaker = next((t for t in child.children if t.dep_ == "pobj"), None)
                    break
        if speaker is None and token.dep_ in ("dobj", "pobj"):
            governor = token.head if token.dep_ == "dobj" else token.head.head
            if governor.pos_ == "VERB":  # "made the suggestion", "rose to the defense of"
                speaker = self._find_subject(governor)
        if speaker is not None:
            cue.source, cue.source_head = self._np_span(speaker), speaker
        for child in children:
            if child.dep_ in ("acl", "ccomp") or (child.dep_ == "prep" and child.lower_ in (
                "of", "about", "on", "against", "that"
            )):
                cue.content = self._np_span(child)
                cue.quote_type = self._quote_type(cue.content)
                break
        return cue

    @staticmethod
    def _verb_without_tags(token: Token, entry: CueEntry) -> bool:
        """Without POS tags, a bare lemma is often a noun ("the report", "his claim"):
        accept it only after a pronoun, auxiliary, modal or "to"; never in "so-called"."""
        previous = token.nbor(-1).lower_ if token.i > 0 else ""
        if previous in ("so", "-", "so-"):
            return False
        if token.lower_ != entry.key:
            return True
        return previous in AUXILIARIES or previous in PRONOUNS or previous in ("to", "not", "n't")

    @staticmethod
    def _headline_verb(token: Token, entry: CueEntry) -> bool:
        """Title-case headlines ("Clinton Slams Trump") tag verbs as proper nouns; accept an
        inflected, capitalised form there (the bare lemma is too often a name: "State")."""
        return token.pos_ == "PROPN" and token.text[:1].isupper() and token.lower_ != entry.key

    @staticmethod
    def _naming_participle(token: Token, entry: CueEntry) -> bool:
        """'a group called X', 'called off': naming or phrasal uses that report no speech."""
        if any(c.dep_ == "prt" and c.lower_ in ("off", "up", "in") for c in token.children):
            return True
        return entry.category == "labeling" and token.dep_ in ("acl", "amod") and (
            token.tag_ == "VBN"
        )

    def _satisfies(self, token: Token, entry: CueEntry) -> bool:
        """Whether the token's context fits the entry's requirement."""
        a = self.a
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        if entry.particles:
            return self._particle_after(token, entry) is not None
        if entry.requires is None:
            return True
        end = token.idx + len(token)
        if a.quote_after(end) or a.quote_before(token.idx, None):
            return True
        if nxt is not None and nxt.text in (":", "that"):
            return True
        if not a.has_parse:
            return entry.requires == "complement"
        deps = {c.dep_ for c in token.children}
        if entry.requires == "named_subject":
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            return bool(subjects) and subjects[0].pos_ in ("PROPN", "NOUN") and bool(
                deps & (CLAUSE_DEPS | OBJECT_DEPS)
            )
        if deps & CLAUSE_DEPS or token.dep_ == "parataxis":
            return True
        return entry.requires == "complement" and bool(deps & OBJECT_DEPS)

    @staticmethod
    def _particle_after(token: Token, entry: CueEntry) -> Token | None:
        """The entry's particle right after the verb, or after a reflexive ('distanced
        himself from')."""
        doc = token.doc
        for offset in (1, 2):
            if token.i + offset >= len(doc):
                return None
            following = doc[token.i + offset]
            if following.lower_ in entry.particles:
                return following
            if not following.lower_.endswith(("self", "selves")):
                return None
        return None

    def _verb_extent(self, token: Token, entry: CueEntry) -> tuple[int, int]:
        """Token range of the cue: auxiliaries, negation and adverbs before, particle after."""
        doc = self.a.doc
        first = token.i
        while first > 0:
            prev = doc[first - 1]
            lower = prev.lower_
            if lower in AUXILIARIES or lower in NEGATIONS or lower in self.lexicon.adverbs:
                first -= 1
            elif self.a.has_parse and prev.dep_ in ("aux", "auxpass", "neg", "advmod") and (
                prev.head.i == token.i and prev.pos_ in ("ADV", "AUX", "PART")
            ):
                first -= 1
            elif not self.a.has_pos and lower.endswith("ly") and lower in {"also", "further"}:
                first -= 1
            else:
                break
        last = token.i
        particle = self._particle_after(token, entry) if entry.particles else None
        if particle is not None:
            last = particle.i
        elif self.a.has_parse:
            for child in token.rights:
                if child.dep_ == "prt" and child.i == last + 1:
                    last = child.i
        return first, last

    def _phrase_cue(self, token: Token, words: tuple[str, ...], entry: CueEntry) -> Cue | None:
        if entry.role == "speaker_label":
            return self._speaker_label_cue(token, entry)
        doc = self.a.doc
        last = doc[token.i + len(words) - 1]
        following = [t for t in doc[last.i + 1 : last.i + 8] if t.pos_ in ("NOUN", "PROPN", "PRON")
                     or not self.a.has_pos and t.is_alpha]
        if self.a.has_parse:
            objects = [t for t in last.children if t.dep_ == "pobj"] or following[:1]
        else:
            objects = following
        if entry.objects:
            objects = [t for t in objects if t.lower_ in entry.objects or (
                self.a.has_lemma and t.lemma_.lower() in entry.objects)]
            if not objects:
                return None
        cue = Cue(token.idx, last.idx + len(last), entry, None)
        if entry.role == "object" and objects:
            if self.a.has_parse:
                cue.source = self._np_span(objects[0])
                cue.source_head = objects[0]
        if entry.role == "object" and self.a.has_parse:
            clause = token.head if token.head.i != token.i else None
            while clause is not None and clause.dep_ == "prep" and clause.head.i != clause.i:
                clause = clause.head
            if clause is not None:
                cue.content = self._clause_without(clause, token.head)
                cue.quote_type = self._quote_type(cue.content)
        if cue.content is None:
            self._fill_adjacent_quote(cue)
        return cue

    def _speaker_label_cue(self, colon: Token, entry: CueEntry) -> Cue | None:
        """'Trump: My plans aren't set in stone' or 'Q: ...': a short capitalised name
        opening a line, then a colon and the words."""
        text = self.a.text
        line_start = text.rfind("\n", 0, colon.idx) + 1
        line_end = text.find("\n", colon.idx)
        line_end = len(text) if line_end < 0 else line_end
        label = self.a.doc.char_span(line_start, colon.idx, alignment_mode="contract")
        rest = text[colon.idx + 1 : line_end].strip()
        quoted = self.a.quote_after(colon.idx + 1)
        if label is not None and len(label) > 5 and quoted is not None:
            # "Pollsters agree - Carl Bialik: “...”": the name after the last dash
            label = label[-5:]
            dashes = [t.i for t in label if t.text in ("-", "—", "–", "|")]
            label = label.doc[dashes[-1] + 1 : label.end] if dashes else label[-2:]
        if label is None or not 1 <= len(label) <= 5 or len(rest.split()) < 2:
            return None
        words = [t for t in label if not t.is_punct]
        if not words or words[0].lower_ in LABEL_WORDS or not all(
            t.text[:1].isupper() and (not self.a.has_pos or t.pos_ in ("PROPN", "NOUN", "X"))
            for t in words
        ):
            return None
        cue = Cue(colon.idx, colon.idx + 1, entry, None)
        cue.source = (words[0].idx, words[-1].idx + len(words[-1]))
        content_start = line_end - len(text[colon.idx + 1 : line_end].lstrip())
        cue.content = (content_start, content_start + len(rest))
        cue.quote_type = self._quote_type(cue.content)
        if self.a.has_parse:
            cue.source_head = max(words, key=lambda t: t.i)
        return cue

    def _merge_statement_phrases(self, cues: list[Cue]) -> list[Cue]:
        """'said in a statement' is one cue: fold a setting phrase into the verb cue it
        directly follows; alone it is a cue only when it introduces a direct quote."""
        merged: list[Cue] = []
        for cue in cues:
            if cue.entry.role == "setting":
                previous = merged[-1] if merged else None
                if previous is not None and previous.head is not None and not (
                    self.a.text[previous.end : cue.start].strip()
                ):
                    previous.end = cue.end
                    continue
                if cue.quote_type != "direct" or (
                    self.a.has_parse and self._governed_by_cue(cue, cues)
                ):
                    continue
            merged.append(cue)
        return merged

    def _governed_by_cue(self, phrase: Cue, cues: list[Cue]) -> bool:
        span = self.a.doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
        if span is None:
            return False
        heads = {c.head.i for c in cues if c.head is not None}
        return span.root.head.i in heads

    # ---- source

    def _fill_verb_source(self, cue: Cue, token: Token) -> None:
        if cue.entry.category == "evidential_hedge" or (
            token.tag_ == "VBN" and token.dep_ in ("advcl", "acl") and not any(
                c.dep_ in ("agent", "nsubj", "aux", "auxpass") for c in token.children
            )
        ):
            return  # "X seems to ...", "Asked about it, X said": no speaker of its own
        subject = self._find_subject(token)
        if subject is None or (self.a.in_quote(subject.idx) and not self.a.in_quote(token.idx)):
            return
        between = self.a.text[min(subject.idx, token.idx) : max(subject.idx, token.idx)]
        if "\n" in between:
            return
        cue.source_head = subject
        cue.source = self._np_span(subject, exclude=token)

    def _find_subject(self, token: Token) -> Token | None:
        """The speaker: nsubj, through conj/xcomp/advcl/pcomp chains, or a passive agent.

        Climbing from a conjoined or embedded verb, the subject of a reported clause
        (ccomp) is skipped: in "asserted that Ukraine started the war and contradicted
        polls by claiming ...", "claiming" belongs to the speaker, not to "Ukraine".
        """
        for child in token.children:
            if child.dep_ == "agent":  # "was criticized by X", "Asked by Matt Lauer"
                objects = [t for t in child.children if t.dep_ == "pobj"]
                return objects[0] if objects else None
        verb = token
        for _ in range(8):
            passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
            if passive:
                for child in verb.children:
                    if child.dep_ == "agent":
                        objects = [t for t in child.children if t.dep_ == "pobj"]
                        return objects[0] if objects else None
                if verb is token:
                    return None
            if verb is token or verb.dep_ != "ccomp":
                subject_deps = ("nsubj", "csubj") if verb is token else (
                    "nsubj", "csubj", "nsubjpass"  # "X was forced ... and said": X speaks
                )
                subjects = [c for c in verb.children
                            if c.dep_ in subject_deps and c.lower_ != "there"]
                if subjects:
                    # the nearest: a missed sentence break can leave two subjects
                    child = min(subjects, key=lambda c: abs(c.i - verb.i))
                    if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                        return verb.head  # "results that show ...": the antecedent speaks
                    return child
                if verb is token and token.i > 0 and token.nbor(-1).head.i == token.i and (
                    token.nbor(-1).pos_ == "PROPN"
                ):
                    return token.nbor(-1)  # "Bozell answers", parsed as a compound
            if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("PROPN", "PRON") or (
                verb.dep_ == "relcl" and verb.head.pos_ == "NOUN"
            ):
                return verb.head
            if verb.dep_ in CHAIN_DEPS | {"acl", "dep", "pobj"} and verb.head.i != verb.i:
                verb = verb.head
                continue
            break
        return self._inverted_subject(token)

    def _inverted_subject(self, token: Token) -> Token | None:
        """'“…,” said Edward Leamer, an economist' or '…, reported the Washington Examiner':
        after a quote or a comma, the parser often attaches the speaker of an inverted
        reporting verb elsewhere; take the name that follows the verb."""
        index = bisect_right(self.a.quote_starts, token.idx)
        ended = [q for q in self.a.quotes[max(0, index - 3) : index] if q.end <= token.idx]
        after_quote = bool(ended) and not self.a.text[ended[-1].end : token.idx].strip(" ,")
        after_comma = token.i > 0 and token.nbor(-1).text == ","
        if not (after_quote or after_comma) or token.i + 1 >= len(token.doc):
            return None
        name = token.nbor(1)
        if name.pos_ not in ("PROPN", "NOUN", "DET"):
            return None
        while name.dep_ in ("compound", "det", "amod", "flat") and name.head.i > name.i:
            name = name.head
        return name if name.pos_ in ("PROPN", "NOUN") else None

    def _np_span(self, head: Token, exclude: Token | None = None) -> tuple[int, int]:
        """The phrase headed by ``head``: its subtree on the head's line, not reaching the
        cue ``exclude``, without edge punctuation."""
        tokens = list(head.subtree)
        if exclude is not None:
            if exclude.i > head.i:
                tokens = [t for t in tokens if t.i < exclude.i]
            else:
                tokens = [t for t in tokens if t.i > exclude.i]
        line_start = self.a.text.rfind("\n", 0, head.idx) + 1
        line_end = self.a.text.find("\n", head.idx)
        line_end = len(self.a.text) if line_end < 0 else line_end
        tokens = [t for t in tokens if line_start <= t.idx < line_end] or [head]
        quote = self.a.quote_before(head.idx + 1, None)
        if quote is None:
            index = bisect_right(self.a.quote_starts, head.idx)
            ended = [q for q in self.a.quotes[max(0, index - 3) : index] if q.end <= head.idx]
            quote = ended[-1] if ended else None
        if quote is not None:
            tokens = [t for t in tokens if t.idx >= quote.end] or [head]
        while len(tokens) > 1 and (tokens[0].is_punct or tokens[0].is_space):
            tokens.pop(0)
        while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].is_space):
            tokens.pop()
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1])

    # ---- content

    def _fill_verb_content(self, cue: Cue, token: Token) -> None:
        if self._fill_adjacent_quote(cue):
            return
        self._fill_clause_content(cue, token)
        if cue.content and cue.source and cue.content[0] < cue.source[1] and (
            cue.source[0] < cue.content[1]
        ):
            cue.content = cue.quote_type = None

    def _fill_clause_content(self, cue: Cue, token: Token) -> None:
        for child in token.children:
            if child.dep_ in ("ccomp", "xcomp") or (
                child.dep_ == "parataxis" and child.i > token.i
            ):
                cue.content = self._np_span(child)
                cue.quote_type = self._quote_type(cue.content)
                return
        if token.dep_ in ("parataxis", "ROOT"):
            for sibling in token.head.children if token.dep_ == "parataxis" else ():
                if sibling.dep_ == "ccomp":
                    cue.content = self._np_span(sibling)
                    cue.quote_type = self._quote_type(cue.content)
                    return
        for child in token.children:
            if child.dep_ in ("dobj", "prep") and child.i > token.i:
                cue.content = self._np_span(child)
                cue.quote_type = self._quote_type(cue.content)
                return

    def _fill_adjacent_quote(self, cue: Cue) -> bool:
        quote = self.a.quote_after(cue.end) or self.a.quote_before(cue.start, cue.source)
        if quote is None:
            return False
        cue.content = (quote.content_start, quote.content_end)
        cue.quote_type = "direct"
        return True

    def _clause_without(self, clause: Token, excluded: Token) -> tuple[int, int] | None:
        skip = {t.i for t in excluded.subtree}
        tokens = [t for t in clause.subtree if t.i not in skip and not t.is_punct]
        if not tokens:
            return None
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1])

    def _quote_type(self, span: tuple[int, int] | None) -> str | None:
        if span is None:
            return None
        start, end = span
        for quote in self.a.quotes:
            if quote.start >= end:
                break
            if quote.start >= start and quote.end <= end + 1:
                if quote.content_start <= start + 1 and quote.content_end >= end - 1:
                    return "direct"
                return "mixed"
        return "indirect"

    # ---- stance

    def _decide_stance(self, cue: Cue, next_cue: int | None) -> None:
        """Lexicon stance, then adverbs, phrases around the cue and scare-quoted objects."""
        stance = cue.entry.stance
        modifier = None
        text = self.a.text
        span_words = re.findall(r"[\w’'-]+", text[cue.start : cue.end].lower())
        after = self._sentence_after(cue)
        if next_cue is not None:
            after = after[: max(0, next_cue - cue.end)]
        next_word = re.match(r"[\s,]*([\w-]+)", after)
        candidates = span_words + ([next_word.group(1).lower()] if next_word else [])
        found: list[tuple[str, str]] = []
        for word in candidates:
            adverb = self.lexicon.adverbs.get(word)
            if adverb is not None:
                found.append((adverb.effect, word))
        for mod in self.lexicon.following:
            match = mod.pattern.search(after)
            if match:
                found.append((mod.effect, match.group(0).strip()))
        before = self._sentence_before(cue)
        for mod in self.lexicon.preceding:
            match = mod.pattern.search(before)
            if match:
                found.append((mod.effect, match.group(0).strip()))
        scare = self._scare_quoted_object(cue)
        if scare is not None:
            found.append(("distancing", scare))
        strongest = {effect: phrase for effect, phrase in reversed(found)}
        if "discrediting" in strongest:
            stance, modifier = "discrediting", strongest["discrediting"]
        elif "endorsing" in strongest:
            stance, modifier = "endorsing", strongest["endorsing"]
        elif "distancing" in strongest and stance in ("neutral", "endorsing"):
            stance, modifier = "distancing", strongest["distancing"]
        cue.stance, cue.modifier = stance, modifier

    def _sentence_bounds(self, cue: Cue) -> tuple[int, int]:
        if cue.head is not None and self.a.doc.has_annotation("SENT_START"):
            sent = cue.head.sent
            return sent.start_char, sent.end_char
        text = self.a.text
        start = max(text.rfind(". ", 0, cue.start), text.rfind("\n", 0, cue.start)) + 1
        ends = [i for i in (text.find(". ", cue.end), text.find("\n", cue.end)) if i >= 0]
        return start, min(ends) if ends else len(text)

    def _sentence_after(self, cue: Cue) -> str:
        """Text after the cue up to the next cue-worthy boundary in its sentence."""
        _, end = self._sentence_bounds(cue)
        return self.a.text[cue.end : min(end, cue.end + 200)]

    def _sentence_before(self, cue: Cue) -> str:
        start, _ = self._sentence_bounds(cue)
        return self.a.text[max(start, cue.start - 120) : cue.start]

    def _scare_quoted_object(self, cue: Cue) -> str | None:
        """A short quotation that is the cue verb's object itself, not words inside its
        clause: labeled him a “dictator”, called the plan “unrealistic”, praised it as
        “promising”. Without a parse: a short quote right after the cue."""
        if cue.entry.role == "speaker_label":
            return None
        index = bisect_right(self.a.quote_starts, cue.end)
        nearby = [q for q in self.a.quotes[index : index + 3]
                  if q.start >= cue.end and self.a.is_short(q)]
        if cue.head is None or not self.a.has_parse:
            for quote in nearby:
                gap = self.a.text[cue.end : quote.start]
                if len(gap) <= 40 and not re.search(r"[.!?;]\s", gap):
                    return self.a.text[quote.start : quote.end]
            return None
        heads = []
        for child in cue.head.children:
            if child.i < cue.head.i:
                continue
            if child.dep_ in ("dobj", "oprd", "attr", "xcomp", "acomp") or (
                child.dep_ == "ccomp" and child.pos_ in ("ADJ", "NOUN") and not any(
                    c.dep_ in ("aux", "auxpass", "mark", "cop") for c in child.children
                )
            ):
                heads.append(child)
            elif child.dep_ == "prep" and child.lower_ == "as":
                heads += [t for t in child.children if t.dep_ == "pobj"]
        for quote in nearby:
            if any(quote.content_start <= h.idx < quote.content_end for h in heads):
                return self.a.text[quote.start : quote.end]
        return None


def hedge_annotations(lexicon: Lexicon, text: str, analysis: DocAnalysis) -> Iterator[Annotation]:
    """Hedge phrases from the lexicon, outside direct quotes, longest match first."""
    hits: list[tuple[int, int, str, str]] = []
    for pattern, entry, category in lexicon.hedges:
        for match in pattern.finditer(text):
            hits.append((match.start(), match.end(), entry, category))
    hits.sort(key=lambda h: (h[0], -h[1]))
    last_end = -1
    for start, end, entry, category in hits:
        if start < last_end or analysis.in_quote(start):
            continue
        last_end = end
        yield Annotation("hedge", start, end, attributes={"entry": entry, "category": category})


def vague_source_annotations(
    lexicon: Lexicon, cues: Iterable[Cue], analysis: DocAnalysis
) -> Iterator[Annotation]:
    """Cues whose speaker is unnamed: 'officials said', 'critics claim', 'some argue'."""
    doc = analysis.doc
    for cue in cues:
        if cue.source is not None and cue.source_head is not None:
            head = cue.source_head
            category = lexicon.vague_words.get(head.lower_) or (
                lexicon.vague_words.get(head.lemma_.lower()) if analysis.has_lemma else None
            )
            if category is None or head.pos_ == "PROPN" or any(
                m.label_ in PERSON_LABELS for _, m, _ in analysis.mentions()
                if cue.source[0] <= m.start_char < cue.source[1]
            ):
                continue
            start, end = min(cue.source[0], cue.start), max(cue.source[1], cue.end)
            if end - start > 160:
                start, end = cue.source
            yield Annotation("vague_source", start, end, attributes={
                "entry": head.lower_, "category": category,
            })
        elif not analysis.has_parse and cue.head is not None:
            for token in reversed(doc[max(0, cue.head.i - 4) : cue.head.i]):
                if token.is_punct:
                    break
                category = lexicon.vague_words.get(token.lower_)
                if category is not None:
                    yield Annotation("vague_source", token.idx, cue.end, attributes={
                        "entry": token.lower_, "category": category,
                    })
                    break


@hookimpl
def register_annotators(register: Any) -> None:
    register(Attribution)
