"""A kader as a publishable document: ``kaderwerk render`` (markdown or one html file).

Inspectors and researchers read a kader as the appendix of a report ("Bijlage 2 -
Toetsingskader ..."), not as YAML or a terminal tree. This module turns the *model* (a loaded,
checked ``Kader``, overlays resolved) into such a document: thema's with their norm, criteria
with ratio and operationalisering, numbered verwachtingen, footnotes per section, the
beslisregels in words, the plafonds and the bronnen. What the sources do not give verbatim is
never passed off as published text: reconstructions, overlay changes, verwachtingen that are
not assessed and incomplete kaders are marked visibly.

``bouw`` makes a format-free document (a tuple of blocks); ``markdown`` and ``html`` only lay
it out. Output is deterministic: the same kader gives the same bytes (no dates, no versions).
"""

from __future__ import annotations

import html as _html
import json
import re
from collections.abc import Iterator

import attrs
from kaderwerk.domain import regelzin
from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.model import Bron, Kader, Plafond, Verwachting
from kaderwerk.domain.tekst import zichtbaar

FORMATS = ("markdown", "html")
RECONSTRUCTIE, AANGEPAST, NIET_BEOORDEELD = "reconstructie", "aangepast in deze studie", \
    "niet beoordeeld"
HIT = {"uniek": "precies één regel is van toepassing",
       "eerste": "de eerste regel die van toepassing is, geldt"}
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


# -- document structure -------------------------------------------------------------------

@attrs.frozen
class Regel:
    """One run of text (whitespace folded) with its marks and footnote numbers."""

    tekst: str = attrs.field(converter=lambda s: " ".join(str(s).split()))
    merken: tuple[str, ...] = ()
    noten: tuple[int, ...] = ()


@attrs.frozen
class Kop:
    niveau: int
    regel: Regel
    anker: str | None = None


@attrs.frozen
class Alinea:
    regel: Regel
    stijl: str = ""  # "" | "meta" | "basis"


@attrs.frozen
class Veld:
    """Labelled text of one or more paragraphs: "Norm", "Waarom is dit belangrijk?", ..."""

    label: str
    tekst: str
    stijl: str = ""


@attrs.frozen
class Punt:
    nummer: str
    regel: Regel
    velden: tuple[Veld, ...] = ()


@attrs.frozen
class Lijst:
    punten: tuple[Punt, ...]
    stijl: str = "verwachtingen"  # | "regels" | "bronnen"


@attrs.frozen
class Noten:
    noten: tuple[tuple[int, str], ...]


@attrs.frozen
class Melding:
    """A boxed notice at the top (an incomplete kader)."""

    titel: str
    alineas: tuple[str, ...]


Blok = Kop | Alinea | Veld | Lijst | Noten | Melding


@attrs.frozen
class Document:
    titel: str
    blokken: tuple[Blok, ...]


class _Notenteller:
    """Numbers footnotes through the document; each section lists its own at its end."""

    def __init__(self) -> None:
        self.laatste = 0
        self.open: list[tuple[int, str]] = []

    def noot(self, tekst: str) -> int:
        tekst = " ".join(tekst.split())
        for n, t in self.open:  # the same note twice in a section keeps one number
            if t == tekst:
                return n
        self.laatste += 1
        self.open.append((self.laatste, tekst))
        return self.laatste

    def sluit(self) -> list[Blok]:
        blokken: list[Blok] = [Noten(tuple(self.open))] if self.open else []
        self.open = []
        return blokken


# -- model -> document --------------------------------------------------------------------

