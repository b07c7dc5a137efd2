"""The input cases of a proof and how many there are, before any is tried.

A rule that depends only on counts is proven over count states (voldoende, onvoldoende, niet
beoordeeld: O(n^2) of them, not 3^n vectors); any other rule over every score vector, up to
``MAX_ENUMERATE`` verwachtingen; a handmatig rule over its oordeelschaal. Plafonds add one
fact combination, the least capping (``ruimste_feiten``), not every one: a proof costs the
same with 2 or 20 feiten. ``kaderwerk.domain.verify`` proves a rule over these cases
and bounds a check by their number; ``kaderwerk.commands.diff`` compares two rules over them.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Sequence
from typing import Any

import attrs
from kaderwerk.domain.beslisregel import Beslisregel, Handmatig, Invoer, Telling
from kaderwerk.domain.model import Oordeelschaal, Plafond, Score

MAX_ENUMERATE = 16
"""Largest criterium a non-count rule is enumerated for (3^16 vectors would be too many)."""

GEWICHT_VECTOR = 4
"""A score vector counts as this many cases: it holds every score (measured: ~4x the time and
memory of a count state at 12 verwachtingen)."""

MAX_GETELD = 50_000
"""Count states times clauses up to which ``check`` proves a builtin
count rule by walking its count states instead of calling z3: the same findings, found faster
(3 verwachtingen and 1,000 clauses: 1 s instead of 40)."""

MAX_Z3_CLAUSULES = 250
"""Most clauses of a rule given to z3: its formulas are linear in the clauses but each clause's
reachability is a query over all of them (250 clauses: 4.5 s; 1,000: 39 s). A rule with more
is walked state by state, each state counting once per clause towards ``MAX_GEVALLEN``."""


@attrs.frozen
class Geval:
    """One input case of a proof: the telling, the scores (for vectors), the handmatig oordeel."""

    telling: Telling
    scores: tuple[tuple[str, Score], ...] | None = None
    handmatig: str | None = None

    def beschrijf(self) -> dict[str, Any]:
        d: dict[str, Any] = {"voldoende": self.telling.voldoende,
                             "onvoldoende": self.telling.onvoldoende,
                             "niet_beoordeeld": self.telling.niet_beoordeeld}
        if self.scores is not None:
            d["scores"] = {k: str(v) for k, v in self.scores}
        if self.handmatig is not None:
            d["handmatig"] = self.handmatig
        return d

    def invoer(self) -> Invoer:
        """The case as a beslisregel's input."""
        h = None if self.handmatig is None else Handmatig(self.handmatig)
        return Invoer(self.telling, self.scores, h)

    def tekst(self) -> str:
        if self.handmatig is not None:
            return f"handmatig oordeel {self.handmatig}"
        base = str(self.telling)
        if self.scores is not None:
            base += " (" + ", ".join(f"{k}={v}" for k, v in self.scores) + ")"
        return base


def telling_gevallen(n: int, vast_nb: int = 0, met_nb: bool = False,
                     open_n: int = 0) -> Iterator[Geval]:
    """All count combinations of ``n`` assessed verwachtingen (plus fixed niet beoordeeld).

    Up to ``open_n`` of them may be niet beoordeeld (all ``n`` with ``met_nb``).
    """
    for extra_nb in range((n if met_nb else min(open_n, n)) + 1):
        m = n - extra_nb
        for v in range(m + 1):
            yield Geval(Telling(v, m - v, vast_nb + extra_nb))


def vector_gevallen(ids: Sequence[str], vast: Sequence[str] = (), met_nb: bool = False,
                    open_ids: Collection[str] = ()) -> Iterator[Geval]:
    """All score vectors over ``ids``: V/O, and NB for ``open_ids`` (every id with ``met_nb``).

    ``vast`` ids (not assessed) are niet beoordeeld.
    """
    twee = (Score.VOLDOENDE, Score.ONVOLDOENDE)
    drie = (*twee, Score.NIET_BEOORDEELD)
    keuzes = [drie if met_nb or i in open_ids else twee for i in ids]
    for combo in itertools.product(*keuzes):
        scores = tuple(zip(ids, combo, strict=True)) + tuple(
            (v, Score.NIET_BEOORDEELD) for v in vast)
        yield Geval(Telling.van_scores(s for _, s in scores), scores)


