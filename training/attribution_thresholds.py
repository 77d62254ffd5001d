"""Choose the attribution annotator's cue thresholds on out-of-fold predictions.

    python training/attribution_thresholds.py ../shared/gold/polnear-train [--folds DIR]

The training part of ``annotate train`` (every text outside the 0.2 dev split, 652 of
PolNeAR's) is cut into five folds by nested hash bands of the same split. For each fold a
cue tagger is trained from ``cue.cfg`` (seed 0) on the other four, and the annotator, with
that tagger and the loosest thresholds (every rule cue kept, every tagged run from 0.5
up), runs over the fold's texts; each cue records its method and probability. Each
threshold pair is then applied to those out-of-fold cues and scored by any overlap against
the gold cues, as ``annotate eval`` does. The operating point is chosen there: the
highest recall with precision >= 0.85.

A fold's tagger learnt from four fifths of what the shipped one did and is less sure of
itself, so the same pair keeps fewer of its cues. The operating point is carried over by
its rate, cues kept per 1000 words: the shipped pair is the one whose rate on the dev
texts (annotated with the shipped tagger, their gold not read) is nearest. The dev
split's precision and recall are only read off.

Training the five taggers takes about 20 minutes on two cores (two at a time); with
``--folds DIR`` they are kept in DIR and a re-run reuses them.
"""

from __future__ import annotations

import argparse
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from annotator_plugins.attribution.annotator import Attribution
from annotator_plugins.attribution.training import cue_examples, train_cue_tagger

from annotator import Article, TrainOptions, split_items
from annotator.eval.brat import relation_spans
from annotator.eval.metrics import any_overlap_score
from annotator.eval.registry import read_gold
from annotator.eval.span import Span
from annotator.pipeline import annotate_articles, load_nlp

DEV_FRACTION = 0.2
FOLDS = 5
KEEP = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9)
LEARNED = (0.5, 0.6, 0.7, 0.8, 0.9)
MIN_PRECISION = 0.85


def folds(items: list) -> list[list]:
    """The training part cut into FOLDS hash bands above the dev split (splits nest)."""
    width = (1 - DEV_FRACTION) / FOLDS
    below: set[str] = set()
    parts = []
    for k in range(1, FOLDS + 1):
        band = split_items(items, DEV_FRACTION + width * k)[1]
        parts.append([item for item in band if item.id not in below])
        below.update(item.id for item in band)
    return parts


def cues_by_text(items: list, nlp, model: Path | None = None) -> dict[str, list[dict]]:
    """The cues of each text at the loosest thresholds, with ``model``'s tagger."""
    annotator = Attribution(
        cue_threshold=0.5, keep_threshold=0.0, hedges=False, model=str(model) if model else None
    )
    articles = [Article(id=item.id, text=item.text, source_path=item.path) for item in items]
    return {
        record["article"]["id"]: [a for a in record["annotations"] if a["label"] == "cue"]
        for record in annotate_articles(articles, nlp, [annotator])
    }


def kept_spans(cues: list[dict], keep: float, learned: float) -> set[Span]:
    """The spans of one text's cues that a threshold pair keeps."""
    return {
        Span.of(cue["start"], cue["end"])
        for cue in cues
        if (cue["attributes"]["probability"] or 0.0)
        >= (learned if cue["attributes"]["method"] == "learned" else keep)
    }


def score(items: list, cues: dict[str, list[dict]], keep: float, learned: float):
    gold = {item.id: relation_spans(item.relations)[0]["cue"] for item in items}
    predicted = {item.id: kept_spans(cues[item.id], keep, learned) for item in items}
    return any_overlap_score(predicted, gold)


def rate(items: list, cues: dict[str, list[dict]], keep: float, learned: float) -> float:
    """Cues kept per 1000 words: an operating point that needs no gold to read."""
    spans = sum(len(kept_spans(cues[item.id], keep, learned)) for item in items)
    return 1000 * spans / sum(len(item.text.split()) for item in items)


def train_fold(train: list, held_out: list, folder: Path) -> None:
    """Train one fold's cue tagger into ``folder``/cue (in a worker process: the options,
    whose echo is a lambda, are made here, not pickled)."""
    options = TrainOptions(output=folder, seed=0, dev_fraction=DEV_FRACTION)
    train_cue_tagger(train, held_out, folder / "cue", options)


def out_of_fold_cues(train: list, nlp, root: Path) -> dict[str, list[dict]]:
    """Each training text's cues from the tagger of the fold it was held out of; a fold
    whose tagger is already in ``root`` is not trained again."""
    parts = folds(train)
    folders = [root / f"fold{k}" for k in range(FOLDS)]
    untrained = [k for k, folder in enumerate(folders)
                 if not (folder / "cue" / "meta.json").is_file()]
    if untrained:
        examples = dict(zip((item.id for item in train), cue_examples(train, nlp), strict=True))
        with ProcessPoolExecutor(max_workers=2) as pool:
            jobs = [
                pool.submit(
                    train_fold,
                    [examples[i.id] for part in parts if part is not parts[k] for i in part],
                    [examples[i.id] for i in parts[k]],
                    folders[k],
                )
                for k in untrained
            ]
            for job in jobs:
                job.result()
    cues: dict[str, list[dict]] = {}
    for held_out, folder in zip(parts, folders, strict=True):
        cues.update(cues_by_text(held_out, nlp, folder))
    return cues


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="the PolNeAR training folder (brat)")
    parser.add_argument("--folds", type=Path, help="keep (and reuse) the fold taggers here")
    arguments = parser.parse_args()
    gold = read_gold(arguments.gold, "brat")
    train, dev = split_items(gold.items, DEV_FRACTION)
    nlp = load_nlp(None)
    with tempfile.TemporaryDirectory() as scratch:
        cues = out_of_fold_cues(train, nlp, arguments.folds or Path(scratch))
    cues.update(cues_by_text(dev, nlp))
    print(f"out of fold: {len(train)} texts in {FOLDS} folds, dev: {len(dev)} texts")
    print("keep\tcue\tfolds P\tfolds R\tfolds rate\tdev rate\tdev P\tdev R")
    dev_rates = {}
    best = None  # (out-of-fold recall, rate, pair) of the operating point
    for pair in [(keep, learned) for keep in KEEP for learned in LEARNED]:
        out_of_fold, on_dev = score(train, cues, *pair), score(dev, cues, *pair)
        fold_rate, dev_rates[pair] = rate(train, cues, *pair), rate(dev, cues, *pair)
        if out_of_fold.precision >= MIN_PRECISION and (
            best is None or out_of_fold.recall > best[0]
        ):
            best = (out_of_fold.recall, fold_rate, pair)
        print(f"{pair[0]}\t{pair[1]}\t{out_of_fold.precision:.3f}\t{out_of_fold.recall:.3f}\t"
              f"{fold_rate:.2f}\t{dev_rates[pair]:.2f}\t"
              f"{on_dev.precision:.3f}\t{on_dev.recall:.3f}")
    if best is None:
        print(f"no pair reaches precision {MIN_PRECISION} out of fold")
        return
    _, fold_rate, pair = best
    shipped = min(dev_rates, key=lambda candidate: abs(dev_rates[candidate] - fold_rate))
    print(f"out of fold: keep {pair[0]}, cue {pair[1]} ({fold_rate:.2f} cues per 1000 words); "
          f"the shipped tagger's pair at that rate: keep_threshold {shipped[0]}, "
          f"cue_threshold {shipped[1]}")


if __name__ == "__main__":
    main()