def bouw(kader: Kader, basis_titel: str | None = None) -> Document:
    """The kader as a format-free document; ``basis_titel`` names an overlay's base kader."""
    noten = _Notenteller()
    uit: list[Blok] = [Kop(1, Regel(kader.titel), "kader")]
    meta = [f"Versie {kader.versie}"]
    if kader.geldig_vanaf:
        meta.append(f"geldig vanaf {_datum(kader.geldig_vanaf)}")
    uit.append(Alinea(Regel(" · ".join(meta)), "meta"))
    if kader.bron and kader.bron.citeer():
        uit.append(Alinea(Regel(f"Bron: {_citaat(kader.bron)}"), "meta"))
    if kader.bron and kader.bron.volledig is False:
        uit.append(Melding("Onvolledig kader", (
            "De beschikbare bronnen geven niet het hele kader. Dit document bevat alleen wat "
            "bekend is; wat ontbreekt, is niet aangevuld.",
            *(_alineas(kader.bron.toelichting) if kader.bron.toelichting else ()))))
    if kader.basis:
        naam = f"{basis_titel} ({kader.basis})" if basis_titel else kader.basis
        uit.append(Alinea(Regel(
            f"Dit kader is de uitwerking in deze studie van het basiskader {naam}. Wat de "
            f"studie aan de basis heeft aangepast, is gemarkeerd met [{AANGEPAST}]."), "basis"))
    if wijzer := _leeswijzer(kader):
        uit.append(Veld("Leeswijzer", wijzer, "meta"))

    if kader.inleiding:
        uit.append(Kop(2, Regel("Inleiding"), "inleiding"))
        alineas = _alineas(kader.inleiding)
        for a in alineas[:-1]:
            uit.append(Alinea(Regel(a)))
        uit.append(Alinea(Regel(alineas[-1], (), tuple(noten.noot(n) for n in kader.noten))))
        uit += noten.sluit()

    for t in kader.themas:
        uit.append(Kop(2, _regel(f"{t.id} {t.titel}", t.bron, noten, t.noten), f"thema-{t.id}"))
        if t.norm:
            uit.append(Veld("Norm", t.norm, "norm"))
        if not t.criteria:
            uit.append(Alinea(Regel("Dit kader geeft bij dit thema geen criteria."), "meta"))
        for c in t.criteria:
            uit.append(Kop(3, _regel(f"{c.id} {c.titel}", c.bron, noten, c.noten,
                                     aangepast=c.aangepast), f"criterium-{c.id}"))
            if c.ratio:
                uit.append(Veld("Waarom is dit belangrijk?", c.ratio))
            if c.operationalisering:
                uit.append(Veld("Operationalisering", c.operationalisering, "operationalisering"))
            if c.verwachtingen:
                uit.append(Kop(4, Regel(_soortkop(c.verwachtingen))))
                uit.append(Lijst(tuple(_punt(v, noten) for v in c.verwachtingen)))
        uit += noten.sluit()

    uit += _beslisregels(kader, noten)
    uit += _bronnen(kader)
    if kader.noten and not kader.inleiding:
        uit += [Kop(2, Regel("Noten"), "noten"),
                Noten(tuple((noten.noot(n), n) for n in kader.noten))]
    uit.append(Alinea(Regel(f"Opgemaakt met kaderwerk uit {kader.ref}."), "meta"))
    return Document(kader.titel, tuple(uit))


def _regel(tekst: str, bron: Bron | None, noten: _Notenteller, eigen: tuple[str, ...] = (), *,
           aangepast: bool = False, beoordeeld: bool = True) -> Regel:
    """Text with the source's own footnotes, then marks with the project's notes."""
    merken, nrs = [], [noten.noot(n) for n in eigen]
    if not beoordeeld:
        merken.append(NIET_BEOORDEELD)
    if bron and bron.reconstructie:
        merken.append(RECONSTRUCTIE)
        nrs.append(noten.noot(f"[{RECONSTRUCTIE}] " + (
            bron.toelichting or "De formulering is van dit project, niet uit de bron.")))
    if aangepast:
        merken.append(AANGEPAST)
        if bron and bron.toelichting and not bron.reconstructie:
            nrs.append(noten.noot(f"[{AANGEPAST}] {bron.toelichting}"))
    return Regel(tekst, tuple(merken), tuple(dict.fromkeys(nrs)))


def _punt(v: Verwachting, noten: _Notenteller) -> Punt:
    regel = _regel(v.tekst, v.bron, noten, v.noten, aangepast=v.aangepast,
                   beoordeeld=v.beoordeeld)
    velden = (Veld("Operationalisering", v.operationalisering, "operationalisering"),) \
        if v.operationalisering else ()
    return Punt(v.id, regel, velden)


