"""The csv, markdown, html and xlsx output formats on the Veilig Thuis stap 1 uitkomst."""

from __future__ import annotations

import copy
import csv
import io
import re
import shutil
import struct
import subprocess
import time
import zipfile
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from kaderwerk.api import neutraliseer
from kaderwerk.commands.assess import read_beoordelingen, resolve_scores
from kaderwerk.domain.beoordeling import Opties
from kaderwerk.domain.engine import assess
from kaderwerk.plugins.format_csv import write_csv
from kaderwerk.plugins.format_html import write_html
from kaderwerk.plugins.format_markdown import write_markdown
from kaderwerk.plugins.format_xlsx import write_xlsx
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.manager import registry

FORMATS = {"csv": ".csv", "markdown": ".md", "html": ".html", "xlsx": ".xlsx"}
GROEN, ORANJE, ROOD = (0x2E, 0x7D, 0x32), (0xEF, 0x6C, 0x00), (0xC6, 0x28, 0x28)


@pytest.fixture(scope="module")
def u() -> dict[str, Any]:
    k = catalog().get("veilig-thuis-stap-1")
    path, manifest = resolve_scores(k, "2015")
    return assess(k, read_beoordelingen(k, path, Opties()), manifest["gepubliceerd"])


def hernoem(u: dict[str, Any], oud: str, nieuw: str) -> dict[str, Any]:
    """A copy of the uitkomst with one organisation renamed, in the rangorde too."""
    v = copy.deepcopy(u)
    for o in v["organisaties"]:
        if o["naam"] == oud:
            o["naam"] = nieuw
    v["landelijk_beeld"]["rangorde"] = [nieuw if n == oud else n
                                        for n in v["landelijk_beeld"]["rangorde"]]
    return v


def omgekeerd(u: dict[str, Any]) -> dict[str, Any]:
    """A copy with the organisations in reverse input order (the rangorde is unchanged)."""
    v = copy.deepcopy(u)
    v["organisaties"].reverse()
    return v


def met_plafond(u: dict[str, Any]) -> dict[str, Any]:
    """A copy where Utrecht's 1.2 was lowered by a plafond and organisations have an oordeel."""
    v = copy.deepcopy(u)
    for o in v["organisaties"]:
        o["oordeel"] = {"oordeel": None, "telling": o["criteria"]["1.1"]["telling"],
                        "regel": "geen regel", "plafond": None}
    utrecht = next(o for o in v["organisaties"] if o["naam"] == "Utrecht")
    utrecht["oordeel"]["oordeel"] = "voldoende"
    c = utrecht["criteria"]["1.2"]
    c.update(oordeel="onvoldoende", oordeel_voor_plafond="matig",
             plafond={"feit": "wachtlijst", "waarde": True, "max": "onvoldoende",
                      "reden": "er is een wachtlijst", "verlaagd": True})
    n = len(v["organisaties"])
    v["landelijk_beeld"]["organisatie"] = {"voldoende": 1, "matig": 0, "onvoldoende": 0,
                                           "geen_oordeel": n - 1}
    return v


def test_all_formats_registered() -> None:
    """Each of the four formats is registered under its name with its suffix."""
    formats = registry().formats
    for naam, suffix in FORMATS.items():
        assert naam in formats
        assert formats[naam].suffix == suffix


@pytest.mark.parametrize("naam", sorted(FORMATS))
def test_output_is_byte_identical(u: dict[str, Any], naam: str) -> None:
    """Two calls on the same uitkomst give the same bytes and leave the uitkomst unchanged."""
    write = registry().formats[naam].write
    before = copy.deepcopy(u)
    first = write(u)
    assert isinstance(first, bytes) and first
    assert write(u) == first
    assert u == before


