"""Symbolic proofs of count rules with the z3 SMT solver, for one size and for every size at once.

The count-state proof in ``kaderwerk.domain.verify`` walks every count state: O(n^2) of them when
assessed verwachtingen may be niet beoordeeld. A rule whose clauses are linear in the counts
(``Beslisregel.voorwaarden``) is instead written as linear integer constraints over voldoende
``v``, onvoldoende ``o`` and extra niet beoordeeld ``x`` (``v + o + x = n``), and the solver
is asked for the states that break it: a gap, an overlap, a step that is not monotone, a clause
that never decides. Only the states it finds are then run through ``verify.bewijs``, the
engine-backed proof, so every finding and its wording is the count-state proof's own.

``kaderwerk.domain.breuken`` uses the same formulas with the size n a variable (``check --sizes
all``). z3 is imported only when a proof runs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import attrs
from kaderwerk.domain._z3_stop import gestopt, stopbaar, zonder_eigen_handler
from kaderwerk.domain.beslisregel import Beslisregel, Invoer, Ongelijkheid, Telling
from kaderwerk.domain.errors import KaderwerkError, PluginFailed
from kaderwerk.domain.gevallen import Geval, ruimste_feiten
from kaderwerk.domain.model import Plafond
from kaderwerk.domain.scorevector import Ruimte, met_vector
from kaderwerk.domain.tekst import een_regel
from kaderwerk.domain.verify import MAX_VOORBEELDEN, Bevinding, bewijs

BUILTIN = "kaderwerk.plugins.regels"
"""The module of the rule types whose ``voorwaarden`` are trusted for every size: tests prove
them equal to their ``beslis`` by property (tests/test_symbolisch.py)."""

NAMEN = frozenset({"voldoende", "onvoldoende", "niet_beoordeeld", "beoordeeld", "totaal"})


def ondersteund(regel: Beslisregel) -> bool:
    """True when the rule can be proven symbolically: linear conditions over the counts."""
    return regel.telt_alleen and not regel.handmatig and voorwaarden_van(regel) is not None


def vertrouwd(regel: Beslisregel) -> bool:
    """True for a builtin rule type. A plugin's ``voorwaarden`` are a promise z3 cannot check:
    they are compared with its ``beslis`` at every count state of the size proven."""
    return type(regel).__module__ == BUILTIN


def _plugin(regel: Beslisregel) -> str:
    return getattr(type(regel), "plugin_naam", None) or type(regel).__module__


def _hook(regel: Beslisregel) -> str:
    """Where a failure of ``voorwaarden`` is, for ``PluginFailed``, which names the plugin."""
    return f"voorwaarden of rule type '{een_regel(regel.type, 60)}'"


def regeltype(regel: Beslisregel) -> str:
    """The rule type and the plugin that registered it (else its module), for errors."""
    plugin = getattr(type(regel), "plugin_naam", None) or type(regel).__module__
    return f"rule type '{regel.type}' (plugin {plugin})"


def _ongelijkheid_ok(o: object) -> bool:
    return isinstance(o, Ongelijkheid) and isinstance(o.termen, tuple) and all(
        isinstance(t, tuple) and len(t) == 2 and t[0] in NAMEN and type(t[1]) is int
        for t in o.termen) and type(o.minimum) is int


def voorwaarden_van(regel: Beslisregel) -> tuple[tuple[Ongelijkheid, ...], ...] | None:
    """``regel.voorwaarden()``, checked for shape before z3 sees it; a failure names the plugin."""
    try:
        voorwaarden = regel.voorwaarden()
    except PluginFailed:
        raise
    except Exception as exc:
        raise PluginFailed(_plugin(regel), _hook(regel), exc) from exc
    if voorwaarden is None:
        return None
    if not (isinstance(voorwaarden, tuple) and len(voorwaarden) == len(regel.clausules)
            and all(isinstance(c, tuple) and all(_ongelijkheid_ok(o) for o in c)
                    for c in voorwaarden)):
        raise PluginFailed(_plugin(regel), _hook(regel),
            f"voorwaarden() must return None or a tuple with one tuple of "
            f"Ongelijkheid per clause ({len(regel.clausules)}), each with termen a tuple of "
            f"(count, integer factor) over {', '.join(sorted(NAMEN))} and an integer minimum; "
            f"it returned {een_regel(voorwaarden, 200, als_repr=True)}")
    return voorwaarden


def toets_voorwaarden(regel: Beslisregel, n: int, open_n: int, vast: int) -> None:
    """A plugin rule type's ``voorwaarden`` give the oordeel its ``beslis`` gives, at every
    count state of size n (the states the count proof walks); else an error naming it."""
    voorwaarden = voorwaarden_van(regel)
    assert voorwaarden is not None
    for x in range(open_n + 1):
        for v in range(n - x + 1):
            t = Telling(v, n - x - v, vast + x)
            if t.beoordeeld == 0:
                verwacht: tuple[str | None, int | None] = (regel.zonder_beoordeling, None)
            else:
                hits = [i for i, c in enumerate(voorwaarden) if all(o.geldt(t) for o in c)]
                if not hits or (regel.hit == "uniek" and len(hits) > 1):
                    verwacht = (None, None)
                else:
                    verwacht = (regel.clausules[hits[0]].oordeel, hits[0])
            try:
                b = regel.beslis(Invoer(t))
            except PluginFailed:
                raise
            except Exception as exc:
                raise PluginFailed(_plugin(regel), f"beslis of rule type '{regel.type}' at {t}",
                                   exc) from exc
            gekregen = (b.oordeel, b.clausule if t.beoordeeld else None)
            if gekregen != verwacht:
                raise PluginFailed(_plugin(regel), _hook(regel),
                    f"its voorwaarden() give {_uitkomst(verwacht)} at "
                    f"{v} voldoende, {n - x - v} onvoldoende, {vast + x} niet beoordeeld, but "
                    f"its beslis() gives {_uitkomst(gekregen)}; fix the rule type, or return "
                    "None from voorwaarden() to be proven by enumeration")


def _uitkomst(u: tuple[str | None, int | None]) -> str:
    oordeel, i = u
    if oordeel is None:
        return "no oordeel"
    return f"'{oordeel}'" + ("" if i is None else f" (clause {i + 1})")


class Formules:
    """The z3 formulas of one rule over one state (v, o, x) with ``vast`` fixed niet beoordeeld."""

    def __init__(self, z3: Any, regel: Beslisregel, vast: int) -> None:
        self.z3, self.regel, self.vast = z3, regel, vast
        voorwaarden = voorwaarden_van(regel)
        if voorwaarden is None:
            raise PluginFailed(_plugin(regel), _hook(regel), "voorwaarden() returned None")
        self.voorwaarden = voorwaarden
        self._cache: dict[tuple, Any] = {}
        self._beter: dict[int, tuple[Any, Any, Any]] = {}

    def tellingen(self, v: Any, o: Any, x: Any) -> dict[str, Any]:
        return {"voldoende": v, "onvoldoende": o, "niet_beoordeeld": x + self.vast,
                "beoordeeld": v + o, "totaal": v + o + x + self.vast}

    def _ongelijkheid(self, o: Ongelijkheid, tel: Mapping[str, Any]) -> Any:
        return self.z3.Sum([f * tel[naam] for naam, f in o.termen] or [self.z3.IntVal(0)]) \
            >= o.minimum

    def geldt(self, i: int, s: tuple[Any, Any, Any]) -> Any:
        """Clause i's conditions hold at state s (its hit policy aside)."""
        key = (i, *map(id, s))
        if key not in self._cache:
            tel = self.tellingen(*s)
            self._cache[key] = (self.z3.And([self._ongelijkheid(o, tel)
                                             for o in self.voorwaarden[i]]), s)
        return self._cache[key][0]

    def _gedeeld(self, sleutel: tuple[Any, ...], s: tuple[Any, Any, Any],
                 maak: Callable[[], Any]) -> Any:
        """A formula over s built once: the clauses' formulas are shared, so each kind of
        finding is linear in the number of clauses, not quadratic or cubic."""
        key = (*sleutel, *map(id, s))
        if key not in self._cache:
            self._cache[key] = (maak(), s)
        return self._cache[key][0]

    def _aantal(self, s: tuple[Any, Any, Any]) -> Any:
        """How many clauses hold at s."""
        z3 = self.z3
        return self._gedeeld(("aantal",), s, lambda: z3.Sum(
            [z3.If(self.geldt(i, s), 1, 0) for i in range(len(self.voorwaarden))]
            or [z3.IntVal(0)]))

    def _eerder(self, i: int, s: tuple[Any, Any, Any]) -> Any:
        """Some clause before clause i holds at s."""
        z3 = self.z3
        if i == 0:
            return z3.BoolVal(False)
        return self._gedeeld(("eerder", i), s, lambda: z3.Or(self._eerder(i - 1, s),
                                                             self.geldt(i - 1, s)))

    def beslist(self, i: int, s: tuple[Any, Any, Any]) -> Any:
        """Clause i gives the oordeel at state s (something is assessed)."""
        z3 = self.z3

        def maak() -> Any:
            alleen = (self._aantal(s) == 1 if self.regel.hit == "uniek"
                      else z3.Not(self._eerder(i, s)))
            return z3.And(s[0] + s[1] >= 1, self.geldt(i, s), alleen)

        return self._gedeeld(("beslist", i), s, maak)

    def gat(self, s: tuple[Any, Any, Any]) -> Any:
        return self.z3.And(s[0] + s[1] >= 1,
                           *[self.z3.Not(self.geldt(i, s)) for i in range(len(self.voorwaarden))])

    def overlap(self, s: tuple[Any, Any, Any]) -> Any:
        z3, k = self.z3, len(self.voorwaarden)
        if self.regel.hit != "uniek" or k < 2:
            return z3.BoolVal(False)
        return z3.And(s[0] + s[1] >= 1, self._aantal(s) >= 2)

    def buiten(self, s: tuple[Any, Any, Any]) -> Any:
        schaal = self.regel.schaal
        return self.z3.Or([self.beslist(i, s) for i, c in enumerate(self.regel.clausules)
                           if c.oordeel not in schaal] or [self.z3.BoolVal(False)])

    def zonder(self) -> str | None:
        """The kind of finding when nothing is assessed, if any."""
        z = self.regel.zonder_beoordeling
        if z is None:
            return "niet_uitputtend"
        return None if z in self.regel.schaal else "buiten_schaal"

    def niet_monotoon(self, s: tuple[Any, Any, Any], feiten: Mapping[str, Any],
                      plafonds: Sequence[Plafond]) -> Any:
        """At s, one onvoldoende turned voldoende gives a worse oordeel (with these feiten)."""
        z3, regel = self.z3, self.regel
        schaal = regel.schaal
        eind = {i: na_plafonds(regel, plafonds, c.oordeel, feiten)
                for i, c in enumerate(regel.clausules) if c.oordeel in schaal}
        if id(s) not in self._beter:
            self._beter[id(s)] = (s[0] + 1, s[1] - 1, s[2])
        beter = self._beter[id(s)]
        rangen = sorted({schaal.rang(o) for o in eind.values()})
        if len(rangen) < 2:  # every clause ends in the same oordeel: none can be worse
            return z3.BoolVal(False)

        def rang(t: tuple[Any, Any, Any]) -> tuple[Any, Any]:
            """Whether a clause of the scale decides at t, and the rank of its capped oordeel
            (at most one clause decides, so the sum is that clause's rank)."""
            return (z3.Or([self.beslist(i, t) for i in eind]),
                    z3.Sum([z3.If(self.beslist(i, t), schaal.rang(o), 0)
                            for i, o in eind.items()]))

        (b_beslist, b_rang), (s_beslist, s_rang) = rang(beter), rang(s)
        return z3.And(s[1] >= 1, b_beslist, s_beslist, b_rang > s_rang)

    def breekt(self, soort: str, s: tuple[Any, Any, Any],
               plafonds: Sequence[Plafond]) -> Any:
        """The state s shows a finding of this kind (for ``--sizes``)."""
        z3 = self.z3
        if soort == "niet_monotoon":
            return z3.Or([self.niet_monotoon(s, f, plafonds)
                          for f in ruimste_feiten(plafonds, self.regel.schaal)])
        vorm = {"niet_uitputtend": self.gat, "overlap": self.overlap,
                "buiten_schaal": self.buiten}[soort](s)
        if self.zonder() == soort:
            vorm = z3.Or(vorm, s[0] + s[1] == 0)
        return vorm


