"""The kader as a format-free document: the part of ``kaderwerk render`` that decides what it says.

Inspectors and researchers read a kader as the appendix of a report ("Bijlage 2 -
Toetsingskader ..."), not as YAML or a terminal tree. ``bouw`` turns the *model* (a loaded,
checked ``Kader``, overlays resolved) into such a document: thema's with their norm, criteria
with ratio and operationalisering, numbered verwachtingen, footnotes per section, the
beslisregels in words, the plafonds and the bronnen. What the sources do not give verbatim is
never passed off as published text: reconstructions, overlay changes, verwachtingen that are
not assessed and incomplete kaders are marked visibly.

The document is a tuple of blocks and knows no format; ``render`` lays it out as markdown or
html, so both formats always say the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import attrs
from kaderwerk.domain import regelzin
from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.model import Bron, Kader, Plafond, Verwachting
from kaderwerk.domain.verify import op_plek

RECONSTRUCTIE, AANGEPAST, NIET_BEOORDEELD = "reconstructie", "aangepast in deze studie", \
    "niet beoordeeld"
HIT = {"uniek": "precies één regel is van toepassing",
       "eerste": "de eerste regel die van toepassing is, geldt"}
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


# -- document structure -------------------------------------------------------------------

@attrs.frozen
class Fragment:
    """One run of text (whitespace folded) with its marks and footnote numbers."""

    tekst: str = attrs.field(converter=lambda s: " ".join(str(s).split()))
    merken: tuple[str, ...] = ()
    noten: tuple[int, ...] = ()


@attrs.frozen
class Kop:
    niveau: int
    fragment: Fragment
    anker: str | None = None


@attrs.frozen
class Alinea:
    fragment: Fragment
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
    fragment: Fragment
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
class KaderDocument:
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

def bouw(kader: Kader, basis_titel: str | None = None) -> KaderDocument:
    """The kader as a format-free document; ``basis_titel`` names an overlay's base kader."""
    noten = _Notenteller()
    uit: list[Blok] = [Kop(1, Fragment(kader.titel), "kader")]
    meta = [f"Versie {kader.versie}"]
    if kader.geldig_vanaf:
        meta.append(f"geldig vanaf {_datum(kader.geldig_vanaf)}")
    uit.append(Alinea(Fragment(" · ".join(meta)), "meta"))
    if kader.bron and kader.bron.citeer():
        uit.append(Alinea(Fragment(f"Bron: {_citaat(kader.bron)}"), "meta"))
    if kader.bron and kader.bron.volledig is False:
        uit.append(Melding("Onvolledig kader", (
            "De beschikbare bronnen geven niet het hele kader. Dit document bevat alleen wat "
            "bekend is; wat ontbreekt, is niet aangevuld.",
            *(paragraphs(kader.bron.toelichting) if kader.bron.toelichting else ()))))
    if kader.basis:
        naam = f"{basis_titel} ({kader.basis})" if basis_titel else kader.basis
        uit.append(Alinea(Fragment(
            f"Dit kader is de uitwerking in deze studie van het basiskader {naam}. Wat de "
            f"studie aan de basis heeft aangepast, is gemarkeerd met [{AANGEPAST}]."), "basis"))
    if wijzer := _leeswijzer(kader):
        uit.append(Veld("Leeswijzer", wijzer, "meta"))

    if kader.inleiding:
        uit.append(Kop(2, Fragment("Inleiding"), "inleiding"))
        alineas = paragraphs(kader.inleiding)
        for a in alineas[:-1]:
            uit.append(Alinea(Fragment(a)))
        uit.append(Alinea(Fragment(alineas[-1], (), tuple(noten.noot(n) for n in kader.noten))))
        uit += noten.sluit()

    for t in kader.themas:
        uit.append(Kop(2, _fragment(f"{t.id} {t.titel}", t.bron, noten, t.noten),
                       f"thema-{t.id}"))
        if t.norm:
            uit.append(Veld("Norm", t.norm, "norm"))
        if not t.criteria:
            uit.append(Alinea(Fragment("Dit kader geeft bij dit thema geen criteria."), "meta"))
        for c in t.criteria:
            uit.append(Kop(3, _fragment(f"{c.id} {c.titel}", c.bron, noten, c.noten,
                                        aangepast=c.aangepast), f"criterium-{c.id}"))
            if c.ratio:
                uit.append(Veld("Waarom is dit belangrijk?", c.ratio))
            if c.operationalisering:
                uit.append(Veld("Operationalisering", c.operationalisering, "operationalisering"))
            if c.verwachtingen:
                uit.append(Kop(4, Fragment(_soortkop(c.verwachtingen))))
                uit.append(Lijst(tuple(_punt(v, noten) for v in c.verwachtingen)))
        uit += noten.sluit()

    uit += _beslisregels(kader, noten)
    uit += _bronnen(kader)
    if kader.noten and not kader.inleiding:
        uit += [Kop(2, Fragment("Noten"), "noten"),
                Noten(tuple((noten.noot(n), n) for n in kader.noten))]
    uit.append(Alinea(Fragment(f"Opgemaakt met kaderwerk uit {kader.ref}."), "meta"))
    return KaderDocument(kader.titel, tuple(uit))