def test_xlsx_ignores_the_clock(u: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The xlsx bytes stay the same when the clock has moved on a day between two runs."""
    first = write_xlsx(u)
    echt = time.time
    monkeypatch.setattr(time, "time", lambda: echt() + 86400 + 7)
    assert write_xlsx(u) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_csv_rows_follow_rangorde(u: dict[str, Any]) -> None:
    """The csv has a header and one row per organisation, in rangorde order, UTF-8, \\n ends."""
    data = write_csv(omgekeerd(u))
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    tekst = data.decode("utf-8")
    assert len(tekst.splitlines()) == 27
    rijen = list(csv.reader(io.StringIO(tekst)))
    ids = [c["id"] for c in u["criteria"]]
    assert rijen[0] == ["organisatie", "aantal_voldoende", *ids]
    assert [r[0] for r in rijen[1:]] == u["landelijk_beeld"]["rangorde"]


def test_csv_utrecht_row(u: dict[str, Any]) -> None:
    """The Utrecht row carries its aantal voldoende and its oordeel per criterium."""
    rijen = list(csv.DictReader(io.StringIO(write_csv(u).decode("utf-8"))))
    utrecht = next(o for o in u["organisaties"] if o["naam"] == "Utrecht")
    rij = next(r for r in rijen if r["organisatie"] == "Utrecht")
    assert rij["aantal_voldoende"] == str(utrecht["aantal_voldoende"])
    for cid, item in utrecht["criteria"].items():
        assert rij[cid] == (item["oordeel"] or "")


def test_csv_organisation_oordeel_column(u: dict[str, Any]) -> None:
    """When organisations have an oordeel, the csv ends with an oordeel column; a null oordeel
    reads 'geen oordeel', never an empty cell."""
    rijen = list(csv.DictReader(io.StringIO(write_csv(met_plafond(u)).decode("utf-8"))))
    assert {r["organisatie"]: r["oordeel"] for r in rijen}["Utrecht"] == "voldoende"
    assert {r["oordeel"] for r in rijen if r["organisatie"] != "Utrecht"} == {"geen oordeel"}


@pytest.mark.parametrize("tekst", ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_neutraliseer_prefixes_formula_text(tekst: str) -> None:
    """Text starting like a formula gets a leading apostrophe."""
    assert neutraliseer(tekst) == "'" + tekst


@pytest.mark.parametrize("waarde", ["Utrecht", "Noord- en Midden-Limburg", 5, -3, 2.5, None])
def test_neutraliseer_leaves_other_values(waarde: Any) -> None:
    """Ordinary text and numbers (also negative ones) pass unchanged."""
    assert neutraliseer(waarde) == waarde


def test_csv_formula_injection_neutralised(u: dict[str, Any]) -> None:
    """An organisation named like a formula is written with a leading apostrophe in csv."""
    v = hernoem(u, "Utrecht", "=HYPERLINK(1)")
    rijen = list(csv.reader(io.StringIO(write_csv(v).decode("utf-8"))))
    namen = [r[0] for r in rijen]
    assert "'=HYPERLINK(1)" in namen
    assert "=HYPERLINK(1)" not in namen


def test_xlsx_formula_injection_neutralised(u: dict[str, Any]) -> None:
    """An organisation named like a formula is a text cell with a leading apostrophe in xlsx."""
    v = hernoem(u, "Utrecht", "=HYPERLINK(1)")
    wb = openpyxl.load_workbook(io.BytesIO(write_xlsx(v)))
    cellen = [c for c in wb["Organisaties"]["A"] if c.value and "HYPERLINK" in str(c.value)]
    assert len(cellen) == 1
    assert cellen[0].value == "'=HYPERLINK(1)"
    assert cellen[0].data_type == "s"


def sectie(md: str, kop: str) -> str:
    """The text of one ``## `` section of a markdown report."""
    start = md.index(f"## {kop}\n")
    einde = md.find("\n## ", start + 1)
    return md[start:] if einde < 0 else md[start:einde]


def test_markdown_rangorde_in_order(u: dict[str, Any]) -> None:
    """The rangorde table lists the organisations in rangorde order with shared places."""
    md = write_markdown(omgekeerd(u)).decode("utf-8")
    rijen = [r.split(" | ") for r in sectie(md, "Rangorde").splitlines()
             if re.match(r"\| \d", r)]
    assert [r[1] for r in rijen] == u["landelijk_beeld"]["rangorde"]
    assert [r[0] for r in rijen[:4]] == ["| 1", "| 1", "| 1", "| 4"]


def test_markdown_lists_each_afwijking(u: dict[str, Any]) -> None:
    """Every afwijking appears with its id and verschil in the afwijkingen section."""
    afw = sectie(write_markdown(u).decode("utf-8"), "Afwijkingen van gepubliceerde cijfers")
    regels = afw.splitlines()
    assert len(u["afwijkingen"]) == 6
    for a in u["afwijkingen"]:
        assert any(f"| {a['id']} | {a['verschil']} |" in r for r in regels)


def test_markdown_all_reproduced_sentence(u: dict[str, Any]) -> None:
    """Without afwijkingen the report says all checked published figures are reproduced."""
    v = copy.deepcopy(u)
    v["afwijkingen"] = []
    md = write_markdown(v).decode("utf-8")
    assert f"Alle {u['gepubliceerd_gecontroleerd']} gepubliceerde cijfers" in md


def test_markdown_trace_and_plafond(u: dict[str, Any]) -> None:
    """Per organisation the trace shows telling, regel, and a plafond that lowered the oordeel."""
    md = write_markdown(met_plafond(u)).decode("utf-8")
    utrecht = sectie(md, "Per organisatie").split("### Utrecht\n")[1].split("### ")[0]
    rij = next(r for r in utrecht.splitlines() if r.startswith("| 1.2 "))
    assert "| onvoldoende | 3 V / 2 O / 0 NB |" in rij
    assert "wachtlijst = ja" in rij and "verlaagd van matig naar onvoldoende" in rij
    assert "Oordeel organisatie: **voldoende**" in utrecht
    assert "### Oordeel per organisatie" in md


def test_markdown_escapes_pipes(u: dict[str, Any]) -> None:
    """A | in a name is escaped so the table keeps its columns."""
    md = write_markdown(hernoem(u, "Utrecht", "Utrecht | Zeist")).decode("utf-8")
    rij = next(r for r in sectie(md, "Rangorde").splitlines() if "Zeist" in r)
    assert "Utrecht \\| Zeist" in rij
    assert len(re.split(r"(?<!\\)\|", rij)) == 5


class Ontleder(HTMLParser):
    """Collects tags with their attributes and the text outside tags."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tekst: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.tekst.append(data)


def ontleed(data: bytes) -> Ontleder:
    p = Ontleder()
    p.feed(data.decode("utf-8"))
    p.close()
    return p


def test_html_is_self_contained(u: dict[str, Any]) -> None:
    """The html parses, is Dutch UTF-8, and loads nothing: one inline script (the search), no
    script files, links or external URLs."""
    data = write_html(u)
    p = ontleed(data)
    assert ("html", {"lang": "nl"}) in p.tags
    assert ("meta", {"charset": "utf-8"}) in p.tags
    assert [a for t, a in p.tags if t == "script"] == [{}]
    assert not [t for t, _ in p.tags if t in {"link", "img", "iframe", "object"}]
    for _, attrs in p.tags:
        for naam in ("src", "href", "xlink:href", "action"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(naam) or "")
    assert b"url(" not in data and b"@import" not in data


def test_html_has_a_bar_per_criterium_and_a_ranking(u: dict[str, Any]) -> None:
    """One stacked bar svg per criterium, one ranking chart with a bar per organisation."""
    p = ontleed(write_html(u))
    svgs = [a.get("class") for t, a in p.tags if t == "svg"]
    assert svgs.count("staaf") == len(u["criteria"])
    assert len(svgs) == len(u["criteria"])
    assert [a.get("class") for t, a in p.tags].count("rangorde") == 1
    assert [a.get("class") for t, a in p.tags].count("rangrij") == len(u["organisaties"])
    tekst = "".join(p.tekst)
    for kop in ("Landelijk beeld per criterium", "Rangorde",
                "Afwijkingen van gepubliceerde cijfers", "Per organisatie"):
        assert kop in tekst
    kleuren = {a.get("fill") for t, a in p.tags if t == "rect"}
    assert {"#2e7d32", "#ef6c00", "#c62828"} <= kleuren


def test_html_ranking_shows_the_engines_places(u: dict[str, Any]) -> None:
    """The ranking chart numbers its bars with engine.plaatsen: equal counts share a place."""
    from kaderwerk.api import in_rangorde
    from kaderwerk.domain.engine import plaatsen

    data = write_html(u).decode("utf-8")
    getoond = [int(p) for p in re.findall(r'<span class="plaats">(\d+)\.</span>', data)]
    assert getoond == plaatsen(in_rangorde(u))
    assert len(set(getoond)) < len(getoond)  # the 2015 data has ties


def test_html_counts_one_organisation_in_the_singular(u: dict[str, Any]) -> None:
    een = copy.deepcopy(u)
    een["organisaties"] = een["organisaties"][:1]
    een["landelijk_beeld"]["aantal_organisaties"] = 1
    data = write_html(een).decode("utf-8")
    assert "Oordelen van 1 organisatie per criterium" in data
    assert "1 organisaties" not in data


def test_html_escapes_names(u: dict[str, Any]) -> None:
    """An organisation named <script> appears escaped, never as a tag."""
    data = write_html(hernoem(u, "Utrecht", "<script>"))
    assert data.count(b"<script>") == 1  # the report's own search, at the end
    assert data.rindex(b"<script>") > data.rindex(b"&lt;script&gt;")
    assert [t for t, _ in ontleed(data).tags].count("script") == 1


def test_html_shows_plafond_and_grey_for_geen_oordeel(u: dict[str, Any]) -> None:
    """A lowered oordeel shows its plafond; organisations without oordeel get a grey bar part."""
    data = write_html(met_plafond(u)).decode("utf-8")
    assert "verlaagd van matig naar onvoldoende" in data
    assert 'fill="#9e9e9e"' in data
    assert data.count('<svg class="staaf"') == len(u["criteria"]) + 1


def test_xlsx_sheets_and_utrecht_row(u: dict[str, Any]) -> None:
    """The workbook has four sheets; Utrecht's row matches the uitkomst and voldoende is green."""
    wb = openpyxl.load_workbook(io.BytesIO(write_xlsx(u)))
    assert wb.sheetnames == ["Landelijk beeld", "Organisaties", "Verwachtingen", "Afwijkingen"]
    ws = wb["Organisaties"]
    kop = [c.value for c in ws[1]]
    assert kop[:2] == ["organisatie", "aantal voldoende"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "B2"
    rij = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Utrecht")
    utrecht = next(o for o in u["organisaties"] if o["naam"] == "Utrecht")
    assert rij[1].value == utrecht["aantal_voldoende"]
    for cell, cid in zip(rij[2:], kop[2:], strict=True):
        assert cell.value == utrecht["criteria"][cid]["oordeel"]
    groen = next(c for c in rij[2:] if c.value == "voldoende")
    assert groen.fill.fgColor.rgb.endswith("C8E6C9")
    rood = [c for r in ws.iter_rows(min_row=2) for c in r[2:] if c.value == "onvoldoende"]
    assert rood and all(c.fill.fgColor.rgb.endswith("FFCDD2") for c in rood)
    assert wb.properties.created.year == 2000 and wb.properties.modified.year == 2000


def test_xlsx_other_sheets(u: dict[str, Any]) -> None:
    """Landelijk beeld, Verwachtingen and Afwijkingen hold the counts and the afwijkingen."""
    wb = openpyxl.load_workbook(io.BytesIO(write_xlsx(u)))
    beeld = {r[0]: r for r in wb["Landelijk beeld"].iter_rows(min_row=2, values_only=True)}
    assert beeld["1.1"][2:5] == (8, 17, 1)
    verw = list(wb["Verwachtingen"].iter_rows(min_row=2, values_only=True))
    assert len(verw) == len(u["verwachtingen"])
    afw = list(wb["Afwijkingen"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in afw] == [(a["soort"], a["id"]) for a in u["afwijkingen"]]


def lees_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and raw rows of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    w = h = kleurtype = 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        soort, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if soort == b"IHDR":
            w, h, diepte, kleurtype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert diepte == 8 and kleurtype in (2, 6) and interlace == 0
        elif soort == b"IDAT":
            idat += body
    bpp = 3 if kleurtype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rijen, vorige, i = [], bytearray(stride), 0
    for _ in range(h):
        f, lijn = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if f == 2:
            lijn = bytearray((x + y) & 255 for x, y in zip(lijn, vorige, strict=True))
        elif f in (1, 3, 4):
            for x in range(stride):
                a = lijn[x - bpp] if x >= bpp else 0
                b = vorige[x]
                c = vorige[x - bpp] if x >= bpp else 0
                if f == 1:
                    lijn[x] = (lijn[x] + a) & 255
                elif f == 3:
                    lijn[x] = (lijn[x] + (a + b) // 2) & 255
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                    lijn[x] = (lijn[x] + pred) & 255
        rijen.append(bytes(lijn))
        vorige = lijn
    return w, h, bpp, rijen


@pytest.mark.slow
def test_html_renders_in_chromium(u: dict[str, Any], tmp_path: Path) -> None:
    """Headless Chromium renders the report with the green, orange and red bars visible."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no Chromium on PATH: to run this browser test of the HTML report, install "
                    "Debian's 'chromium' package (sudo apt-get install chromium), or any "
                    "chromium / chromium-browser binary")
    try:
        works = subprocess.run([browser, "--headless", "--version"], capture_output=True,
                               text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"{browser} does not run ({exc}); install a working Chromium")
    if works.returncode != 0:
        pytest.skip(f"{browser} does not run (exit {works.returncode}: "
                    f"{(works.stderr or works.stdout).strip()[:200]}); install a working "
                    "Chromium, e.g. Debian's 'chromium' package")
    rapport = tmp_path / "report.html"
    rapport.write_bytes(write_html(u))
    shot = tmp_path / "shot.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profiel'}", "--window-size=1200,2000"]
    rendered = subprocess.run([browser, *flags, f"--screenshot={shot}", rapport.as_uri()],
                              capture_output=True, text=True, timeout=60, check=False)
    assert shot.exists(), f"chromium wrote no screenshot: {rendered.stderr[-2000:]!r}"
    w, h, bpp, rijen = lees_png(shot.read_bytes())
    assert (w, h) == (1200, 2000)
    pixels = Counter(r[x:x + 3] for r in rijen for x in range(0, len(r), bpp))
    assert len(pixels) > 50, "screenshot is blank"

    def aantal_bij(doel: tuple[int, int, int]) -> int:
        return sum(n for p, n in pixels.items() if all(abs(p[i] - doel[i]) <= 12 for i in range(3)))

    for naam, doel in (("groen", GROEN), ("oranje", ORANJE), ("rood", ROOD)):
        assert aantal_bij(doel) > 500, f"no {naam} bar in the screenshot"