def _soortkop(verwachtingen: tuple[Verwachting, ...]) -> str:
    soorten = {v.soort for v in verwachtingen}
    if soorten == {"indicator"}:
        return "Indicatoren"
    return "Verwachtingen en indicatoren" if "indicator" in soorten else "Verwachtingen"


def _leeswijzer(kader: Kader) -> str:
    zinnen = []
    if any(b.reconstructie for b in _alle_bronnen(kader)):
        zinnen.append(f"[{RECONSTRUCTIE}] staat bij tekst die niet letterlijk uit de bron komt "
                      "maar door dit project is gereconstrueerd; de noot zegt waaruit.")
    if any(c.aangepast for c in kader.criteria) or any(v.aangepast for v in kader.verwachtingen):
        zinnen.append(f"[{AANGEPAST}] staat bij wat deze studie aan het basiskader heeft "
                      "aangepast, zoals een operationalisering.")
    if any(not v.beoordeeld for v in kader.verwachtingen):
        zinnen.append(f"[{NIET_BEOORDEELD}] staat bij verwachtingen die (nog) niet worden "
                      "beoordeeld; zij tellen niet mee in het oordeel.")
    return " ".join(zinnen)


def _beslisregels(kader: Kader, noten: _Notenteller) -> list[Blok]:
    regels: dict[str, tuple[Beslisregel, list[str], dict[str, None]]] = {}
    plafonds: dict[tuple, tuple[Plafond, list[str]]] = {}
    paren = [(c.id, c.beslisregel, c.plafonds) for c in kader.criteria]
    if kader.organisatie:
        paren.append(("organisatie", kader.organisatie.beslisregel, kader.organisatie.plafonds))
    for wie, regel, pls in paren:
        inhoud = {k: v for k, v in regel.to_dict().items() if k != "bron"}
        key = json.dumps(inhoud, sort_keys=True, ensure_ascii=False, default=str)
        regels.setdefault(key, (regel, [], {}))[1].append(wie)
        if regel.bron and regel.bron.citeer():
            regels[key][2][_citaat(regel.bron)] = None
        for p in pls:
            plafonds.setdefault((p.feit, repr(p.waarde), p.max, p.reden), (p, []))[1].append(wie)
    uit: list[Blok] = [Kop(2, Regel("Beslisregels"), "beslisregels"), Alinea(Regel(
        f"Oordeelschaal, van goed naar slecht: {', '.join(kader.oordeelschaal)}."), "meta")]
    for i, (regel, wie, bronnen) in enumerate(regels.values(), 1):
        uit.append(Kop(3, Regel(f"Beslisregel {i}"), f"beslisregel-{i}"))
        uit.append(Alinea(Regel(f"Geldt voor {_voor(kader, wie)}."), "meta"))
        uit.append(Alinea(_regel(regel.beschrijving(), regel.bron, noten)))
        if not regel.handmatig and regel.clausules:
            uit.append(Alinea(Regel("Per oordeel (" + HIT.get(regel.hit, f"hit: {regel.hit}")
                                    + "):"), "meta"))
            controles = {c.nummer: c for c in regelzin.controles(regel)}
            uit.append(Lijst(tuple(Punt(f"{j}.", Regel(_clausule(regel, j - 1)),
                                        _tekstcontrole(controles.get(j)))
                                   for j in range(1, len(regel.clausules) + 1)), "regels"))
        if bronnen:
            uit.append(Alinea(Regel(f"Bron: {'; '.join(bronnen)}"), "meta"))
    if plafonds:
        uit.append(Kop(3, Regel("Plafonds"), "plafonds"))
        punten = []
        for p, wie in plafonds.values():
            feit = kader.feit(p.feit)
            velden = [Veld("Reden", p.reden)]
            if feit and feit.omschrijving:
                velden.insert(0, Veld(f"Feit {feit.id}", feit.omschrijving))
            if p.bron and p.bron.citeer():
                velden.append(Veld("Bron", _citaat(p.bron)))
            punten.append(Punt(
                f"{p.feit} = {_waarde(p.waarde)}",
                _regel(f"→ ten hoogste {p.max}, voor {_voor(kader, wie)}.",
                       p.bron, noten),
                tuple(velden)))
        uit.append(Lijst(tuple(punten), "plafonds"))
    return uit + noten.sluit()


