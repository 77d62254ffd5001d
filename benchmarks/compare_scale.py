"""`annotate compare` at scale: time per event and peak memory at 50 and 500 events, as ratios,
and compare's time on 300 articles against the time `annotate` took to produce them.

Builds its corpora at run time in a temporary folder (nothing is committed): the 150
BASIL articles (../shared/gold/basil-train, read in place) are annotated once with
`annotate`, then their records are copied under new ids into corpora of N events x 3
outlets (each copy of a BASIL event is a new event). Every command runs in its own
process; peak memory is that process's maximum resident set size.

    python benchmarks/compare_scale.py                 # 50 and 500 events, and 300 articles
    python benchmarks/compare_scale.py --big           # also 10,000 articles in 500 events
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "basil-train"
RUN = ("import resource, sys; from annotator.cli import cli\n"
       "try:\n    cli(sys.argv[1:], standalone_mode=False)\n"
       "finally:\n    print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
       " file=sys.stderr)")


def annotate_command(*args: str) -> tuple[float, float]:
    """Run `annotate ARGS` in a fresh process: (seconds, peak MB)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"annotate {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines()
                if line.startswith("maxrss_kb"))
    return seconds, peak / 1024


def basil_jsonl(path: Path) -> int:
    lines = []
    for file in sorted((GOLD / "articles").glob("*/*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        paragraphs = [" ".join(sentences) for sentences in data["body-paragraphs"]]
        lines.append(json.dumps({
            "id": file.stem, "text": "\n\n".join([data["title"], *paragraphs]),
            "title": data["title"], "source": data["source"], "date": data["date"],
            "event": data["triplet-uuid"],
        }))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def synthetic_corpus(records: list[dict], folder: Path, events: int, per_event: int) -> int:
    """``events`` events of ``per_event`` articles, copied from the annotated BASIL records."""
    by_event: dict[str, list[dict]] = {}
    for record in records:
        by_event.setdefault(record["article"]["event"], []).append(record)
    templates = [by_event[key] for key in sorted(by_event)]
    folder.mkdir(parents=True)
    written = 0
    for number in range(events):
        members = templates[number % len(templates)]
        for slot in range(per_event):
            record = json.loads(json.dumps(members[slot % len(members)]))
            record["article"]["id"] = f"e{number:04d}-a{slot:02d}"
            record["article"]["event"] = f"event-{number:04d}"
            if slot >= len(members):  # more articles than outlets: extra copies, other outlets
                record["article"]["source"] = f"outlet-{slot}"
            path = folder / f"{record['article']['id']}.json"
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="also 10,000 articles in 500 events")
    parser.add_argument("--repeat", type=int, default=1, help="best of N for each compare run")
    args = parser.parse_args()
    if not (GOLD / "articles").is_dir():
        sys.exit(f"{GOLD}: BASIL gold not found")
    with tempfile.TemporaryDirectory(prefix="compare-scale-") as scratch:
        root = Path(scratch)
        count = basil_jsonl(root / "basil.jsonl")
        annotate_seconds, _ = annotate_command(str(root / "basil.jsonl"), "-o",
                                               str(root / "annotated"), "-q")
        print(f"annotate: {count} articles in {annotate_seconds:.1f} s "
              f"({annotate_seconds / count:.3f} s per article)")
        records = [json.loads(p.read_text(encoding="utf-8"))
                   for p in sorted((root / "annotated").glob("*.json"))]

        def compare(events: int, per_event: int) -> tuple[int, float, float]:
            folder = root / f"corpus-{events}x{per_event}"
            articles = synthetic_corpus(records, folder, events, per_event)
            runs = [annotate_command("compare", str(folder), "-o", str(root / f"out-{events}"))
                    for _ in range(args.repeat)]
            seconds = min(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(f"compare: {events:>3} events x {per_event} = {articles:>5} articles: "
                  f"{seconds:7.1f} s, {seconds / events:.3f} s per event, peak {peak:6.0f} MB")
            return articles, seconds, peak

        articles, seconds_300, _ = compare(100, 3)
        annotate_300 = annotate_seconds / count * articles
        print(f"compare / annotate on {articles} articles: {seconds_300 / annotate_300:.2f} "
              f"(target <= 0.30; annotate time scaled from the {count} articles it annotated)")
        _, small_seconds, small_peak = compare(50, 3)
        _, large_seconds, large_peak = compare(500, 3)
        growth = (large_seconds / 500) / (small_seconds / 50)
        print(f"500 vs 50 events: time per event x{growth:.2f}"
              f" (1.0 = linear), peak memory x{large_peak / small_peak:.2f} (1.0 = bounded by "
              "the largest event)")
        if args.big:
            compare(500, 20)


if __name__ == "__main__":
    main()
