"""In headless Chromium: the interactive kader page agrees with ``assess``; reports fit screens.

For every bundled kader (and a test kader with count rules, niet beoordeeld and plafonds) the
page is set to 200 random combinations of scores, feiten and the inspector's oordelen through
its own controls, read back from what it shows, and compared with ``kaderwerk assess`` on a
scores file of the same combinations; a few combinations are entered with real clicks. The
html report is opened at 375, 700 and 1400 px: nothing is wider than the window, bar labels
are at least 11 px, and its links open the interactive page pre-filled with the same oordelen.

Needs selenium (the test extras), Chromium and its driver; on Debian
``apt-get install chromium chromium-driver``. Without them the tests skip and say so.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kaderwerk.api import ontvouw
from kaderwerk.commands.interactief import bestandsnaam, feit_keuzes, pagina
from kaderwerk.domain.beoordeling import ORGANISATIE
from kaderwerk.domain.model import Kader
from kaderwerk.sources.catalog import catalog

from tests.conftest import DATA

pytestmark = pytest.mark.slow

KADERS = ["veilig-thuis-stap-1@2015", "veilig-thuis-stap-2@2016", "stelseltoezicht-jeugd@2015",
          "signaleren-van-onveiligheid@2016", "stelseltoezicht-volwassenen@2016",
          str(DATA / "interactief" / "2026.yaml")]
AANTAL = 200
GEKLIKT = 2
HOWTO = ("to run the browser tests, install selenium (pip install -e '.[test]') and Debian's "
         "Chromium with its driver: sudo apt-get install chromium chromium-driver")

LEES = """
var uit = {};
document.querySelectorAll(".uitkomst").forEach(function (b) {
  function w(r) { return b.querySelector('[data-rol="' + r + '"] .waarde').textContent; }
  uit[b.id.slice(9)] = [b.querySelector('[data-rol="oordeel"]').getAttribute("data-oordeel"),
    b.getAttribute("data-clausule"), w("clausule") || w("regel"), b.getAttribute("data-plafond"),
    w("afstand"), w("bandbreedte")];
});
return uit;
"""
ZET = """
var combinaties = arguments[0], uit = [];
function lees() {""" + LEES + """}
combinaties.forEach(function (c) {
  Object.keys(c.s).forEach(function (vid) {
    document.getElementsByName("s:" + vid).forEach(function (el) {
      if (el.value === c.s[vid] && !el.disabled) { el.checked = true; }
    });
  });
  Object.keys(c.f).forEach(function (f) { document.getElementById("f:" + f).value = c.f[f]; });
  Object.keys(c.h).forEach(function (d) { document.getElementById("h:" + d).value = c.h[d]; });
  document.querySelector("input, select").dispatchEvent(new Event("change", {bubbles: true}));
  uit.push(lees());
});
return uit;
"""

OPEN = """
var doel = arguments[0];
return Object.keys(doel).filter(function (vid) {
  var el = document.querySelector('input[name="s:' + vid + '"][value="' + doel[vid] + '"]');
  return el && !el.disabled && !el.checked;
}).map(function (vid) { return [vid, doel[vid]]; });
"""


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip(f"selenium is not installed: {HOWTO}")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if browser is None or chromedriver is None:
        pytest.skip(f"no {'chromium' if browser is None else 'chromedriver'} on PATH: {HOWTO}")
    opties = webdriver.ChromeOptions()
    opties.binary_location = browser
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--no-first-run"):
        opties.add_argument(a)
    try:
        d = webdriver.Chrome(service=Service(chromedriver), options=opties)
    except WebDriverException as exc:
        pytest.skip(f"Chromium does not start under chromedriver ({str(exc.msg)[:200]}); "
                    f"{HOWTO}")
    d.set_window_size(1200, 900)
    yield d
    d.quit()


def _kader(ref: str) -> Kader:
    return catalog().get(ref)


def _handmatig(kader: Kader) -> list[str]:
    doelen = [c.id for c in kader.criteria if c.beslisregel.handmatig]
    if kader.organisatie is not None and kader.organisatie.beslisregel.handmatig:
        doelen.append(ORGANISATIE)
    return doelen


def _keuzes(kader: Kader) -> dict[str, list[tuple[str, Any]]]:
    plafonds = [p for c in kader.criteria for p in c.plafonds]
    plafonds += list(kader.organisatie.plafonds) if kader.organisatie else []
    return {f.id: feit_keuzes(f, plafonds) for f in kader.feiten}


def combinaties(kader: Kader, n: int, seed: int) -> list[dict[str, Any]]:
    """Random scores (niet beoordeeld where assess accepts it), feiten and handmatige oordelen."""
    rng = random.Random(seed)
    keuzes = _keuzes(kader)
    uit = []
    for _ in range(n):
        s = {}
        for c in kader.criteria:
            opties = ["v", "o"] if c.score_verplicht else ["v", "o", "n"]
            kans = rng.random()  # vary the mix, so every count gets its turn
            for v in c.verwachtingen:
                s[v.id] = "n" if not v.beoordeeld else (
                    rng.choice(opties) if rng.random() < 0.5 else opties[kans < 0.5])
        f = {fid: str(rng.randrange(len(k))) for fid, k in keuzes.items()}
        h = {d: rng.choice(["", *kader.oordeelschaal]) for d in _handmatig(kader)}
        uit.append({"s": s, "f": f, "h": h})
    return uit


def scores_csv(kader: Kader, lijst: list[dict[str, Any]], path: Path) -> None:
    keuzes = _keuzes(kader)
    kolommen = [f"oordeel {d}" if d != ORGANISATIE else "oordeel" for d in _handmatig(kader)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["organisatie", *(v.id for v in kader.verwachtingen), *keuzes, *kolommen])
        for i, c in enumerate(lijst):
            letters = {"v": "V", "o": "O", "n": "NB"}
            rij = [f"org {i}"] + [letters[c["s"][v.id]] if v.beoordeeld else ""
                                  for v in kader.verwachtingen]
            rij += ["" if c["f"][fid] == "0" else k[int(c["f"][fid])][0]
                    for fid, k in keuzes.items()]
            rij += [c["h"][d] for d in _handmatig(kader)]
            w.writerow(rij)


def verwacht(item: dict[str, Any] | None) -> list[str]:
    """What the page should show for one trace of ``assess``, in the order ``LEES`` reads."""
    assert item is not None
    p = item.get("plafond")
    plafond = "" if not p else (
        f"{p['feit']}={({True: 'ja', False: 'nee'}.get(p['waarde'], p['waarde']))}:{p['max']}"
        + (":verlaagd" if p["verlaagd"] else ""))
    band = item.get("bandbreedte")
    return [item["oordeel"] or "", "" if item["clausule"] is None else str(item["clausule"]),
            item["regel"], plafond, item.get("afstand") or "",
            "" if not band else f"van {band['beste'] or 'geen oordeel'} tot "
                                f"{band['slechtste'] or 'geen oordeel'}"]


def assess_json(run_cli: Any, ref: str, scores: Path) -> dict[str, Any]:
    code, out, err = run_cli("assess", ref, scores, "--format", "json")
    assert code == 0, err
    return ontvouw(json.loads(out))


def _vergelijk(kader: Kader, getoond: dict[str, list], org: dict[str, Any], wat: str) -> None:
    for c in kader.criteria:
        assert getoond[c.id] == verwacht(org["criteria"][c.id]), (wat, c.id)
    if kader.organisatie is not None:
        assert getoond[ORGANISATIE] == verwacht(org["oordeel"]), (wat, ORGANISATIE)


@pytest.mark.parametrize("ref", KADERS, ids=lambda r: Path(r).parent.name if "/" in r else r)
def test_interactive_page_agrees_with_assess(driver: Any, run_cli: Any, tmp_path: Path,
                                             ref: str) -> None:
    """200 random combinations set through the page's controls, 2 clicked, all as assess says."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    kader = _kader(ref)
    page = tmp_path / "pagina.html"
    page.write_text(pagina(kader), encoding="utf-8")
    lijst = combinaties(kader, AANTAL, seed=len(kader.verwachtingen))
    scores = tmp_path / "scores.csv"
    scores_csv(kader, lijst, scores)
    u = assess_json(run_cli, ref, scores)
    driver.get(page.as_uri())
    getoond = driver.execute_script(ZET, lijst)
    assert len(getoond) == AANTAL
    for i, (toon, org) in enumerate(zip(getoond, u["organisaties"], strict=True)):
        _vergelijk(kader, toon, org, f"combination {i}")
    oordelen = {tuple(t[c.id][0] for c in kader.criteria) for t in getoond}
    assert len(oordelen) > 1, "the combinations never changed an oordeel"

    driver.get(page.as_uri())
    for i in range(GEKLIKT):
        c = lijst[i]
        anders = driver.execute_script(OPEN, c["s"])  # one round trip: what needs a click
        for vid, w in anders:
            driver.find_element(By.CSS_SELECTOR, f'input[name="s:{vid}"][value="{w}"]').click()
        for f, waarde in c["f"].items():
            Select(driver.find_element(By.ID, f"f:{f}")).select_by_value(waarde)
        for d, waarde in c["h"].items():
            Select(driver.find_element(By.ID, f"h:{d}")).select_by_value(waarde)
        _vergelijk(kader, driver.execute_script(LEES), u["organisaties"][i], f"clicked {i}")
    assert "s=" in driver.execute_script("return location.hash"), "the choices are not kept"


