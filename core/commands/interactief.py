"""The interactive kader page: tick scores, set feiten, see each oordeel as the engine gives it.

``kaderwerk render KADER --interactief`` writes one self-contained html file (inline CSS and
script, no network, no server). The page never applies a beslisregel itself: every answer it
shows is looked up in tables computed here by the engine (``Beoordelaar``), so it cannot
disagree with ``assess``. A rule that depends on the counts only is a function of (voldoende,
onvoldoende, niet beoordeeld) and of the feiten its plafonds read, so its table is small. A
handmatig rule's table is keyed by the inspector's choice and the feiten; a rule that reads
individual scores is not tabulated, and the page says so instead of guessing.

The page reads a URL fragment, so a report (``assess --format html``) links each organisation
to it pre-filled: ``#naam=..&s=vvon..`` (one letter per verwachting, in kader order),
``t.<criterium>=v,o,nb`` (counts only, as a report knows them), ``h.<criterium>=<oordeel>``,
``f.<feit>=<waarde>``. Output is deterministic: the same kader gives the same bytes.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attrs
from kaderwerk.commands.interactief_script import CSS, SCRIPT
from kaderwerk.domain import regelzin
from kaderwerk.domain.beoordeling import ORGANISATIE, Beoordeling
from kaderwerk.domain.beslisregel import Beslisregel, Handmatig
from kaderwerk.domain.engine import Beoordelaar
from kaderwerk.domain.model import Feit, Kader, Plafond, Score, Verwachting
from kaderwerk.domain.tekst import zichtbaar

# A criterium with n verwachtingen has (n+1)(n+2)/2 count combinations, times the feiten
# combinations its plafonds read; each entry costs the engine O(n) (the distance to the next
# boundary), so 1,953 entries (n = 61) take 1.5 s and 4,950 (n = 98) 5 s. Past this many the
# page says it does not compute that criterium and sends the reader to ``assess``.
MAX_TABEL = 2_000
LETTER = {Score.VOLDOENDE: "v", Score.ONVOLDOENDE: "o", Score.NIET_BEOORDEELD: "n"}
NIET_OPGEGEVEN = "niet opgegeven"
GENERATOR = "kaderwerk interactief"  # marks a page assess may replace beside a report


def door_kaderwerk(path: Path) -> bool:
    """Whether ``path`` is an interactive page kaderwerk wrote (so it may be replaced)."""
    try:
        with path.open("rb") as fh:
            begin = fh.read(2048)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in begin


def bestandsnaam(kader_id: str, versie: str) -> str:
    """The file name of the interactive page beside an html report."""
    return f"{kader_id}-{versie}-interactief.html"


def _waarde_label(w: Any) -> str:
    return ("ja" if w else "nee") if isinstance(w, bool) else str(w)


def feit_keuzes(feit: Feit, plafonds: Sequence[Plafond]) -> list[tuple[str, Any]]:
    """The values a feit can take on the page: not given, then every value a plafond tests.

    Any other value acts as "not given" for every plafond (``Plafond.geldt`` compares values).
    """
    keuzes: list[tuple[str, Any]] = [(NIET_OPGEGEVEN, None)]
    waarden: list[Any] = [True, False] if feit.type == "boolean" else []
    waarden += [p.waarde for p in plafonds if p.feit == feit.id]
    for w in waarden:
        if all(w != k or type(w) is not type(k) for _, k in keuzes[1:]):
            keuzes.append((_waarde_label(w), w))
    return keuzes


class _Teksten:
    """Strings shared by many table entries are stored once and referred to by number."""

    def __init__(self) -> None:
        self.lijst: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, s: str | None) -> int | None:
        if s is None:
            return None
        if s not in self._index:
            self._index[s] = len(self.lijst)
            self.lijst.append(s)
        return self._index[s]


@attrs.frozen
class _Doel:
    """What the page judges: a criterium, or the organisation as a whole."""

    id: str
    titel: str
    regel: Beslisregel
    plafonds: tuple[Plafond, ...]
    verwachtingen: tuple[Verwachting, ...]
    nb_toegestaan: bool


def _soort(regel: Beslisregel) -> str:
    if regel.handmatig:
        return "handmatig"
    return "telling" if regel.telt_alleen else "anders"


def _tellingen(doel: _Doel) -> list[tuple[int, int, int]]:
    beoordeeld = sum(1 for v in doel.verwachtingen if v.beoordeeld)
    totaal = len(doel.verwachtingen)
    uit = []
    for v in range(beoordeeld + 1):
        for o in range(beoordeeld - v + 1):
            if doel.nb_toegestaan or v + o == beoordeeld:
                uit.append((v, o, totaal - v - o))
    return uit


def _scores(doel: _Doel, v: int, o: int) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for ver in doel.verwachtingen:
        if not ver.beoordeeld:
            scores[ver.id] = Score.NIET_BEOORDEELD
        elif v:
            scores[ver.id], v = Score.VOLDOENDE, v - 1
        elif o:
            scores[ver.id], o = Score.ONVOLDOENDE, o - 1
        else:
            scores[ver.id] = Score.NIET_BEOORDEELD
    return scores


def _tabel(kader: Kader, rechter: Beoordelaar, doel: _Doel, feiten: dict[str, list],
           teksten: _Teksten) -> dict[str, list] | None:
    """Every answer of the engine the page can ask for, keyed as the page's script keys it."""
    soort = _soort(doel.regel)
    feit_ids = list(dict.fromkeys(p.feit for p in doel.plafonds if p.feit in feiten))
    if soort == "telling":
        invoer: list[tuple[str, Any]] = [(",".join(map(str, t)), t)
                                         for t in _tellingen(doel)]
    elif soort == "handmatig":
        invoer = [("", None), *((o, o) for o in kader.oordeelschaal)]
    else:
        return None
    combinaties = list(itertools.product(*(range(len(feiten[f])) for f in feit_ids)))
    if len(invoer) * len(combinaties) > MAX_TABEL:
        return None
    criterium = next((c for c in kader.criteria if c.id == doel.id), None)
    tabel: dict[str, list] = {}
    for (sleutel, waarde), combi in itertools.product(invoer, combinaties):
        fw = {f: feiten[f][i][1] for f, i in zip(feit_ids, combi, strict=True)
              if feiten[f][i][1] is not None}
        if soort == "telling":
            scores = _scores(doel, waarde[0], waarde[1])
            hand = {}
        else:
            scores = {v.id: Score.NIET_BEOORDEELD for v in doel.verwachtingen}
            hand = {} if waarde is None else {doel.id: Handmatig(waarde)}
        b = Beoordeling("pagina", scores, fw, hand)
        o = rechter.criterium(criterium, b) if criterium else rechter.organisatie(b)
        if o is None:  # no organisatie rule: not a _Doel
            return None
        d = o.to_dict()
        p = d["plafond"]
        pi = None if p is None else next(
            i for i, x in enumerate(doel.plafonds)
            if x.feit == p["feit"] and x.waarde == p["waarde"] and x.max == p["max"])
        band = d["bandbreedte"] or {}
        tabel[f"{sleutel}|{','.join(map(str, combi))}"] = [
            d["oordeel"], d["clausule"], teksten(d["regel"]), pi,
            1 if p and p["verlaagd"] else 0, d["oordeel_voor_plafond"], teksten(d["afstand"]),
            band.get("beste", ""), band.get("slechtste", "")]
    return tabel


