"""Example tests (voorbeelden), clause coverage, and the CI report formats."""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from kaderwerk.commands import ci_reports as ci_output
from kaderwerk.commands.voorbeelden import Kaders, lees
from kaderwerk.domain.model import Score

from .conftest import ROOT

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1"
STAP2 = ROOT / "kaders" / "veilig-thuis-stap-2"
HEAD = "# yaml-language-server: $schema=../../../schemas/voorbeelden.schema.json\n"


def _kopie(tmp_path: Path, bron: Path = STAP1) -> Path:
    """A copy of a bundled kader folder under tmp_path/kaders (voorbeelden included)."""
    doel = tmp_path / "kaders" / bron.name
    shutil.copytree(bron, doel)
    return doel


def _eerste_regel(path: Path, regel: str) -> int:
    """The 1-based line number of the first line that is exactly ``regel``."""
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if line == regel)


def _regel(path: Path, tekst: str) -> int:
    """The 1-based line number of the only line containing ``tekst``."""
    hits = [i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if tekst in line]
    assert len(hits) == 1, hits
    return hits[0]


def _voorbeelden(folder: Path, body: str, naam: str = "extra.yaml") -> Path:
    path = folder / "voorbeelden" / naam
    path.write_text(HEAD + body, encoding="utf-8")
    return path


# -- the bundled examples ---------------------------------------------------------------------

def test_bundled_voorbeelden_pass(run_cli) -> None:
    """``kaderwerk test`` runs the voorbeelden of every installed kader and they all pass."""
    code, out, err = run_cli("test")
    assert code == 0, out + err
    for kader in ("veilig-thuis-stap-1@2015", "veilig-thuis-stap-2@2016",
                  "stelseltoezicht-jeugd@2015", "signaleren-van-onveiligheid@2016",
                  "stelseltoezicht-volwassenen@2016"):
        assert re.search(rf"^ok +\S+ \({re.escape(kader)}\)", out, re.M), kader
    assert "FAIL" not in out and "Traceback" not in err


def test_stap1_examples_cover_every_clause(run_cli) -> None:
    """The Stap 1 voorbeelden exercise all eight clauses of the three published rules."""
    code, out, _ = run_cli("test", STAP1, "--require-coverage", "--format", "json")
    assert code == 0
    dekking = json.loads(out)["dekking"]
    assert [(d["kader"], d["gedekt"], d["totaal"]) for d in dekking] == [
        ("veilig-thuis-stap-1@2015", 8, 8)]
    groepen = {i["groep"] for i in dekking[0]["items"]}
    assert groepen == {"thema 1 (Randvoorwaarden)", "thema 2 (Veiligheid)",
                       "thema 3 (Organisatie)"}


def test_stap2_wachtlijst_plafond_is_covered(run_cli) -> None:
    """The Stap 2 voorbeelden exercise the wachtlijst plafond; handmatig rules have no clauses."""
    code, out, _ = run_cli("test", STAP2, "--format", "json")
    assert code == 0
    (d,) = json.loads(out)["dekking"]
    assert d["gedekt"] == d["totaal"] == 1 and d["handmatig"] == 6
    assert "wachtlijst = true: max matig" in d["items"][0]["tekst"]


# -- done-when: a changed expectation fails at its line ----------------------------------------

def test_changed_expectation_fails_with_its_line(tmp_path, run_cli) -> None:
    """A copy with one expected oordeel changed exits 1 and names FILE:LINE of that line."""
    folder = _kopie(tmp_path)
    path = folder / "voorbeelden" / "2015.yaml"
    tekst = path.read_text("utf-8")
    oud = ('    scores: {"1.1.1": V, "1.1.2": O, "1.1.3": V, "1.1.4": O}\n'
           '    verwacht: {"1.1": matig}')
    assert tekst.count(oud) == 1
    path.write_text(tekst.replace(oud, oud.replace("matig}", "voldoende}")), encoding="utf-8")
    line = tekst[:tekst.index(oud)].count("\n") + 2
    code, _, err = run_cli("test", folder)
    assert code == 1
    assert (f"{path}:{line}:23: voorbeeld 'Randvoorwaarden, 2 onvoldoende en 2 voldoende': "
            "criterium 1.1: verwacht voldoende, berekend matig (regel: matig als 2 "
            "verwachtingen onvoldoende zijn") in err
    assert "telling: 2 voldoende, 2 onvoldoende, 0 niet beoordeeld" in err