def _breedte_fouten(driver: Any) -> list[str]:
    """Elements reaching past the window, except inside a box that scrolls sideways."""
    return driver.execute_script("""
var vw = document.documentElement.clientWidth, fout = [];
if (document.documentElement.scrollWidth > vw) { fout.push("page " +
    document.documentElement.scrollWidth + " > " + vw); }
document.querySelectorAll("body *").forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= vw + 1) { return; }
  for (var p = el.parentElement; p; p = p.parentElement) {
    var o = getComputedStyle(p).overflowX;
    if (o === "auto" || o === "scroll" || o === "hidden") { return; }
  }
  fout.push(el.tagName + "." + el.className + " right=" + Math.round(r.right));
});
return fout.slice(0, 10);
""")


def test_report_fits_every_screen_and_links_to_the_page(driver: Any, run_cli: Any,
                                                        tmp_path: Path) -> None:
    """At 375, 700 and 1400 px nothing sticks out of the report or the interactive page, bar
    labels are >= 11 px, the search filters the list; the links open the page pre-filled."""
    from selenium.webdriver.common.by import By

    code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "html",
                           "--format", "json", "-o", tmp_path)
    assert code == 0, err
    rapport = tmp_path / "veilig-thuis-stap-1-2015.html"
    assert (tmp_path / bestandsnaam("veilig-thuis-stap-1", "2015")).is_file()
    u = ontvouw(json.loads((tmp_path / "veilig-thuis-stap-1-2015.json").read_text("utf-8")))
    for breedte in (375, 700, 1400):
        driver.set_window_size(breedte, 1000)
        driver.get(rapport.as_uri())
        assert driver.execute_script("return document.documentElement.clientWidth") <= breedte
        assert _breedte_fouten(driver) == [], breedte
        klein = driver.execute_script("""
return Array.from(document.querySelectorAll(".staaf text, .rangorde .getal"))
  .map(function (t) { return parseFloat(getComputedStyle(t).fontSize) *
    (t.getScreenCTM ? t.getScreenCTM().a : 1); })
  .filter(function (px) { return px < 11; }).length;""")
        assert klein == 0, f"bar labels under 11 px at {breedte} px"
        driver.save_screenshot(str(tmp_path / f"rapport-{breedte}.png"))
        driver.get((tmp_path / bestandsnaam("veilig-thuis-stap-1", "2015")).as_uri())
        assert _breedte_fouten(driver) == [], f"interactive page at {breedte}"
    driver.set_window_size(1200, 900)
    driver.get(rapport.as_uri())
    zoek = driver.find_element(By.ID, "zoek")
    zoek.send_keys("utrecht")
    zichtbaar = driver.execute_script(
        "return Array.from(document.querySelectorAll('#organisaties li'))"
        ".filter(function (li) { return !li.hidden; }).map(function (li) {"
        " return li.textContent; })")
    assert zichtbaar and all("utrecht" in z.lower() for z in zichtbaar)
    kader = _kader("veilig-thuis-stap-1@2015")
    for i in (0, 7, 25):
        org = u["organisaties"][i]
        driver.get(rapport.as_uri())
        link = driver.find_element(By.CSS_SELECTOR, f'section.org[data-nr="{i}"] a.interactief')
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        assert bestandsnaam("veilig-thuis-stap-1", "2015") in driver.current_url
        getoond = driver.execute_script(LEES)
        for c in kader.criteria:
            assert getoond[c.id][0] == (org["criteria"][c.id]["oordeel"] or ""), (i, c.id)
        assert org["naam"] in driver.find_element(By.ID, "herkomst").text