def _doelen(kader: Kader) -> list[_Doel]:
    doelen = [_Doel(c.id, c.titel, c.beslisregel, c.plafonds, c.verwachtingen,
                    not c.score_verplicht) for c in kader.criteria]
    if kader.organisatie is not None:
        doelen.append(_Doel(ORGANISATIE, "Oordeel over de organisatie",
                            kader.organisatie.beslisregel, kader.organisatie.plafonds,
                            kader.verwachtingen,
                            not all(c.score_verplicht for c in kader.criteria)))
    return doelen


def gegevens(kader: Kader) -> dict[str, Any]:
    """The page's data: per criterium its clauses, plafonds and the engine's answer table."""
    alle_plafonds = [p for d in _doelen(kader) for p in d.plafonds]
    feiten = {f.id: feit_keuzes(f, alle_plafonds) for f in kader.feiten}
    rechter = Beoordelaar(kader)
    teksten = _Teksten()
    doelen = []
    for d in _doelen(kader):
        controles = {c.nummer: c for c in regelzin.controles(d.regel)}
        clausules = []
        for i, c in enumerate(d.regel.clausules, 1):
            zin = controles[i].zin if i in controles else None
            tekst = c.tekst or (None if zin else f"{c.oordeel}")
            clausules.append({"oordeel": c.oordeel, "tekst": tekst, "zin": zin})
        tabel = _tabel(kader, rechter, d, feiten, teksten)
        doelen.append({
            "id": d.id, "soort": "anders" if tabel is None else _soort(d.regel),
            "reden": None if tabel is not None else (
                "regel" if _soort(d.regel) == "anders" else "grootte"),
            "type": d.regel.type,
            "verwachtingen": [v.id for v in d.verwachtingen],
            "feiten": list(dict.fromkeys(p.feit for p in d.plafonds if p.feit in feiten)),
            "clausules": clausules,
            "plafonds": [{"feit": p.feit, "waarde": _waarde_label(p.waarde), "max": p.max,
                          "reden": p.reden} for p in d.plafonds],
            "tabel": tabel})
    return {"kader": kader.ref, "schaal": list(kader.oordeelschaal),
            "verwachtingen": [v.id for v in kader.verwachtingen],
            "feiten": {f: [label for label, _ in k] for f, k in feiten.items()},
            "doelen": doelen, "teksten": teksten.lijst}


