"""What ``check`` reports: one answer per question, findings where the fix goes, every file.

- ``--sizes`` at a criterium's real size says what the main proof says;
- a clause that applies only together with another is worded as an overlap, not "never";
- a finding on a thema's shared beslisregel is reported once, at that beslisregel;
- with several files, an unreadable one is reported and the others are still proven;
- a proof job past the limit is refused before it starts, saying how big it is.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from kaderwerk.domain.gevallen import GEWICHT_VECTOR
from kaderwerk.domain.verify import MAX_GEVALLEN, bewijs, check_kader, gewicht
from kaderwerk.sources.catalog import catalog

from .conftest import ROOT
from .test_invoerruimte import GAT, stap1_zonder_score_verplicht
from .test_verify import IDS, _regel

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
TABEL = ("niet_uitputtend", "overlap", "niet_monotoon", "buiten_schaal")


VAST = """\
id: vast
versie: "1"
titel: Totaal telt de niet beoordeelde verwachting mee
bron: {document: Test}
oordeelschaal: [voldoende, matig, onvoldoende]
score_verplicht: true
themas:
  - id: "1"
    titel: Thema
    beslisregel:
      type: aantal
      hit: uniek
      regels:
        - {oordeel: voldoende, als: {onvoldoende: {max: 0}, totaal: {min: 4}}}
        - {oordeel: onvoldoende, als: {onvoldoende: {min: 1}}}
    criteria:
      - id: "1.1"
        titel: C
        verwachtingen:
          - {id: "1.1.1", tekst: Een.}
          - {id: "1.1.2", tekst: Twee.}
          - {id: "1.1.3", tekst: Drie.}
          - {id: "1.1.4", tekst: Vier., beoordeeld: false}
