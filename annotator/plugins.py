"""Building the plugin manager and collecting annotators, fresh for every run."""

from __future__ import annotations

import graphlib
import importlib.util
import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import pluggy

from . import hookspecs
from .annotation import Annotator
from .errors import ConfigError, InputError, PluginError
from .exporter import Exporter
from .reader import Reader, ReaderSet
from .settings import Configurable

T = TypeVar("T", Annotator, Reader, Exporter)
C = TypeVar("C", bound=Configurable)

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


def registered(manager: pluggy.PluginManager, hook_name: str, base: type[T]) -> dict[str, type[T]]:
    """Every class registered through ``hook_name`` by name, sorted; a duplicate is an error.

    Each implementation is called on its own so that a failure names its plugin.
    """
    kind = base.kind
    found: dict[str, type[T]] = {}
    owner: dict[str, str] = {}
    for hook in getattr(manager.hook, hook_name).get_hookimpls():
        plugin_name = hook.plugin_name

        def register(cls: type[T], plugin_name: str = plugin_name) -> None:
            if not (isinstance(cls, type) and issubclass(cls, base)):
                raise PluginError(
                    f"plugin {plugin_name!r} registered {cls!r}, not a subclass of {base.__name__}"
                )
            for attribute in base.required_attributes:
                if not isinstance(getattr(cls, attribute, None), str):
                    raise PluginError(
                        f"plugin {plugin_name!r}: {cls.__name__}.{attribute} must be a string"
                    )
            if cls.name in found:
                raise PluginError(
                    f"{kind} name {cls.name!r} is registered twice "
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
                f"plugin {plugin_name!r} failed in {hook_name}: {_describe(error)}"
            ) from error
    return dict(sorted(found.items()))


def annotator_classes(manager: pluggy.PluginManager) -> dict[str, type[Annotator]]:
    """Every registered annotator class by name, sorted."""
    classes = registered(manager, "register_annotators", Annotator)
    for name, cls in classes.items():
        if isinstance(cls.uses, str) or not all(isinstance(u, str) for u in cls.uses):
            raise PluginError(
                f"annotator {name!r}: uses must be a tuple of annotator names, not {cls.uses!r}"
            )
    return classes


def reader_classes(manager: pluggy.PluginManager) -> dict[str, type[Reader]]:
    """Every registered input format by name, sorted."""
    return registered(manager, "register_readers", Reader)


def exporter_classes(manager: pluggy.PluginManager) -> dict[str, type[Exporter]]:
    """Every registered output format by name, sorted."""
    return registered(manager, "register_exporters", Exporter)


def instantiate(cls: type[C], settings: dict[str, Any]) -> C:
    """``cls(**settings)``; anything but a ConfigError or PluginError is named as the plugin's."""
    try:
        return cls(**settings)
    except (ConfigError, PluginError):
        raise
    except Exception as error:
        raise PluginError(f"{cls.kind} {cls.name!r} failed to start: {_describe(error)}") from error


def load_readers(
    manager: pluggy.PluginManager, settings: dict[str, dict[str, Any]] | None = None
) -> ReaderSet:
    """Every registered reader, instantiated with its settings (``[tool.annotator.readers]``)."""
    classes = reader_classes(manager)
    settings = settings or {}
    unknown = sorted(set(settings) - set(classes))
    if unknown:
        raise ConfigError(f"settings given for unknown reader(s): {', '.join(unknown)}")
    try:
        return ReaderSet(instantiate(cls, settings.get(name, {})) for name, cls in classes.items())
    except InputError as error:
        raise PluginError(str(error)) from error


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


def with_used(classes: dict[str, type[Annotator]], names: Iterable[str]) -> list[str]:
    """``names`` plus every annotator they use, directly or not (unknown names left out)."""
    found: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in classes and name not in found:
            found.add(name)
            pending.extend(classes[name].uses)
    return sorted(found)


def run_order(classes: dict[str, type[Annotator]], selected: Iterable[str]) -> list[str]:
    """The selected names with every used annotator before its users; otherwise by name.

    A used name that is not installed or not selected, or annotators that use
    each other in a cycle, are a ConfigError naming both sides.
    """
    chosen = sorted(selected)
    for name in chosen:
        for used in classes[name].uses:
            if used not in classes:
                raise ConfigError(
                    f"annotator {name!r} uses {used!r}, which is not installed "
                    f"(known: {', '.join(classes)})"
                )
            if used not in chosen:
                raise ConfigError(
                    f"annotator {name!r} uses {used!r}, which is disabled: "
                    f"enable {used!r} too, or disable {name!r}"
                )
    sorter = graphlib.TopologicalSorter({name: classes[name].uses for name in chosen})
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        cycle = " uses ".join(repr(name) for name in reversed(error.args[1]))
        raise ConfigError(f"annotators in a cycle: {cycle}") from None
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order.extend(ready)
        sorter.done(*ready)
    return order


def load_annotators(
    manager: pluggy.PluginManager | None = None,
    only: list[str] | None = None,
    disable: list[str] | None = None,
    settings: dict[str, dict[str, Any]] | None = None,
    include_used: bool = False,
) -> list[Annotator]:
    """Instantiate the selected annotators, each with its settings, in run order.

    Run order puts every annotator after those it ``uses`` (see :func:`run_order`),
    and is name order otherwise. ``include_used`` adds the annotators that ``only``
    needs. ``manager`` defaults to a new plugin manager with the installed plugins.
    """
    classes = annotator_classes(manager or plugin_manager())
    settings = settings or {}
    unknown = sorted(set(settings) - set(classes))
    if unknown:
        raise ConfigError(f"settings given for unknown annotator(s): {', '.join(unknown)}")
    if only and include_used:
        only = with_used(classes, only)
    order = run_order(classes, select(classes, only, disable))
    return [instantiate(classes[name], settings.get(name, {})) for name in order]
