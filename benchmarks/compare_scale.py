"""`annotate compare` at scale: its time against `annotate` on 300 articles, and time per event
and peak memory at 50 and 500 events, as ratios measured in the same run.

Corpora are made at run time in a temporary folder; nothing is committed. BASIL's 150
articles (../shared/gold/basil-train, 50 events x 3 outlets, read in place) become a
300-article JSON-lines corpus: the articles as they are, then each again under a new
id and a new event id (BASIL has no more articles than that). Nothing in compare is
shared across events, so a copy costs it as much as the original.

1. Ratio: `annotate` turns the 300 articles into records, then `annotate compare`
   compares them (100 events), both with their default settings (all cores). The two
   run in turn, --repeat times; each pair gives a ratio, of wall and of CPU seconds
   (the machine is shared: CPU seconds are steadier than wall seconds).
2. Scale: annotating 10,000 articles only to compare them would take hours here, so
   the 300 records are fanned out: copied under new article ids, event ids, dates and,
   for events of more than three articles, outlet names (the same texts then recur
   across outlets within an event, which makes alignment harder, not easier). Time per
   event and peak memory (the largest single process: compare or one of its workers)
   at 50 and 500 events, and their ratios; 1.0 is linear time and memory bounded by
   the largest event.

    python benchmarks/compare_scale.py                # ratio, then 50 and 500 events x 3
    python benchmarks/compare_scale.py --repeat 3     # best of 3 (and the spread)
    python benchmarks/compare_scale.py --big          # also 500 events x 20 = 10,000 articles
    python benchmarks/compare_scale.py --only big     # just that (after annotating once)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "basil-train"
PEAK = ("import resource, sys\nfrom annotator.cli import cli\n"
        "try:\n    cli(sys.argv[1:], standalone_mode=False)\nfinally:\n"
        "    print('peak_kb', max(resource.getrusage(who).ru_maxrss for who in "
        "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)), file=sys.stderr)")
FIRST_DAY = date(2030, 1, 1)  # fanned-out events are dated one a day from here


@dataclass
class Timing:
    wall: float
    cpu: float  # user + system seconds of the command and its worker processes
    peak_mb: float


def timed(*args: str) -> Timing:
    """`annotate ARGS` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some annotator failed on some article
        sys.exit(f"annotate {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines()
                if line.startswith("peak_kb"))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, peak / 1024)


def basil_jsonl(path: Path, copies: int = 2) -> int:
    """BASIL's articles as JSON lines, ``copies`` times (copies under new ids and events)."""
    lines = []
    for copy in range(copies):
        for file in sorted((GOLD / "articles").glob("*/*.json")):
            data = json.loads(file.read_text(encoding="utf-8"))
            paragraphs = [" ".join(sentences) for sentences in data["body-paragraphs"]]
            suffix = f"-copy{copy}" if copy else ""
            lines.append(json.dumps({
                "id": file.stem + suffix, "text": "\n\n".join([data["title"], *paragraphs]),
                "title": data["title"], "source": data["source"], "date": data["date"],
                "event": data["triplet-uuid"] + suffix,
            }))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def fan_out(records: list[dict], folder: Path, events: int, per_event: int) -> int:
    """``events`` events of ``per_event`` articles, copied from annotated ``records``."""
    by_event: dict[str, list[dict]] = {}
    for record in records:
        by_event.setdefault(record["article"]["event"], []).append(record)
    templates = [sorted(by_event[key], key=lambda r: r["article"]["id"])
                 for key in sorted(by_event)]
    folder.mkdir(parents=True)
    for number in range(events):
        members = templates[number % len(templates)]
        for slot in range(per_event):
            record = json.loads(json.dumps(members[slot % len(members)]))
            article = record["article"]
            article["id"] = f"e{number:04d}-a{slot:02d}"
            article["event"] = f"event-{number:04d}"
            article["date"] = (FIRST_DAY + timedelta(days=number)).isoformat()
            if per_event > len(members):  # outlet-00 ... each telling one of the texts
                article["source"] = f"outlet-{slot:02d}"
            (folder / f"{article['id']}.json").write_text(json.dumps(record, ensure_ascii=False),
                                                          encoding="utf-8")
    return events * per_event


def spread(values: list[float]) -> str:
    return f"min {min(values):.3f}, median {statistics.median(values):.3f}, max {max(values):.3f}"


