"""Keyword settings with defaults, shared by annotators, readers and exporters."""

from __future__ import annotations

from typing import Any, ClassVar

from .errors import ConfigError


class Configurable:
    """A plugin object configured by keyword settings.

    ``name`` identifies it (in errors and in configuration tables);
    ``default_settings`` lists every accepted setting with its default, and an
    unknown setting is a ConfigError naming the known ones.
    """

    kind: ClassVar[str] = "plugin object"  # "annotator", "reader", "exporter": for messages
    name: ClassVar[str]
    required_attributes: ClassVar[tuple[str, ...]] = ("name",)  # strings every subclass sets
    default_settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, **settings: Any) -> None:
        unknown = sorted(set(settings) - set(self.default_settings))
        if unknown:
            known = ", ".join(sorted(self.default_settings)) or "none"
            raise ConfigError(
                f"{self.kind} {self.name!r}: unknown setting(s) {', '.join(unknown)} "
                f"(known: {known})"
            )
        self.settings = {**self.default_settings, **settings}

