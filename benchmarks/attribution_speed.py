"""Time the attribution annotator against bare spaCy parsing of the same articles.

Prints the ratio (annotator time / parse time), measured in one run on the same machine;
the target from issue 3 is <= 0.15.

    python benchmarks/attribution_speed.py [--articles 100] [--repeat 3] [--model NAME]

The corpus is PolNeAR train texts (attribution-dense news) when ../shared/gold is beside
the project, else the seeds repeated; it always has --articles articles (at least 80).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from annotator_plugins.attribution import Attribution

from annotator import Article
from annotator.pipeline import load_nlp

ROOT = Path(__file__).resolve().parent.parent
POLNEAR_TEXTS = ROOT.parent / "shared" / "gold" / "polnear-train" / "text"
TARGET = 0.15
MIN_ARTICLES = 80


def corpus(size: int) -> tuple[str, list[Article]]:
    """``size`` articles: PolNeAR train texts when present, else the seeds repeated."""
    if POLNEAR_TEXTS.is_dir():
        paths, name = sorted(POLNEAR_TEXTS.glob("*.txt"))[:size], "PolNeAR train texts"
    else:
        paths, name = sorted((ROOT / "seeds").glob("*.txt")), "seeds, repeated"
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts = (texts * (size // len(texts) + 1))[:size]
    return name, [Article(id=str(i), text=t, source_path="-") for i, t in enumerate(texts)]


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other load)."""
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
    if options.articles < MIN_ARTICLES:
        parser.error(f"--articles must be at least {MIN_ARTICLES}")

    nlp = load_nlp(options.model)
    annotator = Attribution()
    name, articles = corpus(options.articles)
    texts = [a.text for a in articles]
    print(f"corpus: {len(articles)} articles ({name}), {sum(len(t.split()) for t in texts)} "
          f"words; pipeline {nlp.meta['name']}")

    docs: list = []

    def parse() -> None:
        docs[:] = list(nlp.pipe(texts, batch_size=16))

    def annotate() -> None:
        for article, doc in zip(articles, docs, strict=True):
            list(annotator.annotate(article, doc))

    parse_time = best_of(options.repeat, parse)
    annotate_time = best_of(options.repeat, annotate)
    ratio = annotate_time / parse_time
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"parse {parse_time:.2f}s  attribution {annotate_time:.2f}s  "
          f"ratio {ratio:.3f} (target <= {TARGET}) {verdict}")


if __name__ == "__main__":
    main()
