"""Reading the ``[tool.annotator]`` configuration table."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..settings import type_problem

CONFIG_TABLE = ("tool", "annotator")
# host settings and a value of the type each takes; every other key is an annotator's table
HOST_SETTINGS: dict[str, Any] = {
    "only": ["annotator"], "disable": ["annotator"], "model": "pipeline", "readers": {},
    "exporters": {}, "outlets": {}, "workers": 1, "annotator_timeout": 1.0,
}
HOST_KEYS = tuple(HOST_SETTINGS)
NAME_LISTS = ("only", "disable")  # a string is a comma-separated list, as on the command line
PLUGIN_TABLES = ("readers", "exporters")  # a table of settings per reader or exporter


def read_config(path: Path | None) -> dict[str, Any]:
    """The ``[tool.annotator]`` table of ``path``, or of ./pyproject.toml when it has one.

    Host settings of the wrong type are a ConfigError naming the key and the type
    expected; ``only`` and ``disable`` given as a string are read as ``--only``.
    """
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
    return checked_host_settings(data, path)


def checked_host_settings(config: dict[str, Any], path: Path) -> dict[str, Any]:
    config = dict(config)
    for key in NAME_LISTS:
        if isinstance(config.get(key), str):
            config[key] = [name.strip() for name in config[key].split(",") if name.strip()]
    problems = [type_problem(key, config[key], default)
                for key, default in HOST_SETTINGS.items() if key in config]
    problems += [type_problem(f"{key}.{name}", table, {})
                 for key in PLUGIN_TABLES if isinstance(config.get(key), dict)
                 for name, table in config[key].items()]
    if problem := next((p for p in problems if p), None):
        raise ConfigError(f"{path}: [tool.annotator] {problem}")
    return config
