"""The plugin manager: builtin plugins by name, third-party ones by entry point, loaded lazily.

Nothing is imported until a command needs a registry, so ``kaderwerk --help`` stays fast. A
third-party plugin that fails to import or raises in a hook is recorded with its name and the
error, shown by ``kaderwerk list``, and never takes the CLI down.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pluggy
from kaderwerk import hookspecs
from kaderwerk.errors import PluginError

ENTRY_POINT_GROUP = "kaderwerk"

DEFAULT_PLUGINS: tuple[str, ...] = (
    "kaderwerk.plugins.regels",
    "kaderwerk.plugins.veilig_thuis",
    "kaderwerk.plugins.stelseltoezicht",
    "kaderwerk.plugins.reader_csv",
    "kaderwerk.plugins.reader_xlsx",
    "kaderwerk.plugins.reader_yaml",
    "kaderwerk.plugins.format_json",
    "kaderwerk.plugins.format_csv",
    "kaderwerk.plugins.format_markdown",
    "kaderwerk.plugins.format_html",
    "kaderwerk.plugins.format_xlsx",
)


@attrs.frozen
class Reader:
    suffix: str
    read: Callable[..., Any]
    naam: str
    plugin: str


@attrs.frozen
class Format:
    naam: str
    write: Callable[[dict[str, Any]], bytes]
    suffix: str
    plugin: str


@attrs.define
class Registry:
    """Everything the plugins registered, with who registered it."""

    kader_bronnen: list[tuple[Any, str]] = attrs.field(factory=list)
    beslisregels: dict[str, type] = attrs.field(factory=dict)
    regel_plugins: dict[str, str] = attrs.field(factory=dict)
    """Per rule type, the plugin that registered it (for errors that name it)."""
    readers: dict[str, Reader] = attrs.field(factory=dict)
    formats: dict[str, Format] = attrs.field(factory=dict)
    plugins: list[str] = attrs.field(factory=list)
    broken: dict[str, str] = attrs.field(factory=dict)
    pm: pluggy.PluginManager | None = None


_registry: Registry | None = None


def registry() -> Registry:
    """The registry, built on first use."""
    global _registry
    if _registry is None:
        _registry = build_registry()
    return _registry


def reset() -> None:
    """Forget the registry (tests that install plugins call this)."""
    global _registry
    _registry = None


def build_registry(extra: tuple[Any, ...] = (), *, entry_points: bool = True) -> Registry:
    """Load builtin plugins, entry-point plugins and ``extra`` plugin objects; call the hooks."""
    pm = pluggy.PluginManager("kaderwerk")
    pm.add_hookspecs(hookspecs)
    reg = Registry(pm=pm)
    for name in DEFAULT_PLUGINS:
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            reg.broken[name] = f"failed to import: {type(exc).__name__}: {exc}"
            continue
        pm.register(module, name=name)
        reg.plugins.append(name)
    if entry_points:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            label = f"{ep.name} ({ep.value})"
            try:
                obj = ep.load()
                pm.register(obj, name=ep.name)
                reg.plugins.append(label)
            except Exception as exc:
                reg.broken[label] = f"failed to import: {type(exc).__name__}: {exc}"
    for obj in extra:
        pm.register(obj)
        reg.plugins.append(getattr(obj, "__name__", repr(obj)))
    _call(reg, "register_beslisregels", _register_regel(reg))
    _call(reg, "register_kaders", _register_kader(reg))
    _call(reg, "register_readers", _register_reader(reg))
    _call(reg, "register_formats", _register_format(reg))
    return reg


def _plugin_name(pm: pluggy.PluginManager, impl: Any) -> str:
    return pm.get_name(impl.plugin) or repr(impl.plugin)


def _call(reg: Registry, hook: str, register: Callable[..., None]) -> None:
    """Call each implementation separately so one broken plugin is named, not fatal."""
    assert reg.pm is not None
    caller = getattr(reg.pm.hook, hook)
    for impl in caller.get_hookimpls():
        name = _plugin_name(reg.pm, impl)
        if name in reg.broken:
            continue

        def bound(*args: Any, _name: str = name, **kwargs: Any) -> None:
            register(_name, *args, **kwargs)

        try:
            impl.function(bound)
        except PluginError as exc:
            reg.broken[name] = f"{hook}: {exc}"
        except Exception as exc:
            reg.broken[name] = f"{hook} raised {type(exc).__name__}: {exc}"


def _register_regel(reg: Registry) -> Callable[..., None]:
    def register(plugin: str, naam: str, cls: type) -> None:
        from kaderwerk.beslisregel import Beslisregel

        if not isinstance(naam, str) or not (isinstance(cls, type)
                                             and issubclass(cls, Beslisregel)):
            raise PluginError(f"register_beslisregels: {naam!r} must be a name and a "
                              "Beslisregel subclass")
        reg.beslisregels[naam] = cls
        reg.regel_plugins[naam] = plugin
    return register


def _register_kader(reg: Registry) -> Callable[..., None]:
    def register(plugin: str, resource: Any) -> None:
        if not hasattr(resource, "is_dir") or not hasattr(resource, "name"):
            raise PluginError(f"register_kaders: {resource!r} is not a path or resource")
        reg.kader_bronnen.append((resource, plugin))
    return register


def _register_reader(reg: Registry) -> Callable[..., None]:
    def register(plugin: str, suffix: str, read: Callable[..., Any], naam: str = "") -> None:
        if not (isinstance(suffix, str) and suffix.startswith(".") and callable(read)):
            raise PluginError(f"register_readers: need a suffix like '.csv' and a callable, "
                              f"got {suffix!r}, {read!r}")
        reg.readers[suffix.lower()] = Reader(suffix.lower(), read, naam or suffix, plugin)
    return register


def _register_format(reg: Registry) -> Callable[..., None]:
    def register(plugin: str, naam: str, write: Callable[..., bytes], suffix: str) -> None:
        if not (isinstance(naam, str) and callable(write) and isinstance(suffix, str)):
            raise PluginError(f"register_formats: need a name, a callable and a suffix, "
                              f"got {naam!r}, {write!r}, {suffix!r}")
        reg.formats[naam] = Format(naam, write, suffix, plugin)
    return register


def resource_path(resource: Any) -> Path | None:
    """A filesystem path for a resource when it has one (it does for installed packages)."""
    try:
        return Path(str(resource)) if Path(str(resource)).exists() else None
    except (TypeError, ValueError):
        return None
