"""The sizes at which a rule breaks, computed exactly with integers and a proven period.

z3's quantifier elimination (``kaderwerk.domain.breuken``) is fast for small coefficients but
not for a percentage with a decimal: 33.3% is ``1000 v >= 333 m``, and eliminating the counts
from such formulas often runs past the time limit. For a rule whose conditions read only
voldoende ``v``, onvoldoende ``m - v`` and beoordeeld ``m`` (every ``percentage`` rule, and an
``aantal`` rule without niet_beoordeeld or totaal), this module computes the break set without
eliminating anything:

- With ``m`` fixed, each inequality ``a v + c m >= d`` holds for v on one side of an integer
  endpoint ``e(m)``, a rounded ``(d - c m) / a``. The integers 0..m fall into segments between
  the endpoints (and each endpoint minus one, for the pair v, v + 1 that monotonicity compares);
  on a segment every clause holds or fails throughout, so one v per segment decides what breaks
  at m: a handful of comparisons per size, in exact integer arithmetic.
- Endpoints with different slopes ``-c / a`` drift apart linearly: past a size ``T`` computed
  from the coefficients they are more than four apart and keep their order. Endpoints with the
  same slope move in step: each moves by exactly ``-c L / a`` when m grows by ``L``, the lcm of
  the ``a``. So from ``T`` on, the segments at ``m + L`` are those at ``m`` shifted, and what
  breaks repeats with period ``L`` (for 33.3% and 66.7%: ``L`` = 1000). The set is evaluated
  size by size up to ``T + L`` and repeats from there: exact, not sampled.

Verwachtingen that may be niet beoordeeld only lower ``m``: a size n then breaks when some
``m <= n`` does. The tests hold the result against the count-state proof at every small size
and against z3's closed forms (tests/test_perioden.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.breuktekst import kanoniek, kortste
from kaderwerk.domain.errors import KaderwerkError
from kaderwerk.domain.gevallen import ruimste_feiten
from kaderwerk.domain.model import Plafond
from kaderwerk.domain.symbolisch import na_plafonds, vertrouwd

NAMEN = frozenset({"voldoende", "onvoldoende", "beoordeeld"})
"""The counts a rule may read to be computed here (not niet_beoordeeld, not totaal)."""

MAX_STAPPEN = 200_000
"""Most sizes evaluated one by one (``T + L``); past it the rule goes to z3's elimination."""

Lijn = tuple[int, int, int]
"""An inequality ``a v + c m >= d`` over voldoende v and beoordeeld m."""


class TeLang(Exception):
    """The period and the size from which it holds are past ``MAX_STAPPEN``."""


def lijnen(regel: Beslisregel) -> list[list[Lijn]] | None:
    """Each clause's conditions as ``(a, c, d)``, or None when a condition reads another count."""
    voorwaarden = regel.voorwaarden()
    if voorwaarden is None:
        return None
    uit: list[list[Lijn]] = []
    for clausule in voorwaarden:
        rij = []
        for o in clausule:
            f = dict.fromkeys(NAMEN, 0)
            for naam, factor in o.termen:
                if naam not in NAMEN:
                    return None
                f[naam] += factor
            rij.append((f["voldoende"] - f["onvoldoende"], f["onvoldoende"] + f["beoordeeld"],
                        o.minimum))
        uit.append(rij)
    return uit


