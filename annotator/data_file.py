"""Reading the YAML data files (lexicons, word lists, rules) that annotators ship and users add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


def read_data_file(path: Path, kind: str) -> dict[str, Any]:
    """The top-level mapping of a YAML data file that declares ``kind: <kind>``.

    Unreadable files, invalid YAML and a missing or different ``kind`` are a
    ConfigError in one line naming the file.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}".splitlines()[0]) from error
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise ConfigError(f"{path}: not a {kind} file: the top level needs 'kind: {kind}'")
    return data
