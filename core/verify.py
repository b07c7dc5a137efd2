"""Proofs that a kader's beslisregels are consistent: exhaustive, exclusive, monotone, reachable.

For every criterium, at its real size and with its real set of assessed verwachtingen, every
score combination is tried. A rule that depends only on counts is proven over counts (the
number of voldoende, onvoldoende, niet beoordeeld: O(n^2) cases, not 3^n vectors); any other
rule is enumerated vector by vector. Plafonds are included: each fact a plafond reads is tried
with and without its value. Every finding carries a concrete counterexample.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
from kaderwerk.beslisregel import Beslisregel, Handmatig, Invoer, Telling
from kaderwerk.engine import beslis
from kaderwerk.model import Criterium, Kader, Plafond, Score

MAX_ENUMERATE = 16
"""Largest criterium a non-count rule is enumerated for (3^16 vectors would be too many)."""

SOORTEN = {
    "niet_uitputtend": "not exhaustive",
    "overlap": "not exclusive",
    "niet_monotoon": "not monotone",
    "onbereikbaar": "clause never applies",
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
    plek: tuple[int | None, int | None] | None = None
    """(line, column) where the fix goes, when that is not the criterium (a rule's clause)."""

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


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

    def tekst(self) -> str:
        if self.handmatig is not None:
            return f"handmatig oordeel {self.handmatig}"
        base = str(self.telling)
        if self.scores is not None:
            base += " (" + ", ".join(f"{k}={v}" for k, v in self.scores) + ")"
        return base


def telling_gevallen(n: int, vast_nb: int = 0, met_nb: bool = False) -> Iterator[Geval]:
    """All count combinations of ``n`` assessed verwachtingen (plus fixed niet beoordeeld)."""
    for extra_nb in range(n + 1 if met_nb else 1):
        m = n - extra_nb
        for v in range(m + 1):
            yield Geval(Telling(v, m - v, vast_nb + extra_nb))


def vector_gevallen(ids: Sequence[str], vast: Sequence[str] = (),
                    met_nb: bool = False) -> Iterator[Geval]:
    """All score vectors over ``ids`` (V/O, or V/O/NB); ``vast`` ids are niet beoordeeld."""
    waarden = [Score.VOLDOENDE, Score.ONVOLDOENDE] + ([Score.NIET_BEOORDEELD] if met_nb else [])
    for combo in itertools.product(waarden, repeat=len(ids)):
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


def _invoer(geval: Geval) -> Invoer:
    h = None if geval.handmatig is None else Handmatig(geval.handmatig)
    return Invoer(geval.telling, geval.scores, h)


def _monotone_paren(gevallen: Sequence[Geval]) -> Iterator[tuple[Geval, Geval]]:
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


def gevallen_voor(regel: Beslisregel, ids: Sequence[str], vast: Sequence[str],
                  met_nb: bool) -> list[Geval] | None:
    """The cases to try for a rule over these verwachtingen; None when too many."""
    if regel.handmatig:
        return [Geval(Telling(0, 0, 0), None, o) for o in regel.schaal]
    if regel.telt_alleen:
        return list(telling_gevallen(len(ids), len(vast), met_nb))
    if len(ids) > MAX_ENUMERATE:
        return None
    return list(vector_gevallen(ids, vast, met_nb))


def bewijs(regel: Beslisregel, plafonds: Sequence[Plafond], ids: Sequence[str],
           vast: Sequence[str] = (), *, criterium: str = "", thema: str = "",
           met_nb: bool = False, bereikbaarheid: bool = True) -> list[Bevinding]:
    """All findings for one rule (with plafonds) over the given assessed verwachtingen."""
    n = len(ids)
    gevallen = gevallen_voor(regel, ids, vast, met_nb)

    def finding(soort: str, boodschap: str, voorbeeld: Mapping[str, Any]) -> Bevinding:
        return Bevinding(soort, criterium, thema, n, boodschap, dict(voorbeeld), regel.type)

    if gevallen is None:
        return [finding("te_groot", f"{n} verwachtingen: a '{regel.type}' rule that reads "
                        f"individual scores is enumerated up to {MAX_ENUMERATE}", {})]
    findings: list[Bevinding] = []
    fired: set[int] = set()
    schaal = regel.schaal
    uitkomst: dict[Geval, Any] = {}
    for g in gevallen:
        b = regel.beslis(_invoer(g))
        uitkomst[g] = b
        if b.oordeel is None:
            if g.telling.beoordeeld == 0 and not regel.handmatig:
                continue
            if len(b.passend) > 1 and regel.hit == "uniek":
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
    for feiten in feit_waarden(plafonds):
        for slechter, beter in _monotone_paren(gevallen):
            ob, ow = uitkomst[beter], uitkomst[slechter]
            if ob.oordeel not in schaal or ow.oordeel not in schaal:
                continue
            eind_b = beslis(regel, plafonds, _invoer(beter), feiten).oordeel
            eind_w = beslis(regel, plafonds, _invoer(slechter), feiten).oordeel
            if eind_b is not None and eind_w is not None and schaal.slechter(eind_b, eind_w):
                extra = f" with {feiten}" if any(v is not None for v in feiten.values()) else ""
                findings.append(finding(
                    "niet_monotoon",
                    f"{beter.tekst()} gives {eind_b} but {slechter.tekst()} gives {eind_w}"
                    f"{extra}: one more voldoende must never give a worse oordeel",
                    {"van": slechter.beschrijf(), "oordeel_van": eind_w,
                     "naar": beter.beschrijf(), "oordeel_naar": eind_b, "feiten": feiten}))
                break
    if bereikbaarheid:
        for i, c in enumerate(regel.clausules):
            if i not in fired:
                findings.append(finding(
                    "onbereikbaar",
                    f"clause {i + 1} ('{c.tekst or c.oordeel}') never applies with {n} "
                    "verwachtingen", {"regel": i + 1, "oordeel": c.oordeel}))
    return findings


@attrs.frozen
class Rapport:
    """The result of ``kaderwerk check`` for one kader."""

    kader: str
    bevindingen: tuple[Bevinding, ...]
    gecontroleerd: int
    groottes: Mapping[str, Mapping[str, list[int]]] = attrs.field(factory=dict)

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
                "bevindingen": [b.to_dict() for b in self.bevindingen],
                "groottes": {k: dict(v) for k, v in self.groottes.items()}}


