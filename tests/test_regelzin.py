"""The rule's text agrees with its conditions: canonical sentence, text matcher, check, lezing."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.domain.beweringen import lees
from kaderwerk.domain.regelzin import controleer, zin

from .conftest import ROOT

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
BUNDLED = sorted(p.parent.name for p in (ROOT / "kaders").glob("*/*.yaml"))
SCHAAL = ("voldoende", "matig", "onvoldoende")


@attrs.frozen
class V:
    """A condition as the builtin rule types hold it (naam, inclusive min/max)."""

    naam: str
    min: Fraction | None = None
    max: Fraction | None = None


def v(naam: str, lo: int | None = None, hi: int | None = None) -> V:
    return V(naam, None if lo is None else Fraction(lo), None if hi is None else Fraction(hi))


def _mutant(tmp_path: Path, oud: str, nieuw: str) -> Path:
    """Stap 1 with one exact, unique edit."""
    tekst = STAP1.read_text("utf-8")
    assert tekst.count(oud) == 1, oud
    path = tmp_path / "stap1.yaml"
    path.write_text(tekst.replace(oud, nieuw), encoding="utf-8")
    return path


def _regel_van(path: Path, tekst: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if tekst in line)


def _check_json(run_cli, *args) -> tuple[int, dict, str]:
    code, out, err = run_cli("check", *args, "--format", "json")
    return code, json.loads(out), err


def _soorten(data: dict) -> list[str]:
    return [b["soort"] for k in data["kaders"] for b in k["bevindingen"]]


# -- the bundled kaders -------------------------------------------------------------------

@pytest.mark.parametrize("kader", sorted(set(BUNDLED)))
def test_bundled_kaders_have_no_text_mismatch(run_cli, kader) -> None:
    """Every bundled kader passes check --strict: its published texts agree with the rules."""
    code, data, err = _check_json(run_cli, kader, "--strict")
    assert code == 0, err
    assert "tekst_voorwaarden" not in _soorten(data)


def test_stap1_published_rules_are_consistent(run_cli) -> None:
    """Stap 1's three published rules: every clause's tekst agrees (one through its lezing)."""
    code, out, _ = run_cli("show", "veilig-thuis-stap-1", "--format", "json")
    assert code == 0
    k = json.loads(out)
    regels = [t["criteria"][0]["beslisregel"] for t in k["themas"]]
    assert [r["type"] for r in regels] == ["aantal", "aantal", "percentage"]
    statussen = [c["tekstcontrole"]["status"] for r in regels for c in r["regels"]]
    assert statussen == ["klopt"] * 8
    lezingen = [c["lezing"] for r in regels for c in r["regels"] if c["lezing"]]
    assert [x["woorden"] for x in lezingen] == ["alle verwachtingen voldoende"]
    assert regels[1]["regels"][0]["voorwaarden"] == "voldoende als geen verwachting onvoldoende is"


# -- mutations are caught -----------------------------------------------------------------

def test_number_changed_in_conditions_is_caught_at_the_clause(run_cli, tmp_path,
                                                              monkeypatch) -> None:
    """The issue's case: min 2 -> 3 while the tekst still says "2 of meer"."""
    monkeypatch.setenv("COLUMNS", "1000")  # one finding per line at the terminal
    path = _mutant(tmp_path, "als: {onvoldoende: {min: 2}}", "als: {onvoldoende: {min: 3}}")
    code, data, _ = _check_json(run_cli, path)
    assert code == 1  # the gap at 2 onvoldoende fails the proof anyway
    [f] = [b for b in data["kaders"][0]["bevindingen"] if b["soort"] == "tekst_voorwaarden"]
    line = _regel_van(path, "tekst: onvoldoende als 2 of meer van de verwachtingen onvoldoende")
    assert f["plek"] and f["plek"] != f["criterium"]  # the clause, not the criterium
    assert f["tegenvoorbeeld"]["criteria"] == ["2.1", "2.2"]
    assert f["tegenvoorbeeld"]["voorwaarden"] == (
        "onvoldoende als ten minste 3 verwachtingen onvoldoende zijn")
    code, out, err = run_cli("check", path)
    assert f"{path}:{line}:18: warning: " in out
    assert "internal error" not in out + err


