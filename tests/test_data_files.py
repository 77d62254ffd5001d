"""Every data file shipped with the plugins is governed: named, versioned, each entry explained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = sorted([*ROOT.glob("plugins/lexicons/*.yaml"), *ROOT.glob("examples/lexicons/*.yaml")])
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
CATEGORY_FIELDS = ("category", "kind", "stance", "effect")


def entries(data: dict) -> list[tuple[str, int, dict]]:
    """Each item of every top-level list of objects (entries, verbs, rules, groups, …)."""
    return [
        (key, index, item)
        for key, value in data.items() if isinstance(value, list)
        for index, item in enumerate(value) if isinstance(item, dict)
    ]


def problems(data: object) -> list[str]:
    if not isinstance(data, dict):
        return ["not a mapping"]
    found = [f"missing {field}" for field in ("kind", "name") if not data.get(field)]
    if not SEMVER.match(str(data.get("version", ""))):
        found.append(f"version {data.get('version')!r} is not semantic (1.2.3)")
    items = entries(data)
    if not items:
        found.append("no entries")
    for key, index, item in items:
        for field in ("rationale", "source"):
            if not (isinstance(item.get(field), str) and item[field].strip()):
                found.append(f"{key}[{index}]: missing {field}")
        if not any(item.get(field) for field in CATEGORY_FIELDS):
            found.append(f"{key}[{index}]: no category ({', '.join(CATEGORY_FIELDS)})")
    return found


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file_is_governed(path):
    assert problems(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_every_plugin_data_file_is_checked():
    assert {p.name for p in DATA_FILES} >= {
        "attribution.yaml", "boilerplate.yaml", "loaded_terms.yaml", "sentiment_topic_mask.yaml"
    }


def test_an_entry_without_rationale_or_category_fails():
    broken = {"kind": "word-list", "name": "x", "version": "1.0", "entries": [{"word": "war"}]}
    assert problems(broken) == [
        "version '1.0' is not semantic (1.2.3)",
        "entries[0]: missing rationale",
        "entries[0]: missing source",
        "entries[0]: no category (category, kind, stance, effect)",
    ]
