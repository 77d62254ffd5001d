"""Reading the ``[tool.annotator]`` configuration table."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..errors import ConfigError

CONFIG_TABLE = ("tool", "annotator")
# host settings; every other key is an annotator's table
HOST_KEYS = ("only", "disable", "model", "readers", "exporters", "outlets", "workers",
             "annotator_timeout")


def read_config(path: Path | None) -> dict[str, Any]:
    """The ``[tool.annotator]`` table of ``path``, or of ./pyproject.toml when it has one."""
    if path is None:
        path = Path("pyproject.toml")
        if not path.is_file():
            return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration ({error})") from error
    for key in CONFIG_TABLE:
        data = data.get(key, {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.annotator] must be a table")
    return data
