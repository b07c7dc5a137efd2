"""The ``html`` output format: one self-contained report to open in any browser or mail on.

The file loads nothing: styles are inline, charts are inline SVG, and there is no script, so
it works offline and cannot leak who reads it. Like the landelijk rapport it shows a stacked
bar per criterium, the rangorde as a bar chart, the afwijkingen from published figures, and per
organisation each oordeel with its trace. Every text from the uitkomst is escaped.

Colours follow the common scale (voldoende green, matig orange, onvoldoende red); any other
oordeel, and geen oordeel, is grey, so kaders with another scale still render.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kaderwerk.api import (
    afwijkingen_zin,
    criterium_ids,
    criterium_titels,
    feiten_tekst,
    hookimpl,
    in_rangorde,
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
STAAF_BREEDTE = 640
STAAF_HOOGTE = 28
# Beyond this many organisations the rangorde chart and the sections per organisation show the
# first ones and say how many are left out: a report of 200,000 sections would be ~700 MB of
# HTML, build for tens of seconds in gigabytes of memory, and open in no browser. The
# landelijk beeld always counts every organisation; csv, json and xlsx list them all.
MAX_ORGANISATIES = 1000

CSS = """
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #212121; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1120px; margin: 0 auto; padding: 0 24px 48px; }
header { background: #263238; color: #fff; padding: 28px 24px 20px; margin-bottom: 8px; }
header .binnen { max-width: 1072px; margin: 0 auto; }
header h1 { margin: 0 0 6px; font-size: 1.7rem; font-weight: 600; }
header p { margin: 0; color: #cfd8dc; }
h2 { font-size: 1.3rem; margin: 36px 0 12px; padding-bottom: 4px;
  border-bottom: 2px solid #eceff1; }
h3 { font-size: 1.05rem; margin: 24px 0 8px; }
code { font-size: 0.95em; }
.legenda { display: flex; flex-wrap: wrap; gap: 18px; list-style: none; padding: 0;
  margin: 0 0 14px; font-size: 0.9rem; }
.legenda li { display: flex; align-items: center; gap: 6px; }
.vlak { display: inline-block; width: 14px; height: 14px; border-radius: 2px; }
.staafrij { display: grid; grid-template-columns: 400px 1fr; gap: 16px; align-items: center;
  padding: 6px 0; border-bottom: 1px solid #f1f3f4; }
.staafrij .label { font-size: 0.9rem; }
.staafrij .label strong { display: inline-block; min-width: 2.6em; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px;
  border-bottom: 1px solid #e0e0e0; }
th { background: #f5f7f8; font-weight: 600; }
td.kort { white-space: nowrap; }
table.trace { table-layout: fixed; }
table.trace th:nth-child(1) { width: 30%; }
table.trace th:nth-child(2) { width: 12%; }
table.trace th:nth-child(3) { width: 12%; }
table.trace th:nth-child(4) { width: 26%; }
th { white-space: nowrap; }
td.getal, th.getal { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fafafa; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff;
  font-size: 0.82rem; font-weight: 600; white-space: nowrap; }
.badge.grijs { color: #212121; }
.org { margin-top: 18px; }
.org p { margin: 2px 0 6px; }
.zin { margin: 4px 0 10px; }
.klein { color: #616161; font-size: 0.85rem; }
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
    """A table; cells are already HTML. ``klassen`` gives a CSS class per column."""
    def attr(i: int) -> str:
        return f' class="{klassen[i]}"' if i < len(klassen) and klassen[i] else ""

    head = "".join(f"<th{attr(i)}>{k}</th>" for i, k in enumerate(kop))
    body = "".join("<tr>" + "".join(f"<td{attr(i)}>{c}</td>" for i, c in enumerate(rij))
                   + "</tr>\n" for rij in rijen)
    open_tag = f'<table class="{tabel_klasse}">' if tabel_klasse else "<table>"
    return f"{open_tag}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"


def staaf_svg(aantallen: Sequence[tuple[str, int]], label: str) -> str:
    """A horizontal stacked bar: one segment per oordeel, its count printed inside."""
    totaal = sum(n for _, n in aantallen) or 1
    delen, x = [], 0.0
    for sleutel, n in aantallen:
        if n <= 0:
            continue
        w = STAAF_BREEDTE * n / totaal
        naam = e(kolom_label(sleutel))
        delen.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{STAAF_HOOGTE}" '
                     f'fill="{kleur(sleutel)}" stroke="#fff" stroke-width="1">'
                     f"<title>{naam}: {n}</title></rect>")
        if w >= 16:
            tekst_kleur = "#fff" if sleutel in KLEUREN else "#212121"
            delen.append(f'<text x="{x + w / 2:.2f}" y="{STAAF_HOOGTE / 2 + 5:.0f}" '
                         f'text-anchor="middle" font-size="14" font-weight="600" '
                         f'fill="{tekst_kleur}">{n}</text>')
        x += w
    return (f'<svg class="staaf" role="img" '
            f'aria-label="{e(label)}" width="{STAAF_BREEDTE}" height="{STAAF_HOOGTE}" '
            f'viewBox="0 0 {STAAF_BREEDTE} {STAAF_HOOGTE}">' + "".join(delen) + "</svg>")


def rangorde_svg(organisaties: Sequence[dict[str, Any]], maximum: int) -> str:
    """Aantal voldoende per organisation as horizontal bars, with gridlines every 5."""
    links, breedte, rij, boven = 230, 620, 22, 8
    maximum = max(maximum, 1, *(o["aantal_voldoende"] for o in organisaties))
    hoogte = boven + rij * len(organisaties) + 26
    schaal = breedte / maximum
    delen = []
    for t in range(0, maximum + 1, 5):
        gx = links + t * schaal
        delen.append(f'<line x1="{gx:.2f}" y1="{boven}" x2="{gx:.2f}" y2="{hoogte - 22}" '
                     f'stroke="#e0e0e0"/><text x="{gx:.2f}" y="{hoogte - 6}" '
                     f'text-anchor="middle" font-size="11" fill="#616161">{t}</text>')
    for i, o in enumerate(organisaties):
        y = boven + i * rij
        w = o["aantal_voldoende"] * schaal
        delen.append(f'<text x="{links - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
                     f'fill="#212121">{e(o["naam"])}</text>'
                     f'<rect x="{links}" y="{y + 3}" width="{w:.2f}" height="{rij - 6}" '
                     f'fill="{RANG_KLEUR}"><title>{e(o["naam"])}: '
                     f'{o["aantal_voldoende"]}</title></rect>'
                     f'<text x="{links + w + 5:.2f}" y="{y + 15}" font-size="12" '
                     f'fill="#212121">{o["aantal_voldoende"]}</text>')
    totaal = links + breedte + 40
    return (f'<svg class="rangorde" role="img" '
            f'aria-label="Aantal voldoende verwachtingen per organisatie" width="{totaal}" '
            f'height="{hoogte}" viewBox="0 0 {totaal} {hoogte}">' + "".join(delen) + "</svg>")


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
             f'<p class="zin">Oordelen van {n} organisaties per criterium.</p>\n',
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
                       ["", "", "getal", "getal", "getal"]))
    return "".join(delen)


def weggelaten(totaal: int, wat: str) -> str:
    """The sentence saying that only the first ``MAX_ORGANISATIES`` of ``totaal`` are shown."""
    return (f'<p class="zin"><strong>Only the first {MAX_ORGANISATIES:,} of {totaal:,} '
            f"organisaties are shown {wat}; the other {totaal - MAX_ORGANISATIES:,} are in "
            "the csv, json and xlsx formats.</strong></p>\n")


def _rangorde(uitkomst: dict[str, Any]) -> str:
    organisaties = in_rangorde(uitkomst)
    maximum = sum(1 for v in uitkomst.get("verwachtingen", []) if v.get("beoordeeld", True))
    delen = ['<h2 id="rangorde">Rangorde</h2>\n',
             '<p class="zin">Aantal verwachtingen met score voldoende per organisatie'
             + (f" (van {maximum} beoordeelde)" if maximum else "") + ".</p>\n"]
    if len(organisaties) > MAX_ORGANISATIES:
        delen.append(weggelaten(len(organisaties), "in this chart"))
    delen += [rangorde_svg(organisaties[:MAX_ORGANISATIES], maximum), "\n"]
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


def _organisatie(uitkomst: dict[str, Any], o: dict[str, Any], plaats: int | None) -> str:
    titels = criterium_titels(uitkomst)
    kop = f'<section class="org"><h3>{e(o["naam"])}</h3>\n'
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
    getoond = uitkomst["organisaties"][:MAX_ORGANISATIES]
    totaal = len(uitkomst["organisaties"])
    delen = ["<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n",
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
             f"<title>{e(titel)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
             f'<header><div class="binnen"><h1>{e(titel)}</h1><p>{sub}</p></div></header>\n',
             "<main>\n", _landelijk(uitkomst), _rangorde(uitkomst), _afwijkingen(uitkomst),
             '<h2 id="per-organisatie">Per organisatie</h2>\n',
             weggelaten(totaal, "below, in input order") if totaal > MAX_ORGANISATIES else "",
             *(_organisatie(uitkomst, o, plaats.get(id(o))) for o in getoond),
             "</main>\n</body>\n</html>\n"]
    return zichtbaar("".join(delen)).encode("utf-8")


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("html", write_html, ".html")
