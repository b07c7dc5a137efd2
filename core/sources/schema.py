"""Access to the bundled JSON Schemas, and validation errors in words an author understands.

jsonschema reports errors as JSON paths and validator names; an author needs the line in the
YAML file and a sentence saying what to change. This module does that translation once, for
kaders, datasets, beoordelingen and uitkomsten alike.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from kaderwerk.domain.errors import Problem
from kaderwerk.domain.tekst import afgekort
from kaderwerk.sources import _schemasnel
from kaderwerk.sources.yamlsource import Document

SCHEMA_FILES = ("kader", "dataset", "beoordeling", "uitkomst", "voorbeelden")


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The bundled schema ``<name>.schema.json``."""
    text = resources.files("kaderwerk.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@functools.cache
def _validator(name: str) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (schema(n)["$id"], Resource.from_contents(schema(n)))
        for n in SCHEMA_FILES
        if resources.files("kaderwerk.schemas").joinpath(f"{n}.schema.json").is_file()
    )
    cls = jsonschema.Draft202012Validator
    return cls(schema(name), registry=registry, format_checker=cls.FORMAT_CHECKER)


def validate(name: str, doc: Document, data: Any = None, base: tuple = (), *,
             root: Mapping[str, Any] | None = None) -> list[Problem]:
    """Problems of ``data`` (default: the whole document) against schema ``name``.

    ``_schemasnel`` answers first: exactly as jsonschema would, about 150 times faster, without
    importing it. jsonschema only words the errors of a document that answer rejects, and of a
    long list (a beoordelingen file's ``organisaties``) only the items that are rejected.
    ``root`` replaces the bundled schema by a composed one (``kader_schema``).
    """
    instance = doc.data if data is None else data
    if root is None or root is schema(name):
        check, root = _schemasnel.gebundeld(name), None
    else:
        check = _samengesteld(json.dumps(root, sort_keys=True))
    if _geldig(check, instance):
        return []
    # one problem once: jsonschema reaches the same one through several branches
    return list(dict.fromkeys(p for err, pad in _fouten(name, instance, root)
                              for p in _explain(err, doc, (*base, *pad))))


def kader_schema(rule_types: Mapping[str, type]) -> dict[str, Any]:
    """The kader schema with the ``SCHEMA`` of every rule type in ``rule_types``.

    Each rule type owns its schema (``Beslisregel.SCHEMA``): under ``$defs`` by its name, and
    selected by a branch of the ``beslisregel`` definition's ``allOf`` on ``type``.
    ``schemas/kader.schema.json`` is this composition for the builtin rule types (a test keeps
    it so), for editors; when the installed types compose to it, it is returned itself.
    """
    root = schema("kader")
    fragments = {n: s for n, cls in rule_types.items()
                 if (s := getattr(cls, "SCHEMA", None)) is not None}
    samen = compose_kader(root, fragments)
    return root if samen == root else samen


def rule_type_branches(root: Mapping[str, Any]) -> dict[str, str]:
    """Rule type name -> its ``$defs`` key, from the ``beslisregel`` definition's branches."""
    return {tak["if"]["properties"]["type"]["const"]: tak["then"]["$ref"].rsplit("/", 1)[1]
            for tak in root["$defs"]["beslisregel"].get("allOf", [])}


