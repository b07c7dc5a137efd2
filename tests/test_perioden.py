"""--sizes all computed exactly (domain/perioden.py) against the count-state proof at every small
size and against z3's quantifier elimination, and the time budget of the z3 route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from kaderwerk.domain import breuken as breuken_mod
from kaderwerk.domain import perioden
from kaderwerk.domain.breuken import GeenVorm, breuken, clausules
from kaderwerk.domain.breuktekst import BREUK_SOORTEN, nederlands
from kaderwerk.domain.errors import KaderwerkError
from kaderwerk.domain.verify import bewijs
from kaderwerk.sources.loader import load_kader
from kaderwerk.sources.manager import registry
from kaderwerk.testing import aantal_regels

from .strategies import SCHAAL, percentage_regel, regel
from .test_invoerruimte import GAT
from .test_symbolisch import DECIMAAL, PLAFONDS, _percentage_regels

BREEKT = set(BREUK_SOORTEN)


def _per_grootte(r, plafonds, n, open_) -> set[str]:
    ids = [f"v{i}" for i in range(n)]
    return {f.soort for f in bewijs(r, plafonds, ids, open_ids=ids if open_ else (),
                                     bereikbaarheid=False, max_per_soort=1)} & BREEKT


@given(st.one_of(regel(), percentage_regel(), _percentage_regels()), st.booleans(), PLAFONDS)
def test_exact_sizes_agree_with_the_count_proof_at_every_small_size(r, open_, plafonds) -> None:
    """Rules over voldoende, onvoldoende and beoordeeld (decimal percentages too): the exact
    break set holds a size exactly when the count-state proof at that size finds the kind."""
    assume(perioden.reeks_van(r, plafonds) is not None)
    vorm = breuken(r, plafonds, 0, open_)
    for n in range(16 if open_ else 41):
        assert {s for s, b in vorm.items() if b.bevat(n)} == _per_grootte(r, plafonds, n, open_)


@settings(max_examples=40)
@given(st.one_of(regel(), percentage_regel()), st.booleans(), PLAFONDS)
def test_exact_sizes_and_clauses_are_the_z3_closed_forms(r, open_, plafonds) -> None:
    """Where z3's elimination answers in time, it gives the same words, part for part."""
    exact = ({s: b.tekst() for s, b in breuken(r, plafonds, 0, open_).items()},
             clausules(r, 0, open_))
    assume(perioden.reeks_van(r, plafonds) is not None)
    origineel = breuken_mod.reeks_van
    breuken_mod.reeks_van = lambda *a: None
    try:
        z3_vorm = ({s: b.tekst() for s, b in breuken(r, plafonds, 0, open_).items()},
                   clausules(r, 0, open_))
    except GeenVorm:
        assume(False)
    finally:
        breuken_mod.reeks_van = origineel
    assert exact == z3_vorm


def test_decimal_percentages_are_proven_for_every_n(run_cli, tmp_path: Path) -> None:
    """33.3% and 66.7% compared exactly: 1000 v >= 333 m. The break set repeats every 1,000
    sizes; --sizes all states it, and --sizes A-B agrees with walking the count states."""
    pad = tmp_path / "decimaal.yaml"
    pad.write_text(DECIMAAL, encoding="utf-8")
    code, out, err = run_cli("check", pad, "--sizes", "all", "--format", "json")
    assert code == 1 and "internal error" not in err  # 2 of 3 is 66.67%: 66.6 < p < 66.7
    breuk = json.loads(out)["kaders"][0]["breuken"]["1.1"]
    tekst = breuk["niet_uitputtend"]["tekst"]
    assert breuk["bewezen"] and "every n ≥ 1001" in tekst
    # a row of single sizes at one step is one part, in English and in the Dutch table
    assert "every n from 256 to 994 with n mod 6 = 4" in tekst
    deel = next(d for d in breuk["niet_uitputtend"]["delen"] if d["van"] == 256)
    assert (deel["tot"], deel["stap"]) == (994, 6)
    assert "elke n van 256 tot en met 994 met n mod 6 = 4" in nederlands(tekst)
    a = json.loads(run_cli("check", pad, "--sizes", "0-300", "--format", "json")[1])
    b = json.loads(run_cli("check", pad, "--sizes", "0-300", "--format", "json",
                           "--proof", "counts")[1])
    assert a["kaders"][0]["groottes"] == b["kaders"][0]["groottes"]
    gaten = a["kaders"][0]["groottes"]["1.1"]["niet_uitputtend"]
    deel = breuk["niet_uitputtend"]["delen"]
    assert all(any(d["van"] <= n and (d["tot"] is None or n <= d["tot"])
                   and (n - d["van"]) % d["stap"] == 0 for d in deel) for n in gaten)


