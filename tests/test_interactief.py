"""The interactive kader page without a browser: its tables are assess's answers, it is one
self-contained deterministic file, reports link to it, and the report texts read cleanly.

The browser tests (``test_browser.py``) click through the page; here every entry of every table
is compared with ``kaderwerk assess`` on a scores file that asks for exactly that entry.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from kaderwerk.api import ontvouw
from kaderwerk.commands import interactief
from kaderwerk.commands.interactief import bestandsnaam, feit_keuzes, fragment, gegevens, pagina
from kaderwerk.domain.beoordeling import ORGANISATIE
from kaderwerk.sources.catalog import catalog

from .conftest import DATA

TESTKADER = str(DATA / "interactief" / "2026.yaml")
KADERS = ["veilig-thuis-stap-1@2015", "veilig-thuis-stap-2@2016", TESTKADER]


def _rijen_per_sleutel(ref: str) -> tuple[list[str], list[list[str]], list[dict[str, str]]]:
    """A scores table whose row i asks every criterium for the i-th entry of its table."""
    kader = catalog().get(ref)
    data = gegevens(kader)
    doelen = {d["id"]: d for d in data["doelen"]}
    plafonds = [p for c in kader.criteria for p in c.plafonds]
    plafonds += list(kader.organisatie.plafonds) if kader.organisatie else []
    keuzes = {f.id: feit_keuzes(f, plafonds) for f in kader.feiten}
    hand = [d for d in doelen.values() if d["soort"] == "handmatig"]
    kop = ["organisatie", *(v.id for v in kader.verwachtingen), *keuzes,
           *(f"oordeel {d['id']}" if d["id"] != ORGANISATIE else "oordeel" for d in hand)]
    # the organisatie counts all scores, so only its own table may set the feiten
    n = max(len(d["tabel"]) for d in doelen.values())
    rijen, gevraagd = [], []
    for i in range(n):
        scores: dict[str, str] = {}
        feiten: dict[str, str] = {}
        hand_keuze: dict[str, str] = {}
        vraag: dict[str, str] = {}
        for c in kader.criteria:
            d = doelen[c.id]
            sleutel = sorted(d["tabel"])[i % len(d["tabel"])]
            invoer, _, feit_idx = sleutel.partition("|")
            eigen = dict(zip(d["feiten"], feit_idx.split(",") if feit_idx else [], strict=True))
            if any(feiten.get(f, w) != w for f, w in eigen.items()):
                continue  # another criterium set this feit otherwise in this row
            feiten.update(eigen)
            vraag[c.id] = sleutel
            beoordeeld = [v for v in c.verwachtingen if v.beoordeeld]
            if d["soort"] == "telling":
                v, o, _ = map(int, invoer.split(","))
                letters = ["V"] * v + ["O"] * o + ["NB"] * (len(beoordeeld) - v - o)
            else:
                letters = ["NB" if not c.score_verplicht else "V"] * len(beoordeeld)
                hand_keuze[c.id] = invoer
            scores.update(zip((v.id for v in beoordeeld), letters, strict=True))
        if ORGANISATIE in doelen:
            d = doelen[ORGANISATIE]
            sleutel = sorted(d["tabel"])[i % len(d["tabel"])]
            invoer, _, feit_idx = sleutel.partition("|")
            eigen = dict(zip(d["feiten"], feit_idx.split(",") if feit_idx else [], strict=True))
            if d["soort"] == "handmatig" and all(feiten.get(f, w) == w for f, w in eigen.items()):
                feiten.update(eigen)
                hand_keuze[ORGANISATIE] = invoer
                vraag[ORGANISATIE] = sleutel
        rij = [f"org {i}"] + [scores.get(v.id, "") for v in kader.verwachtingen]
        rij += ["" if feiten.get(f, "0") == "0" else k[int(feiten[f])][0]
                for f, k in keuzes.items()]
        rij += [hand_keuze.get(d["id"], "") for d in hand]
        rijen.append(rij)
        gevraagd.append(vraag)
    return kop, rijen, gevraagd


@pytest.mark.parametrize("ref", KADERS, ids=["stap-1", "stap-2", "testkader"])
def test_every_table_entry_is_what_assess_gives(run_cli: Any, tmp_path: Path, ref: str) -> None:
    """Each entry the page can show equals the trace ``assess`` writes for those scores."""
    kop, rijen, gevraagd = _rijen_per_sleutel(ref)
    scores = tmp_path / "scores.csv"
    with scores.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([kop, *rijen])
    code, out, err = run_cli("assess", ref, scores, "--format", "json")
    assert code == 0, err
    u = ontvouw(json.loads(out))
    data = gegevens(catalog().get(ref))
    doelen = {d["id"]: d for d in data["doelen"]}
    gezien = 0
    for org, vraag in zip(u["organisaties"], gevraagd, strict=True):
        for doel, sleutel in vraag.items():
            item = org["oordeel"] if doel == ORGANISATIE else org["criteria"][doel]
            r = doelen[doel]["tabel"][sleutel]
            plafond = None if r[3] is None else doelen[doel]["plafonds"][r[3]]
            assert r[0] == item["oordeel"], (doel, sleutel)
            assert r[1] == item["clausule"], (doel, sleutel)
            assert data["teksten"][r[2]] == item["regel"], (doel, sleutel)
            assert (plafond and plafond["max"]) == (item["plafond"] and item["plafond"]["max"])
            assert bool(r[4]) == bool(item["plafond"] and item["plafond"]["verlaagd"])
            assert (None if r[6] is None else data["teksten"][r[6]]) == item["afstand"]
            gezien += 1
    assert gezien >= sum(len(d["tabel"]) for d in doelen.values() if d["id"] != ORGANISATIE)


def test_tables_hold_what_assess_accepts() -> None:
    """score_verplicht: no niet beoordeeld beyond the unassessed; otherwise every split."""
    stap1 = gegevens(catalog().get("veilig-thuis-stap-1@2015"))
    d31 = next(d for d in stap1["doelen"] if d["id"] == "3.1")  # 3 assessed, 3.1.1 not
    assert sorted(d31["tabel"]) == ["0,3,1|", "1,2,1|", "2,1,1|", "3,0,1|"]
    test = gegevens(catalog().get(TESTKADER))
    d11 = next(d for d in test["doelen"] if d["id"] == "1.1")  # 3 assessed, wachtlijst
    assert len(d11["tabel"]) == 10 * 3  # (v, o) with v + o <= 3, times niet opgegeven/ja/nee
    assert test["feiten"] == {"wachtlijst": ["niet opgegeven", "ja", "nee"],
                              "klachten": ["niet opgegeven", "3"]}
    page = pagina(catalog().get("veilig-thuis-stap-1@2015"))
    assert len(re.findall(r'<input type="radio" name="s:[^"]+" value="n"', page)) == 1
    assert "score_verplicht" in page


def test_page_is_one_deterministic_file(run_cli: Any, tmp_path: Path) -> None:
    """The same bytes twice; nothing loaded from elsewhere; the data cannot close its script."""
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    for doel in (a, b):
        code, _, err = run_cli("render", "veilig-thuis-stap-2", "--interactief", "-o", doel)
        assert code == 0, err
    assert a.read_bytes() == b.read_bytes()
    tekst = a.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", tekst)
    assert "<link" not in tekst and "@import" not in tekst
    assert tekst.count("<script") == 2 and tekst.count("</script>") == 2
    assert "Handmatig: het oordeel is de keuze van de inspecteur" in tekst


def test_interactief_with_markdown_is_a_usage_error(run_cli: Any) -> None:
    code, out, err = run_cli("render", "veilig-thuis-stap-1", "--interactief", "--format",
                             "markdown")
    assert code == 2
    assert "--interactief" in err and "internal error" not in err + out
    assert "Traceback" not in err + out


def test_too_large_table_is_said_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A criterium the page cannot tabulate gets no answers and a sentence saying so."""
    monkeypatch.setattr(interactief, "MAX_TABEL", 3)
    kader = catalog().get("veilig-thuis-stap-1@2015")
    data = gegevens(kader)
    assert all(d["soort"] == "anders" and d["tabel"] is None for d in data["doelen"]
               if d["id"] != "3.2")
    page = pagina(kader)
    assert "deze pagina berekent dit oordeel niet" in page
    assert 'id="uitkomst:1.1"' not in page and 'id="uitkomst:3.2"' in page


