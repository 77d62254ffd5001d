"""People named across the outlets of one event, merged by surname."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .article import ComparedArticle, Outlets
from .text import (
    POSSESSIVE,
    STOPWORDS,
    WORD,
    overlaps,
    text_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

SURNAME_SIMILARITY = 85.0
MAX_MAIN_ENTITIES = 8
HEADING_SMALL_WORDS = frozenset("a an and the of in on at to for with by or from as".split())



@dataclass
class Entity:
    """A person known across outlets by a surname key, e.g. ``zelensky``."""

    key: str
    names: Counter[str] = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return max(self.names.items(), key=lambda item: (item[1], len(item[0]), item[0]))[0]


class EntityIndex:
    """People named in full somewhere in the corpus; a mention resolves by fuzzy surname."""

    def __init__(self, full_names: Iterable[str]) -> None:
        self.entities: list[Entity] = []
        self._matches: dict[str, Entity | None] = {}  # match() remembered, once built
        for name in full_names:
            parts = [POSSESSIVE.sub("", p) for p in name.split()]
            if len(parts) < 2 or not all(
                p[:1].isupper() and p.replace(".", "").isalpha() and p.lower() not in STOPWORDS
                for p in parts
            ):
                continue
            entity = self._closest(parts[-1]) or self._add(parts[-1].lower())
            entity.names[" ".join(parts)] += 1

    def _add(self, key: str) -> Entity:
        entity = Entity(key)
        self.entities.append(entity)
        return entity

    def match(self, word: str) -> Entity | None:
        """The entity whose surname key is closest to ``word``, if close enough."""
        if word not in self._matches:
            self._matches[word] = self._closest(word)
        return self._matches[word]

    def _closest(self, word: str) -> Entity | None:
        word = POSSESSIVE.sub("", word).lower()
        if len(word) < 3:
            return None
        scored = [(fuzz.ratio(word, e.key), e.key, e) for e in self.entities]
        best = max(scored, default=None, key=lambda item: (item[0], item[1]))
        return best[2] if best and best[0] >= SURNAME_SIMILARITY else None

    def resolve(self, name: str | None) -> Entity | None:
        """The entity a name refers to: its last matching capitalised word wins."""
        if not name:
            return None
        for word in reversed(name.split()):
            if word[:1].isupper() and (entity := self.match(word)):
                return entity
        return None


def source_entity(
    article: ComparedArticle, source: tuple[int, int], speaker: str | None = None
) -> str | None:
    """The entity cluster that names a cue's source: a PERSON mention over the source before
    an ORG one, the longest first ("US Defense Secretary Pete Hegseth": Pete Hegseth, not
    Defense). A name mention counts only if the attribution's ``speaker`` name holds it
    (for "Kyiv and international observers" the annotator names "international
    observers": Kyiv, a city, does not speak). None when no mention counts."""
    found = []
    for mention in article.kept("sentiment", "entity_mention"):
        attributes = mention["attributes"]
        entity_type = attributes.get("entity_type")
        cluster = text_of(attributes.get("entity"))
        unnamed = speaker is not None and attributes.get("mention_kind") == "name" and (
            article.text[mention["start"] : mention["end"]] not in speaker
        )
        if cluster and entity_type in ("PERSON", "ORG") and not unnamed and overlaps(
            *source, [(mention["start"], mention["end"])]
        ):
            found.append((entity_type == "PERSON", mention["end"] - mention["start"], cluster))
    return max(found)[2] if found else None


def is_heading_line(text: str, offset: int) -> bool:
    """The line at ``offset`` is a heading, not a speaker's source ("Kremlin Welcomes
    US-Russia Dialogue"): every word capitalised but the small ones, no closing stop."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    words = text[start : end if end >= 0 else len(text)].split()
    return len(words) > 1 and words[-1][-1:] not in ".!?”\"" and all(
        w[:1].isupper() or w.lower() in HEADING_SMALL_WORDS for w in words
    )


def person_names(article: ComparedArticle, doc: Doc | None) -> list[str]:
    """Names of people: NER PERSON spans and the record's PERSON entity clusters."""
    names = []
    if doc is not None:
        names += [ent.text for ent in doc.ents if ent.label_ == "PERSON"]
    for a in article.kept("sentiment", "entity_mention"):
        attributes = a["attributes"]
        if attributes.get("entity_type", "PERSON") == "PERSON":
            names += [n] if (n := text_of(attributes.get("entity"))) else []
    return names


def mentions(article: ComparedArticle, index: EntityIndex) -> dict[str, list[tuple[int, int]]]:
    """Spans that name each entity (by surname), outside boilerplate.

    Words are found in the text itself (a possessive ’s is left out of the span), so a
    parse of only some sentences misses no mention.
    """
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    candidates = []
    for match in WORD.finditer(article.text):
        word = match.group()
        if word[:1].isupper():
            bare = POSSESSIVE.sub("", word) if len(word) > 3 else word
            candidates.append((match.start(), match.start() + len(bare), bare))
    for start, end, word in candidates:
        if overlaps(start, end, article.boilerplate):
            continue
        entity = index.match(word)
        if entity is not None:
            found[entity.key].append((start, end))
    return found


def main_entities(index: EntityIndex, spans: dict[str, dict], outlets: Outlets) -> list[Entity]:
    """People mentioned by at least half the outlets (and at least two), most covered first."""
    coverage: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for articles in outlets.values():
        keys = {key for art in articles for key, found in spans[art.id].items() if found}
        coverage.update(keys)
        for art in articles:
            for key, found in spans[art.id].items():
                total[key] += len(found)
    needed = max(2, math.ceil(len(outlets) / 2))
    chosen = [e for e in index.entities if coverage[e.key] >= needed]
    chosen.sort(key=lambda e: (-coverage[e.key], -total[e.key], e.key))
    return chosen[:MAX_MAIN_ENTITIES]