def na_plafonds(regel: Beslisregel, plafonds: Sequence[Plafond], oordeel: str,
             feiten: Mapping[str, Any]) -> str:
    """The oordeel after the plafonds that hold for these feiten, as ``engine.beslis`` caps."""
    for p in plafonds:
        if p.geldt(feiten):
            oordeel = regel.schaal.begrens(oordeel, p.max)
    return oordeel


def laad_z3() -> Any:
    """The z3 module, imported on first use (``kaderwerk --help`` must not pay for it)."""
    try:
        import z3
    except ImportError as exc:
        raise KaderwerkError(f"the symbolic proof needs z3-solver ({exc}): install it with "
                             "'pip install z3-solver', or prove by enumeration with "
                             "'check --proof counts'") from None
    zonder_eigen_handler(z3)
    return z3


def ruimte(z3: Any, n: Any, open_n: Any) -> tuple[tuple[Any, Any, Any], Any]:
    """The state (v, o, x) of size n with at most open_n extra niet beoordeeld, and its bounds."""
    v, o, x = z3.Ints("v o x")
    return (v, o, x), z3.And(v >= 0, o >= 0, x >= 0, x <= open_n, v + o + x == n)


def _modellen(z3: Any, binnen: Any, s: tuple[Any, Any, Any], vorm: Any,
              hoeveel: int) -> tuple[list[tuple[int, int, int]], bool]:
    """Up to ``hoeveel`` states meeting ``vorm``, and whether there are more."""
    solver = z3.Solver()
    solver.add(binnen, vorm)
    uit: list[tuple[int, int, int]] = []
    while (uitkomst := solver.check()) == z3.sat:
        if len(uit) == hoeveel:
            return uit, True
        m = solver.model()
        st = tuple(m.eval(e, model_completion=True).as_long() for e in s)
        uit.append(st)  # type: ignore[arg-type]
        solver.add(z3.Or(s[0] != st[0], s[2] != st[2]))
    if uitkomst != z3.unsat:  # never silently fewer findings than there are
        gestopt(solver.reason_unknown())
        raise KaderwerkError(f"z3 could not decide ({solver.reason_unknown()}); prove by "
                             "enumeration with 'check --proof counts'")
    return uit, False


