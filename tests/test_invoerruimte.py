"""One input space: ``check`` proves exactly the inputs ``assess`` accepts.

An assessed verwachting may be niet beoordeeld in a score file unless the kader declares
``score_verplicht``; the proof covers those count states by default, ``assess`` refuses niet
beoordeeld where it is declared, and a criterium left without an oordeel is counted and shown
in every output format.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from kaderwerk.domain.beoordeling import Opties, Tabel
from kaderwerk.domain.engine import Beoordelaar
from kaderwerk.domain.errors import InvoerError
from kaderwerk.domain.model import Kader
from kaderwerk.domain.verify import check_kader
from kaderwerk.sources.manager import registry
from kaderwerk.testing import aantal_regels

from .conftest import ROOT

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
SCORES = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015-scores.csv"

GAT = """\
id: gat
versie: "1"
titel: Kader met een gat bij niet beoordeeld
bron: {document: Test, volledig: true}
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: Thema
    beslisregel:
      type: aantal
      hit: uniek
      zonder_beoordeling: onvoldoende
      regels:
        - {oordeel: voldoende, als: {onvoldoende: {max: 0}, niet_beoordeeld: {max: 1}}}
        - {oordeel: matig, als: {onvoldoende: {gelijk: 1}, niet_beoordeeld: {gelijk: 0}}}
        - {oordeel: onvoldoende, als: {onvoldoende: {min: 2}}}
    criteria:
      - id: "1.1"
        titel: Criterium
        verwachtingen:
          - {id: "1.1.1", tekst: Een.}
          - {id: "1.1.2", tekst: Twee.}
          - {id: "1.1.3", tekst: Drie.}
"""
"""The regression case of the issue: matig needs niet_beoordeeld = 0, so one voldoende, one
onvoldoende and one niet beoordeeld gets no clause. Without niet beoordeeld the rule is fine."""


def stap1_zonder_score_verplicht(tmp: Path) -> str:
    """A copy of Stap 1 that accepts niet beoordeeld (its score_verplicht block removed)."""
    text = STAP1.read_text(encoding="utf-8")
    begin = text.index("score_verplicht:\n")
    eind = text.index("themas:\n", begin)
    pad = tmp / "stap1-open.yaml"
    pad.write_text(text[:begin] + text[eind:], encoding="utf-8")
    return str(pad)


def _schrijf(tmp: Path, naam: str, text: str) -> str:
    pad = tmp / naam
    pad.write_text(text, encoding="utf-8")
    return str(pad)


def _stap1_rij(cel: str) -> str:
    """The 2015 scores with 1.1.3 of the first organisation replaced by ``cel``."""
    regels = SCORES.read_text(encoding="utf-8").splitlines()
    cellen = regels[1].split(",")
    cellen[3] = cel
    regels[1] = ",".join(cellen)
    return "\n".join(regels) + "\n"


# -- assess refuses niet beoordeeld where the kader declares score_verplicht ------------------

@pytest.mark.parametrize(("cel", "opties"), [("NB", ()), ("niet beoordeeld", ()),
                                              ("", ("--allow-missing",))])
def test_stap1_refuses_niet_beoordeeld_with_its_location(tmp_path: Path, run_cli, cel: str,
                                                         opties: tuple[str, ...]) -> None:
    """Stap 1 declares score_verplicht: NB (or an empty cell under --allow-missing) for an
    assessed verwachting is refused at file, row and column, and the file is left as it was."""
    path = _schrijf(tmp_path, "s.csv", _stap1_rij(cel))
    voor = Path(path).read_bytes()
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", path, *opties)
    assert code == 1
    assert f"{path}:2:" in err and "column 4 (1.1.3)" in err and "score_verplicht" in err
    assert "internal error" not in err and "Traceback" not in err and out == ""
    assert Path(path).read_bytes() == voor


def test_stap1_refuses_a_missing_column_even_with_allow_missing(tmp_path: Path, run_cli) -> None:
    """Leaving out an assessed verwachting's column is niet beoordeeld too: refused at row 1."""
    regels = [",".join(c for i, c in enumerate(r.split(",")) if i != 3)
              for r in SCORES.read_text(encoding="utf-8").splitlines()]
    path = _schrijf(tmp_path, "s.csv", "\n".join(regels) + "\n")
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", path, "--allow-missing")
    assert code == 1 and f"{path}:1:" in err and "1.1.3" in err and "score_verplicht" in err
    assert "internal error" not in err


