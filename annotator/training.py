"""What learned annotators share: dev splits of gold, seeded spaCy training with progress,
model folders, and small pipelines run over the shared Doc without touching it.

An annotator becomes trainable by defining a ``train`` classmethod (see docs/hooks.md);
``annotate train`` finds the class by name and calls it with a :class:`TrainOptions`.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .errors import ConfigError, ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

    from .eval import Gold
    from .eval.metrics import Score

DEV_SALT = "annotator-dev-split"
Item = TypeVar("Item")
DevScore = Callable[["Language", Sequence["Example"]], dict[str, float]]
"""Scores a pipeline on the dev examples (printed after each epoch)."""


def is_dev(item_id: str, dev_fraction: float) -> bool:
    """Whether a gold item belongs to the dev split: a hash of its id, so the split is the
    same on every machine and for every seed, and an item never changes sides."""
    digest = hashlib.sha256(f"{DEV_SALT}:{item_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < dev_fraction


def item_key(item: Any) -> str:
    """A gold item's id without the folder it was read from ("train.csv:12", not
    "../gold/train.csv:12"), so the split does not depend on where the gold lies."""
    return str(item.id).replace(item.path, Path(item.path).name, 1)


def split_items(items: Iterable[Item], dev_fraction: float) -> tuple[list[Item], list[Item]]:
    """The (train, dev) split of gold items by :func:`is_dev` on :func:`item_key`, order kept."""
    train: list[Item] = []
    dev: list[Item] = []
    for item in items:
        (dev if is_dev(item_key(item), dev_fraction) else train).append(item)
    return train, dev


@dataclass
class TrainOptions:
    """What ``annotate train`` passes to an annotator's ``train`` classmethod."""

    output: Path
    seed: int = 0
    dev_fraction: float = 0.2
    epochs: int | None = None
    """Overrides the config's ``[training] max_epochs`` when given."""
    model: str | None = None
    """The spaCy pipeline that parses the gold texts (default: the installed English one)."""
    echo: Callable[[str], None] = field(default=lambda line: click.echo(line, err=True))

    def pipeline(self) -> Language:
        """The spaCy pipeline that parses the gold texts."""
        from .pipeline import load_nlp

        return load_nlp(self.model)


def load_training_config(path: Path, seed: int) -> Any:
    """A committed spaCy training config with the seed filled in."""
    from spacy import util

    try:
        config = util.load_config(path)
    except Exception as error:
        raise ConfigError(f"{path}: not a spaCy config ({first_line(error)})") from error
    config["system"]["seed"] = seed
    return config


def train_pipeline(
    config_path: Path,
    train: Sequence[Example],
    dev: Sequence[Example],
    score: DevScore,
    options: TrainOptions,
    label: str,
) -> tuple[Language, dict[str, float]]:
    """Train the pipeline of ``config_path`` on ``train``, seeded; prints a progress bar per
    epoch and the dev scores after each.

    The dev examples only report: the last epoch is kept (choosing the best one would tune
    on dev). The examples' predicted docs may carry annotations (a parse) that the
    pipeline's features read. Returns the trained pipeline and its last dev scores.
    """
    from spacy import util
    from spacy.schemas import ConfigSchemaTraining

    if not train:
        raise ConfigError(f"{label}: no training examples left after the dev split")
    if not dev:
        raise ConfigError(f"{label}: no dev examples; raise --dev-fraction")
    config = load_training_config(config_path, options.seed)
    util.fix_random_seed(options.seed)
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    settings = util.registry.resolve(
        nlp.config.interpolate()["training"], schema=ConfigSchemaTraining
    )
    epochs = options.epochs or settings["max_epochs"]
    for example in [*train, *dev]:
        clear_tensor(example.predicted)
    optimizer = nlp.initialize(lambda: train, sgd=settings["optimizer"])
    shuffler = random.Random(options.seed)
    order = list(train)
    scores: dict[str, float] = {}
    for epoch in range(1, epochs + 1):
        shuffler.shuffle(order)
        losses: dict[str, float] = {}
        batches = list(settings["batcher"](order))
        with click.progressbar(
            batches, label=f"{label} epoch {epoch}/{epochs}", file=sys.stderr
        ) as bar:
            for batch in bar:
                nlp.update(batch, drop=settings["dropout"], sgd=optimizer, losses=losses)
        scores = score(nlp, dev)
        loss = " ".join(f"loss[{name}] {value:.1f}" for name, value in sorted(losses.items()))
        shown = " ".join(f"{name} {value:.3f}" for name, value in scores.items())
        options.echo(f"{label} epoch {epoch}/{epochs}: {loss}  dev {shown}")
    return nlp, scores


def save_model(nlp: Language, folder: Path, meta: dict[str, Any]) -> None:
    """Write the pipeline to ``folder`` with ``meta`` merged into its meta.json; it declares
    the installed spaCy minor version (3.8.x reads what 3.8.y wrote)."""
    import spacy

    major, minor = (int(part) for part in spacy.__version__.split(".")[:2])
    nlp.meta.update(meta, spacy_version=f">={major}.{minor}.0,<{major}.{minor + 1}.0")
    folder.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(folder)