VIJANDIG = DATA / "interactief" / "vijandig.yaml"
BADGES = ("return Array.from(document.querySelectorAll('[data-rol=oordeel]'))"
          ".map(function (b) { return b.textContent; })")


def test_hostile_text_leaves_the_page_working_and_narrow(driver: Any, run_cli: Any,
                                                         tmp_path: Path) -> None:
    """A text with ``<!--<script>`` does not swallow the page's script; a long unbroken word
    (in a title, a verwachting, an organisation name) wraps instead of widening the page."""
    pagina_pad = tmp_path / "vijandig.html"
    code, _, err = run_cli("render", str(VIJANDIG), "--interactief", "-o", pagina_pad)
    assert code == 0, err
    tekst = pagina_pad.read_text("utf-8")
    data = tekst.split('id="kaderdata">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data and "&" not in data
    scores = tmp_path / "scores.csv"
    scores.write_text("organisatie,1.1.1,1.1.2,1.1.3,1.2.1,1.2.2,2.1.1,2.1.2,2.1.3\n"
                      "Stichting" + "Jeugdzorgvoorzieningen" * 6 + ",V,V,O,V,V,O,V,V\n",
                      encoding="utf-8")
    code, _, err = run_cli("assess", str(VIJANDIG), scores, "--format", "html", "-o",
                           tmp_path / "rapport")
    assert code == 0, err
    for breedte in (375, 700, 1400):
        driver.set_window_size(breedte, 900)
        driver.get(pagina_pad.as_uri())
        assert driver.execute_script("return document.scripts.length") == 2
        badges = driver.execute_script(BADGES)
        assert badges and "…" not in badges, badges
        assert _breedte_fouten(driver) == [], f"interactive page at {breedte}"
        driver.get((tmp_path / "rapport" / "vijandig-1.html").as_uri())
        assert _breedte_fouten(driver) == [], f"report at {breedte}"
    driver.set_window_size(1200, 900)


def test_a_new_address_replaces_the_whole_state(driver: Any, run_cli: Any,
                                                tmp_path: Path) -> None:
    """Pasting another organisation's address into the open page shows what a fresh load of
    that address shows: oordelen, scores, feiten and the note it leaves out are reset."""
    from selenium.webdriver.common.by import By

    code, _, err = run_cli("render", "veilig-thuis-stap-2", "--interactief", "-o",
                           tmp_path / "p.html")
    assert code == 0, err
    u = (tmp_path / "p.html").as_uri()
    b = "naam=B&h.1.2=matig"
    driver.get(u + "#naam=A&h.1.1=onvoldoende&h.organisatie=voldoende"
               "&f.wachtlijst=ja&t.1.1=0,1,0")
    eerst = driver.execute_script(LEES)
    driver.execute_script("location.hash = arguments[0]", b)
    na_wissel = driver.execute_script(LEES)
    herkomst = driver.find_element(By.ID, "herkomst").text
    driver.get("about:blank")
    driver.get(u + "#" + b)
    assert driver.execute_script(LEES) == na_wissel != eerst
    assert herkomst == driver.find_element(By.ID, "herkomst").text == "Ingevuld voor B."
    driver.execute_script("location.hash = ''")
    assert not driver.find_element(By.ID, "herkomst").is_displayed()
    code, _, err = run_cli("render", "veilig-thuis-stap-1", "--interactief", "-o",
                           tmp_path / "p1.html")
    assert code == 0, err
    driver.get((tmp_path / "p1.html").as_uri() + "#naam=C&t.1.1=1,0,0")
    assert "de eerste verwachtingen" in driver.find_element(By.ID, "herkomst").text
    driver.find_element(By.CSS_SELECTOR, 'input[value="o"]:not([disabled])').click()
    assert "naam=C" in driver.execute_script("return location.hash")
    assert driver.find_element(By.ID, "herkomst").text == "Ingevuld voor C."


def test_search_says_when_organisations_are_not_on_the_page(driver: Any, run_cli: Any,
                                                            tmp_path: Path,
                                                            monkeypatch: Any) -> None:
    """Past the report's limit a search that finds nothing there says the others exist."""
    import time

    from kaderwerk.plugins import format_html
    from selenium.webdriver.common.by import By

    monkeypatch.setattr(format_html, "MAX_GETOOND", 5)
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "html",
                           "-o", tmp_path)
    assert code == 0, err
    driver.get((tmp_path / "veilig-thuis-stap-1-2015.html").as_uri())
    driver.find_element(By.ID, "zoek").send_keys("zzz-geen-organisatie")
    for _ in range(50):  # the search waits for a pause in typing
        uitslag = driver.find_element(By.ID, "zoekuitslag").text
        if uitslag:
            break
        time.sleep(0.1)
    assert uitslag.startswith("0 organisaties gevonden op deze pagina")
    assert "Alleen de eerste 5 van 26 organisaties" in uitslag
