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

import functools
import importlib
import importlib.metadata
import os
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pluggy
from kaderwerk import hookspecs
from kaderwerk.domain.errors import PluginError
from kaderwerk.domain.tekst import een_regel, uitzondering
from kaderwerk.domain.woorden import bedoeld, opsomming
from kaderwerk.sources._plugin_checks import (
    al_geladen,
    als_module,
    check_format,
    check_impls,
    check_kader,
    check_naam,
    check_reader,
    check_regel,
    check_schema,
    pluggy_tekst,
)
from kaderwerk.sources._plugin_guard import (
    PLUGIN_FAILURES,
    PluginCode,
    guard,
    guard_command,
    guard_regel,
)
from kaderwerk.sources._plugin_guard import melders_weg as melders_weg
from kaderwerk.sources._plugin_namen import botsingen as botsingen
from kaderwerk.sources._plugin_namen import toon as toon
from kaderwerk.sources._plugin_namen import van_plugin as van_plugin
from kaderwerk.sources._plugin_results import gelezen as gelezen

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
    package: str | None = None
    attempted: list[str] = attrs.field(factory=list)
    kader_pogingen: list[Any] = attrs.field(factory=list)
    hooks: list[str] = attrs.field(factory=list)
    """The register hooks called for it: one it broke before never ran (``van_plugin``)."""

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self, filter=lambda a, _: a.name not in ("kader_pogingen", "hooks"))


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
    vervangende_bronnen: list[Any] = attrs.field(factory=list)
    meldingen: dict[str, None] = attrs.field(factory=dict)
    commands: dict[str, str] = attrs.field(factory=dict)
    groep: Any = None

    def toon(self, naam: str) -> str:
        """The plugin as messages name it: with its package when that is named otherwise."""
        if naam not in self.info:
            return naam
        info = self.info[naam]
        return toon(naam, info.version, info.package)

    def meld(self, line: str) -> None:
        """Keep a warning line for the end of the output; a repeat is dropped."""
        self.meldingen.setdefault(line, None)

    def disable(self, naam: str, reason: str) -> None:
        """Record ``naam`` as broken and drop everything it registered."""
        self.broken.setdefault(naam, reason)
        if naam in self.info:
            self.info[naam].error = self.broken[naam]
        gaan = [r for r, p in self.kader_bronnen if p == naam]
        self.kader_bronnen = [(r, p) for r, p in self.kader_bronnen if p != naam]
        self.vervangende_bronnen = [r for r in self.vervangende_bronnen
                                    if not any(r is g for g in gaan)]
        for soort in ("readers", "formats"):
            table = getattr(self, soort)
            for key in [k for k, v in table.items() if v.plugin == naam]:
                del table[key]
        for key in [k for k, p in self.regel_plugins.items() if p == naam]:
            del self.beslisregels[key], self.regel_plugins[key]
        for key in [k for k, p in self.commands.items() if p == naam]:
            del self.commands[key]
            if self.groep is not None:
                self.groep.commands.pop(key, None)
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
        _commands_too(_registry)
    return _registry


def _commands_too(reg: Registry) -> None:
    """Within a kaderwerk command, add the plugins' commands as soon as the plugins load: a
    plugin that fails there (a command name taken) is then broken, and wholly disabled, for
    every command, not only for those that looked for a plugin command."""
    import click

    ctx = click.get_current_context(silent=True)
    laad = getattr(ctx.find_root().command, "_plugin_commands", None) if ctx else None
    if callable(laad):
        laad()


def built() -> Registry | None:
    """The registry if a command has built it, else None (nothing is loaded)."""
    return _registry


def reset() -> None:
    """Forget the registry (tests that install plugins call this) and the guard's handlers."""
    global _registry
    _registry = None
    melders_weg()


def disabled_names() -> set[str]:
    """The plugin names in ``KADERWERK_DISABLE_PLUGINS`` (comma or space separated), in lower
    case: a name matches in any case."""
    raw = os.environ.get(DISABLE_VARIABLE, "")
    return {n.lower() for n in raw.replace(",", " ").split() if n}