def model_sha256(folder: Path) -> str:
    """One hash of a model folder: every file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def model_provenance(part: str, folder: Path, builtin: Path) -> dict[str, str]:
    """A model folder as one provenance data file: the hash of it all, named by ``part``
    and, for a user's model, by its folder (a built-in one reads the same on every install)."""
    where = "built in" if folder.resolve() == builtin.resolve() else str(folder)
    return {"name": f"{part} model ({where})", "sha256": model_sha256(folder)}


def first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def load_model(folder: Path) -> Language:
    """A trained pipeline from ``folder``, or ModelError with one line naming the folder when
    it is missing, corrupt, or made for a spaCy version this one cannot read."""
    import spacy
    from spacy import util

    meta_path = folder / "meta.json"
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model folder")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        reason = first_line(error)
        raise ModelError(f"{folder}: not a model folder (meta.json: {reason})") from error
    wanted = meta.get("spacy_version", "") if isinstance(meta, dict) else ""
    if not wanted or not util.is_compatible_version(spacy.__version__, wanted):
        raise ModelError(
            f"{folder}: trained for spaCy {wanted or '(unknown)'}, installed is "
            f"{spacy.__version__}; retrain it with annotate train"
        )
    try:
        return spacy.load(folder)
    except Exception as error:
        raise ModelError(f"{folder}: corrupt model folder ({first_line(error)})") from error


def clear_tensor(doc: Doc) -> Doc:
    """Drop the main pipeline's token vectors, which a small pipeline's listeners would
    otherwise take for their own."""
    import numpy

    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


def copy_docs(docs: Iterable[Doc]) -> Iterator[Doc]:
    """Copies that a small pipeline may annotate: the shared Docs stay as they are."""
    for doc in docs:
        yield clear_tensor(doc.copy())


def predict(nlp: Language, docs: Sequence[Doc], component: str) -> Any:
    """The scores of ``component``'s model for copies of ``docs`` (a tagger's per-token
    probabilities, a text classifier's per label): the pipes before it run on the copies
    first (a tok2vec, say). The copies carry the shared Docs' tokens and annotations, so
    the small pipeline's features can read the parse."""
    [scores] = predict_each(nlp, docs, [component])
    return scores


def predict_each(nlp: Language, docs: Sequence[Doc], components: Sequence[str]) -> list[Any]:
    """``predict`` for several components in one pass: each model scores the copies where
    it stands in the pipeline, so it reads its own upstream tok2vec's output."""
    copies = list(copy_docs(docs))
    scores: dict[str, Any] = {}
    for name, pipe in nlp.pipeline:
        if name in components:
            scores[name] = pipe.model.predict(copies)
            if len(scores) == len(set(components)):
                return [scores[name] for name in components]
        else:
            copies = list(pipe.pipe(copies))
    missing = ", ".join(repr(name) for name in components if name not in scores)
    raise ModelError(f"model {nlp.meta.get('name', '?')} has no {missing} component")


def parse_texts(
    texts: Sequence[str], nlp: Language, label: str, batch_size: int = 16
) -> list[Doc]:
    """Parse texts with the main pipeline, with a progress bar (for building examples)."""
    docs = []
    with click.progressbar(length=len(texts), label=label, file=sys.stderr) as bar:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            docs.append(doc)
            bar.update(1)
    return docs


def gold_formats(golds: Sequence[Gold], accepted: Sequence[str], name: str) -> dict[str, Gold]:
    """The gold sets by format, each format at most once and all of them ``accepted``."""
    by_format: dict[str, Gold] = {}
    for gold in golds:
        if gold.format not in accepted:
            raise ConfigError(
                f"{gold.path}: {name} trains on {' or '.join(accepted)} gold, not {gold.format}"
            )
        if gold.format in by_format:
            raise ConfigError(f"{gold.path}: a second {gold.format} gold folder for {name}")
        by_format[gold.format] = gold
    return by_format


Offsets = Mapping[str, Iterable[tuple[int, int]]]
"""Character spans (start, end) per document id."""


def span_score(predicted: Offsets, gold: Offsets) -> Score:
    """Any-overlap P/R/F1 of character spans per document id (the measure of ``annotate
    eval``), for dev scores during training."""
    from .eval.metrics import any_overlap_score
    from .eval.span import Span

    def spans(found: Offsets) -> dict[str, list[Span]]:
        return {key: [Span.of(start, end) for start, end in value] for key, value in found.items()}

    return any_overlap_score(spans(predicted), spans(gold))


def sentence_score(gold: Sequence[bool], predicted: Sequence[bool]) -> Score:
    """Positive-class P/R/F1 (the sentence measure of ``annotate eval``)."""
    from .eval.metrics import positive_class_score

    return positive_class_score(gold, predicted)
