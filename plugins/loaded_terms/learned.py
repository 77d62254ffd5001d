"""The learned span scorer: a small spaCy tagger that gives every token a probability of
being loaded language. It scores the lexicon's hits in context and proposes spans of its own.

It reads the words, the main pipeline's parse (lemma, POS, dependency label, entity type)
and, as one more feature, the lexicon category of the words a lexicon entry matched. The
weights ship in ``plugins/models/loaded_terms/`` beside ``tagger.cfg``, the config they were
trained from (``annotate train loaded_terms GOLD_DIR -o DIR``; training/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

    from annotator import TrainOptions

MODELS = Path(__file__).parent.parent / "models" / "loaded_terms"
BUILTIN_MODEL = MODELS / "tagger"
CONFIG = MODELS / "tagger.cfg"
LOADED, OUTSIDE = "LOADED", "O"
DEFAULT_THRESHOLD = 0.15  # with PROPOSAL_THRESHOLD: the best partial F1 on the PTC dev split
PROPOSAL_THRESHOLD = 0.6  # a span of the scorer's own needs at least this (docs/loaded-terms.md)
LEARNED_SOURCE = "learned span scorer (annotate train loaded_terms)"
TRAINS_ON = {"ptc": ("Loaded_Language", "Name_Calling,Labeling")}
CUE_WORDS = 3


@dataclass(frozen=True)
class Proposal:
    """A run of tokens the tagger finds loaded: character offsets, probability, cue words."""

    start: int
    end: int
    probability: float
    cue_words: tuple[str, ...]


def with_lexicon_features(doc: Doc, hits: Iterable[tuple[int, int, str]]) -> Doc:
    """A copy of ``doc`` whose matched words carry their lexicon category in ``ENT_KB_ID``
    (a token attribute the main pipeline leaves empty), for the tagger's features."""
    import numpy

    copy = doc.copy()
    copy.tensor = numpy.zeros((0,), dtype="float32")
    for start, end, category in hits:
        for token in copy.char_span(start, end, alignment_mode="expand") or ():
            token.ent_kb_id_ = category
    return copy


class SpanScorer:
    """The trained tagger: per-token probabilities of loaded language for a shared Doc."""

    component = "tagger"

    def __init__(self, nlp: Language, folder: Path) -> None:
        self.nlp = nlp
        self.folder = folder
        self.name = f"{nlp.meta.get('name', 'model')} {nlp.meta.get('version', '')}".strip()
        labels = list(nlp.get_pipe(self.component).labels)
        if LOADED not in labels:
            raise ConfigError(f"{folder}: a loaded_terms model needs the tag {LOADED}")
        self.column = labels.index(LOADED)

    @classmethod
    def load(cls, folder: Path) -> SpanScorer:
        from annotator import load_model

        return cls(load_model(folder), folder)

    def probabilities(self, doc: Doc, hits: Iterable[tuple[int, int, str]]) -> Any:
        """P(loaded) for each token of ``doc`` (never modified: the tagger reads a copy)."""
        from annotator import predict

        if not len(doc):
            return []
        [scores] = predict(self.nlp, [with_lexicon_features(doc, hits)], self.component)
        return scores[:, self.column]


