"""What plugin code returns is checked at the boundary as kaderwerk's own values are: a plugin
reader's beoordelingen pass the checks a builtin reader's rows pass (``Tabel``), a rule's
``to_dict`` must be JSON data. A bad value is one line naming the plugin and hook, exit 4, never
a wrong oordeel with exit 0, an internal error or invalid JSON."""

from __future__ import annotations

import json

import pytest

from .conftest import forget_plugins, install_plugin
from .test_plugin_package import PLUGIN

LEZER = '''
from kaderwerk.api import Beoordeling, Handmatig, Score, hookimpl

V = Score.VOLDOENDE


def lees(path, kader, opties):
    geval = path.read_text().strip()
    ids = [v.id for v in kader.verwachtingen]
    goed = {i: V for i in ids}
    if geval == "goed":
        return [Beoordeling("A", goed), Beoordeling("B", dict(goed))]
    if geval == "te_veel":
        return [Beoordeling("A", goed)] * 100_001
    b = {
        "tekst_score": lambda: Beoordeling("A", {i: "voldoende" for i in ids}),
        "onbekend_id": lambda: Beoordeling("A", goed | {"9.9.9": V}),
        "naam_int": lambda: Beoordeling(12, goed),
        "scores_none": lambda: Beoordeling("A", None),
        "feit_set": lambda: Beoordeling("A", goed, feiten={"x": {1}}),
        "datum": lambda: Beoordeling("A", goed, datum="gisteren"),
        "handmatig": lambda: Beoordeling("A", goed, handmatig={"1.1": Handmatig("goed")}),
        "ontbreekt": lambda: Beoordeling("A", {ids[0]: V}),
        "dubbel": lambda: [Beoordeling("A", goed), Beoordeling("A", goed)],
    }[geval]()
    return b if isinstance(b, list) else [b]


@hookimpl
def register_readers(register):
    register(".lz", lees, "LZ")
'''


@pytest.fixture
def lezer(site, tmp_path, monkeypatch):
    install_plugin(site, "kw_lees", LEZER)
    forget_plugins()
    monkeypatch.chdir(tmp_path)

    def run(geval: str, run_cli, *extra: str) -> tuple[int, str, str]:
        (tmp_path / "s.lz").write_text(geval, encoding="utf-8")
        return run_cli("assess", "drempel-kader", "s.lz", "--format", "json", *extra)

    return run


@pytest.mark.parametrize(("geval", "wat"), [
    ("tekst_score", "organisation 'A': score for 1.1.1 is 'voldoende' (a str), not a Score"),
    ("onbekend_id", "9.9.9"),
    ("dubbel", "organisation 'A' appears twice"),
    ("te_veel", "100,001 organisations"),
    ("naam_int", "naam is 12 (a int)"),
    ("scores_none", "scores is a NoneType"),
    ("feit_set", "feit 'x'"),
    ("datum", "datum 'gisteren'"),
    ("handmatig", "handmatig oordeel for 1.1"),
    ("ontbreekt", "no score for verwachting 1.1.2"),
])
def test_a_plugin_readers_bad_beoordeling_names_the_plugin_and_the_file(
        lezer, run_cli, geval, wat) -> None:
    code, out, err = lezer(geval, run_cli)
    assert code == 4, err
    assert "plugin kw_lees failed in reader reading s.lz: " in err and wat in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and out == ""


def test_a_plugin_readers_good_beoordelingen_are_assessed(lezer, run_cli) -> None:
    code, out, err = lezer("goed", run_cli)
    assert code == 0, err
    assert [o["criteria"]["1.1"]["oordeel"] for o in json.loads(out)["organisaties"]] == [
        "goed", "goed"]


@pytest.mark.parametrize(("waarde", "wat"), [
    ("{1, 2}", "'drempel' is {1, 2} (a set)"), ('float("nan")', "'drempel' is nan"),
    ("{1: 2}", "key 1 (a int)")])
def test_to_dict_must_return_json_data(site, run_cli, tmp_path, waarde, wat) -> None:
    bron = PLUGIN.replace('{"drempel": self.drempel}', f'{{"drempel": {waarde}}}')
    assert bron != PLUGIN
    (site / "kw_drempel" / "__init__.py").write_text(bron, encoding="utf-8")
    forget_plugins()
    for args in (("show", "drempel-kader", "--format", "json"),
                 ("diff", "drempel-kader@1", "drempel-kader@1", "--format", "json")):
        code, out, err = run_cli(*args)
        assert code == 4, (args, err)
        assert "plugin kw_drempel failed in to_dict" in err and wat in err, err
        assert "Traceback" not in err and "NaN" not in out, args


@pytest.mark.parametrize("voorwaarden", [
    '((Ongelijkheid((("voldoende", 1.5),), 1),), ())',
    '((Ongelijkheid((("veel", 1),), 1),), ())',
    "(c for c in ())"])
def test_a_misshapen_voorwaarden_is_located_at_the_criterium(site, run_cli, tmp_path,
                                                              voorwaarden) -> None:
    """Every plugin failure during check is located at the criterium, in SARIF too."""
    bron = PLUGIN.replace("    def beslis(self, invoer):",
                          f"    def voorwaarden(self):\n        return {voorwaarden}\n\n"
                          "    def beslis(self, invoer):").replace(
        "import Beslisregel,", "import Ongelijkheid, Beslisregel,")
    (site / "kw_drempel" / "__init__.py").write_text(bron, encoding="utf-8")
    forget_plugins()
    sarif = tmp_path / "check.sarif"
    code, out, err = run_cli("check", "drempel-kader", "--format", "json", "--report", "sarif",
                             "--report-file", sarif)
    assert code == 4, err
    [fout] = json.loads(out)["fouten"][0]["problemen"]
    assert fout["message"].startswith("criterium 1.1: plugin kw_drempel failed in voorwaarden")
    assert fout["message"].count("kw_drempel") == 1, fout  # named once
    assert fout["file"].endswith("1.yaml") and fout["line"] == 12, fout
    [resultaat] = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    plek = resultaat["locations"][0]["physicalLocation"]
    assert plek["artifactLocation"]["uri"].endswith("1.yaml") and plek["region"]["startLine"] == 12


def test_a_misshapen_voorwaarden_shows_what_it_returned_and_is_not_cut(site, run_cli) -> None:
    """Only the plugin's value is cut: kaderwerk's wording is whole and the value appears."""
    bron = PLUGIN.replace("    def beslis(self, invoer):",
                          "    def voorwaarden(self):\n        return [[1.5]]\n\n"
                          "    def beslis(self, invoer):")
    (site / "kw_drempel" / "__init__.py").write_text(bron, encoding="utf-8")
    forget_plugins()
    code, out, err = run_cli("check", "drempel-kader", "--format", "json")
    assert code == 4 and "Traceback" not in out + err, err
    [fout] = json.loads(out)["fouten"][0]["problemen"]
    bericht = fout["message"]
    assert "it returned [[1.5]]" in bericht and not bericht.endswith("..."), bericht
    assert bericht.count("kw_drempel") == 1, bericht
