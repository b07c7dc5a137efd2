"""The plugin manager: builtin plugins by name, third-party ones by entry point, loaded lazily.

Nothing is imported until a command needs a registry, so ``kaderwerk --help`` stays fast. Every
hook is called through pluggy, one plugin at a time, so a plugin that fails to import, fails
pluggy's validation, raises in a hook, returns a value instead of calling ``register``,
registers something unusable or claims a name another plugin registered is recorded with its
name and the reason, and *wholly* disabled: none of its registrations stay active. A plugin
may take a builtin's name only by passing ``replaces=True``. Third-party rule types, readers and
writers are guarded: their exceptions at run time become ``PluginFailed`` naming the plugin.
"""

from __future__ import annotations

import copy
import functools
import importlib
import importlib.metadata
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pluggy
from kaderwerk import hookspecs
from kaderwerk.domain.errors import KaderwerkError, PluginError, PluginFailed

ENTRY_POINT_GROUP = "kaderwerk"
DISABLE_VARIABLE = "KADERWERK_DISABLE_PLUGINS"

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

REGISTER_HOOKS: tuple[str, ...] = (
    "register_beslisregels", "register_kaders", "register_readers", "register_formats")
"""The hooks called when the registry is built, in this order (``register_commands`` is called
by the CLI when it needs a command it does not know)."""

_SOORT = {"register_beslisregels": "rule type", "register_kaders": "kaders",
          "register_readers": "reader", "register_formats": "format"}


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
class PluginInfo:
    """One plugin as ``kaderwerk plugins`` shows it."""

    naam: str
    version: str | None
    builtin: bool
    registered: list[str] = attrs.field(factory=list)
    replaces: list[str] = attrs.field(factory=list)
    error: str | None = None
    disabled: bool = False

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.define
class Registry:
    """Everything the plugins registered, with who registered it."""

    kader_bronnen: list[tuple[Any, str]] = attrs.field(factory=list)
    beslisregels: dict[str, type] = attrs.field(factory=dict)
    readers: dict[str, Reader] = attrs.field(factory=dict)
    formats: dict[str, Format] = attrs.field(factory=dict)
    plugins: list[str] = attrs.field(factory=list)
    broken: dict[str, str] = attrs.field(factory=dict)
    pm: pluggy.PluginManager | None = None
    info: dict[str, PluginInfo] = attrs.field(factory=dict)
    tracebacks: dict[str, str] = attrs.field(factory=dict)
    regel_plugins: dict[str, str] = attrs.field(factory=dict)

    def disable(self, naam: str, reason: str) -> None:
        """Record ``naam`` as broken and drop everything it registered."""
        self.broken.setdefault(naam, reason)
        if naam in self.info:
            self.info[naam].error = self.broken[naam]
        self.kader_bronnen = [(r, p) for r, p in self.kader_bronnen if p != naam]
        for soort in ("readers", "formats"):
            table = getattr(self, soort)
            for key in [k for k, v in table.items() if v.plugin == naam]:
                del table[key]
        for key in [k for k, p in self.regel_plugins.items() if p == naam]:
            del self.beslisregels[key], self.regel_plugins[key]
        if self.pm is not None and self.pm.has_plugin(naam):
            self.pm.unregister(name=naam)


@attrs.frozen
class _Opgave:
    """One call of a ``register`` callback, kept until every plugin has registered."""

    hook: str
    key: str
    value: Any
    plugin: str
    replaces: bool = False


_registry: Registry | None = None


def registry() -> Registry:
    """The registry, built on first use."""
    global _registry
    if _registry is None:
        _registry = build_registry()
    return _registry


def built() -> Registry | None:
    """The registry if a command has built it, else None (nothing is loaded)."""
    return _registry


def reset() -> None:
    """Forget the registry (tests that install plugins call this)."""
    global _registry
    _registry = None


def disabled_names() -> set[str]:
    """The plugin names in ``KADERWERK_DISABLE_PLUGINS`` (comma or space separated)."""
    raw = os.environ.get(DISABLE_VARIABLE, "")
    return {n for n in raw.replace(",", " ").split() if n}


def _is_disabled(naam: str, uit: set[str]) -> bool:
    return naam in uit or naam.rsplit(".", 1)[-1] in uit


# What a plugin can raise that is its own failure: everything but KeyboardInterrupt, which is the
# user's (Ctrl-C stops kaderwerk as usual). SystemExit from a plugin must not end a run with exit 0.
PLUGIN_FAILURES: tuple[type[BaseException], ...] = (Exception, SystemExit, GeneratorExit)


