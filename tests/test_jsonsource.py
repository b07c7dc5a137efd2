"""JSON read by the C scanner: the same data as ``json``, the positions YAML would give, and the
same refusals (duplicate keys, too deep, not JSON) with a location."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from kaderwerk.domain.errors import KaderError
from kaderwerk.sources import jsonsource, schema, yamlsource
from kaderwerk.sources.catalog import catalog

SCALARS = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
           | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8))
KEYS = st.text(st.characters(codec="ascii", min_codepoint=32, max_codepoint=126), max_size=6)
DATA = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(KEYS, kids, max_size=4), max_leaves=25)
# YAML reads JSON except for escaped surrogate pairs and characters it calls non-printable
YAML_DATA = st.recursive(SCALARS.filter(lambda x: not isinstance(x, str)) | KEYS,
                         lambda kids: st.lists(kids, max_size=4)
                         | st.dictionaries(KEYS, kids, max_size=4), max_leaves=25)


def _fout(text: str) -> KaderError:
    with pytest.raises(KaderError) as info:
        jsonsource.parse(text, "t.json")
    return info.value


def _plek(exc: KaderError) -> tuple[str, int | None, int | None]:
    p = exc.problems[0]
    return p.message, p.line, p.column


@given(DATA, st.sampled_from([None, 0, 1, 2, "\t"]))
def test_same_data_as_the_json_module(data: object, indent: object) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=False)  # type: ignore[arg-type]
    assert jsonsource.parse(text, "t.json").data == json.loads(text)


@given(st.dictionaries(KEYS.filter(lambda k: k.isalnum()), st.lists(YAML_DATA, max_size=3),
                       min_size=1, max_size=3), st.sampled_from([None, 1, 2]))
def test_top_level_positions_are_those_yaml_gives(data: object, indent: int | None) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=True)
    doc = jsonsource.parse(text, "t.json")
    ydoc = yamlsource.parse(text, "t.json")
    assert doc.values  # every recorded position is one YAML records for the same value
    for pad, plek in doc.values.items():
        assert len(pad) <= jsonsource.NIVEAUS
        assert ydoc.values[pad] == plek, pad
    for pad, plek in doc.keys.items():
        assert ydoc.keys[pad] == plek, pad


def test_positions_on_one_long_line_cost_no_more_than_the_line() -> None:
    text = "[" + "0," * 50_000 + "[1, 2]]"
    doc = jsonsource.parse(text, "t.json")
    assert doc.where((50_000, 1)) == (1, len(text) - 2)  # the 2


def test_organisations_are_located_by_line() -> None:
    text = '{"organisaties": [\n {"naam": "A"},\n\n  {"naam": "B", "scores": {"1": 1}}\n]}'
    doc = jsonsource.parse(text, "t.json")
    assert doc.where(("organisaties", 0)) == (2, 2)
    assert doc.where(("organisaties", 1, "scores", "1")) == (4, 3)  # the organisation's line


@given(st.text(st.sampled_from('{}[]",:0123 \n-.eE"tnfalsu\\x'), max_size=30))
def test_any_text_is_data_or_a_located_error(text: str) -> None:
    try:
        expected = json.loads(text)
    except (ValueError, RecursionError):
        expected = KaderError
    try:
        got = jsonsource.parse(text, "t.json").data
    except KaderError as exc:
        assert exc.problems[0].line is not None
        got = KaderError
    if expected is not KaderError and got is KaderError:
        # refused where json accepts: only for what a kaderwerk file must not hold
        message = _plek(_fout(text))[0]
        assert ("duplicate key" in message or "not a JSON value" in message), message
    else:
        assert got == expected


def test_a_syntax_error_is_where_json_says() -> None:
    text = '{"a": [1, 2,\n  3 4]}'
    with pytest.raises(json.JSONDecodeError) as info:
        json.loads(text)
    message, line, col = _plek(_fout(text))
    assert message.startswith("JSON syntax error: ")
    assert (line, col) == (info.value.lineno, info.value.colno) == (2, 5)


@pytest.mark.parametrize("text, where", [
    ('{"a": 1,\n "a": 2}', (2, 2)),  # walked level: the second key exactly
    ('{"o": [{"s": {"x": 1,\n "x": 2}}]}', (2, 2)),  # scanned value: found by searching
])
def test_duplicate_keys_are_refused(text: str, where: tuple[int, int]) -> None:
    message, line, col = _plek(_fout(text))
    assert "duplicate key 'a'" in message or "duplicate key 'x'" in message
    assert (line, col) == where


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(constant: str) -> None:
    message, line, col = _plek(_fout('{"o": [{"s":\n  ' + constant + '}]}'))
    assert f"{constant} is not a JSON value" in message
    assert (line, col) == (2, 3)


@pytest.mark.parametrize("diepte", [yamlsource.MAX_DEPTH + 1, 5_000, 200_000])
def test_deep_nesting_is_refused(diepte: int) -> None:
    text = '{"o": [' + "[" * diepte + "]" * diepte + "]}"
    message, line, _ = _plek(_fout(text))
    assert f"nested deeper than {yamlsource.MAX_DEPTH} levels" in message
    assert line == 1


def test_nesting_up_to_the_limit_is_read() -> None:
    diepte = yamlsource.MAX_DEPTH - 2  # below the document and organisaties levels
    text = '{"o": [' + "[" * diepte + "1" + "]" * diepte + "]}"
    assert jsonsource.parse(text, "t.json").data["o"][0] is not None


def test_a_number_python_cannot_convert_is_located() -> None:
    message, line, _ = _plek(_fout('{"o": [\n' + "9" * 5000 + "]}"))
    assert "cannot read a number" in message and line == 2


def test_floats_stay_floats_and_huge_ones_are_infinite() -> None:
    data = jsonsource.parse('[1.5, 1e400]', "t.json").data
    assert data[0] == 1.5 and math.isinf(data[1])


@pytest.mark.parametrize("text, expected", [
    ("", "the file is empty"),
    ("  \n ", "the file is empty"),
    ('{"a": 1} {"b": 2}', "more data after the document ends"),
    ('{"a" 1}', "JSON syntax error: "),
    ("{'a': 1}", "JSON syntax error: "),
    ('{"a": }', "JSON syntax error: "),
    ('["a\x01"]', "JSON syntax error: "),
])
def test_messages(text: str, expected: str) -> None:
    """kaderwerk's own messages, or its prefix before the json module's (which may change)."""
    assert expected in _plek(_fout(text))[0]


def test_read_json_allows_more_than_a_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "groot.json"
    path.write_text('["' + "x" * yamlsource.MAX_BYTES + '", 1]', encoding="utf-8")
    assert jsonsource.parse(jsonsource.read_json(path, "groot.json"), "groot.json").data[1] == 1
    with pytest.raises(KaderError, match="limit for a YAML file"):
        yamlsource.read_text(path, "groot.json")


def test_read_json_refuses_a_file_over_its_limit(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonsource, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "groot.json"
    path.write_text('["' + "x" * 1024 * 1024 + '"]', encoding="utf-8")
    with pytest.raises(KaderError, match="larger than 1 MB, the limit for a JSON file"):
        jsonsource.read_json(path, "groot.json")


STAP1 = catalog().get("veilig-thuis-stap-1@2015")


@st.composite
def beoordelingen_docs(draw: Any) -> dict[str, Any]:
    ids = [v.id for v in STAP1.verwachtingen]
    # mostly good scores (else every row has an error and hides the rest), now and then not
    zelden = st.integers(0, 40).map(lambda n: n == 0)
    goed = st.sampled_from([1, 3, "V", "nb", "onvoldoende", None, 1.0])
    score = st.one_of(goed, goed, goed, st.sampled_from([" 1 ", "x", 2]))
    orgs = []
    for i in range(draw(st.integers(1, 4))):
        naam = "" if draw(zelden) else draw(st.sampled_from([f"O{i}", "A", " B"]))
        org: dict[str, Any] = {"naam": naam}
        if draw(st.integers(0, 4)):
            org["scores"] = {v: True if draw(zelden) else draw(score if draw(zelden) else goed)
                             for v in ids if draw(st.integers(0, 20))}
        if draw(st.booleans()):
            org["datum"] = draw(st.sampled_from(["2015-03-01", "2015-3-1"]))
        if draw(st.integers(0, 3)) == 0:
            org["oordelen"] = {draw(st.sampled_from(["1.1", "organisatie", "9.9"])):
                               draw(st.sampled_from(["matig", "slecht", {"oordeel": "matig"}]))}
        orgs.append(org)
    doc: dict[str, Any] = {"organisaties": orgs}
    if draw(st.booleans()):
        doc["kader"] = "veilig-thuis-stap-1"
    return doc


def _lees(path: Path, allow_missing: bool = False) -> Any:
    from kaderwerk.domain.beoordeling import Opties
    from kaderwerk.domain.errors import InvoerError
    from kaderwerk.plugins.reader_yaml import read_structured

    try:
        return [attrs.evolve(b, herkomst=b.herkomst.rsplit(":", 1)[1])
                for b in read_structured(path, STAP1, Opties(allow_missing=allow_missing))]
    except InvoerError as exc:
        return sorted(p.message for p in exc.problems)


@given(beoordelingen_docs(), st.sampled_from([None, 1]))
def test_json_beoordelingen_read_as_the_yaml_path_reads_them(doc: dict[str, Any],
                                                              indent: int | None) -> None:
    """The same file through the C scanner and through YAML: the same organisations, lines and
    messages (only schema messages may be placed at the organisation's line instead)."""
    import tempfile

    text = json.dumps(doc, indent=indent)
    with tempfile.TemporaryDirectory() as tmp:
        als_json, als_yaml = Path(tmp) / "b.json", Path(tmp) / "b.yaml"
        als_json.write_text(text, encoding="utf-8")
        als_yaml.write_text(text, encoding="utf-8")
        got, expected = _lees(als_json), _lees(als_yaml)
    assert got == [m.replace("b.yaml", "b.json") if isinstance(m, str) else m for m in expected]


def _als_tabel(doc: dict[str, Any], regels: list[int], allow_missing: bool) -> Any:
    """The oracle: each organisation as a table row built key by key, read cell by cell."""
    from kaderwerk.domain.beoordeling import Opties, Tabel
    from kaderwerk.domain.errors import InvoerError

    rijen = []
    for org in doc["organisaties"]:
        rij = {"organisatie": org["naam"], **{str(k): v for k, v in org.get("scores", {}).items()}}
        for target, o in org.get("oordelen", {}).items():
            kolom = "oordeel" if target == "organisatie" else f"oordeel {target}"
            rij[kolom] = o["oordeel"] if isinstance(o, dict) else o
        if "datum" in org:
            rij["datum"] = org["datum"]
        if "kader" in doc:
            rij["kader"] = doc["kader"]
        rijen.append(rij)
    header = list(dict.fromkeys(k for rij in rijen for k in rij))
    body = [(regel, [rij.get(k) for k in header]) for regel, rij in zip(regels, rijen, strict=True)]
    try:
        tabel = Tabel(STAP1, "b.json", Opties(allow_missing), rij="line")
        return [attrs.evolve(b, herkomst=b.herkomst.rsplit(":", 1)[1])
                for b in tabel.lees(header, body, kop_rij=None)]  # as the reader: no header row
    except InvoerError as exc:
        return sorted(p.message for p in exc.problems)


@given(beoordelingen_docs(), st.booleans())
@example({"organisaties": [{"naam": "A", "datum": "2015-03-01"},
                           {"naam": "B", "scores": {"1.1.1": 1}}]}, True)
@example({"kader": "k", "organisaties": [{"naam": "A", "oordelen": {"1.1": "matig"}},
                                         {"naam": "B", "scores": {"1.1.1": "V"}}]}, True)
def test_json_beoordelingen_read_as_a_table_of_their_keys(doc: dict[str, Any],
                                                          allow_missing: bool) -> None:
    import tempfile

    text = json.dumps(doc, indent=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.json"
        path.write_text(text, encoding="utf-8")
        got = _lees(path, allow_missing)
        parsed = jsonsource.parse(text, str(path))
    if schema.validate("beoordeling", parsed):
        return  # refused before any row is read: covered by the YAML comparison above
    regels = [parsed.where(("organisaties", i))[0] for i in range(len(doc["organisaties"]))]
    expected = _als_tabel(doc, regels, allow_missing)
    if isinstance(expected, list) and expected and isinstance(expected[0], str):
        expected = [m.replace("b.json", str(path)) for m in expected]
    sectie = [m for m in got if isinstance(m, str) and m.startswith("oordeel for '")]
    if sectie:
        # a structured file says which key under oordelen is wrong, at its line, before the
        # table is read; the table refuses the same as its column
        for m in sectie:
            doel, reden = re.fullmatch(r"oordeel for '(.*?)': (.*)", m).groups()  # type: ignore[union-attr]
            kolom = "oordeel" if doel == "organisatie" else f"oordeel {doel}"
            assert any(f"column '{kolom}': {reden}" in e or f"unknown column '{kolom}'" in e
                       for e in expected), (m, expected)
        return
    assert got == expected


def test_assess_reads_a_json_export_beyond_the_yaml_limits(run_cli: Any, tmp_path: Path) -> None:
    """5,000 organisations (2.2 MB, 135,000 values): too big for YAML, judged as JSON."""
    ids = [v.id for v in STAP1.verwachtingen if v.beoordeeld]
    orgs = [{"naam": f"Organisatie {i:05d}", "datum": "2015-09-01",
             "scores": {v: 1 if (i >> n) % 3 else 3 for n, v in enumerate(ids)}}
            for i in range(5_000)]
    orgs[4_321]["scores"][ids[0]] = "x"
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"kader": "veilig-thuis-stap-1", "organisaties": orgs}, indent=1),
                    encoding="utf-8")
    assert path.stat().st_size > yamlsource.MAX_BYTES
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", path, "--format", "json")
    regel = path.read_text(encoding="utf-8").splitlines().index("  {", 4_321 * 30)
    assert code == 1
    assert f"export.json:{regel + 1}: line {regel + 1} (Organisatie 04321), column 2 (1.1.1): " \
           "'x' is not a score" in err
    orgs[4_321]["scores"][ids[0]] = "V"
    path.write_text(json.dumps({"kader": "veilig-thuis-stap-1", "organisaties": orgs}, indent=1),
                    encoding="utf-8")
    uit = tmp_path / "uit.json"
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", path, "--format", "json", "-o", uit)
    assert code == 0, err
    uitkomst = json.loads(uit.read_text(encoding="utf-8"))
    assert len(uitkomst["organisaties"]) == 5_000


def test_one_error_per_organisation_is_reported_for_the_first_200(run_cli: Any,
                                                                  tmp_path: Path) -> None:
    from kaderwerk.sources.catalog import catalog

    # every assessed verwachting scored: Stap 1 refuses niet beoordeeld (score_verplicht)
    scores = {v.id: 1 for v in catalog().get("veilig-thuis-stap-1").verwachtingen
              if v.beoordeeld}
    orgs = [{"naam": f"O{i}", "datum": "2001-01-01", "scores": scores} for i in range(1_000)]
    path = tmp_path / "oud.json"
    path.write_text(json.dumps({"organisaties": orgs}), encoding="utf-8")
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", path, "--allow-missing")
    assert code == 1
    assert "O0: no versie of veilig-thuis-stap-1 was in force on 2001-01-01" in err
    assert 200 < err.count("no versie") < 210


def test_values_walked_in_python_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonsource, "MAX_GELOPEN", 1_000)
    assert len(jsonsource.parse("[" + "0," * 998 + "0]", "t.json").data) == 999
    message, line, col = _plek(_fout('{"organisaties": [\n' + "0," * 999 + "0]}"))
    assert "more than 1000 values at its top 3 levels" in message
    assert (line, col) == (2, 1997)  # the value that went over
