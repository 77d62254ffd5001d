"""Term lexicons: the YAML format, its lint, and compiled entries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from annotator import ConfigError, read_data_file

BUILTIN_LEXICON = Path(__file__).parent.parent / "lexicons" / "loaded_terms.yaml"
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
