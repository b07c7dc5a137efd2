"""Read the quantitative claims in a published Dutch clause text.

A beslisregel is published as Dutch text ("onvoldoende als 3 of meer van de verwachtingen
onvoldoende zijn") and executed as conditions (``onvoldoende: {min: 3}``). To warn when the two
drift apart, ``lees`` extracts what the text claims about each count: which count
(voldoende, onvoldoende, niet beoordeeld, beoordeeld, totaal), which bounds, whether they are
percentages. These are honest heuristics, not a parser of Dutch (docs/methodologist.md):

- the text is cut into parts at "en", ";", ",", ":" and brackets ("tot en met" and "tussen N
  en M" are kept whole); a part claims something only when it names a count word and a
  quantity; a part with neither says nothing, so a text without numbers gives no claims;
- quantities: digits and number words (every cardinal from "nul" to "honderd", compounds
  included; "de helft" = 50%, "de meerderheid" > 50%), "alle", "geen", "ten minste",
  "ten hoogste", "minstens", "maximaal", "N of meer", "N of minder", "meer dan",
  "minder dan", "niet meer dan", "N of M", "N tot en met M", "tussen N en M", "N tot M" (M
  itself excluded), with "%" or "procent" for percentages; a "%" or "procent" after either
  number of a range makes both percentages ("50 tot 75 procent");
- numbers that are no counts are masked before reading (same length, so the quoted words
  stay the published ones): ids ("verwachting 1.1.2", "criterium 3"), dates, "24/7", and the
  denominator of "3 van de 4 verwachtingen";
- a quantity after "niet" ("niet alle") is not read: the part then claims nothing.
"""

from __future__ import annotations

import re
from fractions import Fraction

import attrs

_EENHEDEN = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
             "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien",
             "zeventien", "achttien", "negentien")
_TIENTALLEN = ("", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig",
               "tachtig", "negentig")


def telwoord(n: int) -> str:
    """The Dutch cardinal for 0..100: "vijftien", "eenentwintig", "tweeëntwintig"."""
    if not 0 <= n <= 100:
        raise ValueError(f"no number word for {n}: write it in digits")
    if n == 100:
        return "honderd"
    if n < 20:
        return _EENHEDEN[n]
    tiental, eenheid = divmod(n, 10)
    if eenheid == 0:
        return _TIENTALLEN[tiental]
    woord = _EENHEDEN[eenheid]
    return woord + ("ën" if woord.endswith("e") else "en") + _TIENTALLEN[tiental]


def _telwoorden() -> dict[str, int]:
    uit = {}
    for n in range(101):
        uit[telwoord(n)] = n
        uit[telwoord(n).replace("ë", "e")] = n  # "tweeentwintig", as often typed
    uit["eenhonderd"] = 100
    return uit


TELWOORDEN = _telwoorden()
"""Every cardinal from nul to honderd, compounds included; larger numbers are read as digits."""
_GETAL = (r"(\d+/\d+|\d+(?:,\d+)?|helft|"
          + "|".join(sorted(TELWOORDEN, key=len, reverse=True)) + r")(?!\w|[.,/]\d)")
_PROCENT = r"(?:\s*(%|procent))?"
_N = r"(?<![\w.,/])" + _GETAL + _PROCENT
_TOKEN = re.compile(r"\d+/\d+|\d+(?:[.,]\d+)?|%|[a-zà-ÿ]+")
_START = re.compile(r"\b(als|indien|wanneer|zodra|bij)\b")
_DELEN = re.compile(r"\s+en\s+|;|,(?!\d)|:|\(|\)|\.(?!\d)|\s+maar\s+")

