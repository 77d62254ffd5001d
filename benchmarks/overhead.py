"""Time each annotator against bare spaCy parsing of the same corpus, in the same run.

Prints ratios (annotator time / parse time), which survive a noisy shared machine
better than seconds. Targets from the issues: attribution (with its learned parts;
``--config`` with ``learned = false`` times the rules alone) <= 0.5, sentiment <= 0.10,
loaded_terms (with its learned scorer) <= 0.30.

    python benchmarks/overhead.py [--corpus ptc|polnear] [--articles 100] [--repeat 3]
                                  [--model NAME] [--config FILE]

An annotator's time covers ``annotate`` and ``summarize``, as in a real run;
``--config`` takes a TOML file with ``[tool.annotator.<name>]`` settings (for example
``topic_mask = true`` for sentiment).

The corpus is the PTC training articles (or, with --corpus polnear, the
attribution-dense PolNeAR texts) when ../shared/gold is beside the project, else
the seeds repeated, so it always has --articles articles (at least 80).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from annotator import Article
from annotator.cli import read_config
from annotator.pipeline import annotate_articles, annotation_record, load_nlp
from annotator.plugins import annotator_classes, plugin_manager

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold"
CORPORA = {"ptc": GOLD / "ptc-train" / "articles", "polnear": GOLD / "polnear-train" / "text"}
TARGETS = {"attribution": 0.5, "loaded_terms": 0.30, "sentiment": 0.10}


def corpus(choice: str, size: int) -> tuple[str, list[Article]]:
    if CORPORA[choice].is_dir():
        paths, name = sorted(CORPORA[choice].glob("*.txt"))[:size], f"{choice} train texts"
    else:
        paths, name = sorted((ROOT / "seeds").glob("*.txt")), "seeds, repeated"
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts = (texts * (size // len(texts) + 1))[:size]
    return name, [Article(id=str(i), text=t, source_path="-") for i, t in enumerate(texts)]


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="ptc",
                        help="gold texts to time on (default ptc; seeds when gold is absent)")
    parser.add_argument("--articles", type=int, default=100, help="at least 80 (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    parser.add_argument("--model", help="spaCy pipeline (default: the installed English one)")
    parser.add_argument("--config", type=Path, help="TOML file with [tool.annotator] settings")
    options = parser.parse_args()
    if options.articles < 80:
        parser.error("--articles must be at least 80")

    nlp = load_nlp(options.model)
    name, articles = corpus(options.corpus, options.articles)
    texts = [a.text for a in articles]
    nlp("warm up")
    parse = best_of(options.repeat, lambda: list(nlp.pipe(texts)))
    docs = list(nlp.pipe(texts))
    print(f"corpus: {len(articles)} {name}, {sum(len(d) for d in docs)} tokens; "
          f"pipeline {nlp.meta['name']} ({', '.join(nlp.pipe_names)})")
    print(f"bare nlp.pipe: {parse:.2f} s (best of {options.repeat})\n")
    print(f"{'annotator':<14}{'load s':>8}{'annotate s':>12}{'ratio':>8}{'target':>8}")

    settings = read_config(options.config) if options.config else {}
    annotators = []
    for cls in annotator_classes(plugin_manager()).values():
        start = time.perf_counter()
        annotator = cls(**settings.get(cls.name, {}))
        load = time.perf_counter() - start
        annotators.append(annotator)

        def run(annotator=annotator) -> None:
            for article, doc in zip(articles, docs, strict=True):
                produced = annotator.annotate(article, doc)
                annotator.summarize([annotation_record(annotator.name, a, article.text)
                                     for a in produced])

        ratio = best_of(options.repeat, run) / parse
        target = TARGETS.get(annotator.name)
        verdict = "" if target is None else f"{target:>8.2f}  {'ok' if ratio <= target else 'OVER'}"
        print(f"{annotator.name:<14}{load:>8.2f}{ratio * parse:>12.3f}{ratio:>8.3f}{verdict}")

    whole = best_of(options.repeat, lambda: list(annotate_articles(articles, nlp, annotators)))
    print(f"\nwhole pipeline (parse + every annotator + records): {whole / parse:.2f}x bare parse")


if __name__ == "__main__":
    main()
