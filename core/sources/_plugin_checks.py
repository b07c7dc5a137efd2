"""What a plugin may register, checked when it registers it.

Private to the plugin manager. Each name a plugin registers (a rule type, a format, a reader's
suffix, a command) ends up in a file name, a schema key or a command line, so it must be a plain
name; a rule type's ``SCHEMA`` is composed into the kader schema every kader file is validated
against, so it must be a valid JSON Schema whose ``$ref``s resolve there. A registration that
fails these checks raises ``PluginError``, which breaks (wholly disables) that plugin only.
Names are compared case-insensitively: ``--format JSON`` means ``json``, and ``JSON`` beside
``json`` is a collision.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from kaderwerk.domain.errors import PluginError
from kaderwerk.domain.tekst import afgekort

NAAM = re.compile(r"^(?=.{1,40}$)[0-9A-Za-z]+([._-][0-9A-Za-z]+)*$(?!\n)")
"""A registered name (format, rule type, command): the pattern of a kader's versie."""
SUFFIX = re.compile(r"^\.[0-9A-Za-z]{1,20}$(?!\n)")
"""A suffix a format writes or a reader reads: one dot and letters or digits."""


def check_naam(naam: Any, wat: str) -> str:
    """``naam`` when it is a plain name; else ``PluginError`` saying what a name may hold."""
    if not isinstance(naam, str) or not NAAM.match(naam):
        raise PluginError(f"{wat} name {afgekort(repr(naam))} is not a plain name: use 1 to "
                          "40 letters, digits and single '.', '_' or '-' between them")
    return naam


def check_suffix(suffix: Any, wat: str) -> str:
    """``suffix`` when it is safe in a file name (``.tsv``); else ``PluginError``."""
    if not isinstance(suffix, str) or not SUFFIX.match(suffix):
        raise PluginError(f"{wat} suffix {afgekort(repr(suffix))} is not a file suffix: use a "
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
        raise PluginError(f"{wat} is not JSON data: {afgekort(str(exc), 120)}") from None
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
        raise PluginError(f"{afgekort(repr(naam))} must be a name and a Beslisregel subclass")
    check_naam(naam, "rule type")
    eigen = getattr(cls, "type", None)
    if eigen != naam:  # kader files, show, diff and the schema all use the class's own name
        raise PluginError(f"rule type '{naam}' is class {cls.__name__}, "
                          f"whose type is {afgekort(repr(eigen))}; register it as that or set "
                          f"type = {naam!r} in the class")
    for attr in ("telt_alleen", "handmatig"):
        if not isinstance(getattr(cls, attr, False), bool):
            raise PluginError(f"rule type '{naam}': {attr} must be True or False, not "
                              f"{afgekort(repr(getattr(cls, attr)))}")
    velden = getattr(cls, "VELDEN", ())
    if not (isinstance(velden, tuple) and all(isinstance(v, str) for v in velden)):
        raise PluginError(f"rule type '{naam}': VELDEN must be a tuple of field names, not "
                          f"{afgekort(repr(velden))}")
    return naam, cls


def check_kader(plugin: str, resource: Any) -> tuple[str, Any]:
    if not hasattr(resource, "is_dir") or not hasattr(resource, "name"):
        raise PluginError(f"{afgekort(repr(resource))} is not a path or resource")
    if not (resource.is_dir() or resource.is_file()):
        raise PluginError(f"{afgekort(str(resource), 120)} does not exist")
    return resource.name, resource


def check_reader(plugin: str, suffix: Any, read: Any, naam: str = "") -> tuple[str, Any]:
    from kaderwerk.sources.manager import Reader

    if not callable(read):
        raise PluginError(f"need a suffix like '.csv' and a callable, got "
                          f"{afgekort(repr(suffix))}, {afgekort(repr(read))}")
    check_suffix(suffix, "reader")
    if not isinstance(naam, str):
        raise PluginError(f"reader {suffix}: its name must be a text, not {type(naam).__name__}")
    return suffix.lower(), Reader(suffix.lower(), read, naam or suffix, plugin)


def check_format(plugin: str, naam: Any, write: Any, suffix: Any) -> tuple[str, Any]:
    from kaderwerk.sources.manager import Format

    if not callable(write):
        raise PluginError(f"need a name, a callable and a suffix, got {afgekort(repr(naam))}, "
                          f"{afgekort(repr(write))}, {afgekort(repr(suffix))}")
    check_naam(naam, "format")
    check_suffix(suffix, f"format {naam}")
    return naam.lower(), Format(naam, write, suffix, plugin)


def pluggy_tekst(exc: BaseException) -> str:
    """pluggy's error, which may hold a dict of every plugin, as one short line."""
    return afgekort(" ".join(str(exc).split()), 160)
