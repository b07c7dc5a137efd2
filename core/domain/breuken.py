"""The sizes at which a count rule breaks, for every n at once, in closed form (``--sizes all``).

For each kind of finding, ``kaderwerk.domain.symbolisch`` writes "some count state of size n breaks
the rule" as a linear integer formula over the counts and n. z3 eliminates the counts exactly
(quantifier elimination for linear integer arithmetic), leaving a formula F(n) of comparisons
and remainders. Past the largest constant in F every comparison is decided, and the remainders
repeat with the least common multiple of their moduli, so the set {n : F(n)} is a finite part
plus whole residue classes from some size on. This module reads that set off F by evaluating
it up to the point where it repeats, proves with z3 that it does repeat from there on
(no n >= T with F(n) != F(n + p)), states it in words ("2-3 and every n ≥ 6"), proves the
words equal to F (no n where they differ) and solves one counterexample per part.

A rule over voldoende, onvoldoende and beoordeeld only (every percentage rule, decimals
included, where z3's elimination is slow) is not eliminated: ``kaderwerk.domain.perioden``
computes its set exactly with integers and a proven period, and the words and counterexamples
are made from that set the same way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

from kaderwerk.domain._z3_stop import gestopt, stopbaar
from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.breuktekst import (
    BREUK_SOORTEN,
    MAX_GRENS,
    Breuk,
    Deel,
    kanoniek,
    kortste,
)
from kaderwerk.domain.errors import KaderwerkError
from kaderwerk.domain.model import Criterium, Kader, Plafond
from kaderwerk.domain.perioden import exact, exact_clausule, reeks_van
from kaderwerk.domain.symbolisch import (
    Formules,
    bewijs_symbolisch,
    laad_z3,
    regeltype,
    ruimte,
    vertrouwd,
)
from kaderwerk.domain.verify import Bevinding, bewijs, ruimte_van, symbolisch

MAX_QE_MS = 3000
"""How long z3 may take for the closed forms of one rule, all steps together (eliminating the
counts, proving periodicity and wording); past it the rule is proven size by size only. It is
wall time (z3's deterministic resource limit does not reach its quantifier elimination), so on a
loaded machine a rule near it may fall back; the reason then says which step ran out."""

MAX_QE_EERST_MS = 300
"""How long z3's ``qe`` tactic may try one formula before ``qe2`` takes over."""



class GeenVorm(KaderwerkError):
    """No closed form within the limits: the rule is then proven size by size only."""


def _lees(z3: Any, formule: Any) -> tuple[Callable[[int], Any], int, int]:
    """F as a Python function of n (its only free variable), its largest constant and the lcm
    of its moduli, in one walk over the term."""
    ops: dict[int, Callable[[list[Any]], Any]] = {
        z3.Z3_OP_AND: all, z3.Z3_OP_OR: any, z3.Z3_OP_NOT: lambda a: not a[0],
        z3.Z3_OP_LE: lambda a: a[0] <= a[1], z3.Z3_OP_GE: lambda a: a[0] >= a[1],
        z3.Z3_OP_LT: lambda a: a[0] < a[1], z3.Z3_OP_GT: lambda a: a[0] > a[1],
        z3.Z3_OP_EQ: lambda a: a[0] == a[1], z3.Z3_OP_ADD: sum,
        z3.Z3_OP_SUB: lambda a: a[0] - sum(a[1:]), z3.Z3_OP_UMINUS: lambda a: -a[0],
        z3.Z3_OP_MUL: math.prod, z3.Z3_OP_MOD: lambda a: a[0] % a[1],
        z3.Z3_OP_IDIV: lambda a: a[0] // a[1],
        z3.Z3_OP_ITE: lambda a: a[1] if a[0] else a[2],
        z3.Z3_OP_DISTINCT: lambda a: len(set(a)) == len(a),
    }
    grootste, periode = 0, 1
    gezien: dict[int, Callable[[int], Any]] = {}

    def lees(e: Any) -> Callable[[int], Any]:
        nonlocal grootste, periode
        sleutel = e.get_id()
        if sleutel in gezien:
            return gezien[sleutel]
        if not z3.is_app(e):
            raise GeenVorm("z3 left a quantifier over the counts it could not eliminate")
        k = e.decl().kind()
        if k == z3.Z3_OP_ANUM:
            waarde = e.as_long()
            grootste = max(grootste, abs(waarde))
            uit: Callable[[int], Any] = lambda n: waarde  # noqa: E731
        elif k in (z3.Z3_OP_TRUE, z3.Z3_OP_FALSE):
            waarheid = k == z3.Z3_OP_TRUE
            uit = lambda n: waarheid  # noqa: E731
        elif k == z3.Z3_OP_UNINTERPRETED and e.num_args() == 0:
            uit = lambda n: n  # noqa: E731
        elif k in ops:
            args = [lees(e.arg(i)) for i in range(e.num_args())]
            if k in (z3.Z3_OP_MOD, z3.Z3_OP_IDIV) and e.arg(1).decl().kind() == z3.Z3_OP_ANUM:
                periode = math.lcm(periode, abs(e.arg(1).as_long()))
            op = ops[k]
            uit = lambda n: op([a(n) for a in args])  # noqa: E731
        else:
            raise GeenVorm(f"z3 left a term it could not eliminate ({e.decl().name()})")
        gezien[sleutel] = uit
        return uit

    functie = lees(formule)
    return functie, grootste, periode


class _Klok:
    """The time left for the closed forms of one rule (``MAX_QE_MS`` in all)."""

    def __init__(self) -> None:
        self.eind = time.monotonic() + MAX_QE_MS / 1000
        self.stap = "eliminating the counts"

    def ms(self) -> int:
        over = int((self.eind - time.monotonic()) * 1000)
        if over <= 0:
            raise GeenVorm(f"z3 found no closed form within {MAX_QE_MS / 1000:g} s (it ran out "
                           f"while {self.stap}; a percentage with a decimal, such as 33.3%, "
                           "gives z3 large coefficients, more so when rounded)")
        return over


def _elimineer(z3: Any, n: Any, open_: bool, vorm: Callable[[Any], Any], klok: _Klok) -> Any:
    """F(n): some state s of size n has ``vorm(s)``, with the counts eliminated."""
    s, binnen = ruimte(z3, n, n if open_ else 0)
    doel = z3.Goal()
    doel.add(n >= 0, z3.Exists(list(s), z3.And(binnen, vorm(s))))
    klok.stap = "eliminating the counts"
    # qe gives the simplest formulas when it is quick (Stap 1: "n >= 51 and n odd"), but blows up
    # on some percentages (52%: 7,049 terms in 0.8 s, or a time-out), where qe2 (model-based
    # projection) takes 10 ms; the words do not depend on which one answered (``kanoniek``)
    for tactiek, ms in (("qe", min(klok.ms(), MAX_QE_EERST_MS)), ("qe2", None)):
        try:
            uit = z3.TryFor(z3.Then(tactiek, "simplify"), ms or klok.ms())(doel)
        except z3.Z3Exception:
            continue
        formule = z3.simplify(z3.Or([z3.And([*g]) for g in uit]))
        if not _heeft_kwantor(z3, formule):
            return formule
    klok.eind = 0
    klok.ms()
    raise AssertionError("unreachable: the clock has run out")


def _heeft_kwantor(z3: Any, e: Any) -> bool:
    """A quantifier is left in e (the tactic could not eliminate every count)."""
    gezien: set[int] = set()
    stapel = [e]
    while stapel:
        t = stapel.pop()
        if t.get_id() in gezien:
            continue
        gezien.add(t.get_id())
        if not z3.is_app(t):
            return True
        stapel.extend(t.children())
    return False


def _sluit(z3: Any, n: Any, formule: Any, wat: str,
           klok: _Klok) -> list[tuple[int, int | None, int]]:
    """The set {n >= 0 : F(n)} as parts, proven periodic past its constants and equal to F."""
    lid, grootste, periode = _lees(z3, formule)
    grens = grootste + 1
    geprobeerd = None
    while grens + periode <= MAX_GRENS:
        klok.stap = f"proving that the sizes of {wat} repeat from n = {grens:,}"
        if _onwaar(z3, klok, n >= grens, formule != z3.substitute(formule, (n, n + periode))):
            delen = kortste(*kanoniek(lambda m: bool(lid(m)), grens, periode))
            klok.stap = f"proving the words for the sizes of {wat}"
            if not _onwaar(z3, klok, n >= 0, _woorden(z3, n, delen) != formule):
                raise KaderwerkError(f"the closed form of {wat} disagrees with its formula")
            return delen
        geprobeerd = grens
        grens *= 2
    if geprobeerd is not None:
        raise GeenVorm(f"the sizes of {wat} are not proven to repeat every {periode:,} from "
                       f"n = {geprobeerd:,}, and they are read off one by one only up to "
                       f"{MAX_GRENS:,}")
    oorzaak = [f"a number as large as {grootste:,}"] + (
        [f"a period of {periode:,} sizes"] if periode > 1 else [])
    raise GeenVorm(f"the sizes of {wat} depend on {' and '.join(oorzaak)}: past the "
                   f"{MAX_GRENS:,} sizes that are read off one by one")


def _onwaar(z3: Any, klok: _Klok, *feiten: Any) -> bool:
    """z3 proves that the conjunction has no solution (in the time left)."""
    solver = z3.Solver()
    solver.set("timeout", klok.ms())
    solver.add(*feiten)
    uitkomst = solver.check()
    if uitkomst == z3.unknown:
        gestopt(solver.reason_unknown())
        klok.eind = 0
        klok.ms()
    return bool(uitkomst == z3.unsat)


@stopbaar()
def breuken(regel: Beslisregel, plafonds: Sequence[Plafond], vast: int,
            open_: bool, klok: _Klok | None = None) -> dict[str, Breuk]:
    """For each kind of finding, the sizes n (assessed verwachtingen) at which the rule breaks.

    ``vast`` verwachtingen are never assessed; with ``open_`` every assessed one may also be
    niet beoordeeld. Raises ``KaderwerkError`` if a step of the proof does not hold (it
    should not happen: the periodicity and the wording are proven, not assumed).
    """
    z3 = laad_z3()
    klok = klok or _Klok()
    f = Formules(z3, regel, vast)
    n = z3.Int("n")
    reeks = reeks_van(regel, plafonds)
    uit: dict[str, Breuk] = {}
    for soort in BREUK_SOORTEN:
        def vorm(s: Any, soort: str = soort) -> Any:
            return f.breekt(soort, s, plafonds)

        wat = f"'{soort}' of a '{regel.type}' rule"
        if reeks is not None:
            delen = exact(reeks, lambda m, soort=soort: soort in reeks.bij(m)[0], open_, 0, wat)
        else:
            delen = _sluit(z3, n, _elimineer(z3, n, open_, vorm, klok), wat, klok)
        uit[soort] = Breuk(soort, tuple(
            Deel(v, t, st, _voorbeeld(z3, vorm, f.vast, open_, _eigen(delen, i)))
            for i, (v, t, st) in enumerate(delen)))
    return uit


@stopbaar()
def clausules(regel: Beslisregel, vast: int, open_: bool,
              klok: _Klok | None = None) -> list[dict[str, Any]]:
    """Per clause, the sizes n >= 1 at which it never applies, and at which it applies but never
    decides (only together with another under ``uniek``; an earlier one first under
    ``eerste``), for every n, in closed form (as data)."""
    z3 = laad_z3()
    klok = klok or _Klok()
    f = Formules(z3, regel, vast)
    n = z3.Int("n")
    reeks = reeks_van(regel, ())  # which clauses apply or decide does not depend on plafonds
    uit = []
    for i, c in enumerate(regel.clausules):
        def geldt(s: Any, i: int = i) -> Any:
            return z3.And(s[0] + s[1] >= 1, f.geldt(i, s))

        wat = f"clause {i + 1} of a '{regel.type}' rule"
        if reeks is not None:
            nooit, samen = exact_clausule(reeks, i, open_, wat)
        else:
            past = _elimineer(z3, n, open_, geldt, klok)
            beslist = _elimineer(z3, n, open_, lambda s, i=i: f.beslist(i, s), klok)
            # from n = 1: with nothing to assess, no clause applies
            nooit = _sluit(z3, n, z3.simplify(z3.And(n >= 1, z3.Not(past))), wat, klok)
            samen = _sluit(z3, n, z3.simplify(z3.And(n >= 1, past, z3.Not(beslist))), wat,
                           klok)
        uit.append({"regel": i + 1, "oordeel": c.oordeel, "tekst": c.tekst,
                    "onbereikbaar": Breuk("onbereikbaar", tuple(
                        Deel(v, t, st, {"grootte": _eigen(nooit, j)})
                        for j, (v, t, st) in enumerate(nooit))).to_dict(),
                    "overschaduwd": Breuk("overschaduwd", tuple(
                        Deel(v, t, st, _voorbeeld(z3, geldt, vast, open_, _eigen(samen, j)))
                        for j, (v, t, st) in enumerate(samen))).to_dict()})
    return uit


def _eigen(delen: Sequence[tuple[int, int | None, int]], i: int) -> int:
    """The first size of part i that no other part covers (else its first size)."""
    v, t, st = delen[i]
    for m in range(v, v + 4 * st * (len(delen) + 1), st):
        if t is not None and m > t:
            break
        if not any(m >= v2 and (t2 is None or m <= t2) and (m - v2) % st2 == 0
                   for j, (v2, t2, st2) in enumerate(delen) if j != i):
            return m
    return v


def _woorden(z3: Any, n: Any, delen: Sequence[tuple[int, int | None, int]]) -> Any:
    """The parts as a formula in n (what the printed sentence says)."""
    return z3.Or([z3.And(n >= v, *([n <= t] if t is not None else []), (n - v) % st == 0)
                  for v, t, st in delen] or [z3.BoolVal(False)])


def _voorbeeld(z3: Any, vorm: Callable[[Any], Any], vast: int, open_: bool,
               grootte: int) -> dict[str, int]:
    s, binnen = ruimte(z3, grootte, grootte if open_ else 0)
    solver = z3.Solver()
    solver.add(binnen, vorm(s))
    if solver.check() != z3.sat:
        gestopt(solver.reason_unknown())
        raise KaderwerkError(f"no counterexample at size {grootte}")
    m = solver.model()
    v, o, x = (m.eval(e, model_completion=True).as_long() for e in s)
    return {"grootte": grootte, "voldoende": v, "onvoldoende": o, "niet_beoordeeld": x + vast}


def in_reeks(c: Criterium, reeks: range, echt: Sequence[Bevinding],
              methode: str) -> dict[str, list[int]]:
    """Per kind of finding, the sizes in ``reeks`` where the rule breaks (``echt`` at its
    real size); from the closed form when the rule is proven symbolically."""
    ids, vast, open_ids = ruimte_van(c)
    per: dict[str, list[int]] = {}
    vorm: dict[str, Breuk] | None = None
    if symbolisch(c.beslisregel, methode) and vertrouwd(c.beslisregel):
        try:
            vorm = breuken(c.beslisregel, c.plafonds, len(vast), bool(open_ids))
        except GeenVorm:
            vorm = None
    for n in reeks:
        if n == len(ids):
            soorten = {f.soort for f in echt}
        elif vorm is not None:
            soorten = {s for s, b in vorm.items() if b.bevat(n)}
        elif symbolisch(c.beslisregel, methode):
            namen = [f"v{i + 1}" for i in range(n)]
            soorten = {f.soort for f in bewijs_symbolisch(
                c.beslisregel, c.plafonds, namen, vast, criterium=c.id,
                open_ids=namen if open_ids else (), bereikbaarheid=False, max_per_soort=1)}
        else:
            namen = [f"v{i + 1}" for i in range(n)]
            soorten = {f.soort for f in bewijs(c.beslisregel, c.plafonds, namen, vast,
                                               criterium=c.id,
                                               open_ids=namen if open_ids else (),
                                               bereikbaarheid=False, max_per_soort=1)}
        for soort in BREUK_SOORTEN:
            if soort in soorten:
                per.setdefault(soort, []).append(n)
    return per


def alle_groottes(kader: Kader, methode: str = "symbolisch") -> dict[str, dict[str, Any]]:
    """``check --sizes all``: per criterium, per kind of finding, the closed form (as data).

    A handmatig rule breaks at no size (as in ``--sizes A-B``); a rule that is not proven
    symbolically (a rule type without linear ``voorwaarden``, or ``--proof counts``) has no
    closed form and says so.
    """
    uit: dict[str, dict[str, Any]] = {}
    gedaan: dict[tuple, dict[str, Any]] = {}
    for c in kader.criteria:
        if c.beslisregel.handmatig:  # the inspector's oordeel: nothing depends on n
            uit[c.id] = {"bewezen": True, **{s: Breuk(s, ()).to_dict() for s in BREUK_SOORTEN},
                         "clausules": []}
            continue
        if not symbolisch(c.beslisregel, methode):
            uit[c.id] = {"bewezen": False, "reden": (
                f"a '{c.beslisregel.type}' rule has no linear conditions: proven per size only"
                if methode == "symbolisch" else "--proof counts: proven per size only")}
            continue
        if not vertrouwd(c.beslisregel):
            uit[c.id] = {"bewezen": False, "reden": (
                f"{regeltype(c.beslisregel)}: its voorwaarden() are checked against its beslis() "
                "one size at a time only, so no closed form; prove a range of sizes with "
                "--sizes A-B (B at most 500)")}
            continue
        _, vast, open_ids = ruimte_van(c)
        # criteria sharing a thema's rule, plafonds and space share the answer
        r = c.beslisregel
        sleutel = (r.type, r.hit, r.zonder_beoordeling, tuple(r.schaal), r.voorwaarden(),
                   tuple((k.oordeel, k.tekst) for k in r.clausules), c.plafonds, len(vast),
                   bool(open_ids))
        if sleutel not in gedaan:
            try:
                klok = _Klok()
                per = breuken(c.beslisregel, c.plafonds, len(vast), bool(open_ids), klok)
                gedaan[sleutel] = {"bewezen": True} | {s: b.to_dict() for s, b in per.items()} | {
                    "clausules": clausules(c.beslisregel, len(vast), bool(open_ids), klok)}
            except GeenVorm as exc:
                gedaan[sleutel] = {"bewezen": False, "reden": f"{exc}; prove a range of sizes "
                                   "with --sizes A-B (B at most 500)"}
        uit[c.id] = gedaan[sleutel]
    return uit