def test_dataset_expectations_fail_located(tmp_path, run_cli) -> None:
    """Wrong landelijk beeld counts, oordelen or afwijkingen of a dataset fail at their lines."""
    folder = _kopie(tmp_path)
    path = _voorbeelden(folder, """kader: veilig-thuis-stap-1@2015
datasets:
  - dataset: "2015"
    landelijk_beeld:
      "1.2": {voldoende: 5, matig: 11}
    organisaties:
      Utrecht: {"1.2": voldoende}
      Nergensdorp: {"1.2": matig}
    afwijkingen: 2
""")
    code, _, err = run_cli("test", path)
    assert code == 1
    assert (f"{path}:6:14: dataset '2015': landelijk beeld criterium 1.2: verwacht voldoende 5, "
            "matig 11, berekend voldoende 6, matig 11") in err
    assert (f"{path}:8:24: dataset '2015': organisatie 'Utrecht', criterium 1.2: verwacht "
            "voldoende, berekend matig (regel: matig als 2 verwachtingen onvoldoende") in err
    assert f"{path}:9:28: dataset '2015': organisation 'Nergensdorp' is not in the dataset" in err
    assert (f"{path}:10:18: dataset '2015': afwijkingen: verwacht 2, berekend 5: criterium 1.1: "
            "voldoende: gepubliceerd 2, berekend 8") in err


def test_dataset_without_scores_is_a_located_failure(tmp_path, run_cli) -> None:
    """A dataset that publishes figures but has no scores file cannot be tested; said so."""
    folder = _kopie(tmp_path, STAP2)
    path = _voorbeelden(folder, 'kader: veilig-thuis-stap-2@2016\ndatasets:\n'
                                '  - {dataset: "2017", afwijkingen: 0}\n')
    code, _, err = run_cli("test", path)
    assert code == 1 and f"{path}:4: dataset '2017': dataset '2017' has published" in err
    code, _, err = run_cli("test", _voorbeelden(folder, 'kader: veilig-thuis-stap-2@2016\n'
                                                        'datasets: [{dataset: "1999", '
                                                        'afwijkingen: 0}]\n', "b.yaml"))
    assert code == 1 and "has no dataset '1999' (datasets: 2017-hertoets, 2017)" in err


# -- coverage ---------------------------------------------------------------------------------

def test_uncovered_clause_is_listed_with_its_text_and_line(tmp_path, run_cli) -> None:
    """A clause no checked oordeel came from is listed at its kader line; exit 1 only if asked."""
    folder = _kopie(tmp_path)
    (folder / "voorbeelden" / "2015.yaml").unlink()
    _voorbeelden(folder, """kader: veilig-thuis-stap-1@2015
voorbeelden:
  - naam: alleen voldoende
    scores: {"3.2.1": V, "3.2.2": V}
    verwacht: {"3.2": voldoende}
  - naam: 3.1 onvoldoende, maar niet gecontroleerd
    scores: {"1.1.1": V, "1.1.2": V, "1.1.3": V, "1.1.4": V, "3.1.2": O, "3.1.3": O, "3.1.4": O}
    verwacht: {"1.1": voldoende}
""")
    kader = folder / "2015.yaml"
    line = _regel(kader, "tekst: onvoldoende als 50% of meer van de verwachtingen onvoldoende")
    code, out, _ = run_cli("test", folder)
    assert code == 0
    assert "coverage veilig-thuis-stap-1@2015: 2 of 8 clauses and plafonds covered" in out
    assert (f"  not covered: {kader}:{line - 1}:11: thema 3 (Organisatie), clause 2 "
            "(onvoldoende): onvoldoende als 50% of meer van de verwachtingen onvoldoende") in out
    assert run_cli("test", folder, "--require-coverage")[0] == 1


def test_kader_without_voorbeelden_shows_zero_coverage(tmp_path, run_cli) -> None:
    """Naming a kader file with no voorbeelden reports all its clauses as not covered."""
    folder = _kopie(tmp_path)
    shutil.rmtree(folder / "voorbeelden")
    code, out, _ = run_cli("test", folder / "2015.yaml")
    assert code == 0 and "0 of 8 clauses and plafonds" in out and out.count("not covered:") == 8


# -- reading voorbeelden files ----------------------------------------------------------------

