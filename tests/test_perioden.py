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
from kaderwerk.domain.verify import bewijs
from kaderwerk.sources.loader import load_kader
from kaderwerk.sources.manager import registry

from .strategies import percentage_regel, regel
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
