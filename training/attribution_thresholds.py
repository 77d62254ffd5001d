"""Choose the attribution annotator's cue thresholds on a split of PolNeAR's dev part.

    python training/attribution_thresholds.py ../shared/gold/polnear-train

The dev split of ``annotate train`` (fraction 0.2) is cut in two by the same nested hash:
the texts in the 0.1 split are the *report* half, the rest of the 0.2 split the *tune*
half. The annotator runs once per text with the loosest thresholds (every rule cue kept,
every tagged run from 0.5 up), each cue recording its method and probability; each
threshold pair is then applied to those cues and scored by any overlap against the gold
cues, as ``annotate eval`` does. It prints one row per pair for both halves and the whole
dev split; the pair is chosen on the tune half (highest recall with precision >= 0.85)
and read off the others. (A threshold per lexicon category, chosen the same way, did no
better on the report half; docs/attribution.md.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from annotator_plugins.attribution.annotator import Attribution

from annotator import Article, split_items
from annotator.eval.brat import relation_spans
from annotator.eval.metrics import any_overlap_score
from annotator.eval.registry import read_gold
from annotator.eval.span import Span
from annotator.pipeline import annotate_articles, load_nlp

KEEP = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9)
LEARNED = (0.5, 0.6, 0.7, 0.8, 0.9)


def cues_by_text(items: list, nlp) -> dict[str, list[dict]]:
    annotator = Attribution(cue_threshold=0.5, keep_threshold=0.0, hedges=False)
    articles = [Article(id=item.id, text=item.text, source_path=item.path) for item in items]
    return {
        record["article"]["id"]: [a for a in record["annotations"] if a["label"] == "cue"]
        for record in annotate_articles(articles, nlp, [annotator])
    }


def kept(cue: dict, keep: float, learned: float) -> bool:
    attributes = cue["attributes"]
    probability = attributes["probability"] or 0.0
    return probability >= (learned if attributes["method"] == "learned" else keep)


def score(items: list, cues: dict[str, list[dict]], keep: float, learned: float):
    gold = {item.id: relation_spans(item.relations)[0]["cue"] for item in items}
    predicted = {
        item.id: {Span.of(c["start"], c["end"]) for c in cues[item.id] if kept(c, keep, learned)}
        for item in items
    }
    return any_overlap_score(predicted, gold)


def main(folder: str) -> None:
    gold = read_gold(Path(folder), "brat")
    _, dev = split_items(gold.items, 0.2)
    _, report = split_items(dev, 0.1)
    reported = {item.id for item in report}
    tune = [item for item in dev if item.id not in reported]
    cues = cues_by_text(dev, load_nlp(None))
    print(f"tune: {len(tune)} texts, report: {len(report)} texts")
    print("keep\tcue\ttune P\ttune R\treport P\treport R\tdev P\tdev R")
    for keep in KEEP:
        for learned in LEARNED:
            scores = [score(part, cues, keep, learned) for part in (tune, report, dev)]
            cells = "\t".join(f"{s.precision:.3f}\t{s.recall:.3f}" for s in scores)
            print(f"{keep}\t{learned}\t{cells}")


if __name__ == "__main__":
    main(sys.argv[1])