def test_unknown_ids_and_oordelen_are_located_problems(tmp_path, run_cli) -> None:
    """Unknown verwachting, feit, criterium and oordeel: each a FILE:LINE:COL problem, exit 1."""
    folder = _kopie(tmp_path)
    path = _voorbeelden(folder, """kader: veilig-thuis-stap-1@2015
voorbeelden:
  - naam: fout
    scores: {"1.1.9": V, "1.1.1": X, "3.1.1": V}
    feiten: {wachtlijst: true}
    oordelen: {"1.1": matig}
    verwacht: {"9.9": matig, "1.2": goed, organisatie: matig}
  - naam: fout
    verwacht: {"1.3": voldoende}
""")
    code, out, err = run_cli("test", path)
    assert code == 1 and "Traceback" not in err
    for expected in (
            f"{path}:5:14: verwachting '1.1.9' is not in kader veilig-thuis-stap-1@2015; did you "
            "mean",
            f"{path}:5:35: 'X' is not a score; use V or 1",
            f"{path}:5:47: verwachting 3.1.1 is not assessed in this kader",
            f"{path}:6:14: feit 'wachtlijst' is not declared in kader veilig-thuis-stap-1@2015 "
            "(declared: none)",
            f"{path}:7:23: criterium 1.1 has a 'aantal' beslisregel; only a handmatig rule",
            f"{path}:8:16: criterium '9.9' is not in kader",
            f"{path}:8:37: oordeel 'goed' is not on the oordeelschaal (voldoende, matig, "
            "onvoldoende)",
            f"{path}:8:43: kader veilig-thuis-stap-1@2015 has no organisatie oordeel",
            f"{path}:9: name 'fout' is used twice (first at line 4)",
            f"{path}:10:23: criterium 1.3 is expected, so give all its scores: missing 1.3.1, "
            "1.3.2, 1.3.3, 1.3.4"):
        assert expected in err, expected
    assert "FAIL" in out and "in the file" in out


def test_schema_problems_are_located(tmp_path, run_cli) -> None:
    """A key the schema does not know, or a missing one, is reported at its line."""
    folder = _kopie(tmp_path)
    path = _voorbeelden(folder, "kader: veilig-thuis-stap-1@2015\nvoorbeelden:\n"
                                "  - naam: x\n    verwacht: {\"1.1\": matig}\n    score: {}\n"
                                "  - verwacht: {\"1.1\": matig}\n")
    code, _, err = run_cli("test", path)
    assert code == 1
    assert (f"{path}:6:5: unknown key 'score' (did you mean 'scores'?); allowed here: feiten, "
            "naam, oordelen") in err
    assert f"{path}:7:5: missing required key 'naam' in voorbeelden[1]" in err


def test_unknown_kader_is_a_located_problem(tmp_path, run_cli) -> None:
    """A voorbeelden file naming a kader neither beside it nor installed fails at 'kader'."""
    path = tmp_path / "v.yaml"
    path.write_text("kader: bestaat-niet@1\nvoorbeelden:\n  - {naam: a, verwacht: {'1': x}}\n",
                    encoding="utf-8")
    code, _, err = run_cli("test", path)
    assert code == 1 and f"{path}:1:8: kader 'bestaat-niet@1' cannot be used: no kader" in err


def test_a_dataset_file_is_not_taken_for_voorbeelden(run_cli) -> None:
    """Giving a dataset file to ``test`` says what it is instead of listing unknown keys."""
    path = STAP1 / "datasets" / "2015.yaml"
    code, _, err = run_cli("test", path)
    assert code == 1 and "datasets/2015.yaml:2:1: this is a dataset file, not a voorbeelden" in err


def test_missing_scores_default_to_voldoende() -> None:
    """Scores not given are voldoende (niet beoordeeld when the kader does not assess them)."""
    b = lees(STAP1 / "voorbeelden" / "2015.yaml", Kaders())
    assert not b.problemen
    v = next(v for v in b.voorbeelden if v.naam == "Randvoorwaarden, 3 onvoldoende")
    scores = v.beoordeling.scores
    assert scores["1.3.1"] is Score.ONVOLDOENDE and scores["1.1.1"] is Score.VOLDOENDE
    assert scores["3.1.1"] is Score.NIET_BEOORDEELD


def test_kader_beside_voorbeelden_is_preferred(tmp_path, run_cli) -> None:
    """A kader that is not installed is tested from the folder above its voorbeelden/."""
    folder = _kopie(tmp_path)
    for path in (folder / "2015.yaml", folder / "voorbeelden" / "2015.yaml"):
        tekst = path.read_text("utf-8").replace("veilig-thuis-stap-1", "mijn-kader")
        path.write_text(tekst, encoding="utf-8")
    (folder / "datasets" / "2015.yaml").write_text(
        (folder / "datasets" / "2015.yaml").read_text("utf-8").replace(
            "veilig-thuis-stap-1", "mijn-kader"), encoding="utf-8")
    code, out, err = run_cli("test", folder / "voorbeelden" / "2015.yaml")
    assert code == 0, err
    assert "(mijn-kader@2015)" in out and "8 of 8" in out


