"""Sentiment: stock VADER per sentence, explained as data, and sentiment toward each entity.

Sentence annotations keep VADER's stock scores so they stay comparable with published
results; each one lists the words that moved the score and the VADER rules that fired,
read from VADER's own lexicon and rules rather than re-implemented. Entity mentions are
clustered within the article and scored by :meth:`Sentiment.target_score` over the clause
around the mention. See docs/sentiment.md.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from vaderSentiment.vaderSentiment import (
    B_INCR,
    BOOSTER_DICT,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    negated,
    normalize,
)

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
    from spacy.tokens import Doc, Span, Token

    from annotator import Article

LEXICONS = Path(__file__).parent / "lexicons"
TOPIC_MASK_FILE = LEXICONS / "sentiment_topic_mask.yaml"
TOPIC_MASK_KIND = "word-list"
SUPPLEMENT_FILE = LEXICONS / "sentiment_news_supplement.yaml"
SUPPLEMENT_KIND = "valence-list"
NEUTRAL_BAND = 0.05  # VADER's documented cut: compound >= 0.05 positive, <= -0.05 negative
NON_SPACE = re.compile(r"\S+")
WHITESPACE = re.compile(r"\s+")
LINE = re.compile(r"[^\n]+")
SENTENCE_FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")

# Target scoring, tuned on NewsMTSC train (docs/sentiment.md): words outside the target's
# clause count with weight OUTSIDE_CLAUSE_DECAY ** (dependency distance - 1) from the target.
OUTSIDE_CLAUSE_DECAY = 0.8
NEGATIVE_WEIGHT = 2.0
EMBEDDED_WEIGHT = 0.2
QUOTE_WEIGHT = 0.6
SKIPPED_POS = frozenset({"PROPN", "ADP", "SCONJ", "CCONJ", "DET", "PRON", "PART", "AUX", "NUM"})
# Raw target scores in [NEGATIVE_FROM, POSITIVE_FROM] are mapped into VADER's neutral band.
NEGATIVE_FROM = -0.15
POSITIVE_FROM = 0.075
CLAUSE_DEPS = frozenset(
    {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "csubj", "parataxis", "acl", "pcomp"}
)
VERBAL = frozenset({"VERB", "AUX"})
# VADER strips only ASCII punctuation and spots "n't" only with a straight apostrophe, so
# "terrific.”" and "don’t" escape it. Target scoring (never the stock sentence scores) reads
# typographic marks as their ASCII forms; one character for one keeps every offset.
PLAIN_PUNCTUATION = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": " ", "–": " "})

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


# --- VADER with offsets ------------------------------------------------------------------


@dataclass(frozen=True)
class VaderResult:
    """VADER's scores for one text, with its words (offsets relative to the text) and the
    final valence each contributed, after VADER's rules."""

    scores: dict[str, float]
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    valences: tuple[float, ...]
    cap_differential: bool


def _vader_words(
    analyzer: SentimentIntensityAnalyzer, text: str
) -> tuple[str, list[str], list[tuple[int, int]]]:
    """VADER's emoji-expanded text, its words, and each word's span in ``text``.

    Mirrors ``polarity_scores`` (emoji descriptions, whitespace split, punctuation strip)
    while tracking which character of ``text`` every expanded character came from.
    """
    if analyzer.emojis.keys().isdisjoint(text):
        expanded, origin = text, None
    else:
        chars: list[str] = []
        origins: list[int] = []
        prev_space = True
        for i, char in enumerate(text):
            description = analyzer.emojis.get(char)
            if description is None:
                chars.append(char)
                origins.append(i)
                prev_space = char == " "
                continue
            if not prev_space:
                chars.append(" ")
                origins.append(i)
            chars.extend(description)
            origins.extend([i] * len(description))
            prev_space = False
        expanded, origin = "".join(chars), origins
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in NON_SPACE.finditer(expanded):
        token = match.group()
        stripped = token.strip(string.punctuation)
        if len(stripped) <= 2:  # VADER keeps short tokens whole: emoticons like :)
            stripped, low = token, match.start()
        else:
            low = match.start() + token.index(stripped)
        high = low + len(stripped)
        words.append(stripped)
        spans.append((low, high) if origin is None else (origin[low], origin[high - 1] + 1))
    return expanded.strip(), words, spans


