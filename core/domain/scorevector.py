"""The score vector of a symbolic proof's counterexample, kept as counts until it is read.

A finding of the symbolic proof is a count state (v voldoende, o onvoldoende, x niet
beoordeeld); its score vector says which verwachting has which score. Built eagerly that is n
entries per finding: at 100,000 verwachtingen ten findings were a million entries, ten times the
proof itself. A ``Scorevector`` is a read-only mapping from verwachting id to score that keeps
the counts and builds its entries only when read. Written out (``als_data``) it is the whole
vector up to ``MAX_VOLUIT`` entries, and past that its runs of equal scores ("1.1.1 to 1.1.3:
voldoende"), which is what a reader of a 100,000-entry vector wants to see.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from kaderwerk.domain.model import Score

MAX_VOLUIT = 100
"""Largest vector written out entry by entry; a longer one is written as its runs."""

_V, _O, _NB = str(Score.VOLDOENDE), str(Score.ONVOLDOENDE), str(Score.NIET_BEOORDEELD)


class Ruimte:
    """The verwachtingen of one proof: assessed ``ids`` (those in ``open_ids`` may be niet
    beoordeeld) and ``vast`` ids that are never assessed. Shared by its vectors, so the open ids
    are put in order once, and only when a vector is read."""

    def __init__(self, ids: Sequence[str], open_ids: Collection[str],
                 vast: Sequence[str]) -> None:
        self.ids, self.vast = ids, vast
        self._open_ids = open_ids
        self._open: list[str] | None = None

    def open(self) -> list[str]:
        """The open ids in the order of ``ids``."""
        if self._open is None:
            open_set = set(self._open_ids)
            self._open = [i for i in self.ids if i in open_set]
        return self._open

    def vector(self, voldoende: int, extra_nb: int) -> Scorevector:
        """The vector with ``extra_nb`` open ids niet beoordeeld (the first ones), then
        ``voldoende`` of the rest voldoende, the others onvoldoende, ``vast`` niet beoordeeld."""
        return Scorevector(self, voldoende, extra_nb)


class Scorevector(Mapping[str, str]):
    """Verwachting id to score (``str(Score)``), in the order of the ids, then ``vast``."""

    def __init__(self, ruimte: Ruimte, voldoende: int, extra_nb: int) -> None:
        self._ruimte, self._v, self._x = ruimte, voldoende, extra_nb
        self._entries: dict[str, str] | None = None

    def _alle_open_vooraan(self) -> bool:
        """The niet beoordeeld ids are the first ``x`` ids: runs need no walk over the ids."""
        r = self._ruimte
        return not self._x or r._open_ids is r.ids or len(r.open()) == len(r.ids)

    def reeksen(self) -> list[tuple[int, int, str]]:
        """The runs of equal scores as (first index, last index, score), indexes into the ids
        followed by ``vast``."""
        r, v, x = self._ruimte, self._v, self._x
        n = len(r.ids)
        if self._alle_open_vooraan():
            stukken = [(0, x, _NB), (x, x + v, _V), (x + v, n, _O)]
        else:
            nb = set(r.open()[:x])
            stukken, voldoende = [], 0
            for i, vid in enumerate(r.ids):
                if vid in nb:
                    score = _NB
                elif voldoende < v:
                    score, voldoende = _V, voldoende + 1
                else:
                    score = _O
                if stukken and stukken[-1][2] == score and stukken[-1][1] == i:
                    stukken[-1] = (stukken[-1][0], i + 1, score)
                else:
                    stukken.append((i, i + 1, score))
        stukken.append((n, n + len(r.vast), _NB))
        uit: list[tuple[int, int, str]] = []
        for van, tot, score in stukken:
            if tot <= van:
                continue
            if uit and uit[-1][2] == score and uit[-1][1] == van - 1:
                uit[-1] = (uit[-1][0], tot - 1, score)
            else:
                uit.append((van, tot - 1, score))
        return uit

    def _alle(self) -> dict[str, str]:
        if self._entries is None:
            r = self._ruimte
            namen = [*r.ids, *r.vast]
            self._entries = {}
            for van, tot, score in self.reeksen():  # in the order of the names
                self._entries.update(dict.fromkeys(namen[van:tot + 1], score))
        return self._entries

    def __getitem__(self, key: str) -> str:
        return self._alle()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._alle())

    def __len__(self) -> int:
        return len(self._ruimte.ids) + len(self._ruimte.vast)

    def __repr__(self) -> str:
        return f"Scorevector({self.tekst()})"

    def tekst(self) -> str:
        """The runs in words: '1.1.1 to 1.1.3: voldoende; 1.1.4 to 1.1.9: onvoldoende'."""
        namen = self._naam
        return "; ".join(f"{namen(van)}{'' if tot == van else ' to ' + namen(tot)}: {score}"
                         for van, tot, score in self.reeksen())

    def _naam(self, i: int) -> str:
        r = self._ruimte
        return r.ids[i] if i < len(r.ids) else r.vast[i - len(r.ids)]

    def als_data(self) -> tuple[str, Any]:
        """The key and value it is written as: ``scores`` and the whole vector, or past
        ``MAX_VOLUIT`` entries ``scores_per_reeks`` and its runs (first id, last id, how many,
        score)."""
        if len(self) <= MAX_VOLUIT:
            return "scores", dict(self._alle())
        return "scores_per_reeks", [
            {"van": self._naam(van), "tot": self._naam(tot), "aantal": tot - van + 1,
             "score": score} for van, tot, score in self.reeksen()]


def als_data(waarde: Any) -> Any:
    """A counterexample as plain data for JSON: each ``Scorevector`` in it as ``als_data``
    writes it (the key ``scores`` becomes ``scores_per_reeks`` for a long one)."""
    if isinstance(waarde, Mapping) and not isinstance(waarde, Scorevector):
        uit: dict[Any, Any] = {}
        for k, w in waarde.items():
            if isinstance(w, Scorevector):
                sleutel, data = w.als_data()
                uit[sleutel if k == "scores" else k] = data
            else:
                uit[k] = als_data(w)
        return uit
    if isinstance(waarde, list):
        return [als_data(w) for w in waarde]
    return waarde


def met_vector(d: Any, ruimte: Ruimte, vast: int) -> Any:
    """The counterexample with each count state in it also given as a score vector (built
    only when read: ``kaderwerk.domain.scorevector``)."""
    if not isinstance(d, dict):
        return d
    uit = {k: met_vector(w, ruimte, vast) for k, w in d.items()}
    if {"voldoende", "onvoldoende", "niet_beoordeeld"} <= d.keys() and "scores" not in d:
        uit["scores"] = ruimte.vector(d["voldoende"], d["niet_beoordeeld"] - vast)
    return uit