def test_kader_file_runs_only_its_own_voorbeelden(tmp_path, run_cli) -> None:
    """Naming a kader file runs the voorbeelden beside it for that versie, not for another."""
    folder = _kopie(tmp_path)
    tekst = (folder / "2015.yaml").read_text("utf-8").replace('versie: "2015"', 'versie: "2016"')
    (folder / "2016.yaml").write_text(tekst, encoding="utf-8")
    _voorbeelden(folder, "kader: veilig-thuis-stap-1@2016\nvoorbeelden:\n"
                         "  - {naam: fout, verwacht: {\"3.2\": onvoldoende}}\n")
    code, out, _ = run_cli("test", folder / "2015.yaml")
    assert code == 0 and "extra.yaml" not in out and "(veilig-thuis-stap-1@2015)" in out
    code, out, _ = run_cli("test", folder / "2016.yaml")
    assert code == 1 and "FAIL" in out and "2015.yaml (" not in out


def test_usage_errors_exit_2(tmp_path, run_cli) -> None:
    """A folder without kaders or voorbeelden is a usage error; a path that does not exist is
    invalid input (exit 1, as in every command)."""
    assert run_cli("test", tmp_path / "nee")[0] == 1
    code, _, err = run_cli("test", tmp_path)
    assert code == 2 and "no voorbeelden files and no kaders found" in err


def test_validate_checks_voorbeelden_files(tmp_path, run_cli) -> None:
    """``validate`` accepts the bundled voorbeelden and locates problems in a broken one."""
    code, out, _ = run_cli("validate", ROOT / "kaders")
    assert code == 0 and "(voorbeelden veilig-thuis-stap-1@2015)" in out
    folder = _kopie(tmp_path)
    path = _voorbeelden(folder, "kader: veilig-thuis-stap-1@2015\nvoorbeelden:\n"
                                "  - {naam: a, verwacht: {\"1.1\": goed}}\n")
    code, _, err = run_cli("validate", path)
    assert code == 1 and f"{path}:4:33: oordeel 'goed' is not on the oordeelschaal" in err


# -- CI formats -------------------------------------------------------------------------------

def _kapotte_kader(tmp_path: Path) -> Path:
    """Stap 1 with verwachting 1.1.4 removed: its rule is no longer exhaustive for 1.1."""
    good = (STAP1 / "2015.yaml").read_text("utf-8")
    start, end = good.index('          - id: "1.1.4"'), good.index('      - id: "1.2"')
    path = tmp_path / "stap1.yaml"
    path.write_text(good[:start] + good[end:], encoding="utf-8")
    return path