def test_fragment_carries_counts_choices_and_feiten() -> None:
    org = {"naam": "A & B #1", "feiten": {"wachtlijst": True},
           "criteria": {"1.1": {"telling": {"voldoende": 2, "onvoldoende": 1,
                                            "niet_beoordeeld": 0},
                                "oordeel": "matig", "oordeel_voor_plafond": "voldoende",
                                "clausule": 1}},
           "oordeel": {"oordeel": None, "oordeel_voor_plafond": None, "clausule": None}}
    velden = dict(parse_qsl(fragment(org, "k@1"), keep_blank_values=True))
    assert velden == {"naam": "A & B #1", "kader": "k@1", "t.1.1": "2,1,0",
                      "h.1.1": "voldoende", "h.organisatie": "", "f.wachtlijst": "ja"}


SCORES_STAP2 = ("organisatie,datum,1.1.1,wachtlijst,oordeel 1.1,onderbouwing 1.1,oordeel,"
                "onderbouwing\nA,2016-09-01,V,ja,matig,Wisselend.,voldoende,Goed geregeld.\n")


def test_report_texts_read_cleanly(run_cli: Any, tmp_path: Path) -> None:
    """Onderbouwing once, no '.;' after a plafond's reden, headers capitalised alike."""
    scores = tmp_path / "s.csv"
    scores.write_text(SCORES_STAP2, encoding="utf-8")
    code, md, err = run_cli("assess", "veilig-thuis-stap-2", scores, "--format", "markdown")
    assert code == 0, err
    assert md.count("Wisselend.") == 1 and md.count("Goed geregeld.") == 1
    assert ".;" not in md and "»." in md
    assert "Verlaagd van voldoende naar matig." in md
    for regel in md.splitlines():
        if regel.startswith("| ") and not regel.startswith("| ---"):
            continue
        if regel.startswith("#"):
            kop = regel.lstrip("# ")
            assert kop[:1] == kop[:1].upper(), regel
    koppen = [r for r in md.splitlines() if r.startswith("| Criterium | Titel")]
    assert koppen and all(c.strip()[:1].isupper() for c in koppen[0].strip("|").split("|"))