def _clausule(regel: Beslisregel, i: int) -> str:
    c = regel.clausules[i]
    zinnen = [] if c.tekst else regelzin.controles(regel)
    if zinnen:
        return zinnen[i].zin
    tekst = c.tekst or (regel.clausule_tekst(i) if hasattr(regel, "clausule_tekst") else "")
    return tekst if tekst.startswith(c.oordeel) else f"{c.oordeel}: {tekst}".rstrip(": ")


def _tekstcontrole(c: regelzin.Controle | None) -> tuple[Veld, ...]:
    """Beside a clause's published tekst: the sentence of its conditions, a recorded lezing,
    and where they disagree. A clause without tekst is shown as that sentence already."""
    if c is None or not c.tekst:
        return ()
    velden = [Veld("Voorwaarden", c.zin, "meta")]
    if c.lezing is not None:
        velden.append(Veld("Gelezen als", f"'{c.lezing.woorden}' = '{c.lezing.gelezen_als}' "
                           f"({c.lezing.reden})", "meta"))
    velden += [Veld("Tekst en voorwaarden verschillen", v, "meta") for v in c.verschillen]
    return tuple(velden)


def _bronnen(kader: Kader) -> list[Blok]:
    gezien: dict[str, str | None] = {}
    for b in _alle_bronnen(kader):
        if b.citeer():
            gezien[b.citeer()] = gezien.get(b.citeer()) or b.url
    punten = tuple(Punt("", Regel(c + (f" ({url})" if url else ""))) for c, url in gezien.items())
    return [Kop(2, Regel("Bronnen"), "bronnen"), Lijst(punten, "bronnen")] if punten else []


def _alle_bronnen(kader: Kader) -> Iterator[Bron]:
    """Every bron in the kader, in document order."""
    alle: list[Bron | None] = [kader.bron]
    for t in kader.themas:
        alle.append(t.bron)
        for c in t.criteria:
            alle += [c.bron, *(v.bron for v in c.verwachtingen), c.beslisregel.bron,
                     *(p.bron for p in c.plafonds)]
    if kader.organisatie:
        alle += [kader.organisatie.beslisregel.bron, *(p.bron for p in kader.organisatie.plafonds)]
    return (b for b in alle if b is not None)


def _voor(kader: Kader, wie: list[str]) -> str:
    crit = [w for w in wie if w != "organisatie"]
    delen = []
    if crit:
        themas = [f"{t.id} {t.titel}" for t in kader.themas
                  if any(c.id in crit for c in t.criteria)]
        delen.append(f"{'criterium' if len(crit) == 1 else 'criteria'} {_opsomming(crit)} "
                     f"({'thema' if len(themas) == 1 else 'thema’s'} {_opsomming(themas)})")
    if "organisatie" in wie:
        delen.append("het oordeel over de organisatie")
    return " en ".join(delen)


