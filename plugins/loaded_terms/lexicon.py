"""Term lexicons: the YAML format, its lint, and compiled entries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from annotator import ConfigError, read_data_file

BUILTIN_LEXICON = Path(__file__).parent.parent / "lexicons" / "loaded_terms.yaml"
LEXICON_KIND = "term-lexicon"
UPOS = frozenset(
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()
)
ENTRY_FIELDS = frozenset(
    {
        "term", "pattern", "category", "rationale", "alternative", "source", "pos",
        "case_sensitive", "unless", "valence",
    }
)
VALENCES = ("negative", "positive", "neutral")
REQUIRED_ENTRY_FIELDS = ("category", "rationale", "source")
SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")
HYPHENS = frozenset({"-", "‐", "‑"})
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    unless: tuple[tuple[tuple[str, ...], int], ...] = ()
    valence: str | None = None

    @property
    def label(self) -> str:
        return self.term if self.term is not None else self.pattern.pattern  # type: ignore[union-attr]

    @property
    def names_allowed(self) -> bool:
        """A capitalised or proper-noun entry ("Reds", "Satan") is meant to match inside names."""
        return self.case_sensitive or "PROPN" in self.pos

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
    category_valence: dict[str, str] = field(default_factory=dict)
    demoted: dict[str, str] = field(default_factory=dict)


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
    for name in REQUIRED_ENTRY_FIELDS:
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            problems.append(f"missing {name!r}")
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
    if raw.get("valence", "negative") not in VALENCES:
        problems.append(f"'valence' must be one of {', '.join(VALENCES)}")
    if "unless" in raw:
        problems += _unless_problems(raw)
    return problems


def _unless_problems(raw: dict[str, Any]) -> list[str]:
    """An ``unless`` phrase that does not hold the term can never apply."""
    phrases = raw["unless"]
    if "term" not in raw or not isinstance(raw["term"], str):
        return ["'unless' needs a 'term' (phrases are matched around it)"]
    if not isinstance(phrases, list) or not phrases:
        return ["'unless' must be a non-empty list of phrases holding the term"]
    problems = []
    for phrase in phrases:
        if not isinstance(phrase, str) or _term_problem(phrase):
            problems.append(f"'unless' phrase {phrase!r} is not a phrase")
        elif term_offset(raw["term"], phrase) is None:
            problems.append(f"'unless' phrase {phrase!r} does not hold the term: it never applies")
        elif term_words(phrase) == term_words(raw["term"]):
            problems.append(f"'unless' phrase {phrase!r} is the term itself: it never matches")
    return problems


def term_offset(term: str, phrase: str) -> int | None:
    """Where the term's words start inside the phrase's words (case-insensitive), or None."""
    words, inside = term_words(term), term_words(phrase)
    for offset in range(len(inside) - len(words) + 1):
        if inside[offset : offset + len(words)] == words:
            return offset
    return None


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
    problems += _category_map_problems(path, data, categories)
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        return [*problems, f"{path}: 'entries' must be a non-empty list"]
    seen: dict[tuple[Any, ...], int] = {}
    found: list[tuple[int, str]] = []
    for index, raw in enumerate(entries):
        entry_problems = _entry_problems(raw, categories)
        found += [(index, problem) for problem in entry_problems]
        if entry_problems:
            continue
        case_sensitive = raw.get("case_sensitive", False)
        identity = (
            term_words(raw["term"], case_sensitive) if "term" in raw else raw["pattern"],
            case_sensitive,
            tuple(sorted(raw.get("pos", []))),
        )
        if identity in seen:
            found.append((index, f"duplicate of entry {seen[identity] + 1}"))
        seen.setdefault(identity, index)
    lines = entry_lines(path) if found else []
    for index, problem in found:
        line = f":{lines[index]}" if index < len(lines) else ""
        problems.append(f"{path}{line}: {_describe(entries[index], index)}: {problem}")
    return problems


def _category_map_problems(path: Path, data: Any, categories: dict[str, str]) -> list[str]:
    """``category_valence`` maps categories to a valence; ``demoted`` maps them to a reason."""
    problems = []
    for key, check, wanted in (
        ("category_valence", lambda v: v in VALENCES, f"one of {', '.join(VALENCES)}"),
        ("demoted", lambda v: isinstance(v, str) and bool(v.strip()), "a reason"),
    ):
        mapping = data.get(key) or {}
        if not isinstance(mapping, dict):
            problems.append(f"{path}: '{key}' must map categories to {wanted}")
            continue
        for category, value in mapping.items():
            if category not in categories:
                problems.append(f"{path}: '{key}' names unknown category {category!r}")
            elif not check(value):
                problems.append(f"{path}: '{key}' of {category!r} must be {wanted}")
    return problems


def entry_lines(path: Path) -> list[int]:
    """The 1-based line where each item of the file's ``entries`` list starts."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    for key, value in getattr(root, "value", ()):
        if key.value == "entries" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


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
                unless=tuple(
                    (term_words(phrase), term_offset(term, phrase))  # type: ignore[misc]
                    for phrase in raw.get("unless", ())
                ),
                valence=raw.get("valence"),
            )
        )
    return Lexicon(
        data["name"],
        str(data["version"]),
        categories,
        tuple(entries),
        dict(data.get("category_valence") or {}),
        dict(data.get("demoted") or {}),
    )
