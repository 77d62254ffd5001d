"""How much time the loaded_terms annotator adds to parsing, as a ratio (target: <= 0.10).

    python benchmarks/loaded_terms_speed.py [--articles N] [--model NAME]

Parses the same articles with bare ``nlp.pipe`` and then runs the annotator on
those Docs, in one process, and prints annotator time / parse time. The corpus is
the PTC training articles when ../shared/gold exists, else the seeds repeated.
"""

from __future__ import annotations

import argparse
import time
from itertools import cycle, islice
from pathlib import Path

from annotator_plugins.loaded_terms import LoadedTerms

from annotator import Article
from annotator.pipeline import load_nlp

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
    args = parser.parse_args()
    if args.articles < 80:
        parser.error("--articles must be at least 80")
    name, texts = corpus(args.articles)
    nlp = load_nlp(args.model)
    started = time.perf_counter()
    annotator = LoadedTerms()
    load_seconds = time.perf_counter() - started
    nlp("warm up")
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse_seconds = time.perf_counter() - started
    articles = [Article(str(i), text, f"{i}.txt") for i, text in enumerate(texts)]
    started = time.perf_counter()
    hits = sum(len(list(annotator.annotate(a, d))) for a, d in zip(articles, docs, strict=True))
    annotate_seconds = time.perf_counter() - started
    words = sum(len(doc) for doc in docs)
    pipes = ", ".join(nlp.pipe_names)
    print(f"corpus: {name}, {words} tokens; pipeline: {nlp.meta['name']} ({pipes})")
    print(f"lexicon load (once per run): {load_seconds:.2f} s, {len(annotator.entries)} entries")
    print(f"bare nlp.pipe: {parse_seconds:.2f} s")
    print(f"loaded_terms:  {annotate_seconds:.2f} s ({hits} annotations)")
    print(f"ratio annotator / parse: {annotate_seconds / parse_seconds:.3f} (target <= 0.10)")
    with_load = (annotate_seconds + load_seconds) / parse_seconds
    print(f"ratio including the lexicon load: {with_load:.3f}")


if __name__ == "__main__":
    main()
