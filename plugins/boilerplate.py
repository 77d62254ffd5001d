"""Boilerplate: navigation, prompts, share widgets, reading times, captions and credits.

Scraped article text carries page furniture ("Skip to main content", "Leave a
Comment", "Reading Time: 2 minutes", photo captions, agency credits). This
annotator marks each such line as one span so that comparisons can leave it out
of every count while offsets still point into the original text. It works on
the text alone and needs no parse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import Annotation, Annotator, ConfigError, hookimpl, load_schema, read_data_file

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator import Article

BUILTIN_RULES = Path(__file__).parent / "lexicons" / "boilerplate.yaml"
KINDS = frozenset(load_schema("attributes/boilerplate.json")["properties"]["kind"]["enum"])
RULES_KIND = "boilerplate-rules"
REQUIRED_RULE_FIELDS = ("id", "kind", "pattern", "max_words", "rationale", "source")
RULE_FIELDS = frozenset({*REQUIRED_RULE_FIELDS, "case_sensitive"})
WORD = re.compile(r"\w+(?:['’]\w+)*")
LINE = re.compile(r"[^\r\n]+")


@dataclass(frozen=True)
class Rule:
    """One class of boilerplate line: a whole-line pattern and a word limit."""

    id: str
    kind: str
    pattern: re.Pattern[str]
    max_words: int
    rationale: str

    def matches(self, line: str, words: int) -> bool:
        return words <= self.max_words and bool(self.pattern.fullmatch(line))


def read_rules(path: Path) -> list[Rule]:
    """The rules of one YAML file, checked: every field present, kinds known, ids unique."""
    data = read_data_file(path, RULES_KIND)
    if not isinstance(data.get("rules"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'rules' list")
    rules: list[Rule] = []
    for number, entry in enumerate(data["rules"], start=1):
        where = f"{path}: rule {number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: expected a mapping")
        missing = [key for key in REQUIRED_RULE_FIELDS if key not in entry]
        unknown = sorted(set(entry) - RULE_FIELDS)
        if missing or unknown:
            raise ConfigError(
                f"{where}: missing {', '.join(missing) or 'nothing'}, "
                f"unknown {', '.join(unknown) or 'nothing'}"
            )
        if entry["kind"] not in KINDS:
            raise ConfigError(
                f"{where}: unknown kind {entry['kind']!r} (known: {', '.join(sorted(KINDS))})"
            )
        if any(rule.id == entry["id"] for rule in rules):
            raise ConfigError(f"{where}: duplicate id {entry['id']!r}")
        flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
        try:
            pattern = re.compile(entry["pattern"], flags)
        except re.error as error:
            raise ConfigError(f"{where}: bad pattern ({error})") from error
        rules.append(
            Rule(entry["id"], entry["kind"], pattern, int(entry["max_words"]), entry["rationale"])
        )
    return rules


def lines(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of every non-blank line, without its leading and trailing whitespace."""
    for match in LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + len(line) - len(line.lstrip())
            yield start, start + len(stripped)


class Boilerplate(Annotator):
    """Lines of page furniture, each with its kind and the rule that matched."""

    name = "boilerplate"
    version = "1.1.0"
    requires = ()
    attributes_schema = load_schema("attributes/boilerplate.json")
    default_settings: dict[str, Any] = {"rules_file": None}

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        path = Path(self.settings["rules_file"] or BUILTIN_RULES)
        self.rules = read_rules(path)
        self.data_files.append(path)

    def classify(self, line: str) -> Rule | None:
        """The first rule that matches the whole line, if any."""
        words = len(WORD.findall(line))
        return next((rule for rule in self.rules if rule.matches(line, words)), None)

    def annotate(self, article: Article, doc: Doc | None = None) -> Iterator[Annotation]:
        for start, end in lines(article.text):
            rule = self.classify(article.text[start:end])
            if rule is not None:
                yield Annotation(
                    "boilerplate", start, end, attributes={"kind": rule.kind, "rule": rule.id}
                )

    def summarize(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        kinds = Counter(a["attributes"]["kind"] for a in annotations)
        return {
            "count": len(annotations),
            "characters": sum(a["end"] - a["start"] for a in annotations),
            "kinds": dict(sorted(kinds.items())),
        }


@hookimpl
def register_annotators(register: Any) -> None:
    register(Boilerplate)