"""
"""Proven at 3 assessed plus 1 not assessed: totaal is 4, so the rule is whole; a size table
that left the not-assessed verwachting out would call size 3 not exhaustive."""


def _schrijf(tmp: Path, naam: str, text: str) -> Path:
    pad = tmp / naam
    pad.write_text(text, encoding="utf-8")
    return pad


def _stap1_met(tmp: Path, naam: str, oud: str, nieuw: str) -> Path:
    text = STAP1.read_text(encoding="utf-8")
    assert text.count(oud) == 1
    return _schrijf(tmp, naam, text.replace(oud, nieuw))


def _gat_per_criterium(tmp: Path) -> Path:
    """The GAT kader with its beslisregel on the criterium instead of the thema."""
    thema, criteria = GAT.split("    criteria:\n")
    kop, regel = thema.split("    beslisregel:\n")
    regel = "".join("    " + r + "\n" for r in regel.splitlines())
    criteria = criteria.replace("        titel: Criterium\n",
                                "        titel: Criterium\n        beslisregel:\n" + regel)
    return _schrijf(tmp, "gat-criterium.yaml", kop + "    criteria:\n" + criteria)


# -- one answer per question ------------------------------------------------------------------

@pytest.mark.parametrize("maak", ["bundled", "open", "gat", "kapot", "vast"])
def test_sizes_at_the_real_size_say_what_the_main_check_says(tmp_path: Path, maak: str) -> None:
    """For every criterium, the --sizes table at its real size lists exactly the kinds of
    finding the main proof reports for that criterium."""
    pad = {"bundled": STAP1, "open": Path(stap1_zonder_score_verplicht(tmp_path)),
           "gat": _schrijf(tmp_path, "gat.yaml", GAT),
           "vast": _schrijf(tmp_path, "vast.yaml", VAST),
           "kapot": _stap1_met(tmp_path, "k.yaml", "als: {onvoldoende: {min: 3}}",
                               "als: {onvoldoende: {min: 4}}")}[maak]
    kader = catalog().get(str(pad))
    rapport = check_kader(kader, groottes=range(1, 9))
    for c in kader.criteria:
        hoofd = {f.soort for f in rapport.bevindingen if f.soort in TABEL
                 and c.id in (f.criteria or (f.criterium,))}
        echt = len(c.beoordeelde)
        tabel = {s for s, sizes in rapport.groottes[c.id].items() if echt in sizes}
        assert hoofd == tabel, (c.id, hoofd, tabel)
    if maak not in ("bundled", "vast"):
        assert rapport.bevindingen


def test_a_clause_that_applies_only_with_another_is_an_overlap() -> None:
    """Under hit uniek, a clause that never applies alone 'overlaps clause 2 at ...'; under
    hit eerste it 'never decides'; neither is called 'never applies'."""
    regels = [{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 0}}},
              {"oordeel": "matig", "als": {"onvoldoende": {"min": 1}}},
              {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 3}}}]
    uniek = bewijs(_regel(regels), (), IDS)
    [f] = [x for x in uniek if x.soort == "overschaduwd"]
    assert "overlaps clause 2 at" in f.boodschap and f.tegenvoorbeeld["samen_met"] == [2]
    assert not any("never applies" in x.boodschap for x in uniek)
    assert any(x.soort == "overlap" for x in uniek)
    eerste = bewijs(_regel(regels, hit="eerste"), (), IDS)
    [g] = eerste
    assert g.soort == "overschaduwd" and "never decides" in g.boodschap


def test_a_clause_that_never_applies_is_still_called_so() -> None:
    """A clause whose conditions no case meets keeps the 'never applies' wording."""
    regels = [{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 4}}},
              {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 5}}}]
    [f] = bewijs(_regel(regels), (), IDS)
    assert f.soort == "onbereikbaar" and "never applies with 4 verwachtingen" in f.boodschap


# -- findings point where the fix goes --------------------------------------------------------

def test_a_shared_rule_finding_is_reported_once_at_the_beslisregel(tmp_path: Path,
                                                                   run_cli) -> None:
    """Thema 1's rule is shared by 1.1 (4), 1.2 (5) and 1.3 (4): a gap at size 4 is one
    finding at the thema's beslisregel naming 1.1 and 1.3, not one per criterium."""
    pad = _stap1_met(tmp_path, "k.yaml", "als: {onvoldoende: {min: 3}}",
                     "als: {onvoldoende: {min: 4}}")
    regel = next(i for i, r in enumerate(pad.read_text("utf-8").splitlines(), 1)
                 if r == "    beslisregel:")
    code, out, err = run_cli("check", pad)
    assert code == 1 and "internal error" not in out + err
    gevonden = [r for r in out.splitlines() if r.startswith(f"{pad}:")]
    assert any(r.startswith(f"{pad}:{regel}:5: beslisregel of thema 1 (criteria 1.1, 1.3; 4 ")
               for r in gevonden)
    assert not any("criterium 1.1 (thema" in r for r in out.splitlines())
    data = json.loads(run_cli("check", pad, "--format", "json")[1])
    [f] = [f for f in data["kaders"][0]["bevindingen"]
           if f["grootte"] == 4 and not f["soort"].startswith("tekst_")]
    assert f["criteria"] == ["1.1", "1.3"] and f["plek"] == "1/beslisregel"


def test_a_shared_rule_finding_fails_each_criterium_it_decides(tmp_path: Path,
                                                               run_cli) -> None:
    """A gap at size 4 (1.1, 1.3) and one at size 5 (1.2): JUnit fails every criterium, not
    only the shared rule; SARIF lists the criteria's lines as related locations."""
    pad = _stap1_met(tmp_path, "k.yaml", "als: {onvoldoende: {min: 3}}",
                     "als: {onvoldoende: {min: 4}}")
    junit, sarif = tmp_path / "c.xml", tmp_path / "c.sarif"
    code, out, err = run_cli("check", pad, "--report", "junit", "--report-file", junit,
                             "--report", "sarif", "--report-file", sarif)
    assert code == 1 and "Traceback" not in out + err
    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    gefaald = {n.split(" ", 1)[1] for n, c in cases.items() if c.find("failure") is not None}
    assert {"1/beslisregel", "1.1", "1.2", "1.3"} <= gefaald
    assert "2.1" not in gefaald
    results = json.loads(sarif.read_text("utf-8"))["runs"][0]["results"]
    [gedeeld] = [r for r in results if len(r.get("relatedLocations", ())) == 2]
    regels = pad.read_text("utf-8").splitlines()
    verwacht = {i for i, r in enumerate(regels, 1) if r.strip() in ('- id: "1.1"', '- id: "1.3"')}
    assert {rel["physicalLocation"]["region"]["startLine"]
            for rel in gedeeld["relatedLocations"]} == verwacht


