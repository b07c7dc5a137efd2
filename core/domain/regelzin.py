"""A clause's conditions as a canonical Dutch sentence, and whether its published text agrees.

The published ``tekst`` of a clause is what readers of a kader see; its ``als`` conditions are
what kaderwerk executes. This module writes the conditions as one canonical sentence
("voldoende als ten hoogste 1 verwachting onvoldoende is"), reads the quantitative claims of
the published text back (``kaderwerk.domain.beweringen``) and compares the two, count by count. A
clause may record a ``lezing``: words of its tekst and how the encoding reads them, with a
reason; the check then reads the tekst with those words replaced, and warns when the words are
no longer in the tekst. ``show``, ``render`` and ``diff`` print the sentence beside the tekst;
``check`` turns each disagreement into a finding of kind ``tekst_voorwaarden`` (a warning,
an error under ``--strict``) and each recorded reading into a note (``tekst_gelezen``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

import attrs
from kaderwerk.domain.afronding import DECIMAAL
from kaderwerk.domain.beslisregel import Beslisregel, Lezing
from kaderwerk.domain.beweringen import Bewering, Grens, lees

if TYPE_CHECKING:
    from kaderwerk.domain.model import Kader
    from kaderwerk.domain.verify import Bevinding

WOORD = {"voldoende": "voldoende", "onvoldoende": "onvoldoende",
         "niet_beoordeeld": "niet beoordeeld", "beoordeeld": "beoordeeld", "totaal": "totaal"}
_ANDER = {"voldoende": "onvoldoende", "onvoldoende": "voldoende"}


class Voorwaarde(Protocol):
    """An inclusive range on one count (``Bereik`` of the builtin rule types)."""

    naam: str
    min: Fraction | None
    max: Fraction | None


def getal(x: Fraction) -> str:
    """A number as written in Dutch: 2, 50,5 (exact; kader numbers are finite decimals)."""
    if x.denominator == 1:
        return str(x.numerator)
    d = DECIMAAL.divide(Decimal(x.numerator), Decimal(x.denominator))
    return format(d.normalize(DECIMAAL), "f").replace(".", ",")


def _voorwaarde_zin(v: Voorwaarde, procent: bool) -> str:
    lo = v.min if v.min is not None else Fraction(0)
    hi = v.max
    if procent:
        if hi is not None and lo == hi:
            q = f"{getal(lo)}%"
        elif hi is None or hi == 100:
            q = f"ten minste {getal(lo)}%"
        elif lo == 0:
            q = f"ten hoogste {getal(hi)}%"
        else:
            q = f"{getal(lo)}% tot en met {getal(hi)}%"
        return f"{q} van de beoordeelde verwachtingen {WOORD[v.naam]} is"
    if hi is not None and hi == 0:
        q, n = "geen", 1
    elif hi is not None and lo == hi:
        q, n = getal(lo), lo
    elif hi is None:
        q, n = f"ten minste {getal(lo)}", lo
    elif lo == 0:
        q, n = f"ten hoogste {getal(hi)}", hi
    else:
        q, n = f"{getal(lo)} tot en met {getal(hi)}", hi
    enkel = n == 1
    if v.naam == "totaal":
        return f"er in totaal {q} {'verwachting is' if enkel else 'verwachtingen zijn'}"
    return (f"{q} {'verwachting' if enkel else 'verwachtingen'} {WOORD[v.naam]} "
            f"{'is' if enkel else 'zijn'}")


def zin(oordeel: str, voorwaarden: Sequence[Voorwaarde], *, procent: bool = False,
        afronding: str = "geen") -> str:
    """The canonical sentence of one clause: "matig als 1 verwachting onvoldoende is"."""
    delen = " en ".join(_voorwaarde_zin(v, procent) for v in voorwaarden)
    extra = " (afgerond op hele procenten)" if procent and afronding == "heel_procent" else ""
    return f"{oordeel} als {delen}{extra}"


# -- comparison -----------------------------------------------------------------------------

Bereik2 = tuple[Grens, Grens | None]
"""A normalised range: lower bound, upper bound (None: unbounded)."""


def _bereik_van(v: Voorwaarde, procent: bool) -> Bereik2:
    hi = v.max if v.max is not None else (Fraction(100) if procent else None)
    return Grens(v.min if v.min is not None else Fraction(0)), None if hi is None else Grens(hi)


def _heel(b: Bewering, geheel: bool) -> Bereik2:
    """A claim's range; on whole numbers "meer dan 2" is "ten minste 3"."""
    lo, hi = b.min or Grens(Fraction(0)), b.max
    if hi is None and b.procent:
        hi = Grens(Fraction(100))
    if geheel:
        if lo.strikt:
            lo = Grens(Fraction(int(lo.waarde) + 1))
        if hi is not None and hi.strikt:
            w = hi.waarde
            hi = Grens(Fraction(int(w) - 1 if w.denominator == 1 else int(w)))
    return lo, hi