def test_text_only_mismatch_warns_and_fails_only_under_strict(run_cli, tmp_path) -> None:
    """A tekst edit the proofs cannot see: exit 0 with a warning, exit 1 with --strict."""
    path = _mutant(tmp_path, "onvoldoende als 3 of meer van de verwachtingen onvoldoende zijn.\n",
                   "onvoldoende als 4 of meer van de verwachtingen onvoldoende zijn.\n")
    code, data, _ = _check_json(run_cli, path)
    assert code == 0 and data["ok"] is True
    assert sorted(_soorten(data)) == ["tekst_gelezen", "tekst_voorwaarden"]
    code, data, _ = _check_json(run_cli, path, "--strict")
    assert code == 1 and data["ok"] is False
    assert STAP1.read_text("utf-8").count("3 of meer") == 2  # the input is not touched


@pytest.mark.parametrize(("oud", "nieuw"), [
    ("tekst: onvoldoende als 2 of meer", "tekst: onvoldoende als 2 of minder"),  # flipped
    ("als: {onvoldoende: {max: 1}}", "als: {onvoldoende: {min: 1}}"),  # ... in the conditions
    ("tekst: voldoende als alle verwachtingen", "tekst: voldoende als een verwachting"),
    ("tekst: voldoende als 51% of meer", "tekst: voldoende als 61% of meer"),
    ("onvoldoende zijn en de overige 2 of 3 verwachtingen voldoende;\n",
     "onvoldoende zijn en de overige 2 of 4 verwachtingen voldoende;\n"),
])
def test_mutations_are_caught(run_cli, tmp_path, oud, nieuw) -> None:
    path = _mutant(tmp_path, oud, nieuw)
    code, data, _ = _check_json(run_cli, path, "--strict")
    assert code == 1
    assert "tekst_voorwaarden" in _soorten(data)


def test_alle_to_een_without_lezing() -> None:
    """"alle" -> "een" is caught where "alle" itself matches its conditions."""
    als = [v("onvoldoende", 0, 0), v("niet_beoordeeld", 0, 0)]
    assert controleer(1, "voldoende", "voldoende als alle verwachtingen voldoende zijn",
                      als).status == "klopt"
    c = controleer(1, "voldoende", "voldoende als een verwachting voldoende is", als)
    assert c.status == "verschilt" and c.verschillen


def test_alle_is_not_geen_onvoldoende_without_a_lezing() -> None:
    """Stap 1's "alle verwachtingen voldoende" as onvoldoende = 0 needs its recorded reading."""
    c = controleer(1, "voldoende", "voldoende als alle verwachtingen voldoende zijn;",
                   [v("onvoldoende", 0, 0)])
    assert c.status == "verschilt"
    assert "niet beoordeeld" in c.verschillen[0]


# -- the finding in every report format ---------------------------------------------------

