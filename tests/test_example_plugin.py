"""The example third-party package, discovered through a faked installed distribution."""

from __future__ import annotations

import json
import tomllib

from click.testing import CliRunner

from annotator.cli import cli
from annotator.testing import fake_distribution, installed_plugins
from tests.conftest import ROOT, SEEDS

EXAMPLE = ROOT / "examples" / "annotator-numeric-claims"


def test_installing_the_example_adds_its_annotator_with_no_other_change(
    monkeypatch, tmp_path, trained_nlp
):
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]
    monkeypatch.syspath_prepend(str(EXAMPLE))
    package = fake_distribution(project["name"], project["entry-points"]["annotator"])
    with installed_plugins(package):
        result = CliRunner().invoke(
            cli, [str(SEEDS / "001_ae5e02e24ca58ad5.txt"), "-o", str(tmp_path)]
        )
    assert result.exit_code == 0, result.output
    assert "numeric_claims" in result.stdout.splitlines()[0]
    record = json.loads((tmp_path / "001_ae5e02e24ca58ad5.json").read_text("utf-8"))
    claims = [a["text"] for a in record["annotations"] if a["annotator"] == "numeric_claims"]
    assert "$500 billion" in claims
    with installed_plugins(package):
        assert CliRunner().invoke(cli, ["validate", str(tmp_path)]).exit_code == 0
