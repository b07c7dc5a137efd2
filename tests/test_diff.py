"""Kader versions side by side, and ``kaderwerk diff``: structure, rules and impact."""

from __future__ import annotations

import csv
import json
import types
from pathlib import Path

import pytest
import yaml
from kaderwerk.commands.assess import uitkomst_van
from kaderwerk.commands.diff import vergelijk
from kaderwerk.commands.diff_render import md_escape, woorden
from kaderwerk.commands.worddiff import woorddiff
from kaderwerk.domain.errors import InvoerError, NotFoundError
from kaderwerk.domain.model import Kader
from kaderwerk.hookspecs import hookimpl
from kaderwerk.sources import manager
from kaderwerk.sources.catalog import Catalog

from .conftest import ROOT

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
STAP2 = ROOT / "kaders" / "veilig-thuis-stap-2" / "2016.yaml"
SCORES = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015-scores.csv"


def _kader(path: Path = STAP1) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _schrijf(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _criterium(data: dict, cid: str) -> dict:
    return next(c for t in data["themas"] for c in t["criteria"] if c["id"] == cid)


def _zonder_114(versie: str = "2016") -> dict:
    data = _kader()
    data["versie"], data["geldig_vanaf"] = versie, f"{versie}-07-01"
    c = _criterium(data, "1.1")
    c["verwachtingen"] = [v for v in c["verwachtingen"] if v["id"] != "1.1.4"]
    return data


def _diff_json(run_cli, *args: str) -> dict:
    code, out, err = run_cli("diff", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _rows() -> list[list[str]]:
    with SCORES.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


# -- versions -------------------------------------------------------------------------------

@pytest.fixture
def cat(tmp_path: Path) -> Catalog:
    """The installed kaders plus Stap 1 versie 2016 (1.1.4 dropped) from an extra folder."""
    folder = tmp_path / "extra"
    _schrijf(folder / "2016.yaml", _zonder_114())
    plugin = types.ModuleType("stap1_2016_plugin")
    plugin.register_kaders = hookimpl(lambda register: register(folder))
    return Catalog(manager.build_registry((plugin,), entry_points=False))


def _csv(path: Path, extra: dict[str, list[str]] | None = None, zonder: str | None = None,
         ) -> Path:
    """The 2015 scores with extra columns and without column ``zonder``."""
    rows = _rows()
    keep = [i for i, name in enumerate(rows[0]) if name != zonder]
    out = [[r[i] for i in keep] for r in rows]
    for name, values in (extra or {}).items():
        out[0].append(name)
        for r, v in zip(out[1:], values, strict=True):
            r.append(v)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(out)
    return path


def test_both_versions_are_installed_and_in_force_by_date(cat) -> None:
    """The catalog groups the two files by id; geldig_vanaf decides which one applies."""
    assert [e.versie for e in cat.versions("veilig-thuis-stap-1")] == ["2015", "2016"]
    assert cat.get("veilig-thuis-stap-1").versie == "2016"
    assert cat.in_force("veilig-thuis-stap-1", "2016-06-30").versie == "2015"
    assert cat.in_force("veilig-thuis-stap-1", "2016-07-01").versie == "2016"
    with pytest.raises(NotFoundError):
        cat.in_force("veilig-thuis-stap-1", "2015-06-30")


def test_bare_id_follows_the_kader_the_file_names(cat, tmp_path) -> None:
    """A YAML file with ``kader: id@2015`` is judged under 2015 although 2016 is newest."""
    rows = _rows()
    orgs = [{"naam": r[0], "scores": dict(zip(rows[0][1:], r[1:], strict=True))}
            for r in rows[1:]]
    f = tmp_path / "b.yaml"
    f.write_text(yaml.safe_dump({"kader": "veilig-thuis-stap-1@2015", "organisaties": orgs}))
    kader, uitkomst, _ = uitkomst_van("veilig-thuis-stap-1", str(f), cat=cat)
    assert kader.versie == "2015"
    assert uitkomst["kader"]["versie"] == "2015"


def test_bare_id_follows_the_inspection_date(cat, tmp_path) -> None:
    """Dates before 2016-07-01 pick 2015 (even if the file does not read under 2016)."""
    n = len(_rows()) - 1
    f = _csv(tmp_path / "s.csv", {"datum": ["2015-10-01"] * n})
    assert uitkomst_van("veilig-thuis-stap-1", str(f), cat=cat)[0].versie == "2015"
    g = _csv(tmp_path / "t.csv", {"datum": ["2016-10-01"] * n}, zonder="1.1.4")
    assert uitkomst_van("veilig-thuis-stap-1", str(g), cat=cat)[0].versie == "2016"


def test_bare_id_without_hints_takes_the_newest(cat, tmp_path) -> None:
    """No kader and no datum: the newest versie, and its reading rules."""
    f = _csv(tmp_path / "s.csv", zonder="1.1.4")
    assert uitkomst_van("veilig-thuis-stap-1", str(f), cat=cat)[0].versie == "2016"
    with pytest.raises(InvoerError, match=r"unknown column '1\.1\.4'"):
        uitkomst_van("veilig-thuis-stap-1", str(SCORES), cat=cat)


def test_bundled_dataset_names_its_versie(tmp_path) -> None:
    """Two versies in one folder: dataset '2015' is judged under the versie its manifest names."""
    folder = tmp_path / "kopie"
    for versie, data in (("2015", _kader()), ("2016", _zonder_114())):
        _schrijf(folder / f"{versie}.yaml", data | {"id": "stap1-kopie"})
    (folder / "datasets").mkdir()
    (folder / "datasets" / "2015-scores.csv").write_bytes(SCORES.read_bytes())
    manifest = (SCORES.parent / "2015.yaml").read_text(encoding="utf-8")
    (folder / "datasets" / "2015.yaml").write_text(
        manifest.replace("id: veilig-thuis-stap-1", "id: stap1-kopie"), encoding="utf-8")
    plugin = types.ModuleType("kopie_plugin")
    plugin.register_kaders = hookimpl(lambda register: register(folder))
    cat = Catalog(manager.build_registry((plugin,), entry_points=False))
    kader, uitkomst, _ = uitkomst_van("stap1-kopie", "2015", cat=cat)
    assert kader.versie == "2015"
    assert uitkomst["gepubliceerd_gecontroleerd"] == 24


def test_rows_that_disagree_are_named(cat, tmp_path) -> None:
    """Two rows dated in 2016 among 2015 rows: the error names both versies and those rows."""
    names = [r[0] for r in _rows()[1:]]
    datums = ["2015-10-01"] * len(names)
    datums[2] = datums[5] = "2016-09-01"
    f = _csv(tmp_path / "s.csv", {"datum": datums})
    with pytest.raises(InvoerError) as exc:
        uitkomst_van("veilig-thuis-stap-1", str(f), cat=cat)
    text = str(exc.value)
    assert "different versies of veilig-thuis-stap-1 (2015, 2016)" in text
    assert f"s.csv:4: {names[2]}: datum 2016-09-01, versie 2016 in force" in text
    assert f"s.csv:7: {names[5]}: datum 2016-09-01" in text
    assert exc.value.exit_code == 1


def test_explicit_versie_and_a_row_naming_another_is_an_error(cat, tmp_path) -> None:
    """KADER id@2015 with one row naming @2016: exit 1, the row is named."""
    names = [r[0] for r in _rows()[1:]]
    refs = [""] * len(names)
    refs[3] = "veilig-thuis-stap-1@2016"
    f = _csv(tmp_path / "s.csv", {"kader": refs})
    with pytest.raises(InvoerError) as exc:
        uitkomst_van("veilig-thuis-stap-1@2015", str(f), cat=cat)
    assert exc.value.exit_code == 1
    assert f"s.csv:5: {names[3]}: names veilig-thuis-stap-1@2016" in str(exc.value)
    assert "KADER is veilig-thuis-stap-1@2015" in str(exc.value)


def test_cli_reports_a_row_naming_an_uninstalled_versie(run_cli, tmp_path) -> None:
    """Through the CLI: a row naming a versie that is not installed exits 1 with its row."""
    refs = [""] * (len(_rows()) - 1)
    refs[0] = "veilig-thuis-stap-1@2099"
    f = _csv(tmp_path / "s.csv", {"kader": refs})
    code, _out, err = run_cli("assess", "veilig-thuis-stap-1", f)
    assert code == 1
    assert "s.csv:2: Amsterdam-Amstelland: names veilig-thuis-stap-1@2099, which is not " \
           "installed" in err
    code, _out, err = run_cli("assess", "veilig-thuis-stap-1@2015", f)
    assert code == 1 and "name another versie" in err


# -- diff: the done-when scenario -----------------------------------------------------------

def _randvoorwaarden(v: int, o: int) -> str | None:
    """The published rule of thema Randvoorwaarden, written out by hand."""
    if o <= 1:
        return "voldoende"
    if o == 2 and 2 <= v <= 3:
        return "matig"
    if o >= 3:
        return "onvoldoende"
    return None


def test_dropping_114_lists_exactly_the_changed_organisations(run_cli, tmp_path) -> None:
    """Impact = the organisations whose 1.1 oordeel differs at size 3 vs 4, gaps as null."""
    nieuw = _schrijf(tmp_path / "stap1-2016.yaml", _zonder_114())
    data = _diff_json(run_cli, "veilig-thuis-stap-1", nieuw, "--beoordelingen", SCORES)
    rows = _rows()
    cols = [rows[0].index(f"1.1.{i}") for i in (1, 2, 3, 4)]
    expected = set()
    for r in rows[1:]:
        s = [r[i] for i in cols]
        oud = _randvoorwaarden(s.count("1"), s.count("3"))
        nieuw_ = _randvoorwaarden(s[:3].count("1"), s[:3].count("3"))
        if oud != nieuw_:
            expected.add((r[0], "1.1", oud, nieuw_))
    got = {(w["organisatie"], w["criterium"], w["oud"], w["nieuw"]) for w in data["impact"]}
    assert got == expected
    assert len(data["impact"]) == len(expected)
    assert any(n is None for *_, n in expected), "the scenario must include the gap"
    assert all(set(w) == {"organisatie", "criterium", "oud", "nieuw"} for w in data["impact"])
    assert data["impact_totalen"]["1.1"]["totaal"] == len(expected)
    assert list(data["impact_totalen"]) == ["1.1"]
    assert data["verwijderde_verwachtingen"] == ["1.1.4"]
    assert [v["id"] for v in data["structuur"]["verwachtingen"]["verwijderd"]] == ["1.1.4"]
    sem = {s["criterium"]: s for s in data["semantiek"]}
    assert list(sem) == ["1.1"]
    assert (sem["1.1"]["grootte_oud"], sem["1.1"]["grootte_nieuw"]) == (4, 3)
    assert [(g["voldoende"], g["onvoldoende"]) for g in sem["1.1"]["zonder_oordeel"]] == [(1, 2)]


def test_text_output_of_the_scenario(run_cli, tmp_path) -> None:
    """The readable output names the removed verwachting, the gap and each changed oordeel."""
    nieuw = _schrijf(tmp_path / "stap1-2016.yaml", _zonder_114())
    code, out, _ = run_cli("diff", "veilig-thuis-stap-1", nieuw, "--beoordelingen", SCORES)
    assert code == 0
    assert "verwachting 1.1.4 removed (from criterium 1.1)" in out
    assert "no oordeel under the new rule at 1 voldoende, 2 onvoldoende" in out
    assert "Gelderland Midden" in out and "matig -> geen oordeel" in out
    assert "scores dropped for removed verwachting: 1.1.4" in out


# -- diff: structure and rules --------------------------------------------------------------

def test_identical_kaders_give_an_empty_diff(run_cli) -> None:
    """The kader against its own file: nothing structural, semantic or in impact."""
    data = _diff_json(run_cli, "veilig-thuis-stap-1", STAP1, "--beoordelingen", SCORES)
    assert data["leeg"] is True
    assert data["semantiek"] == [] and data["impact"] == [] and data["impact_totalen"] == {}
    assert data["structuur"]["beslisregels"] == [] and data["verwijderde_verwachtingen"] == []
    code, out, _ = run_cli("diff", "veilig-thuis-stap-1", STAP1)
    assert code == 0 and "no differences" in out


def test_a_new_versie_number_alone_is_no_difference(run_cli, tmp_path) -> None:
    """versie and geldig_vanaf identify a version; changing only them leaves the diff empty."""
    data = _kader() | {"versie": "2016", "geldig_vanaf": "2016-07-01"}
    d = _diff_json(run_cli, "veilig-thuis-stap-1", _schrijf(tmp_path / "k.yaml", data))
    assert d["leeg"] is True and d["nieuw"]["ref"] == "veilig-thuis-stap-1@2016"


def test_text_change_shows_a_word_diff(run_cli, tmp_path) -> None:
    """A changed verwachting text is reported with its words: [-old-]{+new+} and ops in JSON."""
    data = _kader()
    v = _criterium(data, "1.1")["verwachtingen"][1]
    v["tekst"] = v["tekst"].replace("24/7 inzetbaar", "altijd direct inzetbaar")
    nieuw = _schrijf(tmp_path / "k.yaml", data)
    d = _diff_json(run_cli, "veilig-thuis-stap-1", nieuw)
    [w] = d["structuur"]["verwachtingen"]["gewijzigd"]
    assert (w["id"], w["veld"]) == ("1.1.2", "tekst")
    assert {"op": "replace", "oud": "24/7", "nieuw": "altijd direct"} in w["woorden"]
    assert d["semantiek"] == [] and not d["leeg"]
    _, out, _ = run_cli("diff", "veilig-thuis-stap-1", nieuw)
    assert "verwachting 1.1.2 tekst: Een medewerker van Veilig Thuis is [-24/7-]{+altijd " \
           "direct+} inzetbaar" in out
    _, md, _ = run_cli("diff", "veilig-thuis-stap-1", nieuw, "--format", "markdown")
    assert "[-24/7-]{+altijd direct+}" in md


def test_word_diff_ops_rebuild_both_texts() -> None:
    """Joining the equal and old words gives the old text; equal and new, the new one."""
    oud, nieuw = "a b c d", "a x c d e"
    ops = woorddiff(oud, nieuw)
    assert " ".join(o.get("tekst") or o.get("oud", "") for o in ops).split() == oud.split()
    assert " ".join(o.get("tekst") or o.get("nieuw", "") for o in ops).split() == nieuw.split()
    assert woorden(ops) == "a [-b-]{+x+} c d {+e+}"


def _verplaatst(nieuw_id: str) -> dict:
    data = _kader()
    v = _criterium(data, "1.1")["verwachtingen"].pop()
    _criterium(data, "1.2")["verwachtingen"].append(v | {"id": nieuw_id})
    return data


def test_moved_verwachting_is_reported_as_moved(run_cli, tmp_path) -> None:
    """1.1.4 renumbered 1.2.6 under criterium 1.2 keeps its text: moved, not removed + added."""
    d = _diff_json(run_cli, "veilig-thuis-stap-1",
                   _schrijf(tmp_path / "k.yaml", _verplaatst("1.2.6")))
    s = d["structuur"]["verwachtingen"]
    assert s["verwijderd"] == [] and s["toegevoegd"] == []
    assert s["verplaatst"] == [{"id_oud": "1.1.4", "id_nieuw": "1.2.6", "ouder_oud": "1.1",
                                "ouder_nieuw": "1.2", "herkend_aan": "tekst"}]
    _, out, _ = run_cli("diff", "veilig-thuis-stap-1", tmp_path / "k.yaml")
    assert "verwachting 1.1.4 -> 1.2.6 moved (criterium 1.1 -> 1.2), recognised by its text" \
        in out


def test_same_id_under_another_parent_is_moved() -> None:
    """Kaders built in code need not follow the numbering: the same id elsewhere is moved."""
    regels = manager.build_registry(entry_points=False).beslisregels

    def maak(data, schaal, bron, pad):
        return regels[data["type"]].from_mapping(data, schaal, bron)

    oud = Kader.from_mapping(_kader(), maak)
    nieuw = Kader.from_mapping(_verplaatst("1.1.4"), maak)
    s = vergelijk(oud, nieuw)["structuur"]["verwachtingen"]
    assert s["verplaatst"] == [{"id_oud": "1.1.4", "id_nieuw": "1.1.4", "ouder_oud": "1.1",
                                "ouder_nieuw": "1.2", "herkend_aan": "id"}]


def test_score_follows_a_renumbered_verwachting(run_cli, tmp_path) -> None:
    """A verwachting renumbered within its criterium keeps its scores: no impact, none dropped."""
    data = _kader()
    _criterium(data, "1.1")["verwachtingen"][3]["id"] = "1.1.5"
    d = _diff_json(run_cli, "veilig-thuis-stap-1", _schrijf(tmp_path / "k.yaml", data),
                   "--beoordelingen", SCORES)
    assert d["structuur"]["verwachtingen"]["verplaatst"][0]["herkend_aan"] == "tekst"
    assert d["impact"] == [] and d["verwijderde_verwachtingen"] == []


def test_changed_clause_is_reported_with_its_cases(run_cli, tmp_path) -> None:
    """matig from 1 voldoende: reported per criterium; at size 3 of 1.1 the gap now gives matig."""
    data = _zonder_114()
    regel = data["themas"][0]["beslisregel"]["regels"][1]
    regel["als"]["voldoende"]["min"] = 1
    d = _diff_json(run_cli, "veilig-thuis-stap-1", _schrijf(tmp_path / "k.yaml", data))
    wijz = {r["criterium"]: r["wijzigingen"] for r in d["structuur"]["beslisregels"]}
    assert list(wijz) == ["1.1", "1.2", "1.3"]
    [c] = wijz["1.1"]
    assert (c["veld"], c["clausule"]) == ("clausule", 2)
    assert c["oud"]["als"] == ["onvoldoende = 2", "voldoende >= 2 en voldoende <= 3"]
    assert c["nieuw"]["als"] == ["onvoldoende = 2", "voldoende >= 1 en voldoende <= 3"]
    [sem] = d["semantiek"]
    assert sem["criterium"] == "1.1"
    assert [(g["grootte"], g["voldoende"], g["onvoldoende"], g["oud"], g["nieuw"])
            for g in sem["verschillen"]] == [(3, 1, 2, None, "matig")]
    _, out, _ = run_cli("diff", "veilig-thuis-stap-1", tmp_path / "k.yaml")
    assert "beslisregel of 1.1, 1.2, 1.3:" in out
    assert ("clause 2: matig als 2 verwachtingen onvoldoende zijn en 2 tot en met 3 "
            "verwachtingen voldoende zijn -> matig als 2 verwachtingen onvoldoende zijn en 1 tot "
            "en met 3 verwachtingen voldoende zijn") in out
    # the published tekst, beside the new conditions, still says "de overige 2 of 3"
    assert "clause 2 tekst (unchanged): matig als 2 verwachtingen" in out
    assert "clause 2: tekst and conditions disagree:" in out
    assert c["nieuw"]["tekstcontrole"]["status"] == "verschilt"
    assert c["oud"]["tekstcontrole"]["status"] == "klopt"


def test_handmatig_rule_compares_plafonds_over_the_scale(run_cli, tmp_path) -> None:
    """Stap 2's wachtlijst plafond lowered to onvoldoende: voldoende and matig change with it."""
    data = _kader(STAP2)
    data["organisatie"]["plafonds"][0]["max"] = "onvoldoende"
    d = _diff_json(run_cli, "veilig-thuis-stap-2", _schrijf(tmp_path / "k.yaml", data))
    [p] = d["structuur"]["plafonds"]
    assert p["criterium"] == "organisatie" and p["gewijzigd"][0]["nieuw"]["max"] == "onvoldoende"
    [sem] = d["semantiek"]
    assert {(g["handmatig"], g["feiten"]["wachtlijst"], g["oud"], g["nieuw"])
            for g in sem["verschillen"]} == {("voldoende", True, "matig", "onvoldoende"),
                                             ("matig", True, "matig", "onvoldoende")}


def test_thema_and_oordeelschaal_changes(run_cli, tmp_path) -> None:
    """A changed thema norm, a removed thema and a longer oordeelschaal are reported."""
    data = _kader()
    data["oordeelschaal"] = ["goed", *data["oordeelschaal"]]
    data["themas"][0]["norm"] += " Altijd."
    data["themas"].pop()
    d = _diff_json(run_cli, "veilig-thuis-stap-1", _schrijf(tmp_path / "k.yaml", data))
    t = d["structuur"]["themas"]
    assert [x["id"] for x in t["verwijderd"]] == ["3"]
    assert t["gewijzigd"][0]["woorden"][-1] == {"op": "insert", "nieuw": "Altijd."}
    assert {x["id"] for x in d["structuur"]["criteria"]["verwijderd"]} == {"3.1", "3.2"}
    assert d["structuur"]["oordeelschaal"]["nieuw"][0] == "goed"
    _, out, _ = run_cli("diff", "veilig-thuis-stap-1", tmp_path / "k.yaml")
    assert "oordeelschaal: voldoende > matig > onvoldoende -> goed > voldoende" in out


# -- diff: exit codes and errors ------------------------------------------------------------

def test_fail_on_impact_exits_1_only_with_impact(run_cli, tmp_path) -> None:
    """Impact with the flag: 1; no impact with the flag: 0; impact without the flag: 0."""
    nieuw = _schrijf(tmp_path / "k.yaml", _zonder_114())
    args = ("--beoordelingen", SCORES)
    assert run_cli("diff", "veilig-thuis-stap-1", nieuw, *args, "--fail-on-impact")[0] == 1
    assert run_cli("diff", "veilig-thuis-stap-1", nieuw, *args)[0] == 0
    assert run_cli("diff", "veilig-thuis-stap-1", STAP1, *args, "--fail-on-impact")[0] == 0


def test_usage_errors_exit_2(run_cli, tmp_path) -> None:
    """Unknown format, missing argument, --fail-on-impact without beoordelingen: exit 2."""
    assert run_cli("diff", "veilig-thuis-stap-1", STAP1, "--format", "pdf")[0] == 2
    assert run_cli("diff", "veilig-thuis-stap-1")[0] == 2
    code, _, err = run_cli("diff", "veilig-thuis-stap-1", STAP1, "--fail-on-impact")
    assert code == 2 and "--beoordelingen" in err
    weird = tmp_path / "s.pdf"
    weird.write_text("x")
    assert run_cli("diff", "veilig-thuis-stap-1", STAP1, "--beoordelingen", weird)[0] == 2


def test_bad_files_exit_1_with_a_location(run_cli, tmp_path) -> None:
    """A broken new kader and a bad score cell are reported with file and line."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversie: [\n")
    code, _, err = run_cli("diff", "veilig-thuis-stap-1", bad)
    assert code == 1 and "bad.yaml:" in err
    scores = tmp_path / "s.csv"
    scores.write_text(SCORES.read_text(encoding="utf-8").replace(",1,1,1,3,", ",1,1,9,3,", 1),
                      encoding="utf-8")
    code, _, err = run_cli("diff", "veilig-thuis-stap-1", STAP1, "--beoordelingen", scores)
    assert code == 1 and "s.csv:2: row 2 (Amsterdam-Amstelland)" in err
    assert run_cli("diff", "bestaat-niet", STAP1)[0] == 1


def test_markdown_escapes_kader_text(run_cli, tmp_path) -> None:
    """Markup in a text cannot break out: the Markdown output escapes it."""
    data = _kader()
    _criterium(data, "1.1")["verwachtingen"][0]["tekst"] += " <script>*x*</script>"
    _, md, _ = run_cli("diff", "veilig-thuis-stap-1", _schrijf(tmp_path / "k.yaml", data),
                       "--format", "markdown")
    assert "<script>" not in md and md_escape("<script>") in md


_NB_KADER = """id: nb-kader
versie: "2026"
titel: NB kader
bron: {document: Testbron}
oordeelschaal: [voldoende, onvoldoende]
themas:
  - id: "1"
    titel: Kwaliteit
    beslisregel:
      type: %s
      zonder_beoordeling: onvoldoende
      regels:
        - {oordeel: voldoende, als: {voldoende: {min: %s}}}
        - {oordeel: onvoldoende, als: {voldoende: {max: %s}}}
    criteria:
      - id: "1.1"
        titel: Veiligheid%s
        verwachtingen:
          - {id: "1.1.1", tekst: a}
          - {id: "1.1.2", tekst: b}
          - {id: "1.1.3", tekst: c}
"""


@pytest.mark.parametrize("verplicht", [False, True])
def test_rules_section_tries_niet_beoordeeld_as_check_does(run_cli, tmp_path, verplicht) -> None:
    """percentage 50% vs aantal 2 differ only with niet beoordeeld: diff lists those cases,
    unless score_verplicht forbids niet beoordeeld (then, as in assess, none differ)."""
    extra = "\n        score_verplicht: true" if verplicht else ""
    oud = tmp_path / "oud" / "2026.yaml"
    nieuw = tmp_path / "nieuw" / "2026.yaml"
    for pad, tekst in ((oud, _NB_KADER % ("percentage", 50, 49.99, extra)),
                       (nieuw, _NB_KADER % ("aantal", 2, 1, extra))):
        pad.parent.mkdir()
        pad.write_text(tekst, encoding="utf-8")
    data = _diff_json(run_cli, str(oud), str(nieuw))
    verschillen = [g for s in data["semantiek"] for g in s.get("verschillen", [])]
    if verplicht:
        assert verschillen == []
    else:
        assert verschillen and all(g["niet_beoordeeld"] > 0 for g in verschillen)