def _op_hele(r: Bereik2) -> Bereik2:
    """A condition's range on whole numbers (counts, or percentages rounded by ``heel_procent``):
    "ten hoogste 32,99%" admits the same rounded percentages as "ten hoogste 32%"."""
    lo, hi = r
    boven = -(-lo.waarde.numerator // lo.waarde.denominator)
    return Grens(Fraction(boven)), None if hi is None else Grens(Fraction(int(hi.waarde)))


def _complement(bereiken: dict[str, Bereik2]) -> None:
    """Exact percentages: voldoende% = 100 - onvoldoende%; give both names both ranges."""
    for naam, ander in _ANDER.items():
        if naam not in bereiken:
            continue
        lo, hi = bereiken[naam]
        spiegel = (Grens(100 - hi.waarde, hi.strikt) if hi else Grens(Fraction(0)),
                   Grens(100 - lo.waarde, lo.strikt))
        bereiken[ander] = _snijd(bereiken[ander], spiegel) if ander in bereiken else spiegel


def _snijd(a: Bereik2, b: Bereik2) -> Bereik2:
    lo = max(a[0], b[0], key=lambda g: (g.waarde, g.strikt))
    his = [h for h in (a[1], b[1]) if h is not None]
    hi = min(his, key=lambda g: (g.waarde, not g.strikt)) if his else None
    return lo, hi


def _tekst_bereik(r: Bereik2, procent: bool) -> str:
    lo, hi = r
    p = "%" if procent else ""

    def g(x: Grens) -> str:
        return getal(x.waarde) + p

    if hi is not None and not lo.strikt and not hi.strikt and lo.waarde == hi.waarde:
        return f"= {g(lo)}"
    delen = []
    if lo.waarde != 0 or lo.strikt:
        delen.append(f"{'>' if lo.strikt else '>='} {g(lo)}")
    if hi is not None and not (procent and hi.waarde == 100 and not hi.strikt):
        delen.append(f"{'<' if hi.strikt else '<='} {g(hi)}")
    return " en ".join(delen) or ">= 0"


@attrs.frozen
class Controle:
    """One clause: its published text, its canonical sentence, and whether they agree.

    ``status``: ``klopt`` (every claim of the text matches), ``verschilt``, ``zegt_niets``
    (the text makes no quantitative claim: nothing to compare) or ``geen_tekst``.
    """

    nummer: int
    oordeel: str
    tekst: str | None
    zin: str
    lezing: Lezing | None
    status: str
    verschillen: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "verschillen": list(self.verschillen)}


def _stap(voorwaarden: Sequence[Voorwaarde]) -> Fraction | None:
    """The precision a clause writes its percentage bounds with when it writes decimals: 1/100
    for 74.99. The kader format's bounds are inclusive, so an exclusive bound of the text ("tot
    75 procent") is written one step below (max: 74.99). Whole percents give None: "minder dan
    50%" is not max: 49, since 49,5% (99 of 200) lies between them."""
    decimalen = 0
    for v in voorwaarden:
        for x in (v.min, v.max):
            while x is not None and decimalen < 6 and (x * 10 ** decimalen).denominator != 1:
                decimalen += 1
    return Fraction(1, 10 ** decimalen) if decimalen else None


def _tot_stap(r: Bereik2, stap: Fraction | None) -> Bereik2:
    """A claim's range with its exclusive bounds made inclusive at ``stap``."""
    lo, hi = r
    if stap is None:
        return r
    if lo.strikt:
        lo = Grens(lo.waarde + stap)
    if hi is not None and hi.strikt:
        hi = Grens(hi.waarde - stap)
    return lo, hi