def test_stap1_proof_without_score_verplicht_finds_the_open_cases(tmp_path: Path,
                                                                  run_cli) -> None:
    """Stap 1's published rules say nothing about an assessed verwachting left open: without
    the encoded score_verplicht, check finds the count states assess would leave without an
    oordeel; with it (the bundled kader), check is ok."""
    code, out, _ = run_cli("check", stap1_zonder_score_verplicht(tmp_path), "--format", "json")
    assert code == 1
    gevonden = json.loads(out)["kaders"][0]["bevindingen"]
    assert any(f["tegenvoorbeeld"].get("niet_beoordeeld") for f in gevonden)
    assert run_cli("check", "veilig-thuis-stap-1")[0] == 0


# -- the regression of the issue: check covers niet beoordeeld by default ---------------------

def test_check_finds_the_niet_beoordeeld_gap_by_default(tmp_path: Path, run_cli) -> None:
    """The rule passes a proof without niet beoordeeld, but assess accepts NB: check reports
    the gap (at the beslisregel), and --niet-beoordeeld is an accepted alias of the default."""
    pad = _schrijf(tmp_path, "gat.yaml", GAT)
    code, out, err = run_cli("check", pad)
    assert code == 1
    assert f"{pad}:9:5: beslisregel of thema 1 (criterium 1.1; 3 verwachtingen)" in out
    assert "not exhaustive" in out and "1 voldoende, 1 onvoldoende, 1 niet beoordeeld" in out
    assert "internal error" not in out + err
    assert run_cli("check", pad, "--niet-beoordeeld") == (code, out, err)


def test_score_verplicht_closes_the_gap_and_assess_then_refuses_nb(tmp_path: Path,
                                                                   run_cli) -> None:
    """Declaring score_verplicht takes niet beoordeeld out of both check and assess."""
    verplicht = GAT.replace("    titel: Thema\n", "    titel: Thema\n    score_verplicht: true\n")
    pad = _schrijf(tmp_path, "gat.yaml", verplicht)
    assert run_cli("check", pad)[0] == 0
    scores = _schrijf(tmp_path, "s.csv", "organisatie,1.1.1,1.1.2,1.1.3\nA,1,3,NB\n")
    code, _, err = run_cli("assess", pad, scores)
    assert code == 1 and f"{scores}:2:" in err and "1.1.3" in err


def test_geen_oordeel_is_counted_and_shown_in_every_format(tmp_path: Path, run_cli) -> None:
    """A criterium left without an oordeel is never silent: 'geen oordeel' with its count in
    the text summary, json, csv, markdown, html and xlsx, and on stderr when writing files."""
    pad = _schrijf(tmp_path, "gat.yaml", GAT)
    scores = _schrijf(tmp_path, "s.csv", "organisatie,1.1.1,1.1.2,1.1.3\nA,1,3,NB\nB,1,3,3\n")
    code, out, _ = run_cli("assess", pad, scores)
    assert code == 0 and "geen oordeel: 1" in out
    code, _, err = run_cli("assess", pad, scores, *(x for f in ("json", "csv", "markdown", "html",
                                                                  "xlsx") for x in ("--format", f)),
                           "-o", str(tmp_path / "uit"))
    assert code == 0 and "geen oordeel: 1" in err
    uit = {p.suffix: p for p in (tmp_path / "uit").iterdir() if "-interactief." not in p.name}
    data = json.loads(uit[".json"].read_text(encoding="utf-8"))
    assert data["landelijk_beeld"]["criteria"]["1.1"]["geen_oordeel"] == 1
    assert "A,1,geen oordeel" in uit[".csv"].read_text(encoding="utf-8")
    md = uit[".md"].read_text(encoding="utf-8")
    assert "Geen oordeel |" in md and "| 1 |" in md.split("Geen oordeel |", 1)[1]
    assert "geen oordeel: 1" in uit[".html"].read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(io.BytesIO(uit[".xlsx"].read_bytes()))
    rijen = list(wb["Landelijk beeld"].iter_rows(values_only=True))
    assert rijen[0][-1] == "geen oordeel" and rijen[1][-1] == 1
    per_org = {r[0]: r[-1] for r in wb["Organisaties"].iter_rows(values_only=True)}
    assert per_org["A"] == "geen oordeel" and per_org["B"] == "onvoldoende"


# -- the property: check ok => assess gives an oordeel, over random kaders and inputs ---------

def _percentage_regels() -> Any:
    clause = st.fixed_dictionaries({
        "oordeel": st.sampled_from(["voldoende", "matig", "onvoldoende"]),
        "als": st.dictionaries(st.sampled_from(["voldoende", "onvoldoende"]),
                               st.fixed_dictionaries({"min": st.integers(0, 100)}),
                               min_size=1, max_size=1)})
    return st.fixed_dictionaries({
        "type": st.just("percentage"), "hit": st.sampled_from(["uniek", "eerste"]),
        "zonder_beoordeling": st.sampled_from([None, "voldoende", "onvoldoende"]),
        "afronding": st.sampled_from(["geen", "heel_procent"]),
        "regels": st.lists(clause, min_size=1, max_size=3)})


