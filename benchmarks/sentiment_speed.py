"""How much time the sentiment annotator adds to parsing, as a ratio (target: <= 0.10).

    python benchmarks/sentiment_speed.py [--articles N] [--model NAME] [--topic-mask]

Parses the same articles with bare ``nlp.pipe`` and then runs the annotator (annotate and
summarize) on those Docs, in one process, and prints annotator time / parse time. The
corpus is the PTC training articles when ../shared/gold exists, else the seeds repeated.
"""

from __future__ import annotations

import argparse
import time
from itertools import cycle, islice
from pathlib import Path

from annotator_plugins.sentiment import Sentiment

from annotator import Article
from annotator.pipeline import annotation_record, load_nlp

ROOT = Path(__file__).resolve().parent.parent
PTC = ROOT.parent / "shared" / "gold" / "ptc-train" / "articles"


def corpus(count: int) -> tuple[str, list[str]]:
    if PTC.is_dir():
        paths = sorted(PTC.glob("*.txt"))[:count]
        name = f"{len(paths)} PTC training articles"
    else:
        paths = list(islice(cycle(sorted((ROOT / "seeds").glob("*.txt"))), count))
        name = f"{len(paths)} seed articles (5 seeds repeated)"
    return name, [p.read_text(encoding="utf-8") for p in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100, help="at least 80 (default 100)")
    parser.add_argument("--model", help="spaCy pipeline (default: the installed English one)")
    parser.add_argument("--topic-mask", action="store_true", help="run with topic_mask=True")
    args = parser.parse_args()
    if args.articles < 80:
        parser.error("--articles must be at least 80")
    name, texts = corpus(args.articles)
    nlp = load_nlp(args.model)
    started = time.perf_counter()
    annotator = Sentiment(topic_mask=args.topic_mask)
    load_seconds = time.perf_counter() - started
    nlp("warm up")
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse_seconds = time.perf_counter() - started
    articles = [Article(str(i), text, f"{i}.txt") for i, text in enumerate(texts)]
    started = time.perf_counter()
    count = 0
    for article, doc in zip(articles, docs, strict=True):
        records = [
            annotation_record(annotator.name, a, article.text)
            for a in annotator.annotate(article, doc)
        ]
        annotator.summarize(records)
        count += len(records)
    annotate_seconds = time.perf_counter() - started
    tokens = sum(len(doc) for doc in docs)
    pipes = ", ".join(nlp.pipe_names)
    print(f"corpus: {name}, {tokens} tokens; pipeline: {nlp.meta['name']} ({pipes})")
    print(f"analyser and lexicon load (once per run): {load_seconds:.2f} s")
    print(f"bare nlp.pipe: {parse_seconds:.2f} s")
    print(f"sentiment:     {annotate_seconds:.2f} s ({count} annotations)")
    print(f"ratio annotator / parse: {annotate_seconds / parse_seconds:.3f} (target <= 0.10)")
    with_load = (annotate_seconds + load_seconds) / parse_seconds
    print(f"ratio including the load: {with_load:.3f}")


if __name__ == "__main__":
    main()
