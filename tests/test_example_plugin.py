"""The example third-party packages: discovered as installed packages, their own tests pass."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib

from click.testing import CliRunner

from annotator.cli import cli
from annotator.testing import fake_distribution, installed_plugins
from tests.conftest import ROOT, SEEDS

EXAMPLES = ROOT / "examples"
NUMERIC = EXAMPLES / "annotator-numeric-claims"
ANONYMOUS = EXAMPLES / "annotator-anonymous-sources"


def as_installed(monkeypatch, folder):
    """The example importable and its entry points visible, as if pip-installed."""
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    monkeypatch.syspath_prepend(str(folder))
    return fake_distribution(project["name"], project["entry-points"]["annotator"])


def test_installing_the_examples_adds_their_annotators_and_the_output_validates(
    monkeypatch, tmp_path, trained_nlp
):
    packages = [as_installed(monkeypatch, NUMERIC), as_installed(monkeypatch, ANONYMOUS)]
    with installed_plugins(*packages):
        # the entry points are faked in this process only: no worker processes
        result = CliRunner().invoke(cli, [str(SEEDS), "-o", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert {"numeric_claims", "anonymous_sources"} <= set(header)
    record = json.loads((tmp_path / "001_ae5e02e24ca58ad5.json").read_text("utf-8"))
    claims = [a["text"] for a in record["annotations"] if a["annotator"] == "numeric_claims"]
    assert "$500 billion" in claims
    record = json.loads((tmp_path / "000_a3d49863d93668f5.json").read_text("utf-8"))
    [anonymous] = [a for a in record["annotations"] if a["annotator"] == "anonymous_sources"]
    assert (anonymous["text"], anonymous["attributes"]["cue"]["text"]) == (
        "US officials", "have dismissed")
    validated = CliRunner().invoke(cli, ["validate", str(tmp_path)])  # no plugin installed now
    assert validated.exit_code == 0, validated.output


def test_the_anonymous_sources_example_passes_its_own_tests_installed(tmp_path):
    """pip-installed into a folder (a real wheel build), then its tests run from elsewhere
    so that they import the installed copy."""
    target, source = tmp_path / "site", tmp_path / ANONYMOUS.name
    shutil.copytree(ANONYMOUS, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(source)],
        check=True, capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), str(source / "tests")],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True, text=True,
    )
    assert "5 passed" in result.stdout, result.stdout + result.stderr
