"""The fast path of ``Tabel.lees``: the common row of a scores table read at C speed.

Private: a speed-up, not a meaning. ``Tabel`` (``kaderwerk.domain.beoordeling``) decides what every
row means and words every problem; this path only recognises rows it would accept unchanged
(a clean new name and a known spelling in every score cell) and builds their Beoordeling
without the per-cell work: a 100,000-organisation CSV is read in ~1 s instead of ~3.5 s
(docs/performance.md). Both paths give the same result (tests/test_snel.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING

from kaderwerk.domain.beoordeling import ORGANISATIE, Beoordeling, parse_score
from kaderwerk.domain.cel import leeg, parse_datum
from kaderwerk.domain.model import Score
from kaderwerk.domain.tekst import ONZICHTBAAR

if TYPE_CHECKING:
    from kaderwerk.domain.beoordeling import Tabel


class SnelPad:
    """The common row at C speed: a clean new name and a known spelling in every score cell.

    Only for tables of organisatie, score, datum and kader columns (a structured file repeats
    its kader on every row). ``rij`` returns None for any other row,
    which ``Tabel._rij`` then reads cell by cell, so what a row means and every message stay
    in one place; the fast path only skips work for rows that path would accept unchanged.
    """

    def __init__(self, tabel: Tabel, kolommen: list[tuple[str, str | None]]) -> None:
        cols = [(i, key) for i, (soort, key) in enumerate(kolommen) if soort == "score"]
        self.file = tabel.file
        self.breedte = max(len(kolommen), 1)  # the name cell, even under an empty header
        self.ids = tuple(str(key) for _, key in cols)
        index = [i for i, _ in cols]
        self.cellen = (itemgetter(*index) if len(index) > 1 else
                       (lambda cells: (cells[index[0]],)) if index else (lambda cells: ()))
        # one spelling table per kind of column: assessed, not assessed (beoordeeld: false),
        # and assessed where niet beoordeeld is refused (score_verplicht)
        self.beoordeeld = tuple(tabel.verwachtingen[v].beoordeeld for v in self.ids)
        self.soorten = tuple(2 if v in tabel.verplicht else 0 if b else 1
                             for v, b in zip(self.ids, self.beoordeeld, strict=True))
        self.spelling: tuple[dict[str, Score], ...] = ({}, {}, {})
        self.lezers = tuple(self.spelling[k] for k in self.soorten)
        self.alle_beoordeeld = all(k == 0 for k in self.soorten)
        self.extra = tuple((soort, i) for i, (soort, _) in enumerate(kolommen)
                           if soort in ("datum", "kader"))
        self.lege = tuple(i for i, (soort, _) in enumerate(kolommen) if soort == "leeg")
        self.datums: set[str] = set()  # texts found to be valid ISO dates
        self.rest = {vid: Score.NIET_BEOORDEELD for vid in tabel.verwachtingen
                     if vid not in self.ids}
        self.opmerkingen = tuple(
            f"{vid} ontbreekt: als niet beoordeeld geteld (--allow-missing)"
            for vid in self.rest
            if tabel.verwachtingen[vid].beoordeeld and not tabel.alleen_handmatig)

    @classmethod
    def voor(cls, tabel: Tabel, kolommen: list[tuple[str, str | None]]) -> SnelPad | None:
        if all(soort in (ORGANISATIE, "score", "leeg", "datum", "kader") for soort, _ in kolommen):
            return cls(tabel, kolommen)
        return None

    def rij(self, rownr: int, cells: Sequence[str], seen: dict[str, int]) -> Beoordeling | None:
        if len(cells) != self.breedte and (len(cells) < self.breedte
                                           or not all(map(leeg, cells[self.breedte:]))):
            return None
        for i in self.lege:
            if not leeg(cells[i]):
                return None
        naam = cells[0]
        if (not naam or naam in seen or naam != naam.strip()
                or not unicodedata.is_normalized("NFC", naam) or ONZICHTBAAR.search(naam)):
            return None
        waarden = self.cellen(cells)
        try:
            if self.alle_beoordeeld:
                scores = dict(zip(self.ids, map(self.spelling[0].__getitem__, waarden),
                                  strict=True))
            else:
                scores = dict(zip(self.ids, map(dict.__getitem__, self.lezers, waarden),
                                  strict=True))
        except KeyError:
            if not self.leer(waarden):
                return None
            return self.rij(rownr, cells, seen)
        extra = {"datum": None, "kader": None}
        for soort, i in self.extra:
            cel = cells[i]
            if cel is not None:
                if type(cel) is not str or not cel or cel != cel.strip():
                    return None
                if soort == "datum" and cel not in self.datums:
                    try:
                        if parse_datum(cel) != cel:
                            return None
                    except ValueError:
                        return None
                    self.datums.add(cel)
                extra[soort] = cel
        scores.update(self.rest)
        seen[naam] = rownr
        return Beoordeling(naam, scores, {}, {}, extra["datum"], extra["kader"],
                           f"{self.file}:{rownr}", self.opmerkingen)

    def leer(self, waarden: Sequence[str]) -> bool:
        """Add the row's new spellings; False when one needs the slow path (error or remark)."""
        for cel, soort in zip(waarden, self.soorten, strict=True):
            tabel = self.spelling[soort]
            beoordeeld = soort != 1
            if cel in tabel:
                continue
            try:
                s = parse_score(cel)
            except ValueError:
                return False
            if s is None and not beoordeeld:
                s = Score.NIET_BEOORDEELD
            if s is None or (not beoordeeld and s is not Score.NIET_BEOORDEELD):
                return False
            if soort == 2 and s is Score.NIET_BEOORDEELD:
                return False
            tabel[cel] = s
        return True