Toestanden = tuple[list[tuple[int, int, int]], frozenset[str], dict[tuple[int, int, int], str]]
"""What z3 found for one rule and input space: the count states (v, o, x) to replay, the kinds
with more states than asked for, and the kind each breaking state should show."""


def _zoek_toestanden(z3: Any, regel: Beslisregel, plafonds: Sequence[Plafond], n: int,
                     open_n: int, vast: int, bereikbaarheid: bool, hoeveel: int) -> Toestanden:
    """The count states of size n that break the rule or witness its clauses, found by z3."""
    f = Formules(z3, regel, vast)
    s, binnen = ruimte(z3, n, open_n)
    toestanden: dict[tuple[int, int, int], None] = {}
    meer: set[str] = set()
    verwacht: dict[tuple[int, int, int], str] = {}

    def zoek(vorm: Any, soort: str | None, aantal: int) -> list[tuple[int, int, int]]:
        gevonden, nog = _modellen(z3, binnen, s, vorm, aantal)
        if nog and soort:
            meer.add(soort)
        for st in gevonden:
            toestanden.setdefault(st)
            if soort:
                verwacht.setdefault(st, soort)
        return gevonden

    if open_n >= n:  # the one state with nothing assessed: also for reachability's wording
        zoek(s[0] + s[1] == 0, f.zonder(), 1)
    zoek(f.gat(s), "niet_uitputtend", hoeveel)
    zoek(f.overlap(s), "overlap", hoeveel)
    zoek(f.buiten(s), "buiten_schaal", hoeveel)
    for feiten in ruimste_feiten(plafonds, regel.schaal):
        for v, o, x in zoek(f.niet_monotoon(s, feiten, plafonds), None, 1):
            toestanden.setdefault((v + 1, o - 1, x))
    if bereikbaarheid:
        for i in range(len(regel.clausules)):
            if not zoek(f.beslist(i, s), None, 1):
                zoek(z3.And(s[0] + s[1] >= 1, f.geldt(i, s)), None, 1)
    return sorted(toestanden, key=lambda t: (t[2], t[0])), frozenset(meer), verwacht