def test_check_sarif_locates_findings_at_the_shared_beslisregel(tmp_path, run_cli) -> None:
    """``check --report sarif`` writes SARIF 2.1.0 results where the fix goes: the thema's
    shared beslisregel, at its line and column."""
    kader = _kapotte_kader(tmp_path)
    sarif = tmp_path / "check.sarif"
    code, _, _ = run_cli("check", kader, "--report", "sarif", "--report-file", sarif)
    assert code == 1
    log = json.loads(sarif.read_text("utf-8"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    line = _eerste_regel(kader, "    beslisregel:")  # thema 1's, shared by 1.1-1.3
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] == "error" and "criterium 1.1;" in result["message"]["text"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == kader.as_uri()
        assert loc["region"] == {"startLine": line, "startColumn": 5}
    assert "kaderwerk/check/niet_uitputtend" in rules


def test_reports_leave_normal_output_unchanged(tmp_path, run_cli) -> None:
    """Normal output is identical with and without --report; github lines are added on stdout."""
    kader = _kapotte_kader(tmp_path)
    plain = run_cli("check", kader)
    with_reports = run_cli("check", kader, "--report", "junit", "--report-file",
                           tmp_path / "c.xml")
    assert plain == with_reports
    code, out, err = run_cli("check", kader, "--report", "github")
    assert (code, err) == (plain[0], plain[2]) and out.startswith(plain[1])
    line = _eerste_regel(kader, "    beslisregel:")  # thema 1's, shared by 1.1-1.3
    assert (f"::error file={kader},line={line},col=5,title=kaderwerk/check/niet_uitputtend"
            "::beslisregel of thema 1 (criterium 1.1; 3 verwachtingen): not exhaustive: "
            "no clause applies at 1 voldoende") in out


def test_check_report_when_the_kader_does_not_load(tmp_path, run_cli) -> None:
    """A kader that fails to load still gets a report, at the located schema problem."""
    path = ROOT / "tests" / "data" / "broken" / "unknown_key.yaml"
    code, out, err = run_cli("check", path, "--report", "github")
    assert code == 1 and "unknown key 'gewicht'" in err
    assert out.startswith(f"::error file={path},line=16,col=13,title=kaderwerk/check::unknown")


def test_test_junit_report(tmp_path, run_cli) -> None:
    """``test --report junit`` lists every example; a failing one carries its located message."""
    folder = _kopie(tmp_path, STAP2)
    path = folder / "voorbeelden" / "2016.yaml"
    path.write_text(path.read_text("utf-8").replace("verwacht: {organisatie: matig}",
                                                    "verwacht: {organisatie: voldoende}"),
                    encoding="utf-8")
    xml_path = tmp_path / "t.xml"
    code, out, _ = run_cli("test", folder, "--report", "junit", "--report-file", xml_path,
                           "--report", "github")
    assert code == 1
    root = ET.parse(xml_path).getroot()
    assert (root.get("tests"), root.get("failures")) == ("8", "1")
    failed = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == [f"{path}::Voldoende met wachtlijst wordt matig"]
    line = 14
    assert path.read_text("utf-8").splitlines()[line - 1].endswith("{organisatie: voldoende}")
    assert failed[0].find("failure").text.startswith(f"{path}:{line}:29: voorbeeld")
    assert f"::error file={path},line={line},col=29,title=kaderwerk/test/voorbeeld::" in out


def test_uncovered_clauses_are_warnings_unless_required(tmp_path, run_cli) -> None:
    """Open coverage is a SARIF warning, an error with --require-coverage, at the clause line."""
    kader = _kapotte_kader(tmp_path)
    sarif = tmp_path / "t.sarif"
    run_cli("test", kader, "--report", "sarif", "--report-file", sarif)
    levels = {r["level"] for r in json.loads(sarif.read_text("utf-8"))["runs"][0]["results"]}
    assert levels == {"warning"}
    run_cli("test", kader, "--require-coverage", "--report", "sarif", "--report-file", sarif)
    results = json.loads(sarif.read_text("utf-8"))["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error"}
    first = results[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert first == _regel(kader, "tekst: voldoende als 0 of 1 van de verwachtingen") - 1


def test_validate_reports(tmp_path, run_cli) -> None:
    """``validate`` writes a github line and a junit failure for a broken file."""
    path = ROOT / "tests" / "data" / "broken" / "unknown_key.yaml"
    xml_path = tmp_path / "v.xml"
    code, out, _ = run_cli("validate", path, "--report", "junit", "--report-file", xml_path,
                           "--report", "github")
    assert code == 1
    assert out.startswith(f"::error file={path},line=16,col=13,title=kaderwerk/validate::")
    failure = ET.parse(xml_path).getroot().find("testsuite/testcase/failure")
    assert failure is not None and failure.text.startswith(f"{path}:16:13: unknown key")


@pytest.mark.parametrize("args, message", [
    (["--report", "sarif"], "give one --report-file per --report"),
    (["--report-file", "x.xml"], "give one --report-file per --report"),
    (["--report", "github", "--format", "json"], "which --format json uses"),
    (["--report", "junit", "--report-file", "r", "--report", "sarif", "--report-file", "r"],
     "same --report-file"),
    (["--report", "xml"], "Invalid value for '--report'"),
])
def test_report_option_usage_errors(run_cli, args, message) -> None:
    """Reports without files, a github report mixed into JSON, or a shared file: exit 2."""
    code, _, err = run_cli("validate", ROOT / "kaders", *args)
    assert code == 2 and message in err


def test_report_never_overwrites_an_input(tmp_path, run_cli) -> None:
    """A --report-file naming an input file is refused, and the input is left alone."""
    kader = tmp_path / "k.yaml"
    shutil.copy(STAP1 / "2015.yaml", kader)
    before = kader.read_bytes()
    code, _, err = run_cli("validate", kader, "--report", "sarif", "--report-file", kader)
    assert code == 2 and "refusing to write" in err and kader.read_bytes() == before


def test_github_escapes_newlines_and_separators() -> None:
    """Workflow command data escapes %, CR and LF; properties also ':' and ','."""
    b = ci_output.Result("50% fout\nregel 2", "r/x", "a,b:c.yaml", 3, 4, "note")
    assert ci_output.github([b]) == (
        b"::notice file=a%2Cb%3Ac.yaml,line=3,col=4,title=r/x::50%25 fout%0Aregel 2\n")


def test_cli_report_choices_are_the_ci_formats() -> None:
    """The CLI's --report choices are exactly the formats ci_output renders."""
    from kaderwerk.commands.cli import REPORT_FORMATS

    assert REPORT_FORMATS == ci_output.FORMATS
    for fmt in ci_output.FORMATS:
        assert ci_output.format_report(fmt, "t", [ci_output.Result("m", "r")])


# -- pytest plugin, docs, hooks -----------------------------------------------------------------

def test_pytest_plugin_runs_voorbeelden(pytester) -> None:
    """``pytest`` in a kader repository runs each voorbeeld as an item, failing at its line."""
    doel = pytester.path / "kaders" / "veilig-thuis-stap-2"
    shutil.copytree(STAP2, doel)
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=7 + 8)
    path = doel / "voorbeelden" / "2016.yaml"
    path.write_text(path.read_text("utf-8").replace("verwacht: {organisatie: matig}",
                                                    "verwacht: {organisatie: voldoende}"),
                    encoding="utf-8")
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=14, failed=1)
    result.stdout.fnmatch_lines(["*voorbeelden/2016.yaml:14:29: voorbeeld 'Voldoende met "
                                 "wachtlijst wordt matig': organisatie: verwacht voldoende, "
                                 "berekend matig (regel: *plafond: Als er een wachtlijst*"])


def test_doc_examples_are_valid_voorbeelden(tmp_path, run_cli) -> None:
    """Every voorbeelden snippet in docs/example-tests.md validates and passes."""
    doc = (ROOT / "docs" / "example-tests.md").read_text("utf-8")
    snippets = [s for s in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "\nkader: " in s]
    assert len(snippets) == 3
    for i, snippet in enumerate(snippets):
        ref = re.search(r"^kader: (\S+)@", snippet, re.M).group(1)
        folder = tmp_path / str(i)
        _kopie(folder, ROOT / "kaders" / ref)
        path = _voorbeelden(folder / "kaders" / ref, snippet.split("\n", 1)[1], "doc.yaml")
        code, out, err = run_cli("test", path)
        assert code == 0, out + err


def test_ci_example_commands_pass_on_a_kader_repository(tmp_path, monkeypatch, run_cli) -> None:
    """Each kaderwerk command of docs/ci-example.yml passes on a copy of the bundled kaders."""
    workflow = yaml.safe_load((ROOT / "docs" / "ci-example.yml").read_text("utf-8"))
    runs = [s["run"] for s in workflow["jobs"]["kaders"]["steps"]
            if s.get("run", "").startswith("kaderwerk ")]
    assert [r.split()[1] for r in runs] == ["validate", "check", "test"]
    shutil.copytree(ROOT / "kaders", tmp_path / "kaders",
                    ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    monkeypatch.chdir(tmp_path)
    for command in runs:
        args = [a for arg in shlex.split(command)[1:] for a in (sorted(glob.glob(arg)) or [arg])]
        code, out, err = run_cli(*args)
        assert code == 0, (command, out, err)
    assert json.loads(Path("kaderwerk-check.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert ET.parse("kaderwerk-test.xml").getroot().get("failures") == "0"


def test_pre_commit_hooks_match_the_right_files() -> None:
    """Every hook checks the whole project when a kader, dataset, voorbeelden or config file
    changes, wherever the project keeps its kaders (a hook cannot read kaderwerk.toml)."""
    hooks = {h["id"]: h for h in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert set(hooks) == {"kaderwerk-validate", "kaderwerk-check", "kaderwerk-test",
                          "kaderwerk-diff"}
    files = [f"{map_}/veilig-thuis-stap-1/{f}" for map_ in ("kaders", "src/kaders") for f in (
        "2015.yaml", "datasets/2015.yaml", "voorbeelden/2015.yaml")]
    for h in hooks:
        assert all(re.search(hooks[h]["files"], f) for f in [*files, "kaderwerk.toml",
                                                             "pyproject.toml"]), h
        assert not re.search(hooks[h]["files"], "README.md"), h
        assert hooks[h]["pass_filenames"] is False, h
    assert hooks["kaderwerk-check"]["entry"] == "kaderwerk check"