_ID = r"\d+(?:\.\d+)*[a-z]?"
_NIET_GETAL = tuple(re.compile(p) for p in (
    # ids are not counts: "verwachting 1.1.2", "criterium 3", "criteria 1 en 2", "1.1.2"
    r"\b(?:verwachting|criterium|thema|standaard|norm|stap|bijlage|artikel|paragraaf"
    r"|hoofdstuk|onderdeel|vraag|punt|nummer|nr)\.? " + _ID + r"(?:(?:,| en| of| tm) "
    + _ID + r")*(?![\w.,/%])",
    r"\b(?:verwachtingen|criteria|themas|thema's|standaarden|normen) \d+\.[\d.]*\d[a-z]?"
    r"(?:(?:,| en| of| tm) " + _ID + r")*",
    r"(?<![\w.,])\d+(?:\.\d+){2,}[a-z]?",
    # dates and times: "1 januari 2016", "in 2015", "24/7"
    r"\b\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober"
    r"|november|december)(?: \d{4})?\b",
    r"\b(?:in|sinds|per|jaar|uit|van|vanaf|tot|na|voor) (?:19|20)\d\d\b(?! ?%| procent)",
    r"(?<![\w.,/])\d+(?:/\d+){2,}(?![\w.,/])",
    # the denominator of "3 van de 4 verwachtingen", "van de 20 verwachtingen er 15": not a claim
    r"\bvan (?:de|alle) " + _GETAL + r" (?:beoordeelde )?verwachtingen\b",
))
_BREUK = re.compile(r"(?<![\w.,/])(\d+)/(\d+)(?![\w.,/])")
_ALLE_GETALLEN = re.compile(r"\d+(?:[.,/]\d+)*|\balle\b|" + _GETAL)
_MASKER = "\u00a7"
"""Stands in for a number that is not a count; no token, and never a word character."""


def _maskeer(t: str) -> str:
    """``t`` with every number that is an id, a date or a denominator masked, same length."""
    def vervang(m: re.Match[str]) -> str:
        return _ALLE_GETALLEN.sub(lambda g: _MASKER * len(g.group()), m.group())

    for patroon in _NIET_GETAL:
        t = patroon.sub(vervang, t)
    # "3/4" is a share (75%); "24/7" is no share of anything
    return _BREUK.sub(lambda m: m.group() if int(m.group(1)) <= int(m.group(2)) != 0
                      else _MASKER * len(m.group()), t)


# (pattern over the quantity words, kind); the first that matches a part wins
_VORMEN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), k) for p, k in (
    (r"\bniet (meer dan|minder dan) ", "niet_x"),
    (r"\b(?:de )?(meerderheid|minderheid)\b", "meerderheid"),
    (r"\b(alle|allemaal|elke|iedere|ieder)\b", "alle"),
    (r"\bgeen\b", "geen"),
    # "50 tot 75 procent": 75 itself excluded; before "vanaf 50" so both bounds are read
    (r"(?:\bvanaf )?" + _N + r" tot " + _N, "van_tot_excl"),
    (r"\b(ten minste|tenminste|minstens|minimaal|op zijn minst|vanaf) " + _N, "min"),
    (r"\b(ten hoogste|tenhoogste|hoogstens|maximaal|op zijn hoogst) " + _N, "max"),
    (_N + r" (of|en) (meer|hoger)\b", "min"),
    (_N + r" (of|en) (minder|lager)\b", "max"),
    (r"\bmeer dan (de )?" + _N, "boven"),
    (r"\bminder dan (de )?" + _N, "onder"),
    (_N + r" tm " + _N, "van_tot"),
    (_N + r" of " + _N, "of"),
    (_N, "gelijk"),
))


@attrs.frozen
class Grens:
    """One bound of a claim: a value, and whether the value itself is excluded."""

    waarde: Fraction
    strikt: bool = False


@attrs.frozen
class Bewering:
    """What one part of the text claims about one count."""

    naam: str
    """voldoende, onvoldoende, niet_beoordeeld, beoordeeld or totaal"""
    woorden: str
    """the part of the text the claim was read from"""
    min: Grens | None = None
    max: Grens | None = None
    procent: bool = False
    alle: bool = False
    gaten: bool = False
    """True for "N of M" with values between them left out ("0 of 2"): no range says that."""
    beoordeelde: bool = False
    """True when "alle" ranges over the beoordeelde verwachtingen: it then says nothing about
    the verwachtingen niet beoordeeld."""


def _getal(woord: str) -> Fraction:
    if woord == "helft":
        return Fraction(50)
    if "/" in woord:  # a share, as a percentage
        teller, noemer = woord.split("/")
        return Fraction(100 * int(teller), int(noemer))
    if woord in TELWOORDEN:
        return Fraction(TELWOORDEN[woord])
    return Fraction(woord.replace(",", "."))


def _telling(tokens: list[str]) -> tuple[str | None, list[str]]:
    """The count the part is about (its first count word) and the other words."""
    rest: list[str] = []
    naam = None
    i = 0
    while i < len(tokens):
        t, volgend = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        gevonden = None
        if t == "niet" and volgend in ("beoordeeld", "voldoende"):
            gevonden = "niet_beoordeeld" if volgend == "beoordeeld" else "onvoldoende"
            i += 1
        elif t in ("voldoende", "onvoldoende", "beoordeeld", "totaal"):
            gevonden = t
        if gevonden and (naam is None or naam == "totaal"):
            if naam == "totaal":
                rest.append("totaal")  # "totaal 4 verwachtingen beoordeeld": an adverb
            naam = gevonden
        elif not gevonden:
            rest.append(t)
        i += 1
    return naam, rest


