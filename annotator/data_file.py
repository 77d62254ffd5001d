"""Reading the YAML data files (lexicons, word lists, rules) that annotators ship and users add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ConfigError
from .safe_yaml import DATA_FILE, YAMLProblem, load_yaml


def read_data_file(path: Path, kind: str) -> dict[str, Any]:
    """The top-level mapping of a YAML data file that declares ``kind: <kind>``.

    Unreadable files, invalid YAML or YAML past the limits of ``safe_yaml.DATA_FILE``,
    and a missing or different ``kind`` are a ConfigError in one line naming the file.
    """
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), DATA_FILE)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8") from error
    except YAMLProblem as error:
        at = f"{path}:{error.line}" if error.line else str(path)
        raise ConfigError(f"{at}: the file {error}") from error
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise ConfigError(f"{path}: not a {kind} file: the top level needs 'kind: {kind}'")
    return data