def _verschillen(beweringen: Iterable[Bewering], voorwaarden: Sequence[Voorwaarde],
                 procent: bool, afronding: str) -> list[str]:
    geheel = not procent or afronding == "heel_procent"
    eenheid = "percentages of the assessed verwachtingen" if procent else "counts"
    out: list[str] = []
    beweerd: dict[str, Bereik2] = {}
    bronnen: dict[str, list[str]] = {}
    for b in beweringen:
        if b.gaten:
            out.append(f"'{b.woorden}' leaves values out, which no range of {WOORD[b.naam]} "
                       "can say")
            continue
        if b.procent != procent and not b.alle and not (b.min == b.max == Grens(Fraction(0))):
            soort = "a percentage" if b.procent else "a number of verwachtingen"
            out.append(f"'{b.woorden}' gives {soort}; the conditions are {eenheid}")
            continue
        if b.alle:
            if procent:
                stukken = {b.naam: (Grens(Fraction(100)), Grens(Fraction(100)))}
            else:
                nul = (Grens(Fraction(0)), Grens(Fraction(0)))
                andere = {"voldoende": ("onvoldoende", "niet_beoordeeld"),
                          "onvoldoende": ("voldoende", "niet_beoordeeld"),
                          "beoordeeld": ("niet_beoordeeld",),
                          "niet_beoordeeld": ("voldoende", "onvoldoende")}.get(b.naam, ())
                if b.beoordeelde:  # "alle beoordeelde verwachtingen": not about the others
                    andere = tuple(n for n in andere if n != "niet_beoordeeld")
                stukken = {n: nul for n in andere}
        else:
            stukken = {b.naam: _heel(b, geheel)}
        for naam, r in stukken.items():
            beweerd[naam] = _snijd(beweerd[naam], r) if naam in beweerd else r
            bronnen.setdefault(naam, []).append(b.woorden)
    gegeven = {v.naam: _bereik_van(v, procent) for v in voorwaarden}
    genoemd = set(beweerd)
    if procent and afronding == "geen":
        _complement(beweerd)
        _complement(gegeven)
        for naam, ander in _ANDER.items():
            if ander in bronnen and naam in beweerd:
                bronnen.setdefault(naam, bronnen[ander])
    if geheel:
        anders = [n for n, r in beweerd.items()
                  if n not in gegeven or _op_hele(gegeven[n]) != _op_hele(r)]
    else:  # "tot 75 procent" is "ten hoogste 74,99 procent" for a rule written in hundredths
        stap = _stap(voorwaarden)
        anders = [n for n, r in beweerd.items() if gegeven.get(n) != _tot_stap(r, stap)]
    if genoemd & set(anders):
        anders = [n for n in anders if n in genoemd]  # not also the mirrored percentage
    for naam in anders:
        r = beweerd[naam]
        waar = "' and '".join(dict.fromkeys(bronnen.get(naam, [])))
        zegt = (f"{WOORD[naam]} {_tekst_bereik(gegeven[naam], procent)}" if naam in gegeven
                else f"nothing about {WOORD[naam]}")
        out.append(f"the tekst ('{waar}') says {WOORD[naam]} {_tekst_bereik(r, procent)}; "
                   f"the conditions say {zegt}")
    return out


def controleer(nummer: int, oordeel: str, tekst: str | None, voorwaarden: Sequence[Voorwaarde],
               *, lezing: Lezing | None = None, procent: bool = False, afronding: str = "geen",
               oordelen: Sequence[str] = ()) -> Controle:
    """Compare a clause's published text (as read by its ``lezing``) with its conditions."""
    z = zin(oordeel, voorwaarden, procent=procent, afronding=afronding)
    if not tekst:
        return Controle(nummer, oordeel, tekst, z, lezing, "geen_tekst")
    gelezen = tekst
    if lezing is not None:
        plek = " ".join(tekst.split()).lower().find(" ".join(lezing.woorden.split()).lower())
        if plek < 0:
            return Controle(nummer, oordeel, tekst, z, lezing, "verschilt", (
                f"the lezing's words '{lezing.woorden}' are not in the tekst any more: "
                "correct the lezing or remove it",))
        vlak = " ".join(tekst.split())
        gelezen = vlak[:plek] + lezing.gelezen_als + vlak[plek + len(
            " ".join(lezing.woorden.split())):]
    beweringen = lees(gelezen, tuple(oordelen))
    if not beweringen:
        return Controle(nummer, oordeel, tekst, z, lezing, "zegt_niets")
    verschillen = _verschillen(beweringen, voorwaarden, procent, afronding)
    return Controle(nummer, oordeel, tekst, z, lezing,
                    "verschilt" if verschillen else "klopt", tuple(verschillen))


