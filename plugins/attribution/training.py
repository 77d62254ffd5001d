"""Training the attribution annotator's learned parts (``annotate train attribution``):
the cue/source tagger from brat gold and the hedge classifier from sentence gold, each
into its own subfolder of the output."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import (
    TrainOptions,
    gold_formats,
    parse_texts,
    save_model,
    sentence_score,
    span_score,
    split_items,
    train_pipeline,
)

from .learned import (
    CERTAIN,
    CUE,
    CUE_CONFIG,
    HEDGE_CONFIG,
    HEDGED,
    OUTSIDE,
    SOURCE,
    CueTagger,
    HedgeClassifier,
    builtin_lexicon,
    char_range,
    hedge_doc,
    mark_rule_cues,
    token_runs,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

    from .cue import Cue
    from .lexicon import Lexicon


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


def rule_cues(doc: Doc, lexicon: Lexicon) -> list[Cue]:
    """The rules' cues in a parsed gold text, as the annotator finds them."""
    from annotator import find_quotes

    from .document import DocAnalysis
    from .finder import CueFinder

    return CueFinder(lexicon, DocAnalysis(doc, doc.text, find_quotes(doc.text)), True).find()


def sentence_hedge_hits(text: str, nlp: Language) -> tuple[Doc, list[Any]]:
    """A gold sentence's tokens and the built-in hedge lexicon's hits in it."""
    from annotator import find_quotes

    from .document import DocAnalysis
    from .hedge import hedge_annotations

    doc = nlp.make_doc(text)
    analysis = DocAnalysis(doc, text, find_quotes(text))
    return doc, list(hedge_annotations(builtin_lexicon(), text, analysis))


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


def cue_examples(items: Sequence[Any], nlp: Language) -> list[Example]:
    """One training example per brat gold text: the parse with the rules' cues marked, and
    the gold CUE/SOURCE/O tag of each token."""
    from spacy.training import Example

    docs = parse_texts([item.text for item in items], nlp, "parsing")
    lexicon = builtin_lexicon()
    return [
        Example.from_dict(
            mark_rule_cues(doc, rule_cues(doc, lexicon)),
            {"tags": token_tags(doc, item.relations)},
        )
        for doc, item in zip(docs, items, strict=True)
    ]


def train_cue_tagger(
    train: Sequence[Example], dev: Sequence[Example], folder: Path, options: TrainOptions
) -> None:
    """Train the cue/source tagger of ``cue.cfg`` on ``train`` into ``folder``."""
    model, scores = train_pipeline(CUE_CONFIG, train, dev, cue_dev_score, options, "cue tagger")
    save_model(model, folder, {
        "name": "attribution_cue", "version": "1.0.0",
        "description": "attribution cue/source tagger (annotate train attribution)",
        "performance": scores, "seed": options.seed, "dev_fraction": options.dev_fraction,
    })


def train_cues(gold: Any, nlp: Language, options: TrainOptions) -> None:
    """Train the cue/source tagger on a brat attribution corpus into OUTPUT/cue/."""
    train, dev = split_items(gold.items, options.dev_fraction)
    options.echo(f"cue tagger: {len(train)} training and {len(dev)} dev texts from {gold.path}")
    examples = cue_examples(train + dev, nlp)
    train_cue_tagger(examples[: len(train)], examples[len(train) :], options.output / "cue",
                     options)


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


def train(golds: Sequence[Any], options: TrainOptions) -> None:
    """``annotate train attribution``: brat gold trains the cue tagger, sentence gold the
    hedge classifier; each goes to its own subfolder of the output."""
    by_format = gold_formats(golds, ("brat", "sentences"), "attribution")
    nlp = options.pipeline()
    if "brat" in by_format:
        train_cues(by_format["brat"], nlp, options)
    if "sentences" in by_format:
        train_hedges(by_format["sentences"], nlp, options)
