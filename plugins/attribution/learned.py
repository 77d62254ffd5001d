"""The learned parts of the attribution annotator: a token tagger for cues and sources, and a
hedge classifier per sentence, and how they are applied to a Doc (their training is in
``training.py``).

Both are small spaCy pipelines whose weights ship in ``plugins/models/attribution/``;
their configs (``cue.cfg``, ``hedge.cfg``) sit there too, so ``annotate train``
works from an installed wheel.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import (
    Annotation,
    ConfigError,
    ModelError,
    load_model,
    predict,
    predict_each,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from .cue import Cue
    from .document import DocAnalysis
    from .lexicon import Lexicon

MODELS = Path(__file__).parent.parent / "models" / "attribution"
CUE_CONFIG = MODELS / "cue.cfg"
HEDGE_CONFIG = MODELS / "hedge.cfg"
CUE, SOURCE, OUTSIDE = "CUE", "SOURCE", "O"
HEDGED, CERTAIN = "HEDGED", "CERTAIN"
RULE_CUE, RULE_SOURCE = "RULE_CUE", "RULE_SOURCE"


@dataclass(frozen=True)
class TaggedSpan:
    """A run of tokens the tagger gave one tag: token range and its highest probability."""

    start: int
    end: int
    probability: float


def mark_rule_cues(doc: Doc, cues: Sequence[Cue]) -> Doc:
    """A copy of ``doc`` with the rules' cue and source tokens marked in ``ENT_ID``, which
    the tagger reads as a feature: it learns where the rules are right and what they miss."""
    marked = doc.copy()
    for cue in cues:
        if cue.continuation:
            continue  # a follow-on quote's turn, not words the outlet chose
        for span, mark in (((cue.start, cue.end), RULE_CUE), (cue.source, RULE_SOURCE)):
            tokens = marked.char_span(*span, alignment_mode="expand") if span else None
            for token in tokens if tokens is not None else ():
                if token.ent_id_ != RULE_CUE:
                    token.ent_id_ = mark
    return marked


def token_runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of true flags as token ranges (end exclusive)."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            runs.append((start, index))
            start = None
    return runs


def tag_runs(doc: Doc, probabilities: Any, column: int, threshold: float) -> list[TaggedSpan]:
    """Runs of tokens whose probability in ``column`` reaches ``threshold``, each with the
    highest probability in it."""
    flags = [float(probabilities[t.i, column]) >= threshold and not t.is_space for t in doc]
    return [
        TaggedSpan(start, end, float(max(probabilities[start:end, column])))
        for start, end in token_runs(flags)
    ]


def char_range(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the tokens ``start:end``."""
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last)


class CueTagger:
    """The trained cue/source tagger: per-token probabilities for a shared Doc, the mean
    over the model's taggers (an ensemble where its config has several)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.components = [
            name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "tagger"
        ]
        labels = [list(nlp.get_pipe(name).labels) for name in self.components]
        if not labels or CUE not in labels[0] or SOURCE not in labels[0] or any(
            other != labels[0] for other in labels
        ):
            raise ConfigError(
                f"cue model {nlp.meta.get('name')}: needs taggers with the same tags, "
                "CUE and SOURCE among them"
            )
        self.cue_column, self.source_column = labels[0].index(CUE), labels[0].index(SOURCE)

    def probabilities(self, docs: Sequence[Doc]) -> list[Any]:
        import numpy

        members = predict_each(self.nlp, docs, self.components)
        return [numpy.mean([scores[i] for scores in members], axis=0) for i in range(len(docs))]

    def runs(self, doc: Doc, probabilities: Any, threshold: float) -> dict[str, list[TaggedSpan]]:
        return {
            CUE: tag_runs(doc, probabilities, self.cue_column, threshold),
            SOURCE: tag_runs(doc, probabilities, self.source_column, threshold),
        }


class HedgeClassifier:
    """The trained hedge classifier: the probability that a sentence is hedged."""

    component = "textcat"

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        labels = list(nlp.get_pipe(self.component).labels)
        if HEDGED not in labels:
            raise ConfigError(f"hedge model {nlp.meta.get('name')}: needs the label HEDGED")
        self.column = labels.index(HEDGED)

    def probabilities(self, docs: Sequence[Doc]) -> list[float]:
        """P(HEDGED) per doc; an empty doc is not hedged (the model cannot read it)."""
        filled = [doc for doc in docs if len(doc)]
        scores = iter(predict(self.nlp, filled, self.component) if filled else ())
        return [float(next(scores)[self.column]) if len(doc) else 0.0 for doc in docs]


def hedge_features(hits: Sequence[Any]) -> list[str]:
    """Feature tokens for the hedge lexicon's hits in a sentence: its entry and category,
    appended to the sentence's words so that the classifier weighs the lexicon in context."""
    features = []
    for hit in hits:
        entry = "_".join(str(hit.attributes["entry"]).split())
        features += [f"@hedge:{entry}", f"@hedge={hit.attributes['category']}"]
    return features