def _eind(lijn: Lijn, m: int) -> int | None:
    """The first v at which the inequality's truth differs from its truth at v - 1."""
    a, c, d = lijn
    if a > 0:
        return -((c * m - d) // a)  # ceil((d - c m) / a): holds from here
    if a < 0:
        return (d - c * m) // a + 1  # floor(...) + 1: fails from here
    return None


class Reeks:
    """What breaks at each beoordeeld count m, for one rule with its plafonds."""

    def __init__(self, regel: Beslisregel, plafonds: Sequence[Plafond],
                 clausules: list[list[Lijn]]) -> None:
        self.regel, self.clausules = regel, clausules
        schaal = regel.schaal
        self.eind = [{i: na_plafonds(regel, plafonds, c.oordeel, f)
                      for i, c in enumerate(regel.clausules) if c.oordeel in schaal}
                     for f in ruimste_feiten(plafonds, schaal)]
        self.grens, self.periode = self._grens()
        self._cache: list[tuple[frozenset[str], frozenset[int], frozenset[int]]] = []

    def _grens(self) -> tuple[int, int]:
        """T and L: from size T on, what breaks at m + L is what breaks at m."""
        alle = [lijn for c in self.clausules for lijn in c]
        periode = 1
        for a, _, _ in alle:
            if a:
                periode = math.lcm(periode, abs(a))
        # each endpoint as slope * m + offset, within 1; 0 and m + 1 bound the segments
        punten = {(Fraction(-c, a), Fraction(d, a)) for a, c, d in alle if a}
        punten |= {(Fraction(0), Fraction(0)), (Fraction(1), Fraction(0)),
                   (Fraction(1), Fraction(1))}
        grens = 0
        for a, c, d in alle:
            if not a and c:  # a condition on m alone is decided past d / c
                grens = max(grens, math.ceil(abs(Fraction(d, c))) + 1)
        lijst = sorted(punten)
        for i, (s1, r1) in enumerate(lijst):
            for s2, r2 in lijst[i + 1:]:
                if s1 != s2:
                    grens = max(grens, math.ceil((abs(r1 - r2) + 6) / abs(s1 - s2)))
        if grens + periode > MAX_STAPPEN:
            raise TeLang(f"its conditions repeat every {periode:,} sizes only from about "
                         f"n = {grens:,}: past the {MAX_STAPPEN:,} sizes computed one by one")
        return grens, periode

    def bij(self, m: int) -> tuple[frozenset[str], frozenset[int], frozenset[int]]:
        """At beoordeeld m: the kinds of finding, the clauses that apply at some v, the clauses
        that decide at some v."""
        if m >= self.grens + self.periode:
            m = self.grens + (m - self.grens) % self.periode
        while len(self._cache) <= m:
            self._cache.append(self._bereken(len(self._cache)))
        return self._cache[m]

    def _bereken(self, m: int) -> tuple[frozenset[str], frozenset[int], frozenset[int]]:
        regel = self.regel
        if m == 0:
            z = regel.zonder_beoordeling
            soort = "niet_uitputtend" if z is None else (
                None if z in regel.schaal else "buiten_schaal")
            return frozenset({soort} if soort else ()), frozenset(), frozenset()
        punten = {0, m, m + 1}
        for c in self.clausules:
            for lijn in c:
                e = _eind(lijn, m)
                if e is not None:
                    punten.update(p for p in (e - 1, e) if 0 <= p <= m)
        soorten: set[str] = set()
        past: set[int] = set()
        beslist: set[int] = set()
        vorige: tuple[int, int | None] = (-2, None)
        for v in sorted(punten - {m + 1}):
            besluit = self._besluit(m, v, soorten, past, beslist)
            # v, v + 1 both points: a truth may change between them; a pair with v + 1 not a
            # point lies inside a segment, where both are decided alike (never worse)
            if v == vorige[0] + 1:
                self._monotoon(vorige[1], besluit, soorten)
            vorige = (v, besluit)
        return frozenset(soorten), frozenset(past), frozenset(beslist)

    def _besluit(self, m: int, v: int, soorten: set[str], past: set[int],
                 beslist: set[int]) -> int | None:
        regel = self.regel
        hits = [i for i, c in enumerate(self.clausules)
                if all(a * v + c_ * m >= d for a, c_, d in c)]
        past.update(hits)
        if not hits:
            soorten.add("niet_uitputtend")
            return None
        if regel.hit == "uniek" and len(hits) > 1:
            soorten.add("overlap")
            return None
        i = hits[0]
        beslist.add(i)
        if regel.clausules[i].oordeel not in regel.schaal:
            soorten.add("buiten_schaal")
            return None
        return i

    def _monotoon(self, j: int | None, i: int | None, soorten: set[str]) -> None:
        """j decides at (v, m), i at (v + 1, m): one onvoldoende turned voldoende must not give
        worse."""
        if i is None or j is None:
            return
        schaal = self.regel.schaal
        if any(schaal.slechter(e[i], e[j]) for e in self.eind):
            soorten.add("niet_monotoon")


def reeks_van(regel: Beslisregel, plafonds: Sequence[Plafond]) -> Reeks | None:
    """The exact computation of ``kaderwerk.domain.perioden``, where it applies: a builtin rule
    over voldoende, onvoldoende and beoordeeld only, with a period and start it can reach."""
    if not vertrouwd(regel):
        return None
    clausules = lijnen(regel)
    if clausules is None:
        return None
    try:
        return Reeks(regel, plafonds, clausules)
    except TeLang:
        return None  # z3's elimination may still find it within its time


Delen = list[tuple[int, int | None, int]]


def exact(reeks: Reeks, lid_m: Callable[[int], bool], open_: bool, vanaf: int,
           wat: str) -> Delen:
    """The sizes n >= ``vanaf`` where ``lid_m`` holds at beoordeeld m = n, or with ``open_`` at
    some m <= n, as parts, checked against the set over a whole period past every part."""
    if open_:
        eerste = _eerste(reeks, lid_m, vanaf)
        return _als_delen(lambda n: eerste is not None and n >= eerste,
                          eerste if eerste is not None else vanaf, 1, wat)
    return _als_delen(lambda n: n >= vanaf and lid_m(n), max(reeks.grens, vanaf),
                      reeks.periode, wat)


def exact_clausule(reeks: Reeks, i: int, open_: bool, wat: str) -> tuple[Delen, Delen]:
    """For clause i, the sizes n >= 1 where it never applies, and where it applies but never
    decides."""
    if not open_:
        return (exact(reeks, lambda m: i not in reeks.bij(m)[1], False, 1, wat),
                exact(reeks, lambda m: i in reeks.bij(m)[1] and i not in reeks.bij(m)[2],
                       False, 1, wat))
    past = _eerste(reeks, lambda m: i in reeks.bij(m)[1], 1)
    beslist = _eerste(reeks, lambda m: i in reeks.bij(m)[2], 1)
    oneindig = 1 << 62  # never: the clause applies (decides) at no m
    p, b = past or oneindig, beslist or oneindig
    grens = max([1, *(m for m in (past, beslist) if m is not None)])  # constant from here
    return (_als_delen(lambda n: 1 <= n < p, grens, 1, wat),
            _als_delen(lambda n: p <= n < b, grens, 1, wat))


def _eerste(reeks: Reeks, lid_m: Callable[[int], bool], vanaf: int) -> int | None:
    """The least m >= vanaf where ``lid_m`` holds; None when none does (past ``T + L`` what
    holds repeats, so a first m lies below it or there is none)."""
    return next((m for m in range(vanaf, reeks.grens + reeks.periode + vanaf) if lid_m(m)),
                None)


def _als_delen(lid: Callable[[int], bool], grens: int, periode: int, wat: str) -> Delen:
    """The set as parts, given that it repeats with ``periode`` from ``grens``; the parts are
    checked to say exactly the set (both repeat, so one stretch of their common period past
    every part and ``grens`` decides)."""
    delen = kortste(*kanoniek(lid, grens, periode))
    stap = math.lcm(periode, *(st for _, _, st in delen))
    tot = max([grens, *(t if t is not None else v for v, t, _ in delen)]) + 1
    if any(lid(m) != any(m >= v and (t is None or m <= t) and (m - v) % st == 0
                         for v, t, st in delen) for m in range(tot + stap)):
        raise KaderwerkError(f"the closed form of {wat} disagrees with its sizes")
    return delen
