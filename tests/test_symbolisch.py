"""The symbolic proof (z3) against the count-state proof (the oracle) and brute force."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.domain.beslisregel import Invoer, Ongelijkheid, Telling
from kaderwerk.domain.breuken import breuken, clausules
from kaderwerk.domain.breuktekst import BREUK_SOORTEN
from kaderwerk.domain.engine import beslis
from kaderwerk.domain.errors import KaderwerkError
from kaderwerk.domain.model import Plafond, Score
from kaderwerk.domain.symbolisch import bewijs_symbolisch, ondersteund
from kaderwerk.domain.verify import bewijs
from kaderwerk.sources.catalog import catalog

from .strategies import SCHAAL, percentage_regel, regel
from .test_properties import _AlsVector

BREEKT = {"niet_uitputtend", "overlap", "niet_monotoon", "buiten_schaal"}


def _oordelen(findings) -> set[tuple]:
    """The verdicts of a proof: each kind, and for reachability which clause."""
    out = set()
    for f in findings:
        t = f.tegenvoorbeeld
        out.add((f.soort, t.get("regel") if f.soort in ("onbereikbaar", "overschaduwd") else 0))
    return out


def _telling(d) -> Telling:
    return Telling(d["voldoende"], d["onvoldoende"], d["niet_beoordeeld"])


def _replay(r, plafonds, f, ids, open_ids) -> None:
    """The counterexample lies in the input space and, run through the engine, shows f."""
    t = f.tegenvoorbeeld
    if f.soort in ("niet_uitputtend", "overlap", "buiten_schaal"):
        tel = _telling(t)
        assert tel.beoordeeld + tel.niet_beoordeeld == len(ids)
        assert tel.niet_beoordeeld <= len(set(open_ids))
        vector = t["scores"]
        assert Telling.van_scores(Score(s) for s in vector.values()) == tel
        assert all(vector[i] == str(Score.NIET_BEOORDEELD) or True for i in open_ids)
        assert all(vector[i] != str(Score.NIET_BEOORDEELD) for i in ids if i not in open_ids)
        b = r.beslis(Invoer(tel))
        if f.soort == "buiten_schaal":
            assert b.oordeel not in r.schaal
        else:
            assert b.oordeel is None
            assert (len(b.passend) > 1) == (f.soort == "overlap")
    elif f.soort == "niet_monotoon":
        van, naar = _telling(t["van"]), _telling(t["naar"])
        assert (naar.voldoende, naar.onvoldoende) == (van.voldoende + 1, van.onvoldoende - 1)
        o_van = beslis(r, plafonds, Invoer(van), t["feiten"]).oordeel
        o_naar = beslis(r, plafonds, Invoer(naar), t["feiten"]).oordeel
        assert (o_van, o_naar) == (t["oordeel_van"], t["oordeel_naar"])
        assert r.schaal.slechter(o_naar, o_van)


def _percentage_regels():
    """Percentage rules with min, max and both, whole and fractional percentages."""
    from kaderwerk.sources.manager import registry

    cls = registry().beslisregels["percentage"]
    pct = st.one_of(st.integers(0, 100), st.sampled_from([12.5, 33.3, 50.5, 66.7, 99.9]))
    bereik = st.one_of(st.builds(lambda a: {"min": a}, pct), st.builds(lambda a: {"max": a}, pct),
                       st.builds(lambda a, b: {"min": min(a, b), "max": max(a, b)}, pct, pct))
    clause = st.builds(lambda o, als: {"oordeel": o, "als": als}, st.sampled_from(SCHAAL.niveaus),
                       st.dictionaries(st.sampled_from(["voldoende", "onvoldoende"]), bereik,
                                       min_size=1, max_size=2))
    return st.builds(
        lambda regels, hit, afr: cls.from_mapping(
            {"type": "percentage", "regels": regels, "hit": hit, "afronding": afr}, SCHAAL, None),
        st.lists(clause, min_size=1, max_size=3), st.sampled_from(["uniek", "eerste"]),
        st.sampled_from(["geen", "heel_procent"]))


PLAFONDS = st.lists(st.builds(lambda m: Plafond("wachtlijst", True, m, "wachtlijst"),
                              st.sampled_from(SCHAAL.niveaus)), max_size=1)


def _agree(r, n, nb, plafonds) -> None:
    ids = [f"v{i}" for i in range(n)]
    open_ids = {"geen": [], "alle": ids, "deel": ids[: n // 2]}[nb]
    symbolisch = bewijs_symbolisch(r, plafonds, ids, open_ids=open_ids, max_per_soort=None)
    tellingen = bewijs(r, plafonds, ids, open_ids=open_ids)
    assert _oordelen(symbolisch) == _oordelen(tellingen)
    assert ({f.boodschap for f in symbolisch if f.soort == "onbereikbaar"}
            == {f.boodschap for f in tellingen if f.soort == "onbereikbaar"})
    for f in symbolisch:
        _replay(r, plafonds, f, ids, open_ids)
    if n <= 5 and nb != "deel":
        vectoren = bewijs(_AlsVector(r), plafonds, ids, met_nb=nb == "alle")
        assert {f.soort for f in symbolisch} & BREEKT == {f.soort for f in vectoren} & BREEKT


@given(regel(), st.integers(0, 7), st.sampled_from(["geen", "alle", "deel"]), PLAFONDS)
def test_count_rules_symbolic_agrees_with_counts_and_vectors(r, n, nb, plafonds) -> None:
    """For random count rules, z3, the count states and the score vectors give the same verdicts,
    and every counterexample z3 found, replayed through the engine, shows its finding."""
    _agree(r, n, nb, plafonds)


@given(st.one_of(percentage_regel(), _percentage_regels()), st.integers(0, 12),
       st.sampled_from(["geen", "alle", "deel"]))
def test_percentage_rules_symbolic_agrees_with_counts(r, n, nb) -> None:
    """The same for percentage rules, with and without rounding to a whole percent."""
    _agree(r, n, nb, [])


@given(st.one_of(percentage_regel(), _percentage_regels()), st.integers(1, 150), st.data())
def test_percentage_inequalities_are_the_rounded_comparison(r, b, data) -> None:
    """Each clause's linear inequalities hold exactly when its range holds for the value the
    rule computes (exact fraction, or rounded half up to a whole percent)."""
    t = data.draw(st.integers(0, b))
    tel = Telling(t, b - t)
    for conds, ongelijk in zip(r.condities, r.voorwaarden(), strict=True):
        expected = all(c.bevat(r.waarde(c.naam, tel)) for c in conds)
        assert all(o.geldt(tel) for o in ongelijk) == expected


def _per_grootte(r, plafonds, n, open_) -> set[str]:
    ids = [f"v{i}" for i in range(n)]
    return {f.soort for f in bewijs(r, plafonds, ids, open_ids=ids if open_ else (),
                                     bereikbaarheid=False, max_per_soort=1)} & BREEKT


@given(regel(), st.booleans(), PLAFONDS)
def test_closed_form_agrees_with_the_count_proof_at_every_small_size(r, open_, plafonds) -> None:
    """--sizes all: the closed form says a rule breaks at n exactly when the count-state proof
    at size n finds that kind of finding (n = 0..14; past every threshold of these rules)."""
    vorm = breuken(r, plafonds, 0, open_)
    for n in range(13 if open_ else 21):
        assert {s for s, b in vorm.items() if b.bevat(n)} == _per_grootte(r, plafonds, n, open_)
    for s, b in vorm.items():
        for d in b.delen:
            assert d.bevat(d.voorbeeld["grootte"]) and s in _per_grootte(
                r, plafonds, d.voorbeeld["grootte"], open_)


@given(regel(), st.booleans())
def test_clause_reachability_for_every_n_agrees_with_the_count_proof(r, open_) -> None:
    """Per clause, the closed forms of "never applies" and "never decides" say at which n >= 1
    the count-state proof at size n reports that clause so."""
    from kaderwerk.domain.model import Oordeelschaal

    vorm = clausules(r, 0, open_)
    assert all(c.oordeel in Oordeelschaal(SCHAAL.niveaus) for c in r.clausules)
    for n in range(1, 11 if open_ else 16):
        ids = [f"v{i}" for i in range(n)]
        echt = {(f.soort, f.tegenvoorbeeld["regel"]) for f in bewijs(
            r, (), ids, open_ids=ids if open_ else ()) if f.soort in ("onbereikbaar",
                                                                       "overschaduwd")}
        gesloten = set()
        for c in vorm:
            for soort in ("onbereikbaar", "overschaduwd"):
                if any(n >= d["van"] and (d["tot"] is None or n <= d["tot"])
                       and (n - d["van"]) % d["stap"] == 0 for d in c[soort]["delen"]):
                    gesloten.add((soort, c["regel"]))
        assert gesloten == echt, n


def _stap1():
    return catalog().get("veilig-thuis-stap-1")


def test_stap1_sizes_all_states_what_the_rule_texts_imply() -> None:
    """Randvoorwaarden breaks at 2-3 and from 6, Veiligheid at 1-2 and from 4, Organisatie's 51%
    at odd sizes from 51 and every size from 101 (and every rule at 0: nothing assessed)."""
    k = _stap1()
    verwacht = {"1": "0, 2-3 and every n ≥ 6", "2": "0-2 and every n ≥ 4",
                "3": "0, every odd n ≥ 51, and every n ≥ 101"}
    for c in k.criteria:
        _, vast, _ = (None, [v for v in c.verwachtingen if not v.beoordeeld], None)
        vorm = breuken(c.beslisregel, c.plafonds, len(vast), open_=False)
        assert vorm["niet_uitputtend"].tekst() == verwacht[k.thema_van(c).id]
        assert all(vorm[s].tekst() == "never" for s in BREUK_SOORTEN if s != "niet_uitputtend")


def test_stap1_organisatie_closed_form_agrees_with_counts_up_to_220() -> None:
    """The 51% rule, by the count proof (n+1 states per size, score_verplicht) for n = 0..220."""
    c = next(c for c in _stap1().criteria if c.id == "3.2")
    vorm = breuken(c.beslisregel, c.plafonds, 0, open_=False)
    for n in range(221):
        assert vorm["niet_uitputtend"].bevat(n) == ("niet_uitputtend" in _per_grootte(
            c.beslisregel, c.plafonds, n, False)), n


def test_check_sizes_all_in_text_json_and_reports(run_cli, tmp_path: Path) -> None:
    """The closed form reaches text, json and every report (a note: it does not fail check)."""
    junit, sarif = tmp_path / "j.xml", tmp_path / "s.sarif"
    code, out, err = run_cli("check", "veilig-thuis-stap-1", "--sizes", "all", "--report",
                             "junit", "--report-file", junit, "--report", "sarif",
                             "--report-file", sarif)
    assert code == 0 and "internal error" not in err
    assert "every odd n ≥ 51, and every n ≥ 101" in out and "2-3 and every n ≥ 6" in out
    assert "1.1: clause 2 ('matig als 2" in out and "never applies at 1-3 and every n ≥ 6" in out
    assert "n=51: 26 voldoende, 25 onvoldoende" in out
    results = json.loads(sarif.read_text("utf-8"))["runs"][0]["results"]
    noten = [r for r in results if r["ruleId"] == "kaderwerk/check/groottes"]
    assert len(noten) == 7 + 10 and all(r["level"] == "note" for r in noten)
    assert "2015.yaml" in noten[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert "every n ≥ 6" in ET.parse(junit).getroot().find(".//system-out").text
    code, out, _ = run_cli("check", "veilig-thuis-stap-1", "--sizes", "all", "--format", "json")
    data = json.loads(out)["kaders"][0]["breuken"]
    assert data["3.1"]["niet_uitputtend"]["tekst"] == "0, every odd n ≥ 51, and every n ≥ 101"
    deel = data["3.1"]["niet_uitputtend"]["delen"][1]
    assert (deel["van"], deel["tot"], deel["stap"]) == (51, None, 2)
    code, out, _ = run_cli("check", "veilig-thuis-stap-1", "--sizes", "github", "--format", "json")
    assert code == 2


def test_sizes_range_agrees_with_sizes_all_and_with_the_count_proof(run_cli) -> None:
    """--sizes A-B gives the same sizes by the closed form and by walking the count states."""
    a = json.loads(run_cli("check", "veilig-thuis-stap-1", "--sizes", "0-104", "--format",
                           "json")[1])
    b = json.loads(run_cli("check", "veilig-thuis-stap-1", "--sizes", "0-104", "--format",
                           "json", "--proof", "counts")[1])
    assert a["kaders"][0]["groottes"] == b["kaders"][0]["groottes"]
    assert a["kaders"][0]["groottes"]["3.1"]["niet_uitputtend"][:3] == [0, 51, 53]


def test_sizes_all_under_proof_counts_says_it_is_not_proven(run_cli) -> None:
    code, out, _ = run_cli("check", "veilig-thuis-stap-1", "--sizes", "all", "--proof", "counts")
    assert code == 0 and "not proven for every n" in out


def test_a_criterium_of_ten_thousand_verwachtingen_is_proven(run_cli, tmp_path: Path) -> None:
    """10,000 verwachtingen that may be niet beoordeeld (50 million count states) are proven."""
    from .test_check_bevindingen import _groot

    code, out, err = run_cli("check", _groot(tmp_path, 10_000, verplicht=False))
    assert code == 1 and "internal error" not in err and "cases, more than" not in err
    assert "and more cases like it" in out


class _Liegt:
    """A plugin rule type whose voorwaarden() claim a gap that its beslis() does not have."""

    telt_alleen, handmatig, hit, zonder_beoordeling, type = True, False, "eerste", "voldoende", "x"
    schaal = SCHAAL

    def __init__(self) -> None:
        from kaderwerk.domain.beslisregel import Clausule

        self.clausules = (Clausule("voldoende"),)

    def voorwaarden(self):
        return ((Ongelijkheid((("onvoldoende", -1),), 0),),)  # only with no onvoldoende

    def beslis(self, invoer):
        from kaderwerk.domain.beslisregel import Beslissing

        return Beslissing("voldoende", 0, "altijd", (0,))


def test_a_rule_type_whose_conditions_disagree_with_beslis_is_named() -> None:
    assert ondersteund(_Liegt())
    with pytest.raises(KaderwerkError, match="rule type 'x'"):
        bewijs_symbolisch(_Liegt(), (), ["a", "b"])


def test_without_z3_check_says_how_to_go_on(run_cli, monkeypatch) -> None:
    """A broken or missing z3 is an error with the way out, not a traceback."""
    import sys

    from kaderwerk.domain import gevallen

    monkeypatch.setitem(sys.modules, "z3", None)
    monkeypatch.setattr(gevallen, "MAX_GETELD", 0)  # every rule to z3, however small
    code, _, err = run_cli("check", "veilig-thuis-stap-1")
    assert code == 1 and "z3-solver" in err and "--proof counts" in err
    assert "internal error" not in err and "Traceback" not in err
    assert run_cli("check", "veilig-thuis-stap-1", "--proof", "counts")[0] == 0


DECIMAAL = """\
id: decimaal
versie: "1"
titel: Een percentage met een decimaal
bron: {document: Test}
oordeelschaal: [voldoende, matig, onvoldoende]
score_verplicht: true
themas:
  - id: "1"
    titel: Thema
    beslisregel:
      type: percentage
      afronding: geen
      hit: uniek
      regels:
        - {oordeel: voldoende, als: {voldoende: {min: 66.7}}}
        - {oordeel: matig, als: {voldoende: {min: 33.3, max: 66.6}}}
        - {oordeel: onvoldoende, als: {voldoende: {max: 33.2}}}
    criteria:
      - id: "1.1"
        titel: C
        verwachtingen:
          - {id: "1.1.1", tekst: Een.}
          - {id: "1.1.2", tekst: Twee.}
          - {id: "1.1.3", tekst: Drie.}
