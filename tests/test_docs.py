"""The docs keep up with the code."""

from __future__ import annotations

import json
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


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, re.S)


def test_every_python_example_of_the_plugin_docs_compiles():
    for page, least in (("docs/hooks.md", 5), ("docs/writing-plugins.md", 4)):
        blocks = python_blocks((ROOT / page).read_text())
        assert len(blocks) >= least, page
        for block in blocks:
            compile(block, page, "exec")


def test_a_plugin_written_from_the_hook_reference_runs_on_the_seeds_and_validates(
    tmp_path, trained_nlp
):
    """The `uses`/`annotations` example of docs/hooks.md, saved as the docs say, run as the
    docs say; its output validates without the plugin, and validation really checks it."""
    text = (ROOT / "docs/hooks.md").read_text()
    [plugin_code, *_] = python_blocks(text[text.index("### Annotators that build on others"):])
    assert "uses = (\"attribution\",)" in plugin_code and "annotations" in plugin_code
    plugin = tmp_path / "distanced.py"
    plugin.write_text(plugin_code)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [str(ROOT / "seeds"), "--plugin", str(plugin), "-o",
                                      str(out), "-q"])
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.json"))
    records = [json.loads(path.read_text("utf-8")) for path in files]
    claims = [a for r in records for a in r["annotations"] if a["annotator"] == "distanced_claims"]
    assert len(claims) >= 5
    assert {"has claimed", "also falsely claimed"} <= {c["attributes"]["cue"]["text"]
                                                         for c in claims}
    assert CliRunner().invoke(cli, ["validate", str(out)]).exit_code == 0

    index = next(i for i, r in enumerate(records) if any(
        a["annotator"] == "distanced_claims" for a in r["annotations"]))
    position = next(i for i, a in enumerate(records[index]["annotations"])
                    if a["annotator"] == "distanced_claims")
    records[index]["annotations"][position]["attributes"]["stance"] = "neutral"
    files[index].write_text(json.dumps(records[index]), "utf-8")
    tampered = CliRunner().invoke(cli, ["validate", str(out)])
    assert tampered.exit_code == 1
    assert tampered.stdout == (f"{files[index]}: /annotations/{position}/attributes/stance: "
                               "'neutral' is not one of ['distancing', 'discrediting']\n")


def test_the_testing_example_of_the_hook_reference_passes(trained_nlp):
    text = (ROOT / "docs/hooks.md").read_text()
    [plugin_code, *_] = python_blocks(text[text.index("### Annotators that build on others"):])
    [test_code] = python_blocks(text[text.index("## Testing plugins"):])
    namespace: dict = {}
    exec(compile(plugin_code + "\n" + test_code, "docs/hooks.md", "exec"), namespace)
    tests = [name for name in namespace if name.startswith("test_")]
    assert len(tests) == 2
    for name in tests:
        namespace[name]()


def test_annotate_help_points_to_the_docs():
    result = CliRunner().invoke(cli, ["--help"])
    assert "docs/hooks.md" in result.output and "docs/writing-plugins.md" in result.output
