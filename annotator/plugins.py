"""Building the plugin manager and collecting annotators, fresh for every run."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .annotation import Annotator
from .errors import ConfigError, PluginError

ENTRY_POINT_GROUP = "annotator"
AUTOLOAD_OFF_ENV = "ANNOTATOR_DISABLE_PLUGIN_AUTOLOAD"
CORE_DISTRIBUTION = "annotator"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0]


def _load_file_plugin(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(f"annotator_plugin_file_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise PluginError(f"plugin file {path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise PluginError(f"plugin file {path} failed to load: {_describe(error)}") from error
    return module


def plugin_manager(plugin_files: Iterable[str | Path] = ()) -> pluggy.PluginManager:
    """A new manager with entry-point plugins and explicit plugin files registered.

    Setting ANNOTATOR_DISABLE_PLUGIN_AUTOLOAD skips entry points from every
    distribution but this one, so the built-ins still load.
    """
    manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
    manager.add_hookspecs(hookspecs)
    autoload = not os.environ.get(AUTOLOAD_OFF_ENV)
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        distribution = entry_point.dist.name if entry_point.dist else None
        if not autoload and distribution != CORE_DISTRIBUTION:
            continue
        try:
            plugin = entry_point.load()
        except Exception as error:
            hint = "" if distribution == CORE_DISTRIBUTION else f"; {AUTOLOAD_OFF_ENV}=1 skips it"
            raise PluginError(
                f"plugin {entry_point.name!r} ({entry_point.value}, from {distribution}) "
                f"failed to load: {_describe(error)}{hint}"
            ) from error
        _register(manager, plugin, entry_point.name)
    for file in plugin_files:
        path = Path(file)
        if not path.is_file():
            raise PluginError(f"plugin file {path}: no such file")
        _register(manager, _load_file_plugin(path), f"file:{path}")
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        name = manager.get_name(error.plugin)
        raise PluginError(f"plugin {name!r}: {error}") from error
    return manager


def _register(manager: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        manager.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as error:
        raise PluginError(f"plugin {name!r} cannot be registered: {error}") from error


def annotator_classes(manager: pluggy.PluginManager) -> dict[str, type[Annotator]]:
    """Every registered annotator class by name, sorted; a duplicate name is an error.

    Each implementation is called on its own so that a failure names its plugin.
    """
    found: dict[str, type[Annotator]] = {}
    owner: dict[str, str] = {}
    for hook in manager.hook.register_annotators.get_hookimpls():
        plugin_name = hook.plugin_name

        def register(cls: type[Annotator], plugin_name: str = plugin_name) -> None:
            if not (isinstance(cls, type) and issubclass(cls, Annotator)):
                raise PluginError(f"plugin {plugin_name!r} registered {cls!r}, not an Annotator")
            for attribute in ("name", "version"):
                if not isinstance(getattr(cls, attribute, None), str):
                    raise PluginError(
                        f"plugin {plugin_name!r}: {cls.__name__}.{attribute} must be a string"
                    )
            if cls.name in found:
                raise PluginError(
                    f"annotator name {cls.name!r} is registered twice "
                    f"(by {owner[cls.name]!r} and {plugin_name!r})"
                )
            found[cls.name] = cls
            owner[cls.name] = plugin_name

        arguments: dict[str, Any] = {"register": register}
        try:
            hook.function(**{name: arguments[name] for name in hook.argnames})
        except PluginError:
            raise
        except Exception as error:
            raise PluginError(
                f"plugin {plugin_name!r} failed in register_annotators: {_describe(error)}"
            ) from error
    return dict(sorted(found.items()))


def select(names: Iterable[str], only: list[str] | None, disable: list[str] | None) -> list[str]:
    """Apply --only and --disable to the known annotator names; unknown names are an error."""
    known = list(names)
    for option, chosen in (("--only", only), ("--disable", disable)):
        unknown = sorted(set(chosen or ()) - set(known))
        if unknown:
            raise ConfigError(
                f"{option}: unknown annotator(s) {', '.join(unknown)} (known: {', '.join(known)})"
            )
    return [n for n in known if (not only or n in only) and n not in (disable or ())]


def load_annotators(
    plugin_files: Iterable[str | Path] = (),
    only: list[str] | None = None,
    disable: list[str] | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
) -> list[Annotator]:
    """Instantiate the selected annotators, each with its settings, in name order."""
    classes = annotator_classes(plugin_manager(plugin_files))
    settings = settings or {}
    unknown = sorted(set(settings) - set(classes))
    if unknown:
        raise ConfigError(f"settings given for unknown annotator(s): {', '.join(unknown)}")
    annotators = []
    for name in select(classes, only, disable):
        try:
            annotators.append(classes[name](**settings.get(name, {})))
        except (ConfigError, PluginError):
            raise
        except Exception as error:
            raise PluginError(f"annotator {name!r} failed to start: {_describe(error)}") from error
    return annotators