def span_probability(doc: Doc, probabilities: Any, start: int, end: int) -> float:
    """The highest token probability inside the character span (0 when it holds no token)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return 0.0
    return float(max(probabilities[span.start : span.end]))


def proposals(doc: Doc, probabilities: Any, threshold: float) -> list[Proposal]:
    """Runs of tokens at or above ``threshold``, trimmed of punctuation, each with its mean
    probability and its most probable content words (the cue words)."""
    found = []
    run: list[int] = []
    for token in [*doc, None]:
        if token is not None and not token.is_space and probabilities[token.i] >= threshold:
            run.append(token.i)
            continue
        while run and doc[run[0]].is_punct:
            run.pop(0)
        while run and doc[run[-1]].is_punct:
            run.pop()
        if run:
            first, last = doc[run[0]], doc[run[-1]]
            scores = [float(probabilities[i]) for i in run]
            content = [i for i in run if doc[i].is_alpha and not doc[i].is_stop] or run
            cues = sorted(content, key=lambda i: -float(probabilities[i]))[:CUE_WORDS]
            found.append(Proposal(
                first.idx, last.idx + len(last), sum(scores) / len(scores),
                tuple(doc[i].text for i in sorted(cues)),
            ))
        run = []
    return found


def token_tags(doc: Doc, spans: Iterable[tuple[int, int]]) -> list[str]:
    """LOADED for each token inside a gold span, else O."""
    inside: set[int] = set()
    for start, end in spans:
        tokens = doc.char_span(start, end, alignment_mode="expand")
        inside.update(t.i for t in tokens or () if not t.is_space)
    return [LOADED if t.i in inside else OUTSIDE for t in doc]


def gold_runs(reference: Doc) -> list[Proposal]:
    """The runs of LOADED tokens of a gold example, as spans."""
    flags = [1.0 if t.tag_ == LOADED else 0.0 for t in reference]
    return proposals(reference, flags, 0.5)


def dev_score(nlp: Language, examples: Sequence[Example]) -> dict[str, float]:
    """Any-overlap F1 of the tagger's own spans (default threshold) against the gold spans
    of the dev examples: a progress check; docs/loaded-terms.md has the measured numbers."""
    from annotator import predict, span_score

    column = list(nlp.get_pipe(SpanScorer.component).labels).index(LOADED)
    docs = [example.predicted for example in examples]
    predicted: dict[str, list[tuple[int, int]]] = {}
    gold: dict[str, list[tuple[int, int]]] = {}
    for index, (example, scores) in enumerate(
        zip(examples, predict(nlp, docs, SpanScorer.component), strict=True)
    ):
        found = proposals(example.predicted, scores[:, column], DEFAULT_THRESHOLD)
        predicted[str(index)] = [(p.start, p.end) for p in found]
        gold[str(index)] = [(p.start, p.end) for p in gold_runs(example.reference)]
    return {"loaded_f1": span_score(predicted, gold).f1}


def train(
    golds: Sequence[Any],
    options: TrainOptions,
    lexicon_hits: Callable[[Doc], Iterable[tuple[int, int, str]]],
) -> None:
    """``annotate train loaded_terms``: PTC gold (Loaded_Language and Name_Calling,Labeling)
    trains the tagger into OUTPUT; ``lexicon_hits(doc)`` gives a parsed text's lexicon
    features."""
    from spacy.training import Example

    from annotator import gold_formats, parse_texts, save_model, split_items, train_pipeline

    gold = gold_formats(golds, tuple(TRAINS_ON), "loaded_terms")["ptc"]
    labels = set(TRAINS_ON["ptc"])
    train_items, dev_items = split_items(gold.items, options.dev_fraction)
    options.echo(f"loaded-terms tagger: {len(train_items)} training and {len(dev_items)} dev "
                 f"articles from {gold.path}")
    items = train_items + dev_items
    docs = parse_texts([item.text for item in items], options.pipeline(), "parsing")
    examples = []
    for doc, item in zip(docs, items, strict=True):
        marked = with_lexicon_features(doc, lexicon_hits(doc))
        spans = [(s.start, s.end) for s in item.spans if s.label in labels]
        examples.append(Example.from_dict(marked, {"tags": token_tags(marked, spans)}))
    model, scores = train_pipeline(
        CONFIG, examples[: len(train_items)], examples[len(train_items) :], dev_score, options,
        "loaded-terms tagger",
    )
    save_model(model, options.output, {
        "name": "loaded_terms_tagger", "version": "1.0.0",
        "description": "loaded-language token tagger (annotate train loaded_terms)",
        "performance": scores, "seed": options.seed, "dev_fraction": options.dev_fraction,
    })