def test_period_and_start_of_a_decimal_rule() -> None:
    from .strategies import SCHAAL

    r = registry().beslisregels["percentage"].from_mapping({
        "type": "percentage", "regels": [
            {"oordeel": "voldoende", "als": {"voldoende": {"min": 66.7}}},
            {"oordeel": "matig", "als": {"voldoende": {"min": 33.3, "max": 66.6}}},
            {"oordeel": "onvoldoende", "als": {"voldoende": {"max": 33.2}}}]}, SCHAAL, None)
    reeks = perioden.reeks_van(r, ())
    assert reeks is not None and reeks.periode == 1000 and reeks.grens < 10_000


def test_a_rule_past_the_time_budget_says_so(run_cli, tmp_path: Path, monkeypatch) -> None:
    """A rule that reads niet_beoordeeld goes to z3's elimination, bounded by MAX_QE_MS: with a
    budget of 1 ms it is "not proven for every n" with the step that ran out, no traceback; the
    real size is still proven (exit 1 for the gap GAT has there)."""
    pad = tmp_path / "gat.yaml"
    pad.write_text(GAT, encoding="utf-8")
    kader = load_kader(pad, registry().beslisregels)
    assert perioden.reeks_van(kader.criteria[0].beslisregel, ()) is None
    monkeypatch.setattr(breuken_mod, "MAX_QE_MS", 1)
    code, out, err = run_cli("check", pad, "--sizes", "all")
    assert code == 1 and "internal error" not in err and "Traceback" not in err
    assert "1.1: sizes not proven for every n" in out and "ran out while" in out
    assert "not exhaustive" in out


@pytest.mark.parametrize("grens", [0.5, 0.25])
def test_a_period_past_the_limit_goes_to_z3(grens, monkeypatch) -> None:
    """A period and start past MAX_STAPPEN: no exact computation (z3's route decides)."""
    from .strategies import SCHAAL

    monkeypatch.setattr(perioden, "MAX_STAPPEN", 100)
    r = registry().beslisregels["percentage"].from_mapping({
        "type": "percentage", "regels": [
            {"oordeel": "voldoende", "als": {"voldoende": {"min": 50 + grens}}},
            {"oordeel": "onvoldoende", "als": {"voldoende": {"max": 50}}}]}, SCHAAL, None)
    assert perioden.reeks_van(r, ()) is None


NOOIT = {  # a clause no count state satisfies, per rule type
    "percentage": {"oordeel": "matig", "als": {"voldoende": {"gelijk": 40},
                                               "onvoldoende": {"gelijk": 70}}},
    "aantal": {"oordeel": "matig", "als": {"voldoende": {"min": 2}, "beoordeeld": {"max": 1}}},
}


PCT = st.one_of(st.integers(0, 100), st.sampled_from([12.5, 33.3, 49.9, 66.7, 99.9]))
PCT_BEREIK = st.one_of(st.builds(lambda a: {"min": a}, PCT), st.builds(lambda a: {"max": a}, PCT),
                       st.builds(lambda a: {"gelijk": a}, PCT))