def _fragment(tekst: str, bron: Bron | None, noten: _Notenteller, eigen: tuple[str, ...] = (),
              *, aangepast: bool = False, beoordeeld: bool = True) -> Fragment:
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
    return Fragment(tekst, tuple(merken), tuple(dict.fromkeys(nrs)))


def _punt(v: Verwachting, noten: _Notenteller) -> Punt:
    fragment = _fragment(v.tekst, v.bron, noten, v.noten, aangepast=v.aangepast,
                         beoordeeld=v.beoordeeld)
    velden = (Veld("Operationalisering", v.operationalisering, "operationalisering"),) \
        if v.operationalisering else ()
    return Punt(v.id, fragment, velden)


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
    per_inhoud: dict[str, tuple[Beslisregel, list[str], dict[str, None]]] = {}
    plafonds: dict[tuple, tuple[Plafond, list[str]]] = {}
    paren = [(c.id, c.beslisregel, c.plafonds) for c in kader.criteria]
    if kader.organisatie:
        paren.append(("organisatie", kader.organisatie.beslisregel, kader.organisatie.plafonds))
    for wie, beslisregel, pls in paren:
        with op_plek(kader, wie):  # a plugin rule's failure located at its criterium
            inhoud = {k: v for k, v in beslisregel.to_dict().items() if k != "bron"}
        key = json.dumps(inhoud, sort_keys=True, ensure_ascii=False, default=str)
        per_inhoud.setdefault(key, (beslisregel, [], {}))[1].append(wie)
        if beslisregel.bron and beslisregel.bron.citeer():
            per_inhoud[key][2][_citaat(beslisregel.bron)] = None
        for p in pls:
            plafonds.setdefault((p.feit, repr(p.waarde), p.max, p.reden), (p, []))[1].append(wie)
    uit: list[Blok] = [Kop(2, Fragment("Beslisregels"), "beslisregels"), Alinea(Fragment(
        f"Oordeelschaal, van goed naar slecht: {', '.join(kader.oordeelschaal)}."), "meta")]
    for i, (beslisregel, wie, bronnen) in enumerate(per_inhoud.values(), 1):
        uit.append(Kop(3, Fragment(f"Beslisregel {i}"), f"beslisregel-{i}"))
        uit.append(Alinea(Fragment(f"Geldt voor {_voor(kader, wie)}."), "meta"))
        with op_plek(kader, wie[0]):
            beschrijving = beslisregel.beschrijving()
        uit.append(Alinea(_fragment(beschrijving, beslisregel.bron, noten)))
        if not beslisregel.handmatig and beslisregel.clausules:
            hit = HIT.get(beslisregel.hit, f"hit: {beslisregel.hit}")
            uit.append(Alinea(Fragment(f"Per oordeel ({hit}):"), "meta"))
            controles = {c.nummer: c for c in regelzin.controles(beslisregel)}
            uit.append(Lijst(tuple(Punt(f"{j}.", Fragment(_clausule(beslisregel, j - 1)),
                                        _tekstcontrole(controles.get(j)))
                                   for j in range(1, len(beslisregel.clausules) + 1)),
                             "regels"))
        if bronnen:
            uit.append(Alinea(Fragment(f"Bron: {'; '.join(bronnen)}"), "meta"))
    if plafonds:
        uit.append(Kop(3, Fragment("Plafonds"), "plafonds"))
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
                _fragment(f"→ ten hoogste {p.max}, voor {_voor(kader, wie)}.", p.bron, noten),
                tuple(velden)))
        uit.append(Lijst(tuple(punten), "plafonds"))
    return uit + noten.sluit()


def _clausule(beslisregel: Beslisregel, i: int) -> str:
    c = beslisregel.clausules[i]
    zinnen = [] if c.tekst else regelzin.controles(beslisregel)
    if zinnen:
        return zinnen[i].zin
    tekst = c.tekst or (beslisregel.clausule_tekst(i)
                        if hasattr(beslisregel, "clausule_tekst") else "")
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
    punten = tuple(Punt("", Fragment(c + (f" ({url})" if url else "")))
                   for c, url in gezien.items())
    return [Kop(2, Fragment("Bronnen"), "bronnen"), Lijst(punten, "bronnen")] if punten else []


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


def paragraphs(tekst: str) -> list[str]:
    """Paragraphs split on blank lines, whitespace inside each folded to single spaces."""
    return [" ".join(a.split()) for a in re.split(r"\n\s*\n", tekst) if a.strip()] or [""]
