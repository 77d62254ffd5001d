"""Time each annotator against bare spaCy parsing of the same corpus, in the same run.

Prints ratios (annotator time / parse time), which survive a noisy shared machine
better than seconds. Targets from the issues: attribution <= 0.15, loaded_terms and
sentiment <= 0.10.

    python benchmarks/overhead.py [--articles 100] [--repeat 3] [--model NAME]

The corpus is the PTC training articles when ../shared/gold is beside the project,
else the seeds repeated, so it always has at least --articles articles.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from annotator import Article
from annotator.pipeline import annotate_articles, load_nlp
from annotator.plugins import load_annotators

ROOT = Path(__file__).resolve().parent.parent
PTC_ARTICLES = ROOT.parent / "shared" / "gold" / "ptc-train" / "articles"
TARGETS = {"attribution": 0.15, "loaded_terms": 0.10, "sentiment": 0.10}


def corpus(size: int) -> tuple[str, list[Article]]:
    if PTC_ARTICLES.is_dir():
        paths, name = sorted(PTC_ARTICLES.glob("*.txt"))[:size], "PTC train articles"
    else:
        paths, name = sorted((ROOT / "seeds").glob("*.txt")), "seeds, repeated"
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts = (texts * (size // len(texts) + 1))[:size]
    return name, [Article(id=str(i), text=t, source_path="-") for i, t in enumerate(texts)]


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model")
    options = parser.parse_args()

    nlp = load_nlp(options.model)
    annotators = load_annotators()
    name, articles = corpus(options.articles)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(articles)} articles ({name}), {words} words; pipeline {nlp.meta['name']}")

    parse = best_of(options.repeat, lambda: list(nlp.pipe(texts)))
    docs = list(nlp.pipe(texts))
    print(f"bare nlp.pipe: {parse:.2f} s (best of {options.repeat})\n")
    print(f"{'annotator':<16}{'seconds':>9}{'ratio':>8}{'target':>8}")
    for annotator in annotators:
        def run(annotator=annotator) -> None:
            for article, doc in zip(articles, docs, strict=True):
                list(annotator.annotate(article, doc))

        seconds = best_of(options.repeat, run)
        target = TARGETS.get(annotator.name)
        verdict = "" if target is None else f"{target:>8.2f} {'ok' if seconds / parse <= target else 'OVER'}"
        print(f"{annotator.name:<16}{seconds:>9.3f}{seconds / parse:>8.3f}{verdict}")

    whole = best_of(1, lambda: list(annotate_articles(articles, nlp, annotators)))
    print(f"\nwhole run (parse + all annotators + records): {whole / parse:.2f}x bare parse")


if __name__ == "__main__":
    main()
