"""Shared fixtures: spaCy pipelines loaded once per session, and a seeds run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from annotator.cli import cli
from annotator.pipeline import find_english_pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold"


@pytest.fixture(scope="session")
def blank_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="session")
def trained_nlp():
    name = find_english_pipeline()
    if name is None:
        pytest.skip("no trained English spaCy pipeline installed (pip install '.[model]')")
    return spacy.load(name)


@pytest.fixture(scope="session")
def seeds_output(tmp_path_factory, trained_nlp) -> Path:
    """The seeds annotated once by the real CLI with the trained pipeline."""
    out = tmp_path_factory.mktemp("seeds-out")
    result = CliRunner().invoke(cli, [str(SEEDS), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def seed_records(seeds_output) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(seeds_output.glob("*.json"))}