def _criterium_bewijs(kader: Kader, c: Criterium, met_nb: bool) -> list[Bevinding]:
    ids = [v.id for v in c.beoordeelde]
    vast = [v.id for v in c.verwachtingen if not v.beoordeeld]
    return bewijs(c.beslisregel, c.plafonds, ids, vast, criterium=c.id,
                  thema=kader.thema_van(c).id, met_nb=met_nb)


def check_kader(kader: Kader, *, groottes: range | None = None,
                met_nb: bool = False) -> Rapport:
    """Prove every criterium's rule (and the organisation rule) at its real size.

    With ``groottes``, also try every size in that range and report, per criterium, the sizes
    at which the rule is not exhaustive, not exclusive or not monotone. The findings end with
    the text check of ``kaderwerk.regelzin``: each clause's tekst against its conditions.
    """
    from kaderwerk.regelzin import bevindingen as tekst_bevindingen

    findings: list[Bevinding] = []
    for c in kader.criteria:
        findings.extend(_criterium_bewijs(kader, c, met_nb))
    if kader.organisatie is not None:
        ids = [v.id for v in kader.verwachtingen if v.beoordeeld]
        findings.extend(bewijs(kader.organisatie.beslisregel, kader.organisatie.plafonds, ids,
                               criterium="organisatie", thema="", met_nb=met_nb))
    findings.extend(tekst_bevindingen(kader))
    sizes: dict[str, dict[str, list[int]]] = {}
    if groottes is not None:
        for c in kader.criteria:
            per: dict[str, list[int]] = {}
            if not c.beslisregel.handmatig:
                for n in groottes:
                    ids = [f"v{i + 1}" for i in range(n)]
                    for f in bewijs(c.beslisregel, c.plafonds, ids, met_nb=met_nb,
                                    criterium=c.id, bereikbaarheid=False):
                        if f.soort != "te_groot":
                            per.setdefault(f.soort, [])
                            if n not in per[f.soort]:
                                per[f.soort].append(n)
            sizes[c.id] = per
    return Rapport(kader.ref, tuple(findings), len(kader.criteria), sizes)


def bereiken(sizes: Sequence[int]) -> str:
    """Compress sizes into ranges: [2, 3, 6, 7, 8] -> '2-3, 6-8'."""
    out: list[str] = []
    for _, group in itertools.groupby(enumerate(sorted(sizes)), lambda p: p[1] - p[0]):
        g = [x for _, x in group]
        out.append(str(g[0]) if len(g) == 1 else f"{g[0]}-{g[-1]}")
    return ", ".join(out)