def test_report_links_to_the_page_written_beside_it(run_cli: Any, tmp_path: Path) -> None:
    """-o FOLDER writes the interactive page beside the report; each organisation links to it
    with its counts; the footer names version, kader, source and the date of the scores.
    -o FILE.html writes only that file (nothing outside -o) and says how to get the page."""
    scores = tmp_path / "s.csv"
    scores.write_text(SCORES_STAP2, encoding="utf-8")
    los = tmp_path / "los" / "rapport.html"
    code, _, err = run_cli("assess", "veilig-thuis-stap-2", scores, "--format", "html", "-o",
                           los)
    assert code == 0, err
    assert [p.name for p in los.parent.iterdir()] == ["rapport.html"]
    assert "--interactief" in err
    map_ = tmp_path / "uit"
    code, _, err = run_cli("assess", "veilig-thuis-stap-2", scores, "--format", "html", "-o",
                           map_)
    assert code == 0, err
    rapport = map_ / "veilig-thuis-stap-2-2016.html"
    naast = map_ / bestandsnaam("veilig-thuis-stap-2", "2016")
    assert naast.is_file() and f"wrote {naast}" in err
    tekst = rapport.read_text("utf-8")
    [href] = re.findall(r'class="interactief" href="([^"]+)"', tekst)
    pad, _, frag = href.replace("&amp;", "&").partition("#")
    assert pad == naast.name
    velden = dict(parse_qsl(frag))
    assert velden["naam"] == "A" and velden["h.organisatie"] == "voldoende"
    assert velden["f.wachtlijst"] == "ja" and velden["t.1.1"] == "1,0,0"
    voet = tekst[tekst.index("<footer>"):]
    from kaderwerk import __version__
    for deel in (f"kaderwerk {__version__}", "veilig-thuis-stap-2@2016", "bron: Toetsingskader",
                 "datum van de scores: 2016-09-01"):
        assert deel in voet
    assert 'id="org-1"' in tekst and 'href="#org-1"' in tekst