def hedge_doc(vocab: Any, words: Sequence[str], hits: Sequence[Any]) -> Doc:
    """What the hedge classifier reads: a sentence's words, then its lexicon features."""
    from spacy.tokens import Doc

    return Doc(vocab, words=[*words, *hedge_features(hits)])


@cache
def builtin_lexicon() -> Lexicon:
    """The built-in cue lexicon, whose rules the models are trained beside."""
    from .lexicon import BUILTIN_LEXICON, load_lexicon

    return load_lexicon(BUILTIN_LEXICON)


# ---------------------------------------------------------------------------------------------
# At annotation time


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds on the models' probabilities (chosen on a split of the training
    part, never on the dev set; see docs/attribution.md)."""

    cue: float
    """A run of tokens the tagger gives P(CUE) >= cue is a cue even where no rule fires."""
    keep: float
    """A rule cue whose tokens all have P(CUE) < keep is dropped as a false alarm."""
    source: float
    """A cue without a parsed speaker takes the nearest SOURCE run in its sentence."""
    hedge: float
    """A sentence with P(HEDGED) >= hedge is hedged even without a lexicon hit."""
    hedge_keep: float
    """A sentence with a lexicon hit is hedged when P(HEDGED) >= hedge_keep."""


class LearnedParts:
    """The trained models of one model folder (``cue/`` and ``hedge/``)."""

    def __init__(self, folder: Path) -> None:
        parts = [folder / "cue", folder / "hedge"]
        if not folder.is_dir():
            raise ModelError(f"{folder}: no such model folder")
        if not any(part.is_dir() for part in parts):
            raise ModelError(f"{folder}: no cue/ or hedge/ model folder in it")
        self.folders = {
            name: path if path.is_dir() else MODELS / name
            for name, path in zip(("cue", "hedge"), parts, strict=True)
        }
        self.cue = CueTagger(load_model(self.folders["cue"]))
        self.hedge = HedgeClassifier(load_model(self.folders["hedge"]))


def cue_probability(probabilities: Any, column: int, start: int, end: int) -> float:
    return float(max(probabilities[start:end, column])) if end > start else 0.0


def root_token(span: Span) -> Token:
    """The token of a run whose head lies outside it, preferring a verb."""
    roots = [t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")]
    return (verbs or roots or list(span))[0]


def reporting_token(lexicon: Lexicon, span: Span) -> Token | None:
    """The reporting or evaluative word of a tagged run: its head where the lexicon allows
    it, else its first word that is one ("is critical of", "made clear"); None if none is."""
    return next(
        (t for t in (root_token(span), *span) if lexicon.reporting_word(t.lemma_.lower(), t.pos_)),
        None,
    )


def learned_cue(
    analysis: DocAnalysis, lexicon: Lexicon, run: TaggedSpan, word: Token
) -> Cue:
    """A cue from a tagged run: the lexicon entry of its reporting ``word`` where it has one
    (else a neutral entry named after the word, category 'learned'), with speaker and
    content found from the parse of the run's head as for rule cues."""
    from .content import fill_adjacent_quote, fill_verb_content
    from .cue import Cue
    from .finder import NEGATIONS
    from .lexicon import CueEntry
    from .source import fill_verb_source

    doc = analysis.doc
    span = doc[run.start : run.end]
    head = root_token(span)
    lemma = word.lemma_.lower() if analysis.has_lemma else word.lower_
    entry = (
        lexicon.verbs_by_lemma.get(lemma) or lexicon.nouns.get(lemma)
        or CueEntry(lemma or word.lower_, "neutral", "learned")
    )
    start, end = char_range(doc, run.start, run.end)
    cue = Cue(start, end, entry, head, method="learned", probability=round(run.probability, 4))
    cue.negated = any(t.lower_ in NEGATIONS for t in span) or any(
        c.dep_ == "neg" for c in head.children
    )
    if head.pos_ in ("VERB", "AUX"):
        fill_verb_source(analysis, cue, head)
        fill_verb_content(analysis, cue, head)
    else:
        fill_adjacent_quote(analysis, cue)
    return cue


def nearest_source(
    doc: Doc, cue: Cue, runs: Sequence[TaggedSpan]
) -> tuple[tuple[int, int], Token] | None:
    """The SOURCE run nearest to a cue within its sentence, not overlapping it."""
    if cue.head is None:
        return None
    sentence = cue.head.sent
    best = None
    for run in runs:
        if run.start < sentence.start or run.end > sentence.end:
            continue
        start, end = char_range(doc, run.start, run.end)
        if start < cue.end and cue.start < end:
            continue
        distance = min(abs(start - cue.end), abs(cue.start - end))
        if best is None or distance < best[0]:
            best = (distance, (start, end), root_token(doc[run.start : run.end]))
    return None if best is None else (best[1], best[2])


