"""Lint every term lexicon shipped with the project, and prove the lint rejects broken ones.

The lint itself is ``annotator_plugins.loaded_terms.lint_lexicon`` (also runnable on a user
lexicon: ``python -m annotator_plugins.loaded_terms FILE...``).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from annotator_plugins.loaded_terms import BUILTIN_LEXICON, LEXICON_KIND, lint_lexicon

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_CATEGORIES = yaml.safe_load(BUILTIN_LEXICON.read_text(encoding="utf-8"))["categories"]


def term_lexicons() -> list[Path]:
    """Every YAML lexicon in plugins/lexicons and examples/lexicons that declares the kind."""
    candidates = [*ROOT.glob("plugins/lexicons/*.yaml"), *ROOT.glob("examples/lexicons/*.yaml")]
    return sorted(
        path for path in candidates
        if (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("kind") == LEXICON_KIND
    )


@pytest.mark.parametrize("path", term_lexicons(), ids=lambda p: p.name)
def test_lexicon_is_clean(path: Path):
    assert lint_lexicon(path, BUILTIN_CATEGORIES) == []


def test_the_builtin_lexicon_is_found_and_mostly_written_for_the_project():
    assert BUILTIN_LEXICON in term_lexicons()
    entries = yaml.safe_load(BUILTIN_LEXICON.read_text(encoding="utf-8"))["entries"]
    own = [e for e in entries if e["source"] == "annotator project"]
    assert len(own) >= 600
    assert all(e["source"].endswith("(MIT)") for e in entries if e not in own)


HEADER = """\
kind: term-lexicon
name: broken
version: 1.0.0
categories:
  labeling: Labels.
entries:
  - {term: thug, category: labeling, rationale: Slur., source: test}
"""


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{term: Thug, category: labeling, rationale: Again., source: t}", "duplicate of entry 1"),
        ("{term: goon, category: labeling, source: test}", "missing 'rationale'"),
        ("{term: goon, category: labeling, rationale: Slur.}", "missing 'source'"),
        ("{term: goon, category: slur, rationale: Slur., source: test}", "unknown category 'slur'"),
        ("{term: '', category: labeling, rationale: Slur., source: test}", "term is empty"),
        ("{term: ' goon', category: labeling, rationale: Slur., source: test}", "stray whitespace"),
        ("{term: '...', category: labeling, rationale: Dots., source: test}", "term has no words"),
        ("{term: hyper-, category: labeling, rationale: Prefix., source: test}", "dangling hyphen"),
        ("{pattern: '(goon', category: labeling, rationale: Slur., source: test}",
         "pattern does not compile"),
        ("{pattern: 'x*', category: labeling, rationale: Slur., source: test}",
         "matches the empty string"),
        ("{term: goon, pattern: goon, category: labeling, rationale: S., source: test}",
         "exactly one of 'term' or 'pattern'"),
        ("{term: goon, category: labeling, rationale: S., source: test, pos: [VRB]}",
         "'VRB' is not a UPOS tag"),
        ("{term: goon, category: labeling, rationale: S., source: test, colour: red}",
         "unknown field 'colour'"),
        ("{term: goon, category: labeling, rationale: S., source: t, unless: [goon squad, mob]}",
         "'unless' phrase 'mob' does not hold the term: it never applies"),
        ("{term: goon, category: labeling, rationale: S., source: t, unless: [Goon]}",
         "'unless' phrase 'Goon' is the term itself: it never matches"),
        ("{pattern: goons?, category: labeling, rationale: S., source: t, unless: [goon squad]}",
         "'unless' needs a 'term'"),
        ("{term: goon, category: labeling, rationale: S., source: t, valence: bad}",
         "'valence' must be one of negative, positive, neutral"),
    ],
)
def test_broken_entry_is_rejected(tmp_path: Path, entry: str, problem: str):
    path = tmp_path / "broken.yaml"
    path.write_text(HEADER + f"  - {entry}\n", encoding="utf-8")
    problems = lint_lexicon(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:8: entry 2")
    assert problem in problems[0]


def test_a_problem_names_the_line_where_its_entry_starts(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text(HEADER + "  # a comment\n\n  - term: goon\n    category: labeling\n"
                    "    rationale: Slur.\n    source: test\n    pos: [NOUNS]\n", encoding="utf-8")
    assert lint_lexicon(path) == [f"{path}:10: entry 2 ('goon'): 'NOUNS' is not a UPOS tag"]


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("kind: word-list\n", "not a term-lexicon file"),
        ("kind: term-lexicon\nname: x\nversion: one\nentries: [{term: a, category: c, "
         "rationale: r, source: s}]\ncategories: {c: C}\n", "'version' must be semver"),
        ("kind: term-lexicon\nname: x\nversion: 1.0.0\nentries: []\n", "non-empty list"),
        (HEADER + "category_valence: {slur: negative}\n", "'category_valence' names unknown"),
        (HEADER + "category_valence: {labeling: bad}\n", "'category_valence' of 'labeling'"),
        (HEADER + "demoted: {labeling: ''}\n", "'demoted' of 'labeling' must be a reason"),
    ],
)
def test_broken_header_is_rejected(tmp_path: Path, header: str, problem: str):
    path = tmp_path / "broken.yaml"
    path.write_text(textwrap.dedent(header), encoding="utf-8")
    assert any(problem in line for line in lint_lexicon(path))


def test_lint_runs_on_a_user_lexicon_from_the_command_line(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(HEADER + "  - {term: goon, category: slur, rationale: S., source: t}\n",
                      encoding="utf-8")
    example = ROOT / "examples" / "lexicons" / "immigration.yaml"
    command = [sys.executable, "-m", "annotator_plugins.loaded_terms"]
    clean = subprocess.run([*command, str(example)], capture_output=True, text=True)
    assert (clean.returncode, clean.stdout) == (0, "")
    failed = subprocess.run([*command, str(broken)], capture_output=True, text=True)
    assert failed.returncode == 1
    assert "unknown category 'slur'" in failed.stdout