def compose_kader(root: Mapping[str, Any],
                  fragments: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``root`` with each rule type's schema fragment in place (added or replaced)."""
    defs = dict(root["$defs"])
    regel = defs["beslisregel"]
    takken = list(regel.get("allOf", []))
    bestaand = rule_type_branches(root)
    for naam, fragment in fragments.items():
        key = bestaand.get(naam)
        if key is None:
            key = naam if naam not in defs else f"regeltype_{naam}"
            takken.append({"if": {"properties": {"type": {"const": naam}}, "required": ["type"]},
                           "then": {"$ref": f"#/$defs/{key}"}})
        defs[key] = dict(fragment)
    return {**root, "$defs": {**defs, "beslisregel": {**regel, "allOf": takken}}}


@functools.cache
def _samengesteld(tekst: str) -> Any:
    """The compiled checker of a composed schema (kept per distinct schema)."""
    folder = resources.files("kaderwerk.schemas")
    registry = {schema(n)["$id"]: schema(n) for n in SCHEMA_FILES
                if folder.joinpath(f"{n}.schema.json").is_file()}
    return _schemasnel.compileer(json.loads(tekst), registry)


def _geldig(check: Any, instance: Any) -> bool:
    """The fast answer; False (ask jsonschema) when there is none, or when it raised: it raises
    where jsonschema does (e.g. ``minimum`` on a value that is no real number)."""
    try:
        return check is not None and check(instance)
    except Exception:
        return False


def _fouten(name: str, instance: Any,
            root: Mapping[str, Any] | None = None) -> Iterator[tuple[Any, tuple]]:
    """jsonschema's errors, each with the path its error's path is relative to."""
    validator = _validator(name)
    if root is not None:
        # a new validator, not evolve(): the root's "#/$defs/..." must resolve in the composed
        # schema, which has the bundled schema's $id
        composed = type(validator)(root, registry=validator._registry,
                                   format_checker=validator.format_checker)
        yield from ((err, ()) for err in composed.iter_errors(instance))
        return
    lijsten = _lijsten(name) if isinstance(instance, dict) else {}
    if not lijsten:
        yield from ((err, ()) for err in validator.iter_errors(instance))
        return
    root = schema(name)
    skelet = {**root, "properties": {
        k: {kk: vv for kk, vv in sub.items() if kk != "items"} if k in lijsten else sub
        for k, sub in root["properties"].items()}}
    yield from ((err, ()) for err in validator.evolve(schema=skelet).iter_errors(instance))
    for key, items_schema in lijsten.items():
        items = instance.get(key)
        if not isinstance(items, list):
            continue
        check = _schemasnel.compileer(items_schema)
        per_item = validator.evolve(schema=items_schema)
        for i, item in enumerate(items):
            if not _geldig(check, item):
                yield from ((err, (key, i)) for err in per_item.iter_errors(item))


@functools.cache
def _lijsten(name: str) -> dict[str, Any]:
    """Top-level properties of schema ``name`` whose list items can be checked one by one.

    That is, where the root only says which properties there are, and the list's schema only
    its type, length and a self-contained ``items`` schema; then the document's errors are
    those of the document without ``items``, plus those of each item on its own, in the order
    jsonschema gives them.
    """
    root = schema(name)
    if root.get("type") != "object" or not set(root) <= {
            "$schema", "$id", "title", "description", "type", "additionalProperties",
            "required", "properties"}:
        return {}
    return {k: sub["items"] for k, sub in root.get("properties", {}).items()
            if isinstance(sub, dict) and isinstance(sub.get("items"), dict)
            and set(sub) <= {"type", "items", "minItems", "description", "title"}
            and '"$ref"' not in json.dumps(sub["items"])}


def _explain(err: Any, doc: Document, base: tuple) -> Iterator[Problem]:
    path = (*base, *err.absolute_path)
    v = err.validator
    if v in ("oneOf", "anyOf") and err.context:
        if _is_kader_root(err, path):
            yield doc.problem("a kader has either 'themas' (its own) or 'basis' (an overlay on "
                              "another kader), not both and not neither", path)
            return
        passend = _passende_tak(err.context)
        if passend:  # the one alternative of the value's own type: what is wrong inside it
            for sub in passend:
                yield from _explain(sub, doc, base)
            return
        import jsonschema

        best = jsonschema.exceptions.best_match(err.context)
        yield from _explain(best, doc, base)
        return
    if v == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
        for k in extra:
            hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
            close = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
            mean = f" (did you mean '{close[0]}'?)" if close else ""
            yield doc.problem(f"unknown key '{k}'{mean}{hint}", (*path, k), key=True)
        return
    if v == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        for k in missing:
            yield doc.problem(f"missing required key '{k}'{_where(path)}", path)
        return
    if v in ("if", "then", "allOf"):
        return
    yield doc.problem(_sentence(err, path, doc.source(path)), path)


def _passende_tak(context: Any) -> list[Any]:
    """The errors of the one alternative whose type the value has; [] when not exactly one."""
    takken: dict[Any, list[Any]] = {}
    for sub in context:
        takken.setdefault(sub.relative_schema_path[0], []).append(sub)
    passend = [fouten for fouten in takken.values()
               if not any(not f.relative_path and _ander_type(f) for f in fouten)]
    return passend[0] if len(passend) == 1 else []


def _ander_type(err: Any) -> bool:
    """Whether ``err`` says the value is of another type than its alternative wants."""
    if err.validator == "type":
        return True
    if err.validator in ("enum", "const"):
        waarden = err.validator_value if err.validator == "enum" else [err.validator_value]
        return not any(type(w) is type(err.instance) for w in waarden)
    return False


def _is_kader_root(err: Any, path: tuple) -> bool:
    return not path and isinstance(err.instance, dict) and "oordeelschaal" in err.instance


def _where(path: tuple) -> str:
    return f" in {_dotted(path)}" if path else ""


def _dotted(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


_TYPES = {"string": "text", "integer": "a whole number", "number": "a number",
          "boolean": "true or false", "array": "a list", "object": "a mapping (key: value)",
          "null": "null"}


def _sentence(err: Any, path: tuple, geschreven: str | None = None) -> str:
    """The problem in words; ``geschreven`` is the value as the author typed it, if known."""
    v, val, inst = err.validator, err.validator_value, err.instance
    field = f"'{_dotted(path)}'" if path else "the document"
    if v == "type":
        wanted = " or ".join(_TYPES.get(t, t) for t in ([val] if isinstance(val, str) else val))
        got = type(inst).__name__
        hint = ""
        if "string" in (val if isinstance(val, list) else [val]) and isinstance(
                inst, (int, float)) and not isinstance(inst, bool):
            # the author's characters: 1.10 parses as the number 1.1, and "1.1" would be wrong
            hint = f'; write it in quotes: "{geschreven or inst}"'
        shown = geschreven if geschreven and hint else _show(inst)
        return f"{field} must be {wanted}, not {shown} ({got}){hint}"
    if v == "enum":
        return f"{field} must be one of {', '.join(map(str, val))}; got {_show(inst)}"
    if v == "const":
        return f"{field} must be {_show(val)}; got {_show(inst)}"
    if v == "pattern":
        if val == r"\S":
            return f"{field} must not be empty"
        uitleg = err.schema.get("description") if isinstance(err.schema, dict) else None
        if uitleg:
            return f"{field} has the wrong form: {_show(inst)}; {uitleg}"
        return f"{field} has the wrong form: {_show(inst)} does not match {val}"
    if v in ("minItems", "minProperties"):
        return f"{field} must not be empty" if val == 1 else f"{field} needs at least {val} items"
    if v == "minLength":
        return f"{field} must not be empty"
    if v == "uniqueItems":
        return f"{field} has duplicate entries"
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return f"{field} must be {word} {val}; got {_show(inst)}"
    if v == "format":
        return f"{field} is not a valid {val}: {_show(inst)}"
    if v == "not" and "gelijk" in json.dumps(val):
        return f"{field}: 'gelijk' cannot be combined with 'min' or 'max'"
    return f"{field}: {err.message}"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return afgekort(text)
