"""Building the plugin manager and collecting annotators, fresh for every run."""

from __future__ import annotations

import graphlib
import importlib.util
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import pluggy

from . import hookspecs
from .annotation import Annotator
from .errors import ConfigError, InputError, ModelError, PluginError
from .exporter import Exporter
from .reader import Reader, ReaderSet
from .settings import Configurable

T = TypeVar("T", Annotator, Reader, Exporter)
C = TypeVar("C", bound=Configurable)

ENTRY_POINT_GROUP = "annotator"
LOAD_PLUGINS_ENV = "ANNOTATOR_LOAD_PLUGINS"
OLD_AUTOLOAD_ENV = "ANNOTATOR_DISABLE_PLUGIN_AUTOLOAD"
CORE_DISTRIBUTION = "annotator"
MODEL_EXTRA = "pip install 'annotator[model]'"  # what the light install lacks to annotate


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0]


def _load_file_plugin(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(f"annotator_plugin_file_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise PluginError(f"plugin file {path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except KeyboardInterrupt:  # at load time, the user's
        raise
    except BaseException as error:  # SystemExit too
        raise PluginError(f"plugin file {path} failed to load: {_describe(error)}") from error
    return module


@dataclass(frozen=True)
class Origin:
    """Where a plugin came from: a pip package (name and version) or a file."""

    package: str | None = None
    version: str | None = None
    file: str | None = None

    def __str__(self) -> str:
        if self.package:
            return f"package {self.package} {self.version}"
        return f"file {self.file}" if self.file else "registered in code"


class PluginHost(pluggy.PluginManager):
    """A plugin manager that remembers each plugin's origin (package and version, or file)."""

    def __init__(self) -> None:
        super().__init__(ENTRY_POINT_GROUP)
        self.add_hookspecs(hookspecs)
        self.origins: dict[str, Origin] = {}
        self.owners: dict[str, dict[str, str]] = {}  # hook name -> class name -> plugin name

    def origin(self, plugin_name: str) -> Origin:
        return self.origins.get(plugin_name, Origin())

    def add(self, plugin: object, name: str, origin: Origin) -> None:
        if self.has_plugin(name):
            packages = [o.package for o in (self.origin(name), origin) if o.package]
            hint = _uninstall_hint(packages)
            raise PluginError(
                f"plugin name {name!r} is used twice, by {self.origin(name)} and {origin}{hint}"
            )
        try:
            self.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as error:
            raise PluginError(f"plugin {name!r} cannot be registered: {error}") from error
        self.origins[name] = origin


def canonical(package: str) -> str:
    """A pip package name in its normal form (PEP 503): ``Annotator_X`` is ``annotator-x``."""
    return re.sub(r"[-_.]+", "-", package).lower()


def chosen_packages() -> set[str] | None:
    """The third-party packages to load: None for all, else the set ANNOTATOR_LOAD_PLUGINS names.

    The old ANNOTATOR_DISABLE_PLUGIN_AUTOLOAD=1 still means none; any other value
    of it is a ConfigError rather than a silent guess.
    """
    chosen = os.environ.get(LOAD_PLUGINS_ENV)
    old = os.environ.get(OLD_AUTOLOAD_ENV, "")
    if old:
        if old != "1":
            raise ConfigError(
                f"{OLD_AUTOLOAD_ENV}={old!r} is not understood (only 1 is); use "
                f"{LOAD_PLUGINS_ENV}: empty for no third-party plugins, or package names"
            )
        if chosen is not None:
            raise ConfigError(f"set {LOAD_PLUGINS_ENV} or {OLD_AUTOLOAD_ENV}, not both")
        return set()
    if chosen is None:
        return None
    return {canonical(name.strip()) for name in chosen.split(",") if name.strip()}


def plugin_manager(plugin_files: Iterable[str | Path] = ()) -> PluginHost:
    """A new manager with entry-point plugins and explicit plugin files registered.

    The built-ins (entry points of the ``annotator`` package itself) always load.
    Third-party packages load as ANNOTATOR_LOAD_PLUGINS says: unset, all of them;
    empty, none; ``a,b``, only the pip packages a and b (naming one that is not
    installed is a ConfigError).
    """
    manager = PluginHost()
    chosen = chosen_packages()
    seen: set[str] = set()
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = entry_point.dist
        origin = Origin(dist.name, dist.version) if dist else Origin()
        package = canonical(origin.package or "")
        seen.add(package)
        if package != CORE_DISTRIBUTION and chosen is not None and package not in chosen:
            continue
        try:
            plugin = entry_point.load()
        except KeyboardInterrupt:  # at load time, the user's
            raise
        except BaseException as error:  # SystemExit too
            if package != CORE_DISTRIBUTION:
                hint = f"; pip uninstall {origin.package}, or leave it out with {LOAD_PLUGINS_ENV}"
            elif isinstance(error, ModuleNotFoundError):
                hint = f"; annotating needs the model extra: {MODEL_EXTRA}"
            else:
                hint = ""
            raise PluginError(
                f"plugin {entry_point.name!r} ({entry_point.value}, from {origin}) "
                f"failed to load: {_describe(error)}{hint}"
            ) from error
        manager.add(plugin, entry_point.name, origin)
    if missing := sorted((chosen or set()) - seen):
        installed = ", ".join(sorted(seen - {CORE_DISTRIBUTION})) or "none"
        raise ConfigError(
            f"{LOAD_PLUGINS_ENV} names {', '.join(missing)}, not an installed plugin package "
            f"(installed: {installed})"
        )
    for file in plugin_files:
        path = Path(file)
        if not path.is_file():
            raise PluginError(f"plugin file {path}: no such file")
        manager.add(_load_file_plugin(path), f"file:{path}", Origin(file=str(path)))
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        name = manager.get_name(error.plugin)
        raise PluginError(f"plugin {name!r}: {error}") from error
    return manager


def _origin(manager: pluggy.PluginManager, plugin_name: str) -> Origin:
    return manager.origin(plugin_name) if isinstance(manager, PluginHost) else Origin()


def _owner(manager: pluggy.PluginManager, plugin_name: str) -> str:
    return f"plugin {plugin_name!r} ({_origin(manager, plugin_name)})"


def _uninstall_hint(packages: Iterable[str | None]) -> str:
    """How to resolve a clash between these packages: uninstall one that is not the core."""
    third_party = sorted({p for p in packages if p and canonical(p) != CORE_DISTRIBUTION})
    return f"; uninstall one (pip uninstall {' or '.join(third_party)})" if third_party else ""


def registered(manager: pluggy.PluginManager, hook_name: str, base: type[T]) -> dict[str, type[T]]:
    """Every class registered through ``hook_name`` by name, sorted; a duplicate is an error.

    Each implementation is called on its own so that a failure names its plugin.
    A PluginHost remembers which plugin registered each name, in ``owners``.
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
                first, second = sorted((owner[cls.name], plugin_name))
                hint = _uninstall_hint(_origin(manager, n).package for n in (first, second))
                raise PluginError(
                    f"{kind} name {cls.name!r} is registered twice, by "
                    f"{_owner(manager, first)} and {_owner(manager, second)}{hint}"
                )
            found[cls.name] = cls
            owner[cls.name] = plugin_name

        arguments: dict[str, Any] = {"register": register}
        try:
            hook.function(**{name: arguments[name] for name in hook.argnames})
        except PluginError:
            raise
        except KeyboardInterrupt:  # at load time, the user's
            raise
        except BaseException as error:  # SystemExit too
            raise PluginError(
                f"plugin {plugin_name!r} failed in {hook_name}: {_describe(error)}"
            ) from error
    if isinstance(manager, PluginHost):
        manager.owners[hook_name] = owner
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
    """``cls(**settings)``; anything but a ConfigError, ModelError or PluginError is named as
    the plugin's."""
    try:
        return cls(**settings)
    except (ConfigError, ModelError, PluginError):
        raise
    except KeyboardInterrupt:  # at load time, the user's
        raise
    except BaseException as error:  # SystemExit too
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
    selected = select(classes, only, disable)
    if only and include_used:
        selected = select(classes, with_used(classes, only), disable)
    order = run_order(classes, selected)
    return [instantiate(classes[name], settings.get(name, {})) for name in order]
