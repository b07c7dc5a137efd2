"""The proofs find each kind of inconsistency, with a concrete counterexample."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from kaderwerk.domain.beslisregel import Invoer, Telling
from kaderwerk.domain.model import Oordeelschaal, Plafond
from kaderwerk.domain.verify import bereiken, bewijs, feit_waarden
from kaderwerk.sources.manager import registry
from kaderwerk.testing import aantal_regels

SCHAAL = Oordeelschaal(("voldoende", "matig", "onvoldoende"))


def _regel(regels, hit="uniek", zonder=None):
    return registry().beslisregels["aantal"].from_mapping(
        {"type": "aantal", "hit": hit, "regels": regels, "zonder_beoordeling": zonder},
        SCHAAL, None)


IDS = ["a", "b", "c", "d"]


def test_overlap_under_uniek_is_found() -> None:
    """Two clauses that both apply under hit uniek are reported with the counts and clauses."""
    r = _regel([{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 1}}},
                {"oordeel": "matig", "als": {"onvoldoende": {"min": 1, "max": 2}}},
                {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 3}}}])
    f = [x for x in bewijs(r, (), IDS) if x.soort == "overlap"]
    assert len(f) == 1
    assert f[0].tegenvoorbeeld == {"voldoende": 3, "onvoldoende": 1, "niet_beoordeeld": 0,
                                   "regels": [1, 2]}


def test_overlap_is_fine_under_eerste() -> None:
    """The same rule with hit eerste is exhaustive and exclusive: the first match wins."""
    r = _regel([{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 1}}},
                {"oordeel": "matig", "als": {"onvoldoende": {"min": 1, "max": 2}}},
                {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 3}}}], hit="eerste")
    assert bewijs(r, (), IDS) == []


def test_non_monotone_rule_is_found() -> None:
    """One onvoldoende turned voldoende giving a worse oordeel is reported with both cases."""
    r = _regel([{"oordeel": "onvoldoende", "als": {"voldoende": {"gelijk": 4}}},
                {"oordeel": "voldoende", "als": {"voldoende": {"max": 3}}}])
    f = [x for x in bewijs(r, (), IDS) if x.soort == "niet_monotoon"]
    assert f and f[0].tegenvoorbeeld["van"]["voldoende"] == 3
    assert f[0].tegenvoorbeeld["oordeel_naar"] == "onvoldoende"


def test_unreachable_clause_is_found() -> None:
    """A clause that can never apply at the criterium's size is reported."""
    r = _regel([{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 4}}},
                {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 5}}}])
    f = bewijs(r, (), IDS)
    assert [x.soort for x in f] == ["onbereikbaar"]
    assert f[0].tegenvoorbeeld == {"regel": 2, "oordeel": "onvoldoende"}


def test_nothing_assessed_without_zonder_beoordeling_is_a_gap() -> None:
    """With every verwachting niet beoordeeld, assess gives no oordeel unless the rule has a
    zonder_beoordeling: that is a finding, and zonder_beoordeling closes it."""
    regels = [{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 0}}},
              {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 1}}}]
    r = _regel(regels)
    f = bewijs(r, (), IDS, met_nb=True)
    assert [x.soort for x in f] == ["niet_uitputtend"]
    assert f[0].tegenvoorbeeld == {"voldoende": 0, "onvoldoende": 0, "niet_beoordeeld": 4}
    assert r.beslis(Invoer(Telling(0, 0, 4))).oordeel is None
    assert bewijs(_regel(regels, zonder="onvoldoende"), (), IDS, met_nb=True) == []
    assert bewijs(r, (), IDS) == []  # without niet beoordeeld, zero assessed cannot occur


def test_plafond_facts_are_tried_both_ways() -> None:
    """Every fact a plafond reads is tried without and with its value."""
    p = (Plafond("wachtlijst", True, "matig", "r"), Plafond("klachten", 3, "onvoldoende", "r"))
    combos = feit_waarden(p)
    assert len(combos) == 4
    assert {"klachten": 3, "wachtlijst": True} in combos
    assert {"klachten": None, "wachtlijst": None} in combos


def test_bereiken_compresses_sizes() -> None:
    """Sizes print as ranges."""
    assert bereiken([2, 3, 6, 7, 8, 10]) == "2-3, 6-8, 10"
    assert bereiken([]) == ""


FEITEN = st.lists(st.builds(lambda f, w, m: Plafond(f, w, m, "r"),
                            st.sampled_from(["f0", "f1", "f2"]), st.sampled_from([True, "x", 2]),
                            st.sampled_from(SCHAAL.niveaus)), max_size=6)


@settings(max_examples=80, deadline=None)
@given(aantal_regels(SCHAAL.niveaus, 4), FEITEN, st.integers(1, 5), st.booleans())
def test_one_fact_combination_decides_monotonicity(mapping, plafonds, n, open_) -> None:
    """Monotone under every combination of feiten exactly when under the least capping one
    (``ruimste_feiten``), which both proofs try: the oracle walks every combination; a proof
    costs the same with 2 or 20 feiten (was 2^feiten)."""
    from kaderwerk.domain.engine import beslis
    from kaderwerk.domain.gevallen import monotone_paren, telling_gevallen
    from kaderwerk.domain.symbolisch import bewijs_symbolisch

    r = registry().beslisregels["aantal"].from_mapping(mapping, SCHAAL, None)
    gevallen = list(telling_gevallen(n, 0, met_nb=open_))
    orakel = any(
        a is not None and b is not None and SCHAAL.slechter(b, a)
        and r.beslis(w.invoer()).oordeel in SCHAAL.niveaus
        and r.beslis(v.invoer()).oordeel in SCHAAL.niveaus
        for feiten in feit_waarden(plafonds) for w, v in monotone_paren(gevallen)
        for a, b in [(beslis(r, plafonds, w.invoer(), feiten).oordeel,
                      beslis(r, plafonds, v.invoer(), feiten).oordeel)])
    ids = [f"v{i}" for i in range(n)]
    open_ids = ids if open_ else ()
    for gevonden in (bewijs(r, plafonds, ids, open_ids=open_ids),
                     bewijs_symbolisch(r, plafonds, ids, open_ids=open_ids)):
        assert any(f.soort == "niet_monotoon" for f in gevonden) == orakel


def test_monotone_compares_onvoldoende_with_voldoende_only() -> None:
    """What "monotone" means (docs/methodologist.md): one onvoldoende turned voldoende. A
    niet beoordeeld turned voldoende is not compared, by either proof: this rule (the tester's)
    gives matig at 0 V, 2 O, 1 NB and onvoldoende at 1 V, 2 O, and passes."""
    from kaderwerk.domain.symbolisch import bewijs_symbolisch

    r = _regel([{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 1},
                                                 "beoordeeld": {"min": 3}}},
                {"oordeel": "matig", "als": {"beoordeeld": {"max": 2}}},
                {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 2},
                                                   "beoordeeld": {"min": 3}}}], zonder="matig")
    assert r.beslis(Invoer(Telling(0, 2, 1))).oordeel == "matig"
    assert r.beslis(Invoer(Telling(1, 2, 0))).oordeel == "onvoldoende"
    ids = ["a", "b", "c"]
    for gevonden in (bewijs(r, (), ids, open_ids=ids), bewijs_symbolisch(r, (), ids, open_ids=ids)):
        assert not [f for f in gevonden if f.soort == "niet_monotoon"]
