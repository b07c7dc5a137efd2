"""A break set in words: the parts of the sizes at which a rule breaks, for every n.

``kaderwerk.domain.breuken`` computes the set (``check --sizes all``); this module holds it as
data (``Deel``, ``Breuk``) and words it, once for every output: in English for findings and the
reports ("2-3 and every n ≥ 6", ``regels``), in Dutch for the ``--sizes all`` table
(``nederlands``). It also reads a set that repeats into its fewest parts (``kortste``), however
the set was computed. It needs no z3.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from kaderwerk.domain.verify import SOORTEN, bereiken

MAX_GRENS = 20_000
"""Largest size up to which a closed form is read off its set, one size at a time."""

BREUK_SOORTEN = ("niet_uitputtend", "overlap", "niet_monotoon", "buiten_schaal")
"""The kinds of finding ``--sizes`` reports per size."""


@attrs.frozen
class Deel:
    """One part of a break set: sizes ``van``..``tot`` (``tot`` None: no end), every
    ``stap``-th from ``van`` (``stap`` 1: all), with one counterexample at size ``van``."""

    van: int
    tot: int | None
    stap: int
    voorbeeld: dict[str, int]

    def bevat(self, n: int) -> bool:
        return n >= self.van and (self.tot is None or n <= self.tot) \
            and (n - self.van) % self.stap == 0

    def tekst(self) -> str:
        if self.tot is not None:
            if self.stap > 1:
                return (f"every n from {self.van} to {self.tot} with n mod {self.stap} = "
                        f"{self.van % self.stap}")
            return str(self.van) if self.tot == self.van else f"{self.van}-{self.tot}"
        if self.stap == 1:
            return f"every n ≥ {self.van}"
        if self.stap == 2:
            return f"every {'odd' if self.van % 2 else 'even'} n ≥ {self.van}"
        return f"every n ≥ {self.van} with n mod {self.stap} = {self.van % self.stap}"

    def to_dict(self) -> dict[str, Any]:
        return {"tekst": self.tekst(), "van": self.van, "tot": self.tot, "stap": self.stap,
                "tegenvoorbeeld": dict(self.voorbeeld)}


@attrs.frozen
class Breuk:
    """The exact set of sizes at which a rule shows one kind of finding, for all n."""

    soort: str
    delen: tuple[Deel, ...]

    def bevat(self, n: int) -> bool:
        return any(d.bevat(n) for d in self.delen)

    def tekst(self) -> str:
        stukken: list[str] = []
        eindig = [n for d in self.delen if d.tot is not None and d.stap == 1
                  for n in range(d.van, d.tot + 1)]
        if eindig:
            stukken.append(bereiken(eindig))
        stukken += [d.tekst() for d in self.delen if d.tot is not None and d.stap > 1]
        stukken += [d.tekst() for d in self.delen if d.tot is None]
        if not stukken:
            return "never"
        if len(stukken) == 1:
            return stukken[0]
        los = " and " if len(stukken) == 2 and not stukken[0].startswith("every") else ", and "
        return ", ".join(stukken[:-1]) + los + stukken[-1]

    def to_dict(self) -> dict[str, Any]:
        return {"tekst": self.tekst(), "delen": [d.to_dict() for d in self.delen]}


NEDERLANDS = (("every n from ", "elke n van "), (" to ", " tot en met "),
              ("every odd n", "elke oneven n"), ("every even n", "elke even n"),
              ("every n", "elke n"), (" with n mod ", " met n mod "), (", and ", ", en "),
              (" and ", " en "))
"""The closed form's words in Dutch, for the ``check --sizes all`` table (tables are Dutch)."""


def nederlands(tekst: str) -> str:
    """A closed form as ``Breuk.tekst`` words it, in Dutch ('never' becomes '-')."""
    if tekst == "never":
        return "-"
    for en, nl in NEDERLANDS:
        tekst = tekst.replace(en, nl)
    return tekst


def regels(rapport_breuken: Mapping[str, Mapping[str, Any]]
           ) -> list[tuple[str, str, str]]:
    """One line per criterium and kind of finding (or clause) that breaks at some size:
    (criterium, kind, the closed form worded with a counterexample per part), as text and the
    reports show it."""
    uit = []
    for cid, per in rapport_breuken.items():
        if not per.get("bewezen"):
            uit.append((cid, "", f"sizes not proven for every n: {per.get('reden')}"))
            continue
        for soort in BREUK_SOORTEN:
            b = per[soort]
            if not b["delen"]:
                continue
            voorbeelden = "; ".join(
                f"n={d['tegenvoorbeeld']['grootte']}: {d['tegenvoorbeeld']['voldoende']} "
                f"voldoende, {d['tegenvoorbeeld']['onvoldoende']} onvoldoende, "
                f"{d['tegenvoorbeeld']['niet_beoordeeld']} niet beoordeeld"
                for d in b["delen"])
            uit.append((cid, soort, f"{SOORTEN[soort]} at {b['tekst']} (e.g. {voorbeelden})"))
        for c in per.get("clausules", ()):
            naam = f"clause {c['regel']} ('{c['tekst'] or c['oordeel']}')"
            if c["onbereikbaar"]["delen"]:
                uit.append((cid, "onbereikbaar",
                            f"{naam} never applies at {c['onbereikbaar']['tekst']}"))
            if c["overschaduwd"]["delen"]:
                voorbeelden = "; ".join(
                    f"n={d['tegenvoorbeeld']['grootte']}: {d['tegenvoorbeeld']['voldoende']} "
                    f"voldoende, {d['tegenvoorbeeld']['onvoldoende']} onvoldoende, "
                    f"{d['tegenvoorbeeld']['niet_beoordeeld']} niet beoordeeld"
                    for d in c["overschaduwd"]["delen"])
                uit.append((cid, "overschaduwd", f"{naam} never decides at "
                            f"{c['overschaduwd']['tekst']} (it applies only where another "
                            f"clause applies too, e.g. {voorbeelden})"))
    return uit