def _is_disabled(naam: str, uit: set[str]) -> bool:
    naam = naam.lower()
    return naam in uit or naam.rsplit(".", 1)[-1] in uit


def _builtin_naam(naam: str) -> str | None:
    """The builtin plugin whose name or short name (``format_json``) a third-party plugin's
    name is, in any case: disabling it by that name would disable both."""
    klein = naam.lower()
    return next((b for b in DEFAULT_PLUGINS if klein in (b, b.rsplit(".", 1)[-1])), None)


def build_registry(extra: tuple[Any, ...] = (), *, entry_points: bool = True) -> Registry:
    """Load builtin plugins, entry-point plugins and ``extra`` plugin objects; call the hooks."""
    from kaderwerk import __version__

    pm = pluggy.PluginManager("kaderwerk")
    pm.add_hookspecs(hookspecs)
    reg = Registry(pm=pm)
    uit = disabled_names()
    pakketten: dict[str, str | None] = {}
    kandidaten: list[tuple[str, str | None, bool, Callable[[], Any]]] = [
        (name, __version__, True, functools.partial(importlib.import_module, name))
        for name in DEFAULT_PLUGINS]
    if entry_points:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            kandidaten.append((ep.name, ep.dist.version if ep.dist else None, False, ep.load))
            pakketten[ep.name] = ep.dist.name if ep.dist else None
    kandidaten += [(getattr(obj, "__name__", None) or een_regel(obj, 40, als_repr=True),
                    getattr(obj, "__version__", None), False,
                    functools.partial(lambda o: o, obj)) for obj in extra]
    _onbekend_uitgezet(reg, uit, [(naam, builtin) for naam, _, builtin, _ in kandidaten])
    for naam, version, builtin, load in kandidaten:
        info = reg.info.setdefault(naam, PluginInfo(naam, version, builtin,
                                                     package=pakketten.get(naam)))
        if not builtin and (eigen := _builtin_naam(naam)) is not None:
            _broken(reg, naam, f"failed to load: its name is that of the builtin plugin {eigen}; "
                    "give the entry point another name")
            continue
        if _is_disabled(naam, uit):
            info.disabled = True
            continue
        waarde = getattr(load, "__self__", None)  # the entry point, for an installed plugin
        if isinstance(waarde, importlib.metadata.EntryPoint) and not waarde.pattern.match(
                waarde.value):  # else its load() fails with an AttributeError of its own
            tekst = een_regel(waarde.value, 80, als_repr=True)
            _broken(reg, naam, f"failed to load: entry point value {tekst} is not 'module' or "
                    "'module:attr'")
            continue
        _load(reg, naam, load)
    opgaven: list[_Opgave] = []
    for hook in REGISTER_HOOKS:
        for naam in list(reg.plugins):
            if naam not in reg.broken:
                opgaven += _call(reg, hook, naam)
    _commit(reg, [o for o in opgaven if o.plugin not in reg.broken])
    return reg


def _onbekend_uitgezet(reg: Registry, uit: set[str], kandidaten: list[tuple[str, bool]]) -> None:
    """Warn about each name in KADERWERK_DISABLE_PLUGINS that is no plugin's (a typo would
    otherwise leave the plugin on without a word)."""
    namen = ([n for n, builtin in kandidaten if not builtin]
             + [n.rsplit(".", 1)[-1] for n, builtin in kandidaten if builtin])
    for naam in sorted(uit):
        if not any(_is_disabled(n, {naam}) for n, _ in kandidaten):
            reg.meld(f"warning: {DISABLE_VARIABLE} names no plugin '{naam}' (installed: "
                     f"{opsomming(namen)}){bedoeld(naam, namen)}")


