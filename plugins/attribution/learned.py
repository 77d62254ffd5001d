"""The learned parts of the attribution annotator: a token tagger for cues and sources, and a
hedge classifier per sentence; how they are trained from gold and applied to a Doc.

Both are small spaCy pipelines whose weights ship in ``plugins/models/attribution/``;
their configs (``cue.cfg``, ``hedge.cfg``) sit there too, so ``annotate train``
works from an installed wheel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import (
    ConfigError,
    TrainOptions,
    gold_formats,
    load_model,
    parse_texts,
    predict,
    save_model,
    sentence_score,
    span_score,
    split_items,
    train_pipeline,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

MODELS = Path(__file__).parent.parent / "models" / "attribution"
CUE_CONFIG = MODELS / "cue.cfg"
HEDGE_CONFIG = MODELS / "hedge.cfg"
CUE, SOURCE, OUTSIDE = "CUE", "SOURCE", "O"
HEDGED, CERTAIN = "HEDGED", "CERTAIN"


@dataclass(frozen=True)
class TaggedSpan:
    """A run of tokens the tagger gave one tag: token range and its highest probability."""

    start: int
    end: int
    probability: float


def token_tags(doc: Doc, relations: Sequence[Any]) -> list[str]:
    """CUE, SOURCE or O for each token of a parsed gold text (a cue wins over a source)."""
    tags = [OUTSIDE] * len(doc)
    for role, tag in (("source", SOURCE), ("cue", CUE)):
        for relation in relations:
            span = getattr(relation, role)
            for start, end in span.parts if span else ():
                tokens = doc.char_span(start, end, alignment_mode="expand")
                for token in tokens if tokens is not None else ():
                    if not token.is_space:
                        tags[token.i] = tag
    return tags


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
    """The trained cue/source tagger: per-token probabilities for a shared Doc."""

    component = "tagger"

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        labels = list(nlp.get_pipe(self.component).labels)
        if CUE not in labels or SOURCE not in labels:
            raise ConfigError(f"cue model {nlp.meta.get('name')}: needs the tags CUE and SOURCE")
        self.cue_column, self.source_column = labels.index(CUE), labels.index(SOURCE)

    def probabilities(self, docs: Sequence[Doc]) -> list[Any]:
        return list(predict(self.nlp, docs, self.component))

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
        if not docs:
            return []
        scores = predict(self.nlp, docs, self.component)
        return [float(row[self.column]) for row in scores]


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


def sentence_hedge_hits(text: str, nlp: Language) -> tuple[Doc, list[Any]]:
    """A gold sentence's tokens and the built-in hedge lexicon's hits in it."""
    from annotator import find_quotes

    from .document import DocAnalysis
    from .hedge import hedge_annotations
    from .lexicon import BUILTIN_LEXICON, load_lexicon

    global _LEXICON
    if _LEXICON is None:
        _LEXICON = load_lexicon(BUILTIN_LEXICON)
    doc = nlp.make_doc(text)
    return doc, list(hedge_annotations(_LEXICON, text, DocAnalysis(doc, text, find_quotes(text))))


_LEXICON: Any = None


def cue_dev_score(nlp: Language, examples: Sequence[Example]) -> dict[str, float]:
    """Any-overlap cue and source F1 of the tagger alone (threshold 0.5) on dev examples."""
    tagger = CueTagger(nlp)
    docs = [eg.predicted for eg in examples]
    predicted: dict[str, dict[str, list[tuple[int, int]]]] = {CUE: {}, SOURCE: {}}
    gold: dict[str, dict[str, list[tuple[int, int]]]] = {CUE: {}, SOURCE: {}}
    for index, (doc, probabilities, example) in enumerate(
        zip(docs, tagger.probabilities(docs), examples, strict=True)
    ):
        key = str(index)
        for tag, runs in tagger.runs(doc, probabilities, 0.5).items():
            predicted[tag][key] = [char_range(doc, run.start, run.end) for run in runs]
        reference = example.reference
        for tag in (CUE, SOURCE):
            flags = [t.tag_ == tag for t in reference]
            gold[tag][key] = [char_range(reference, *run) for run in token_runs(flags)]
    return {
        "cue_f1": span_score(predicted[CUE], gold[CUE]).f1,
        "source_f1": span_score(predicted[SOURCE], gold[SOURCE]).f1,
    }


def hedge_dev_score(nlp: Language, examples: Sequence[Example]) -> dict[str, float]:
    """Positive-class F1 of hedged sentences (threshold 0.5) on dev examples."""
    probabilities = HedgeClassifier(nlp).probabilities([eg.predicted for eg in examples])
    gold = [eg.reference.cats[HEDGED] >= 0.5 for eg in examples]
    return {"hedged_f1": sentence_score(gold, [p >= 0.5 for p in probabilities]).f1}


def train_cues(gold: Any, nlp: Language, options: TrainOptions) -> None:
    """Train the cue/source tagger on a brat attribution corpus into OUTPUT/cue/."""
    from spacy.training import Example

    train, dev = split_items(gold.items, options.dev_fraction)
    options.echo(f"cue tagger: {len(train)} training and {len(dev)} dev texts from {gold.path}")
    items = train + dev
    docs = parse_texts([item.text for item in items], nlp, "parsing")
    examples = [
        Example.from_dict(doc, {"tags": token_tags(doc, item.relations)})
        for doc, item in zip(docs, items, strict=True)
    ]
    model, scores = train_pipeline(
        CUE_CONFIG, examples[: len(train)], examples[len(train) :], cue_dev_score, options,
        "cue tagger",
    )
    save_model(model, options.output / "cue", {
        "name": "attribution_cue", "version": "1.0.0",
        "description": "attribution cue/source tagger (annotate train attribution)",
        "performance": scores, "seed": options.seed, "dev_fraction": options.dev_fraction,
    })


def train_hedges(gold: Any, nlp: Language, options: TrainOptions) -> None:
    """Train the hedged-sentence classifier on sentence gold into OUTPUT/hedge/."""
    from spacy.training import Example

    train, dev = split_items(gold.items, options.dev_fraction)
    options.echo(f"hedge classifier: {len(train)} training and {len(dev)} dev sentences")
    examples = []
    for item in train + dev:
        doc, hits = sentence_hedge_hits(item.text, nlp)
        cats = {HEDGED: float(item.positive), CERTAIN: float(not item.positive)}
        examples.append(Example.from_dict(hedge_doc(nlp.vocab, [t.text for t in doc], hits),
                                          {"cats": cats}))
    model, scores = train_pipeline(
        HEDGE_CONFIG, examples[: len(train)], examples[len(train) :], hedge_dev_score, options,
        "hedge classifier",
    )
    save_model(model, options.output / "hedge", {
        "name": "attribution_hedge", "version": "1.0.0",
        "description": "attribution hedged-sentence classifier (annotate train attribution)",
        "performance": scores, "seed": options.seed, "dev_fraction": options.dev_fraction,
    })


def load_cue_tagger(folder: Path) -> CueTagger:
    return CueTagger(load_model(folder))


def load_hedge_classifier(folder: Path) -> HedgeClassifier:
    return HedgeClassifier(load_model(folder))


def train(golds: Sequence[Any], options: TrainOptions) -> None:
    """``annotate train attribution``: brat gold trains the cue tagger, sentence gold the
    hedge classifier; each goes to its own subfolder of the output."""
    by_format = gold_formats(golds, ("brat", "sentences"), "attribution")
    nlp = options.pipeline()
    if "brat" in by_format:
        train_cues(by_format["brat"], nlp, options)
    if "sentences" in by_format:
        train_hedges(by_format["sentences"], nlp, options)
