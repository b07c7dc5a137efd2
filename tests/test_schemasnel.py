"""kaderwerk.sources._schemasnel answers exactly what jsonschema's ``is_valid`` answers, only
faster.

Its closures replace jsonschema for every valid document, so a wrong "yes" lets a broken file
through unexplained and a wrong "no" costs the jsonschema import it exists to avoid. Every
bundled schema compiles. Real documents (the kaders, datasets and voorbeelden in kaders/, the
broken ones in tests/data, an uitkomst of the 2015 data, beoordelingen) are mutated at random and
the compiled checker must agree with the jsonschema validator ``kaderwerk.sources.schema``
uses. Random
JSON and odd Python values go through small schemas exercising each supported keyword and
jsonschema's traps (bool is no integer, 1.0 is, 1 == 1.0 but True != 1, search not match, ...).
Schemas outside the subset give None. Hypothesis runs a share of the profile's examples.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from kaderwerk.domain.errors import KaderwerkError
from kaderwerk.sources import _schemasnel as schemasnel
from kaderwerk.sources import schema as schema_mod
from kaderwerk.sources import yamlsource
from kaderwerk.sources._schemasnel import compileer, gebundeld

from .conftest import DATA, ROOT


def share(fraction: float) -> settings:
    """Settings running ``fraction`` of the profile's examples (at least 10)."""
    return settings(max_examples=max(10, int(settings.default.max_examples * fraction)),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _uitkomst(f: Callable[[Any], bool], x: Any) -> Any:
    """The answer of ``f``, or the class of the exception it raised (jsonschema raises some)."""
    try:
        return bool(f(x))
    except Exception as exc:
        return type(exc)


# -- example documents -------------------------------------------------------------------------

def _load(path: Path) -> Any:
    return yamlsource.parse(yamlsource.read_text(path, str(path)), str(path)).data


def _parses(path: Path) -> bool:
    try:
        _load(path)
    except KaderwerkError:
        return False
    return True


KADERS = ROOT / "kaders"
BROKEN = [p for p in sorted((DATA / "broken").glob("*.yaml")) if _parses(p)]  # some break it
SOURCES: dict[str, list[Path]] = {
    "kader": [*sorted(KADERS.glob("*/[0-9]*.yaml")), *BROKEN],
    "dataset": sorted(KADERS.glob("*/datasets/*.yaml")),
    "voorbeelden": sorted(KADERS.glob("*/voorbeelden/*.yaml")),
}
IDS = [f"{t}.{c}.{v}" for t in (1, 2, 3) for c in (1, 2) for v in (1, 2, 3, 4)]
BEOORDELING = {"kader": "veilig-thuis-stap-1", "organisaties": [  # every property once
    {"naam": "A", "datum": "2015-07-01", "scores": {"1.1.1": 1, "1.1.2": "V", "1.2.1": None},
     "feiten": {"wachtlijst": True, "aantal_1": 3, "regio": "x", "b": None},
     "oordelen": {"1.1": "voldoende", "organisatie": {"oordeel": "matig", "onderbouwing": "z"},
                  "2.1": {"oordeel": "x"}}},
    {"naam": "B", "scores": {}, "feiten": {}}]}


def _beoordelingen(n: int) -> dict[str, Any]:
    """A valid beoordelingen document of ``n`` organisations with 24 scores each."""
    return {"kader": "veilig-thuis-stap-1", "organisaties": [
        {"naam": f"Organisatie {i:06d}", "scores": {k: 1 + 2 * ((i + j) % 3 == 0)
                                                   for j, k in enumerate(IDS)}}
        for i in range(n)]}


@functools.cache
def documents(name: str) -> tuple[Any, ...]:
    if name == "beoordeling":
        return (BEOORDELING, _beoordelingen(3))
    if name == "uitkomst":
        from kaderwerk.commands.assess import uitkomst_van
        from kaderwerk.plugins.format_json import write_json

        return (json.loads(write_json(uitkomst_van("veilig-thuis-stap-1", "2015")[1])),)
    return tuple(_load(p) for p in SOURCES[name])


# -- mutations ---------------------------------------------------------------------------------

POOL: list[Any] = [
    None, True, False, 0, 1, 3, -1, 1.0, 3.0, 2.5, -0.5, 100, 101, 1e300, "", " ", "x", "V",
    "NB", "1", "1.2.3", "1.1", "organisatie", "aantal", "percentage", "handmatig", "voldoende",
    "matig", "2015-07-01", "2015-13-01", "2015-02-30", "2015-07-01\n", "٢٠١٥-٠٧-٠١", "Abc",
    "a b", "é😀", [], {}, ["x"], ["x", "x"], [1, 1.0], {"oordeel": "x"}, {"min": 1, "gelijk": 2},
    {"min": 0}, {"type": "aantal"}, {"type": "eigen"}, {"document": "d"},
]
KEYS = ["onbekend", "naam", "type", "id", "1.1", "1.1.1", "A", "", "oordeel", "min", "max",
        "gelijk", "basis", "themas", "organisatie", "datum", "feiten", "weglaten", "regels", "als",
        "hit", "x y", "_a", "doel", "landelijk_beeld", "organisaties", "afwijkingen", "voldoende"]


def _places(doc: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value in ``doc`` (the root: (None, None))."""
    out: list[tuple[Any, Any]] = [(None, None)]
    stack = [doc]
    while stack:
        node = stack.pop()
        if type(node) in (dict, list):
            for k, v in node.items() if type(node) is dict else enumerate(node):
                out.append((node, k))
                stack.append(v)
    return out


def _tweak(v: Any, pick: int) -> Any:
    """Another value near ``v``: another type with the same content, or an edge case."""
    t = type(v)
    options: list[Any] = (
        [int(v), float(v), str(v).lower(), not v] if t is bool
        else [float(v), str(v), v == 1, -v, v + 1, [v]] if t is int
        else [int(v) if math.isfinite(v) else 0, v + 0.5, str(v), True] if t is float
        else ["", v + "\n", " " + v, v.upper(), v * 2, v[:1], [v], int(v) if v.isdigit() else 7,
              None, v.replace("1", "١")] if t is str
        else [v[:1], [*v, *v[:1]], v[::-1], {}, v[0] if v else 0, [[x] for x in v]] if t is list
        else [list(v), list(v.values()), dict.fromkeys(v), [v], {}] if t is dict
        else [0, "", {}])
    return options[pick % len(options)]


@st.composite
def mutants(draw: Any, doc: Any, most: int = 3) -> Any:
    """``doc`` with 1 to ``most`` random changes: a value replaced (by one of POOL, a tweak of
    itself, a copy of another or an empty one) or dropped, or a value added beside others."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, most))):
        places = _places(doc)
        (parent, key), (other, other_key) = draw(st.sampled_from(places)), draw(
            st.sampled_from(places))
        value = doc if parent is None else parent[key]
        op = draw(st.sampled_from(["pool", "tweak", "copy", "empty", "drop", "add"]))
        if op == "drop" and parent is not None:
            del parent[key]
        elif op == "add" and type(value) in (dict, list):
            members = list(value.values()) if type(value) is dict else value
            extra = copy.deepcopy(draw(st.sampled_from(POOL + members)))  # a duplicate, perhaps
            if type(value) is dict:
                value[draw(st.sampled_from(KEYS))] = extra
            else:
                value.append(extra)
        else:
            new = copy.deepcopy(
                draw(st.sampled_from(POOL)) if op == "pool"
                else _tweak(value, draw(st.integers(0, 20))) if op == "tweak"
                else (doc if other is None else other[other_key]) if op == "copy"
                else type(value)() if type(value) in (dict, list) else "")
            if parent is None:
                doc = new
            else:
                parent[key] = new
    return doc


# -- bundled schemas ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", schema_mod.SCHEMA_FILES)
def test_every_bundled_schema_compiles(name: str) -> None:
    """If this fails, a bundled schema uses a keyword schemasnel lacks: add it, with tests."""
    assert gebundeld(name) is not None
    # dataset's "$ref": "kader.schema.json#/$defs/bron" needs the registry
    assert (compileer(schema_mod.schema(name)) is None) is (name == "dataset")


@pytest.mark.parametrize(("name", "fraction"), [("kader", 0.5), ("dataset", 0.3),
                                                ("voorbeelden", 0.5), ("uitkomst", 0.4),
                                                ("beoordeling", 0.6)])
def test_real_and_mutated_documents_agree(name: str, fraction: float) -> None:
    check, validator = gebundeld(name), schema_mod._validator(name)
    assert check is not None
    docs = documents(name)
    real = docs[:len(docs) - len(BROKEN)] if name == "kader" else docs
    assert real and all(map(check, real)) and all(map(validator.is_valid, real))
    assert [check(d) for d in docs] == [validator.is_valid(d) for d in docs]
    verdicts = []

    @share(fraction)
    @given(st.data())
    def run(data: Any) -> None:
        doc = data.draw(mutants(docs[data.draw(st.integers(0, len(docs) - 1))]))
        verdicts.append(_uitkomst(check, doc))
        event(f"valid: {verdicts[-1]}")
        assert verdicts[-1] == _uitkomst(validator.is_valid, doc)

    run()
    assert True in verdicts and False in verdicts  # mutants near the schema, on both sides


def test_a_large_beoordelingen_file() -> None:
    doc = _beoordelingen(2000)
    check = gebundeld("beoordeling")
    assert check is not None
    assert check(doc) is True
    scores = doc["organisaties"][1999]["scores"]
    for value, valid in [(True, False), (1.0, True), (1.5, False), ("NB", True)]:
        scores["1.1.1"] = value  # the fast path for many values of pure types
        assert check(doc) is valid
    scores["x"] = 1  # propertyNames pattern
    assert check(doc) is False


# -- small schemas: every keyword, and jsonschema's traps --------------------------------------

SMALL: list[Any] = [
    True, False, {}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"},
    {"type": "null"}, {"type": "string"}, {"type": "array"}, {"type": "object"}, {"type": []},
    {"type": ["integer", "string", "null"]}, {"type": ["boolean", "integer", "string"]},
    {"type": ["object", "integer"], "required": ["a"], "minimum": 2},
    {"type": "string", "minimum": 3, "required": ["a"], "minItems": 1},
    {"type": ["number", "array"], "maximum": 2, "minItems": 1, "minLength": 1},
    {"enum": [1, "a", None, True, [1, 2], {"a": 1}, 2.5, False, 0]}, {"enum": ["a", "ab"]},
    {"enum": []}, {"const": 1}, {"const": False}, {"const": 0}, {"const": None}, {"const": "a"},
    {"const": [1, {"a": True}]}, {"const": {"a": [0]}}, {"minimum": 0, "maximum": 10},
    {"minimum": 1.5}, {"maximum": 0}, {"type": "integer", "minimum": 0}, {"minLength": 1},
    {"type": "string", "minLength": 2}, {"pattern": "^a"}, {"pattern": "b"}, {"pattern": "\\S"},
    {"pattern": "^\\d{4}-\\d{2}-\\d{2}$"}, {"pattern": "^[0-9]+(\\.[0-9]+)*$", "type": "string"},
    {"format": "date"}, {"type": "string", "format": "date", "minLength": 10},
    {"required": ["a", "b"]}, {"type": "object", "required": ["a"]},
    {"properties": {"a": {"type": "integer"}, "b": {}}, "additionalProperties": False},
    {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False,
     "required": ["a"]},
    {"properties": {"a": {"type": "integer"}, "b": True, "c": False},
     "additionalProperties": {"type": "integer"}},
    {"propertyNames": {"pattern": "^[a-c]$"}}, {"propertyNames": {"minLength": 2}},
    {"propertyNames": False}, {"type": "object", "propertyNames": {"enum": ["a", "b"]},
                               "additionalProperties": {"type": ["integer", "string", "null"]}},
    {"minProperties": 1}, {"type": "object", "minProperties": 2, "additionalProperties": True},
    {"additionalProperties": {"type": ["integer", "null"]}},
    {"additionalProperties": {"type": "number"}}, {"additionalProperties": False},
    {"items": {"type": "integer"}}, {"type": "array", "items": {"type": ["string", "null"]}},
    {"items": False}, {"items": {"minimum": 1}, "minItems": 2}, {"minItems": 1},
    {"uniqueItems": True}, {"uniqueItems": False},
    {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
    {"oneOf": [{"type": "integer"}, {"minimum": 2}]}, {"oneOf": [{"type": "string"}, True]},
    {"oneOf": [{"type": "string"}, {"type": "object", "required": ["a"]}, {"minProperties": 2}]},
    {"anyOf": [{"type": "string"}, True]}, {"anyOf": [False, {"type": "null"}]},
    {"anyOf": [{"type": "string", "minLength": 2}, {"type": "array"}]},
    {"allOf": [{"type": "number"}, {"maximum": 3}]}, {"not": {"type": "string"}},
    {"not": {"anyOf": [{"required": ["a", "b"]}, {"required": ["c"]}]}},
    {"if": {"properties": {"a": {"const": 1}}, "required": ["a"]},
     "then": {"required": ["b"]}, "else": {"minProperties": 2}},
    {"if": {"type": "integer"}, "then": {"minimum": 3}}, {"if": {"type": "string"}},
    {"then": False}, {"else": False}, {"if": False, "else": {"type": "null"}},
    {"anyOf": []}, {"oneOf": []}, {"allOf": []},
    {"$defs": {"pos": {"type": "integer", "minimum": 0}},
     "properties": {"a": {"$ref": "#/$defs/pos"}}, "items": {"$ref": "#/$defs/pos"}},
    {"$ref": "#/$defs/a", "$defs": {"a": {"type": "array"}}, "minItems": 2},
    {"$id": "https://x.invalid/s.json", "$defs": {"a~/b%": {"type": "string"}},
     "items": {"$ref": "s.json#/$defs/a~0~1b%25"}},
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "t", "description": "d",
     "$comment": "c", "default": 1, "examples": [1], "deprecated": True, "readOnly": True,
     "writeOnly": False, "contentEncoding": "base64", "contentMediaType": "text/plain",
     "type": "integer"},
]

_KEY = st.sampled_from(["a", "b", "c", "ab", "bc", "1", ""])
_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 12),
    st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, 0.5, 1.5, 1e300, 2.0**60, math.inf,
                     -math.inf, math.nan, 10**30]),
    st.floats(), st.text(alphabet="ab1 \n٣😀-", max_size=4),
    st.sampled_from(["2020-01-01", "2020-02-30", "2020-01-01\n", "٢٠٢٠-٠١-٠١", "0000-01-01",
                     "2020-1-01", "1.2.3", "1.", "ab"]),
)
JSON = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                     st.dictionaries(_KEY, inner, max_size=4)),
                    max_leaves=10)