def _load(reg: Registry, naam: str, load: Callable[[], Any]) -> None:
    """Import one plugin and register it with pluggy, or record why it is broken."""
    assert reg.pm is not None
    try:
        with PluginCode(reg.toon(naam), "import", reg.meld):
            plugin = als_module(naam, load())
            fout = check_impls(reg.pm, plugin) or al_geladen(reg.pm, naam, plugin)
            if fout is None:
                reg.pm.register(plugin, name=naam)
    except (pluggy.PluginValidationError, ValueError) as exc:
        fout = f"pluggy refused it: {pluggy_tekst(exc)}"
    except PLUGIN_FAILURES as exc:
        _broken(reg, naam, f"failed to load: {uitzondering(exc)}", exc)
        return
    if fout is not None:
        _broken(reg, naam, f"failed to load: {fout}")
        return
    reg.plugins.append(naam)


def _broken(reg: Registry, naam: str, reason: str, exc: BaseException | None = None) -> None:
    if exc is not None:
        reg.tracebacks[naam] = "".join(traceback.format_exception(exc))
    reg.disable(naam, reason)


def _call(reg: Registry, hook: str, naam: str) -> list[_Opgave]:
    """Call one plugin's implementation of ``hook`` through pluggy; collect its registrations."""
    assert reg.pm is not None
    others = [p for n, p in reg.pm.list_name_plugin() if n != naam and p is not None]
    opgaven: list[_Opgave] = []
    klaar = False
    reg.info[naam].hooks.append(hook)

    def register(*args: Any, replaces: bool = False, **kwargs: Any) -> None:
        if klaar:  # kept and called later: not an error of kaderwerk's (so no KaderwerkError)
            raise RuntimeError(f"register called after {hook} returned; call register only "
                               f"while {hook} runs, never keep it for later")
        _poging(reg.info[naam], hook, args, kwargs)
        key, value = _CHECKS[hook](naam, *args, **kwargs)
        if hook == "register_beslisregels" and not reg.info[naam].builtin:
            check_schema(key, value)
        opgaven.append(_Opgave(hook, key, value, naam, replaces=replaces))

    try:
        with PluginCode(reg.toon(naam), hook, reg.meld):
            result = reg.pm.subset_hook_caller(hook, remove_plugins=others)(register=register)
    except PLUGIN_FAILURES as exc:
        # a PluginError is kaderwerk's check of what was registered, whose own values are cut
        # already: a limit far above its wording bounds only a text a plugin raised itself
        _broken(reg, naam, f"{hook}: {een_regel(exc, 1000)}" if isinstance(exc, PluginError)
                else f"{hook} raised {uitzondering(exc, 200)}", exc)
        return []
    finally:
        klaar = True
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
            if o.replaces:  # which kader it replaces is known once the files are read
                reg.vervangende_bronnen.append(o.value)
            continue
        vervangen = _vorige(reg, o)
        if vervangen is not None:
            if o.replaces and vervangen != o.plugin:
                info.replaces.append(f"{_SOORT[o.hook]} {o.key} of {vervangen}")
            elif not o.replaces:
                continue  # one plugin registered the name twice: the first stays
        if o.hook == "register_beslisregels":
            reg.beslisregels[o.key] = _guard(o.value, o.plugin, "regel", reg)
            reg.regel_plugins[o.key] = o.plugin
        elif o.hook == "register_readers":
            r = o.value
            reg.readers[o.key] = attrs.evolve(r, read=_guard(r.read, o.plugin, "reader", reg))
        else:
            f = o.value
            reg.formats[o.key] = attrs.evolve(f, write=_guard(f.write, o.plugin, "writer", reg,
                                                              f" of format {f.naam}"))


def _guard(fn: Any, plugin: str, wat: str, reg: Registry, waar: str = "") -> Any:
    """``fn`` itself for a builtin (its failure is a bug in kaderwerk, and ``beslis`` runs once
    per criterium and organisation); a third-party plugin's, guarded (``_plugin_guard``)."""
    if reg.info[plugin].builtin:
        return fn
    if wat == "regel":
        return guard_regel(fn, reg.toon(plugin), reg.meld)
    return guard(fn, reg.toon(plugin), wat, reg.meld, waar)


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
            groepen.setdefault((o.hook, o.key.lower()), []).append(o)
    for (hook, key), groep in groepen.items():
        namen = list(dict.fromkeys(o.plugin for o in groep))
        vervangers = {o.plugin for o in groep if o.replaces}
        yield from botsingen(reg, hook, f"{_SOORT[hook]} '{key}'", namen, vervangers).items()


