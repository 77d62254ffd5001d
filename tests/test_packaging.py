"""The wheel really contains the built-in plugins, their lexicons and the schemas."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile

from tests.conftest import ROOT


def test_wheel_contains_every_entry_point_module_lexicon_and_schema(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = tmp_path.glob("annotator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for module in project["entry-points"]["annotator"].values():
        assert module.replace(".", "/") + ".py" in names
    for folder, package in (("plugins/lexicons", "annotator_plugins/lexicons"),
                            ("schemas", "annotator_schemas"),
                            ("schemas/attributes", "annotator_schemas/attributes")):
        for path in (ROOT / folder).glob("*.*"):
            if path.suffix in (".yaml", ".json"):
                assert f"{package}/{path.name}" in names, path