class _StdoutNaarStderr:
    """While plugin code runs, what it prints goes to standard error: standard output carries
    kaderwerk's machine output (``--format json``), which a stray print would corrupt."""

    __slots__ = ("oud",)

    def __enter__(self) -> None:
        self.oud, sys.stdout = sys.stdout, sys.stderr

    def __exit__(self, *exc: object) -> None:
        sys.stdout = self.oud


def build_registry(extra: tuple[Any, ...] = (), *, entry_points: bool = True) -> Registry:
    """Load builtin plugins, entry-point plugins and ``extra`` plugin objects; call the hooks."""
    from kaderwerk import __version__

    pm = pluggy.PluginManager("kaderwerk")
    pm.add_hookspecs(hookspecs)
    reg = Registry(pm=pm)
    uit = disabled_names()
    kandidaten: list[tuple[str, str | None, bool, Callable[[], Any]]] = [
        (name, __version__, True, functools.partial(importlib.import_module, name))
        for name in DEFAULT_PLUGINS]
    if entry_points:
        kandidaten += [(ep.name, ep.dist.version if ep.dist else None, False, ep.load)
                       for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)]
    kandidaten += [(getattr(obj, "__name__", repr(obj)), getattr(obj, "__version__", None), False,
                    functools.partial(lambda o: o, obj)) for obj in extra]
    for naam, version, builtin, load in kandidaten:
        info = reg.info.setdefault(naam, PluginInfo(naam, version, builtin))
        if _is_disabled(naam, uit):
            info.disabled = True
            continue
        try:
            with _StdoutNaarStderr():
                pm.register(load(), name=naam)
        except PLUGIN_FAILURES as exc:
            _broken(reg, naam, f"failed to load: {type(exc).__name__}: {exc}", exc)
            continue
        reg.plugins.append(naam)
    opgaven: list[_Opgave] = []
    for hook in REGISTER_HOOKS:
        for naam in list(reg.plugins):
            if naam not in reg.broken:
                opgaven += _call(reg, hook, naam)
    _commit(reg, [o for o in opgaven if o.plugin not in reg.broken])
    return reg


def _broken(reg: Registry, naam: str, reason: str, exc: BaseException | None = None) -> None:
    if exc is not None:
        reg.tracebacks[naam] = "".join(traceback.format_exception(exc))
    reg.disable(naam, reason)


def _call(reg: Registry, hook: str, naam: str) -> list[_Opgave]:
    """Call one plugin's implementation of ``hook`` through pluggy; collect its registrations."""
    assert reg.pm is not None
    others = [p for n, p in reg.pm.list_name_plugin() if n != naam and p is not None]
    opgaven: list[_Opgave] = []

    def register(*args: Any, replaces: bool = False, **kwargs: Any) -> None:
        key, value = _CHECKS[hook](naam, *args, **kwargs)
        opgaven.append(_Opgave(hook, key, value, naam, replaces=replaces))

    try:
        with _StdoutNaarStderr():
            result = reg.pm.subset_hook_caller(hook, remove_plugins=others)(register=register)
    except PLUGIN_FAILURES as exc:
        _broken(reg, naam, f"{hook}: {exc}" if isinstance(exc, PluginError)
                else f"{hook} raised {type(exc).__name__}: {exc}", exc)
        return []
    if any(r is not None for r in result):
        _broken(reg, naam, f"{hook} returned a value; call register(...) for each thing "
                "instead (docs/plugins.md)")
        return []
    return opgaven


def _commit(reg: Registry, opgaven: list[_Opgave]) -> None:
    """Refuse names registered twice (unless ``replaces=True`` over a builtin); store the rest."""
    while True:
        levend = [o for o in opgaven if o.plugin not in reg.broken]
        nieuw = dict(_botsingen(reg, levend))
        if not nieuw:
            break
        for naam, reason in nieuw.items():
            _broken(reg, naam, reason)
    for o in levend:
        info = reg.info[o.plugin]
        info.registered.append(f"{_SOORT[o.hook]} {o.key}")
        if o.hook == "register_kaders":
            reg.kader_bronnen.append((o.value, o.plugin))
            continue
        vervangen = _vorige(reg, o)
        if vervangen is not None:
            if o.replaces and vervangen != o.plugin:
                info.replaces.append(f"{_SOORT[o.hook]} {o.key} of {vervangen}")
            elif not o.replaces:
                continue  # one plugin registered the name twice: the first stays
        if o.hook == "register_beslisregels":
            reg.beslisregels[o.key] = _guard_regel(o.value, o.plugin, reg.info[o.plugin])
            reg.regel_plugins[o.key] = o.plugin
        elif o.hook == "register_readers":
            r = o.value
            reg.readers[o.key] = attrs.evolve(r, read=_guard(r.read, o.plugin, "reader", reg))
        else:
            f = o.value
            reg.formats[o.key] = attrs.evolve(f, write=_guard(f.write, o.plugin, "writer", reg))