def regelsleutel(regel: Beslisregel) -> tuple[Any, ...]:
    """What z3's formulas read of a builtin rule: rules with equal keys have the same breaking
    count states (their clause texts may differ; those are worded by the replay)."""
    return (type(regel), regel.type, regel.hit, regel.zonder_beoordeling, tuple(regel.schaal),
            voorwaarden_van(regel), tuple(c.oordeel for c in regel.clausules))


@stopbaar()
def bewijs_symbolisch(regel: Beslisregel, plafonds: Sequence[Plafond], ids: Sequence[str],
                      vast: Sequence[str] = (), *, criterium: str = "", thema: str = "",
                      open_ids: Collection[str] = (), bereikbaarheid: bool = True,
                      max_per_soort: int | None = MAX_VOORBEELDEN,
                      gedeeld: dict[tuple[Any, ...], Toestanden] | None = None
                      ) -> list[Bevinding]:
    """The findings ``verify.bewijs`` gives for this rule, found by z3 instead of enumeration.

    z3 finds up to ``max_per_soort`` states per kind of finding (and a witness per clause for
    reachability); ``verify.bewijs`` then proves the rule over just those states, replaying
    each through the engine. A plugin rule type's ``voorwaarden`` are first compared with its
    ``beslis`` at every count state (``toets_voorwaarden``), so z3 never proves a promise the
    rule does not keep; a state z3 found that the engine does not confirm is an error too.
    With ``gedeeld`` (a dict the caller keeps), the states z3 found for a builtin rule are
    reused for an equal rule with the same size, open count, ``vast`` count and plafonds: each
    criterium's findings are still replayed with its own ids, criterium and thema.
    """
    z3 = laad_z3()
    n = len(ids)
    open_n = (len(ids) if open_ids is ids else 0 if not open_ids
              else len(set(ids) & set(open_ids)))
    if not vertrouwd(regel):
        toets_voorwaarden(regel, n, open_n, len(vast))
    hoeveel = max_per_soort if max_per_soort is not None else 10 ** 9
    sleutel = ((regelsleutel(regel), tuple(plafonds), n, open_n, len(vast), bereikbaarheid,
                hoeveel) if gedeeld is not None and vertrouwd(regel) else None)
    if gedeeld is not None and sleutel in gedeeld:
        toestanden, meer, verwacht = gedeeld[sleutel]
    else:
        toestanden, meer, verwacht = _zoek_toestanden(z3, regel, plafonds, n, open_n, len(vast),
                                                      bereikbaarheid, hoeveel)
        if gedeeld is not None and sleutel is not None:
            gedeeld[sleutel] = (toestanden, meer, verwacht)
    gevallen = [Geval(Telling(v, o, len(vast) + x)) for v, o, x in toestanden]
    gevonden = bewijs(regel, plafonds, ids, vast, criterium=criterium, thema=thema,
                      open_ids=open_ids, bereikbaarheid=bereikbaarheid, gevallen=gevallen)
    _controleer(regel, gevonden, verwacht, len(vast))

    ruimte_ids = Ruimte(ids, open_ids, vast)
    uit: list[Bevinding] = []
    per: dict[str, int] = {}
    for b in gevonden:
        per[b.soort] = per.get(b.soort, 0) + 1
        if max_per_soort is None or per[b.soort] <= max_per_soort:
            uit.append(attrs.evolve(b, tegenvoorbeeld=met_vector(
                dict(b.tegenvoorbeeld), ruimte_ids, len(vast))))
    for soort in set(meer) | {k for k, aantal in per.items()
                              if max_per_soort is not None and aantal > max_per_soort}:
        i = max(j for j, b in enumerate(uit) if b.soort == soort)
        uit[i] = attrs.evolve(uit[i], boodschap=f"{uit[i].boodschap} (and more cases like it)")
    return uit


def _controleer(regel: Beslisregel, gevonden: Sequence[Bevinding],
                verwacht: Mapping[tuple[int, int, int], str], vast: int) -> None:
    """Every state z3 found breaking the rule is a finding of the engine-backed proof too."""
    bevestigd = set()
    for b in gevonden:
        t = b.tegenvoorbeeld
        if "voldoende" in t:
            bevestigd.add((t["voldoende"], t["onvoldoende"], t["niet_beoordeeld"] - vast))
    for st, soort in verwacht.items():
        if st not in bevestigd:
            v, o, x = st
            raise PluginFailed(_plugin(regel), _hook(regel),
                f"its voorwaarden() say {v} voldoende, {o} "
                f"onvoldoende, {x + vast} niet beoordeeld is {soort}, but its beslis() "
                "disagrees; fix the rule type (or return None from voorwaarden())")