def feit_waarden(plafonds: Sequence[Plafond]) -> list[dict[str, Any]]:
    """Every combination of the facts the plafonds read: with and without each plafond value."""
    per_feit: dict[str, list[Any]] = {}
    for p in plafonds:
        per_feit.setdefault(p.feit, [None])
        if p.waarde not in per_feit[p.feit]:
            per_feit[p.feit].append(p.waarde)
    names = sorted(per_feit)
    return [dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(per_feit[n] for n in names))] or [{}]


def ruimste_feiten(plafonds: Sequence[Plafond], schaal: Oordeelschaal) -> list[dict[str, Any]]:
    """The one fact combination under which a rule is least capped, as a list.

    Caps only ever make an oordeel worse, up to the plafond's ``max``: with cap c, the pair
    (slechter, beter) gives a worse oordeel for beter when ``rang(beter) > rang(slechter)`` and
    ``rang(beter) > c``. So a rule is monotone under every combination exactly when it is under
    the one with the smallest cap: per fact, the value whose plafonds cap least (no plafond:
    nothing capped). The proofs of monotonicity try that one combination, not 2^feiten.
    """
    kap: dict[str, dict[Any, int]] = {}
    for p in plafonds:
        per = kap.setdefault(p.feit, {None: -1})
        per.setdefault(p.waarde, -1)
    for p in plafonds:
        kap[p.feit][p.waarde] = max(kap[p.feit][p.waarde], schaal.rang(p.max))
    # the smallest cap per fact; of equal ones the first (None: no fact given) is kept
    return [{feit: min(per, key=lambda w: per[w]) for feit, per in sorted(kap.items())}]


def monotone_paren(gevallen: Sequence[Geval]) -> Iterator[tuple[Geval, Geval]]:
    """Pairs (a, b) where b has one onvoldoende turned into voldoende (or a better handmatig)."""
    if gevallen and gevallen[0].handmatig is not None:
        for a, b in itertools.pairwise(gevallen):
            yield b, a
        return
    if gevallen and gevallen[0].scores is not None:
        index = {g.scores: g for g in gevallen}
        for g in gevallen:
            assert g.scores is not None
            for i, (vid, s) in enumerate(g.scores):
                if s is Score.ONVOLDOENDE:
                    better = (*g.scores[:i], (vid, Score.VOLDOENDE), *g.scores[i + 1:])
                    if better in index:
                        yield g, index[better]
        return
    index2 = {(g.telling.voldoende, g.telling.onvoldoende, g.telling.niet_beoordeeld): g
              for g in gevallen}
    for (v, o, nb), g in index2.items():
        if o > 0 and (v + 1, o - 1, nb) in index2:
            yield g, index2[(v + 1, o - 1, nb)]


def aantal_gevallen(regel: Beslisregel, n: int, open_n: int) -> int:
    """How many cases ``gevallen_voor`` yields for ``n`` assessed, ``open_n`` of them open."""
    if regel.handmatig:
        return len(regel.schaal)
    k = min(open_n, n)
    if regel.telt_alleen:
        return (k + 1) * (n + 1) - k * (k + 1) // 2
    if n > MAX_ENUMERATE:
        return 0
    return 2 ** (n - k) * 3 ** k


def gevallen_voor(regel: Beslisregel, ids: Sequence[str], vast: Sequence[str],
                  met_nb: bool = False, open_ids: Collection[str] = ()) -> list[Geval] | None:
    """The cases to try for a rule over these verwachtingen; None when too many."""
    if regel.handmatig:
        return [Geval(Telling(0, 0, 0), None, o) for o in regel.schaal]
    if regel.telt_alleen:
        open_n = len(ids) if met_nb else len(set(ids) & set(open_ids))
        return list(telling_gevallen(len(ids), len(vast), open_n=open_n))
    if len(ids) > MAX_ENUMERATE:
        return None
    return list(vector_gevallen(ids, vast, met_nb, open_ids))


def goedkoop_geteld(regel: Beslisregel, plafonds: Sequence[Plafond], n: int,
                    open_n: int) -> bool:
    """Whether the count proof of a builtin count rule is cheaper than z3's: its cost is the
    count states times the clauses, exact and fast while that
    stays under ``MAX_GETELD`` (z3's cost grows with the clauses, not with n)."""
    from kaderwerk.domain.symbolisch import vertrouwd

    if not (regel.telt_alleen and vertrouwd(regel)):
        return False
    if len(regel.clausules) > MAX_Z3_CLAUSULES:
        return True  # bounded by MAX_GEVALLEN instead (``gewicht``)
    return aantal_gevallen(regel, n, open_n) * max(1, len(regel.clausules)) <= MAX_GETELD