def test_text_finding_reaches_every_report_format(run_cli, tmp_path) -> None:
    path = _mutant(tmp_path, "als: {onvoldoende: {min: 2}}", "als: {onvoldoende: {min: 3}}")
    line = _regel_van(path, "tekst: onvoldoende als 2 of meer van de verwachtingen onvoldoende")
    rapporten = {f: tmp_path / f"c.{f}" for f in ("junit", "sarif", "github")}
    args = [a for f, p in rapporten.items() for a in ("--report", f, "--report-file", p)]
    for streng, niveau in ((False, "warning"), (True, "error")):
        code, _, err = run_cli("check", path, *args, *(["--strict"] if streng else []))
        assert code == 1 and "internal error" not in err
        sarif = json.loads(rapporten["sarif"].read_text("utf-8"))
        [r] = [r for r in sarif["runs"][0]["results"]
               if r["ruleId"] == "kaderwerk/check/tekst_voorwaarden"]
        assert r["level"] == niveau
        assert r["locations"][0]["physicalLocation"]["region"] == {"startLine": line,
                                                                   "startColumn": 18}
        gh = rapporten["github"].read_text("utf-8")
        commando = "warning" if niveau == "warning" else "error"
        assert f"::{commando} file={path},line={line},col=18,title=kaderwerk/check/tekst_" \
               "voorwaarden::" in gh
        junit = ET.fromstring(rapporten["junit"].read_bytes())
        tekst = "".join(e.text or "" for e in junit.iter() if e.tag in ("failure", "system-out"))
        assert "tekst and conditions disagree" in tekst
        assert "tekst_gelezen" not in gh  # a recorded lezing is not a CI annotation


# -- show, render, a rule without tekst, the lezing ---------------------------------------

ZONDER_TEKST = """\
id: zonder-tekst
versie: "1"
titel: Zonder tekst
bron: {document: Een bron}
score_verplicht: true
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: Thema
    beslisregel:
      type: aantal
      regels:
        - {oordeel: voldoende, als: {onvoldoende: {max: 0}}}
        - {oordeel: matig, als: {onvoldoende: {gelijk: 1}}}
        - {oordeel: onvoldoende, als: {onvoldoende: {min: 2}}}
    criteria:
      - id: "1.1"
        titel: Criterium
        verwachtingen:
          - {id: "1.1.1", tekst: Een.}
          - {id: "1.1.2", tekst: Twee.}
"""


def test_rule_without_tekst_shows_only_the_sentence(run_cli, tmp_path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(ZONDER_TEKST, encoding="utf-8")
    code, out, _ = run_cli("show", path)
    assert code == 0
    assert "1. voldoende als geen verwachting onvoldoende is" in out
    assert "3. onvoldoende als ten minste 2 verwachtingen onvoldoende zijn" in out
    assert "voorwaarden:" not in out
    code, md, _ = run_cli("render", path)
    assert "onvoldoende als ten minste 2 verwachtingen onvoldoende zijn" in md
    assert "Voorwaarden" not in md
    code, data, _ = _check_json(run_cli, path, "--strict")
    assert code == 0 and _soorten(data) == []


def test_oordeel_without_tekst_is_explained_by_the_sentence() -> None:
    """An oordeel from a clause without tekst cites the sentence of its conditions."""
    from kaderwerk.domain.beslisregel import Invoer, Telling
    from kaderwerk.domain.model import Oordeelschaal
    from kaderwerk.sources.manager import registry

    regels = [{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 0}}},
              {"oordeel": "onvoldoende", "als": {"voldoende": {"min": 50, "max": 99.5}}}]
    aantal = registry().beslisregels["aantal"].from_mapping(
        {"type": "aantal", "regels": regels[:1]}, Oordeelschaal(SCHAAL), None)
    b = aantal.beslis(Invoer(Telling(2, 0, 0)))
    assert b.toelichting == "voldoende als geen verwachting onvoldoende is"
    procent = registry().beslisregels["percentage"].from_mapping(
        {"type": "percentage", "regels": regels[1:]}, Oordeelschaal(SCHAAL), None)
    b = procent.beslis(Invoer(Telling(1, 1, 0)))
    assert b.toelichting == ("onvoldoende als 50% tot en met 99,5% van de beoordeelde "
                             "verwachtingen voldoende is")


