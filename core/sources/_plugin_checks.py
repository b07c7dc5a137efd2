"""What a plugin may register, checked when it registers it.

Private to the plugin manager. Each name a plugin registers (a rule type, a format, a reader's
suffix, a command) ends up in a file name, a schema key or a command line, so it must be a plain
name; a rule type's ``SCHEMA`` is composed into the kader schema every kader file is validated
against, so it must be a valid JSON Schema whose ``$ref``s resolve there. A registration that
fails these checks raises ``PluginError``, which breaks (wholly disables) that plugin only.
Names are compared case-insensitively: ``--format JSON`` means ``json``, and ``JSON`` beside
``json`` is a collision. A plugin object itself is checked too (``check_impls``, ``al_geladen``)
and made something pluggy can hold (``als_module``).
"""

from __future__ import annotations

import inspect
import json
import re
import types
from collections.abc import Iterator
from typing import Any

import pluggy
from kaderwerk import hookspecs
from kaderwerk.domain.errors import PluginError
from kaderwerk.domain.tekst import afgekort, een_regel
from kaderwerk.domain.woorden import bedoeld

NAAM = re.compile(r"^(?=.{1,40}$)[0-9A-Za-z]+([._-][0-9A-Za-z]+)*$(?!\n)")
"""A registered name (format, rule type, command): the pattern of a kader's versie."""
SUFFIX = re.compile(r"^\.[0-9A-Za-z]{1,20}$(?!\n)")
"""A suffix a format writes or a reader reads: one dot and letters or digits."""


def check_naam(naam: Any, wat: str) -> str:
    """``naam`` when it is a plain name; else ``PluginError`` saying what a name may hold."""
    if not isinstance(naam, str) or not NAAM.match(naam):
        raise PluginError(f"{wat} name {toon(naam)} is not a plain name: use 1 to "
                          "40 letters, digits and single '.', '_' or '-' between them")
    return naam


def check_suffix(suffix: Any, wat: str) -> str:
    """``suffix`` when it is safe in a file name (``.tsv``); else ``PluginError``."""
    if not isinstance(suffix, str) or not SUFFIX.match(suffix):
        raise PluginError(f"{wat} suffix {toon(suffix)} is not a file suffix: use a "
                          "dot and 1 to 20 letters or digits, like '.tsv'")
    return suffix


def check_schema(naam: str, cls: type) -> None:
    """Refuse a rule type's ``SCHEMA`` that would make the composed kader schema unusable."""
    fragment = getattr(cls, "SCHEMA", None)
    if fragment is None:
        return
    wat = f"SCHEMA of rule type '{naam}'"
    if not isinstance(fragment, dict):
        raise PluginError(f"{wat} must be a dict (a JSON Schema), not {type(fragment).__name__}")
    try:
        json.dumps(fragment, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise PluginError(f"{wat} is not JSON data: {een_regel(exc, 120)}") from None
    import jsonschema
    from kaderwerk.sources import schema

    fout = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
        .iter_errors(fragment))
    if fout is not None:
        waar = "/".join(map(str, fout.absolute_path)) or "its top"
        raise PluginError(f"{wat} is not a valid JSON Schema (at {waar}): "
                          f"{afgekort(' '.join(fout.message.split()), 120)}")
    samen = schema.compose_kader(schema.schema("kader"), {naam: fragment})
    for ref in _refs(fragment):
        if not _resolves(samen, ref):
            raise PluginError(f"{wat} refers to {afgekort(ref)}, which is not in the kader "
                              "schema; refer to '#/$defs/...' of the kader schema only")