def _vorige(reg: Registry, o: _Opgave) -> str | None:
    if o.hook == "register_beslisregels":
        return reg.regel_plugins.get(o.key)
    table = reg.readers if o.hook == "register_readers" else reg.formats
    return table[o.key].plugin if o.key in table else None


def _botsingen(reg: Registry, opgaven: list[_Opgave]) -> Iterator[tuple[str, str]]:
    """(plugin, reason) for each plugin that registers a name another plugin registered."""
    groepen: dict[tuple[str, str], list[_Opgave]] = {}
    for o in opgaven:
        if o.hook != "register_kaders":
            groepen.setdefault((o.hook, o.key), []).append(o)
    for (hook, key), groep in groepen.items():
        namen = list(dict.fromkeys(o.plugin for o in groep))
        if len(namen) < 2:
            continue
        builtins = [n for n in namen if reg.info[n].builtin]
        vervangers = [n for n in namen if not reg.info[n].builtin
                      and any(o.replaces for o in groep if o.plugin == n)]
        for naam in namen:
            if reg.info[naam].builtin or (naam in vervangers and len(vervangers) == 1
                                          and builtins):
                continue
            ander = next(n for n in namen if n != naam)
            hint = ("; pass replaces=True to replace a builtin" if reg.info[ander].builtin
                    else "; uninstall or disable one of them")
            yield naam, (f"{hook}: {_SOORT[hook]} '{key}' is also registered by plugin "
                         f"{ander}{hint}")


def _guard(fn: Callable[..., Any], plugin: str, hook: str, reg: Registry) -> Callable[..., Any]:
    """``fn`` itself for a builtin; for a third-party plugin, ``fn`` whose exceptions name it."""
    if reg.info[plugin].builtin:
        return fn

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if hook == "writer":  # its own copy: a writer mutating the uitkomst corrupts no other
            args = tuple(copy.deepcopy(a) for a in args)
        try:
            with _StdoutNaarStderr():
                result = fn(*args, **kwargs)
        except KaderwerkError:
            raise
        except OSError as exc:
            if exc.filename is not None:
                raise  # the system refused a path: reported as such
            raise PluginFailed(plugin, hook, exc) from exc
        except PLUGIN_FAILURES as exc:
            raise PluginFailed(plugin, hook, exc) from exc
        fout = _RESULT_CHECKS[hook](result)
        if fout:
            raise PluginFailed(plugin, hook, TypeError(fout))
        return result
    return guarded


def _check_geschreven(result: Any) -> str | None:
    if isinstance(result, (bytes, bytearray)):
        return None
    return f"a writer must return bytes, not {type(result).__name__}"


def _check_gelezen(result: Any) -> str | None:
    from kaderwerk.domain.beoordeling import Beoordeling

    if isinstance(result, (list, tuple)) and all(isinstance(b, Beoordeling) for b in result):
        return None
    return f"a reader must return a list of Beoordeling, not {type(result).__name__}"


_RESULT_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "writer": _check_geschreven, "reader": _check_gelezen}


