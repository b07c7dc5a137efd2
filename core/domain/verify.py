"""Proofs that a kader's beslisregels are consistent: exhaustive, exclusive, monotone, reachable.

For every criterium, at its real size and with its real set of assessed verwachtingen, every
input ``assess`` accepts is tried: each assessed verwachting voldoende or onvoldoende, and also
niet beoordeeld unless the kader declares ``score_verplicht`` for it. A rule that depends only
on counts is proven over counts (voldoende, onvoldoende, niet beoordeeld: O(n^2) count states,
not 3^n vectors); any other rule is enumerated vector by vector. Plafonds are included: each
fact a plafond reads is tried with and without its value. Every finding carries a concrete
counterexample. The number of cases is estimated before any is tried, and a job past
``MAX_GEVALLEN`` is refused with its size rather than left to run out of time or memory. The
cases themselves, and how many there are, come from ``kaderwerk.domain.gevallen``.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import attrs
from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.engine import beslis
from kaderwerk.domain.gevallen import (
    MAX_ENUMERATE,
    Geval,
    gevallen_voor,
    goedkoop_geteld,
    monotone_paren,
    ruimste_feiten,
)
from kaderwerk.domain.gevallen import feit_waarden as feit_waarden
from kaderwerk.domain.gevallen import telling_gevallen as telling_gevallen
from kaderwerk.domain.model import Criterium, Kader, Plafond, beslisregel_plek
from kaderwerk.domain.omvang import MAX_GEVALLEN as MAX_GEVALLEN
from kaderwerk.domain.omvang import TeGrootError as TeGrootError
from kaderwerk.domain.omvang import (
    bewaak,
    omvang,
    op_plek,
    organisatie_ruimte,
    ruimte_van,
)
from kaderwerk.domain.omvang import gewicht as gewicht
from kaderwerk.domain.omvang import symbolisch as symbolisch
from kaderwerk.domain.scorevector import Ruimte, als_data, met_vector
from kaderwerk.domain.woorden import aantal

# telling_gevallen, feit_waarden, MAX_GEVALLEN and TeGrootError stay importable from here

METHODES = ("symbolisch", "tellingen")
"""How ``check`` proves a count rule: with z3 (``symbolisch``, the default, for rules
with linear conditions) or by walking every count state (``check --proof counts``)."""

MAX_VOORBEELDEN = 10
"""Counterexamples listed per kind of finding and rule; the last one says how many more."""

SOORTEN = {
    "niet_uitputtend": "not exhaustive",
    "overlap": "not exclusive",
    "niet_monotoon": "not monotone",
    "onbereikbaar": "clause never applies",
    "overschaduwd": "clause never decides",
    "buiten_schaal": "oordeel not on the oordeelschaal",
    "te_groot": "too large to enumerate",
    "tekst_voorwaarden": "tekst and conditions disagree",
    "tekst_gelezen": "tekst read as recorded",
}
WAARSCHUWINGEN = {"tekst_voorwaarden"}
"""Finding kinds that fail ``check`` only under ``--strict``."""
NOTITIES = {"tekst_gelezen"}
"""Finding kinds that are information: they never fail ``check``."""


@attrs.frozen
class Bevinding:
    """One finding with its counterexample."""

    soort: str
    criterium: str
    thema: str
    grootte: int
    boodschap: str
    tegenvoorbeeld: Mapping[str, Any]
    regel: str | None = None
    criteria: tuple[str, ...] = ()
    """The criteria a finding on a thema's shared beslisregel affects (empty otherwise)."""
    plek: str | None = None
    """Where the fix goes: the key of ``Kader.positie`` (criterium, shared beslisregel)."""

    def to_dict(self) -> dict[str, Any]:
        d = attrs.asdict(self)
        d["tegenvoorbeeld"] = als_data(self.tegenvoorbeeld)
        return d


