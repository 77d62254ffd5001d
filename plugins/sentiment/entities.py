"""Entity mentions (spaCy NER, or capitalised runs without it) and their clusters within one
article: spelling variants, surnames and role descriptions ("the Russian president")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .sentences import trimmed
from .vader import NON_SPACE

if TYPE_CHECKING:
    from spacy.tokens import Doc


ENTITY_LABELS = frozenset({"PERSON", "ORG"})
PERSONS = frozenset({"PERSON", "NAME"})  # NAME: a fallback name that may be a person
PERSON_LIKE_LABELS = frozenset({"GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"})
NAME_FUZZ = 85  # rapidfuzz ratio for spelling variants: Zelensky / Zelenskyy = 94
ORG_FUZZ = 90
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
INITIAL = re.compile(r"^[A-Z]\.$")
LEADER_ROLES = frozenset({"president", "leader", "prime minister", "premier", "chancellor"})
ROLE_WORDS = (
    "prime minister|foreign minister|defense minister|defence minister|minister|president|"
    "leader|premier|chancellor|secretary-general|secretary|spokesman|spokeswoman|spokesperson|"
    "envoy|ambassador|senator|governor|king|queen|pope"
)
TITLE_BEFORE = re.compile(
    rf"(?:\b(?P<mod>[A-Z][\w.\-]*|former|then)\s+)?(?P<role>{ROLE_WORDS})\s+$", re.IGNORECASE
)
DESCRIPTION = re.compile(
    rf"\b[Tt]he\s+(?P<mod>[A-Z][\w.\-]*)\s+(?P<role>{ROLE_WORDS})\b"
    r"(?!\s+(?:[A-Z]|of\b))"
)
NATIONALITY_ALIASES = {
    "american": "us",
    "u.s.": "us",
    "us": "us",
    "united": "us",
    "british": "uk",
    "u.k.": "uk",
    "uk": "uk",
}
ROLE_WORD = re.compile(
    r"(?i:president|minister|leader|premier|chancellor|secretary(?:-general)?|spokes(?:man|woman|"
    r"person)|envoy|ambassador|senator|governor|king|queen|pope)"
)
MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][\w\-]*")
CAPITALISED_RUN = re.compile(r"[A-Z][\w’'\-]*(?:\s+(?:[A-Z]\.|[A-Z][\w’'\-]*))*")
FALLBACK_STOPWORDS = frozenset(
    """a an and as at but by for from he her his i if in it its more most no not of on or
    our over she so some that the their there these they this those to we what when where
    which while who why with you your after before despite during meanwhile however""".split()
)


@dataclass
class Mention:
    """One mention of an entity: a name (``parts`` without initials) or a description;
    ``titles`` are the (modifier, role) pairs it carried ("Ukrainian", "president")."""

    start: int
    end: int
    entity_type: str
    kind: str  # "name" or "description"
    parts: tuple[str, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()


@dataclass
class Cluster:
    """The mentions of one entity within an article."""

    id: int
    entity_type: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def surnames(self) -> set[str]:
        return {m.parts[-1].lower() for m in self.mentions if m.parts}

    @property
    def first_names(self) -> set[str]:
        return {m.parts[0].lower() for m in self.mentions if len(m.parts) > 1}

    def canonical(self, text: str) -> str:
        """The most frequent full name (two or more words), else the most frequent form."""
        names = [" ".join(m.parts) for m in self.mentions if m.kind == "name" and m.parts]
        full = [n for n in names if " " in n]
        pool = full or names or [text[m.start : m.end] for m in self.mentions]
        counts = Counter(pool)
        return max(pool, key=lambda n: (counts[n], -pool.index(n)))


def _name_parts(name: str) -> tuple[str, ...]:
    return tuple(p for p in name.split() if not INITIAL.match(p))


def _mention_from(text: str, start: int, end: int, entity_type: str) -> Mention | None:
    """A name mention with the possessive and surrounding space removed, or None."""
    start, end = trimmed(text, start, end)
    if possessive := POSSESSIVE.search(text, start, end):
        end = possessive.start()
    if text.startswith(("the ", "The "), start):
        start += 4
    start, end = trimmed(text, start, end)
    name = text[start:end]
    if end - start < 2 or "\n" in name or not name[0].isupper():
        return None
    title = TITLE_BEFORE.search(text, max(0, start - 60), start)
    titles = ()
    if title:
        modifier = (title.group("mod") or "").lower()
        titles = ((NATIONALITY_ALIASES.get(modifier, modifier), title.group("role").lower()),)
    return Mention(start, end, entity_type, "name", _name_parts(name), titles)


def ner_mentions(doc: Doc, text: str) -> list[Mention]:
    """PERSON and ORG entities, plus other entities spelled like a person's name
    (the small pipeline tags "Trump" as ORG and "Zelenskyy" as GPE at times)."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS | PERSON_LIKE_LABELS:
            continue
        entity_type = ent.label_ if ent.label_ in ENTITY_LABELS else "OTHER"
        mention = _mention_from(text, ent.start_char, ent.end_char, entity_type)
        if mention and mention.parts:
            mentions.append(mention)
    return mentions


