"""Throughput, re-runs, memory and validation of ``annotate``, as ratios measured in one run.

Every figure is a ratio against a baseline measured in the same run, on the same
texts and pipeline, which survives a noisy shared machine better than seconds:

- bare ``nlp.pipe`` (articles/s, in this process, the pipeline already loaded);
- ``annotate --workers 1`` against bare ``nlp.pipe`` (target >= 0.85), as shipped and
  with the rules alone (the learned parts off);
- ``annotate --workers 2`` against ``--workers 1`` (target >= 1.7 on 2 cores);
- the unchanged re-run against the first run, whole commands (target <= 0.05);
- peak memory at two (or three) corpus sizes, blank pipeline with sentiment only
  (target: the largest within 1.2x of the smallest);
- the fast mode (``--model blank``, cheap annotators) in articles per CPU second,
  that is per core (target >= 100);
- ``annotate validate`` in files per CPU second on one core (target >= 100).

Beside wall-clock figures it prints CPU seconds (of the command and its workers),
which a loaded machine distorts far less: the CPU an article costs with one worker
and with two says what two free cores would give.

Throughput is the steady state: a run of N articles minus a run of two batches
(which pays the imports, the plugins, the pipeline and the workers' start), so
start-up costs, which bare ``nlp.pipe`` does not pay, are not counted twice.
Each timing is the best of --repeat runs. The corpus is the PTC training articles
when ../shared/gold is beside the project, else the seeds repeated.

    python benchmarks/throughput.py [--articles 200] [--rerun-articles 1000]
        [--memory 500,5000] [--fast-only loaded_terms,boilerplate] [--repeat 2]
        [--model NAME] [--skip rules,workers,rerun,memory,fast,validate]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PTC = ROOT.parent / "shared" / "gold" / "ptc-train" / "articles"
ANNOTATE = [sys.executable, "-m", "annotator.cli"]
BATCH = 16
CPU_SECONDS: list[float] = []  # of every command run, in order
PEAK = ("import resource, subprocess, sys\n"
        "code = subprocess.call(sys.argv[1:])\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('peak_kb', peak, file=sys.stderr)\n"
        "sys.exit(code)\n")
RULES_ONLY = """[tool.annotator.attribution]
learned = false
[tool.annotator.loaded_terms]
model = "none"
"""
TARGETS = {"workers1": 0.85, "workers2": 1.7, "rerun": 0.05, "memory": 1.2, "fast": 100.0,
           "validate": 100.0}


def texts() -> tuple[str, list[str]]:
    if PTC.is_dir():
        return "PTC train articles", [p.read_text("utf-8") for p in sorted(PTC.glob("*.txt"))]
    return "seeds, repeated", [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def write_corpus(path: Path, pool: list[str], size: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(size):
            handle.write(json.dumps({"id": f"a{n:06d}", "text": pool[n % len(pool)]}) + "\n")
    return path


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB, largest process) of one command.

    The CPU seconds of the command and its worker processes add up in CPU_SECONDS. The
    command starts from a small Python process that reports its peak: a process started
    straight from this one (which holds a loaded pipeline) keeps this one's resident
    size as its own peak across exec.
    """
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", PEAK, *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    CPU_SECONDS.append(usage.ru_utime + usage.ru_stime)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({code}):\n{stderr}")
    return seconds, int(stderr.rsplit("peak_kb ", 1)[1]) / 1024


def best(repeat: int, make: Callable[[], list[str]]) -> tuple[float, float]:
    """Best wall time, and the largest peak memory, of ``repeat`` runs (CPU: the least)."""
    results, cpu = [], []
    for _ in range(repeat):
        results.append(run(make()))
        cpu.append(CPU_SECONDS.pop())
    CPU_SECONDS.append(min(cpu))
    return min(r[0] for r in results), max(r[1] for r in results)