def test_lezing_is_shown_by_show_render_and_check(run_cli) -> None:
    code, out, _ = run_cli("show", "veilig-thuis-stap-1")
    vlak = " ".join(re.sub(r"[│├└─]", " ", out).split())
    assert "gelezen als: 'alle verwachtingen voldoende' = 'geen verwachting onvoldoende'" in vlak
    assert "voorwaarden: onvoldoende als ten minste 3 verwachtingen onvoldoende zijn" in vlak
    for fmt in ("markdown", "html"):
        code, doc, _ = run_cli("render", "veilig-thuis-stap-1", "--format", fmt)
        assert code == 0
        assert "Gelezen als" in doc and "geen verwachting onvoldoende" in doc
        assert "Voorwaarden" in doc
    code, out, _ = run_cli("check", "veilig-thuis-stap-1")
    assert code == 0
    vlak = " ".join(out.split())
    assert "note: tekst read as recorded" in vlak and "'geen verwachting onvoldoende'" in vlak


def test_lezing_whose_words_left_the_tekst_is_reported(run_cli, tmp_path) -> None:
    path = _mutant(tmp_path, "woorden: alle verwachtingen voldoende",
                   "woorden: alle verwachtingen goed")
    code, data, _ = _check_json(run_cli, path, "--strict")
    assert code == 1
    [f] = [b for b in data["kaders"][0]["bevindingen"] if b["soort"] == "tekst_voorwaarden"]
    assert "lezing" in f["boodschap"]


def test_lezing_without_reden_is_a_located_schema_error(run_cli, tmp_path) -> None:
    tekst = STAP1.read_text("utf-8")
    start = tekst.index("            reden: >-")
    einde = tekst.index("          als: {onvoldoende: {gelijk: 0}}")
    path = tmp_path / "k.yaml"
    path.write_text(tekst[:start] + tekst[einde:], encoding="utf-8")
    code, out, err = run_cli("validate", path)
    assert code == 1 and "internal error" not in out + err
    line = _regel_van(path, "lezing:")
    assert re.search(rf"{re.escape(str(path))}:{line + 1}:\d+: ", err), err


# -- the matcher ----------------------------------------------------------------------------

@pytest.mark.parametrize(("tekst", "naam", "lo", "hi"), [
    ("voldoende als 0 of 1 van de verwachtingen onvoldoende zijn", "onvoldoende", 0, 1),
    ("onvoldoende als drie of meer verwachtingen onvoldoende zijn", "onvoldoende", 3, None),
    ("matig als één verwachting onvoldoende is", "onvoldoende", 1, 1),
    ("voldoende als ten hoogste twee verwachtingen onvoldoende zijn", "onvoldoende", 0, 2),
    ("voldoende als minstens 4 verwachtingen voldoende zijn", "voldoende", 4, None),
    ("matig als tussen 1 en 3 verwachtingen onvoldoende zijn", "onvoldoende", 1, 3),
    ("onvoldoende als niet meer dan 2 verwachtingen voldoende zijn", "voldoende", 0, 2),
    ("voldoende als geen enkele verwachting niet beoordeeld is", "niet_beoordeeld", 0, 0),
])
def test_matcher_reads_counts(tekst, naam, lo, hi) -> None:
    [b] = lees(tekst, SCHAAL)
    assert b.naam == naam and not b.procent
    assert (b.min.waarde if b.min else 0) == lo
    assert (b.max.waarde if b.max else None) == hi


def test_matcher_reads_percentages_and_strict_bounds() -> None:
    [b] = lees("voldoende als 51% of meer van de verwachtingen voldoende zijn", SCHAAL)
    assert (b.naam, b.procent, b.min.waarde, b.max) == ("voldoende", True, 51, None)
    [b] = lees("onvoldoende als meer dan de helft van de verwachtingen onvoldoende is")
    assert b.procent and b.min.waarde == 50 and b.min.strikt
    assert controleer(1, "onvoldoende", "onvoldoende als meer dan 2 verwachtingen onvoldoende "
                      "zijn", [v("onvoldoende", 3)]).status == "klopt"
    c = controleer(1, "onvoldoende", "onvoldoende als meer dan 50% van de verwachtingen "
                   "onvoldoende is", [v("onvoldoende", 50)], procent=True)
    assert c.status == "verschilt"  # 50% itself is in the condition, not in "meer dan 50%"


