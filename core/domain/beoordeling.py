"""Beoordelingen: one organisation's scores, facts and handmatige oordelen under one kader.

Readers (CSV, Excel, YAML/JSON) are plugins, but what a table *means* is the same for all of
them and lives here: the first column names the organisation, other columns are verwachting
ids, declared feiten, ``oordeel [criterium]`` and ``onderbouwing [criterium]``. Every problem
is reported with file, row, organisation and column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from kaderwerk.domain.beslisregel import Handmatig
from kaderwerk.domain.cel import leeg, organisatie_naam, parse_datum
from kaderwerk.domain.errors import InvoerError, Problem
from kaderwerk.domain.model import Kader, Score
from kaderwerk.domain.tekst import afgekort, onzichtbaar_in_naam
from kaderwerk.domain.woorden import meervoud

ORGANISATIE = "organisatie"

_SCORES = {
    "1": Score.VOLDOENDE, "v": Score.VOLDOENDE, "voldoende": Score.VOLDOENDE,
    "3": Score.ONVOLDOENDE, "o": Score.ONVOLDOENDE, "onvoldoende": Score.ONVOLDOENDE,
    "nb": Score.NIET_BEOORDEELD, "niet beoordeeld": Score.NIET_BEOORDEELD,
    "niet_beoordeeld": Score.NIET_BEOORDEELD, "n.b.": Score.NIET_BEOORDEELD,
}
#: columns a table may have beyond those its kader names (blank ones, mistakes): every kader
#: the loader accepts can be assessed, whatever its number of verwachtingen (docs/robustness.md)
MAX_KOLOMMEN = 10_000
MAX_PROBLEMEN = 200  # reported at once; more only bury the first
#: per run: every output format stays under 1 GB of memory (docs/robustness.md, performance.md)
MAX_ORGANISATIES = 100_000

_WAAR = {"ja", "j", "true", "waar", "yes", "y", "1", "x"}
_ONWAAR = {"nee", "n", "false", "onwaar", "no", "0"}


def max_kolommen(kader: Kader) -> int:
    """The most columns a table for ``kader`` may have: ``MAX_KOLOMMEN`` more than it names
    (organisatie, its verwachtingen and feiten, oordeel and onderbouwing per criterium and for
    the organisation, datum, kader)."""
    benoemd = (1 + len(kader.verwachtingen) + len(kader.feiten)
               + 2 * (len(kader.criteria) + 1) + 2)
    return MAX_KOLOMMEN + benoemd


@attrs.frozen
class Beoordeling:
    """One organisation's scores (plus facts and handmatige oordelen) under one kader."""

    naam: str
    scores: Mapping[str, Score]
    feiten: Mapping[str, Any] = attrs.field(factory=dict)
    handmatig: Mapping[str, Handmatig] = attrs.field(factory=dict)
    datum: str | None = None
    kader: str | None = None
    herkomst: str | None = None
    opmerkingen: tuple[str, ...] = ()


@attrs.frozen
class Opties:
    """Reader options from the command line."""

    allow_missing: bool = False
    negeer: frozenset[str] = frozenset()
    """Column names read as absent: ``diff`` judging a file by a version of the kader that
    does not know a column another version added."""
    genegeerd: set[str] | None = attrs.field(default=None, eq=False)
    """Where the names of the ``negeer`` columns a file had are collected, when given."""


DEFAULT_OPTIES = Opties()


def parse_score(value: Any) -> Score | None:
    """A cell as a Score; None when the cell is empty; raises ValueError when off the scale.

    One set of spellings for every reader (docs/beoordelingen.md): the text of ``_SCORES``,
    trimmed, in any case, and the integers 1 and 3 of formats with numbers. A fraction
    (``1.0``) is refused as CSV text ``1.0`` is; readers hand over numbers written any other
    way (YAML ``0x3``, ``01``) as their text.
    """
    if value is None:
        return None
    if isinstance(value, (bool, float)):
        raise ValueError(str(value))
    text = str(value).strip().lower()
    if not text:
        return None
    try:
        return _SCORES[text]
    except KeyError:
        raise ValueError(text) from None