def verdict(name: str, value: float, higher: bool = True) -> str:
    target = TARGETS[name]
    ok = value >= target if higher else value <= target
    return f"target {'>=' if higher else '<='} {target:g}: {'met' if ok else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="for throughput (default 200)")
    parser.add_argument("--rerun-articles", type=int, default=1000,
                        help="for the unchanged re-run (default 1000)")
    parser.add_argument("--memory", default="500,5000",
                        help="corpus sizes for peak memory, comma-separated (default 500,5000)")
    parser.add_argument("--fast-only", default="loaded_terms,boilerplate",
                        help="annotators of the fast mode (default loaded_terms,boilerplate)")
    parser.add_argument("--repeat", type=int, default=2, help="best of N timings (default 2)")
    parser.add_argument("--model", help="spaCy pipeline (default: the installed English one)")
    parser.add_argument("--skip", default="", help="parts to skip: rules,workers,rerun,memory,"
                        "fast,validate")
    options = parser.parse_args()
    skip = set(filter(None, options.skip.split(",")))
    if options.articles <= 2 * BATCH:
        parser.error(f"--articles must be more than {2 * BATCH}")

    from annotator.pipeline import load_nlp

    name, pool = texts()
    nlp = load_nlp(options.model)
    model = ["--model", options.model] if options.model else []
    work = Path(tempfile.mkdtemp(prefix="throughput-"))
    try:
        corpus = write_corpus(work / "corpus.jsonl", pool, options.articles)
        small = write_corpus(work / "small.jsonl", pool, 2 * BATCH)
        sample = [pool[n % len(pool)] for n in range(options.articles)]
        nlp("warm up")
        timings = [_time(lambda: list(nlp.pipe(sample, batch_size=BATCH)))
                   for _ in range(options.repeat)]
        bare = min(wall for wall, _ in timings)
        bare_cpu = min(cpu for _, cpu in timings) / options.articles
        bare_rate = options.articles / bare
        print(f"corpus: {options.articles} {name} ({sum(map(len, sample)) // len(sample):,} "
              f"characters on average); pipeline {nlp.meta['name']} "
              f"({', '.join(nlp.pipe_names)}); best of {options.repeat}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"bare nlp.pipe: {bare_rate:.2f} articles/s")

        def steady(workers: int, *extra: str) -> tuple[float, float]:
            """Articles per wall second, and CPU seconds per article, past the start."""
            def annotate(source: Path) -> Callable[[], list[str]]:
                return lambda: [*ANNOTATE, str(source), "-o", str(work / "out"), "--force",
                                "--workers", str(workers), "-q", *model, *extra]
            full, _ = best(options.repeat, annotate(corpus))
            full_cpu = CPU_SECONDS[-1]
            start, _ = best(options.repeat, annotate(small))
            articles = options.articles - 2 * BATCH
            rate = articles / max(full - start, 1e-9)
            cpu = (full_cpu - CPU_SECONDS[-1]) / articles
            print(f"annotate {' '.join(['--workers', str(workers), *extra])}: {rate:.2f} "
                  f"articles/s steady, "
                  f"{cpu:.3f} CPU s an article ({full:.1f} s whole command, {start:.1f} s "
                  f"for {2 * BATCH} articles)")
            return rate, cpu

        one, one_cpu = steady(1)
        ratio = one / bare_rate
        print(f"  --workers 1 / bare nlp.pipe = {ratio:.2f}  ({verdict('workers1', ratio)}); "
              f"in CPU time: {bare_cpu / one_cpu:.2f}")
        if "rules" not in skip:
            rules = work / "rules.toml"
            rules.write_text(RULES_ONLY)
            rate, cpu = steady(1, "--config", str(rules))
            print(f"  rules only (learned parts off), --workers 1 / bare nlp.pipe = "
                  f"{rate / bare_rate:.2f}; in CPU time: {bare_cpu / cpu:.2f}")
        if "workers" not in skip:
            two, two_cpu = steady(2)
            ratio = two / one
            print(f"  --workers 2 / --workers 1 = {ratio:.2f}  ({verdict('workers2', ratio)}); "
                  f"CPU an article, 1 worker / 2 workers = {one_cpu / two_cpu:.2f} "
                  f"(2 free cores would give {2 * one_cpu / two_cpu:.2f}x)")

        if "rerun" not in skip:
            big = write_corpus(work / "rerun.jsonl", pool, options.rerun_articles)
            out = work / "rerun-out"
            first, _ = run([*ANNOTATE, str(big), "-o", str(out), "-q", *model])
            again, _ = best(options.repeat,
                            lambda: [*ANNOTATE, str(big), "-o", str(out), "-q", *model])
            ratio = again / first
            print(f"unchanged re-run of {options.rerun_articles} articles (default workers): "
                  f"{again:.1f} s / first {first:.1f} s = {ratio:.3f}  "
                  f"({verdict('rerun', ratio, higher=False)})")

        if "memory" not in skip:
            sizes = [int(s) for s in options.memory.split(",")]
            peaks = []
            for size in sizes:
                source = write_corpus(work / f"memory-{size}.jsonl", pool, size)
                target = work / f"memory-{size}"
                _, peak = run([*ANNOTATE, str(source), "-o", str(target), "--workers", "1",
                               "--model", "blank", "--only", "sentiment", "-q"])
                shutil.rmtree(target)
                peaks.append(peak)
                print(f"peak memory at {size} articles (blank pipeline, sentiment): {peak:.0f} MB")
            ratio = peaks[-1] / peaks[0]
            print(f"  peak at {sizes[-1]} / peak at {sizes[0]} = {ratio:.2f}  "
                  f"({verdict('memory', ratio, higher=False)})")

        if "fast" not in skip:
            from annotator.pipeline import blank_english

            blank = blank_english()
            ceiling = min(_time(lambda: list(blank.pipe(sample, batch_size=BATCH)))[0]
                          for _ in range(options.repeat))
            print(f"bare blank nlp.pipe (tokens and sentences, the fast mode's parse): "
                  f"{options.articles / ceiling:.0f} articles/s")

            def fast(source: Path) -> Callable[[], list[str]]:
                return lambda: [*ANNOTATE, str(source), "-o", str(work / "fast"), "--force",
                                "--workers", "1", "--model", "blank", "--only",
                                options.fast_only, "--format", "jsonl", "-q"]
            full, _ = best(options.repeat, fast(corpus))
            full_cpu = CPU_SECONDS[-1]
            start, _ = best(options.repeat, fast(small))
            articles = options.articles - 2 * BATCH
            rate = articles / max(full - start, 1e-9)
            per_core = articles / max(full_cpu - CPU_SECONDS[-1], 1e-9)
            print(f"fast mode (--model blank --only {options.fast_only}, --workers 1): "
                  f"{rate:.0f} articles/s wall, {per_core:.0f} articles per CPU second  "
                  f"({verdict('fast', per_core)})")

        if "validate" not in skip:
            records = work / "out"
            files = len(list(records.glob("*.json")))
            one_file = work / "one"
            one_file.mkdir()
            shutil.copy(next(records.glob("*.json")), one_file)
            size = sum(p.stat().st_size for p in records.glob("*.json")) / files / 1024
            full, _ = best(options.repeat, lambda: [*ANNOTATE, "validate", str(records)])
            full_cpu = CPU_SECONDS[-1]
            start, _ = best(options.repeat, lambda: [*ANNOTATE, "validate", str(one_file)])
            rate = (files - 1) / max(full - start, 1e-9)
            per_core = (files - 1) / max(full_cpu - CPU_SECONDS[-1], 1e-9)
            print(f"annotate validate: {rate:.0f} files/s wall, {per_core:.0f} files per CPU "
                  f"second, of {size:.0f} KB ({full:.1f} s whole command for {files})  "
                  f"({verdict('validate', per_core)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _time(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of an action in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


if __name__ == "__main__":
    main()
