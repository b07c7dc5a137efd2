"""What plugin code returns, checked at the boundary before kaderwerk uses it.

Private to the plugin guard. A builtin reader's rows pass through ``beoordeling.Tabel``, which
refuses every cell that does not fit the kader; a third-party reader hands over ``Beoordeling``
objects it built itself, and a rule's ``to_dict`` hands over data that ``show --format json``
and ``diff`` write. Neither may reach the engine or an output unchecked: a score given as the
text ``"voldoende"`` would silently count as niet beoordeeld, a ``set`` or ``nan`` would end a
run as an internal error or as invalid JSON. Each check here answers with one line saying what
is wrong (for ``PluginFailed``, exit 4), or None. A rule a plugin's ``from_mapping`` builds is
checked as the kader schema and the loader check a builtin rule's mapping (``regel_fout``): its
attributes, not its mapping, are what the engine, the proofs and render use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from operator import countOf
from typing import Any

import attrs
from kaderwerk.domain.beoordeling import MAX_ORGANISATIES, Beoordeling, Opties, Tabel
from kaderwerk.domain.beslisregel import HIT_POLICIES, Clausule, Handmatig, Lezing, buiten_schaal
from kaderwerk.domain.cel import organisatie_naam, parse_datum
from kaderwerk.domain.model import Kader, Oordeelschaal, Score
from kaderwerk.domain.tekst import GEVAARLIJK, afgekort, beschrijf, een_regel, onzichtbaar_in_naam

_NIET_BEOORDEELD = {Score.NIET_BEOORDEELD, None}
_FEIT_TYPES: dict[str, tuple[type, ...]] = {"boolean": (bool,), "integer": (int,),
                                            "string": (str,)}


def _toon(value: Any) -> str:
    """A plugin's value as Python writes it, cut: a ``__repr__`` that raises cannot escape."""
    return een_regel(value, 60, als_repr=True)


def _soort(value: Any) -> str:
    return f"a {type(value).__name__}"


def _tekst_fout(value: Any, wat: str, *, leeg: bool = True) -> str | None:
    """Why ``value`` is no acceptable text for ``wat``, or None."""
    if not isinstance(value, str):
        return f"{wat} is {_toon(value)} ({_soort(value)}), not a text"
    if not leeg and not value.strip():
        return f"{wat} is empty"
    m = GEVAARLIJK.search(value)
    if m:
        return f"{wat} holds {beschrijf(m.group())}; remove it"
    return None


def gelezen(result: Any, kader: Kader, opties: Opties) -> tuple[str | None, list[Beoordeling]]:
    """A reader's result checked as ``Tabel`` checks a builtin reader's rows: a problem (or
    None) and the beoordelingen, each verwachting without a score counted as niet beoordeeld
    when ``--allow-missing`` (or an all-handmatig kader) allows it, as ``Tabel`` does."""
    if not isinstance(result, (list, tuple)):
        return f"a reader must return a list of Beoordeling, not {type(result).__name__}", []
    if len(result) > MAX_ORGANISATIES:
        return (f"it returned {len(result):,} organisations; kaderwerk assesses at most "
                f"{MAX_ORGANISATIES:,} per run, so a reader must raise te_veel for the rest"), []
    if not result:
        return ("it returned no organisations; a reader raises InvoerError for a file without "
                "any"), []
    uit = list(result)
    for i, b in enumerate(uit):
        if not isinstance(b, Beoordeling):
            return (f"a reader must return a list of Beoordeling; item {i + 1} is "
                    f"{_soort(b)}"), []
        if i == 0:
            tabel = Tabel(kader, "", opties)
            controle = _Controle(tabel, kader)
        fout = controle.naam(b.naam)
        if fout:
            return fout, []
        fout = controle.beoordeling(b)
        if fout:
            return f"organisation '{afgekort(b.naam)}': {fout}", []
        if len(b.scores) < len(tabel.verwachtingen):
            aangevuld = controle.aangevuld(b)
            if isinstance(aangevuld, str):
                return f"organisation '{afgekort(b.naam)}': {aangevuld}", []
            uit[i] = aangevuld
    return None, uit