def parse_feit(value: Any, soort: str) -> Any:
    """A fact cell as the type the kader declares; None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if soort == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _WAAR:
            return True
        if text in _ONWAAR:
            return False
        raise ValueError("expected ja or nee")
    if soort == "integer":
        if isinstance(value, (bool, float)):
            raise ValueError("expected a whole number")
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        raise ValueError("expected a whole number")
    return str(value).strip()


def te_veel(file: str, rownr: int, rij: str = "row") -> InvoerError:
    """The error for organisation number MAX_ORGANISATIES + 1, at its row or line."""
    return InvoerError.at(
        f"organisation number {MAX_ORGANISATIES + 1:,} starts at {rij} {rownr}: kaderwerk "
        f"assesses at most "
        f"{MAX_ORGANISATIES:,} organisations per run, so that every report fits in memory; "
        "split the file (by region or by period) and assess the parts", file, rownr)


class Tabel:
    """Interprets rows of cells (from CSV or Excel) as beoordelingen of a kader."""

    def __init__(self, kader: Kader, file: str, opties: Opties = Opties(), *,
                 rij: str = "row") -> None:
        self.rij = rij
        self.kader = kader
        self.file = file
        self.opties = opties
        self.verwachtingen = {v.id: v for v in kader.verwachtingen}
        self.criteria = {c.id for c in kader.criteria}
        self.feiten = {f.id: f for f in kader.feiten}
        self.regels = {c.id: c.beslisregel for c in kader.criteria}
        if kader.organisatie is not None:
            self.regels[ORGANISATIE] = kader.organisatie.beslisregel
        self.alleen_handmatig = _handmatig_kader(kader)
        self.verplicht = {v.id: c.id for c in kader.criteria if c.score_verplicht
                          for v in c.beoordeelde}
        self.kop_rij: int | None = 1  # the header's row, set by ``lees``

    def lees(self, header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]],
             column_name: Any = None, *, snel: bool = False, kop_rij: int | None = 1,
             ) -> list[Beoordeling]:
        """Beoordelingen from a header and numbered rows; every problem in one error.

        ``kop_rij`` is the header's row (or line) number, for messages; None when the reader
        made the header itself (a structured file), which need not name a column. ``snel``
        lets rows whose cells are all known score spellings take a fast path (any other row is
        read cell by cell). The caller promises that no cell is a ``bool`` or ``float``, which
        would hash like 1 or 0: true of CSV text, and of structured files (their parsers keep a
        fraction as its text).
        """
        colname = column_name or (lambda i: str(i + 1))
        self.kop_rij = kop_rij
        problems: list[Problem] = []
        kolommen = self._kolommen(header, colname, problems)
        if problems:
            raise InvoerError("", problems=problems)
        if snel:
            from kaderwerk.domain._snel_tabel import SnelPad

            snel_pad = SnelPad.voor(self, kolommen)
        else:
            snel_pad = None
        result: list[Beoordeling] = []
        seen: dict[str, int] = {}
        for rownr, cells in rows:
            if snel_pad is not None:
                b = snel_pad.rij(rownr, cells, seen)
                if b is not None:
                    result.append(b)
                    if len(result) > MAX_ORGANISATIES:
                        raise te_veel(self.file, rownr, self.rij)
                    continue
            if all(map(leeg, cells)):
                continue
            b = self._rij(rownr, cells, kolommen, colname, seen, problems)
            if b is not None:
                result.append(b)
            if len(problems) > MAX_PROBLEMEN:
                break
            if len(result) > MAX_ORGANISATIES:
                raise te_veel(self.file, rownr, self.rij)
        if problems:
            raise InvoerError("", problems=problems)
        if not result:
            raise InvoerError.at("the table has a header but no organisations", self.file,
                                 (kop_rij or 1) + 1)
        return result

    def _kolommen(self, header: Sequence[Any], colname: Any,
                  problems: list[Problem]) -> list[tuple[str, str | None]]:
        kolommen: list[tuple[str, str | None]] = []
        seen: dict[str, int] = {}
        betekenis: dict[tuple[str, str | None], int] = {}  # what a column means -> its index
        kop = self.kop_rij or 1
        grens = max_kolommen(self.kader)
        if len(header) > grens:
            # a structured file has no header: its organisations name the columns
            wat = (f"the header has {len(header):,} columns" if self.kop_rij is not None
                   else f"the organisations name {len(header):,} columns (scores, feiten, "
                        "oordelen)")
            problems.append(Problem(f"{wat}; at most {grens:,} for kader {self.kader.ref} "
                                    f"({MAX_KOLOMMEN:,} more than it names): remove blank "
                                    "or unknown columns", self.file, kop))
            return kolommen
        if self.kop_rij is not None and not any(
                self._soort("" if raw is None else str(raw).strip()) for raw in header[1:]):
            if all(map(leeg, header)):
                problems.append(Problem("the header is blank; the first row that is not blank "
                                        "must name the columns", self.file, kop))
            else:
                problems.append(Problem(
                    f"{self.rij} {kop} is not a header: it names no verwachting "
                    f"({next(iter(self.verwachtingen), '')} ...), feit, oordeel, datum or "
                    f"kader (it starts '{_toon(header[0])}'); the header must be the first "
                    f"{self.rij} that is not blank: remove any title above it", self.file, kop))
            return kolommen
        for i, raw in enumerate(header):
            if len(problems) > MAX_PROBLEMEN:
                break
            name = "" if raw is None else str(raw).strip()
            where = f"column {colname(i)}"
            if i == 0:
                kolommen.append((ORGANISATIE, None))
                continue
            key = name.lower()
            if not name:
                kolommen.append(("leeg", None))
                continue
            if key in seen:
                problems.append(Problem(f"{where}: column '{_toon(name)}' appears twice (first "
                                        f"in column {colname(seen[key])})", self.file, kop))
                continue
            seen[key] = i
            soort = self._soort(name)
            if soort is not None and soort[0] == "negeer":
                if self.opties.genegeerd is not None:
                    self.opties.genegeerd.add(name)
                kolommen.append(soort)
                continue
            if soort is None:
                known = list(self.verwachtingen) + list(self.feiten) + ["oordeel"]
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; expected verwachting ids ({next(iter(self.verwachtingen))} ...), feiten "
                    f"({', '.join(self.feiten) or 'none declared'}), 'oordeel' or "
                    "'oordeel <criterium>'")
                problems.append(Problem(f"{where}: unknown column '{_toon(name)}'{hint}",
                                        self.file, kop))
                continue
            if soort in betekenis:
                eerste = betekenis[soort]
                problems.append(Problem(
                    f"{where}: column '{_toon(name)}' means the same as column "
                    f"{colname(eerste)} ('{_toon(header[eerste])}'); keep one of them",
                    self.file, kop))
                continue
            betekenis[soort] = i
            if soort[0] in ("oordeel", "onderbouwing"):
                fout = self.oordeel_fout(str(soort[1]))
                if fout:
                    problems.append(Problem(f"{where}: column '{_toon(name)}': {fout}; remove "
                                            "the column", self.file, kop))
                    continue
            kolommen.append(soort)
        if not problems and not self.opties.allow_missing:
            present = {k for s, k in kolommen if s == "score"}
            missing = [v for v, ver in self.verwachtingen.items()
                       if ver.beoordeeld and v not in present and not self.alleen_handmatig]
            if missing:
                n = len(missing)
                problems.append(Problem(
                    f"no column for {meervoud(n, 'verwachting', 'verwachtingen')} "
                    f"{', '.join(missing)}; add the {meervoud(n, 'column', 'columns')}, or use "
                    f"--allow-missing to treat {meervoud(n, 'it', 'them')} as niet beoordeeld",
                    self.file, kop))
        elif not problems:
            present = {k for s, k in kolommen if s == "score"}
            missing = [v for v in self.verplicht if v not in present]
            if missing:
                n = len(missing)
                problems.append(Problem(
                    f"no column for {meervoud(n, 'verwachting', 'verwachtingen')} "
                    f"{', '.join(missing)}, which the kader says must be scored "
                    f"(score_verplicht); add the {meervoud(n, 'column', 'columns')}", self.file,
                    kop))
        return kolommen

    def oordeel_fout(self, doel: str) -> str | None:
        """Why ``doel`` (a criterium id or ``organisatie``) takes no handmatig oordeel, or None.

        Only a handmatig beslisregel takes an oordeel as input; any other would ignore it.
        """
        regel = self.regels.get(doel)
        wie = "the organisation" if doel == ORGANISATIE else f"criterium {doel}"
        if regel is None:
            return (f"{wie} has no beslisregel in this kader, so an oordeel for it would be "
                    "ignored") if doel == ORGANISATIE else f"{wie} is not in this kader"
        if not regel.handmatig:
            return (f"{wie} has a '{regel.type}' beslisregel, which computes the oordeel; only "
                    "a handmatig rule takes an oordeel as input")
        return None

    def soort(self, name: str) -> tuple[str, str | None] | None:
        """What a column named ``name`` means: (kind, key), or None when it is unknown."""
        return self._soort(name)

    def _soort(self, name: str) -> tuple[str, str | None] | None:
        key = name.strip()
        if key in self.opties.negeer or key.lower() in self.opties.negeer:
            return ("negeer", key)
        if key in self.verwachtingen:
            return ("score", key)
        if key.lower() in self.feiten:
            return ("feit", key.lower())
        m = re.fullmatch(r"(oordeel|onderbouwing)(?:[ _:]+(\S+))?", key, re.IGNORECASE)
        if m:
            target = m.group(2) or ORGANISATIE
            if target == ORGANISATIE or target in self.criteria:
                return (m.group(1).lower(), target)
        if key.lower() in ("datum", "kader"):
            return (key.lower(), None)
        return None

    def _rij(self, rownr: int, cells: Sequence[Any], kolommen: list[tuple[str, str | None]],
             colname: Any, seen: dict[str, int], problems: list[Problem]) -> Beoordeling | None:
        naam = organisatie_naam(cells[0] if cells else None)
        if not naam:
            problems.append(Problem("row has no organisation name in the first column",
                                    self.file, rownr))
            return None
        who = f"{self.rij} {rownr} ({_toon(naam)})"
        fout = onzichtbaar_in_naam(naam)
        if fout:
            problems.append(Problem(f"{who}, column {colname(0)} ({ORGANISATIE}): {fout}",
                                    self.file, rownr))
            return None
        if naam in seen:
            problems.append(Problem(f"{who}: organisation '{_toon(naam)}' appears twice (first in "
                                    f"{self.rij} {seen[naam]})", self.file, rownr))
            return None
        seen[naam] = rownr
        scores: dict[str, Score] = {}
        feiten: dict[str, Any] = {}
        oordelen: dict[str, str] = {}
        onderbouwing: dict[str, str] = {}
        extra: dict[str, str] = {}
        opmerkingen: list[str] = []

        def plek(i: int) -> str:
            soort, key = kolommen[i]
            return f"{who}, column {colname(i)} ({key or soort})"

        for i in range(len(kolommen), len(cells)):
            if not leeg(cells[i]):
                problems.append(Problem(
                    f"{who}, column {colname(i)}: a value ('{_toon(cells[i])}') beyond the "
                    "last column of the header; name the column in the header, or delete the "
                    "value", self.file, rownr))
        for i, (soort, key) in enumerate(kolommen):
            if i == 0:
                continue
            cell = cells[i] if i < len(cells) else None
            if soort == "negeer":
                continue
            if soort == "leeg":
                if not leeg(cell):
                    problems.append(Problem(
                        f"{who}, column {colname(i)}: a value ('{_toon(cell)}') in a column "
                        "without a header; name the column in the header, or delete the value",
                        self.file, rownr))
                continue
            if soort == "score":
                try:
                    s = parse_score(cell)
                except ValueError:
                    problems.append(Problem(
                        f"{plek(i)}: '{_toon(cell)}' is not a score; use 1 or V (voldoende), "
                        "3 or O (onvoldoende), NB (niet beoordeeld), or the words", self.file,
                        rownr))
                    continue
                ver = self.verwachtingen[key]
                if s is None:
                    if ver.beoordeeld and not self.opties.allow_missing:
                        problems.append(Problem(
                            f"{plek(i)}: empty cell for an assessed verwachting; fill it in, "
                            "or use --allow-missing to treat it as niet beoordeeld",
                            self.file, rownr))
                        continue
                    if ver.beoordeeld:
                        opmerkingen.append(f"{key} leeg: als niet beoordeeld geteld "
                                           "(--allow-missing)")
                    s = Score.NIET_BEOORDEELD
                if s is Score.NIET_BEOORDEELD and key in self.verplicht:
                    problems.append(Problem(
                        f"{plek(i)}: verwachting {key} must be scored voldoende or onvoldoende "
                        f"(score_verplicht for criterium {self.verplicht[key]} in the kader); "
                        "niet beoordeeld is not accepted here", self.file, rownr))
                    continue
                if not ver.beoordeeld and s is not Score.NIET_BEOORDEELD:
                    problems.append(Problem(
                        f"{plek(i)}: verwachting {key} is not assessed in this kader "
                        "(beoordeeld: false); leave the cell empty", self.file, rownr))
                    continue
                scores[key] = s
            elif soort == "feit":
                try:
                    v = parse_feit(cell, self.feiten[key].type)
                except ValueError as exc:
                    problems.append(Problem(f"{plek(i)}: '{_toon(cell)}' does not fit feit "
                                            f"'{key}' of type {self.feiten[key].type}: {exc}",
                                            self.file, rownr))
                    continue
                if v is not None:
                    feiten[key] = v
            elif soort in ("oordeel", "onderbouwing"):
                text = "" if cell is None else str(cell).strip()
                if not text:
                    continue
                if soort == "oordeel":
                    o = text.lower()
                    if o not in self.kader.oordeelschaal:
                        problems.append(Problem(
                            f"{plek(i)}: oordeel '{_toon(text)}' is not on the oordeelschaal "
                            f"({', '.join(self.kader.oordeelschaal)})", self.file, rownr))
                        continue
                    oordelen[key] = o
                else:
                    onderbouwing[key] = text
            elif soort == "datum":
                try:
                    datum = parse_datum(cell)
                except ValueError as exc:
                    problems.append(Problem(f"{plek(i)}: '{_toon(cell)}' {exc}", self.file,
                                            rownr))
                    continue
                if datum:
                    extra[soort] = datum
            elif soort == "kader":
                text = "" if cell is None else str(cell).strip()
                if text:
                    extra[soort] = text
        for key in onderbouwing:
            if key not in oordelen:
                problems.append(Problem(f"{who}: onderbouwing for {key} without an oordeel",
                                        self.file, rownr))
        for vid, ver in self.verwachtingen.items():
            if vid not in scores:
                scores[vid] = Score.NIET_BEOORDEELD
                if ver.beoordeeld and not self.alleen_handmatig:
                    opmerkingen.append(f"{vid} ontbreekt: als niet beoordeeld geteld "
                                       "(--allow-missing)")
        return Beoordeling(
            naam=naam, scores=scores, feiten=feiten,
            handmatig={k: Handmatig(o, onderbouwing.get(k)) for k, o in oordelen.items()},
            datum=extra.get("datum"), kader=extra.get("kader"),
            herkomst=f"{self.file}:{rownr}", opmerkingen=tuple(opmerkingen))


def _toon(value: Any) -> str:
    """A cell as a message shows it: on one line and at most 60 characters."""
    text = str(value).replace("\r", "\\r").replace("\n", "\\n")
    return afgekort(text)


def _handmatig_kader(kader: Kader) -> bool:
    """True when no criterium's rule looks at scores (every oordeel is handmatig)."""
    return all(c.beslisregel.handmatig for c in kader.criteria)
