"""Precision and recall of loaded_terms over its threshold, on PTC's training and dev parts.

    python training/loaded_terms_curve.py ../shared/gold/ptc-train [--model FOLDER]

Parses the gold articles once, scores each with the learned scorer, then applies every
threshold (the scorer's own spans need at least ``proposal_threshold`` too):
SemEval-2020 partial overlap and any overlap against the Loaded_Language and
Name_Calling,Labeling spans, on the training part and on the dev part (the split of
``annotate train``, a hash of each article id). The default threshold is the one with the
best partial F1 on the dev part. Prints a Markdown table (docs/loaded-terms.md shows it).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator_plugins.loaded_terms import LoadedTerms

from annotator import parse_texts, split_items
from annotator.eval import read_gold
from annotator.eval.metrics import any_overlap_score, partial_overlap_score
from annotator.eval.span import Span
from annotator.pipeline import load_nlp

LABELS = {"Loaded_Language", "Name_Calling,Labeling"}
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="a PTC gold folder (articles/ + labels.tsv)")
    parser.add_argument("--model", default="builtin", help="model folder (default: shipped)")
    parser.add_argument("--dev-fraction", type=float, default=0.2)
    options = parser.parse_args()
    gold = read_gold(options.gold, "ptc")
    annotator = LoadedTerms(model=options.model)
    train, dev = split_items(gold.items, options.dev_fraction)
    items = train + dev
    docs = parse_texts([item.text for item in items], load_nlp(), "parsing")
    scored = [annotator.scored(doc) for doc in docs]
    expected = {
        item.id: [Span(s.parts) for s in item.spans if s.label in LABELS] for item in items
    }
    print("| threshold | train P | train R | train F1 | dev P | dev R | dev F1 | dev any P "
          "| dev any R |")
    print("|---|---|---|---|---|---|---|---|---|")
    for threshold in THRESHOLDS:
        predicted = {}
        for item, doc, (matches, probabilities) in zip(items, docs, scored, strict=True):
            kept, learned = annotator.select(doc, matches, probabilities, threshold)
            predicted[item.id] = [Span.of(*k.span) for k in kept] + [
                Span.of(p.start, p.end) for p in learned
            ]
        cells = [f"{threshold:.2f}"]
        for part in (train, dev):
            ids = [item.id for item in part]
            ours = {key: predicted[key] for key in ids}
            theirs = {key: expected[key] for key in ids}
            partial = partial_overlap_score(ours, theirs)
            cells += [f"{partial.precision:.3f}", f"{partial.recall:.3f}", f"{partial.f1:.3f}"]
        anywhere = any_overlap_score(
            {item.id: predicted[item.id] for item in dev},
            {item.id: expected[item.id] for item in dev},
        )
        cells += [f"{anywhere.precision:.3f}", f"{anywhere.recall:.3f}"]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