def fallback_mentions(text: str) -> list[Mention]:
    """Without NER: runs of capitalised words, split after a possessive ("CNN’s State"),
    cut after a role word ("US Defense Secretary Pete Hegseth" -> "Pete Hegseth", typed
    PERSON), without leading function words; a lone sentence-initial word ("Make") counts
    only if the article also capitalises it mid-sentence."""
    mid_sentence = {m.group() for m in MID_SENTENCE_CAPITAL.finditer(text)}
    mentions = []
    for run in CAPITALISED_RUN.finditer(text):
        words = [(run.start() + m.start(), m.group()) for m in NON_SPACE.finditer(run.group())]
        while words:
            cut = next((i for i, (_, w) in enumerate(words) if POSSESSIVE.search(w)), None)
            part, words = (words, []) if cut is None else (words[: cut + 1], words[cut + 1 :])
            mention = _fallback_mention(text, part, mid_sentence)
            if mention is not None:
                mentions.append(mention)
    return mentions


def _fallback_mention(
    text: str, words: list[tuple[int, str]], mid_sentence: set[str]
) -> Mention | None:
    entity_type = "NAME"
    roles = [i for i, (_, w) in enumerate(words) if ROLE_WORD.fullmatch(w)]
    if roles and roles[-1] < len(words) - 1:
        words, entity_type = words[roles[-1] + 1 :], "PERSON"
    while words and words[0][1].lower() in FALLBACK_STOPWORDS:
        words = words[1:]
    if not words:
        return None
    start, first = words[0]
    before = text[:start].rstrip()
    initial = not before or before[-1] in '.!?:"“”\n'
    if len(words) == 1 and initial and first not in mid_sentence:
        return None
    mention = _mention_from(text, start, words[-1][0] + len(words[-1][1]), entity_type)
    return mention if mention and mention.parts and mention.end - mention.start > 2 else None


def description_mentions(text: str) -> list[Mention]:
    """Definite descriptions such as "the Ukrainian president" or "the US leader"."""
    mentions = []
    for match in DESCRIPTION.finditer(text):
        modifier = (match.group("mod") or "").lower()
        title = (NATIONALITY_ALIASES.get(modifier, modifier), match.group("role").lower())
        mentions.append(Mention(match.start(), match.end(), "PERSON", "description", (), (title,)))
    return mentions


def _title_matches(description: tuple[str, str], title: tuple[str, str]) -> bool:
    modifier, role = description
    title_modifier, title_role = title
    same_role = role == title_role or (role == "leader" and title_role in LEADER_ROLES)
    return same_role and (not modifier or modifier == title_modifier)


def _name_matches(cluster: Cluster, mention: Mention) -> float:
    """How well a name mention fits a cluster: best surname ratio, 0 when incompatible."""
    surname = mention.parts[-1].lower()
    best = max((fuzz.ratio(surname, s) for s in cluster.surnames), default=0.0)
    if len(mention.parts) == 1 and mention.entity_type == "PERSON":
        single = max((fuzz.ratio(surname, f) for f in cluster.first_names), default=0.0)
        best = max(best, single if single == 100 else 0.0)
    if best < NAME_FUZZ:
        return 0.0
    if len(mention.parts) > 1 and cluster.first_names:
        first = mention.parts[0].lower()
        if max(fuzz.ratio(first, f) for f in cluster.first_names) < NAME_FUZZ:
            return 0.0
    return best


