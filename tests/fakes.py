"""Fake installed distributions, so entry points are tested without installing packages."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from pathlib import Path

import pytest

import annotator.plugins


class FakeDistribution(importlib.metadata.Distribution):
    def __init__(self, name: str, entry_points: dict[str, str]):
        self.name_ = name
        lines = ["[annotator]", *(f"{k} = {v}" for k, v in entry_points.items())]
        self.entry_points_txt = "\n".join(lines) + "\n"

    def read_text(self, filename: str) -> str | None:
        if filename == "METADATA":
            return f"Metadata-Version: 2.1\nName: {self.name_}\nVersion: 1.0\n"
        if filename == "entry_points.txt":
            return self.entry_points_txt
        return None

    def locate_file(self, path: str) -> Path:
        return Path(path)


def install_fake_distributions(
    monkeypatch: pytest.MonkeyPatch, *distributions: FakeDistribution, keep_real: bool = True
) -> None:
    """Make annotator.plugins see these distributions' entry points (plus the real ones)."""
    real = importlib.metadata.entry_points

    def entry_points(group: str):
        found = list(real(group=group)) if keep_real else []
        for distribution in distributions:
            found.extend(ep for ep in distribution.entry_points if ep.group == group)
        return found

    monkeypatch.setattr(annotator.plugins, "entry_points", entry_points)


def fake_module(monkeypatch: pytest.MonkeyPatch, name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    monkeypatch.setitem(sys.modules, name, module)
    return module
