"""Keyword settings with defaults, shared by annotators, readers and exporters."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, ClassVar

from .errors import ConfigError

TYPE_NOUNS = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list",
              tuple: "list", dict: "table"}


def _noun(value: Any) -> str:
    if isinstance(value, PurePath):
        return "path"
    return TYPE_NOUNS.get(type(value), type(value).__name__)


def _type_name(value: Any) -> str:
    noun = _noun(value)
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _fits(value: Any, default: Any) -> bool:
    """Whether ``value`` has the type of ``default`` (TOML's types: lists for tuples, ints
    for floats, strings for paths)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, list | tuple):
        if not isinstance(value, list | tuple):
            return False
        kinds = {type(item) for item in default}
        return len(kinds) != 1 or all(_fits(item, default[0]) for item in value)
    if isinstance(default, PurePath):
        return isinstance(value, str | PurePath)
    return isinstance(value, type(default))


def _expected(default: Any) -> str:
    if isinstance(default, list | tuple) and len({type(item) for item in default}) == 1:
        return f"a list of {_noun(default[0])}s"
    return _type_name(default)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def type_problem(key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` cannot stand for a setting whose default is ``default``, in one line
    naming ``key`` and the expected type; None when it fits (a default of None fits all)."""
    if default is None or _fits(value, default):
        return None
    given = _shown(value) if value is None else f"{_shown(value)} ({_type_name(value)})"
    return f"{key} expects {_expected(default)}, got {given}"


class Configurable:
    """A plugin object configured by keyword settings.

    ``name`` identifies it (in errors and in configuration tables);
    ``default_settings`` lists every accepted setting with its default, and an
    unknown setting is a ConfigError naming the known ones. A setting given must
    have the type of its default (a list for a list or tuple, a number for a
    float, a string for a path; a default of None accepts anything), unless
    ``settings_schema`` declares a JSON Schema for the settings object, which is
    then used instead. A wrong type is a ConfigError naming the setting, the
    expected type and the value given.
    """

    kind: ClassVar[str] = "plugin object"  # "annotator", "reader", "exporter": for messages
    name: ClassVar[str]
    required_attributes: ClassVar[tuple[str, ...]] = ("name",)  # strings every subclass sets
    default_settings: ClassVar[dict[str, Any]] = {}
    settings_schema: ClassVar[dict[str, Any] | None] = None

    def __init__(self, **settings: Any) -> None:
        unknown = sorted(set(settings) - set(self.default_settings))
        if unknown:
            known = ", ".join(sorted(self.default_settings)) or "none"
            raise ConfigError(
                f"{self.kind} {self.name!r}: unknown setting(s) {', '.join(unknown)} "
                f"(known: {known})"
            )
        if problem := self.settings_problem(settings):
            raise ConfigError(f"{self.kind} {self.name!r}: {problem}")
        self.settings = {**self.default_settings, **settings}

    def settings_problem(self, settings: dict[str, Any]) -> str | None:
        """The first setting of the wrong type, described in one line; None when all fit."""
        if self.settings_schema is not None:
            from .schema import schema_problems

            problems = schema_problems(settings, self.settings_schema)
            if problems:
                where = problems[0].pointer.lstrip("/").replace("/", ".") or "settings"
                return f"setting {where}: {problems[0].message}"
            return None
        for key, value in settings.items():
            if problem := type_problem(key, value, self.default_settings[key]):
                return f"setting {problem}"
        return None
