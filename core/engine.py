"""Applying a kader to beoordelingen: oordelen with their trace, plafonds, the landelijk beeld.

Nothing here knows a file format: readers deliver ``Beoordeling`` objects, and the result is
JSON data (``schemas/uitkomst.schema.json``) that every output format renders. Published
figures are compared here too, so each format shows the same ``afwijkingen``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
from kaderwerk.beoordeling import ORGANISATIE, Beoordeling
from kaderwerk.beslisregel import Beslisregel, Handmatig, Invoer, Telling
from kaderwerk.model import Criterium, Kader, Plafond, Score


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
    """Judges beoordelingen under one kader; memoises count-based decisions."""

    def __init__(self, kader: Kader) -> None:
        self.kader = kader
        self.criteria = kader.criteria
        self._ids = {c.id: tuple(v.id for v in c.verwachtingen) for c in self.criteria}
        self._vast_nb = {c.id: sum(1 for v in c.verwachtingen if not v.beoordeeld)
                         for c in self.criteria}
        self._cache: dict[tuple, Oordeel] = {}
        self._dicts: dict[int, tuple[Oordeel, dict[str, Any]]] = {}

    def criterium(self, c: Criterium, b: Beoordeling) -> Oordeel:
        ids = self._ids[c.id]
        scores = b.scores
        v = o = 0
        for vid in ids:
            s = scores.get(vid)
            if s is Score.VOLDOENDE:
                v += 1
            elif s is Score.ONVOLDOENDE:
                o += 1
        telling = Telling(v, o, len(ids) - v - o)
        hand = b.handmatig.get(c.id)
        regel = c.beslisregel
        if regel.telt_alleen:
            feit_key = tuple(sorted((p.feit, repr(b.feiten.get(p.feit))) for p in c.plafonds))
            key = (c.id, telling.voldoende, telling.onvoldoende, telling.niet_beoordeeld, feit_key)
            hit = self._cache.get(key)
            if hit is None:
                hit = beslis(regel, c.plafonds, Invoer(telling), b.feiten)
                open_nb = telling.niet_beoordeeld - self._vast_nb[c.id]
                hit = self._cache[key] = attrs.evolve(
                    hit, afstand=afstand(regel, c.plafonds, telling, b.feiten),
                    bandbreedte=bandbreedte(regel, c.plafonds, telling, open_nb, b.feiten))
            return hit
        vector = tuple((vid, scores.get(vid, Score.NIET_BEOORDEELD)) for vid in ids)
        return beslis(regel, c.plafonds, Invoer(telling, vector, hand), b.feiten)

    def organisatie(self, b: Beoordeling) -> Oordeel | None:
        o = self.kader.organisatie
        if o is None:
            return None
        telling = Telling.van_scores(b.scores.values())
        return beslis(o.beslisregel, o.plafonds,
                      Invoer(telling, tuple(b.scores.items()), b.handmatig.get(ORGANISATIE)),
                      b.feiten)

    def _criterium_dict(self, c: Criterium, b: Beoordeling) -> dict[str, Any]:
        o = self.criterium(c, b)
        d = self._dicts.get(id(o))
        if d is None or d[0] is not o:
            d = self._dicts[id(o)] = (o, o.to_dict())
        return d[1]

    def beoordeel(self, b: Beoordeling) -> dict[str, Any]:
        """One organisation's uitkomst as JSON data (identical traces share one dict)."""
        criteria = {c.id: self._criterium_dict(c, b) for c in self.criteria}
        org = self.organisatie(b)
        return {
            "naam": b.naam,
            "aantal_voldoende": sum(1 for s in b.scores.values() if s is Score.VOLDOENDE),
            "criteria": criteria,
            "oordeel": None if org is None else org.to_dict(),
            "feiten": dict(b.feiten),
            "herkomst": b.herkomst,
            "opmerkingen": list(b.opmerkingen),
        }


def sorteer_naam(naam: str) -> tuple[str, str]:
    """Alphabetical order as a reader expects: accents and case ignored."""
    plain = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().casefold()
    return (plain, naam)


def landelijk_beeld(kader: Kader, organisaties: Sequence[Mapping[str, Any]],
                    scores: Sequence[Beoordeling]) -> dict[str, Any]:
    """Per criterium the oordelen, per verwachting the scores, and the ranking."""
    schaal = list(kader.oordeelschaal)
    criteria = {}
    for c in kader.criteria:
        counts = Counter(o["criteria"][c.id]["oordeel"] for o in organisaties)
        row = {k: counts.get(k, 0) for k in schaal}
        row["geen_oordeel"] = counts.get(None, 0)
        criteria[c.id] = row
    verwachtingen = {}
    for v in kader.verwachtingen:
        counts = Counter(b.scores.get(v.id, Score.NIET_BEOORDEELD) for b in scores)
        verwachtingen[v.id] = {"voldoende": counts[Score.VOLDOENDE],
                               "onvoldoende": counts[Score.ONVOLDOENDE],
                               "niet_beoordeeld": counts[Score.NIET_BEOORDEELD]}
    rangorde = [o["naam"] for o in sorted(
        organisaties, key=lambda o: (-o["aantal_voldoende"], sorteer_naam(o["naam"])))]
    beeld: dict[str, Any] = {"aantal_organisaties": len(organisaties), "criteria": criteria,
                             "verwachtingen": verwachtingen, "rangorde": rangorde,
                             "organisatie": None}
    if kader.organisatie is not None:
        counts = Counter(o["oordeel"]["oordeel"] for o in organisaties)
        beeld["organisatie"] = {k: counts.get(k, 0) for k in schaal} | {
            "geen_oordeel": counts.get(None, 0)}
    return beeld


def assess(kader: Kader, beoordelingen: Iterable[Beoordeling],
           gepubliceerd: Sequence[Mapping[str, Any]] = (), *,
           invoer: Sequence[str] = (), dataset: str | None = None,
           voortgang: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The whole uitkomst (the ``json`` format's content) of a kader on beoordelingen.

    ``voortgang`` is called with the number of organisations done, every thousand.
    """
    from kaderwerk.afwijkingen import vergelijk

    rechter = Beoordelaar(kader)
    lijst = list(beoordelingen)
    organisaties = []
    for i, b in enumerate(lijst, 1):
        organisaties.append(rechter.beoordeel(b))
        if voortgang is not None and i % 1000 == 0:
            voortgang(i)
    beeld = landelijk_beeld(kader, organisaties, lijst)
    afwijkingen, gecontroleerd = vergelijk(kader, organisaties, beeld, gepubliceerd)
    return {
        "kader": {"id": kader.id, "versie": kader.versie, "titel": kader.titel,
                  "oordeelschaal": list(kader.oordeelschaal)},
        "invoer": {"bestanden": list(invoer), "dataset": dataset},
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
        "afwijkingen": afwijkingen,
    }


def handmatig_uit(oordeel: str, onderbouwing: str | None = None) -> Handmatig:
    """Convenience for tests and readers."""
    return Handmatig(oordeel, onderbouwing)
