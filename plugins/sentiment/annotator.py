"""The sentiment annotator: stock VADER per sentence, explained as data, and sentiment toward
each entity; its data files and its document summary."""

from __future__ import annotations

import bisect
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaderSentiment.vaderSentiment import (
    SentimentIntensityAnalyzer,
    normalize,
)

from annotator import (
    Annotation,
    Annotator,
    ConfigError,
    find_quotes,
    load_schema,
    read_data_file,
    sub_span,
)

from .entities import article_clusters
from .sentences import Sentence, article_sentences, trimmed
from .target import (
    EMBEDDED_WEIGHT,
    NEGATIVE_WEIGHT,
    OUTSIDE_CLAUSE_DECAY,
    PLAIN_PUNCTUATION,
    QUOTE_WEIGHT,
    SKIPPED_POS,
    ScoredSentence,
    TargetContext,
    TargetSentiment,
    calibrate,
    clause_root,
    clause_tokens,
    tree_distance,
)
from .vader import NEUTRAL_BAND, fired_rules, lexicon_view, vader_score

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from annotator import Article

LEXICONS = Path(__file__).parent.parent / "lexicons"
TOPIC_MASK_FILE = LEXICONS / "sentiment_topic_mask.yaml"
TOPIC_MASK_KIND = "word-list"
SUPPLEMENT_FILE = LEXICONS / "sentiment_news_supplement.yaml"
SUPPLEMENT_KIND = "valence-list"


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
        evidence = trimmed(text, sentence.start_char, sentence.end_char)
        if parsed:
            root = span.root
            target = {t.i for t in span}
            inside = range(sentence.start, sentence.end)
            clause, embedded = clause_tokens(clause_root(root), target)
            clause = {i for i in clause if i in inside} or {root.i}
            anchor = {root.i: 0} | {a.i: n for n, a in enumerate(root.ancestors, 1)}
            first, last = min(clause), max(clause)
            evidence = trimmed(text, doc[first].idx, doc[last].idx + len(doc[last]))
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
                weight *= OUTSIDE_CLAUSE_DECAY ** max(tree_distance(anchor, token) - 1, 0)
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