def vader_score(analyzer: SentimentIntensityAnalyzer, text: str) -> VaderResult:
    """Score ``text`` exactly as ``analyzer.polarity_scores`` does, keeping per-word valences."""
    expanded, words, spans = _vader_words(analyzer, text)
    sentitext = SentiText(expanded)
    items = sentitext.words_and_emoticons
    sentiments: list[float] = []
    lexicon = analyzer.lexicon
    for i, item in enumerate(items):
        lowered = item.lower()
        if lowered not in lexicon or lowered in BOOSTER_DICT or (
            lowered == "kind" and i < len(items) - 1 and items[i + 1].lower() == "of"
        ):
            sentiments.append(0)  # what sentiment_valence gives a word outside the lexicon
            continue
        sentiments = analyzer.sentiment_valence(0, sentitext, item, i, sentiments)
    sentiments = analyzer._but_check(items, sentiments)
    scores = analyzer.score_valence(sentiments, expanded)
    return VaderResult(
        scores=scores,
        words=tuple(items),
        spans=tuple(spans),
        valences=tuple(float(v) for v in sentiments),
        cap_differential=sentitext.is_cap_diff,
    )


def lexicon_view(
    analyzer: SentimentIntensityAnalyzer, lexicon: Mapping[str, float]
) -> SentimentIntensityAnalyzer:
    """An analyser sharing ``analyzer``'s rules and emoji table but reading ``lexicon``.

    Built without re-reading VADER's files; the shared analyser is never mutated, so
    views are safe to make per call.
    """
    view = object.__new__(SentimentIntensityAnalyzer)
    view.lexicon = lexicon
    view.emojis = analyzer.emojis
    return view


def fired_rules(
    analyzer: SentimentIntensityAnalyzer, result: VaderResult, text: str
) -> list[tuple[str, int | None, int | None]]:
    """The VADER rules that changed a valence: (rule, cue word index, affected word index).

    Follows the conditions of ``SentimentIntensityAnalyzer.sentiment_valence``,
    ``_negation_check``, ``_least_check``, ``_special_idioms_check``, ``_but_check`` and
    ``_punctuation_emphasis``; punctuation rules carry no word index.
    """
    lexicon = analyzer.lexicon
    lowered = [w.lower() for w in result.words]
    fired: list[tuple[str, int | None, int | None]] = []
    for i, word in enumerate(lowered):
        if word not in lexicon or word in BOOSTER_DICT or result.valences[i] == 0:
            continue
        if result.words[i].isupper() and result.cap_differential:
            fired.append(("caps_emphasis", i, i))
        for back in (1, 2, 3):
            if (
                i >= back
                and lowered[i - back] == "no"
                and (back < 3 or lowered[i - 1] in ("or", "nor"))
            ):
                fired.append(("negation", i - back, i))
                break
        for back in (1, 2, 3):
            j = i - back
            if j < 0 or lowered[j] in lexicon:
                continue
            if lowered[j] in BOOSTER_DICT:
                kind = "booster" if BOOSTER_DICT[lowered[j]] == B_INCR else "dampener"
                fired.append((kind, j, i))
            rule = _negation_rule(lowered, i, back)
            if rule:
                fired.append((rule, j, i))
            if back == 3 and _idiom_at(lowered, i):
                fired.append(("idiom", j, i))
        if i > 0 and lowered[i - 1] == "least" and not (i > 1 and lowered[i - 2] in ("at", "very")):
            fired.append(("least_negation", i - 1, i))
    if "but" in lowered and any(result.valences):
        fired.append(("but", lowered.index("but"), None))
    total = sum(result.valences)
    if total and "!" in text:
        fired.append(("exclamation", None, None))
    if total and text.count("?") > 1:
        fired.append(("question_marks", None, None))
    return sorted(set(fired), key=lambda r: (
        math.inf if r[1] is None else r[1], r[0], math.inf if r[2] is None else r[2]
    ))