def _guard_regel(cls: type, plugin: str, info: PluginInfo) -> type:
    """A third-party rule class whose ``from_mapping``, ``controleer``, ``beslis``,
    ``voorwaarden`` and ``to_dict`` failures (or results of the wrong type) name the plugin.

    Builtin rule types are used as they are: ``beslis`` runs once per criterium and
    organisation, and a builtin's failure is a bug in kaderwerk, reported as such.
    """
    if info.builtin:
        return cls
    from kaderwerk.domain.beslisregel import Beslissing

    def guarded(hook: str, call: Callable[[], Any], soort: type | None = None) -> Any:
        try:
            with _StdoutNaarStderr():
                result = call()
        except KaderwerkError:
            raise
        except PLUGIN_FAILURES as exc:
            raise PluginFailed(plugin, hook, exc) from exc
        if soort is not None and not isinstance(result, soort):
            raise PluginFailed(plugin, hook, TypeError(
                f"{hook} must return a {soort.__name__}, not {type(result).__name__}"))
        return result

    def from_mapping(klass: type, *args: Any, **kwargs: Any) -> Any:
        return guarded("from_mapping", lambda: cls.from_mapping.__func__(  # type: ignore[attr-defined]
            klass, *args, **kwargs))

    def controleer(klass: type, *args: Any, **kwargs: Any) -> Any:
        return guarded("controleer", lambda: list(cls.controleer.__func__(  # type: ignore[attr-defined]
            klass, *args, **kwargs)))

    def beslis(self: Any, invoer: Any) -> Any:
        return guarded("beslis", lambda: cls.beslis(self, invoer), Beslissing)  # type: ignore[attr-defined]

    def voorwaarden(self: Any) -> Any:
        return guarded("voorwaarden", lambda: cls.voorwaarden(self))  # type: ignore[attr-defined]

    def to_dict(self: Any) -> Any:
        return guarded("to_dict", lambda: cls.to_dict(self), dict)  # type: ignore[attr-defined]

    return type(cls.__name__, (cls,), {"from_mapping": classmethod(from_mapping),
                                       "controleer": classmethod(controleer), "beslis": beslis,
                                       "voorwaarden": voorwaarden, "to_dict": to_dict,
                                       "__qualname__": cls.__qualname__,
                                       "__module__": cls.__module__,
                                       "plugin_naam": plugin})


def _check_regel(plugin: str, naam: Any, cls: Any) -> tuple[str, Any]:
    from kaderwerk.domain.beslisregel import Beslisregel

    if not isinstance(naam, str) or not (isinstance(cls, type) and issubclass(cls, Beslisregel)):
        raise PluginError(f"register_beslisregels: {naam!r} must be a name and a "
                          "Beslisregel subclass")
    return naam, cls


def _check_kader(plugin: str, resource: Any) -> tuple[str, Any]:
    if not hasattr(resource, "is_dir") or not hasattr(resource, "name"):
        raise PluginError(f"register_kaders: {resource!r} is not a path or resource")
    if not (resource.is_dir() or resource.is_file()):
        raise PluginError(f"register_kaders: {resource} does not exist")
    return resource.name, resource


def _check_reader(plugin: str, suffix: Any, read: Any, naam: str = "") -> tuple[str, Any]:
    if not (isinstance(suffix, str) and suffix.startswith(".") and callable(read)):
        raise PluginError(f"register_readers: need a suffix like '.csv' and a callable, "
                          f"got {suffix!r}, {read!r}")
    return suffix.lower(), Reader(suffix.lower(), read, naam or suffix, plugin)


def _check_format(plugin: str, naam: Any, write: Any, suffix: Any) -> tuple[str, Any]:
    if not (isinstance(naam, str) and callable(write) and isinstance(suffix, str)):
        raise PluginError(f"register_formats: need a name, a callable and a suffix, "
                          f"got {naam!r}, {write!r}, {suffix!r}")
    return naam, Format(naam, write, suffix, plugin)


_CHECKS: dict[str, Callable[..., tuple[str, Any]]] = {
    "register_beslisregels": _check_regel, "register_kaders": _check_kader,
    "register_readers": _check_reader, "register_formats": _check_format}


def load_commands(reg: Registry, cli: Any) -> None:
    """Call ``register_commands`` of each healthy plugin; a failing plugin is disabled."""
    assert reg.pm is not None
    for naam in list(reg.plugins):
        if naam in reg.broken or not reg.pm.has_plugin(naam):
            continue
        others = [p for n, p in reg.pm.list_name_plugin() if n != naam and p is not None]
        try:
            with _StdoutNaarStderr():
                reg.pm.subset_hook_caller("register_commands", remove_plugins=others)(cli=cli)
        except PLUGIN_FAILURES as exc:
            _broken(reg, naam, f"register_commands raised {type(exc).__name__}: {exc}", exc)


def warnings(reg: Registry) -> list[str]:
    """One line per broken plugin, for the end of every command's output."""
    lines = [f"warning: plugin {naam} is broken and disabled: {why} (see 'kaderwerk plugins')"
             for naam, why in reg.broken.items()]
    if os.environ.get("KADERWERK_DEBUG"):
        lines += [reg.tracebacks[n].rstrip() for n in reg.broken if n in reg.tracebacks]
    return lines


def resource_path(resource: Any) -> Path | None:
    """A filesystem path for a resource when it has one (it does for installed packages)."""
    try:
        return Path(str(resource)) if Path(str(resource)).exists() else None
    except (TypeError, ValueError):
        return None