def _bewijs(regel: Beslisregel, plafonds: Sequence[Plafond], ids: Sequence[str],
            vast: Sequence[str], methode: str, gedeeld: dict[Any, Any] | None = None,
            **kwargs: Any) -> list[Bevinding]:
    if symbolisch(regel, methode) and not goedkoop_geteld(regel, plafonds, len(ids),
                                                          len(kwargs.get("open_ids", ()))):
        from kaderwerk.domain.symbolisch import bewijs_symbolisch

        return bewijs_symbolisch(regel, plafonds, ids, vast, gedeeld=gedeeld, **kwargs)
    gevonden = bewijs(regel, plafonds, ids, vast, **kwargs)
    if not symbolisch(regel, methode):
        return gevonden
    # a small rule walked instead of asking z3: its counterexamples as z3's carry them
    ruimte = Ruimte(ids, kwargs.get("open_ids", ()), vast)
    return [attrs.evolve(b, tegenvoorbeeld=met_vector(dict(b.tegenvoorbeeld), ruimte, len(vast)))
            for b in gevonden]


def bewijs(regel: Beslisregel, plafonds: Sequence[Plafond], ids: Sequence[str],
           vast: Sequence[str] = (), *, criterium: str = "", thema: str = "",
           met_nb: bool = False, open_ids: Collection[str] = (),
           bereikbaarheid: bool = True, max_per_soort: int | None = None,
           gevallen: Sequence[Geval] | None = None) -> list[Bevinding]:
    """All findings for one rule (with plafonds) over the given assessed verwachtingen.

    ``open_ids`` may also be niet beoordeeld (every id with ``met_nb``); ``vast`` ids are not
    assessed at all. Every case where assess would give no oordeel is a finding, also the one
    where nothing is assessed and the rule has no ``zonder_beoordeling``. With
    ``max_per_soort``, only that many counterexamples of a kind are kept; the last one says how
    many more there were (so a rule that fails everywhere does not fill the memory). With
    ``gevallen``, only those cases are tried (the symbolic proof passes the ones it found).
    """
    n = len(ids)
    if gevallen is None:
        gevallen = gevallen_voor(regel, ids, vast, met_nb, open_ids)

    def finding(soort: str, boodschap: str, voorbeeld: Mapping[str, Any]) -> Bevinding:
        return Bevinding(soort, criterium, thema, n, boodschap, dict(voorbeeld), regel.type)

    if gevallen is None:
        return [finding("te_groot", f"{aantal(n, 'verwachting')}: a '{regel.type}' rule that reads "
                        f"individual scores is enumerated up to {MAX_ENUMERATE}", {})]
    findings = _Bevindingen(max_per_soort)
    fired: set[int] = set()
    samen: dict[int, Geval] = {}
    schaal = regel.schaal
    uitkomst: dict[Geval, Any] = {}
    for g in gevallen:
        b = regel.beslis(g.invoer())
        uitkomst[g] = b
        for i in b.passend:
            samen.setdefault(i, g)
        if b.oordeel is None:
            if g.telling.beoordeeld == 0 and not regel.handmatig:
                findings.append(finding(
                    "niet_uitputtend", f"no oordeel when no verwachting is beoordeeld "
                    f"({g.tekst()}): give the rule a zonder_beoordeling, or declare "
                    "score_verplicht if every assessed verwachting is always scored",
                    g.beschrijf()))
            elif len(b.passend) > 1 and regel.hit == "uniek":
                nrs = " and ".join(str(i + 1) for i in b.passend)
                findings.append(finding("overlap", f"clauses {nrs} both apply at {g.tekst()}",
                                        g.beschrijf() | {"regels": [i + 1 for i in b.passend]}))
            else:
                findings.append(finding("niet_uitputtend", f"no clause applies at {g.tekst()}",
                                        g.beschrijf()))
            continue
        if b.oordeel not in schaal:
            findings.append(finding("buiten_schaal", f"oordeel '{b.oordeel}' at {g.tekst()}",
                                    g.beschrijf()))
            continue
        if b.clausule is not None:
            fired.add(b.clausule)
    for feiten in ruimste_feiten(plafonds, schaal):
        eind: dict[Geval, str | None] = {}

        def met_plafonds(g: Geval, feiten: Mapping[str, Any] = feiten,
                         eind: dict[Geval, str | None] = eind) -> str | None:
            if not plafonds:
                return uitkomst[g].oordeel
            if g not in eind:
                eind[g] = beslis(regel, plafonds, g.invoer(), feiten).oordeel
            return eind[g]

        for slechter, beter in monotone_paren(gevallen):
            ob, ow = uitkomst[beter], uitkomst[slechter]
            if ob.oordeel not in schaal or ow.oordeel not in schaal:
                continue
            eind_b, eind_w = met_plafonds(beter), met_plafonds(slechter)
            if eind_b is not None and eind_w is not None and schaal.slechter(eind_b, eind_w):
                extra = f" with {feiten}" if any(v is not None for v in feiten.values()) else ""
                findings.append(finding(
                    "niet_monotoon",
                    f"{beter.tekst()} gives {eind_b} but {slechter.tekst()} gives {eind_w}"
                    f"{extra}: one onvoldoende turned voldoende must never give a worse oordeel",
                    {"van": slechter.beschrijf(), "oordeel_van": eind_w,
                     "naar": beter.beschrijf(), "oordeel_naar": eind_b, "feiten": feiten}))
                break
    if bereikbaarheid:
        for i, c in enumerate(regel.clausules):
            if i in fired:
                continue
            naam = f"clause {i + 1} ('{c.tekst or c.oordeel}')"
            if i in samen:
                g = samen[i]
                anderen = [j + 1 for j in uitkomst[g].passend if j != i]
                if regel.hit == "uniek":
                    wie = " and ".join(f"clause {j}" for j in anderen)
                    tekst = (f"{naam} applies only together with another clause: it overlaps "
                             f"{wie} at {g.tekst()}")
                else:
                    tekst = (f"{naam} never decides: wherever it applies, an earlier clause "
                             f"applies first (clause {anderen[0]} at {g.tekst()})")
                findings.append(finding("overschaduwd", tekst, {
                    "regel": i + 1, "oordeel": c.oordeel, "samen_met": anderen,
                    "bij": g.beschrijf()}))
            elif _alleen_zonder_beoordeling(regel, i, gevallen):
                z = regel.zonder_beoordeling
                findings.append(finding(
                    "onbereikbaar", f"{naam} never applies: its conditions hold only when no "
                    "verwachting is beoordeeld, and that case is decided by zonder_beoordeling "
                    f"({z if z else 'not given: no oordeel'}), never by a clause; give its "
                    "oordeel as zonder_beoordeling instead",
                    {"regel": i + 1, "oordeel": c.oordeel}))
            else:
                findings.append(finding(
                    "onbereikbaar", f"{naam} never applies with {aantal(n, 'verwachting')}",
                    {"regel": i + 1, "oordeel": c.oordeel}))
    return findings.lijst()


