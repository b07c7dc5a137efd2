"""Applying a kader to beoordelingen: oordelen with their trace, plafonds, the landelijk beeld.

Nothing here knows a file format: readers deliver ``Beoordeling`` objects, and the result is
JSON data (``schemas/uitkomst.schema.json``) that every output format renders. Published
figures are compared here too, so each format shows the same ``afwijkingen``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import repeat
from operator import attrgetter, countOf, itemgetter
from typing import Any

import attrs
from kaderwerk.domain.beoordeling import ORGANISATIE, Beoordeling
from kaderwerk.domain.beslisregel import Beslisregel, Invoer, Telling
from kaderwerk.domain.model import Criterium, Kader, Plafond, Score


@attrs.frozen
class Oordeel:
    """An oordeel with its trace: counts, the clause that fired, the plafond applied."""

    oordeel: str | None
    telling: Telling
    clausule: int | None
    regel: str
    plafond: Mapping[str, Any] | None = None
    oordeel_voor_plafond: str | None = None
    onderbouwing: str | None = None
    afstand: str | None = None
    bandbreedte: Mapping[str, str | None] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "oordeel": self.oordeel,
            "telling": self.telling.to_dict(),
            "regel": self.regel,
            "clausule": None if self.clausule is None else self.clausule + 1,
            "plafond": None if self.plafond is None else dict(self.plafond),
            "oordeel_voor_plafond": self.oordeel_voor_plafond,
            "onderbouwing": self.onderbouwing,
            "afstand": self.afstand,
            "bandbreedte": None if self.bandbreedte is None else dict(self.bandbreedte),
        }


def beslis(regel: Beslisregel, plafonds: Sequence[Plafond], invoer: Invoer,
           feiten: Mapping[str, Any]) -> Oordeel:
    """Apply a rule and its plafonds to one input."""
    b = regel.beslis(invoer)
    oordeel = b.oordeel
    plafond = None
    voor = None
    if oordeel is not None:
        for p in plafonds:
            if p.geldt(feiten):
                capped = regel.schaal.begrens(oordeel, p.max)
                lowered = capped != oordeel
                if plafond is None or lowered:
                    plafond = {"feit": p.feit, "waarde": p.waarde, "max": p.max, "reden": p.reden,
                               "verlaagd": lowered}
                if lowered:
                    voor = voor or oordeel
                    oordeel = capped
    return Oordeel(oordeel, invoer.telling, b.clausule, b.toelichting, plafond, voor,
                   invoer.handmatig.onderbouwing if invoer.handmatig else None)


def _woord(k: int) -> str:
    return "één" if k == 1 else str(k)


def afstand(regel: Beslisregel, plafonds: Sequence[Plafond], telling: Telling,
            feiten: Mapping[str, Any]) -> str | None:
    """How far the oordeel is from the next boundary, e.g. 'één onvoldoende meer -> matig'.

    Turns assessed voldoende into onvoldoende one at a time (and the other way) and names the
    first change; None when no change is reachable or there is no oordeel.
    """
    nu = beslis(regel, plafonds, Invoer(telling), feiten).oordeel
    if nu is None:
        return None
    parts = []
    for richting, stap in (("onvoldoende", 1), ("voldoende", -1)):
        for k in range(1, telling.beoordeeld + 1):
            v, o = telling.voldoende - stap * k, telling.onvoldoende + stap * k
            if v < 0 or o < 0:
                break
            ander = beslis(regel, plafonds, Invoer(Telling(v, o, telling.niet_beoordeeld)),
                           feiten).oordeel
            if ander != nu:
                parts.append(f"{_woord(k)} {richting} meer → {ander or 'geen oordeel'}")
                break
    return "; ".join(parts) or None


def bandbreedte(regel: Beslisregel, plafonds: Sequence[Plafond], telling: Telling, open_nb: int,
                feiten: Mapping[str, Any]) -> dict[str, str | None] | None:
    """With assessed verwachtingen niet beoordeeld: the best and worst oordeel still possible."""
    if open_nb <= 0:
        return None
    vast = telling.niet_beoordeeld - open_nb
    uitkomsten = [beslis(regel, plafonds, Invoer(Telling(telling.voldoende + j,
                                                         telling.onvoldoende + open_nb - j,
                                                         vast)), feiten).oordeel
                  for j in range(open_nb + 1)]
    op_schaal = [u for u in uitkomsten if u is not None]
    if not op_schaal:
        return {"beste": None, "slechtste": None}
    rang = regel.schaal.rang
    return {"beste": min(op_schaal, key=rang), "slechtste": max(op_schaal, key=rang)}


class Beoordelaar:
    """Judges beoordelingen under one kader.

    Count-based decisions are memoised twice: by the criterium's scores as a tuple (looked up
    at C speed, so a hundred thousand organisations cost a dictionary lookup per criterium) and
    by the counts those scores make, so the trace is computed once per distinct count.
    """

    def __init__(self, kader: Kader) -> None:
        self.kader = kader
        self.criteria = kader.criteria
        self._ids = {c.id: tuple(v.id for v in c.verwachtingen) for c in self.criteria}
        self._vast_nb = {c.id: sum(1 for v in c.verwachtingen if not v.beoordeeld)
                         for c in self.criteria}
        self._scores_van = {c.id: _tuple_getter(self._ids[c.id]) for c in self.criteria}
        self._per_scores: dict[str, dict[tuple, tuple[Oordeel, dict[str, Any]]]] = {
            c.id: {} for c in self.criteria}
        self._per_telling: dict[tuple, tuple[Oordeel, dict[str, Any]]] = {}

    def criterium(self, c: Criterium, b: Beoordeling) -> Oordeel:
        """The oordeel of one criterium, with its trace."""
        return self._criterium(c, b)[0]

    def _criterium(self, c: Criterium, b: Beoordeling) -> tuple[Oordeel, dict[str, Any]]:
        regel = c.beslisregel
        if not regel.telt_alleen:
            o = self._per_rij(c, b)
            return o, o.to_dict()
        try:
            key: tuple = self._scores_van[c.id](b.scores)
        except KeyError:
            key = tuple(b.scores.get(vid) for vid in self._ids[c.id])
        if c.plafonds:
            key = (key, tuple(repr(b.feiten.get(p.feit)) for p in c.plafonds))
        memo = self._per_scores[c.id]
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = self._telt(c, b)
        return hit

    def _telt(self, c: Criterium, b: Beoordeling) -> tuple[Oordeel, dict[str, Any]]:
        telling = Telling.van_scores(map(b.scores.get, self._ids[c.id]))
        regel = c.beslisregel
        feit_key = tuple(sorted((p.feit, repr(b.feiten.get(p.feit))) for p in c.plafonds))
        key = (c.id, telling.voldoende, telling.onvoldoende, telling.niet_beoordeeld, feit_key)
        hit = self._per_telling.get(key)
        if hit is None:
            o = beslis(regel, c.plafonds, Invoer(telling), b.feiten)
            open_nb = telling.niet_beoordeeld - self._vast_nb[c.id]
            o = attrs.evolve(o, afstand=afstand(regel, c.plafonds, telling, b.feiten),
                             bandbreedte=bandbreedte(regel, c.plafonds, telling, open_nb,
                                                     b.feiten))
            hit = self._per_telling[key] = (o, o.to_dict())
        return hit

    def _per_rij(self, c: Criterium, b: Beoordeling) -> Oordeel:
        ids = self._ids[c.id]
        scores = b.scores
        vector = tuple((vid, scores.get(vid, Score.NIET_BEOORDEELD)) for vid in ids)
        return beslis(c.beslisregel, c.plafonds,
                      Invoer(Telling.van_scores(s for _, s in vector), vector,
                             b.handmatig.get(c.id)), b.feiten)

    def organisatie(self, b: Beoordeling) -> Oordeel | None:
        o = self.kader.organisatie
        if o is None:
            return None
        telling = Telling.van_scores(b.scores.values())
        return beslis(o.beslisregel, o.plafonds,
                      Invoer(telling, tuple(b.scores.items()), b.handmatig.get(ORGANISATIE)),
                      b.feiten)

    def beoordeel(self, b: Beoordeling) -> dict[str, Any]:
        """One organisation's uitkomst as JSON data (identical traces share one dict)."""
        return self._uitkomst(b, {c.id: self._criterium(c, b)[1] for c in self.criteria})

    def beoordeel_alle(self, lijst: Sequence[Beoordeling],
                       voortgang: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
        """``beoordeel`` for every beoordeling, worked out one criterium column at a time."""
        from kaderwerk.domain.verify import op_plek  # verify imports this module

        ids = [c.id for c in self.criteria]
        kolommen = []
        for c in self.criteria:  # a plugin rule's failure located at its criterium, as in check
            with op_plek(self.kader, c.id):
                kolommen.append(self._kolom(c, lijst))
        rijen = zip(*kolommen, strict=True) if kolommen else repeat((), len(lijst))
        uit = []
        with op_plek(self.kader, "organisatie"):
            for i, (b, sporen) in enumerate(zip(lijst, rijen, strict=True), 1):
                uit.append(self._uitkomst(b, dict(zip(ids, sporen, strict=True))))
                if voortgang is not None and i % 1000 == 0:
                    voortgang(i)
        return uit

    def _kolom(self, c: Criterium, lijst: Sequence[Beoordeling]) -> list[dict[str, Any]]:
        """The trace of criterium ``c`` for every beoordeling, in order."""
        if not c.beslisregel.telt_alleen or c.plafonds:
            return [self._criterium(c, b)[1] for b in lijst]
        try:
            keys = list(map(self._scores_van[c.id], map(_scores, lijst)))
        except KeyError:
            return [self._criterium(c, b)[1] for b in lijst]
        memo = self._per_scores[c.id]
        for key, b in dict(zip(keys, lijst, strict=True)).items():
            if key not in memo:
                memo[key] = self._telt(c, b)
        sporen = {key: hit[1] for key, hit in memo.items()}
        return list(map(sporen.__getitem__, keys))

    def _uitkomst(self, b: Beoordeling, criteria: dict[str, Any]) -> dict[str, Any]:
        org = self.organisatie(b)
        return {
            "naam": b.naam,
            "aantal_voldoende": countOf(b.scores.values(), Score.VOLDOENDE),
            "criteria": criteria,
            "oordeel": None if org is None else org.to_dict(),
            "feiten": dict(b.feiten),
            "herkomst": b.herkomst,
            "opmerkingen": list(b.opmerkingen),
        }


_scores = attrgetter("scores")


def _tuple_getter(ids: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple]:
    """``itemgetter`` that always returns a tuple, also for one or no id."""
    if len(ids) > 1:
        return itemgetter(*ids)
    if ids:
        one = ids[0]
        return lambda scores: (scores[one],)
    return lambda scores: ()


def sorteer_naam(naam: str) -> tuple[str, str]:
    """Alphabetical order as a reader expects: accents and case ignored."""
    if naam.isascii():
        return (naam.casefold(), naam)
    plain = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().casefold()
    return (plain, naam)


def plaatsen(organisaties: Sequence[Mapping[str, Any]]) -> list[int]:
    """Places in rangorde order; equal aantal voldoende share a place (1, 2, 2, 4).

    The one source of places: the JSON (``landelijk_beeld.plaatsen``), the terminal, Markdown
    and HTML all number the rangorde with it.
    """
    result: list[int] = []
    for i, o in enumerate(organisaties):
        gelijk = i > 0 and o["aantal_voldoende"] == organisaties[i - 1]["aantal_voldoende"]
        result.append(result[-1] if gelijk else i + 1)
    return result


def landelijk_beeld(kader: Kader, organisaties: Sequence[Mapping[str, Any]],
                    scores: Sequence[Beoordeling]) -> dict[str, Any]:
    """Per criterium the oordelen, per verwachting the scores, and the ranking."""
    schaal = list(kader.oordeelschaal)
    oordeel = itemgetter("oordeel")
    per_org = [o["criteria"] for o in organisaties]
    criteria = {}
    for c in kader.criteria:
        counts = Counter(map(oordeel, map(itemgetter(c.id), per_org)))
        row = {k: counts.get(k, 0) for k in schaal}
        row["geen_oordeel"] = counts.get(None, 0)
        criteria[c.id] = row
    alle_scores = [b.scores for b in scores]
    verwachtingen = {}
    for v in kader.verwachtingen:
        try:
            counts = Counter(map(itemgetter(v.id), alle_scores))
        except KeyError:
            counts = Counter(s.get(v.id, Score.NIET_BEOORDEELD) for s in alle_scores)
        verwachtingen[v.id] = {"voldoende": counts[Score.VOLDOENDE],
                               "onvoldoende": counts[Score.ONVOLDOENDE],
                               "niet_beoordeeld": counts[Score.NIET_BEOORDEELD]}
    op_volgorde = sorted(
        organisaties, key=lambda o: (-o["aantal_voldoende"], sorteer_naam(o["naam"])))
    rangorde = [o["naam"] for o in op_volgorde]
    beeld: dict[str, Any] = {"aantal_organisaties": len(organisaties), "criteria": criteria,
                             "verwachtingen": verwachtingen, "rangorde": rangorde,
                             "plaatsen": plaatsen(op_volgorde),
                             "organisatie": None}
    if kader.organisatie is not None:
        counts = Counter(o["oordeel"]["oordeel"] for o in organisaties)
        beeld["organisatie"] = {k: counts.get(k, 0) for k in schaal} | {
            "geen_oordeel": counts.get(None, 0)}
    return beeld


def geen_oordeel_lines(u: Mapping[str, Any]) -> list[str]:
    """'geen oordeel: N' lines for the criteria and organisations left without an oordeel."""
    beeld = u["landelijk_beeld"]
    lines = [f"geen oordeel: {row['geen_oordeel']} (criterium {cid})"
             for cid, row in beeld["criteria"].items() if row.get("geen_oordeel")]
    org = beeld.get("organisatie") or {}
    if org.get("geen_oordeel"):
        lines.append(f"geen oordeel: {org['geen_oordeel']} (organisatie)")
    return lines


def assess(kader: Kader, beoordelingen: Iterable[Beoordeling],
           gepubliceerd: Sequence[Mapping[str, Any]] = (), *,
           invoer: Sequence[str] = (), dataset: str | None = None,
           voortgang: Callable[[int], None] | None = None,
           afronding: Any = None) -> dict[str, Any]:
    """The whole uitkomst (the ``json`` format's content) of a kader on beoordelingen.

    ``voortgang`` is called with the number of organisations done, every thousand;
    ``afronding`` is how the dataset's source rounds its published percentages.
    """
    from kaderwerk.domain.afwijkingen import vergelijk

    rechter = Beoordelaar(kader)
    lijst = list(beoordelingen)
    organisaties = rechter.beoordeel_alle(lijst, voortgang)
    beeld = landelijk_beeld(kader, organisaties, lijst)
    afwijkingen, gecontroleerd, afgerond = vergelijk(kader, organisaties, beeld, gepubliceerd,
                                                      afronding)
    datums = sorted({b.datum for b in lijst if b.datum})
    return {
        "kader": {"id": kader.id, "versie": kader.versie, "titel": kader.titel,
                  "oordeelschaal": list(kader.oordeelschaal),
                  "bron": (kader.bron.citeer() or None) if kader.bron else None},
        "invoer": {"bestanden": list(invoer), "dataset": dataset,
                   "datum": None if not datums else datums[0] if len(datums) == 1
                   else f"{datums[0]} t/m {datums[-1]}"},
        "themas": [{"id": t.id, "titel": t.titel, "norm": t.norm} for t in kader.themas],
        "criteria": [{"id": c.id, "titel": c.titel, "thema": kader.thema_van(c).id,
                      "beslisregel": c.beslisregel.type,
                      "verwachtingen": [v.id for v in c.verwachtingen]}
                     for c in kader.criteria],
        "verwachtingen": [{"id": v.id, "tekst": v.tekst, "beoordeeld": v.beoordeeld}
                          for v in kader.verwachtingen],
        "organisaties": organisaties,
        "landelijk_beeld": beeld,
        "gepubliceerd_gecontroleerd": gecontroleerd,
        "gepubliceerd_afronding": afgerond,
        "afwijkingen": afwijkingen,
    }

