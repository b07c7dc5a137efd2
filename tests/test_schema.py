"""Validation answers as jsonschema does, words the same errors, and costs little at scale.

``schema.validate`` asks the compiled checker (``schemasnel``) first and jsonschema only for a
rejected document, and of a long list only for the rejected items. Whatever the shortcut, the
problems must be those a plain jsonschema run over the whole document gives, in its order.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.sources import schema
from kaderwerk.sources.yamlsource import Document

from .conftest import ROOT

WAARDEN = st.sampled_from([1, 3, "V", None, True, 2.5, [], {}, "", "x", -1])


@st.composite
def beoordelingen(draw: Any) -> Any:
    """Beoordelingen documents, mostly valid, with mistakes anywhere in them."""
    orgs: list[Any] = []
    for i in range(draw(st.integers(0, 6))):
        org: Any = {"naam": f"O{i}", "scores": {"1.1.1": 1, "1.1.2": "V"}}
        for _ in range(draw(st.integers(0, 2))):
            plek = draw(st.sampled_from(["naam", "scores", "datum", "feiten", "oordelen",
                                         "onbekend", "score", "weg"]))
            if plek == "score" and isinstance(org.get("scores"), dict):
                org["scores"][draw(st.sampled_from(["1.1.1", "x.y", "2"]))] = draw(WAARDEN)
            elif plek == "weg":
                org.pop("naam", None)
            else:
                org[plek] = draw(st.one_of(WAARDEN, st.just({"wachtlijst": True}),
                                           st.just("2015-01-01")))
        orgs.append(org if draw(st.integers(0, 9)) else draw(WAARDEN))
    doc: Any = {"organisaties": orgs}
    if draw(st.booleans()):
        doc["kader"] = draw(st.sampled_from(["veilig-thuis-stap-1", 7]))
    if draw(st.integers(0, 5)) == 0:
        doc["extra"] = 1
    return doc


def _volledig(name: str, doc: Document) -> list[Any]:
    """The reference: jsonschema over the whole document, errors worded one by one."""
    return [p for err in schema._validator(name).iter_errors(doc.data)
            for p in schema._explain(err, doc, ())]


@given(beoordelingen())
def test_problems_are_those_of_a_whole_jsonschema_run(data: Any) -> None:
    values = {("organisaties", i): (i + 2, 1) for i in range(len(data["organisaties"]))}
    doc = Document(data, "b.json", values, {})
    expected = _volledig("beoordeling", doc)
    assert schema.validate("beoordeling", doc) == expected
    assert (expected == []) == schema._validator("beoordeling").is_valid(data)


def test_a_long_list_is_checked_item_by_item() -> None:
    assert set(schema._lijsten("beoordeling")) == {"organisaties"}
    assert schema._lijsten("kader") == {}  # its root combines schemas: validated whole


def test_a_valid_document_does_not_import_jsonschema() -> None:
    """jsonschema costs ~0.2 s to import; a command on valid files never pays it."""
    code = ("import sys\n"
            "from kaderwerk.sources.catalog import catalog\n"
            "catalog().get('veilig-thuis-stap-1')\n"
            "assert 'jsonschema' not in sys.modules, 'jsonschema was imported'\n"
            "from kaderwerk.sources import schema\n"
            "from kaderwerk.sources.yamlsource import Document\n"
            "d = Document({'organisaties': []}, 'b.json', {}, {})\n"
            "assert schema.validate('beoordeling', d)\n"
            "assert 'jsonschema' in sys.modules\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr


def test_every_bundled_schema_has_a_fast_checker() -> None:
    from kaderwerk.sources import _schemasnel as schemasnel

    for name in schema.SCHEMA_FILES:
        assert schemasnel.gebundeld(name) is not None, name
        assert json.dumps(schema.schema(name))  # and is plain JSON