@pytest.mark.parametrize("tekst", [
    "De inspecteur geeft het oordeel, met onderbouwing.",
    "voldoende als de organisatie 24/7 bereikbaar is",
    "matig als niet alle verwachtingen voldoende zijn",
    "Het oordeel volgt uit de bevindingen van 2015.",
])
def test_no_quantitative_claim_no_alarm(tekst) -> None:
    assert controleer(1, "matig", tekst, [v("onvoldoende", 1, 1)]).status == "zegt_niets"


def test_percentage_text_on_a_count_rule_is_a_mismatch() -> None:
    c = controleer(1, "voldoende", "voldoende als 50% van de verwachtingen voldoende is",
                   [v("voldoende", 2)])
    assert c.status == "verschilt" and "percentage" in c.verschillen[0]


# -- round trip ----------------------------------------------------------------------------

NAMEN = ("voldoende", "onvoldoende", "niet_beoordeeld", "beoordeeld", "totaal")


@st.composite
def voorwaarden(draw) -> list[V]:
    namen = draw(st.lists(st.sampled_from(NAMEN), min_size=1, max_size=3, unique=True))
    uit = []
    for naam in namen:
        lo = draw(st.one_of(st.none(), st.integers(0, 12)))
        hi = draw(st.one_of(st.none(), st.integers(lo or 0, 15)))
        if lo is None and hi is None:
            lo = draw(st.integers(0, 12))
        uit.append(v(naam, lo, hi))
    return uit


@given(voorwaarden(), st.sampled_from(SCHAAL), st.data())
def test_canonical_sentence_round_trips_and_mutations_are_caught(als, oordeel, data) -> None:
    """The generated sentence, read back, agrees with its own clause; one number changed, not."""
    z = zin(oordeel, als)
    c = controleer(1, oordeel, z, als, oordelen=SCHAAL)
    assert c.status == "klopt", (z, c.verschillen)
    i = data.draw(st.integers(0, len(als) - 1))
    doel = als[i]
    grenzen = [g for g in ("min", "max") if getattr(doel, g) is not None]
    grens = data.draw(st.sampled_from(grenzen))
    anders = attrs.evolve(doel, **{grens: getattr(doel, grens) + 1})
    gemuteerd = [*als[:i], anders, *als[i + 1:]]
    assert controleer(1, oordeel, z, gemuteerd, oordelen=SCHAAL).status == "verschilt"


@given(st.sampled_from(("voldoende", "onvoldoende")), st.integers(0, 100), st.integers(0, 100),
       st.sampled_from(("geen", "heel_procent")))
def test_percentage_sentence_round_trips(naam, a, b, afronding) -> None:
    als = [v(naam, min(a, b), max(a, b))]
    z = zin("matig", als, procent=True, afronding=afronding)
    assert controleer(1, "matig", z, als, procent=True, afronding=afronding,
                      oordelen=SCHAAL).status == "klopt", z


def test_rule_of_another_shape_is_left_alone() -> None:
    """A third-party rule type with a 'condities' of its own shape gets no text check."""
    from kaderwerk.domain.beslisregel import Beslisregel, Beslissing, Clausule
    from kaderwerk.domain.model import Oordeelschaal
    from kaderwerk.domain.regelzin import controles

    class Eigen(Beslisregel):
        type = "eigen"

        @classmethod
        def from_mapping(cls, data, schaal, bron):  # pragma: no cover - not used here
            raise NotImplementedError

        def beslis(self, invoer):  # pragma: no cover - not used here
            return Beslissing(None, None, "")

    regel = Eigen(tekst=None, bron=None, schaal=Oordeelschaal(SCHAAL),
                  clausules=(Clausule("voldoende", "voldoende als 2 of meer voldoende"),))
    regel.condities = ({"voldoende": 2},)
    assert controles(regel) == []