def kanoniek(lid: Callable[[int], bool], grens: int,
              periode: int) -> tuple[Callable[[int], bool], int, int]:
    """The least period and the least start from which the set repeats with it, given that it
    repeats with ``periode`` from ``grens``: the same set always gets the same words, whichever
    formula z3 gave for it."""
    waarden = [lid(m) for m in range(grens + periode)]

    def waarde(m: int) -> bool:
        return waarden[m] if m < len(waarden) else waarden[grens + (m - grens) % periode]

    p = min(d for d in range(1, periode + 1) if periode % d == 0 and all(
        waarde(m) == waarde(m + d) for m in range(grens, grens + periode)))
    vanaf = grens
    while vanaf > 0 and waarde(vanaf - 1) == waarde(vanaf - 1 + p):
        vanaf -= 1
    return waarde, vanaf, p


def kortste(lid: Callable[[int], bool], grens: int, periode: int) -> list[tuple[int, int | None,
                                                                               int]]:
    """The fewest parts for the set: a set that repeats with ``periode`` repeats with each of its
    multiples too, and "every odd n ≥ 51" may need period 2 where z3's formula has period 1."""
    bekend: dict[int, bool] = {}

    def onthoud(m: int) -> bool:
        if m not in bekend:
            bekend[m] = lid(m)
        return bekend[m]

    delen = delen_van(onthoud, grens, periode)
    if len(delen) <= 3:
        return delen
    return min([delen, *(delen_van(onthoud, grens, periode * k) for k in (2, 3, 4, 6)
                         if grens + periode * k <= MAX_GRENS)], key=len)


def delen_van(lid: Callable[[int], bool], grens: int, periode: int) -> list[tuple[int, int | None,
                                                                            int]]:
    """The set {n : lid(n)} as parts, given that it repeats with ``periode`` from ``grens``."""
    eind = grens + periode
    klassen = [r for r in range(periode) if lid(grens + r)]
    begin: dict[int, int] = {}
    for r in klassen:
        m = grens + r
        while m - periode >= 0 and lid(m - periode):
            m -= periode
        begin[(grens + r) % periode] = m
    vanaf = None
    if len(klassen) == periode:
        vanaf = grens
        while vanaf > 0 and lid(vanaf - 1):
            vanaf -= 1
    delen: list[tuple[int, int | None, int]] = []
    if vanaf is not None:
        delen.append((vanaf, None, 1))
        # a class with a single size below vanaf is listed as that size
        klassen_los = {r: b for r, b in begin.items() if b + periode < vanaf}
        if periode == 1:
            klassen_los = {}
    else:
        klassen_los = begin
    for b in sorted(klassen_los.values()):
        delen.append((b, None, periode))

    def gedekt(n: int) -> bool:
        return any(n >= v and (n - v) % st == 0 for v, _, st in delen)

    if vanaf is not None:  # "every odd n ≥ 51" leading into "every n ≥ 101", at any period
        reeksen = []
        for stap in range(2, 7):
            for m in range(max(vanaf - stap, 0), vanaf):
                laag = m
                while lid(m) and laag - stap >= 0 and lid(laag - stap):
                    laag -= stap
                if m - laag >= 2 * stap:
                    reeksen.append((laag, stap, m))
        for laag, stap, m in sorted(reeksen):  # the longest first
            if not gedekt(m):
                delen.append((laag, None, stap))
    losse = [n for n in range(eind) if lid(n) and not gedekt(n)]
    for _, groep in groepen(losse):
        delen.append((groep[0], groep[-1], 1))
    return sorted(_reeksen(delen), key=lambda d: (d[0], d[1] is None))


def _reeksen(delen: list[tuple[int, int | None, int]]) -> list[tuple[int, int | None, int]]:
    """Single sizes that follow each other at one step, four or more of them, as one part
    ("every n from 256 to 994 with n mod 6 = 4"): a decimal percentage leaves such rows."""
    los = sorted(v for v, t, st in delen if t == v)
    if len(los) < 4:
        return delen
    over = set(los)
    uit = [d for d in delen if d[1] != d[0]]
    for n in los:
        if n not in over:
            continue
        beste = (n, 1)
        for m in los[los.index(n) + 1:los.index(n) + 8]:
            stap, laatste = m - n, n
            while laatste + stap in over:
                laatste += stap
            if m in over and (laatste - n) // stap + 1 > (beste[0] - n) // beste[1] + 1:
                beste = (laatste, stap)
        laatste, stap = beste
        if (laatste - n) // stap + 1 >= 4:
            over.difference_update(range(n, laatste + 1, stap))
            uit.append((n, laatste, stap))
        else:
            over.discard(n)
            uit.append((n, n, 1))
    return uit


def groepen(ns: Sequence[int]) -> list[tuple[int, list[int]]]:
    uit: list[tuple[int, list[int]]] = []
    for n in ns:
        if uit and uit[-1][1][-1] == n - 1:
            uit[-1][1].append(n)
        else:
            uit.append((n, [n]))
    return uit