"""


def test_a_percentage_rule_with_period_four_agrees_with_the_count_proof() -> None:
    """50% and 75% compared exactly: gaps just below 50% and 75% recur with period 4; the
    closed form says so ("every n ≥ 27 with n mod 4 = 3") and agrees with the count proof."""
    from kaderwerk.sources.manager import registry

    r = registry().beslisregels["percentage"].from_mapping({
        "type": "percentage", "afronding": "geen", "regels": [
            {"oordeel": "voldoende", "als": {"voldoende": {"min": 75}}},
            {"oordeel": "matig", "als": {"voldoende": {"min": 50, "max": 74}}},
            {"oordeel": "onvoldoende", "als": {"voldoende": {"max": 49}}}]}, SCHAAL, None)
    vorm = breuken(r, (), 0, open_=False)
    assert "every n ≥ 27 with n mod 4 = 3" in vorm["niet_uitputtend"].tekst()
    for n in range(131):
        assert vorm["niet_uitputtend"].bevat(n) == ("niet_uitputtend" in _per_grootte(
            r, (), n, False)), n


def test_a_handmatig_rule_breaks_at_no_size(run_cli) -> None:
    """The inspector's oordeel does not depend on n: every kind is 'never', as --sizes A-B says."""
    code, out, _ = run_cli("check", "stelseltoezicht-jeugd", "--sizes", "all", "--format", "json")
    breuken_ = json.loads(out)["kaders"][0]["breuken"]
    assert code == 0 and breuken_
    assert all(b[s]["tekst"] == "never" for b in breuken_.values() for s in BREUK_SOORTEN)