def test_report_on_stdout_says_where_the_page_is(run_cli: Any) -> None:
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert bestandsnaam("veilig-thuis-stap-1", "2015") in err and "--interactief" in err


def test_control_characters_stay_visible_in_the_page_data(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A clause tekst with ESC (from a kader that skipped validation) reaches the page's data as
    visible text, never as a JSON escape the browser would turn back into the character."""
    from kaderwerk.sources import yamlsource

    monkeypatch.setattr(yamlsource, "weiger_yaml", lambda text, doc: None)
    path = tmp_path / "k.yaml"
    path.write_text(Path(TESTKADER).read_text(encoding="utf-8").replace(
        'tekst: "voldoende als geen', 'tekst: "\\e]0;pwned\\a voldoende als geen', 1),
        encoding="utf-8")
    page = pagina(catalog().get(str(path)))
    data = page[page.index('id="kaderdata">'):page.index("</script>")]
    assert "]0;pwned" in data
    assert not re.search(r"(?<!\\)\\u00[01][0-9a-f]", data)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", page)


def test_a_file_kaderwerk_did_not_write_is_never_replaced(run_cli: Any, tmp_path: Path) -> None:
    """The page beside the report replaces an earlier page, never a file of the user's."""
    naast = tmp_path / bestandsnaam("veilig-thuis-stap-1", "2015")
    naast.write_text("mijn eigen aantekeningen", encoding="utf-8")
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "html", "-o",
                           tmp_path)
    assert code == 0, err
    assert naast.read_text(encoding="utf-8") == "mijn eigen aantekeningen"
    assert f"not writing {naast}" in err and "--interactief" in err
    assert (tmp_path / "veilig-thuis-stap-1-2015.html").is_file()
    naast.unlink()
    for _ in range(2):  # written, then replaced by the next run
        code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "html",
                               "-o", tmp_path)
        assert code == 0 and f"wrote {naast}" in err


def test_page_data_holds_no_markup_whatever_the_kader_says() -> None:
    """Every <, > and & of the embedded data is a JSON escape: no text can end or comment out
    the data block (``<!--<script>`` swallowed the page's own script before)."""
    tekst = pagina(catalog().get(str(DATA / "interactief" / "vijandig.yaml")))
    data = tekst.split('id="kaderdata">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&") & set(data)
    assert "\\u003c!--\\u003cscript\\u003e" in data
    assert json.loads(data)["teksten"] is not None
    assert tekst.count("<script") == 2


def test_handmatig_scores_that_decide_nothing_are_fixed_and_say_why() -> None:
    kader = catalog().get("veilig-thuis-stap-2")
    tekst = pagina(kader)
    handmatig = [c for c in kader.criteria if c.beslisregel.handmatig]
    assert handmatig and kader.organisatie is not None and kader.organisatie.beslisregel.handmatig
    for c in handmatig:
        sectie = tekst.split(f'id="doel-{c.id}"', 1)[1].split("</section>", 1)[0]
        assert "bepalen dit oordeel niet" in sectie
        radios = re.findall(r"<input type=\"radio\"[^>]*>", sectie)
        assert radios and all("disabled" in r for r in radios)


def test_a_page_too_large_says_which_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interactief, "MAX_TABEL", 3)
    tekst = pagina(catalog().get(TESTKADER))
    assert "te veel combinaties voor één pagina (meer dan 3 mogelijke invoeren)" in tekst
    assert "leest meer dan de aantallen" not in tekst
