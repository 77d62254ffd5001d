"""Lint lexicon files: ``python -m annotator_plugins.loaded_terms FILE...`` (exit 1 on problems)."""

from __future__ import annotations

import sys

from annotator import read_data_file

from .lexicon import BUILTIN_LEXICON, LEXICON_KIND, lint_lexicon


def main(argv: list[str]) -> int:
    """Lint lexicon files named on the command line; exit 1 if any has problems."""
    builtin = read_data_file(BUILTIN_LEXICON, LEXICON_KIND).get("categories") or {}
    problems = [p for path in argv for p in lint_lexicon(path, builtin)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