def test_conditions_of_the_wrong_shape_are_named() -> None:
    """voorwaarden() with a clause missing or an unknown count: an error naming the rule type."""

    class Kort(_Liegt):
        def voorwaarden(self):
            return ()

    class Onbekend(_Liegt):
        def voorwaarden(self):
            return ((Ongelijkheid((("scores", 1),), 0),),)

    for regel_ in (Kort(), Onbekend()):
        with pytest.raises(KaderwerkError,
                           match=r"^plugin [a-z_.]* failed in voorwaarden of rule type 'x': "):
            bewijs_symbolisch(regel_, (), ["a"])


VEEL = """\
id: veel
versie: "1"
titel: Veel
bron: {document: t, volledig: true}
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: T
    norm: N.
    beslisregel:
      type: aantal
      zonder_beoordeling: matig
      regels:
REGELS
    criteria:
      - id: "1.1"
        titel: C
        verwachtingen:
          - {id: "1.1.1", tekst: V.}
          - {id: "1.1.2", tekst: V.}
          - {id: "1.1.3", tekst: V.}
"""


def test_many_clauses_are_proven_in_linear_formulas(run_cli, tmp_path: Path, monkeypatch) -> None:
    """300 clauses {onvoldoende: {gelijk: i}} (the tester's kader; 1,000 took over 300 s), with
    a gap at 1, an overlap at 0 and a worse oordeel at 2 than at 3: z3's formulas share each
    clause's conditions, and a rule with few count states is walked instead; both routes give
    the same findings."""
    from kaderwerk.domain import gevallen

    oordeel = {0: "voldoende", 2: "onvoldoende", 3: "voldoende"}
    regels = [f"        - {{oordeel: {oordeel.get(i, 'onvoldoende')}, als: "
              f"{{onvoldoende: {{gelijk: {i}}}}}}}\n" for i in range(300) if i != 1]
    regels.insert(1, "        - {oordeel: matig, als: {onvoldoende: {gelijk: 0}}}\n")
    pad = tmp_path / "veel.yaml"
    pad.write_text(VEEL.replace("REGELS\n", "".join(regels)), encoding="utf-8")
    uit = []
    for geteld in (50_000, 0):  # walked, then z3
        monkeypatch.setattr(gevallen, "MAX_GETELD", geteld)
        code, out, err = run_cli("check", pad, "--format", "json")
        assert code == 1 and "Traceback" not in err
        bevindingen = json.loads(out)["kaders"][0]["bevindingen"]
        uit.append({b["soort"] for b in bevindingen})
    assert uit[0] == uit[1] >= {"niet_uitputtend", "overlap", "niet_monotoon", "onbereikbaar"}


def test_a_rule_past_the_clause_limit_is_bounded(run_cli, tmp_path: Path) -> None:
    """More than MAX_Z3_CLAUSULES clauses: walked state by state, each state counting once per
    clause; at 400 verwachtingen that is past the case limit, refused with the clauses named."""
    regels = "".join(f"        - {{oordeel: onvoldoende, als: {{onvoldoende: {{gelijk: {i}}}}}}}\n"
                     for i in range(260))
    verwachtingen = "".join(f'          - {{id: "1.1.{i}", tekst: V.}}\n' for i in range(4, 401))
    pad = tmp_path / "veel.yaml"
    pad.write_text(VEEL.replace("REGELS\n", regels) + verwachtingen, encoding="utf-8")
    code, _, err = run_cli("check", pad)
    assert code == 1 and "Traceback" not in err and f"{pad}:" in err
    assert "more than 250 clauses" in err