def _refs(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(data, list):
        for item in data:
            yield from _refs(item)


def _resolves(root: dict[str, Any], ref: str) -> bool:
    """Whether ``ref`` is a JSON pointer into ``root`` (``#`` or ``#/...``) that exists."""
    if ref == "#":
        return True
    if not ref.startswith("#/"):
        return False
    node: Any = root
    for deel in ref[2:].split("/"):
        deel = deel.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and deel in node:
            node = node[deel]
        elif isinstance(node, list) and deel.isdigit() and int(deel) < len(node):
            node = node[int(deel)]
        else:
            return False
    return True


def check_regel(plugin: str, naam: Any, cls: Any) -> tuple[str, Any]:
    from kaderwerk.domain.beslisregel import Beslisregel

    if not isinstance(naam, str) or not (isinstance(cls, type) and issubclass(cls, Beslisregel)):
        raise PluginError(f"{toon(naam)} must be a name and a Beslisregel subclass")
    check_naam(naam, "rule type")
    eigen = getattr(cls, "type", None)
    if eigen != naam:  # kader files, show, diff and the schema all use the class's own name
        raise PluginError(f"rule type '{naam}' is class {cls.__name__}, "
                          f"whose type is {toon(eigen)}; register it as that or set "
                          f"type = {naam!r} in the class")
    for attr in ("telt_alleen", "handmatig"):
        if not isinstance(getattr(cls, attr, False), bool):
            raise PluginError(f"rule type '{naam}': {attr} must be True or False, not "
                              f"{toon(getattr(cls, attr))}")
    velden = getattr(cls, "VELDEN", ())
    if not (isinstance(velden, tuple) and all(isinstance(v, str) for v in velden)):
        raise PluginError(f"rule type '{naam}': VELDEN must be a tuple of field names, not "
                          f"{toon(velden)}")
    return naam, cls


def check_kader(plugin: str, resource: Any) -> tuple[str, Any]:
    if not hasattr(resource, "is_dir") or not hasattr(resource, "name"):
        raise PluginError(f"{toon(resource)} is not a path or resource")
    if not (resource.is_dir() or resource.is_file()):
        raise PluginError(f"{een_regel(resource, 120)} does not exist")
    return resource.name, resource


def check_reader(plugin: str, suffix: Any, read: Any, naam: str = "") -> tuple[str, Any]:
    from kaderwerk.sources.manager import Reader

    if not callable(read):
        raise PluginError(f"need a suffix like '.csv' and a callable, got "
                          f"{toon(suffix)}, {toon(read)}")
    check_suffix(suffix, "reader")
    if not isinstance(naam, str):
        raise PluginError(f"reader {suffix}: its name must be a text, not {type(naam).__name__}")
    return suffix.lower(), Reader(suffix.lower(), read, naam or suffix, plugin)


def check_format(plugin: str, naam: Any, write: Any, suffix: Any) -> tuple[str, Any]:
    from kaderwerk.sources.manager import Format

    if not callable(write):
        raise PluginError(f"need a name, a callable and a suffix, got {toon(naam)}, "
                          f"{toon(write)}, {toon(suffix)}")
    check_naam(naam, "format")
    check_suffix(suffix, f"format {naam}")
    return naam.lower(), Format(naam, write, suffix, plugin)


def pluggy_tekst(exc: BaseException) -> str:
    """pluggy's error, which may hold a dict of every plugin, as one short line."""
    return een_regel(exc, 160)


def toon(value: Any) -> str:
    """A value a plugin passed, quoted on one line, however odd its ``__repr__``."""
    return een_regel(value, 60, als_repr=True)


_HOOKS = ("register_beslisregels", "register_kaders", "register_readers", "register_formats",
          "register_commands")


def als_module(naam: str, plugin: Any) -> Any:
    """A plugin object pluggy can hold: a module or class as it is; any other object (a
    ``SimpleNamespace`` of hook functions, an instance) copied into a module, since pluggy
    keeps plugins in sets and an unhashable one would break every other plugin's hooks."""
    if isinstance(plugin, (types.ModuleType, type)):
        return plugin
    module = types.ModuleType(naam)
    for attr in dir(plugin):
        if not attr.startswith("__"):
            setattr(module, attr, getattr(plugin, attr))
    return module


def al_geladen(pm: pluggy.PluginManager, naam: str, plugin: Any) -> str | None:
    """Why ``plugin`` cannot be registered as ``naam``: the name or the module is taken."""
    if pm.has_plugin(naam):
        return (f"two plugins are named {naam} (entry points of two distributions), so "
                "neither is loaded; uninstall one of them")
    ander = pm.get_name(plugin)
    if ander is not None:
        return (f"it is the same module as plugin {ander} (two entry points name one module); "
                "remove one of the entry points")
    return None


def check_impls(pm: pluggy.PluginManager, plugin: Any) -> str | None:
    """Why pluggy would accept ``plugin`` but kaderwerk would silently ignore part of it: a hook
    implementation of a hook that does not exist (a typo), an argument the hook does not pass,
    a hook function without ``@hookimpl``, or a wrapper (each plugin's hook runs on its own)."""
    for attr in dir(plugin):
        opts = pm.parse_hookimpl_opts(plugin, attr)
        if opts is None:
            if attr in _HOOKS and callable(getattr(plugin, attr, None)):
                return (f"{attr} is not marked as a hook implementation: decorate it with "
                        "@hookimpl (from kaderwerk.api import hookimpl)")
            continue
        hook = opts.get("specname") or attr
        if hook not in _HOOKS:
            if opts.get("optionalhook"):
                continue
            return f"unknown hook {hook}{bedoeld(hook, _HOOKS)}"
        if opts.get("hookwrapper") or opts.get("wrapper"):
            return (f"{hook} is a hook wrapper; kaderwerk calls each plugin's hooks on their "
                    "own, so there is nothing to wrap: drop hookwrapper/wrapper")
        gegeven = list(inspect.signature(getattr(hookspecs, hook)).parameters)
        extra = [a for a in _nodig(getattr(plugin, attr)) if a not in gegeven]
        if extra:
            return (f"{hook} takes {', '.join(map(repr, extra))}, which the hook does not "
                    f"pass (it passes {', '.join(gegeven)})")
    return None


def _nodig(fn: Any) -> list[str]:
    """The arguments a hook function needs (those without a default), as pluggy passes them."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []  # pluggy's own validation then decides
    return [p.name for p in params if p.default is p.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