@pytest.mark.parametrize(("tekst", "grens", "zonder_afronding"), [
    # an exclusive bound is written one step below at the rule's precision: agrees unrounded
    ("onvoldoende als minder dan 33% van de verwachtingen voldoende is", Fraction("32.99"),
     "klopt"),
    ("onvoldoende als ten hoogste 32% van de verwachtingen voldoende is", Fraction("32.5"),
     "verschilt"),
    ("onvoldoende als ten hoogste 32,99% van de verwachtingen voldoende is", Fraction(32),
     "verschilt"),
])
def test_rounded_percentages_compare_as_the_engine_rounds(tekst, grens, zonder_afronding
                                                          ) -> None:
    """Under heel_procent the engine compares a whole percentage, so bounds that admit the same
    whole percentages agree; without rounding inclusive bounds do not (32,5% lies between
    them)."""
    als = [V("voldoende", None, grens)]
    assert controleer(1, "onvoldoende", tekst, als, procent=True,
                      afronding="heel_procent").status == "klopt"
    assert controleer(1, "onvoldoende", tekst, als, procent=True,
                      afronding="geen").status == zonder_afronding
    verschoven = [V("voldoende", None, grens + 1)]
    assert controleer(1, "onvoldoende", tekst, verschoven, procent=True,
                      afronding="heel_procent").status == "verschilt"


@pytest.mark.parametrize(("als", "status"), [
    ([V("voldoende", Fraction(50), Fraction("74.99"))], "klopt"),  # the reported false alarm
    ([V("voldoende", Fraction(50), Fraction(74))], "verschilt"),  # 74,5% lies between
    ([V("voldoende", Fraction(50), Fraction(75))], "verschilt"),  # 75 itself is not "tot 75"
    ([V("voldoende", Fraction(50), Fraction("74.98"))], "verschilt"),  # 74,99% left out
    ([V("voldoende", Fraction(51), Fraction("74.99"))], "verschilt"),
    ([V("onvoldoende", Fraction(25), Fraction(50))], "verschilt"),  # another count
])
def test_tot_is_an_exclusive_percentage_bound(als, status) -> None:
    """"50 tot 75 procent" is a percentage from 50 up to, not including, 75: it agrees with
    max just below 75 at the rule's precision, and a true mismatch is still caught."""
    tekst = "matig als 50 tot 75 procent voldoende is;"
    [b] = lees(tekst, SCHAAL)
    assert b.procent and b.max is not None and b.max.strikt
    c = controleer(2, "matig", tekst, als, procent=True, afronding="geen", oordelen=SCHAAL)
    assert c.status == status, c.verschillen
    assert not any("number of verwachtingen" in v for v in c.verschillen)


def test_tot_on_a_count_rule_excludes_its_upper_bound() -> None:
    tekst = "matig als 2 tot 4 verwachtingen onvoldoende zijn"
    assert controleer(1, "matig", tekst, [v("onvoldoende", 2, 3)]).status == "klopt"
    assert controleer(1, "matig", tekst, [v("onvoldoende", 2, 4)]).status == "verschilt"


def test_a_percentage_in_a_toelichting_has_a_decimal_comma() -> None:
    """One convention for percentages: as the kader's texts and check's findings write them."""
    from kaderwerk.domain.beslisregel import Telling
    from kaderwerk.plugins.regels import PercentageRegel

    regel = PercentageRegel.__new__(PercentageRegel)
    regel.afronding = "geen"
    uitleg = regel.uitleg(Telling(10, 3))
    assert "76,9% voldoende" in uitleg and "76.9" not in uitleg


def test_check_strict_accepts_a_bound_equal_after_rounding(run_cli) -> None:
    kader = ROOT / "tests" / "data" / "interactief" / "vijandig.yaml"
    code, out, err = run_cli("check", str(kader), "--strict")
    assert code == 0, out + err
    assert "internal error" not in out + err
