"""Example tests for kaders (``voorbeelden``): given these scores, this oordeel.

``check`` proves a beslisregel consistent, but only an example shows that it says what the
source says. Like OpenFisca's YAML tests, a kader folder carries ``voorbeelden/*.yaml``
(``schemas/voorbeelden.schema.json``): per example the scores, feiten and handmatige oordelen
of one organisation and the oordelen they must give; per dataset the published figures and
oordelen it must reproduce. This module reads those files (every problem located), runs them
through the engine, and records which clause of which beslisregel each checked oordeel came
from, so ``kaderwerk test`` can report the clauses no example exercises.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
from kaderwerk.domain.beoordeling import ORGANISATIE, Beoordeling, Opties, parse_feit, parse_score
from kaderwerk.domain.beslisregel import Handmatig
from kaderwerk.domain.engine import Beoordelaar, Oordeel
from kaderwerk.domain.errors import KaderwerkError, NotFoundError, Problem
from kaderwerk.domain.model import Kader, Score
from kaderwerk.domain.woorden import aantal
from kaderwerk.sources import loader, schema
from kaderwerk.sources.catalog import catalog, toon, versie_key
from kaderwerk.sources.yamlsource import Document

MAP = "voorbeelden"
Spoor = tuple[str, ...]
"""What a checked oordeel exercised: (doel, "clausule", index) or (doel, "plafond", key)."""


# -- finding files --------------------------------------------------------------------------

def _first_lines(path: Path) -> str:
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            return fh.read(4000)
    except OSError:
        return ""


def is_kader_bestand(path: Path) -> bool:
    """A kader file: the kader schema on the first line, or a key only a kader has at the top
    (``oordeelschaal``, ``themas``, an overlay's ``basis``)."""
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return False
    head = "\n" + _first_lines(path)
    return "kader.schema.json" in head.split("\n", 2)[1] or any(
        f"\n{key}:" in head for key in ("oordeelschaal", "themas", "basis"))


def is_voorbeelden_bestand(path: Path) -> bool:
    """A voorbeelden file: in a ``voorbeelden`` folder, naming its schema, or a top-level key."""
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return False
    head = "\n" + _first_lines(path)
    return path.parent.name == MAP or "voorbeelden.schema.json" in head.split("\n", 2)[1] or (
        "\nvoorbeelden:" in head and "\noordeelschaal:" not in head)


def yaml_bestanden(folder: Any) -> list[Any]:
    """The YAML files directly in ``folder`` (a path or package resource), by name."""
    if not folder.is_dir():
        return []
    from kaderwerk.sources.project import is_yaml

    return sorted((f for f in folder.iterdir() if is_yaml(f.name)), key=lambda f: f.name)


# -- reading a voorbeelden file -------------------------------------------------------------

@attrs.frozen
class Verwacht:
    """One expected oordeel, where it is written."""

    doel: str
    oordeel: str | None
    line: int | None
    column: int | None


@attrs.frozen
class Voorbeeld:
    """One organisation's input and the oordelen it must get."""

    naam: str
    beoordeling: Beoordeling
    verwacht: tuple[Verwacht, ...]
    line: int | None


@attrs.frozen
class DatasetVoorbeeld:
    """A dataset of the kader and what assessing it must give."""

    naam: str
    dataset: str
    beeld: tuple[tuple[str, Mapping[str, int], int | None, int | None], ...]
    organisaties: tuple[tuple[str, tuple[Verwacht, ...]], ...]
    afwijkingen: tuple[int, int | None, int | None] | None
    line: int | None


@attrs.frozen
class Bestand:
    """A read voorbeelden file: its kader and examples, or the problems that stop it."""

    file: str
    kader: Kader | None
    voorbeelden: tuple[Voorbeeld, ...] = ()
    datasets: tuple[DatasetVoorbeeld, ...] = ()
    problemen: tuple[Problem, ...] = ()
    folder: Path | None = None
    """The kader folder (above ``voorbeelden/``), where local kader and dataset files live."""


class Kaders:
    """Resolves ``kader:`` references, a kader file in the folder first, once per file."""

    def __init__(self) -> None:
        self._geladen: dict[str, Kader] = {}

    def pad(self, path: Path) -> Kader:
        """The kader in this file."""
        key = os.path.realpath(path)
        if key not in self._geladen:
            self._geladen[key] = catalog().get(toon(path))
        return self._geladen[key]

    def ref(self, ref: str, folder: Path | None) -> Kader:
        """The kader ``id`` or ``id@versie``: a matching file in ``folder``, else installed."""
        kader_id, _, versie = ref.partition("@")
        if folder is not None:
            hier = []
            for f in yaml_bestanden(folder):
                if is_kader_bestand(f):
                    try:
                        data = loader.read_document(f, toon(f)).data
                    except KaderwerkError:
                        continue
                    if isinstance(data, dict) and data.get("id") == kader_id and (
                            not versie or str(data.get("versie")) == versie):
                        hier.append((versie_key(str(data.get("versie"))), f))
            if hier:
                return self.pad(max(hier)[1])
        return catalog().get(ref)


def lees(bron: Any, kaders: Kaders | None = None, display: str | None = None) -> Bestand:
    """Read, validate and interpret one voorbeelden file; problems are collected, not raised."""
    file = display or toon(bron)
    path = Path(str(bron))
    folder = path.parent.parent if path.parent.name == MAP else path.parent
    folder = folder if folder.is_dir() else None
    try:
        doc = loader.read_document(bron, file)
    except KaderwerkError as exc:
        return Bestand(file, None, problemen=tuple(exc.problems or [Problem(str(exc), file)]))
    data = doc.data
    soort = "kader" if isinstance(data, dict) and "oordeelschaal" in data else (
        "dataset" if isinstance(data, dict) and "naam" in data and MAP not in data else None)
    if not isinstance(data, dict) or soort:
        return Bestand(file, None, problemen=(doc.problem(
            f"this is a {soort} file, not a voorbeelden file" if soort
            else "a voorbeelden file must be a mapping (key: value) at the top", ()),))
    problems = schema.validate("voorbeelden", doc)
    if problems:
        return Bestand(file, None, problemen=tuple(problems))
    ref = doc.data["kader"]
    try:
        kader = (kaders or Kaders()).ref(ref, folder)
    except KaderwerkError as exc:
        return Bestand(file, None, problemen=(
            doc.problem(f"kader '{ref}' cannot be used: {reden(exc)}", ("kader",)),
            *exc.problems), folder=folder)
    voorbeelden = tuple(_voorbeeld(doc, i, v, kader, problems)
                        for i, v in enumerate(doc.data.get("voorbeelden", [])))
    datasets = tuple(_dataset(doc, i, d, kader, problems)
                     for i, d in enumerate(doc.data.get("datasets", [])))
    gezien: dict[str, int | None] = {}
    for v in (*voorbeelden, *datasets):
        if v.naam in gezien:
            problems.append(Problem(f"name '{v.naam}' is used twice (first at line "
                                    f"{gezien[v.naam]}); give each example its own", file,
                                    v.line))
        gezien.setdefault(v.naam, v.line)
    return Bestand(file, kader, voorbeelden, datasets, tuple(problems), folder)


def reden(exc: KaderwerkError) -> str:
    """The headline of an error: its message, or how many located problems it carries."""
    head = str(exc.args[0]) if exc.args else ""
    plekken = list(dict.fromkeys(":".join(str(x) for x in (p.file, p.line, p.column)
                                          if x is not None) for p in exc.problems))
    plekken = [p for p in plekken if p]
    waar = f" (at {', '.join(plekken[:3])}{', ...' if len(plekken) > 3 else ''})" if plekken else ""
    return head.strip() or f"{aantal(len(exc.problems), 'problem')}{waar}"


def _hint(naam: str, bekend: Iterable[str]) -> str:
    close = difflib.get_close_matches(naam, list(bekend), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _doel_problem(kader: Kader, doel: str) -> str | None:
    criteria = {c.id for c in kader.criteria}
    if doel == ORGANISATIE:
        return None if kader.organisatie else f"kader {kader.ref} has no organisatie oordeel"
    if doel not in criteria:
        return f"criterium '{doel}' is not in kader {kader.ref}{_hint(doel, criteria)}"
    return None


def _oordeel_problem(kader: Kader, oordeel: Any) -> str | None:
    if oordeel is None or oordeel in kader.oordeelschaal:
        return None
    return (f"oordeel '{oordeel}' is not on the oordeelschaal "
            f"({', '.join(kader.oordeelschaal)}){_hint(str(oordeel), kader.oordeelschaal)}")


def _verwacht(doc: Document, pad: tuple, data: Mapping[str, Any], kader: Kader,
              problems: list[Problem]) -> tuple[Verwacht, ...]:
    out = []
    for doel, oordeel in data.items():
        oordeel = oordeel.strip().lower() if isinstance(oordeel, str) else None
        fout = _doel_problem(kader, doel)
        if fout:
            problems.append(doc.problem(fout, (*pad, doel), key=True))
            continue
        fout = _oordeel_problem(kader, oordeel)
        if fout:
            problems.append(doc.problem(fout, (*pad, doel)))
            continue
        line, col = doc.where((*pad, doel))
        out.append(Verwacht(doel, oordeel, line, col))
    return tuple(out)


def _voorbeeld(doc: Document, i: int, data: Mapping[str, Any], kader: Kader,
               problems: list[Problem]) -> Voorbeeld:
    pad = ("voorbeelden", i)
    verwachtingen = {v.id: v for v in kader.verwachtingen}
    scores: dict[str, Score] = {}
    for vid, raw in data.get("scores", {}).items():
        where = (*pad, "scores", vid)
        v = verwachtingen.get(vid)
        if v is None:
            problems.append(doc.problem(f"verwachting '{vid}' is not in kader {kader.ref}"
                                        f"{_hint(vid, verwachtingen)}", where, key=True))
            continue
        try:
            s = parse_score(raw)
        except ValueError:
            s = None
        if s is None:
            problems.append(doc.problem(f"'{raw}' is not a score; use V or 1 (voldoende), O or 3 "
                                        "(onvoldoende), NB (niet beoordeeld), or the words",
                                        where))
        elif not v.beoordeeld and s is not Score.NIET_BEOORDEELD:
            problems.append(doc.problem(f"verwachting {vid} is not assessed in this kader "
                                        "(beoordeeld: false); leave it out or write NB", where))
        else:
            scores[vid] = s
    feiten: dict[str, Any] = {}
    for naam, raw in data.get("feiten", {}).items():
        feit = kader.feit(naam)
        if feit is None:
            declared = ", ".join(f.id for f in kader.feiten) or "none"
            problems.append(doc.problem(f"feit '{naam}' is not declared in kader {kader.ref} "
                                        f"(declared: {declared})", (*pad, "feiten", naam),
                                        key=True))
            continue
        try:
            feiten[naam] = parse_feit(raw, feit.type)
        except ValueError as exc:
            problems.append(doc.problem(f"'{raw}' does not fit feit '{naam}' of type "
                                        f"{feit.type}: {exc}", (*pad, "feiten", naam)))
    handmatig: dict[str, Handmatig] = {}
    for doel, raw in data.get("oordelen", {}).items():
        o, onderbouwing = (raw.get("oordeel"), raw.get("onderbouwing")) if isinstance(
            raw, dict) else (raw, None)
        o = str(o).strip().lower()
        fout = _doel_problem(kader, doel) or _oordeel_problem(kader, o)
        regel = kader.organisatie.beslisregel if doel == ORGANISATIE and kader.organisatie else (
            next((c.beslisregel for c in kader.criteria if c.id == doel), None))
        if fout is None and regel is not None and not regel.handmatig:
            fout = (f"{_toon_doel(doel)} has a '{regel.type}' beslisregel; only a handmatig "
                    "rule takes an oordeel as input")
        if fout:
            problems.append(doc.problem(fout, (*pad, "oordelen", doel)))
            continue
        handmatig[doel] = Handmatig(o, onderbouwing)
    verwacht = _verwacht(doc, (*pad, "verwacht"), data["verwacht"], kader, problems)
    for v in verwacht:
        c = next((c for c in kader.criteria if c.id == v.doel), None)
        if c is not None and not c.beslisregel.handmatig:
            missing = [x.id for x in c.beoordeelde if x.id not in scores]
            if missing:
                problems.append(Problem(
                    f"criterium {c.id} is expected, so give all its scores: missing "
                    f"{', '.join(missing)} (write NB for niet beoordeeld)", doc.file, v.line,
                    v.column))
    for v in kader.verwachtingen:
        scores.setdefault(v.id, Score.VOLDOENDE if v.beoordeeld else Score.NIET_BEOORDEELD)
    line = doc.where(pad)[0]
    beoordeling = Beoordeling(data["naam"], scores, feiten, handmatig,
                              kader=kader.ref, herkomst=f"{doc.file}:{line}")
    return Voorbeeld(data["naam"], beoordeling, verwacht, line)


def _dataset(doc: Document, i: int, data: Mapping[str, Any], kader: Kader,
             problems: list[Problem]) -> DatasetVoorbeeld:
    pad = ("datasets", i)
    toegestaan = [*kader.oordeelschaal, "geen_oordeel"]
    beeld = []
    for doel, waarden in data.get("landelijk_beeld", {}).items():
        fout = _doel_problem(kader, doel)
        for k in waarden:
            if fout is None and k not in toegestaan:
                fout = f"'{k}' is not an oordeel; use {', '.join(toegestaan)}"
        if fout:
            problems.append(doc.problem(fout, (*pad, "landelijk_beeld", doel), key=True))
            continue
        beeld.append((doel, dict(waarden), *doc.where((*pad, "landelijk_beeld", doel))))
    organisaties = tuple(
        (naam, _verwacht(doc, (*pad, "organisaties", naam), verwacht, kader, problems))
        for naam, verwacht in data.get("organisaties", {}).items())
    afwijkingen = None
    if "afwijkingen" in data:
        afwijkingen = (data["afwijkingen"], *doc.where((*pad, "afwijkingen")))
    return DatasetVoorbeeld(data.get("naam", data["dataset"]), data["dataset"], tuple(beeld),
                            organisaties, afwijkingen, doc.where(pad)[0])


# -- running --------------------------------------------------------------------------------

@attrs.frozen
class Uitslag:
    """The outcome of one example: its failures (located) and what it exercised."""

    naam: str
    soort: str
    file: str
    line: int | None
    fouten: tuple[Problem, ...]
    sporen: frozenset[Spoor]

    @property
    def ok(self) -> bool:
        return not self.fouten


def _toon_doel(doel: str) -> str:
    return "organisatie" if doel == ORGANISATIE else f"criterium {doel}"


def _telling(waarden: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {n}" for k, n in waarden.items())


def _sporen(doel: str, o: Oordeel | Mapping[str, Any]) -> set[Spoor]:
    if isinstance(o, Oordeel):
        clausule, plafond = o.clausule, o.plafond
    else:
        clausule = None if o.get("clausule") is None else o["clausule"] - 1
        plafond = o.get("plafond")
    out: set[Spoor] = set()
    if clausule is not None:
        out.add((doel, "clausule", str(clausule)))
    if plafond and plafond.get("verlaagd"):
        out.add((doel, "plafond", plafond_sleutel(plafond["feit"], plafond["waarde"],
                                                  plafond["max"])))
    return out


def plafond_sleutel(feit: str, waarde: Any, maximum: str) -> str:
    """How a plafond is named in a Spoor and in the coverage report's bookkeeping."""
    return f"{feit}={waarde!r}->{maximum}"


def _waarom(o: Oordeel | Mapping[str, Any]) -> str:
    d = o.to_dict() if isinstance(o, Oordeel) else o
    parts = [f"regel: {str(d['regel']).rstrip(' ;')}"]
    if d.get("plafond") and d["plafond"].get("verlaagd"):
        parts.append(f"plafond: {d['plafond']['reden']}")
    t = d.get("telling") or {}
    if t.get("beoordeeld") and d.get("onderbouwing") is None:
        parts.append(f"telling: {t['voldoende']} voldoende, {t['onvoldoende']} onvoldoende, "
                     f"{t['niet_beoordeeld']} niet beoordeeld")
    return "; ".join(parts)


def draai_voorbeeld(bestand: Bestand, v: Voorbeeld) -> Uitslag:
    """Judge the example's beoordeling and compare every expected oordeel."""
    assert bestand.kader is not None
    rechter = Beoordelaar(bestand.kader)
    criteria = {c.id: c for c in bestand.kader.criteria}
    fouten, sporen = [], set()
    for e in v.verwacht:
        o = (rechter.organisatie(v.beoordeling) if e.doel == ORGANISATIE
             else rechter.criterium(criteria[e.doel], v.beoordeling))
        assert o is not None
        sporen |= _sporen(e.doel, o)
        if o.oordeel != e.oordeel:
            fouten.append(Problem(
                f"voorbeeld '{v.naam}': {_toon_doel(e.doel)}: verwacht "
                f"{e.oordeel or 'geen oordeel'}, berekend {o.oordeel or 'geen oordeel'} "
                f"({_waarom(o)})", bestand.file, e.line, e.column))
    return Uitslag(v.naam, "voorbeeld", bestand.file, v.line, tuple(fouten), frozenset(sporen))


def draai_dataset(bestand: Bestand, d: DatasetVoorbeeld,
                  cache: dict[tuple, dict[str, Any]] | None = None) -> Uitslag:
    """Assess the dataset and compare the expected figures, oordelen and afwijkingen."""
    assert bestand.kader is not None
    wie = f"dataset '{d.naam}'"
    try:
        uitkomst = _uitkomst(bestand, d.dataset, {} if cache is None else cache)
    except KaderwerkError as exc:
        fout = Problem(f"{wie}: {reden(exc)}", bestand.file, d.line)
        return Uitslag(d.naam, "dataset", bestand.file, d.line, (fout, *exc.problems),
                       frozenset())
    fouten, sporen = [], set()
    beeld = uitkomst["landelijk_beeld"]
    for doel, waarden, line, col in d.beeld:
        row = beeld["organisatie"] if doel == ORGANISATIE else beeld["criteria"][doel]
        for org in uitkomst["organisaties"]:
            o = org["oordeel"] if doel == ORGANISATIE else org["criteria"][doel]
            sporen |= _sporen(doel, o or {})
        berekend = {k: row.get(k, 0) for k in waarden}
        if berekend != dict(waarden):
            fouten.append(Problem(f"{wie}: landelijk beeld {_toon_doel(doel)}: verwacht "
                                  f"{_telling(waarden)}, berekend {_telling(berekend)}",
                                  bestand.file, line, col))
    per_naam = {o["naam"]: o for o in uitkomst["organisaties"]}
    for naam, verwacht in d.organisaties:
        org = per_naam.get(naam)
        if org is None:
            line, col = (verwacht[0].line, verwacht[0].column) if verwacht else (d.line, None)
            fouten.append(Problem(f"{wie}: organisation '{naam}' is not in the dataset"
                                  f"{_hint(naam, per_naam)}", bestand.file, line, col))
            continue
        for e in verwacht:
            o = org["oordeel"] if e.doel == ORGANISATIE else org["criteria"][e.doel]
            sporen |= _sporen(e.doel, o)
            if o["oordeel"] != e.oordeel:
                fouten.append(Problem(
                    f"{wie}: organisatie '{naam}', {_toon_doel(e.doel)}: verwacht "
                    f"{e.oordeel or 'geen oordeel'}, berekend {o['oordeel'] or 'geen oordeel'} "
                    f"({_waarom(o)})", bestand.file, e.line, e.column))
    if d.afwijkingen is not None:
        n, line, col = d.afwijkingen
        af = uitkomst["afwijkingen"]
        if len(af) != n:
            lijst = "; ".join(f"{a['soort']} {a['id'] or ''}: {a['verschil']}" for a in af)
            fouten.append(Problem(f"{wie}: afwijkingen: verwacht {n}, berekend {len(af)}"
                                  + (f": {lijst}" if lijst else ""), bestand.file, line, col))
    return Uitslag(d.naam, "dataset", bestand.file, d.line, tuple(fouten), frozenset(sporen))


def _uitkomst(bestand: Bestand, naam: str, cache: dict[tuple, dict[str, Any]]) -> dict[str, Any]:
    from kaderwerk.commands.assess import load_dataset, read_beoordelingen
    from kaderwerk.domain.engine import assess

    kader = bestand.kader
    assert kader is not None
    key = (kader.ref, naam, str(bestand.folder))
    if key in cache:
        return cache[key]
    bronnen = yaml_bestanden(bestand.folder / "datasets") if bestand.folder else []
    if not any(f.name.removesuffix(".yaml") == naam for f in bronnen):
        bronnen = list(catalog().datasets(kader))
    resource = next((f for f in bronnen if f.name.removesuffix(".yaml") == naam), None)
    if resource is None:
        names = ", ".join(f.name.removesuffix(".yaml") for f in bronnen) or "none"
        raise NotFoundError(f"kader {kader.ref} has no dataset '{naam}' (datasets: {names})")
    manifest = load_dataset(resource, toon(resource))
    if "scores" not in manifest:
        raise NotFoundError(f"dataset '{naam}' has published figures but no scores file, so "
                            "there is nothing to assess")
    scores = Path(str(resource)).parent / manifest["scores"]
    beoordelingen = read_beoordelingen(kader, scores, Opties())
    cache[key] = assess(kader, beoordelingen, manifest.get("gepubliceerd", []), dataset=naam,
                        afronding=manifest.get("afronding"))
    return cache[key]


def draai(bestand: Bestand, cache: dict[tuple, dict[str, Any]] | None = None) -> list[Uitslag]:
    """Every example of a (problem-free) voorbeelden file."""
    cache = {} if cache is None else cache
    return ([draai_voorbeeld(bestand, v) for v in bestand.voorbeelden]
            + [draai_dataset(bestand, d, cache) for d in bestand.datasets])
