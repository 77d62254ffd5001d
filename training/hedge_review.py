"""Draw the hedge review sample: a seeded random 100 of the attribution annotator's hedge
spans on BASIL's texts.

    python training/hedge_review.py ../shared/gold/basil-train > sample.tsv

Writes one row per sampled hedge: article id, the span's text, entry, category, method,
probability and an empty ``judgement`` column for the reviewer (``hedge`` or ``not``).
Only the span's own words leave the gold folder. ``--context`` prints the sentence
around each span to stderr, for the reviewer's eyes only.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from annotator_plugins.attribution.annotator import Attribution

from annotator import Article
from annotator.eval.registry import read_gold
from annotator.pipeline import annotate_articles, load_nlp

SEED = 23
SIZE = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("basil", type=Path)
    parser.add_argument("--context", action="store_true")
    args = parser.parse_args()
    gold = read_gold(args.basil, "basil")
    articles = [Article(id=i.id, text=i.text, source_path=i.path) for i in gold.items]
    texts = {a.id: a.text for a in articles}
    hedges = [
        (record["article"]["id"], a)
        for record in annotate_articles(articles, load_nlp(None), [Attribution()])
        for a in record["annotations"] if a["label"] == "hedge"
    ]
    by_method = {method: sum(a["attributes"]["method"] == method for _, a in hedges)
                 for method in ("rules", "learned")}
    print(f"{len(hedges)} hedges in {len(articles)} articles: {by_method}", file=sys.stderr)
    sample = random.Random(SEED).sample(hedges, min(SIZE, len(hedges)))
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(["article", "span", "entry", "category", "method", "probability",
                     "judgement"])
    for number, (article, a) in enumerate(sample, 1):
        attributes = a["attributes"]
        writer.writerow([article, a["text"], attributes["entry"], attributes["category"],
                         attributes["method"], attributes["probability"], ""])
        if args.context:
            text = texts[article]
            start = max(text.rfind(". ", 0, a["start"]) + 2, a["start"] - 150)
            end = text.find(". ", a["end"])
            end = len(text) if end < 0 else min(end + 1, a["end"] + 150)
            around = f"{text[start:a['start']]}[[{a['text']}]]{text[a['end']:end]}"
            print(f"{number}\t{' '.join(around.split())}", file=sys.stderr)


if __name__ == "__main__":
    main()
