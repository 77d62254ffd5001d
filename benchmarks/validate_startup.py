"""Start-up of ``annotate validate`` on a fresh interpreter, as ratios measured in one run.

A validate-only CI job starts the tool once per call, so its start-up matters. Each
command runs in a new process; the figure is the CPU time (user + system) of the
best of --repeat runs, which a loaded machine distorts less than wall time:

- ``python -c pass``: the interpreter alone (the baseline);
- ``annotate validate --help``: the command line, without reading a file;
- ``python -c "import spacy"``: what validate must not pay (it imports no spaCy).

Printed: seconds, and each command over the interpreter alone. ``validate --help``
should stay well under ``import spacy`` (target: at most half of it).

    python benchmarks/validate_startup.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ANNOTATE = Path(sys.executable).with_name("annotate")
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "annotate validate --help": [str(ANNOTATE), "validate", "--help"],
    "python -c 'import spacy'": [sys.executable, "-c", "import spacy"],
}


def cpu_seconds(command: list[str]) -> float:
    """User + system seconds of one run of ``command`` and its children."""
    before = os.times()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (
        after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command (best kept)")
    options = parser.parse_args()
    best = {name: min(cpu_seconds(command) for _ in range(options.repeat))
            for name, command in COMMANDS.items()}
    baseline = best["python -c pass"]
    for name, seconds in best.items():
        print(f"{name:28} {seconds:6.3f} s CPU  {seconds / baseline:6.1f}x the interpreter")
    ratio = best["annotate validate --help"] / best["python -c 'import spacy'"]
    print(f"validate --help / import spacy: {ratio:.2f} (target <= 0.5)")


if __name__ == "__main__":
    main()
