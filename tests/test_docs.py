"""The docs keep up with the code."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from annotator import hookspecs
from annotator.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def hook_names() -> list[str]:
    return [
        name for name, value in vars(hookspecs).items()
        if callable(value) and hasattr(value, "annotator_spec")
    ]


def test_every_hook_has_a_section_in_the_hook_reference():
    documented = set(re.findall(r"^## (\w+)$", (ROOT / "docs/hooks.md").read_text(), re.M))
    hooks = hook_names()
    assert hooks, "hookspecs.py must declare at least one hook"
    assert set(hooks) <= documented, f"undocumented hooks: {set(hooks) - documented}"


def test_every_hook_has_a_full_docstring():
    for name in hook_names():
        doc = getattr(hookspecs, name).__doc__ or ""
        assert ":param" in doc and "Return" in doc, f"{name} docstring lacks params or return"


def test_every_command_has_a_readme_section_and_help():
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        assert f"annotate {name}" in readme or name == "run", f"no README section for {name}"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and f"Usage: cli {name}" in result.output
