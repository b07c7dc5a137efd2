"""The fast paths give exactly what the plain paths give.

``assess`` is fast at scale because the CSV reader skips cell-by-cell checks for rows of known
spellings, the engine judges one criterium column at a time from memoised score tuples, and the
json writer refers to each distinct trace once. Each shortcut is compared here with the plain
path it replaces, on generated tables and beoordelingen that include every awkward case the
plain path handles (errors, empty cells, missing columns, duplicate names, plafonds).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.api import ontvouw
from kaderwerk.domain.beoordeling import Beoordeling, Opties, Tabel
from kaderwerk.domain.engine import Beoordelaar, assess
from kaderwerk.domain.errors import InvoerError
from kaderwerk.domain.model import Score
from kaderwerk.plugins.format_json import write_json
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.loader import build_kader, check_kader_document
from kaderwerk.sources.manager import registry
from kaderwerk.sources.yamlsource import Document
from kaderwerk.testing import kader_mappings

STAP1 = catalog().get("veilig-thuis-stap-1@2015")
IDS = [v.id for v in STAP1.verwachtingen]  # 3.1.1 is not assessed (beoordeeld: false)
SPELLINGEN = ["1", "3", "V", "o", " 1 ", "NB", "nb", "", "voldoende", "Onvoldoende",
              "niet beoordeeld", "x", "2", "1.0", "01", "+1", "0x3"]
# "Één" composed and decomposed (NFC and NFD): one organisation
NAMEN = ["A", "B", " C ", "", "\u00c9\u00e9n", "E\u0301e\u0301n", 'a"b', "A"]


def _lees(header: list[str], rows: list[list[Any]], allow_missing: bool,
          snel: bool) -> Any:
    tabel = Tabel(STAP1, "t.csv", Opties(allow_missing=allow_missing))
    try:
        result = tabel.lees(header, list(enumerate(rows, start=2)), snel=snel)
    except InvoerError as exc:
        return ("fout", [(p.message, p.file, p.line, p.column) for p in exc.problems])
    return [(b, list(b.scores.items())) for b in result]


SCHOON = ["1", "3", "V", "o", " 1 ", "NB", "voldoende", "Onvoldoende", "niet beoordeeld"]
SCHOON_NIET_BEOORDEELD = ["", "NB", " nb "]
LASTIG = ["", "x", "V", " "]  # one of these spoils an otherwise clean row


EXTRA = ["2015-03-01", " 2015-03-01", "2015-03-01T09:00", "", "veilig-thuis-stap-1", " x ",
         "2015-02-30", "2015-9-1", "garbage"]
# what a structured (YAML/JSON) file adds: numbers and no value; never a bool (the schema)
# nor a float (the reader passes a fraction on as its text)
GESTRUCTUREERD = [1, 3, None, 2, "1.0"]


@st.composite
def tabellen(draw: Any, gestructureerd: bool = False) -> tuple[list[str], list[list[Any]]]:
    kolommen = draw(st.lists(st.sampled_from([*IDS, "", "datum", "kader"]), min_size=1,
                             unique_by=lambda k: k or object()))
    if draw(st.booleans()):  # most files have every column
        kolommen = [v for v in IDS if v not in kolommen] + kolommen
    header = ["organisatie", *kolommen]
    meer = GESTRUCTUREERD if gestructureerd else []

    def cellen(k: str) -> Any:
        return st.sampled_from(SCHOON_NIET_BEOORDEELD + meer if k == "3.1.1" else
                               [""] if k == "" else EXTRA + meer if k in ("datum", "kader")
                               else SCHOON + meer)

    # clean rows (the fast path's case), clean but for one cell, and anything else
    schoon = st.tuples(*(cellen(k) for k in kolommen))
    bijna = st.builds(lambda cellen, i, cel: [*cellen[:i], cel, *cellen[i + 1:]], schoon,
                      st.integers(0, max(0, len(kolommen) - 1)), st.sampled_from(LASTIG))
    rommel = st.lists(st.sampled_from(SPELLINGEN + meer), min_size=max(0, len(kolommen) - 2),
                      max_size=len(kolommen) + 1)
    rij = st.builds(lambda naam, cellen: [naam, *cellen], st.sampled_from(NAMEN),
                    st.one_of(schoon.map(list), bijna, rommel))
    return header, draw(st.lists(rij, min_size=1, max_size=8))


@given(tabellen(), st.booleans())
def test_csv_fast_path_reads_what_the_cell_by_cell_path_reads(tabel: Any,
                                                              allow_missing: bool) -> None:
    header, rows = tabel
    assert (_lees(header, rows, allow_missing, snel=True)
            == _lees(header, rows, allow_missing, snel=False))


@given(tabellen(gestructureerd=True), st.booleans())
def test_structured_fast_path_reads_what_the_cell_by_cell_path_reads(tabel: Any,
                                                                     allow_missing: bool) -> None:
    header, rows = tabel
    assert (_lees(header, rows, allow_missing, snel=True)
            == _lees(header, rows, allow_missing, snel=False))


def test_fast_path_learns_spellings_and_still_reports_errors() -> None:
    """Clean rows take the fast path; a bad cell after them is still named by row and column."""
    header = ["organisatie", *[v for v in IDS if v != "3.1.1"]]
    rows = [[f"O{i}", *(["1", " v ", "3"] * 8)] for i in range(5)] + [["Z", "x", *["1"] * 23]]
    fout = _lees(header, rows, False, snel=True)
    assert fout[0] == "fout"
    assert fout[1] == [("row 7 (Z), column 2 (1.1.1): 'x' is not a score; use 1 or V "
                        "(voldoende), 3 or O (onvoldoende), NB (niet beoordeeld), or the words",
                        "t.csv", 7, None)]
    goed = _lees(header, rows[:5], False, snel=True)
    assert goed[0][0].scores["1.1.2"] is Score.VOLDOENDE
    assert goed[0][0].herkomst == "t.csv:2"


def _kader_met_plafond(mapping: dict[str, Any]) -> Any:
    """A generated kader plus a feit and a plafond on its first criterium."""
    mapping = json.loads(json.dumps(mapping))
    mapping["feiten"] = [{"id": "wachtlijst", "type": "boolean"}]
    mapping["themas"][0]["criteria"][0]["plafonds"] = [
        {"feit": "wachtlijst", "waarde": True, "max": "matig", "reden": "Wachtlijst."}]
    doc = Document(mapping, "k.yaml", {}, {})
    rules = registry().beslisregels
    data, problems = check_kader_document(doc, rules, None)
    assert problems == []
    return build_kader(doc, data, rules)


@st.composite
def kaders_met_beoordelingen(draw: Any) -> tuple[Any, list[Beoordeling]]:
    kader = _kader_met_plafond(draw(kader_mappings()))
    ids = [v.id for v in kader.verwachtingen]
    score = st.sampled_from(list(Score))
    beoordelingen = []
    for i in range(draw(st.integers(1, 12))):
        scores = {v: draw(score) for v in ids}
        if draw(st.integers(0, 9)) == 0:  # a reader plugin may leave a verwachting out
            scores.pop(draw(st.sampled_from(ids)))
        feiten = draw(st.sampled_from([{}, {"wachtlijst": True}, {"wachtlijst": False}]))
        beoordelingen.append(Beoordeling(f"O{i}", scores, feiten))
    return kader, beoordelingen


@given(kaders_met_beoordelingen())
def test_judging_by_column_equals_judging_each_organisation(case: Any) -> None:
    kader, beoordelingen = case
    per_org = [Beoordelaar(kader).beoordeel(b) for b in beoordelingen]
    assert Beoordelaar(kader).beoordeel_alle(beoordelingen) == per_org


@given(kaders_met_beoordelingen(), st.text(max_size=8))
def test_json_references_expand_to_the_uitkomst(case: Any, naam: str) -> None:
    """Whatever the names hold (quotes, newlines, any unicode), the file reads back whole."""
    kader, beoordelingen = case
    beoordelingen[0] = Beoordeling(naam + "\n\"\\é\u2028", dict(beoordelingen[0].scores))
    uitkomst = assess(kader, beoordelingen)
    data = json.loads(write_json(uitkomst))
    assert ontvouw(data) == json.loads(json.dumps(uitkomst))
    assert len(data["beslissingen"]) <= len(kader.criteria) * len(beoordelingen)


def test_the_2015_data_judged_alike_by_column() -> None:
    from kaderwerk.commands.assess import read_beoordelingen, resolve_scores

    beoordelingen = read_beoordelingen(STAP1, resolve_scores(STAP1, "2015")[0], Opties())
    per_org = [Beoordelaar(STAP1).beoordeel(b) for b in beoordelingen]
    assert len(per_org) == 26
    assert Beoordelaar(STAP1).beoordeel_alle(beoordelingen) == per_org


def test_empty_header_and_rows_read_alike() -> None:
    """Blank lines where the header and rows should be (deep fuzzing found an IndexError)."""
    for header in ([], [""], ["organisatie"]):
        for rows in ([[]], [[""]], [["A"]], [[], ["A", "1"]]):
            for allow_missing in (True, False):
                assert (_lees(header, rows, allow_missing, snel=True)
                        == _lees(header, rows, allow_missing, snel=False)), (header, rows)


def test_datum_and_kader_cells_read_alike() -> None:
    """Every kind of datum and kader cell, in an otherwise clean row, on both paths."""
    header = ["organisatie", *IDS, "datum", "kader"]
    schoon = ["" if v == "3.1.1" else "1" for v in IDS]
    for cel in [*EXTRA, *GESTRUCTUREERD]:
        for rows in ([["A", *schoon, cel, "k"]], [["A", *schoon, "2015-01-01", cel]]):
            snel = _lees(header, rows, False, snel=True)
            assert snel == _lees(header, rows, False, snel=False), rows
    assert _lees(header, [["A", *schoon, "2015-03-01", "k"]], False,
                 snel=True)[0][0].datum == "2015-03-01"
    for fout in ("2015-03-01T09:00", "2015-02-30", "2015-9-1", "garbage"):
        assert _lees(header, [["A", *schoon, fout, "k"]], False, snel=True)[0] == "fout"


def test_values_beyond_the_header_read_alike() -> None:
    """A value under an empty header cell or past the header's end is an error on both paths;
    empty padding is not."""
    header = ["organisatie", *IDS, ""]
    schoon = ["" if v == "3.1.1" else "1" for v in IDS]
    for staart in ([""], [" "], ["x"], ["", ""], ["", "x"], ["", " "]):
        rows = [["A", *schoon, *staart]]
        snel = _lees(header, rows, False, snel=True)
        assert snel == _lees(header, rows, False, snel=False), staart
        assert (snel[0] == "fout") == any(c.strip() for c in staart), staart