def _alleen_zonder_beoordeling(regel: Beslisregel, i: int, gevallen: Sequence[Geval]) -> bool:
    """Whether clause ``i``'s conditions hold when nothing is beoordeeld, where a rule's
    clauses are never consulted (a rule type that says which clauses hold: ``passend``)."""
    passend = getattr(regel, "passend", None)
    if not callable(passend):
        return False
    for g in gevallen:
        if g.telling.beoordeeld == 0:
            try:
                if i in passend(g.telling):
                    return True
            except ArithmeticError:  # a percentage of nothing
                return False
    return False


class _Bevindingen:
    """The findings of one proof, at most ``maximum`` per kind, counting the rest."""

    def __init__(self, maximum: int | None) -> None:
        self.maximum = maximum
        self.bewaard: list[Bevinding] = []
        self.per: dict[str, int] = {}

    def append(self, f: Bevinding) -> None:
        n = self.per[f.soort] = self.per.get(f.soort, 0) + 1
        if self.maximum is None or n <= self.maximum:
            self.bewaard.append(f)

    def lijst(self) -> list[Bevinding]:
        uit = list(self.bewaard)
        for soort, n in self.per.items():
            if self.maximum is not None and n > self.maximum:
                i = max(j for j, f in enumerate(uit) if f.soort == soort)
                uit[i] = attrs.evolve(uit[i], boodschap=f"{uit[i].boodschap} (and "
                                      f"{n - self.maximum} more case(s) like it)")
        return uit


