"""The ``html`` output format: one self-contained report to open in any browser or mail on.

The file loads nothing: styles and the one small script (the search on the organisation list)
are inline and charts are inline SVG or CSS, so it works offline and cannot leak who reads it.
Like the landelijk rapport it shows a stacked bar per criterium, the rangorde as a bar chart,
the afwijkingen from published figures, and per organisation each oordeel with its trace and a
link to the interactive kader page (``kaderwerk.commands.interactief``, written beside the report by
``assess``) filled in with that organisation's counts. Every text from the uitkomst is escaped.

It reads well on any screen: bars scale with the window and keep 14 px labels, wide tables
scroll inside their own box, label and bar stack below 760 px, and print styles drop what only
works on screen. A table of contents, an anchor per organisation and a footer (kaderwerk's
version, the kader, its source, the date of the scores) help a reader find their way.

Colours follow the common scale (voldoende green, matig orange, onvoldoende red); any other
oordeel, and geen oordeel, is grey, so kaders with another scale still render.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kaderwerk import __version__
from kaderwerk.api import (
    aantal,
    afwijkingen_zin,
    criterium_ids,
    criterium_titels,
    feiten_tekst,
    hookimpl,
    in_rangorde,
    interactief,
    kolom_label,
    oordeel_kolommen,
    oordeel_tekst,
    plaatsen,
    plafond_tekst,
    regel_tekst,
    telling_tekst,
    zichtbaar,
)

KLEUREN = {"voldoende": "#2e7d32", "matig": "#ef6c00", "onvoldoende": "#c62828"}
GRIJS = "#9e9e9e"
RANG_KLEUR = "#455a64"
STAAF_HOOGTE = 28
# Beyond this many organisations the rangorde chart and the sections per organisation show the
# first ones and say how many are left out: a report of 200,000 sections would be ~700 MB of
# HTML, build for tens of seconds in gigabytes of memory, and open in no browser. The
# landelijk beeld always counts every organisation; csv, json and xlsx list them all.
MAX_GETOOND = 1000

CSS = """
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #212121; background: #fff; margin: 0; line-height: 1.45; overflow-wrap: break-word; }
h2, .org p, .zin, .staafrij .label, ul.organisaties li, .legenda li,
table.verwachtingen td { overflow-wrap: anywhere; }
main { max-width: 1120px; margin: 0 auto; padding: 0 16px 48px; }
header { background: #263238; color: #fff; padding: 24px 16px 18px; margin-bottom: 8px; }
header .binnen { max-width: 1088px; margin: 0 auto; overflow-wrap: anywhere; }
header h1 { margin: 0 0 6px; font-size: 1.6rem; font-weight: 600; }
header p { margin: 0; color: #cfd8dc; }
h2 { font-size: 1.3rem; margin: 36px 0 12px; padding-bottom: 4px;
  border-bottom: 2px solid #eceff1; }
h3 { font-size: 1.05rem; margin: 24px 0 8px; overflow-wrap: anywhere; }
code { font-size: 0.95em; }
a { color: #1565c0; }
nav.inhoud { background: #f5f7f8; border-radius: 6px; padding: 4px 16px 12px; margin: 16px 0; }
nav.inhoud h2 { border: 0; margin: 12px 0 6px; }
nav.inhoud ol { margin: 0 0 8px; padding-left: 1.4em; }
.zoeken { margin: 8px 0; }
.zoeken input { font: inherit; padding: 4px 8px; width: 100%; max-width: 24rem; }
ul.organisaties { columns: 15rem; column-gap: 24px; list-style: none; padding: 0; margin: 6px 0;
  font-size: 0.9rem; }
ul.organisaties li { break-inside: avoid; padding: 1px 0; }
ul.organisaties .klein { white-space: nowrap; }
.legenda { display: flex; flex-wrap: wrap; gap: 8px 18px; list-style: none; padding: 0;
  margin: 0 0 14px; font-size: 0.9rem; }
.legenda li { display: flex; align-items: center; gap: 6px; }
.vlak { display: inline-block; width: 14px; height: 14px; border-radius: 2px; }
.staafrij { display: grid; grid-template-columns: minmax(12rem, 22rem) minmax(0, 1fr);
  gap: 4px 16px; align-items: center; padding: 6px 0; border-bottom: 1px solid #f1f3f4; }
.staafrij .label { font-size: 0.9rem; }
.staafrij .label strong { display: inline-block; min-width: 2.6em; }
svg { display: block; max-width: 100%; }
svg.staaf { width: 100%; height: 28px; }
svg text { font-family: inherit; }
.rangorde { margin: 8px 0 16px; }
.rangrij { display: grid; grid-template-columns: minmax(6rem, 14rem) minmax(0, 1fr); gap: 10px;
  align-items: center; font-size: 0.85rem; padding: 1px 0; }
.rangrij .naam { text-align: right; overflow-wrap: anywhere; }
.rangrij .balk { display: flex; align-items: center; gap: 6px; }
.rangrij .vul { display: block; height: 14px; background: #455a64; flex: none; }
.rangrij .plaats { color: #616161; font-variant-numeric: tabular-nums; }
.rangrij .getal { font-size: 12px; font-variant-numeric: tabular-nums; }
.breed { overflow-x: auto; margin: 6px 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px;
  border-bottom: 1px solid #e0e0e0; }
th { background: #f5f7f8; font-weight: 600; }
td.kort { white-space: nowrap; }
table.verwachtingen { min-width: 34rem; }
table.trace { table-layout: fixed; min-width: 44rem; }
table.trace th:nth-child(1) { width: 24%; }
table.trace th:nth-child(2) { width: 7.5rem; }
table.trace th:nth-child(3) { width: 8.5rem; }
table.trace th:nth-child(5) { width: 16%; }
table.trace td { overflow-wrap: anywhere; }
table.trace td.kort { white-space: normal; }
th { white-space: nowrap; }
td.getal, th.getal { text-align: right; font-variant-numeric: tabular-nums; }
th.getal { white-space: normal; }
table.verwachtingen td:nth-child(2) { min-width: 12rem; }
tbody tr:nth-child(even) td { background: #fafafa; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff;
  font-size: 0.82rem; font-weight: 600; white-space: nowrap; }
.badge.grijs { color: #212121; }
.org { margin-top: 18px; content-visibility: auto; contain-intrinsic-size: auto 900px; }
.org p { margin: 2px 0 6px; }
.zin { margin: 4px 0 10px; }
.klein { color: #616161; font-size: 0.85rem; }
footer { max-width: 1120px; margin: 0 auto; padding: 12px 16px 32px; color: #616161;
  font-size: 0.85rem; border-top: 1px solid #eceff1; overflow-wrap: anywhere; }
@media (max-width: 760px) {
  .staafrij { grid-template-columns: minmax(0, 1fr); }
  header h1 { font-size: 1.35rem; }
  table.trace { min-width: 0; }
  table.trace thead { display: none; }
  table.trace, table.trace tbody, table.trace tr, table.trace td { display: block; }
  table.trace tr { border-bottom: 2px solid #e0e0e0; padding: 4px 0; }
  table.trace td { border: 0; padding: 2px 8px; white-space: normal; }
  table.trace td[data-kop]::before { content: attr(data-kop) ": "; font-weight: 600;
    color: #37474f; }
  tbody tr:nth-child(even) td { background: none; }
}
@media print {
  header { background: none; color: #000; padding: 0 0 8px; }
  header p { color: #333; }
  nav.inhoud .zoeken, a.interactief { display: none; }
  .breed { overflow: visible; }
  .org { content-visibility: visible; }
  table.trace, table.verwachtingen { min-width: 0; }
  .staafrij, .rangrij, tr, .badge { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

SCRIPT = """
(function () {
  var vak = document.getElementById("zoeken"), zoek = document.getElementById("zoek");
  if (!zoek) { return; }
  vak.hidden = false;
  var els = Array.prototype.slice.call(
    document.querySelectorAll("#organisaties li, section.org"));
  var namen = els.map(function (el) { return el.getAttribute("data-naam"); });
  var uitslag = document.getElementById("zoekuitslag"), wacht = null;
  function filter() {
    var q = zoek.value.trim().toLowerCase(), n = 0;
    for (var i = 0; i < els.length; i++) {
      var weg = q !== "" && namen[i].indexOf(q) < 0;
      if (els[i].hidden !== weg) { els[i].hidden = weg; }
      if (!weg && els[i].tagName === "LI") { n++; }
    }
    uitslag.textContent = q === "" ? "" : (n === 1 ? "1 organisatie" : n + " organisaties") +
      " gevonden op deze pagina." + (uitslag.getAttribute("data-weggelaten") || "");
  }
  zoek.addEventListener("input", function () {
    clearTimeout(wacht);
    wacht = setTimeout(filter, els.length > 200 ? 150 : 0);
  });
}());
"""


def e(waarde: Any) -> str:
    return html.escape("" if waarde is None else str(waarde), quote=True)


def kleur(oordeel: str | None) -> str:
    return KLEUREN.get(oordeel or "", GRIJS)


def badge(item: dict[str, Any] | None) -> str:
    oordeel = None if not item else item.get("oordeel")
    klasse = "badge" if oordeel in KLEUREN else "badge grijs"
    return (f'<span class="{klasse}" style="background:{kleur(oordeel)}">'
            f"{e(oordeel_tekst(item))}</span>")


def tabel(kop: Sequence[str], rijen: Iterable[Sequence[str]],
          klassen: Sequence[str] = (), tabel_klasse: str = "") -> str:
    """A table in a box that scrolls sideways; cells are already HTML. ``klassen`` gives a CSS
    class per column; each cell carries its column's header for the stacked layout on phones."""
    def attr(i: int) -> str:
        return f' class="{klassen[i]}"' if i < len(klassen) and klassen[i] else ""

    head = "".join(f"<th{attr(i)}>{k}</th>" for i, k in enumerate(kop))
    koppen = [f' data-kop="{k}"' if i else "" for i, k in enumerate(kop)]
    body = "".join("<tr>" + "".join(f"<td{attr(i)}{koppen[i] if i < len(koppen) else ''}>{c}"
                                    "</td>" for i, c in enumerate(rij))
                   + "</tr>\n" for rij in rijen)
    open_tag = f'<table class="{tabel_klasse}">' if tabel_klasse else "<table>"
    return (f'<div class="breed">{open_tag}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}'
            "</tbody>\n</table></div>\n")


def staaf_svg(aantallen: Sequence[tuple[str, int]], label: str) -> str:
    """A horizontal stacked bar as wide as its box: one segment per oordeel, its count inside.

    Positions are percentages and there is no viewBox, so the bar scales with the window while
    the numbers keep their size (a scaled drawing would shrink them below legibility).
    """
    totaal = sum(n for _, n in aantallen) or 1
    delen, x = [], 0.0
    for sleutel, n in aantallen:
        if n <= 0:
            continue
        w = 100 * n / totaal
        naam = e(kolom_label(sleutel))
        delen.append(f'<rect x="{x:.3f}%" y="0" width="{w:.3f}%" height="{STAAF_HOOGTE}" '
                     f'fill="{kleur(sleutel)}" stroke="#fff" stroke-width="1">'
                     f"<title>{naam}: {n}</title></rect>")
        if w >= 3 * len(str(n)):  # room for the digits on a phone-wide bar
            tekst_kleur = "#fff" if sleutel in KLEUREN else "#212121"
            delen.append(f'<text x="{x + w / 2:.3f}%" y="{STAAF_HOOGTE / 2 + 5:.0f}" '
                         f'text-anchor="middle" font-size="14" font-weight="600" '
                         f'fill="{tekst_kleur}">{n}</text>')
        x += w
    return (f'<svg class="staaf" role="img" aria-label="{e(label)}" width="100%" '
            f'height="{STAAF_HOOGTE}">' + "".join(delen) + "</svg>")


def rangorde_balken(organisaties: Sequence[dict[str, Any]], maximum: int) -> str:
    """Aantal voldoende per organisation as horizontal bars in html, scaled to ``maximum``."""
    maximum = max(maximum, 1, *(o["aantal_voldoende"] for o in organisaties))
    rijen = []
    for p, o in zip(plaatsen(organisaties), organisaties, strict=True):
        n = o["aantal_voldoende"]
        rijen.append(f'<div class="rangrij"><span class="naam"><span class="plaats">{p}.</span> '
                     f'{e(o["naam"])}</span>'
                     f'<span class="balk"><span class="vul" title="{e(o["naam"])}: {n}" '
                     f'style="width:calc((100% - 3.5em) * {n / maximum:.4f})"></span>'
                     f'<span class="getal">{n}</span></span></div>\n')
    return ('<div class="rangorde" aria-label="Aantal voldoende verwachtingen per organisatie">'
            "\n" + "".join(rijen) + "</div>\n")


def legenda(kolommen: Sequence[str]) -> str:
    items = "".join(f'<li><span class="vlak" style="background:{kleur(k)}"></span>'
                    f"{e(kolom_label(k))}</li>" for k in kolommen)
    return f'<ul class="legenda">{items}</ul>\n'


def _landelijk(uitkomst: dict[str, Any]) -> str:
    beeld = uitkomst["landelijk_beeld"]
    titels = criterium_titels(uitkomst)
    kolommen = oordeel_kolommen(uitkomst, [*beeld["criteria"].values(),
                                           *([beeld["organisatie"]] if beeld.get("organisatie")
                                             else [])])
    n = beeld.get("aantal_organisaties", len(uitkomst["organisaties"]))
    delen = ['<h2 id="landelijk-beeld">Landelijk beeld per criterium</h2>\n',
             f'<p class="zin">Oordelen van {aantal(n, "organisatie")} per criterium.</p>\n',
             legenda(kolommen)]
    for i in criterium_ids(uitkomst):
        rij = beeld["criteria"][i]
        delen.append(f'<div class="staafrij"><div class="label"><strong>{e(i)}</strong> '
                     f"{e(titels.get(i, ''))}</div>"
                     + staaf_svg([(k, rij.get(k, 0)) for k in kolommen], f"criterium {i}")
                     + "</div>\n")
    if beeld.get("organisatie"):
        rij = beeld["organisatie"]
        delen.append('<div class="staafrij"><div class="label"><strong>Oordeel per '
                     "organisatie</strong></div>"
                     + staaf_svg([(k, rij.get(k, 0)) for k in kolommen], "organisatie")
                     + "</div>\n")
    teksten = {v["id"]: v.get("tekst", "") for v in uitkomst.get("verwachtingen", [])}
    delen.append("<h3>Per verwachting</h3>\n")
    delen.append(tabel(["Verwachting", "Tekst", "Voldoende", "Onvoldoende", "Niet beoordeeld"],
                       ([e(v), e(teksten.get(v, "")), str(c["voldoende"]),
                         str(c["onvoldoende"]), str(c["niet_beoordeeld"])]
                        for v, c in beeld["verwachtingen"].items()),
                       ["", "", "getal", "getal", "getal"], "verwachtingen"))
    return "".join(delen)


def weggelaten(totaal: int, wat: str) -> str:
    """The sentence saying that only the first ``MAX_GETOOND`` of ``totaal`` are shown."""
    return f'<p class="zin"><strong>{e(weggelaten_zin(totaal, wat))}</strong></p>\n'


def weggelaten_zin(totaal: int, wat: str) -> str:
    """In the report's language, with numbers written as everywhere else in it (no separator)."""
    return (f"Alleen de eerste {MAX_GETOOND} van {aantal(totaal, 'organisatie')} staan "
            f"{wat}; de andere {totaal - MAX_GETOOND} staan in de uitvoer als csv, json "
            "en xlsx.")


def _rangorde(uitkomst: dict[str, Any]) -> str:
    organisaties = in_rangorde(uitkomst)
    maximum = sum(1 for v in uitkomst.get("verwachtingen", []) if v.get("beoordeeld", True))
    delen = ['<h2 id="rangorde">Rangorde</h2>\n',
             '<p class="zin">Aantal verwachtingen met score voldoende per organisatie'
             + (f" (van {maximum} beoordeelde)" if maximum else "") + ".</p>\n"]
    if len(organisaties) > MAX_GETOOND:
        delen.append(weggelaten(len(organisaties), "in deze grafiek"))
    delen.append(rangorde_balken(organisaties[:MAX_GETOOND], maximum))
    return "".join(delen)


def _afwijkingen(uitkomst: dict[str, Any]) -> str:
    delen = ['<h2 id="afwijkingen">Afwijkingen van gepubliceerde cijfers</h2>\n',
             f'<p class="zin">{e(afwijkingen_zin(uitkomst))}</p>\n']
    if uitkomst["afwijkingen"]:
        delen.append(tabel(["Soort", "Id", "Verschil", "Bron", "Toelichting"],
                           ([e(a["soort"]), e(a.get("id")), e(a.get("verschil", "")),
                             e(a["bron"]), e(a.get("toelichting"))]
                            for a in uitkomst["afwijkingen"])))
    return "".join(delen)


def _zoeknaam(naam: Any) -> str:
    return e(" ".join(str(naam).split()).lower())


def _organisatie(uitkomst: dict[str, Any], o: dict[str, Any], plaats: int | None,
                 nr: int) -> str:
    titels = criterium_titels(uitkomst)
    kader = uitkomst["kader"]
    ref = f"{kader['id']}@{kader['versie']}"
    pagina = interactief.bestandsnaam(kader["id"], kader["versie"])
    href = f"{pagina}#{interactief.fragment(o, ref)}"
    kop = (f'<section class="org" id="org-{nr + 1}" data-nr="{nr}" '
           f'data-naam="{_zoeknaam(o["naam"])}"><h3>{e(o["naam"])}</h3>\n'
           f'<p class="klein"><a class="interactief" href="{e(href)}">Bekijk en probeer deze '
           "oordelen op de interactieve kaderpagina</a></p>\n")
    regels = [f"Aantal voldoende: {o['aantal_voldoende']}"
              + (f" (plaats {plaats} in de rangorde)" if plaats else "") + "."]
    org = o.get("oordeel")
    if org is not None:
        regels.append(f"Oordeel organisatie: {badge(org)} {e(telling_tekst(org['telling']))}"
                      f" — {e(regel_tekst(org))}"
                      + (f"<br>Plafond: {e(plafond_tekst(org))}" if org.get("plafond") else ""))
    if o.get("feiten"):
        regels.append("Feiten: " + e(feiten_tekst(o["feiten"])))
    rijen = []
    for i in criterium_ids(uitkomst):
        item = o["criteria"].get(i)
        if item is not None:
            rijen.append([f"<strong>{e(i)}</strong> "
                          f'<span class="klein">{e(titels.get(i, ""))}</span>',
                          badge(item), e(telling_tekst(item["telling"])),
                          e(regel_tekst(item)),
                          e(plafond_tekst(item)) or '<span class="klein">—</span>'])
    opmerkingen = "".join(f"<li>{e(m)}</li>" for m in o.get("opmerkingen", []))
    return (kop + "".join(f"<p>{r}</p>\n" for r in regels)
            + tabel(["Criterium", "Oordeel", "Telling", "Regel", "Plafond"], rijen,
                    ["", "", "kort", "", ""], "trace")
            + (f"<ul>{opmerkingen}</ul>\n" if opmerkingen else "") + "</section>\n")


def _inhoud(getoond: Sequence[dict[str, Any]], totaal: int) -> str:
    """Links to each section, and the organisation list with its search (shown by the script)."""
    secties = [("landelijk-beeld", "Landelijk beeld per criterium"), ("rangorde", "Rangorde"),
               ("afwijkingen", "Afwijkingen van gepubliceerde cijfers"),
               ("per-organisatie", "Per organisatie")]
    items = "".join(f'<li data-naam="{_zoeknaam(o["naam"])}"><a href="#org-{i + 1}">'
                    f'{e(o["naam"])}</a> <span class="klein">{o["aantal_voldoende"]} '
                    "voldoende</span></li>" for i, o in enumerate(getoond))
    return ('<nav class="inhoud" aria-label="Inhoud"><h2>Inhoud</h2>\n<ol>'
            + "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in secties) + "</ol>\n"
            '<div class="zoeken" id="zoeken" hidden><label for="zoek">Zoek een organisatie: '
            '</label><input id="zoek" type="search" autocomplete="off"> '
            f'<span class="klein" id="zoekuitslag" aria-live="polite"{_weggelaten_attr(totaal)}>'
            '</span></div>\n'
            f'<ul class="organisaties" id="organisaties">{items}</ul>\n</nav>\n')


def _weggelaten_attr(totaal: int) -> str:
    """For the search: organisations past the first ``MAX_GETOOND`` are not on the page."""
    if totaal <= MAX_GETOOND:
        return ""
    return f' data-weggelaten=" {e(weggelaten_zin(totaal, "op deze pagina"))}"'


def _voet(uitkomst: dict[str, Any]) -> str:
    kader = uitkomst["kader"]
    invoer = uitkomst.get("invoer") or {}
    delen = [f"Opgemaakt met kaderwerk {e(__version__)}",
             f"kader <code>{e(kader['id'])}@{e(kader['versie'])}</code>"]
    if kader.get("bron"):
        delen.append(f"bron: {e(kader['bron'])}")
    scores = (f"dataset {invoer['dataset']}" if invoer.get("dataset")
              else ", ".join(invoer.get("bestanden") or []))
    if scores:
        delen.append(f"scores: {e(scores)}")
    delen.append(f"datum van de scores: {e(invoer.get('datum') or 'niet opgegeven')}")
    return "<footer><p>" + " · ".join(delen) + ".</p></footer>\n"


def write_html(uitkomst: dict[str, Any]) -> bytes:
    kader = uitkomst["kader"]
    titel = kader.get("titel") or kader["id"]
    dataset = (uitkomst.get("invoer") or {}).get("dataset")
    schaal = kader.get("oordeelschaal") or []
    sub = f"Kader <code>{e(kader['id'])}@{e(kader['versie'])}</code>"
    sub += f" · dataset {e(dataset)}" if dataset else ""
    sub += f" · oordeelschaal: {e(', '.join(schaal))}" if schaal else ""
    organisaties = in_rangorde(uitkomst)
    plaats = {id(o): p for p, o in zip(plaatsen(organisaties), organisaties, strict=True)}
    getoond = uitkomst["organisaties"][:MAX_GETOOND]
    totaal = len(uitkomst["organisaties"])
    delen = ["<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n",
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
             f"<title>{e(titel)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
             f'<header><div class="binnen"><h1>{e(titel)}</h1><p>{sub}</p></div></header>\n',
             "<main>\n", _inhoud(getoond, totaal), _landelijk(uitkomst), _rangorde(uitkomst),
             _afwijkingen(uitkomst),
             '<h2 id="per-organisatie">Per organisatie</h2>\n',
             (weggelaten(totaal, "hieronder, in de volgorde van de invoer")
              if totaal > MAX_GETOOND else ""),
             *(_organisatie(uitkomst, o, plaats.get(id(o)), i) for i, o in enumerate(getoond)),
             "</main>\n", _voet(uitkomst), f"<script>{SCRIPT}</script>\n</body>\n</html>\n"]
    return zichtbaar("".join(delen)).encode("utf-8")


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("html", write_html, ".html")
