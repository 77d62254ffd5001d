"""The wheel really contains the built-in plugins (subpackages too), their lexicons and the
schemas."""

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
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for module in pyproject["project"]["entry-points"]["annotator"].values():
        path = module.replace(".", "/")
        assert f"{path}.py" in names or f"{path}/__init__.py" in names, module
    # every module of every package folder, subpackages included (a subpackage missing
    # from [tool.setuptools] packages would silently drop out of the wheel)
    folders = {"annotator": "annotator", **pyproject["tool"]["setuptools"]["package-dir"]}
    for package, folder in folders.items():
        for path in (ROOT / folder).rglob("*.py"):
            assert f"{package}/{path.relative_to(ROOT / folder).as_posix()}" in names, path
    for folder, package in (("plugins/lexicons", "annotator_plugins/lexicons"),
                            ("schemas", "annotator_schemas"),
                            ("schemas/attributes", "annotator_schemas/attributes")):
        for path in (ROOT / folder).glob("*.*"):
            if path.suffix in (".yaml", ".json"):
                assert f"{package}/{path.name}" in names, path
    for path in (ROOT / "plugins" / "models").rglob("*"):
        if path.is_file():  # training configs and shipped weights
            relative = path.relative_to(ROOT / "plugins").as_posix()
            assert f"annotator_plugins/{relative}" in names, path