def _drempels() -> Any:
    """Threshold rules on onvoldoende that often pass check; some clauses also ask for no
    niet beoordeeld (the issue's case), which only a proof with niet beoordeeld catches."""
    def regel(a: int, zonder: str | None, nb: tuple[bool, bool]) -> dict[str, Any]:
        geen_nb = {"niet_beoordeeld": {"gelijk": 0}}
        return {"type": "aantal", "hit": "uniek", "zonder_beoordeling": zonder, "regels": [
            {"oordeel": "voldoende",
             "als": {"onvoldoende": {"max": a}} | (geen_nb if nb[0] else {})},
            {"oordeel": "matig",
             "als": {"onvoldoende": {"gelijk": a + 1}} | (geen_nb if nb[1] else {})},
            {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": a + 2}}}]}

    return st.builds(regel, st.integers(0, 1),
                     st.sampled_from([None, "voldoende", "onvoldoende"]),
                     st.tuples(st.booleans(), st.booleans()))


@st.composite
def _kaders(draw: Any) -> Kader:
    """Small kaders: random rules (some closed by a catch-all clause), random sizes, some
    verwachtingen not assessed, score_verplicht on some criteria."""
    criteria = []
    for ci in range(draw(st.integers(1, 2))):
        soort = draw(st.integers(0, 3))
        regel = draw(_drempels() if soort < 2 else aantal_regels(max_n=4) if soort == 2
                     else _percentage_regels())
        if soort >= 2 and draw(st.booleans()):
            regel = {**regel, "hit": "eerste", "regels": [
                *regel["regels"], {"oordeel": "onvoldoende", "als": {"totaal": {"min": 0}}}]}
        n = draw(st.integers(4, 5))
        verwachtingen = [{"id": f"1.{ci + 1}.{vi + 1}", "tekst": "V",
                          "beoordeeld": vi > 0 or draw(st.integers(0, 3)) > 0}
                         for vi in range(n)]
        criteria.append({"id": f"1.{ci + 1}", "titel": "C", "verwachtingen": verwachtingen,
                         "beslisregel": regel, "score_verplicht": draw(st.booleans())})
    data = {"id": "k", "versie": "1", "titel": "K", "oordeelschaal": ["voldoende", "matig",
                                                                      "onvoldoende"],
            "themas": [{"id": "1", "titel": "T", "criteria": criteria}]}
    soorten = registry().beslisregels
    return Kader.from_mapping(data, lambda r, schaal, bron, pad: soorten[r["type"]].from_mapping(
        r, schaal, bron))


@given(_kaders(), st.data())
def test_check_ok_means_assess_gives_an_oordeel(kader: Kader, data: Any) -> None:
    """For random kaders and random inputs the reader accepts (NB, empty cells under
    --allow-missing), a kader that passes check gives every criterium an oordeel."""
    rapport = check_kader(kader)
    event(f"check ok: {rapport.ok}")
    if not rapport.ok:
        return
    ids = [v.id for v in kader.verwachtingen]
    opties = Opties(allow_missing=data.draw(st.booleans()))
    open_cel = st.sampled_from(["1", "3", "NB", "NB", "", "O"])
    verplicht_cel = st.sampled_from(["1", "3", "V", "O", "1", "3", "NB", ""])
    niet = st.sampled_from(["", "NB", "", "NB", "1"])
    rij = st.tuples(*((verplicht_cel if c.score_verplicht else open_cel) if v.beoordeeld
                      else niet for c in kader.criteria for v in c.verwachtingen))
    rijen = data.draw(st.lists(rij, min_size=3, max_size=8))
    rechter = Beoordelaar(kader)
    for nr, cellen in enumerate(rijen, 2):
        try:
            [b] = Tabel(kader, "s.csv", opties).lees(["organisatie", *ids],
                                                      [(nr, [f"org{nr}", *cellen])])
        except InvoerError:
            event("input refused")
            continue
        event("input accepted")
        uitkomst = rechter.beoordeel(b)
        assert all(c["oordeel"] is not None for c in uitkomst["criteria"].values()), uitkomst


def test_show_says_where_niet_beoordeeld_is_refused(run_cli) -> None:
    """``show`` names score_verplicht and marks Stap 1's as a reconstruction."""
    code, out, _ = run_cli("show", "veilig-thuis-stap-1")
    assert code == 0 and "score_verplicht (elk criterium)" in out and "(reconstructie)" in out
    code, out, _ = run_cli("show", "veilig-thuis-stap-1", "--format", "json")
    criteria = [c for t in json.loads(out)["themas"] for c in t["criteria"]]
    assert all(c["score_verplicht"] for c in criteria)
    assert criteria[0]["score_verplicht_bron"]["reconstructie"] is True
