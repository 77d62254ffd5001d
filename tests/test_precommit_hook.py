"""The pre-commit hook: its entry, run on the files its pattern selects, as pre-commit does."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT


def hook() -> dict:
    [found] = [h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
               if h["id"] == "annotate-validate"]
    return found


def run_hook(changed: list[Path], cwd: Path) -> subprocess.CompletedProcess:
    """pre-commit filters the changed files by ``files`` (a regex searched in the path
    relative to the repository) and ``types``, then runs ``entry`` + ``args`` + the files,
    with the hook's environment first on PATH."""
    spec = hook()
    assert spec["language"] == "python" and spec.get("pass_filenames", True)
    selected = [str(p.relative_to(cwd)) for p in changed
                if re.search(spec["files"], str(p.relative_to(cwd))) and p.suffix == ".json"]
    command = [*shlex.split(spec["entry"]), *spec.get("args", []), *selected]
    executable = shutil.which(command[0], path=str(Path(sys.executable).parent))
    assert executable, f"{command[0]} is not installed beside {sys.executable}"
    return subprocess.run([executable, *command[1:]], cwd=cwd, capture_output=True, text=True)


def test_hook_entry_validates_the_changed_annotation_files(seeds_output, tmp_path):
    (tmp_path / "annotations").mkdir()
    good = [tmp_path / "annotations" / p.name for p in sorted(seeds_output.glob("*.json"))[:2]]
    for source, target in zip(sorted(seeds_output.glob("*.json")), good, strict=False):
        target.write_bytes(source.read_bytes())
    other = tmp_path / "package.json"
    other.write_text('{"name": "not an annotation record"}')
    result = run_hook([*good, other], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 file(s) checked, 0 invalid" in result.stderr


def test_hook_fails_the_commit_on_a_broken_record_and_names_it(seeds_output, tmp_path):
    (tmp_path / "annotations").mkdir()
    record = json.loads(next(seeds_output.glob("*.json")).read_text("utf-8"))
    record["annotations"][0]["start"] += 1
    broken = tmp_path / "annotations" / "broken.json"
    broken.write_text(json.dumps(record), encoding="utf-8")
    result = run_hook([broken], tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("annotations/broken.json: /annotations/0")