INSTANCES = st.lists(st.one_of(_SCALAR, st.lists(JSON, max_size=6),
                               st.dictionaries(_KEY, JSON, max_size=5)), min_size=1, max_size=12)


def _jsonschema(s: Any) -> Any:
    cls = jsonschema.Draft202012Validator
    return cls(s, format_checker=cls.FORMAT_CHECKER)


def test_the_small_schemas_use_every_supported_keyword() -> None:
    """What schemasnel accepts, a small schema tests: no keyword is supported untested."""
    used = set(re.findall(r'"([$\w]+)":', json.dumps(SMALL)))  # and names of properties
    assert not schemasnel._KEYWORDS - used


@functools.cache
def _small_pairs() -> list[tuple[Any, Any, Any]]:  # (schema, its checker, jsonschema's is_valid)
    return [(s, compileer(s), _jsonschema(s).is_valid) for s in SMALL]


@share(1.5)
@given(INSTANCES)
def test_random_json_agrees_on_small_schemas(instances: list[Any]) -> None:
    """Every instance against every small schema: one draw of JSON serves them all."""
    for s, check, is_valid in _small_pairs():
        for x in instances:
            assert _uitkomst(check, x) == _uitkomst(is_valid, x), (s, x)


DATE = {"pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
ONE = {"oneOf": [{"type": "integer"}, {"minimum": 0}]}
IF = {"if": {"minimum": 3}, "then": {"type": "integer"}, "else": False}
TRAPS: list[tuple[Any, Any, Any]] = [  # (schema, instance, what jsonschema answers)
    ({"type": "integer"}, True, False), ({"type": "number"}, False, False),  # bool is no number
    ({"type": "integer"}, 1.0, True), ({"type": "integer"}, 1.5, False),  # 1.0 is an integer
    ({"type": "integer"}, math.inf, False), ({"minimum": 0}, math.nan, True),
    ({"minimum": 0}, True, True),  # minimum ignores what is not a number, booleans too
    ({"enum": [1]}, 1.0, True), ({"enum": [1]}, True, False), ({"enum": [0]}, False, False),
    ({"enum": [[1, 0]]}, [1.0, 0.0], True), ({"enum": [[1, 0]]}, [True, False], False),
    ({"const": {"a": 1}}, {"a": True}, False), ({"const": False}, 0, False),
    ({"uniqueItems": True}, [1, 1.0], False), ({"uniqueItems": True}, [1, True], True),
    ({"uniqueItems": True}, [0, False], True), ({"uniqueItems": True}, [[1], [True]], True),
    ({"uniqueItems": True}, [{"a": 1}, {"a": 1.0}], False),
    ({"uniqueItems": True}, ["a", "b", "a"], False),
    ({"pattern": "b"}, "abc", True),  # re.search, not re.match
    (DATE, "2020-01-01\n", True), (DATE, "٢٠٢٠-٠١-٠١", True),  # $ before a final \n; \d: Unicode
    ({"format": "date"}, "2020-01-01\n", False), ({"format": "date"}, "٢٠٢٠-٠١-٠١", False),
    ({"format": "date"}, "2020-02-30", False), ({"format": "date"}, 20200101, True),
    ({"minLength": 2}, "😀", False),  # code points, not UTF-16 units
    ({"required": ["a"]}, ["a"], True), ({"minItems": 1}, "", True),  # other types pass
    (ONE, 1, False), (ONE, 1.5, True), ({"anyOf": []}, 1, False), ({"type": []}, None, False),
    ({"items": False}, [], True), ({"anyOf": [{"type": "string"}, True]}, 1, True),
    ({"properties": {"b": {}}, "additionalProperties": False}, {"b": "x"}, True),
    ({"properties": {"b": {}}, "additionalProperties": {"type": "null"}}, {"b": "x"}, True),
    (IF, 3.5, False), (IF, "x", False),  # "if" holds for what its keywords ignore
    ({"type": "integer", "minimum": 0}, complex(1, 0), False),  # type fails first
    ({"minimum": 0}, complex(1, 0), TypeError),  # jsonschema compares, and raises
]


@pytest.mark.parametrize(("s", "x", "valid"), TRAPS)
def test_the_traps(s: Any, x: Any, valid: Any) -> None:
    check = compileer(s)
    assert check is not None
    assert _uitkomst(_jsonschema(s).is_valid, x) == valid
    assert _uitkomst(check, x) == valid


_Tekst, _Lijst = type("_Tekst", (str,), {}), type("_Lijst", (list,), {})
_Getal, _Komma = type("_Getal", (int,), {}), type("_Komma", (float,), {})
ODD: list[Any] = [
    OrderedDict(a=1), OrderedDict(a=1, b=_Tekst("x"), c=None), OrderedDict(k=[{"v": 1}], v=1),
    _Tekst("a"), _Tekst(""), _Tekst("abc"), _Tekst("1.2.3"), _Tekst("2020-01-01"),
    {_Tekst("a"): 1, "b": 2}, {"a": _Tekst("x"), "ab": _Getal(1)}, _Lijst([1, 1]), _Lijst(),
    _Lijst(["a", _Tekst("a")]), [_Getal(1), 1], [_Komma(1.0), 1.5], _Getal(3), _Getal(0),
    _Komma(2.0), _Komma(0.5), Decimal(1), Decimal("2.5"), Fraction(1, 2), complex(1, 0),
    (1, 2), (), b"a", date(2020, 1, 1), {1: "a"}, {None: 1}, {True: 1}, frozenset(),
]


def test_other_python_types_agree() -> None:
    """Subclasses and non-JSON values take the slow path, and still answer as jsonschema does."""
    for s, check, is_valid in _small_pairs():
        assert check is not None, s
        for x in ODD:
            assert _uitkomst(check, x) == _uitkomst(is_valid, x), (s, x)


# -- outside the subset ------------------------------------------------------------------------

@pytest.mark.parametrize("s", [
    # keywords jsonschema knows and the bundled schemas do not use
    {"patternProperties": {"^a": {}}}, {"maxProperties": 2}, {"dependentRequired": {"a": ["b"]}},
    {"dependentSchemas": {"a": {}}}, {"prefixItems": [{}]}, {"maxItems": 3}, {"contains": {}},
    {"minContains": 1}, {"maxContains": 1}, {"maxLength": 3}, {"multipleOf": 2},
    {"exclusiveMinimum": 0}, {"exclusiveMaximum": 1}, {"definitions": {"n": {}}},
    {"unevaluatedProperties": False}, {"unevaluatedItems": False}, {"$dynamicRef": "#meta"},
    {"$anchor": "a"}, {"contentSchema": {}}, {"dependencies": {}}, {"format": "email"},
    {"format": "ipv4"}, {"format": "ipv6"}, {"format": "uuid"}, {"format": "regex"},
    {"format": "date-time"}, {"format": "hostname"}, {"format": 1},
    # deep inside, or in a part that does not apply
    {"type": "string", "items": {"maxItems": 1}}, {"$defs": {"unused": {"maxLength": 1}}},
    {"allOf": [{"type": "string"}, {"properties": {"a": {"multipleOf": 1}}}]},
    {"then": {"else": {"contains": {}}}}, {"propertyNames": {"maxLength": 1}},
    # unknown keywords and values of an unexpected kind
    {"type": "integer", "x-eigen": 1}, {"type": "geheel"}, {"type": "object", "required": "a"},
    {"enum": "ab"}, {"enum": [(1, 2)]}, {"const": {1: 2}}, {"minLength": True}, {"minimum": "1"},
    {"uniqueItems": 1}, {"properties": {"a": 1}}, {"allOf": {}}, {"pattern": "("},
    {"pattern": "a{99999999999}"}, {"propertyNames": {"pattern": 1}},
    # references that do not resolve here, recursive ones, nested $id, another dialect
    {"$ref": "https://other.invalid/schema.json"}, {"items": {"$ref": "other.json#/$defs/x"}},
    {"$ref": "#/$defs/missing"}, {"$ref": "#/allOf/0", "allOf": [{}]}, {"$ref": 1},
    {"$ref": "#anker", "$defs": {"a": {"$anchor": "anker"}}}, {"items": {"$ref": "#"}},
    {"$defs": {"a": {"items": {"$ref": "#/$defs/b"}}, "b": {"$ref": "#/$defs/a"}}},
    {"properties": {"a": {"$id": "https://nested.invalid/a.json"}}}, {"$id": "s.json#frag"},
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "integer"},
])
def test_unsupported_gives_none(s: Any) -> None:
    assert compileer(s) is None


def test_refs_into_other_documents_through_the_registry() -> None:
    other = {"$id": "https://x.invalid/a/b.json", "$defs": {"n": {"type": "integer"}}}
    s = {"$id": "https://x.invalid/a/main.json", "items": {"$ref": "b.json#/$defs/n"}}
    assert compileer(s) is None
    check = compileer(s, {other["$id"]: other})
    assert check is not None
    assert check([1, 2.0]) is True
    assert check([1, "2"]) is False
    whole = compileer({"$ref": "https://x.invalid/a/b.json"}, {other["$id"]: other})
    assert whole is not None and whole([]) is True
    nested = {"$id": "https://x.invalid/a/b.json", "$defs": {"n": {"$id": "n.json"}}}
    assert compileer(s, {nested["$id"]: nested}) is None  # referencing would register n.json
    unused = {**other, "$defs": {"n": {"type": "integer"}, "m": {"maxLength": 1}}}
    assert compileer(s, {unused["$id"]: unused}) is None  # a referenced document is whole
