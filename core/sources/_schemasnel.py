"""Fast, exact yes/no validation against a JSON Schema, so jsonschema is only needed for errors.

jsonschema costs about 450 µs per organisation of a beoordelingen file and 0.2 s to import,
while almost every document is valid. ``compileer`` turns a schema into Python closures that
answer exactly what ``Draft202012Validator(schema, format_checker=FORMAT_CHECKER).is_valid``
answers, 20 to 150 times faster and without importing jsonschema; the caller asks jsonschema
only to word the errors of a document the closures reject. ``gebundeld(name)`` is the cached
checker of a bundled schema.

Exact means jsonschema's semantics, not the specification's where they differ: bool is neither
"integer" nor "number"; 1.0 is an "integer"; enum, const and uniqueItems compare as
``jsonschema._utils.equal`` (1 == 1.0, but True != 1 and False != 0, also nested); pattern is
Python's ``re.search``; lengths count code points; keywords ignore instances of other types.
Plain JSON values (dict, list, str, int, float, bool, None) are classified by ``type(x)`` for
speed; anything else (a subclass, Decimal, any object) by jsonschema's isinstance tests, on a
slower path, raising where jsonschema raises (minimum on a complex number).

It never guesses, and does only what the bundled schemas use: a schema with (anywhere inside)
another keyword, a keyword value of an unexpected kind, a ``$ref`` it cannot resolve, a nested
``$id`` or a ``$schema`` other than Draft 2020-12 gives None, and the caller falls back to
jsonschema. Supported: type, enum, const; properties, additionalProperties, required,
propertyNames, minProperties; items, minItems, uniqueItems; minLength, pattern, format "date";
minimum, maximum; allOf, anyOf, oneOf, not, if/then/else; $ref, $defs; annotations ($schema,
a root's $id, $comment, title, description, default, examples, deprecated, readOnly, writeOnly,
contentEncoding, contentMediaType) are ignored. A bundled schema using more makes a test fail:
add the keyword here, with its traps and tests.

``$ref`` resolves as ``referencing`` does: against the $id of its document ("" without one), to
a whole document or a JSON pointer through objects. Other documents come from ``registry`` ($id
-> schema, as jsonschema's ``Registry``); one that is referenced is compiled whole, and one with
a nested ``$id``/``$anchor``/``$dynamicAnchor`` gives None, as referencing would register those.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Any

Checker = Callable[[Any], bool]

__all__ = ["compileer", "gebundeld"]

DIALECTS = frozenset({"https://json-schema.org/draft/2020-12/schema",
                      "https://json-schema.org/draft/2020-12/schema#"})
_KEYWORDS = frozenset({
    "$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated",
    "readOnly", "writeOnly", "contentEncoding", "contentMediaType",  # annotations
    "$defs", "$ref", "type", "enum", "const", "allOf", "anyOf", "oneOf", "not", "if", "then",
    "else", "properties", "additionalProperties", "required", "propertyNames", "minProperties",
    "items", "minItems", "uniqueItems", "minLength", "pattern", "format", "minimum", "maximum",
})
_NONE = type(None)
_PLAIN = frozenset({dict, list, str, int, float, bool, _NONE})
# The JSON types of each kind of value: the plain types, "number" for other numbers (Decimal,
# complex, ...) and None for what has no JSON type. A float is an "integer" when integral.
_TYPES: dict[Any, frozenset[str]] = {kind: frozenset(names) for kind, names in [
    (dict, ["object"]), (list, ["array"]), (str, ["string"]), (int, ["integer", "number"]),
    (float, ["number"]), ("number", ["number"]), (bool, ["boolean"]), (_NONE, ["null"]),
    (None, [])]}
_TYPE_NAMES = frozenset().union(*_TYPES.values())
_MEMO = 100_000  # property names that passed propertyNames, remembered per schema


class _Unsupported(Exception):
    """The schema needs something this module does not do exactly: fall back to jsonschema."""


def compileer(schema: Mapping[str, Any] | bool,
              registry: Mapping[str, Mapping[str, Any]] | None = None) -> Checker | None:
    """A checker answering as jsonschema's ``is_valid``, or None outside the supported subset.

    That is ``Draft202012Validator(schema, registry=..., format_checker=FORMAT_CHECKER)``, where
    ``registry`` maps the $id of other schema documents to the documents, for a ``$ref`` to
    another file (e.g. ``"kader.schema.json#/$defs/bron"``).
    """
    try:
        compiler = _Compiler(schema, registry or {})
        return compiler.node(schema, compiler.base)
    except (_Unsupported, RecursionError):
        return None


@functools.cache
def gebundeld(name: str) -> Checker | None:
    """The cached checker of bundled schema ``name``; all bundled schemas are its registry."""
    from importlib import resources

    from kaderwerk.sources.schema import SCHEMA_FILES, schema

    folder = resources.files("kaderwerk.schemas")
    registry = {schema(n)["$id"]: schema(n) for n in SCHEMA_FILES
                if folder.joinpath(f"{n}.schema.json").is_file()}
    return compileer(schema(name), registry)


# -- jsonschema's equality (jsonschema._utils equal, unbool, uniq) and its classification -----

def _equal(one: Any, two: Any) -> bool:
    """Equal as JSON values: True is not 1, False is not 0, also inside lists and mappings."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(map(_equal, one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and _equal(value, two[key]) for key, value in one.items())
    return _unbool(one) == _unbool(two)