# -- the page -------------------------------------------------------------------------------

def e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _keuzes(v: Verwachting, nb: bool, telt: bool = True) -> str:
    naam = e(f"s:{v.id}")
    if not telt:
        return (f'<span class="keuzes"><label class="vast"><input type="radio" name="{naam}" '
                'value="v" checked disabled> telt niet mee</label></span>')
    if not v.beoordeeld:
        return (f'<span class="keuzes"><label class="vast"><input type="radio" name="{naam}" '
                'value="n" checked disabled> niet beoordeeld (telt niet mee)</label></span>')
    opties = [("v", "voldoende"), ("o", "onvoldoende")] + ([("n", "niet beoordeeld")]
                                                             if nb else [])
    return '<span class="keuzes">' + "".join(
        f'<label class="keuze-{w}"><input type="radio" name="{naam}" value="{w}"'
        f'{" checked" if w == "v" else ""}> {tekst}</label>' for w, tekst in opties) + "</span>"


def _uitkomst(doel_id: str) -> str:
    rollen = ("clausule", "voorwaarden", "regel", "plafond", "afstand", "bandbreedte")
    return (f'<div class="uitkomst" id="{e("uitkomst:" + doel_id)}" aria-live="polite">'
            '<p class="kop"><span class="badge" data-rol="oordeel">…</span> '
            '<span class="telling" data-rol="telling"></span></p>'
            + "".join(f'<p data-rol="{r}"><span class="label"></span> '
                      f'<span class="waarde"></span></p>' for r in rollen) + "</div>")


def _doel_html(kader: Kader, d: dict[str, Any], titel: str, nb: bool) -> str:
    verw = {v.id: v for v in kader.verwachtingen}
    delen = [f'<section class="doel" id="{e("doel-" + d["id"])}"><h3>{e(titel)}</h3>']
    # a handmatig criterium's scores decide nothing, unless an organisatie rule reads them
    telt = d["soort"] != "handmatig" or (
        kader.organisatie is not None and not kader.organisatie.beslisregel.handmatig)
    if d["soort"] == "handmatig":
        opties = [f'<option value="">{e("— nog geen oordeel —")}</option>'] + [
            f'<option value="{e(o)}">{e(o)}</option>' for o in kader.oordeelschaal]
        waarom = ("" if d["id"] == ORGANISATIE else
                  " De scores van de verwachtingen tellen alleen mee voor het oordeel over de "
                  "organisatie." if telt else
                  " De scores van de verwachtingen bepalen dit oordeel niet; ze staan daarom "
                  "vast.")
        delen.append(f'<p class="regeltype">Handmatig: het oordeel is de keuze van de '
                     f'inspecteur; de pagina past alleen de plafonds toe.{e(waarom)} '
                     f'<label>Oordeel van de inspecteur: <select id="{e("h:" + d["id"])}">'
                     + "".join(opties) + "</select></label></p>")
    elif d["soort"] == "anders":
        reden = (f"leest meer dan de aantallen (type {e(d['type'])})"
                 if d.get("reden") == "regel" else
                 f"heeft te veel combinaties voor één pagina (meer dan {MAX_TABEL} "
                 "mogelijke invoeren)")
        delen.append(f'<p class="regeltype melding">Deze beslisregel {reden}; deze pagina '
                     "berekent dit oordeel niet. Gebruik <code>kaderwerk assess</code>.</p>")
    else:
        delen.append(f'<p class="regeltype">Beslisregel van het type {e(d["type"])}: het '
                     "oordeel hangt af van de aantallen voldoende, onvoldoende en niet "
                     "beoordeeld" + ("" if nb else " (niet beoordeeld is in dit kader niet "
                                     "toegestaan: score_verplicht)") + ".</p>")
    if d["id"] != ORGANISATIE:
        delen.append('<ol class="verwachtingen">' + "".join(
            f'<li><span class="nr">{e(vid)}</span><span class="tekst">{e(verw[vid].tekst)}'
            f"</span>{_keuzes(verw[vid], nb, telt)}</li>" for vid in d["verwachtingen"])
            + "</ol>")
    elif d["soort"] == "telling":
        delen.append('<p class="regeltype">Telt alle verwachtingen hierboven.</p>')
    if d["soort"] != "anders":
        delen.append(_uitkomst(d["id"]))
    return "".join(delen) + "</section>\n"