def annotated(root: Path) -> list[dict]:
    """The records of the 300 articles, annotated once (no timing)."""
    corpus = root / "basil300.jsonl"
    basil_jsonl(corpus)
    timed("run", str(corpus), "-o", str(root / "annotated-0"), "-q")
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((root / "annotated-0").glob("*.json"))]


def ratio_to_annotate(root: Path, repeat: int, workers: list[str]) -> list[dict]:
    """Annotate 300 articles and compare them, in turn, ``repeat`` times."""
    corpus = root / "basil300.jsonl"
    count = basil_jsonl(corpus)
    pairs = []
    for run in range(repeat):
        records = root / f"annotated-{run}"
        annotate = timed("run", str(corpus), "-o", str(records), "-q")
        compare = timed("compare", str(records), "-o", str(root / f"report-{run}"), *workers)
        pairs.append((annotate, compare))
        print(f"  run {run + 1}: annotate {annotate.wall:6.1f} s wall {annotate.cpu:6.1f} s cpu"
              f" | compare {compare.wall:6.1f} s wall {compare.cpu:6.1f} s cpu"
              f" | ratio {compare.wall / annotate.wall:.3f} wall, "
              f"{compare.cpu / annotate.cpu:.3f} cpu", flush=True)
    best = min(c.wall for _, c in pairs) / min(a.wall for a, _ in pairs)
    best_cpu = min(c.cpu for _, c in pairs) / min(a.cpu for a, _ in pairs)
    print(f"compare / annotate on {count} articles (target <= 0.30): best of {repeat} "
          f"{best:.3f} wall, {best_cpu:.3f} cpu; pair by pair wall "
          f"{spread([c.wall / a.wall for a, c in pairs])}; cpu "
          f"{spread([c.cpu / a.cpu for a, c in pairs])}")
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((root / "annotated-0").glob("*.json"))]


def scale(root: Path, records: list[dict], sizes: tuple[int, int], per_event: int,
          repeat: int, workers: list[str]) -> None:
    """Time per event and peak memory at two corpus sizes, and their ratios."""
    found = {}
    for events in sizes:
        folder = root / f"corpus-{events}x{per_event}"
        articles = fan_out(records, folder, events, per_event)
        runs = [timed("compare", str(folder), "-o", str(root / f"out-{events}x{per_event}"),
                      *workers) for _ in range(repeat)]
        wall, cpu = min(r.wall for r in runs), min(r.cpu for r in runs)
        peak = max(r.peak_mb for r in runs)
        found[events] = (wall / events, cpu / events, peak)
        print(f"compare: {events:>4} events x {per_event} = {articles:>5} articles: "
              f"{wall:7.1f} s wall ({wall / events:.3f} s per event), {cpu:7.1f} s cpu "
              f"({cpu / events:.3f} s per event), peak {peak:5.0f} MB "
              f"(wall per event over runs: {spread([r.wall / events for r in runs])})",
              flush=True)
        shutil.rmtree(folder)  # the disk is shared: one corpus at a time
        shutil.rmtree(root / f"out-{events}x{per_event}")
    small, large = sizes
    print(f"{large} vs {small} events of {per_event}: time per event x"
          f"{found[large][0] / found[small][0]:.2f} wall, x{found[large][1] / found[small][1]:.2f}"
          f" cpu (1.0 = linear; start-up weighs more in the smaller run), peak memory "
          f"x{found[large][2] / found[small][2]:.2f} (1.0 = bounded by the largest event)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each measurement; best of them (default 1)")
    parser.add_argument("--big", action="store_true",
                        help="also 50 and 500 events of 20 articles (10,000 articles)")
    parser.add_argument("--only", choices=("ratio", "scale", "big"),
                        help="just this part (the records are still annotated once)")
    parser.add_argument("--workers", type=int,
                        help="compare's --workers (default: compare's own default)")
    args = parser.parse_args()
    if not (GOLD / "articles").is_dir():
        sys.exit(f"{GOLD}: BASIL gold not found")
    workers = ["--workers", str(args.workers)] if args.workers else []
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="compare-scale-") as scratch:
        root = Path(scratch)
        parts = {args.only} if args.only else {"ratio", "scale"} | ({"big"} if args.big else set())
        records = (ratio_to_annotate(root, args.repeat, workers) if "ratio" in parts
                   else annotated(root))
        if "scale" in parts:
            scale(root, records, (50, 500), 3, args.repeat, workers)
        if "big" in parts:
            scale(root, records, (50, 500), 20, 1, workers)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