PCT_REGELS = st.fixed_dictionaries({
    "type": st.just("percentage"), "hit": st.sampled_from(["uniek", "eerste"]),
    "afronding": st.sampled_from(["geen", "heel_procent"]),
    "regels": st.lists(st.fixed_dictionaries({
        "oordeel": st.sampled_from(SCHAAL.niveaus),
        "als": st.dictionaries(st.sampled_from(["voldoende", "onvoldoende"]), PCT_BEREIK,
                               min_size=1, max_size=2)}), min_size=1, max_size=3)})


@settings(max_examples=60, deadline=None)
@given(st.one_of(PCT_REGELS, aantal_regels(max_n=6)), st.booleans(), st.integers(0, 3),
       st.sampled_from([None, "matig"]), st.booleans(), PLAFONDS)
def test_sizes_all_raise_nothing_but_kaderwerk_errors(mapping, nooit, plek, zonder, open_,
                                                      plafonds) -> None:
    """Random rules, some with a clause that applies at no size, with and without niet
    beoordeeld: the closed forms are found or refused with a KaderwerkError, never a bug."""
    mapping = {**mapping, "zonder_beoordeling": zonder}
    if nooit:
        mapping["regels"] = [*mapping["regels"]]
        mapping["regels"].insert(plek, NOOIT[mapping["type"]])
    r = registry().beslisregels[mapping["type"]].from_mapping(mapping, SCHAAL, None)
    try:
        breuken(r, plafonds, 0, open_)
        assert len(clausules(r, 0, open_)) == len(mapping["regels"])
    except KaderwerkError:
        pass


KADER_NOOIT = """\
id: nooit
versie: "1"
titel: Nooit
bron: {document: test, volledig: true}
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: T
    norm: N.
    beslisregel:
      type: percentage
      zonder_beoordeling: matig
      regels:
        - {oordeel: voldoende, als: {voldoende: {min: 50}}}
        - {oordeel: onvoldoende, als: {voldoende: {max: 49.9}}}
        - {oordeel: matig, als: {voldoende: {gelijk: 40}, onvoldoende: {gelijk: 70}}}
    criteria:
      - id: "1.1"
        titel: C.
        verwachtingen:
          - {id: "1.1.1", tekst: V.}
          - {id: "1.1.2", tekst: V.}
"""


def test_a_clause_that_never_applies_with_niet_beoordeeld(run_cli, tmp_path: Path) -> None:
    """A clause that applies at no size while niet beoordeeld is allowed: "never applies at
    every n >= 1", with the gap of 49.9 < p < 50 from n = 501 (the tester's kader)."""
    pad = tmp_path / "nooit.yaml"
    pad.write_text(KADER_NOOIT, encoding="utf-8")
    code, out, err = run_cli("check", pad, "--sizes", "all")
    assert code == 1 and "internal error" not in err and "Traceback" not in err
    assert "1.1: clause 3 ('matig') never applies at every n ≥ 1" in out
    assert "1.1: not exhaustive at every n ≥ 501" in out


def test_an_internal_error_in_one_kader_leaves_the_others_proven(
        run_cli, tmp_path: Path, monkeypatch) -> None:
    """A bug while proving one kader is named with that kader (exit 3); the other kaders are
    still proven and the report file is still written."""
    from kaderwerk.domain import verify

    (tmp_path / "a.yaml").write_text(KADER_NOOIT, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(KADER_NOOIT.replace("id: nooit", "id: ander"),
                                     encoding="utf-8")
    echt = verify.check_kader

    def stuk(kader, **kw):
        if kader.id == "nooit":
            raise TypeError("a bug")
        return echt(kader, **kw)

    monkeypatch.setattr(verify, "check_kader", stuk)
    rapport = tmp_path / "check.junit"
    code, out, err = run_cli("check", tmp_path / "a.yaml", tmp_path / "b.yaml",
                             "--report", "junit", "--report-file", rapport)
    assert code == 3 and "Traceback" not in err
    assert "a.yaml: internal error (TypeError" in err and "ander@1: 1 finding" in out
    assert rapport.exists() and "ander" in rapport.read_text(encoding="utf-8")