def _negation_rule(lowered: list[str], i: int, back: int) -> str | None:
    """What ``_negation_check`` does to word ``i`` for the word ``back`` places before it."""
    j = i - back
    emphasis = {"so", "this"}
    if back == 2 and lowered[j] == "never" and lowered[i - 1] in emphasis:
        return "never_so_emphasis"
    if back == 3 and (
        (lowered[j] == "never" and lowered[i - 2] in emphasis) or lowered[i - 1] in emphasis
    ):
        return "never_so_emphasis"
    if back >= 2 and lowered[j] == "without" and "doubt" in lowered[j + 1 : i]:
        return None
    return "negation" if negated([lowered[j]]) else None


def _idiom_at(lowered: list[str], i: int) -> bool:
    """VADER's special-case idioms and booster n-grams around word ``i`` (i >= 3)."""
    around = [
        " ".join(lowered[i - 1 : i + 1]),
        " ".join(lowered[i - 2 : i + 1]),
        " ".join(lowered[i - 2 : i]),
        " ".join(lowered[i - 3 : i]),
        " ".join(lowered[i - 3 : i - 1]),
        " ".join(lowered[i : i + 2]),
        " ".join(lowered[i : i + 3]),
    ]
    return any(seq in SPECIAL_CASES or seq in BOOSTER_DICT for seq in around)