def _opsomming(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _citaat(bron: Bron) -> str:
    return bron.citeer() + (f" ({bron.url})" if bron.url else "")


def _waarde(w: object) -> str:
    return {True: "ja", False: "nee"}.get(w, str(w)) if isinstance(w, bool) else str(w)


def _datum(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(iso))
    if not m or not 1 <= int(m[2]) <= 12:
        return str(iso)
    return f"{int(m[3])} {MAANDEN[int(m[2]) - 1]} {m[1]}"


def _alineas(tekst: str) -> list[str]:
    """Paragraphs split on blank lines, whitespace inside each folded to single spaces."""
    return [" ".join(a.split()) for a in re.split(r"\n\s*\n", tekst) if a.strip()] or [""]


# -- layout -------------------------------------------------------------------------------

def render(kader: Kader, fmt: str = "markdown", basis_titel: str | None = None) -> str:
    """The kader as a document in ``fmt`` (``markdown`` or ``html``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    doc = bouw(kader, basis_titel)
    return zichtbaar(markdown(doc) if fmt == "markdown" else html(doc))


def _md(s: str) -> str:
    s = re.sub(r"([\\`*<]|(?<!\w)_|_(?!\w))", r"\\\1", s)
    if m := re.match(r"\d+([.)])\s", s):
        return s[:m.start(1)] + "\\" + s[m.start(1):]
    return "\\" + s if s[:1] in ("#", "+", "-", "=", "|") else s


def _md_regel(r: Regel) -> str:
    s = _md(r.tekst) + "".join(f" *[{m}]*" for m in r.merken)
    return s + (f"<sup>{', '.join(map(str, r.noten))}</sup>" if r.noten else "")


def _md_veld(v: Veld, inspring: str = "") -> list[str]:
    label = v.label if v.label.endswith("?") else v.label + ":"
    alineas = _alineas(v.tekst)
    regels = [f"{inspring}**{_md(label)}** {_md(alineas[0])}"]
    return regels + [f"{inspring}{_md(a)}" for a in alineas[1:]]


def markdown(doc: Document) -> str:
    """GitHub-flavoured markdown: headings, lists, bold labels, ``<sup>`` footnote numbers."""
    out: list[str] = []
    for b in doc.blokken:
        if isinstance(b, Kop):
            out.append(f"{'#' * b.niveau} {_md_regel(b.regel)}")
        elif isinstance(b, Alinea):
            out.append(f"*{_md_regel(b.regel)}*" if b.stijl == "basis" else _md_regel(b.regel))
        elif isinstance(b, Veld):
            out += _md_veld(b)
        elif isinstance(b, Melding):
            kop = f"> **{_md(b.titel)}.**"
            out.append("\n>\n".join([kop, *(f"> {_md(a)}" for a in b.alineas)]))
        elif isinstance(b, Lijst):
            items = []
            for p in b.punten:
                kop = f"**{_md(p.nummer)}** " if p.nummer else ""
                items.append("\n\n".join([f"- {kop}{_md_regel(p.regel)}",
                                          *("\n\n".join(_md_veld(v, "  ")) for v in p.velden)]))
            out.append(("\n\n" if any(p.velden for p in b.punten) else "\n").join(items))
        elif isinstance(b, Noten):
            out.append("**Noten**")
            out.append("\n".join(f"{n}. {_md(t)}" for n, t in b.noten))
    return "\n\n".join(out) + "\n"


CSS = """
:root{--ink:#1b1b1b;--muted:#555;--accent:#154273;--rule:#d0d7e1}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);-webkit-text-size-adjust:100%;
font:16px/1.55 "Liberation Sans","Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:46rem;margin:0 auto;padding:2.5rem 1.5rem 3rem}
h1,h2,h3,h4{color:var(--accent);line-height:1.25;break-after:avoid}
h1{font-size:1.9rem;margin:0 0 .4rem} h3{font-size:1.08rem;margin:1.6rem 0 .4rem}
h2{font-size:1.35rem;margin:2.4rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--rule)}
h4{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:.9rem 0 .3rem}
p{margin:.45rem 0} .veld p{margin:.35rem 0} .meta{color:var(--muted);font-size:.92rem;margin:.2rem 0}
.basis{border-left:4px solid #6b3fa0;background:#f6f1fb;padding:.5rem .8rem;margin:.8rem 0}
.melding{border:1px solid #c98a00;border-left-width:6px;background:#fff8e6;padding:.6rem .9rem;margin:1rem 0}
.melding strong{color:#7a4f00} .label{font-weight:bold;color:var(--accent)}
.norm{font-style:italic;border-left:3px solid var(--rule);padding-left:.8rem} .norm .label{font-style:normal}
.operationalisering{border-left:3px solid #b9a3d6;padding-left:.7rem;font-size:.95rem}
ol.punten{list-style:none;margin:.3rem 0 .8rem;padding:0}
ol.punten>li{display:grid;grid-template-columns:3.6rem 1fr;column-gap:.5rem;padding:.2rem 0;break-inside:avoid}
ol.regels>li{grid-template-columns:1.6rem 1fr} ol.plafonds>li{display:block}
ol.plafonds .nr{float:left;margin-right:.4rem} ol.plafonds .veld{margin-left:1.2rem}
.nr{font-weight:bold;font-variant-numeric:tabular-nums} ul.bronnen{padding-left:1.2rem}
.merk{display:inline-block;font-size:.72rem;font-weight:bold;padding:0 .35rem;margin-left:.3rem;
border-radius:.25rem;border:1px solid;vertical-align:.1em;white-space:nowrap;font-style:normal}
.merk-reconstructie{color:#8a4b00;background:#fff1dc} .merk-aangepast{color:#5b2d8e;background:#f3ecfb}
.merk-niet-beoordeeld{color:#4a4a4a;background:#eee}
sup{font-size:.7em;line-height:0} sup a{color:var(--accent);text-decoration:none}
.noten{border-top:1px solid var(--rule);margin-top:1rem;padding-top:.4rem;font-size:.85rem;color:#333}
.noten ol{margin:.2rem 0;padding-left:2rem} .noten li{margin:.2rem 0}
.noten p.kop{font-weight:bold;margin:.2rem 0;color:var(--muted)}
@page{margin:2cm 2cm 2.2cm}
@media print{body{font-size:10.5pt} main{max-width:none;padding:0} .melding,.basis{break-inside:avoid}}
"""  # noqa: E501


MERKKLASSE = {RECONSTRUCTIE: "reconstructie", AANGEPAST: "aangepast",
              NIET_BEOORDEELD: "niet-beoordeeld"}


def _h(s: str) -> str:
    return _html.escape(s, quote=True)


def _h_regel(r: Regel) -> str:
    s = _h(r.tekst) + "".join(
        f'<span class="merk merk-{MERKKLASSE.get(m, "ander")}">[{_h(m)}]</span>' for m in r.merken)
    if r.noten:
        s += "<sup>" + ", ".join(f'<a href="#noot-{n}">{n}</a>' for n in r.noten) + "</sup>"
    return s


def _h_veld(v: Veld) -> str:
    alineas = _alineas(v.tekst)
    eerste = f'<p><span class="label">{_h(v.label)}</span> {_h(alineas[0])}</p>'
    stijl = f"veld {v.stijl}".strip()
    return f'<div class="{_h(stijl)}">' + eerste + "".join(
        f"<p>{_h(a)}</p>" for a in alineas[1:]) + "</div>"


def html(doc: Document) -> str:
    """One self-contained html file: inline CSS, no scripts, no external resources."""
    out = []
    for b in doc.blokken:
        if isinstance(b, Kop):
            anker = f' id="{_h(b.anker)}"' if b.anker else ""
            out.append(f"<h{b.niveau}{anker}>{_h_regel(b.regel)}</h{b.niveau}>")
        elif isinstance(b, Alinea):
            klasse = f' class="{_h(b.stijl)}"' if b.stijl else ""
            out.append(f"<p{klasse}>{_h_regel(b.regel)}</p>")
        elif isinstance(b, Veld):
            out.append(_h_veld(b))
        elif isinstance(b, Melding):
            out.append(f'<div class="melding" role="note"><p><strong>{_h(b.titel)}.</strong> '
                       + "</p><p>".join(_h(a) for a in b.alineas) + "</p></div>")
        elif isinstance(b, Lijst):
            if b.stijl == "bronnen":
                out.append('<ul class="bronnen">' + "".join(
                    f"<li>{_h_regel(p.regel)}</li>" for p in b.punten) + "</ul>")
                continue
            out.append(f'<ol class="punten {_h(b.stijl)}">' + "".join(
                f'<li><span class="nr">{_h(p.nummer)}</span><div>{_h_regel(p.regel)}'
                + "".join(_h_veld(v) for v in p.velden) + "</div></li>" for p in b.punten)
                + "</ol>")
        elif isinstance(b, Noten):
            out.append('<div class="noten"><p class="kop">Noten</p><ol>' + "".join(
                f'<li value="{n}" id="noot-{n}">{_h(t)}</li>' for n, t in b.noten) + "</ol></div>")
    return ('<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_h(doc.titel)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(out) + "\n</main>\n</body>\n</html>\n")