def _poging(info: PluginInfo, hook: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Keep the name a plugin tries to register, before it is checked: when the plugin breaks,
    an "unknown NAME" message can still say whose the name was (``van_plugin``)."""
    eerste = args[0] if args else next(iter(kwargs.values()), None)
    if hook == "register_kaders":
        info.kader_pogingen.append(eerste)  # its kader ids are read only to word an error
        eerste = getattr(eerste, "name", None)
    if isinstance(eerste, str) and eerste:
        soort = "kader" if hook == "register_kaders" else _SOORT[hook]
        info.attempted.append(f"{soort} {eerste}")


_CHECKS: dict[str, Callable[..., tuple[str, Any]]] = {
    "register_beslisregels": check_regel, "register_kaders": check_kader,
    "register_readers": check_reader, "register_formats": check_format}


def load_commands(reg: Registry, cli: Any) -> None:
    """Call ``register_commands`` of each healthy plugin; a plugin that fails, or that adds a
    command whose name is no plain name or is taken (in any case), is disabled and its
    commands removed. Each command is guarded: its failure names the plugin (exit 4)."""
    assert reg.pm is not None
    reg.groep = cli
    for naam in list(reg.plugins):
        if naam in reg.broken or not reg.pm.has_plugin(naam):
            continue
        others = [p for n, p in reg.pm.list_name_plugin() if n != naam and p is not None]
        voor = dict(cli.commands)
        reg.info[naam].hooks.append("register_commands")
        try:
            with PluginCode(reg.toon(naam), "register_commands", reg.meld):
                reg.pm.subset_hook_caller("register_commands", remove_plugins=others)(cli=cli)
            nieuw = [c for c in cli.commands if c not in voor]
            for c in nieuw:
                check_naam(c, "command")
        except PLUGIN_FAILURES as exc:
            reg.info[naam].attempted += [f"command {c}" for c in cli.commands if c not in voor]
            cli.commands.clear()
            cli.commands.update(voor)
            _broken(reg, naam, f"register_commands: {een_regel(exc, 1000)}"
                    if isinstance(exc, PluginError)
                    else f"register_commands raised {uitzondering(exc, 200)}", exc)
            continue
        klein = {c.lower() for c in voor}
        bezet = [c for c in voor if cli.commands.get(c) is not voor[c]]
        bezet += [c for c in nieuw if c.lower() in klein]
        if bezet:
            cli.commands.clear()
            cli.commands.update(voor)
            _broken(reg, naam, f"register_commands: command '{bezet[0]}' is taken "
                    "(kaderwerk's own or another plugin's); give the command another name")
            continue
        for c in nieuw:
            guard_command(cli.commands[c], reg.toon(naam), c)
            reg.commands[c] = naam
        reg.info[naam].registered += [f"command {c}" for c in nieuw]


def warnings(reg: Registry) -> list[str]:
    """One line per broken plugin, for the end of every command's output."""
    lines = list(reg.meldingen)
    lines += [f"warning: plugin {reg.toon(naam)} is broken and disabled: {why} (see "
              "'kaderwerk plugins')" for naam, why in reg.broken.items()]
    if os.environ.get("KADERWERK_DEBUG"):
        lines += [reg.tracebacks[n].rstrip() for n in reg.broken if n in reg.tracebacks]
    return lines


def resource_path(resource: Any) -> Path | None:
    """A filesystem path for a resource when it has one (it does for installed packages)."""
    try:
        return Path(str(resource)) if Path(str(resource)).exists() else None
    except (TypeError, ValueError):
        return None