# --- articles: sentences, sections, voice ------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A trimmed sentence span with its section (headline/lede/body) and voice."""

    start: int
    end: int
    section: str
    voice: str


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_bounds(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Trimmed, non-blank sentence spans; a line break always ends a sentence.

    Uses the pipeline's sentence boundaries (parser or sentencizer); without any, each
    line is one sentence.
    """
    if doc.has_annotation("SENT_START"):
        pieces = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        pieces = [(0, len(text))]
    bounds = []
    for start, end in pieces:
        for line in LINE.finditer(text, start, end):
            low, high = _trimmed(text, line.start(), line.end())
            if low < high:
                bounds.append((low, high))
    return bounds


def section_lines(text: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The headline and lede lines, each (start, end) or None.

    Headline: the first non-blank line, when it has at most 25 words and does not end in
    sentence-final punctuation. Lede: the first later line of at least 12 words that ends
    in sentence-final punctuation (so kickers, bylines and "Reading Time" lines are
    skipped). Without a headline, the lede is the first such line of the text.
    """
    lines = [_trimmed(text, m.start(), m.end()) for m in LINE.finditer(text)]
    lines = [(s, e) for s, e in lines if s < e]
    if not lines:
        return None, None
    first = text[lines[0][0] : lines[0][1]]
    headline = None
    if len(first.split()) <= 25 and not SENTENCE_FINAL.search(first):
        headline = lines[0]
    rest = lines[1:] if headline else lines
    lede = next(
        (
            (s, e)
            for s, e in rest
            if len(text[s:e].split()) >= 12 and SENTENCE_FINAL.search(text[s:e])
        ),
        None,
    )
    return headline, lede


def _visible(chunk: str) -> int:
    return len(chunk) - sum(len(gap) for gap in WHITESPACE.findall(chunk))


def voice_of(start: int, end: int, text: str, quoted: list[tuple[int, int]]) -> str:
    """ "quoted" when most of the sentence's non-space characters lie inside quote content."""
    inside = sum(
        _visible(text[max(start, q_start) : min(end, q_end)])
        for q_start, q_end in quoted
        if q_start < end and start < q_end
    )
    visible = _visible(text[start:end])
    return "quoted" if visible and inside * 2 > visible else "journalist"


def _merged_quote_contents(text: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for quote in find_quotes(text):
        span = (quote.content_start, quote.content_end)
        if merged and span[0] < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    return merged


def article_sentences(doc: Doc, text: str) -> list[Sentence]:
    headline, lede = section_lines(text)
    quoted = _merged_quote_contents(text)
    sentences = []
    for start, end in sentence_bounds(doc, text):
        if headline and headline[0] <= start < headline[1]:
            section = "headline"
        elif lede and lede[0] <= start < lede[1]:
            section = "lede"
        else:
            section = "body"
        sentences.append(Sentence(start, end, section, voice_of(start, end, text, quoted)))
    return sentences


# --- entities ----------------------------------------------------------------------------


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
    start, end = _trimmed(text, start, end)
    if possessive := POSSESSIVE.search(text, start, end):
        end = possessive.start()
    if text.startswith(("the ", "The "), start):
        start += 4
    start, end = _trimmed(text, start, end)
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


# --- target sentiment --------------------------------------------------------------------


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence scored once for all the targets in it: VADER's words (offsets relative
    to ``start``), quotation contents and the token index of each word."""

    start: int
    result: VaderResult
    quotes: tuple[tuple[int, int], ...]
    tokens: tuple[int, ...]


@dataclass(frozen=True)
class TargetSentiment:
    score: float
    raw: float
    evidence: tuple[int, int]


def calibrate(raw: float) -> float:
    """Map a raw clause score onto VADER's convention (|score| < 0.05 is neutral).

    Raw scores in [NEGATIVE_FROM, POSITIVE_FROM] land inside the neutral band (0 stays 0);
    outside it the mapping is linear and order-preserving up to +-1.
    """
    inner = NEUTRAL_BAND * 0.99
    if raw < NEGATIVE_FROM:
        return -NEUTRAL_BAND - (1 - NEUTRAL_BAND) * (NEGATIVE_FROM - raw) / (1 + NEGATIVE_FROM)
    if raw > POSITIVE_FROM:
        return NEUTRAL_BAND + (1 - NEUTRAL_BAND) * (raw - POSITIVE_FROM) / (1 - POSITIVE_FROM)
    if raw < 0:
        return -inner * raw / NEGATIVE_FROM
    return inner * raw / POSITIVE_FROM if POSITIVE_FROM else 0.0


@dataclass
class TargetContext:
    """Per-article state shared by the targets of one Doc: its text, its sentences (token
    ranges) and each sentence scored once."""

    text: str
    sentences: list[tuple[int, int]]
    scored: dict[tuple[int, int], ScoredSentence] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc, text: str | None = None) -> TargetContext:
        """Sentences as the pipeline splits them, and split again after line breaks (as
        the sentence annotations are), so a headline is never scored with its lede."""
        text = doc.text if text is None else text
        ranges = [(s.start, s.end) for s in doc.sents] if doc.has_annotation("SENT_START") else []
        sentences = []
        for start, end in ranges or [(0, len(doc))]:
            for token in doc[start:end]:
                if "\n" in token.text_with_ws and token.i + 1 < end:
                    sentences.append((start, token.i + 1))
                    start = token.i + 1
            sentences.append((start, end))
        return cls(text, sentences)

    def sentence_of(self, doc: Doc, span: Span) -> Span:
        """The sentence(s) containing ``span``."""
        starts = [start for start, _ in self.sentences]
        first = self.sentences[max(bisect.bisect_right(starts, span.start) - 1, 0)]
        last = self.sentences[max(bisect.bisect_right(starts, span.end - 1) - 1, 0)]
        return doc[first[0] : max(first[1], last[1])]


def _clause_root(token: Token) -> Token:
    """The nearest verbal clause head above ``token`` (the sentence root at worst)."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in VERBAL and current.dep_ in CLAUSE_DEPS:
            return current
    return current


def _clause_tokens(root: Token, target: set[int]) -> tuple[set[int], set[int]]:
    """The clause's subtree minus the embedded clauses that do not contain the target,
    and those embedded clauses (often reported speech: "X said [that ...]")."""
    keep = {t.i for t in root.subtree}
    embedded: set[int] = set()
    for child in root.children:
        if child.dep_ in CLAUSE_DEPS and child.pos_ in VERBAL:
            inner = {t.i for t in child.subtree}
            if not inner & target:
                embedded |= inner
    return keep - embedded, embedded


def _tree_distance(anchor: dict[int, int], token: Token) -> int:
    """Edges between ``token`` and the anchor token, whose ancestors index ``anchor``."""
    steps = 0
    current = token
    while current.i not in anchor:
        if current.head.i == current.i:
            return 99
        current = current.head
        steps += 1
    return steps + anchor[current.i]


# --- the annotator -----------------------------------------------------------------------


def load_topic_mask(path: Path) -> dict[str, dict[str, Any]]:
    """The mask's entries by word; a malformed file is a ConfigError naming it."""
    data = read_data_file(path, TOPIC_MASK_KIND)
    entries: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(data.get("entries") or [], 1):
        missing = [k for k in ("word", "category", "rationale", "source") if not entry.get(k)]
        if missing:
            raise ConfigError(f"topic mask {path}: entry {number} lacks {', '.join(missing)}")
        entries[str(entry["word"]).lower()] = entry
    return entries


def load_supplement(path: Path) -> dict[str, float]:
    """Word -> valence from a valence-list file (groups of words sharing one valence)."""
    data = read_data_file(path, SUPPLEMENT_KIND)
    valences: dict[str, float] = {}
    for number, group in enumerate(data.get("groups") or [], 1):
        missing = [
            k for k in ("category", "valence", "rationale", "source", "words") if k not in group
        ]
        if missing:
            raise ConfigError(f"valence list {path}: group {number} lacks {', '.join(missing)}")
        valences.update(
            dict.fromkeys((str(w).lower() for w in group["words"]), float(group["valence"]))
        )
    return valences


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class Sentiment(Annotator):
    """Stock VADER per sentence with explanations; entity mentions scored by clause."""

    name = "sentiment"
    version = "2.0.0"
    requires = ()
    attributes_schema = load_schema("attributes/sentiment.json")
    default_settings = {"topic_mask": False}

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.topic_mask = bool(self.settings["topic_mask"])
        self.analyzer = SentimentIntensityAnalyzer()
        self.mask_entries = load_topic_mask(TOPIC_MASK_FILE)
        supplement = load_supplement(SUPPLEMENT_FILE)
        self.data_files += [TOPIC_MASK_FILE, SUPPLEMENT_FILE]
        masked_lexicon = {
            w: v for w, v in self.analyzer.lexicon.items() if w not in self.mask_entries
        }
        self.masked_analyzer = lexicon_view(self.analyzer, masked_lexicon)
        self.target_lexicon = masked_lexicon | {
            w: v for w, v in supplement.items() if w not in self.mask_entries
        }

    # sentences

    def _sentence_annotation(self, text: str, sentence: Sentence) -> Annotation:
        chunk = text[sentence.start : sentence.end]
        result = vader_score(self.analyzer, chunk)
        base = sentence.start
        explanation = []
        words = zip(result.words, result.spans, result.valences, strict=True)
        for word, (low, high), valence in words:
            if valence:
                entry = sub_span(text, base + low, base + high)
                entry["valence"] = _round(valence)
                entry["lexicon_valence"] = _round(self.analyzer.lexicon.get(word.lower(), 0.0))
                explanation.append(entry)
        rules = []
        for rule, cue, affected in fired_rules(self.analyzer, result, chunk):
            item: dict[str, Any] = {"rule": rule}
            if cue is not None:
                low, high = result.spans[cue]
                item["cue"] = sub_span(text, base + low, base + high)
            if affected is not None:
                low, high = result.spans[affected]
                item["word"] = sub_span(text, base + low, base + high)
            if rule in ("exclamation", "question_marks"):
                item["count"] = chunk.count("!" if rule == "exclamation" else "?")
            rules.append(item)
        scores = result.scores
        attributes: dict[str, Any] = {
            "compound": scores["compound"],
            "pos": scores["pos"],
            "neu": scores["neu"],
            "neg": scores["neg"],
            "explanation": explanation,
            "rules": rules,
            "voice": sentence.voice,
            "section": sentence.section,
        }
        score = scores["compound"]
        if self.topic_mask:
            masked = [
                sub_span(text, base + low, base + high)
                for word, (low, high) in zip(result.words, result.spans, strict=True)
                if word.lower() in self.mask_entries and word.lower() in self.analyzer.lexicon
            ]
            if masked:  # otherwise the masked lexicon scores the sentence exactly as stock
                score = vader_score(self.masked_analyzer, chunk).scores["compound"]
            attributes["masked_compound"] = score
            attributes["masked"] = masked
        return Annotation("sentence", sentence.start, sentence.end, score, attributes)

    # targets

    def _target_lexicon(self, sentence: Span) -> Mapping[str, float]:
        """The lexicon for target scoring: VADER's without the mask's words, the news
        supplement for words VADER lacks, and for inflections neither has, the valence of
        their lemma ("criticizes" -> "criticize")."""
        base = self.target_lexicon
        if not sentence.doc.has_annotation("LEMMA"):
            return base
        extra = {}
        for token in sentence:
            form, lemma = token.lower_, token.lemma_.lower()
            if form not in base and lemma in base and form not in self.mask_entries:
                extra[form] = base[lemma]
        return base | extra if extra else base  # a dict: VADER looks words up often

    def _scored_sentence(self, sentence: Span, text: str) -> ScoredSentence:
        """VADER over one sentence with the target lexicon, and its quotations."""
        low, high = sentence.start_char, sentence.end_char
        analyzer = lexicon_view(self.analyzer, self._target_lexicon(sentence))
        result = vader_score(analyzer, text[low:high].translate(PLAIN_PUNCTUATION))
        quotes = tuple(
            (low + q.content_start, low + q.content_end) for q in find_quotes(text[low:high])
        )
        starts = [t.idx for t in sentence]
        tokens = tuple(
            sentence.start + max(bisect.bisect_right(starts, low + w_start) - 1, 0)
            for w_start, _ in result.spans
        )
        return ScoredSentence(low, result, quotes, tokens)

    def _target_sentiment(
        self, doc: Doc, start: int, end: int, context: TargetContext | None = None
    ) -> TargetSentiment:
        context = context or TargetContext.of(doc)
        text = context.text
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return TargetSentiment(0.0, 0.0, (start, end))
        sentence = context.sentence_of(doc, span)
        key = (sentence.start, sentence.end)
        scored = context.scored.get(key)
        if scored is None:
            scored = context.scored[key] = self._scored_sentence(sentence, text)
        parsed = doc.has_annotation("DEP")
        tagged = doc.has_annotation("TAG")
        evidence = _trimmed(text, sentence.start_char, sentence.end_char)
        if parsed:
            root = span.root
            target = {t.i for t in span}
            inside = range(sentence.start, sentence.end)
            clause, embedded = _clause_tokens(_clause_root(root), target)
            clause = {i for i in clause if i in inside} or {root.i}
            anchor = {root.i: 0} | {a.i: n for n, a in enumerate(root.ancestors, 1)}
            first, last = min(clause), max(clause)
            evidence = _trimmed(text, doc[first].idx, doc[last].idx + len(doc[last]))
        quotes = [(qs, qe) for qs, qe in scored.quotes if not (qs <= start and end <= qe)]
        result, low = scored.result, scored.start
        total = 0.0
        for (w_start, w_end), valence, i in zip(
            result.spans, result.valences, scored.tokens, strict=True
        ):
            if not valence or (low + w_start < end and low + w_end > start):
                continue  # the target's own words ("Winner", "Justice") say nothing about it
            token = doc[i]
            if tagged and token.pos_ in SKIPPED_POS:
                continue  # a name ("Hope" Hicks) or a function word ("like" as preposition)
            weight = QUOTE_WEIGHT if any(qs <= low + w_start < qe for qs, qe in quotes) else 1.0
            if parsed and i not in clause:
                weight *= OUTSIDE_CLAUSE_DECAY ** max(_tree_distance(anchor, token) - 1, 0)
                if i in embedded:
                    weight *= EMBEDDED_WEIGHT
            total += weight * (valence if valence > 0 else NEGATIVE_WEIGHT * valence)
        raw = normalize(total) if total else 0.0
        return TargetSentiment(calibrate(raw), raw, evidence)

    def target_score(self, doc: Doc, start: int, end: int) -> float:
        """Sentiment toward the span [start, end) of ``doc``, in [-1, 1] (VADER's +-0.05
        neutral band): VADER valences of the words in the target's clause, words outside
        it weighted down by dependency distance; the whole sentence without a parse."""
        return round(self._target_sentiment(doc, start, end).score, 4)

    # the article

    def annotate(self, article: Article, doc: Doc) -> Iterator[Annotation]:
        text = article.text
        for sentence in article_sentences(doc, text):
            yield self._sentence_annotation(text, sentence)
        context = TargetContext.of(doc, text)
        for cluster in article_clusters(doc, text):
            canonical = cluster.canonical(text)
            for mention in cluster.mentions:
                sentiment = self._target_sentiment(doc, mention.start, mention.end, context)
                yield Annotation(
                    "entity_mention",
                    mention.start,
                    mention.end,
                    round(sentiment.score, 4),
                    {
                        "entity": canonical,
                        "entity_type": cluster.entity_type,
                        "cluster_id": cluster.id,
                        "mention_kind": mention.kind,
                        "evidence": sub_span(text, *sentiment.evidence),
                    },
                )

    def summarize(self, annotations: list[dict[str, Any]]) -> dict[str, Any]:
        """Distribution of sentence scores, by section and voice, and per-entity sentiment."""
        sentences = [a for a in annotations if a["label"] == "sentence"]
        scores = [a["score"] for a in sentences]
        summary: dict[str, Any] = distribution(scores)
        summary["sections"] = {
            name: _mean_count([a["score"] for a in sentences if a["attributes"]["section"] == name])
            for name in ("headline", "lede", "body")
        }
        summary["voice"] = {
            name: _mean_count([a["score"] for a in sentences if a["attributes"]["voice"] == name])
            for name in ("journalist", "quoted")
        }
        summary["entities"] = entity_summary(
            a for a in annotations if a["label"] == "entity_mention"
        )
        summary["topic_mask"] = self.topic_mask
        return summary


def _mean_count(values: list[float]) -> dict[str, Any]:
    return {"mean": _round(statistics.fmean(values)) if values else None, "count": len(values)}


def distribution(scores: list[float]) -> dict[str, Any]:
    """Mean, median, quartiles, extremes and the negative/neutral/positive shares."""
    count = len(scores)
    if not count:
        quartiles: list[float | None] = [None, None, None]
    elif count == 1:
        quartiles = [scores[0]] * 3
    else:
        quartiles = list(statistics.quantiles(scores, n=4, method="inclusive"))
    share = {
        "negative": sum(s <= -NEUTRAL_BAND for s in scores),
        "neutral": sum(-NEUTRAL_BAND < s < NEUTRAL_BAND for s in scores),
        "positive": sum(s >= NEUTRAL_BAND for s in scores),
    }
    return {
        "count": count,
        "mean": _round(statistics.fmean(scores)) if scores else None,
        "median": _round(quartiles[1]),
        "q1": _round(quartiles[0]),
        "q3": _round(quartiles[2]),
        "min": _round(min(scores)) if scores else None,
        "max": _round(max(scores)) if scores else None,
        "share": {k: _round(v / count) if count else None for k, v in share.items()},
    }


def entity_summary(mentions: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Per entity, keyed by canonical name: its mentions, their mean score and the evidence
    spans. Two clusters with one canonical name are keyed "Name #<cluster_id>"."""
    clusters: dict[int, list[dict[str, Any]]] = {}
    for mention in mentions:
        clusters.setdefault(mention["attributes"]["cluster_id"], []).append(mention)
    names = Counter(items[0]["attributes"]["entity"] for items in clusters.values())
    grouped = {}
    for cluster_id, items in clusters.items():
        name = items[0]["attributes"]["entity"]
        grouped[name if names[name] == 1 else f"{name} #{cluster_id}"] = items
    return {
        name: {
            "entity_type": items[0]["attributes"]["entity_type"],
            "cluster_id": items[0]["attributes"]["cluster_id"],
            "n": len(items),
            "mean": _round(statistics.fmean(m["score"] for m in items)),
            "mentions": [
                {"start": m["start"], "end": m["end"], "text": m["text"], "score": m["score"]}
                for m in items
            ],
            "evidence": [m["attributes"]["evidence"] for m in items],
        }
        for name, items in sorted(grouped.items())
    }


@hookimpl
def register_annotators(register: Any) -> None:
    register(Sentiment)