class _Controle:
    """The rules of ``Tabel`` for one kader, applied to ``Beoordeling`` objects."""

    def __init__(self, tabel: Tabel, kader: Kader) -> None:
        self.tabel = tabel
        self.ids = set(tabel.verwachtingen)
        self.niet_beoordeeld = [v for v, ver in tabel.verwachtingen.items() if not ver.beoordeeld]
        self.verplicht = tabel.verplicht
        self.schaal = set(kader.oordeelschaal)
        self.seen: set[str] = set()

    def naam(self, naam: Any) -> str | None:
        if not isinstance(naam, str):
            return f"an organisation's naam is {_toon(naam)} ({_soort(naam)}), not a text"
        fout = _tekst_fout(naam, f"organisation '{afgekort(naam)}': naam", leeg=False)
        if fout:
            return fout
        if organisatie_naam(naam) != naam:
            return (f"organisation {_toon(naam)}: a naam must be as kaderwerk reads one (trimmed, "
                    f"in Unicode NFC): {_toon(organisatie_naam(naam))}")
        fout = onzichtbaar_in_naam(naam)
        if fout:
            return f"organisation '{afgekort(naam)}': {fout}"
        if naam in self.seen:
            return f"organisation '{afgekort(naam)}' appears twice"
        self.seen.add(naam)
        return None

    def beoordeling(self, b: Beoordeling) -> str | None:
        scores = b.scores
        if type(scores) is not dict and not isinstance(scores, Mapping):
            return (f"scores is {_soort(scores)}, not a mapping of verwachting id to Score")
        if countOf(map(type, scores.values()), Score) != len(scores):
            for k, s in scores.items():
                if type(s) is not Score:
                    return (f"score for {een_regel(k, 60)} is {_toon(s)} ({_soort(s)}), "
                            "not a Score")
        if not scores.keys() <= self.ids:
            eerste = sorted(map(str, scores.keys() - self.ids))[0]
            return (f"score for {afgekort(eerste)}, which is no verwachting of "
                    f"{self.tabel.kader.ref}")
        # map() and set operations in C: a Python loop per score would cost ~1 s at 100,000
        if self.niet_beoordeeld and {*map(scores.get, self.niet_beoordeeld)} - _NIET_BEOORDEELD:
            k = next(k for k in self.niet_beoordeeld
                     if scores.get(k) not in _NIET_BEOORDEELD)
            return (f"verwachting {k} is not assessed in this kader (beoordeeld: false); "
                    "its score must be niet beoordeeld")
        if Score.NIET_BEOORDEELD in map(scores.get, self.verplicht):
            k = next(k for k in self.verplicht if scores.get(k) is Score.NIET_BEOORDEELD)
            return (f"verwachting {k} must be scored voldoende or onvoldoende "
                    f"(score_verplicht for criterium {self.verplicht[k]} in the kader)")
        return self._feiten(b.feiten) or self._handmatig(b.handmatig) or self._rest(b)

    def _feiten(self, feiten: Any) -> str | None:
        if type(feiten) is not dict and not isinstance(feiten, Mapping):
            return f"feiten is {_soort(feiten)}, not a mapping of feit id to value"
        for k, v in feiten.items():
            feit = self.tabel.feiten.get(k) if isinstance(k, str) else None
            if feit is None:
                return f"feit {_toon(k)} is not declared in {self.tabel.kader.ref}"
            if not isinstance(v, _FEIT_TYPES.get(feit.type, (str,))) or (
                    feit.type == "integer" and isinstance(v, bool)):
                return f"feit '{k}' is {_toon(v)} ({_soort(v)}), not of type {feit.type}"
            fout = _tekst_fout(v, f"feit '{k}'") if isinstance(v, str) else None
            if fout:
                return fout
        return None

    def _handmatig(self, handmatig: Any) -> str | None:
        if type(handmatig) is not dict and not isinstance(handmatig, Mapping):
            return f"handmatig is {_soort(handmatig)}, not a mapping of criterium id to Handmatig"
        for k, h in handmatig.items():
            fout = self.tabel.oordeel_fout(k) if isinstance(k, str) else "not a criterium id"
            if fout:
                wie = afgekort(k) if isinstance(k, str) else _toon(k)
                return f"handmatig oordeel for {wie}: {fout}"
            if not isinstance(h, Handmatig):
                return f"handmatig oordeel for {k} is {_soort(h)}, not a Handmatig"
            if h.oordeel not in self.schaal:
                return (f"handmatig oordeel for {k} is {_toon(h.oordeel)}, not on the "
                        f"oordeelschaal ({', '.join(self.tabel.kader.oordeelschaal)})")
            if h.onderbouwing is not None:
                fout = _tekst_fout(h.onderbouwing, f"onderbouwing for {k}")
                if fout:
                    return fout
        return None

    def _rest(self, b: Beoordeling) -> str | None:
        for wat in ("datum", "kader", "herkomst"):
            waarde = getattr(b, wat)
            if waarde is not None:
                fout = _tekst_fout(waarde, wat, leeg=False)
                if fout:
                    return fout
        if b.datum is not None:
            try:
                goed = parse_datum(b.datum) == b.datum
            except ValueError as exc:
                return f"datum {_toon(b.datum)} {exc}"
            if not goed:
                return f"datum {_toon(b.datum)} is not a date as YYYY-MM-DD"
        if not isinstance(b.opmerkingen, Sequence) or isinstance(b.opmerkingen, str):
            return f"opmerkingen is {_soort(b.opmerkingen)}, not a tuple of texts"
        for o in b.opmerkingen:
            fout = _tekst_fout(o, "an opmerking")
            if fout:
                return fout
        return None

    def aangevuld(self, b: Beoordeling) -> Beoordeling | str:
        """``b`` with every verwachting it does not score as niet beoordeeld, when allowed."""
        tabel = self.tabel
        missend = [v for v in tabel.verwachtingen if v not in b.scores]
        beoordeeld = [v for v in missend if tabel.verwachtingen[v].beoordeeld]
        if tabel.alleen_handmatig:
            beoordeeld = []
        verplicht = [v for v in missend if v in tabel.verplicht]
        if verplicht or (beoordeeld and not tabel.opties.allow_missing):
            return (f"no score for verwachting {(verplicht or beoordeeld)[0]}; give every "
                    "assessed verwachting a score" + ("" if verplicht else
                                                      ", or use --allow-missing"))
        scores = dict(b.scores)
        scores.update((v, Score.NIET_BEOORDEELD) for v in missend)
        opmerkingen = tuple(b.opmerkingen) + tuple(
            f"{v} ontbreekt: als niet beoordeeld geteld (--allow-missing)" for v in beoordeeld)
        return attrs.evolve(b, scores=scores, opmerkingen=opmerkingen)