_TRUE, _FALSE = object(), object()


def _unbool(element: Any) -> Any:
    return _TRUE if element is True else _FALSE if element is False else element


def _unique(container: Any) -> bool:
    """jsonschema's uniqueItems test, including its sort-then-compare-neighbours shortcut."""
    if set(map(type, container)) <= {str}:
        return len(set(container)) == len(container)
    try:
        sort = sorted(_unbool(i) for i in container)
        return not any(_equal(i, j) for i, j in pairwise(sort))
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for e in map(_unbool, container):
            if any(_equal(i, e) for i in seen):
                return False
            seen.append(e)
    return True


def _kind(x: Any) -> Any:
    """The key in ``_TYPES`` of a value of no plain type, by jsonschema's isinstance tests."""
    import numbers

    kinds = [t for t in (dict, list, str, int, float) if isinstance(x, t)]  # bool, None: final
    return kinds[0] if kinds else "number" if isinstance(x, numbers.Number) else None


_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(s: str) -> bool:
    """jsonschema's "date" format; its ValueError means "not a date"."""
    from datetime import date

    try:
        return bool(_RE_DATE.fullmatch(s) and date.fromisoformat(s))
    except ValueError:
        return False


# -- combinators -------------------------------------------------------------------------------

def _always(x: Any) -> bool:
    return True


def _never(x: Any) -> bool:
    return False


def _all(fns: list[Checker]) -> Checker:
    fns = [f for f in fns if f is not _always]
    if _never in fns or len(fns) <= 1:
        return _never if _never in fns else fns[0] if fns else _always
    if len(fns) == 2:
        a, b = fns
        return lambda x: a(x) and b(x)
    tup = tuple(fns)
    return lambda x: all(f(x) for f in tup)


def _any(fns: list[Checker]) -> Checker:
    tup = tuple(f for f in fns if f is not _never)
    if _always in tup or len(tup) <= 1:
        return _always if _always in tup else tup[0] if tup else _never
    return lambda x: any(f(x) for f in tup)


def _one(fns: list[Checker]) -> Checker:
    """oneOf: like jsonschema, every subschema is tried, also after a second one matched."""
    tup = tuple(f for f in fns if f is not _never)
    if len(tup) <= 1:
        return tup[0] if tup else _never
    return lambda x: sum(1 for f in tup if f(x)) == 1


def _enum(enums: list[Any]) -> Checker:
    """enum (and const, a one-value enum): a str is looked up in a set, others compared."""
    texts = frozenset(e for e in enums if type(e) is str)
    return lambda x: x in texts if type(x) is str else any(_equal(e, x) for e in enums)


def _by_type(types: frozenset[str] | None, parts: dict[Any, Checker], rest: Checker) -> Checker:
    """One checker from the type, the checks per kind of value, and those for every value.

    Its ``_snel_types`` are the plain types it always accepts: a caller can test many values at
    once, at C speed, with ``set(map(type, values)) <= _snel_types``.
    """
    table: dict[Any, Checker] = {}
    for kind, names in _TYPES.items():
        ok = types is None or not types.isdisjoint(names)
        integral = kind is float and types is not None and not ok and "integer" in types
        table[kind] = _all([(lambda x: x.is_integer()) if integral else _always,
                            parts.get(kind, _always), rest]) if ok or integral else _never
    for same in (_always, _never):
        if all(f is same for f in table.values()):
            return same
    get = {t: table[t] for t in _PLAIN}.get

    def dispatch(x: Any) -> bool:
        f = get(type(x))
        return f(x) if f is not None else table[_kind(x)](x)

    dispatch._snel_types = frozenset(t for t in _PLAIN if table[t] is _always)  # type: ignore
    return dispatch


# -- the compiler ------------------------------------------------------------------------------

def _plain_json(value: Any) -> bool:
    t = type(value)
    if t is dict:
        return all(type(k) is str and _plain_json(v) for k, v in value.items())
    return all(map(_plain_json, value)) if t is list else t in _PLAIN