@attrs.frozen
class Rapport:
    """The result of ``kaderwerk check`` for one kader."""

    kader: str
    bevindingen: tuple[Bevinding, ...]
    gecontroleerd: int
    groottes: Mapping[str, Mapping[str, list[int]]] = attrs.field(factory=dict)
    gevallen: int = 0
    """How many cases the proofs tried (the estimate made before starting)."""
    breuken: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    """With ``--sizes all``: per criterium, per kind of finding, the sizes in closed form."""

    @property
    def ok(self) -> bool:
        """True when the rules hold at the real sizes (other sizes are information)."""
        return self.geslaagd()

    def geslaagd(self, streng: bool = False) -> bool:
        """No finding that fails; with ``streng`` (``--strict``) warnings fail too."""
        toegestaan = NOTITIES if streng else NOTITIES | WAARSCHUWINGEN
        return all(b.soort in toegestaan for b in self.bevindingen)

    def to_dict(self, streng: bool = False) -> dict[str, Any]:
        return {"kader": self.kader, "ok": self.geslaagd(streng),
                "gecontroleerd": self.gecontroleerd,
                "gevallen": self.gevallen,
                "bevindingen": [b.to_dict() for b in self.bevindingen],
                "groottes": {k: dict(v) for k, v in self.groottes.items()},
                **({"breuken": {k: dict(v) for k, v in self.breuken.items()}}
                   if self.breuken else {})}


def _criterium_bewijs(kader: Kader, c: Criterium, methode: str,
                      gedeeld: dict[Any, Any] | None = None) -> list[Bevinding]:
    ids, vast, open_ids = ruimte_van(c)
    with op_plek(kader, c.id):
        return _bewijs(c.beslisregel, c.plafonds, ids, vast, methode, gedeeld, criterium=c.id,
                       thema=kader.thema_van(c).id, open_ids=open_ids,
                       max_per_soort=MAX_VOORBEELDEN)


def _organisatie_bewijs(kader: Kader, methode: str) -> list[Bevinding]:
    assert kader.organisatie is not None
    ids, vast, open_ids = organisatie_ruimte(kader)
    with op_plek(kader, "organisatie"):
        return [attrs.evolve(f, plek="organisatie") for f in _bewijs(
            kader.organisatie.beslisregel, kader.organisatie.plafonds, ids, vast, methode,
            criterium="organisatie", thema="", open_ids=open_ids, max_per_soort=MAX_VOORBEELDEN)]


def bewijs_van(kader: Kader, doel: str, methode: str = "symbolisch") -> list[Bevinding]:
    """The findings for one criterium id (or ``organisatie``) over the inputs assess accepts,
    as ``check_kader`` finds them; bounded like it (raises ``TeGrootError``)."""
    delen = omvang(kader, methode=methode)
    if doel == "organisatie":
        bewaak(kader, [d for d in delen if d[0].startswith("organisatie")])
        return _organisatie_bewijs(kader, methode)
    c = next(c for c in kader.criteria if c.id == doel)
    bewaak(kader, [d for d in delen if d[0].startswith(f"criterium {c.id} (")])
    return _criterium_bewijs(kader, c, methode)