def json_fout(data: Any, pad: str = "") -> str | None:
    """Why ``data`` is not JSON data (str, int, finite float, bool, None, lists, dicts with
    text keys), naming where in it; or None."""
    if data is None or isinstance(data, (str, bool, int)):
        return None
    if isinstance(data, float):
        if math.isfinite(data):
            return None
        return f"{afgekort(pad, 200) or 'the value'} is {data!r}, not a finite number"
    if isinstance(data, dict):
        for k, v in data.items():
            if not isinstance(k, str):
                return (f"{afgekort(pad, 200) or 'the dict'} has key {_toon(k)} ({_soort(k)}), "
                        "not a text")
            fout = json_fout(v, f"{pad}[{_toon(k)}]" if pad else _toon(k))
            if fout:
                return fout
        return None
    if isinstance(data, (list, tuple)):
        for i, v in enumerate(data):
            fout = json_fout(v, f"{pad}[{i}]")
            if fout:
                return fout
        return None
    return f"{afgekort(pad, 200) or 'the value'} is {_toon(data)} ({_soort(data)}), not JSON data"


def regel_fout(regel: Any, schaal: Any) -> str | None:
    """Why a rule built by a plugin's ``from_mapping`` breaks what a builtin rule is held to:
    a ``hit`` policy of ``HIT_POLICIES``, texts (the rule's and each clause's) that are
    non-empty texts without control characters, clauses whose oordelen and
    ``zonder_beoordeling`` are on the kader's oordeelschaal; or None."""
    for attr in ("schaal", "hit", "tekst", "zonder_beoordeling", "clausules"):
        if not hasattr(regel, attr):
            return f"it has no {attr}; call Beslisregel.__init__ from the rule's __init__"
    niveaus = tuple(schaal) if isinstance(schaal, Oordeelschaal) else None
    if not isinstance(regel.schaal, Oordeelschaal) or (
            niveaus is not None and tuple(regel.schaal) != niveaus):
        return f"its schaal is {_toon(regel.schaal)}, not the kader's oordeelschaal"
    niveaus = tuple(regel.schaal)
    if not isinstance(regel.hit, str) or regel.hit not in HIT_POLICIES:
        return (f"hit is {_toon(regel.hit)}, not a hit policy ({', '.join(HIT_POLICIES)})")
    if regel.tekst is not None:
        fout = _tekst_fout(regel.tekst, "the rule's tekst", leeg=False)
        if fout:
            return fout
    fout = buiten_schaal(regel.zonder_beoordeling, niveaus)
    if fout:
        return f"zonder_beoordeling: {fout}"
    if not isinstance(regel.clausules, tuple):
        return f"clausules is {_soort(regel.clausules)}, not a tuple of Clausule"
    for i, c in enumerate(regel.clausules):
        wat = f"clause {i + 1}"
        if not isinstance(c, Clausule):
            return f"{wat} is {_soort(c)}, not a Clausule"
        fout = (buiten_schaal(c.oordeel, niveaus) if isinstance(c.oordeel, str)
                else f"oordeel {_toon(c.oordeel)} is {_soort(c.oordeel)}, not a text")
        if fout:
            return f"{wat}: {fout}"
        if c.tekst is not None:
            fout = _tekst_fout(c.tekst, f"{wat}'s tekst", leeg=False)
            if fout:
                return fout
        if c.lezing is not None and not isinstance(c.lezing, Lezing):
            return f"{wat}'s lezing is {_soort(c.lezing)}, not a Lezing"
    return None