def pagina(kader: Kader) -> str:
    """The interactive page of ``kader`` as one html document."""
    data = gegevens(kader)
    per_id = {d["id"]: d for d in data["doelen"]}
    nb_per = {c.id: not c.score_verplicht for c in kader.criteria}
    bron = kader.bron.citeer() if kader.bron and kader.bron.citeer() else ""
    delen = [f'<header><div class="binnen"><h1>{e(kader.titel)}</h1>'
             f"<p>Interactief · kader <code>{e(kader.ref)}</code>"
             + (f" · bron: {e(bron)}" if bron else "") + "</p></div></header>\n<main>\n",
             '<p class="uitleg">Kies per verwachting een score en zet de feiten; elk oordeel '
             "verschijnt meteen, met de regel die geldt, het plafond en de afstand tot de "
             "volgende grens. De pagina rekent niet zelf: alle antwoorden zijn vooraf door "
             "kaderwerk berekend, dezelfde als van <code>kaderwerk assess</code>. Werkt zonder "
             "internet; het adres (na #) bewaart de keuzes.</p>\n",
             '<p class="herkomst" id="herkomst" hidden></p>\n']
    if kader.feiten:
        delen.append('<fieldset class="feiten"><legend>Feiten</legend>')
        for f in kader.feiten:
            opties = "".join(f'<option value="{i}">{e(label)}</option>'
                             for i, label in enumerate(data["feiten"][f.id]))
            delen.append(f'<label>{e(f.id)}' + (f' <span class="klein">({e(f.omschrijving)})'
                                                 "</span>" if f.omschrijving else "")
                         + f' <select id="{e("f:" + f.id)}">{opties}</select></label>')
        delen.append("</fieldset>\n")
    for t in kader.themas:
        delen.append(f'<h2 id="{e("thema-" + t.id)}">{e(t.id)} {e(t.titel)}</h2>\n')
        for c in t.criteria:
            delen.append(_doel_html(kader, per_id[c.id], f"{c.id} {c.titel}", nb_per[c.id]))
    if ORGANISATIE in per_id:
        delen.append('<h2 id="organisatie">Oordeel over de organisatie</h2>\n')
        delen.append(_doel_html(kader, per_id[ORGANISATIE], "De organisatie als geheel",
                                True))
    delen.append(f'<footer>Opgemaakt met kaderwerk uit {e(kader.ref)}. Antwoorden berekend '
                 "door de engine van kaderwerk; de pagina zoekt ze alleen op.</footer>\n")
    gegevens_json = script_json(_zichtbaar(data))
    return zichtbaar(
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{e(kader.titel)} — interactief</title>\n<style>{CSS}</style>\n</head>\n"
        "<body>\n" + "".join(delen) + "</main>\n"
        f'<script type="application/json" id="kaderdata">{gegevens_json}</script>\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n")


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element of an HTML page.

    Escaping only ``</`` is not enough: ``<!--<script>`` in a text puts the HTML parser in a
    state where it swallows the page's own script. With every ``<``, ``>`` and ``&`` written
    as a JSON escape, the element holds no markup at all; ``ensure_ascii`` covers U+2028/9.
    """
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _zichtbaar(x: Any) -> Any:
    """Every text in the page's data as the page shows text: control characters made visible.

    (Escaped in the JSON, they would come back as the characters themselves in the browser.)
    """
    if isinstance(x, str):
        return zichtbaar(x)
    if isinstance(x, dict):
        return {zichtbaar(k): _zichtbaar(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_zichtbaar(v) for v in x]
    return x


def fragment(organisatie: dict[str, Any], kader_ref: str | None = None) -> str:
    """The URL fragment that pre-fills the page with one organisation of an uitkomst.

    A report has each criterium's counts, the inspector's oordelen and the feiten, not which
    verwachting got which score; the page says so when it is opened this way.
    """
    delen = [("naam", organisatie.get("naam", ""))]
    if kader_ref:
        delen.append(("kader", kader_ref))
    for cid, item in (organisatie.get("criteria") or {}).items():
        t = item["telling"]
        delen.append((f"t.{cid}", f"{t['voldoende']},{t['onvoldoende']},{t['niet_beoordeeld']}"))
        if item.get("clausule") is not None or item.get("oordeel") is not None:
            keuze = item.get("oordeel_voor_plafond") or item.get("oordeel")
            delen.append((f"h.{cid}", keuze or ""))
    org = organisatie.get("oordeel")
    if org:
        keuze = org.get("oordeel_voor_plafond") or org.get("oordeel")
        delen.append((f"h.{ORGANISATIE}", keuze or ""))
    for f, w in (organisatie.get("feiten") or {}).items():
        if w is not None:
            delen.append((f"f.{f}", _waarde_label(w)))
    # as the report shows them: a control character or lone surrogate made visible (\u....)
    return "&".join(f"{quote(zichtbaar(k), safe='.')}={quote(zichtbaar(str(v)), safe='')}"
                    for k, v in delen)
