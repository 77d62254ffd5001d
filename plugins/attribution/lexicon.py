"""The attribution cue lexicon: reporting verbs, nominal and phrasal cues, stance modifiers,
hedges and vague-source words, read from a ``cue-lexicon`` data file and compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy
from spacy.strings import StringStore

from annotator import ConfigError, PrescannedPattern, read_data_file

BUILTIN_LEXICON = Path(__file__).parent.parent / "lexicons" / "attribution.yaml"
LEXICON_KIND = "cue-lexicon"
STANCES = ("neutral", "endorsing", "distancing", "discrediting")
REQUIREMENTS = ("clause", "complement", "named_subject", "person_subject")
PHRASE_ROLES = ("object", "setting", "speaker_label", "trailing_label")
HEDGE_REQUIREMENTS = ("plural_subject", "no_subject")


@dataclass(frozen=True)
class Hedge:
    """A hedge phrase or pattern from the lexicon."""

    pattern: PrescannedPattern
    entry: str
    category: str
    requires: str | None = None


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
    hedges: tuple[Hedge, ...]
    vague_words: dict[str, str]
    hedge_words: dict[tuple[str, str], str]
    """(lemma, universal POS) -> category: the words a learned hedge may be."""
    learned_cue_words: frozenset[tuple[str, str]]
    """(lemma, universal POS) the learned cue tagger may add beside the verbs and nouns."""

    def reporting_word(self, lemma: str, pos: str) -> bool:
        """Whether this word makes a tagged run a cue: a lexicon verb or noun, or a
        ``learned_cues`` word, with the right part of speech."""
        return (
            (lemma, pos) in self.learned_cue_words
            or (pos == "VERB" and lemma in self.verbs_by_lemma)
            or (pos == "NOUN" and lemma in self.nouns)
        )

    @cached_property
    def first_form_hashes(self) -> numpy.ndarray:
        """spaCy hashes of the lowercase words that start a phrase or are a verb form."""
        strings = StringStore()
        return numpy.array([strings[w] for w in {*self.phrases, *self.verbs_by_form}],
                           dtype="uint64")

    @cached_property
    def lemma_words(self) -> frozenset[str]:
        """Verb and noun lemmas, lowercase."""
        return frozenset({*self.verbs_by_lemma, *self.nouns})


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


def _word_pos_pairs(raw: Any, path: Path, section: str, index: int) -> list[tuple[str, str]]:
    """The (lemma, POS) pairs of an entry with lists ``lemmas`` and ``pos``."""
    _check_entry(raw, path, section, index, ())
    lemmas, tags = raw.get("lemmas"), raw.get("pos")
    if not lemmas or not tags or not all(isinstance(x, str) for x in [*lemmas, *tags]):
        raise ConfigError(f"{path}: {section} entry {index + 1}: needs lists 'lemmas' and 'pos'")
    return [(lemma.lower(), tag) for lemma in lemmas for tag in tags]


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
        requires = raw.get("requires")
        clause = requires == "clause"  # "statement that ...", else the prepositions it needs
        preps = tuple(requires.split("|")) if requires and not clause else ()
        nouns[raw["lemma"]] = CueEntry(
            raw["lemma"], raw["stance"], raw["category"], "clause" if clause else None,
            particles=preps,
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
        if raw.get("requires") not in (None, *HEDGE_REQUIREMENTS):
            raise ConfigError(f"{path}: hedges entry {index + 1}: requires must be one of "
                              f"{', '.join(HEDGE_REQUIREMENTS)}")
        regex = _phrase_pattern(raw[key]) if key == "phrase" else raw[key]
        hedges.append(Hedge(PrescannedPattern(_compile(regex, path)), raw.get("id", raw[key]),
                            raw["category"], raw.get("requires")))
    hedge_words: dict[tuple[str, str], str] = {}
    for index, raw in enumerate(data.get("hedge_words") or []):
        _check_entry(raw, path, "hedge_words", index, ("category",))
        for pair in _word_pos_pairs(raw, path, "hedge_words", index):
            hedge_words[pair] = raw["category"]
    learned_cue_words = frozenset(
        pair for index, raw in enumerate(data.get("learned_cues") or [])
        for pair in _word_pos_pairs(raw, path, "learned_cues", index)
    )
    vague: dict[str, str] = {}
    for index, raw in enumerate(data.get("vague_sources") or []):
        _check_entry(raw, path, "vague_sources", index, ("word", "category"))
        vague[raw["word"].lower()] = raw["category"]
    return Lexicon(
        by_lemma, by_form, nouns, phrases, adverbs, tuple(following), tuple(preceding),
        tuple(hedges), vague, hedge_words, learned_cue_words,
    )