def _number(s: Mapping[str, Any], keyword: str) -> Any:
    if type(s[keyword]) not in (int, float):
        raise _Unsupported(f"{keyword}: {s[keyword]!r}")
    return s[keyword]


def _strings(s: Mapping[str, Any], keyword: str) -> list[str]:
    if type(s[keyword]) is not list or not all(type(v) is str for v in s[keyword]):
        raise _Unsupported(f"{keyword}: {s[keyword]!r}")
    return s[keyword]


def _nested_ids(value: Any, top: bool = False) -> bool:
    """Whether a registry document has an $id or anchor below its root (conservatively)."""
    if isinstance(value, Mapping):
        if not top and any(k in value for k in ("$id", "$anchor", "$dynamicAnchor")):
            return True
        return any(_nested_ids(v) for v in value.values())
    return isinstance(value, list) and any(_nested_ids(v) for v in value)


class _Compiler:
    def __init__(self, root: Any, registry: Mapping[str, Any]) -> None:
        self.docs: dict[str, Any] = {}
        for uri, doc in registry.items():
            if not isinstance(uri, str) or _nested_ids(doc, top=True):
                raise _Unsupported("registry")
            self.docs[uri.rstrip("#")] = doc
        self.base = ""
        if isinstance(root, Mapping) and "$id" in root:
            if not isinstance(root["$id"], str) or "#" in root["$id"].rstrip("#"):
                raise _Unsupported("$id")
            self.base = root["$id"].rstrip("#")
        self.docs[self.base] = root
        self.roots = {id(d) for d in self.docs.values()}
        self.compiled_docs = {self.base}
        self.done: dict[tuple[str, int], Checker] = {}
        self.busy: set[tuple[str, int]] = set()  # being compiled

    def node(self, schema: Any, base: str) -> Checker:
        key = (base, id(schema))
        if key not in self.done:
            if key in self.busy:  # no bundled schema is recursive
                raise _Unsupported("recursive $ref")
            self.busy.add(key)  # (every schema lives in self.docs, so its id stays its own)
            self.done[key] = self.build(schema, base)
        return self.done[key]

    def resolve(self, ref: Any, base: str) -> tuple[Any, str]:
        """As referencing's ``Resolver.lookup``: the schema ``ref`` points to, and its base."""
        from urllib.parse import unquote, urldefrag, urljoin

        if not isinstance(ref, str):
            raise _Unsupported("$ref")
        uri, fragment = (base, ref[1:]) if ref.startswith("#") else urldefrag(urljoin(base, ref))
        uri = uri.rstrip("#")
        if uri not in self.docs or (fragment and not fragment.startswith("/")):
            raise _Unsupported(f"$ref {ref!r}")  # an unknown document, or an anchor
        contents = self.docs[uri]
        if uri not in self.compiled_docs:  # the whole document must be supported
            self.compiled_docs.add(uri)
            self.node(contents, uri)
        for segment in unquote(fragment).split("/")[1:]:
            segment = segment.replace("~1", "/").replace("~0", "~")
            if not isinstance(contents, Mapping) or segment not in contents:
                raise _Unsupported(f"$ref {ref!r}")
            contents = contents[segment]
        return contents, uri

    def build(self, s: Any, base: str) -> Checker:
        if s is True or s is False:
            return _always if s else _never
        if not isinstance(s, Mapping) or not set(s) <= _KEYWORDS:
            raise _Unsupported(f"schema {s!r}")
        if "$schema" in s and (type(s["$schema"]) is not str or s["$schema"] not in DIALECTS):
            raise _Unsupported("$schema")
        if "$id" in s and id(s) not in self.roots:
            raise _Unsupported("nested $id")
        for sub in self.schema_map(s, "$defs").values():  # unused ones must be supported too
            self.node(sub, base)
        types = None
        if "type" in s:
            types = frozenset([s["type"]] if type(s["type"]) is str else _strings(s, "type"))
            if not types <= _TYPE_NAMES:
                raise _Unsupported(f"type {s['type']!r}")
        number = _number_part(s)
        parts = {dict: self.object_part(s, base), list: self.array_part(s, base),
                 str: _string_part(s), int: number, float: number, "number": number}
        return _by_type(types, parts, _all(self.any_parts(s, base)))

    def schema_map(self, s: Mapping[str, Any], keyword: str) -> Mapping[str, Any]:
        value = s.get(keyword, {})
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise _Unsupported(keyword)
        return value

    def schema_list(self, s: Mapping[str, Any], keyword: str, base: str) -> list[Checker]:
        if type(s[keyword]) is not list:
            raise _Unsupported(keyword)
        return [self.node(v, base) for v in s[keyword]]

    def any_parts(self, s: Mapping[str, Any], base: str) -> list[Checker]:
        """The checks of the keywords that apply to instances of every type."""
        parts: list[Checker] = []
        if "$ref" in s:
            parts.append(self.node(*self.resolve(s["$ref"], base)))
        for k in ("enum", "const"):
            if k in s and not (_plain_json(s[k]) and (k == "const" or type(s[k]) is list)):
                raise _Unsupported(k)
        if "enum" in s:
            parts.append(_enum(s["enum"]))
        if "const" in s:
            parts.append(_enum([s["const"]]))
        if "allOf" in s:
            parts.append(_all(self.schema_list(s, "allOf", base)))
        if "anyOf" in s:
            parts.append(_any(self.schema_list(s, "anyOf", base)))
        if "oneOf" in s:
            parts.append(_one(self.schema_list(s, "oneOf", base)))
        if "not" in s:
            inner = self.node(s["not"], base)
            parts.append(lambda x: not inner(x))
        # then and else are compiled even without if: they must be supported anyway
        then = self.node(s["then"], base) if "then" in s else _always
        other = self.node(s["else"], base) if "else" in s else _always
        if "if" in s:
            cond = self.node(s["if"], base)
            parts.append(lambda x: then(x) if cond(x) else other(x))
        return parts

    def object_part(self, s: Mapping[str, Any], base: str) -> Checker:
        props = self.schema_map(s, "properties")
        names = frozenset(props)
        checks = {k: c for k, v in props.items() if (c := self.node(v, base)) is not _always}
        extra = self.node(s["additionalProperties"], base) if "additionalProperties" in s else None
        closed = names if extra is _never else None
        if extra is _never or extra is _always:
            extra = None
        fast = getattr(extra, "_snel_types", None)
        req = frozenset(_strings(s, "required")) if "required" in s else None
        names_of = self.node(s["propertyNames"], base) if "propertyNames" in s else _always
        good: set[str] = set()
        minp = _number(s, "minProperties") if "minProperties" in s else None
        if not (checks or extra or closed is not None or req or names_of is not _always
                or minp is not None):
            return _always
        items = tuple(checks.items())

        def obj(x: Any) -> bool:
            keys = x.keys()
            if ((req and not keys >= req) or (closed is not None and not keys <= closed)
                    or (minp is not None and len(x) < minp)):
                return False
            if names_of is not _always and not keys <= good:
                for k in keys:
                    if k not in good:
                        if not names_of(k):
                            return False
                        if type(k) is str and len(good) < _MEMO:
                            good.add(k)
            for k, c in items:
                if k in x and not c(x[k]):
                    return False
            if extra is not None:
                if not names:
                    values = x.values()
                    return (fast is not None and set(map(type, values)) <= fast
                            ) or all(map(extra, values))
                for k, v in x.items():
                    if k not in names and not extra(v):
                        return False
            return True

        return obj

    def array_part(self, s: Mapping[str, Any], base: str) -> Checker:
        item = self.node(s["items"], base) if "items" in s else _always
        fast = getattr(item, "_snel_types", None)
        mini = _number(s, "minItems") if "minItems" in s else None
        unique = s.get("uniqueItems", False)
        if type(unique) is not bool:
            raise _Unsupported("uniqueItems")
        if item is _always and mini is None and not unique:
            return _always

        def arr(x: Any) -> bool:
            if mini is not None and len(x) < mini:
                return False
            if (item is not _always and (fast is None or not set(map(type, x)) <= fast)
                    and not all(map(item, x))):
                return False
            return not unique or _unique(x)

        return arr


def _string_part(s: Mapping[str, Any]) -> Checker:
    preds: list[Checker] = []
    if "minLength" in s:
        least = _number(s, "minLength")
        preds.append(lambda x: len(x) >= least)
    if "pattern" in s:
        if type(s["pattern"]) is not str:
            raise _Unsupported("pattern")
        try:
            search = re.compile(s["pattern"]).search  # as jsonschema: Python's re, re.search
        except (re.error, OverflowError, ValueError, RecursionError):
            raise _Unsupported(f"pattern {s['pattern']!r}") from None
        preds.append(lambda x: search(x) is not None)
    if "format" in s:
        if type(s["format"]) is not str or s["format"] != "date":
            raise _Unsupported(f"format {s['format']!r}")
        preds.append(_is_date)
    return _all(preds)


def _number_part(s: Mapping[str, Any]) -> Checker:
    preds: list[Checker] = []
    if "minimum" in s:
        lo = _number(s, "minimum")
        preds.append(lambda x: not x < lo)
    if "maximum" in s:
        hi = _number(s, "maximum")
        preds.append(lambda x: not x > hi)
    return _all(preds)