def test_a_criterium_rule_finding_stays_at_the_criterium(tmp_path: Path, run_cli) -> None:
    """A rule written on the criterium itself is reported at the criterium's line."""
    pad = _gat_per_criterium(tmp_path)
    regel = next(i for i, r in enumerate(pad.read_text("utf-8").splitlines(), 1)
                 if r == '      - id: "1.1"')
    code, out, _ = run_cli("check", pad)
    assert code == 1
    assert f"{pad}:{regel}:9: criterium 1.1 (thema 1, 3 verwachtingen): not exhaustive" in out


# -- every file is checked --------------------------------------------------------------------

def test_a_typo_in_one_file_and_a_gap_in_another_are_both_reported(tmp_path: Path,
                                                                   run_cli) -> None:
    """The typo does not stop the proof of the other file: both findings reach text, JSON,
    SARIF and JUnit, and the exit code is 1."""
    typo = _stap1_met(tmp_path, "typo.yaml", "\ntitel: Toetsingskader", "\ntitell: Toetsingskader")
    gat = _schrijf(tmp_path, "gat.yaml", GAT)
    voor = (typo.read_bytes(), gat.read_bytes())
    sarif, junit = tmp_path / "c.sarif", tmp_path / "c.xml"
    code, out, err = run_cli("check", typo, gat, "--report", "sarif", "--report-file", sarif,
                             "--report", "junit", "--report-file", junit)
    assert code == 1 and "internal error" not in out + err
    assert f"{typo}:" in err and "titell" in err
    assert f"{gat}:" in out and "not exhaustive" in out
    code, out, _ = run_cli("check", typo, gat, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["fouten"][0]["kader"] == str(typo)
    assert any("titell" in p["message"] for p in data["fouten"][0]["problemen"])
    assert data["kaders"][0]["kader"] == "gat@1" and data["kaders"][0]["bevindingen"]
    results = json.loads(sarif.read_text("utf-8"))["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {typo.as_uri(), gat.as_uri()}
    assert {r["ruleId"] for r in results} >= {"kaderwerk/check", "kaderwerk/check/niet_uitputtend"}
    fouten = ET.parse(junit).getroot().iter("failure")
    teksten = "\n".join(f.text or "" for f in fouten)
    assert str(typo) in teksten and str(gat) in teksten
    code, out, _ = run_cli("check", typo, gat, "--report", "github")
    regels = [r for r in out.splitlines() if r.startswith("::error ")]
    assert code == 1 and any(f"file={typo}," in r for r in regels)
    assert any(f"file={gat}," in r and "niet_uitputtend" in r for r in regels)
    assert (typo.read_bytes(), gat.read_bytes()) == voor


def test_an_unknown_kader_among_others_is_reported_and_the_rest_proven(run_cli) -> None:
    """A name that is neither an installed kader nor a file is one more problem, not a stop."""
    code, out, err = run_cli("check", "bestaat-niet", "veilig-thuis-stap-1")
    assert code == 1 and "bestaat-niet" in err
    assert "ok  veilig-thuis-stap-1@2015" in out


# -- the bound ---------------------------------------------------------------------------------

def _groot(tmp: Path, n: int, verplicht: bool) -> Path:
    verwachtingen = "".join(f'          - {{id: "1.1.{i + 1}", tekst: V.}}\n' for i in range(n))
    text = GAT.split("    criteria:\n")[0].replace("hit: uniek", "hit: eerste") + (
        "    criteria:\n      - id: \"1.1\"\n        titel: C\n        verwachtingen:\n"
        + verwachtingen)
    if verplicht:
        text = text.replace("themas:\n", "score_verplicht: true\nthemas:\n")
    return _schrijf(tmp, f"groot-{n}.yaml", text)


def test_a_proof_past_the_limit_is_refused_with_its_size(tmp_path: Path, run_cli) -> None:
    """Walking the count states (--proof counts), 1,000 verwachtingen that may be niet
    beoordeeld make 501,501 of them: refused at once (exit 1) with the size and how to narrow
    it; with score_verplicht it is proven. The symbolic proof (the default) is not bounded by
    the count: it proves the same criterium."""
    pad = _groot(tmp_path, 1000, verplicht=False)
    code, out, err = run_cli("check", pad)
    assert code == 1 and "not exhaustive" in out and "cases, more than" not in err
    assert "internal error" not in err
    begin = time.monotonic()
    code, _, err = run_cli("check", pad, "--proof", "counts")
    assert time.monotonic() - begin < 60  # a hang-bound: refusing takes well under a second
    assert code == 1 and "501,501 cases" in err and f"{MAX_GEVALLEN:,}" in err
    assert "score_verplicht" in err and str(pad) in err and "internal error" not in err
    assert run_cli("check", _groot(tmp_path, 1000, verplicht=True), "--proof", "counts")[0] == 0


def test_a_sizes_range_past_the_limit_is_refused(tmp_path: Path, run_cli) -> None:
    """--sizes 1-500 with niet beoordeeld is about 21 million count states: refused under
    --proof counts, naming --sizes; a small range still runs; the symbolic proof answers."""
    pad = _schrijf(tmp_path, "gat.yaml", GAT)
    code, _, err = run_cli("check", pad, "--sizes", "1-500")
    assert code == 1 and "internal error" not in err and "cases, more than" not in err
    code, _, err = run_cli("check", pad, "--sizes", "1-500", "--proof", "counts")
    assert code == 1 and "--sizes 1-500" in err and "internal error" not in err
    assert run_cli("check", pad, "--sizes", "1-20")[0] == 1  # runs: the gap at size 3


def test_the_estimate_counts_count_states_and_weighs_vectors() -> None:
    """n assessed verwachtingen, all open: (n+1)(n+2)/2 count states, or 3^n vectors that each
    weigh GEWICHT_VECTOR; with none open, n+1 or 2^n."""
    from .test_properties import _AlsVector

    r = _regel([{"oordeel": "voldoende", "als": {"onvoldoende": {"max": 0}}},
                {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 1}}}])
    assert gewicht(r, 998, 998) == 499_500 <= MAX_GEVALLEN < gewicht(r, 999, 999)
    assert gewicht(r, 3000, 0) == 3001
    assert gewicht(_AlsVector(r), 12, 11) == 3 ** 11 * 2 * GEWICHT_VECTOR > MAX_GEVALLEN
    assert gewicht(_AlsVector(r), 16, 0) == 2 ** 16 * GEWICHT_VECTOR <= MAX_GEVALLEN
    assert len(bewijs(_AlsVector(r), (), ["a", "b"], open_ids=["a"])) == 0


def test_counterexamples_are_capped_per_kind_and_the_rest_counted() -> None:
    """A rule with a gap at every count lists MAX_VOORBEELDEN counterexamples, the last saying
    how many more there are; without a cap, bewijs returns every one."""
    from kaderwerk.domain.verify import MAX_VOORBEELDEN

    r = _regel([{"oordeel": "voldoende", "als": {"voldoende": {"min": 99}}}])
    ids = [f"v{i}" for i in range(30)]
    alle = bewijs(r, (), ids, open_ids=ids, bereikbaarheid=False)
    assert len(alle) == 31 * 32 // 2  # every count state, all-NB included
    kort = bewijs(r, (), ids, open_ids=ids, bereikbaarheid=False, max_per_soort=MAX_VOORBEELDEN)
    assert len(kort) == MAX_VOORBEELDEN
    assert kort[-1].boodschap.endswith(f"(and {len(alle) - MAX_VOORBEELDEN} more case(s) like it)")