def _bewering(naam: str, deel: str, woorden: list[str], beoordeelde: bool = False
              ) -> Bewering | None:
    q = " ".join(woorden)
    for patroon, soort in _VORMEN:
        m = patroon.search(q)
        if m is None:
            continue
        voor = q[:m.start()].split()
        if soort != "niet_x" and voor and voor[-1] == "niet":
            return None  # "niet alle", "niet 2": not read
        if soort == "niet_x":
            # "niet meer dan N" is "ten hoogste N"; "niet minder dan N" is "ten minste N"
            rest = q[m.end():]
            n = re.match(r"(?:de )?" + _N, rest)
            if n is None:
                return None
            g = Grens(_getal(n.group(1)))
            procent = bool(n.group(2)) or n.group(1) == "helft" or "/" in n.group(1)
            if m.group(1) == "meer dan":
                return Bewering(naam, deel, max=g, procent=procent)
            return Bewering(naam, deel, min=g, procent=procent)
        if soort == "meerderheid":
            helft = Grens(Fraction(50), strikt=True)
            if m.group(1) == "meerderheid":
                return Bewering(naam, deel, min=helft, procent=True)
            return Bewering(naam, deel, max=helft, procent=True)
        if soort == "alle":
            return Bewering(naam, deel, alle=True, beoordeelde=beoordeelde)
        if soort == "geen":
            nul = Grens(Fraction(0))
            return Bewering(naam, deel, min=nul, max=nul)
        getallen = [g for g in m.groups() if g and re.fullmatch(_GETAL, g)]
        procent = (any(g in ("%", "procent") for g in m.groups() if g) or "helft" in getallen
                   or any("/" in g for g in getallen))
        waarden = [_getal(g) for g in getallen]
        if soort == "min":
            return Bewering(naam, deel, min=Grens(waarden[0]), procent=procent)
        if soort == "max":
            return Bewering(naam, deel, max=Grens(waarden[0]), procent=procent)
        if soort == "boven":
            return Bewering(naam, deel, min=Grens(waarden[0], True), procent=procent)
        if soort == "onder":
            return Bewering(naam, deel, max=Grens(waarden[0], True), procent=procent)
        if soort == "van_tot_excl":
            lo, hi = sorted(waarden[:2])
            return Bewering(naam, deel, min=Grens(lo), max=Grens(hi, True), procent=procent)
        if soort in ("van_tot", "of"):
            lo, hi = sorted(waarden[:2])
            gaten = soort == "of" and hi - lo > 1
            return Bewering(naam, deel, min=Grens(lo), max=Grens(hi), procent=procent,
                            gaten=gaten)
        g = Grens(waarden[0])
        return Bewering(naam, deel, min=g, max=g, procent=procent)
    return None


def lees(tekst: str, oordelen: tuple[str, ...] = ()) -> list[Bewering]:
    """The quantitative claims of a clause text, in order; [] when it makes none.

    The words before the condition ("voldoende als", "matig bij") are skipped, and so is a
    leading oordeel without one ("onvoldoende: ..."), so the oordeel is not read as a count.
    """
    t = " ".join(tekst.lower().replace("één", "een").replace("%", " % ").split())
    m = _START.search(t)
    if m is not None:
        t = t[m.end():]
    else:
        for o in sorted(oordelen, key=len, reverse=True):
            if t.startswith(o.lower()):
                t = t[len(o):]
                break
    t = re.sub(r"\btot en met\b|\bt/m\b", " tm ", t)
    t = re.sub(r"\btussen (\S+(?: %| procent)?) en ", r"\1 tm ", t)
    gemaskeerd = _maskeer(t)
    beweringen = []
    begin = 0
    for m in [*_DELEN.finditer(gemaskeerd), None]:
        eind = len(t) if m is None else m.start()
        deel, origineel = gemaskeerd[begin:eind], t[begin:eind]
        begin = eind if m is None else m.end()
        tokens = _TOKEN.findall(deel)
        naam, rest = _telling(tokens)
        if naam is None:
            continue
        b = _bewering(naam, " ".join(origineel.split()).replace(" tm ", " tot en met "),
                      rest, "beoordeelde" in rest)
        if b is not None:
            beweringen.append(b)
    return beweringen