def merge_cues(
    analysis: DocAnalysis,
    lexicon: Lexicon,
    rule_cues: list[Cue],
    tagger: CueTagger,
    thresholds: Thresholds,
    skip_in_quotes: bool,
) -> list[Cue]:
    """Rule cues the tagger does not veto, plus the tagger's cues where no rule fired; a
    cue without a parsed speaker takes the tagger's nearest source; stances decided anew
    in document order. Every cue records its method and the tagger's probability."""
    from .stance import decide_stance

    doc = analysis.doc
    [probabilities] = tagger.probabilities([mark_rule_cues(doc, rule_cues)])
    runs = tagger.runs(doc, probabilities, thresholds.cue)
    cues: list[Cue] = []
    kept: dict[tuple[int, int], float | None] = {}  # kept cue span -> its probability
    for cue in rule_cues:
        if cue.continuation:
            if (cue.start, cue.end) in kept:  # the turn of a kept cue, as the rules say
                cue.probability = kept[cue.start, cue.end]
                cues.append(cue)
            continue
        tokens = doc.char_span(cue.start, cue.end, alignment_mode="expand")
        bounds = (tokens.start, tokens.end) if tokens is not None else (0, 0)
        cue.probability = round(cue_probability(probabilities, tagger.cue_column, *bounds), 4)
        # a dash credit is layout, not words: the tagger has never seen one to judge
        if cue.probability >= thresholds.keep or cue.entry.role == "trailing_label":
            cues.append(cue)
            kept[cue.start, cue.end] = cue.probability
    for run in runs[CUE]:
        start, end = char_range(doc, run.start, run.end)
        word = reporting_token(lexicon, doc[run.start : run.end])
        if word is None or any(c.start < end and start < c.end for c in rule_cues):
            continue  # no reporting or evaluative word, or a rule cue is there already
        if skip_in_quotes and analysis.in_quote(start):
            continue
        cues.append(learned_cue(analysis, lexicon, run, word))
    sources = [r for r in tagger.runs(doc, probabilities, thresholds.source)[SOURCE]]
    for cue in cues:
        if cue.source is None and (found := nearest_source(doc, cue, sources)):
            cue.source, cue.source_head = found
    cues.sort(key=lambda c: (c.start, c.end))
    for index, cue in enumerate(cues):
        following = cues[index + 1].start if index + 1 < len(cues) else None
        decide_stance(lexicon, analysis, cue, following)
    return cues


def hedge_word_category(lexicon: Lexicon, token: Token) -> str | None:
    """The lexicon's hedge-word category of a token (its lemma and part of speech), if any."""
    for word in (token.lemma_.lower(), token.lower_):
        if category := lexicon.hedge_words.get((word, token.pos_)):
            return category
    return None


def explaining_word(
    classifier: HedgeClassifier, words: list[str], probability: float, candidates: list[int]
) -> int | None:
    """Of the ``candidates`` (word indices), the one whose removal lowers the hedge
    probability most: the model's reason; None when removing none of them lowers it."""
    vocab = classifier.nlp.vocab
    docs = [hedge_doc(vocab, words[:i] + words[i + 1 :], ()) for i in candidates]
    drops = [probability - p for p in classifier.probabilities(docs)]
    best = max(range(len(candidates)), key=lambda k: (drops[k], -k), default=None)
    return None if best is None or drops[best] <= 0 else candidates[best]


def hedged_sentences(
    analysis: DocAnalysis,
    lexicon: Lexicon,
    hits: list[Annotation],
    classifier: HedgeClassifier,
    thresholds: Thresholds,
) -> Iterator[Annotation]:
    """Hedge annotations for the sentences the classifier calls hedged: the lexicon's hits
    in them (method rules), or, where there are none, of the sentence's hedge words (the
    lexicon's ``hedge_words``: a modal, a hedging adverb, verb, adjective or noun) the one
    that most raised the probability (method learned, with that word's category), unless
    it is in a direct quote (as for the lexicon's hedges); each with the sentence's
    probability. A hedged sentence without a hedge word gets no hedge."""
    doc = analysis.doc
    sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    in_sentence: list[list[Annotation]] = [[] for _ in sentences]
    starts = [s.start_char for s in sentences]
    for hit in hits:
        in_sentence[max(0, bisect_right(starts, hit.start) - 1)].append(hit)
    vocab = classifier.nlp.vocab
    words = [[t.text for t in s] for s in sentences]
    docs = [hedge_doc(vocab, w, h) for w, h in zip(words, in_sentence, strict=True)]
    for sentence, sentence_words, found, p in zip(
        sentences, words, in_sentence, classifier.probabilities(docs), strict=True
    ):
        probability = round(p, 4)
        if found and p >= thresholds.hedge_keep:
            for hit in found:
                attributes = {**hit.attributes, "method": "rules", "probability": probability}
                yield Annotation("hedge", hit.start, hit.end, attributes=attributes)
        elif not found and p >= thresholds.hedge:
            candidates = [
                i for i, token in enumerate(sentence)
                if hedge_word_category(lexicon, token) and not analysis.in_quote(token.idx)
            ]
            index = explaining_word(classifier, sentence_words, p, candidates)
            if index is None:
                continue
            token = sentence[index]
            yield Annotation("hedge", token.idx, token.idx + len(token), attributes={
                "entry": token.lower_, "category": hedge_word_category(lexicon, token),
                "method": "learned", "probability": probability,
            })