def controles(regel: Beslisregel) -> list[Controle]:
    """Every clause of a rule with conditions (``aantal``, ``percentage``); [] for others."""
    condities = getattr(regel, "condities", None)
    if (regel.handmatig or not isinstance(condities, tuple)
            or len(condities) != len(regel.clausules)
            or not all(hasattr(v, a) for c in condities for v in c
                       for a in ("naam", "min", "max"))):
        return []  # not a clause list over ranges (a third-party rule type's own shape)
    procent = getattr(regel, "eenheid", "aantal") == "procent"
    afronding = getattr(regel, "afronding", "geen")
    return [controleer(i + 1, c.oordeel, c.tekst, voorwaarden, lezing=c.lezing,
                       procent=procent, afronding=afronding, oordelen=tuple(regel.schaal))
            for i, (c, voorwaarden) in enumerate(zip(regel.clausules, condities, strict=True))]


# -- check ----------------------------------------------------------------------------------

def _beslisregels(kader: Kader) -> list[tuple[Beslisregel, str, list[str], str]]:
    """Each distinct rule once: (rule, its path, the criteria it decides, thema)."""
    from kaderwerk.domain.model import regel_sleutel

    gezien: dict[str, tuple[Beslisregel, str, list[str], str]] = {}
    for ti, t in enumerate(kader.themas):
        for ci, c in enumerate(t.criteria):
            eigen = ("themas", ti, "criteria", ci, "beslisregel")
            pad = eigen if regel_sleutel(eigen) in kader.posities else ("themas", ti,
                                                                        "beslisregel")
            inhoud = json.dumps({k: v for k, v in c.beslisregel.to_dict().items()
                                 if k != "bron"}, sort_keys=True, default=str)
            sleutel = f"{'/'.join(map(str, pad))} {inhoud}"
            gezien.setdefault(sleutel, (c.beslisregel, "/".join(map(str, pad)), [], t.id)
                              )[2].append(c.id)
    uit = list(gezien.values())
    if kader.organisatie is not None:
        uit.append((kader.organisatie.beslisregel, "organisatie/beslisregel", ["organisatie"],
                    ""))
    return uit


def bevindingen(kader: Kader) -> list[Bevinding]:
    """The text check of ``kaderwerk check``: a warning per clause whose tekst disagrees with its
    conditions, a note per recorded lezing; once per rule, at the clause's tekst."""
    from kaderwerk.domain.model import regel_sleutel
    from kaderwerk.domain.verify import Bevinding, op_plek

    uit = []
    for regel, pad, wie, thema in _beslisregels(kader):
        with op_plek(kader, wie[0]):
            gecontroleerd = controles(regel)
        for c in gecontroleerd:
            if c.status != "verschilt" and c.lezing is None:
                continue
            sleutel = regel_sleutel(pad.split("/"), c.nummer)
            plek = sleutel if sleutel in kader.posities else None
            voor = "organisatie" if wie == ["organisatie"] else (
                f"criterium {wie[0]}" if len(wie) == 1 else f"criteria {', '.join(wie)}")
            kop = f"beslisregel of {voor}, clause {c.nummer} ({c.oordeel})"
            details = {"clausule": c.nummer, "tekst": c.tekst, "voorwaarden": c.zin,
                       "criteria": wie,
                       "lezing": None if c.lezing is None else c.lezing.to_dict()}
            grootte = next((len(x.beoordeelde) for x in kader.criteria if x.id == wie[0]), 0)
            if c.status == "verschilt":
                uit.append(Bevinding(
                    "tekst_voorwaarden", wie[0], thema, grootte,
                    f"{kop}: " + "; ".join(c.verschillen) + f" (conditions: '{c.zin}')",
                    details | {"verschillen": list(c.verschillen)}, regel.type,
                    criteria=tuple(wie) if len(wie) > 1 else (), plek=plek))
            elif c.lezing is not None:
                uit.append(Bevinding(
                    "tekst_gelezen", wie[0], thema, grootte,
                    f"{kop}: '{c.lezing.woorden}' is read as '{c.lezing.gelezen_als}' "
                    f"because {c.lezing.reden}", details, regel.type,
                    criteria=tuple(wie) if len(wie) > 1 else (), plek=plek))
    return uit