def _gedeeld(kader: Kader, per_criterium: Mapping[str, list[Bevinding]]) -> list[Bevinding]:
    """Findings in kader order; those of a thema's shared rule once, listing their criteria."""
    uit: list[Bevinding] = []
    plaats: dict[tuple, int] = {}
    for c in kader.criteria:
        for f in per_criterium[c.id]:
            if not c.regel_van_thema:
                uit.append(attrs.evolve(f, plek=c.id))
                continue
            key = (f.thema, f.soort, f.grootte, f.boodschap)
            if key in plaats:
                eerder = uit[plaats[key]]
                uit[plaats[key]] = attrs.evolve(eerder, criteria=(*eerder.criteria, c.id))
                continue
            plaats[key] = len(uit)
            uit.append(attrs.evolve(f, criteria=(c.id,), plek=beslisregel_plek(f.thema)))
    return uit


def check_kader(kader: Kader, *, groottes: range | str | None = None,
                met_nb: bool | None = None, methode: str = "symbolisch") -> Rapport:
    """Prove every criterium's rule (and the organisation rule) at its real size.

    The inputs are those ``assess`` accepts (``met_nb`` is accepted and ignored: niet
    beoordeeld is tried wherever the kader allows it). With ``groottes``, also try every size
    in that range and report, per criterium, the sizes at which the rule is not exhaustive, not
    exclusive or not monotone; at the criterium's real size that is the main proof's answer.
    With ``groottes="all"``, give those sizes for every n in closed form (``breuken``).
    ``methode`` is one of ``METHODES``. Raises ``TeGrootError`` before trying anything when
    the job exceeds ``MAX_GEVALLEN``. The findings end with the text check of
    ``kaderwerk.domain.regelzin``: each clause's tekst against its conditions.
    """
    from kaderwerk.domain.regelzin import bevindingen as tekst_bevindingen

    reeks = groottes if isinstance(groottes, range) else None
    totaal = bewaak(kader, omvang(kader, reeks, methode))
    # criteria with an equal rule, size, input space and plafonds share z3's answer
    gedeeld: dict[Any, Any] = {}
    per_criterium = {c.id: _criterium_bewijs(kader, c, methode, gedeeld)
                     for c in kader.criteria}
    findings = _gedeeld(kader, per_criterium)
    if kader.organisatie is not None:
        findings.extend(_organisatie_bewijs(kader, methode))
    findings.extend(tekst_bevindingen(kader))
    sizes: dict[str, dict[str, list[int]]] = {}
    alle: dict[str, dict[str, Any]] = {}
    if groottes == "all":
        from kaderwerk.domain.breuken import alle_groottes

        alle = alle_groottes(kader, methode)
    elif reeks is not None:
        from kaderwerk.domain.breuken import in_reeks

        for c in kader.criteria:
            with op_plek(kader, c.id):
                sizes[c.id] = {} if c.beslisregel.handmatig else in_reeks(
                    c, reeks, per_criterium[c.id], methode)
    return Rapport(kader.ref, tuple(findings), len(kader.criteria), sizes, totaal, alle)


def onderwerp(b: Bevinding) -> str:
    """What a finding is about, as reports name it: the criterium, or the shared rule."""
    if b.criterium == "organisatie":
        return f"organisatie ({aantal(b.grootte, 'verwachting')})"
    if b.criteria:
        wie = ", ".join(b.criteria)
        return (f"beslisregel of thema {b.thema} (criteri{'a' if len(b.criteria) > 1 else 'um'}"
                f" {wie}; {aantal(b.grootte, 'verwachting')})")
    return f"criterium {b.criterium} (thema {b.thema}, {aantal(b.grootte, 'verwachting')})"


def bereiken(sizes: Sequence[int]) -> str:
    """Compress sizes into ranges: [2, 3, 6, 7, 8] -> '2-3, 6-8'."""
    out: list[str] = []
    for _, group in itertools.groupby(enumerate(sorted(sizes)), lambda p: p[1] - p[0]):
        g = [x for _, x in group]
        out.append(str(g[0]) if len(g) == 1 else f"{g[0]}-{g[-1]}")
    return ", ".join(out)