def _split_title_case(names: list[Mention]) -> list[Mention]:
    """Cut title-case run-ons such as "Zelensky Pledges" (a headline verb read as part of
    the name) down to their first word, when that word is another mention's surname and
    the last word is nobody's."""
    surnames = Counter(m.parts[-1].lower() for m in names)
    fixed = []
    for mention in names:
        first, last = mention.parts[0].lower(), mention.parts[-1].lower()
        if (
            len(mention.parts) > 1
            and surnames[last] == 1
            and any(fuzz.ratio(first, s) >= NAME_FUZZ for s in surnames if s != last)
        ):
            end = mention.start + len(mention.parts[0])
            mention = Mention(mention.start, end, mention.entity_type, "name", mention.parts[:1])
        fixed.append(mention)
    return fixed


def cluster_mentions(names: list[Mention], descriptions: list[Mention]) -> list[Cluster]:
    """Group an article's mentions into entities.

    1. Multi-word person names open or join person clusters (rapidfuzz ratio >= 85 on the
       surname and, when both have one, the first name: "Volodymyr Zelensky" and
       "Volodymyr O. Zelenskyy" join).
    2. Every other name joins the best-matching person cluster (so "Zelenskyy’s" tagged as
       ORG or GPE still joins); otherwise a PERSON opens a cluster, an ORG joins an
       organisation with ratio >= 90 on the whole name or opens one; the rest are dropped.
    3. A description ("the Ukrainian leader") joins the cluster of the nearest preceding
       mention that carried a matching title ("Ukrainian President Volodymyr Zelenskyy");
       "leader" matches any head-of-government role. Unmatched descriptions are dropped.
    """
    clusters: list[Cluster] = []

    def best_person(mention: Mention) -> Cluster | None:
        scored = [(_name_matches(c, mention), c) for c in clusters if c.entity_type in PERSONS]
        scored = [(s, c) for s, c in scored if s > 0]
        return max(scored, key=lambda sc: (sc[0], sc[1].mentions[-1].start))[1] if scored else None

    def add(mention: Mention, cluster: Cluster | None, entity_type: str) -> None:
        if cluster is None:
            cluster = Cluster(len(clusters) + 1, entity_type)
            clusters.append(cluster)
        cluster.mentions.append(mention)

    ordered = sorted(_split_title_case(names), key=lambda m: m.start)
    for mention in ordered:
        if mention.entity_type in PERSONS and len(mention.parts) > 1:
            add(mention, best_person(mention), mention.entity_type)
    for mention in ordered:
        if mention.entity_type in PERSONS and len(mention.parts) > 1:
            continue
        person = best_person(mention)
        if person is not None:
            add(mention, person, person.entity_type)
        elif mention.entity_type in PERSONS:
            add(mention, None, mention.entity_type)
        elif mention.entity_type == "ORG":
            name = " ".join(mention.parts).lower()
            orgs = [
                c
                for c in clusters
                if c.entity_type == "ORG"
                and fuzz.ratio(name, " ".join(c.mentions[0].parts).lower()) >= ORG_FUZZ
            ]
            add(mention, orgs[0] if orgs else None, "ORG")
    for description in descriptions:
        candidates = [
            (m.start, c)
            for c in clusters
            for m in c.mentions
            if m.start < description.start
            and any(_title_matches(description.titles[0], t) for t in m.titles)
        ]
        if candidates:
            max(candidates, key=lambda sc: sc[0])[1].mentions.append(description)
    for cluster in clusters:
        cluster.mentions.sort(key=lambda m: m.start)
    return clusters


def article_clusters(doc: Doc, text: str) -> list[Cluster]:
    names = ner_mentions(doc, text) if doc.has_annotation("ENT_IOB") else fallback_mentions(text)
    return cluster_mentions(names, description_mentions(text))
