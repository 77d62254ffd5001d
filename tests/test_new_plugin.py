"""`annotate new-plugin`: the generated package's tests pass, installed and not."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from annotator.cli import cli
from annotator.plugin_template import PluginNames
from tests.conftest import ROOT


def generate(tmp_path, name="hedge-words"):
    result = CliRunner().invoke(cli, ["new-plugin", name, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return tmp_path / f"annotator-{name}"


@pytest.mark.parametrize("typed, names", [
    ("hedge-words", ("hedge_words", "annotator-hedge-words", "annotator_hedge_words",
                     "HedgeWords")),
    ("annotator-Anon_Sources", ("anon_sources", "annotator-anon-sources",
                                "annotator_anon_sources", "AnonSources")),
    ("quotes2", ("quotes2", "annotator-quotes2", "annotator_quotes2", "Quotes2")),
])
def test_names_come_from_what_the_user_typed(typed, names):
    parsed = PluginNames.parse(typed)
    assert (parsed.annotator, parsed.package, parsed.module, parsed.class_name) == names


def test_the_package_has_pyproject_entry_point_annotator_schema_tests_and_workflow(tmp_path):
    root = generate(tmp_path)
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert written == [".github/workflows/test.yml", ".gitignore", "README.md",
                       "annotator_hedge_words/__init__.py", "annotator_hedge_words/attributes.json",
                       "pyproject.toml", "tests/test_hedge_words.py"]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["annotator"] == {"hedge_words": "annotator_hedge_words"}
    workflow = yaml.safe_load((root / ".github/workflows/test.yml").read_text())
    assert "python -m pytest" in [step.get("run") for step in workflow["jobs"]["test"]["steps"]]


def test_the_generated_tests_that_need_no_install_pass_in_process(tmp_path, monkeypatch):
    root = generate(tmp_path)
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.syspath_prepend(str(root / "tests"))
    tests = importlib.import_module("test_hedge_words")
    try:
        tests.test_marks_each_word_with_its_sentence()
        tests.test_the_words_setting_replaces_the_default_words()
    finally:
        for module in ("test_hedge_words", "annotator_hedge_words"):
            sys.modules.pop(module, None)


@pytest.mark.parametrize("name, message", [
    ("sentiment", "an annotator named 'sentiment' is already installed"),
    ("9lives", "plugin name '9lives': use letters, digits"),
    ("bad name", "plugin name 'bad name': use letters, digits"),
])
def test_a_bad_or_taken_name_is_one_line_and_exit_2(tmp_path, name, message):
    result = CliRunner().invoke(cli, ["new-plugin", name, "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}" + result.stderr.split(message, 1)[1]
    assert result.stderr.count("\n") == 1 and not list(tmp_path.iterdir())


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "annotator-hedge-words").mkdir()
    result = CliRunner().invoke(cli, ["new-plugin", "hedge-words", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert not list((tmp_path / "annotator-hedge-words").iterdir())


def purelib(python) -> str:
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return subprocess.run([str(python), "-c", code], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.mark.slow
def test_the_generated_package_installed_in_a_fresh_venv_passes_its_tests_and_workflow(tmp_path):
    """A new venv sees this environment's third-party packages (no downloads), gets the
    annotator and the generated package installed for real (a wheel build), then runs
    every step of the generated CI workflow but the pip install."""
    root = generate(tmp_path)
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    dependencies = sysconfig.get_path("purelib")
    pth = Path(purelib(python)) / "annotator_dependencies.pth"
    pth.write_text(f"import site; site.addsitedir({dependencies!r})\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
           "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip, "--editable", str(ROOT)], check=True, capture_output=True)
    subprocess.run([*pip, str(root)], check=True, capture_output=True)
    shutil.rmtree(root / "annotator_hedge_words")  # the tests must use the installed wheel
    workflow = yaml.safe_load((root / ".github/workflows/test.yml").read_text())
    steps = [step["run"] for step in workflow["jobs"]["test"]["steps"]
             if "run" in step and not step["run"].startswith("pip install")]
    environment = {**os.environ, "PATH": f"{env / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    for step in steps:
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", step], cwd=root,
                                env=environment, capture_output=True, text=True)
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
        if step == "python -m pytest":
            assert "3 passed" in result.stdout
    assert len(steps) == 2
