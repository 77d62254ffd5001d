"""Finding lexicon entries in a parsed Doc: lemma-, hyphen- and case-aware, longest first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lexicon import HYPHENS, Entry

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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
    if any(_phrase_around(phrase, offset, keys, position) for phrase, offset in entry.unless):
        return None
    if not lemmatized:
        matched_by = "form" if words == entry.words else "inflection"
    else:
        matched_by = "lemma" if by_lemma else "form"
    return Match(entry, first.idx, last.idx + len(last.text), head, matched_by, len(words))


def _phrase_around(
    phrase: tuple[str, ...], offset: int, keys: list[tuple[str, ...]], position: int
) -> bool:
    """Whether the words around the match at ``position`` spell ``phrase`` (by form or lemma)."""
    first = position - offset
    if first < 0 or first + len(phrase) > len(keys):
        return False
    return all(word in keys[first + k][1:] for k, word in enumerate(phrase))
