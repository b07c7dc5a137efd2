"""``kaderwerk diff``: what changed between two versions of a kader, and whom it affects.

A methodologist who revises a kader needs three answers before publishing it: what changed in
its words and structure (``structuur``), on which score combinations the beslisregels now
decide differently (``semantiek``), and which archived beoordelingen would get another oordeel
(``impact``). This module computes all three as JSON data; ``diff_render`` writes it as text
or Markdown.

Identity: an element of the new version is the same element as one of the old when its id is
the same, or — when its id is new — when its text (a verwachting's tekst, a criterium's or
thema's titel) is identical. A same element under another parent or id is ``verplaatst``, not
removed and added, and a score follows its verwachting there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import attrs
from kaderwerk.commands.worddiff import woorddiff
from kaderwerk.domain.beoordeling import ORGANISATIE, Beoordeling, Opties
from kaderwerk.domain.beslisregel import Beslisregel, Handmatig, Invoer
from kaderwerk.domain.engine import Beoordelaar, beslis
from kaderwerk.domain.errors import KaderwerkError, UsageError
from kaderwerk.domain.model import Criterium, Kader, Plafond, Score
from kaderwerk.domain.verify import Geval, feit_waarden, gevallen_voor, telling_gevallen
from kaderwerk.sources.catalog import Catalog, catalog


class _MetId(Protocol):
    id: str


E = TypeVar("E", bound=_MetId)
Paar = tuple[Any, Any, str]
"""(old element, new element, how it was recognised: ``id`` or ``tekst``)."""

FORMATS = ("text", "json", "markdown")


def _norm(tekst: str | None) -> str:
    return " ".join((tekst or "").split())


def _koppel(oud: Sequence[E], nieuw: Sequence[E],
            tekst: Callable[[E], str | None]) -> tuple[list[Paar], list[E], list[E]]:
    """Pairs of the same element, the removed old ones and the added new ones."""
    nieuw_op_id = {e.id: e for e in nieuw}
    oud_ids = {e.id for e in oud}
    paren: list[Paar] = [(o, nieuw_op_id[o.id], "id") for o in oud if o.id in nieuw_op_id]
    vrij: dict[str, list[E]] = {}
    for n in nieuw:
        if n.id not in oud_ids:
            vrij.setdefault(_norm(tekst(n)), []).append(n)
    weg: list[E] = []
    for o in oud:
        if o.id in nieuw_op_id:
            continue
        kandidaten = vrij.get(_norm(tekst(o)))
        if kandidaten:
            paren.append((o, kandidaten.pop(0), "tekst"))
        else:
            weg.append(o)
    gekoppeld = {id(n) for _, n, _ in paren}
    bij = [n for n in nieuw if n.id not in oud_ids and id(n) not in gekoppeld]
    return paren, weg, bij


@attrs.frozen
class Koppeling:
    """Which thema, criterium and verwachting of the new version is which of the old."""

    themas: tuple[list[Paar], list[Any], list[Any]]
    criteria: tuple[list[Paar], list[Any], list[Any]]
    verwachtingen: tuple[list[Paar], list[Any], list[Any]]

    @property
    def verwachting_map(self) -> dict[str, str]:
        """Old verwachting id -> new id, for every verwachting both versions have."""
        return {o.id: n.id for o, n, _ in self.verwachtingen[0]}

    @property
    def criterium_map(self) -> dict[str, str]:
        return {o.id: n.id for o, n, _ in self.criteria[0]}


def koppel(oud: Kader, nieuw: Kader) -> Koppeling:
    """Match the elements of two versions by id, then by identical text."""
    return Koppeling(_koppel(oud.themas, nieuw.themas, lambda t: t.titel),
                     _koppel(oud.criteria, nieuw.criteria, lambda c: c.titel),
                     _koppel(oud.verwachtingen, nieuw.verwachtingen, lambda v: v.tekst))


def _ouders(kader: Kader) -> dict[str, str]:
    """Parent id of every criterium (its thema) and verwachting (its criterium)."""
    d = {c.id: t.id for t in kader.themas for c in t.criteria}
    d.update({v.id: c.id for c in kader.criteria for v in c.verwachtingen})
    return d


def _wijziging(veld: str, oud: Any, nieuw: Any) -> dict[str, Any]:
    d = {"veld": veld, "oud": oud, "nieuw": nieuw}
    if isinstance(oud, str) and isinstance(nieuw, str):
        d["woorden"] = woorddiff(oud, nieuw)
    return d


def _niveau(paren_weg_bij: tuple[list[Paar], list[Any], list[Any]], velden: Sequence[str],
            tekst: str, ouders: tuple[dict[str, str], dict[str, str]],
            ouder_map: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    paren, weg, bij = paren_weg_bij
    oud_ouder, nieuw_ouder = ouders

    def kort(e: Any, ouder: dict[str, str]) -> dict[str, Any]:
        return {"id": e.id, "tekst": getattr(e, tekst), "ouder": ouder.get(e.id)}

    verplaatst, gewijzigd = [], []
    for o, n, hoe in paren:
        van, naar = oud_ouder.get(o.id), nieuw_ouder.get(n.id)
        if hoe == "tekst" or (van is not None and ouder_map.get(van, van) != naar):
            verplaatst.append({"id_oud": o.id, "id_nieuw": n.id, "ouder_oud": van,
                               "ouder_nieuw": naar, "herkend_aan": hoe})
        for veld in velden:
            a, b = getattr(o, veld), getattr(n, veld)
            if (_norm(a) != _norm(b)) if isinstance(a, str) and isinstance(b, str) else a != b:
                gewijzigd.append({"id": n.id} | _wijziging(veld, a, b))
    return {"toegevoegd": [kort(e, nieuw_ouder) for e in bij],
            "verwijderd": [kort(e, oud_ouder) for e in weg],
            "verplaatst": verplaatst, "gewijzigd": gewijzigd}


def beslisregel_wijzigingen(oud: Beslisregel, nieuw: Beslisregel) -> list[dict[str, Any]]:
    """What differs between two beslisregels: fields, then clause by clause (bron ignored).

    The shared fields come first, then the fields each rule type names in ``VELDEN``, the
    tekst, and any other key of ``to_dict()`` in alphabetical order."""
    a, b = oud.to_dict(), nieuw.to_dict()
    velden = tuple(dict.fromkeys(("type", "hit", "zonder_beoordeling", *type(oud).VELDEN,
                                  *type(nieuw).VELDEN, "tekst")))
    andere = sorted((set(a) | set(b)) - {"bron", "regels", *velden})
    out = [_wijziging(k, a.get(k), b.get(k)) for k in (*velden, *andere)
           if a.get(k) != b.get(k)]
    ra, rb = a.get("regels") or [], b.get("regels") or []
    for i in range(max(len(ra), len(rb))):
        x, y = (ra[i] if i < len(ra) else None), (rb[i] if i < len(rb) else None)
        if x != y:
            d: dict[str, Any] = {"veld": "clausule", "clausule": i + 1, "oud": x, "nieuw": y}
            if x and y and x.get("tekst") and y.get("tekst") and x["tekst"] != y["tekst"]:
                d["woorden"] = woorddiff(x["tekst"], y["tekst"])
            out.append(d)
    return out


def _plafond_dict(p: Plafond) -> dict[str, Any]:
    return {"feit": p.feit, "waarde": p.waarde, "max": p.max, "reden": p.reden}


def plafond_wijzigingen(oud: Sequence[Plafond], nieuw: Sequence[Plafond]) -> dict[str, list]:
    """Plafonds added, removed or changed (same feit and waarde, other max or reden)."""
    a = {(p.feit, json.dumps(p.waarde)): p for p in oud}
    b = {(p.feit, json.dumps(p.waarde)): p for p in nieuw}
    return {
        "toegevoegd": [_plafond_dict(p) for k, p in b.items() if k not in a],
        "verwijderd": [_plafond_dict(p) for k, p in a.items() if k not in b],
        "gewijzigd": [{"oud": _plafond_dict(a[k]), "nieuw": _plafond_dict(p)}
                      for k, p in b.items()
                      if k in a and (a[k].max, a[k].reden) != (p.max, p.reden)],
    }


def _beslisregel_paren(oud: Kader, nieuw: Kader, k: Koppeling) -> list[tuple[str, str, Any, Any]]:
    """(label, old label, old, new) for every criterium both versions have, and for the
    organisation when both define its oordeel; old and new carry beslisregel and plafonds."""
    out = [(n.id, o.id, o, n) for o, n, _ in k.criteria[0]]
    if oud.organisatie is not None and nieuw.organisatie is not None:
        out.append((ORGANISATIE, ORGANISATIE, oud.organisatie, nieuw.organisatie))
    return out


def structuur(oud: Kader, nieuw: Kader, k: Koppeling) -> dict[str, Any]:
    """The textual and structural differences."""
    ouders = (_ouders(oud), _ouders(nieuw))
    themas = _niveau(k.themas, ("titel", "norm"), "titel", ({}, {}), {})
    thema_map = {o.id: n.id for o, n, _ in k.themas[0]}
    criteria = _niveau(k.criteria, ("titel", "ratio", "operationalisering"), "titel", ouders,
                       thema_map)
    verwachtingen = _niveau(k.verwachtingen, ("tekst", "beoordeeld", "soort",
                                              "operationalisering"), "tekst", ouders,
                            k.criterium_map)
    beslisregels, plafonds = [], []
    for label, _, o, n in _beslisregel_paren(oud, nieuw, k):
        w = beslisregel_wijzigingen(o.beslisregel, n.beslisregel)
        if w:
            beslisregels.append({"criterium": label, "wijzigingen": w})
        p = plafond_wijzigingen(o.plafonds, n.plafonds)
        if any(p.values()):
            plafonds.append({"criterium": label} | p)
    feiten_oud, feiten_nieuw = {f.id for f in oud.feiten}, {f.id for f in nieuw.feiten}
    return {
        "kader": [_wijziging("titel", oud.titel, nieuw.titel)] if oud.titel != nieuw.titel else [],
        "oordeelschaal": None if oud.oordeelschaal == nieuw.oordeelschaal else {
            "oud": list(oud.oordeelschaal), "nieuw": list(nieuw.oordeelschaal)},
        "feiten": {"toegevoegd": sorted(feiten_nieuw - feiten_oud),
                   "verwijderd": sorted(feiten_oud - feiten_nieuw)},
        "themas": themas, "criteria": criteria, "verwachtingen": verwachtingen,
        "beslisregels": beslisregels, "plafonds": plafonds,
        "organisatie": None if (oud.organisatie is None) == (nieuw.organisatie is None) else (
            "toegevoegd" if nieuw.organisatie is not None else "verwijderd"),
    }


def structuur_leeg(s: Mapping[str, Any]) -> bool:
    """True when the structural part reports nothing."""
    def leeg(x: Any) -> bool:
        if isinstance(x, Mapping):
            return all(leeg(v) for v in x.values())
        return not x
    return leeg(s)


def _groottes(kader: Kader, element: Any) -> tuple[list[str], list[str]]:
    """Assessed and not-assessed verwachting ids a rule sees (the whole kader for organisatie)."""
    vs = element.verwachtingen if isinstance(element, Criterium) else kader.verwachtingen
    return [v.id for v in vs if v.beoordeeld], [v.id for v in vs if not v.beoordeeld]


def _open(kader: Kader, element: Any) -> list[str]:
    """The assessed ids that may be niet beoordeeld: all but those of score_verplicht criteria,
    as in ``check`` and ``assess``."""
    if isinstance(element, Criterium):
        return [] if element.score_verplicht else [v.id for v in element.beoordeelde]
    return [v.id for c in kader.criteria if not c.score_verplicht for v in c.beoordeelde]


def _oordeel(element: Any, geval: Geval, feiten: Mapping[str, Any]) -> str | None:
    hand = None if geval.handmatig is None else Handmatig(geval.handmatig)
    return beslis(element.beslisregel, element.plafonds,
                  Invoer(geval.telling, geval.scores, hand), feiten).oordeel


def _gevallen(o: Any, n: Any, ids: tuple[list[str], list[str]],
              ids_oud: tuple[list[str], list[str]],
              open_ids: tuple[list[str], list[str]] = ([], [])) -> list[tuple[int, Geval]] | str:
    """The cases on which to compare two rules, or why they cannot be compared case by case.

    ``open_ids`` (new, old) may be niet beoordeeld, as ``check`` tries them.
    """
    ro, rn = o.beslisregel, n.beslisregel
    if ro.handmatig and rn.handmatig:
        return [(0, g) for g in gevallen_voor(rn, [], [], False) or ()
                if g.handmatig in ro.schaal]
    if ro.handmatig or rn.handmatig:
        return f"one rule is handmatig, the other '{(rn if ro.handmatig else ro).type}'"
    if ro.telt_alleen and rn.telt_alleen:
        maten = dict.fromkeys([(len(ids[0]), len(ids[1]), len(open_ids[0])),
                               (len(ids_oud[0]), len(ids_oud[1]), len(open_ids[1]))])
        return [(n_, g) for n_, vast, open_n in maten
                for g in telling_gevallen(n_, vast, open_n=open_n)]
    if ids != ids_oud:
        return "a rule that reads individual scores, over other verwachtingen"
    gevallen = gevallen_voor(rn, ids[0], ids[1], False,
                             open_ids=sorted({*open_ids[0], *open_ids[1]}))
    if gevallen is None:
        return f"{len(ids[0])} verwachtingen are too many to enumerate"
    return [(len(ids[0]), g) for g in gevallen]


def semantiek(oud: Kader, nieuw: Kader, k: Koppeling) -> list[dict[str, Any]]:
    """Per criterium: the cases on which the old and new rule (with plafonds) disagree."""
    uit = []
    for label, label_oud, o, n in _beslisregel_paren(oud, nieuw, k):
        ids_n, ids_o = _groottes(nieuw, n), _groottes(oud, o)
        nieuwe_maat = len(ids_n[0]) if len(ids_n[0]) != len(ids_o[0]) else None
        rij: dict[str, Any] = {"criterium": label, "grootte_oud": len(ids_o[0]),
                               "grootte_nieuw": len(ids_n[0])}
        if label_oud != label:
            rij["criterium_oud"] = label_oud
        gevallen = _gevallen(o, n, ids_n, ids_o, (_open(nieuw, n), _open(oud, o)))
        if isinstance(gevallen, str):
            if beslisregel_wijzigingen(o.beslisregel, n.beslisregel) or ids_n != ids_o:
                uit.append(rij | {"vergeleken": False, "reden": gevallen})
            continue
        verschillen, zonder = [], []
        for feiten in feit_waarden([*o.plafonds, *n.plafonds]):
            extra = {"feiten": feiten} if feiten else {}
            for grootte, g in gevallen:
                a, b = _oordeel(o, g, feiten), _oordeel(n, g, feiten)
                geval = {"grootte": grootte} | g.beschrijf() | extra
                if a != b:
                    verschillen.append(geval | {"oud": a, "nieuw": b})
                if b is None and grootte == nieuwe_maat and g.telling.beoordeeld > 0:
                    zonder.append(geval)
        if verschillen or zonder:
            uit.append(rij | {"vergeleken": True, "verschillen": verschillen,
                              "zonder_oordeel": zonder})
    return uit


def _naar_nieuw(b: Beoordeling, nieuw: Kader, k: Koppeling,
                eigen: Beoordeling | None = None) -> Beoordeling:
    """An archived beoordeling as the new version sees it: removed verwachtingen dropped,
    added ones niet beoordeeld, facts and handmatige oordelen the new version does not know
    dropped. ``eigen`` is the same organisation read by the new version, when the file has
    columns only the new version knows: their scores and facts are taken from it."""
    vmap, cmap = k.verwachting_map, k.criterium_map | {ORGANISATIE: ORGANISATIE}
    beoordeeld = {v.id for v in nieuw.verwachtingen if v.beoordeeld}
    scores = {vmap[vid]: s for vid, s in b.scores.items() if vid in vmap}
    if eigen is not None:
        bekend = set(vmap.values())
        scores |= {vid: s for vid, s in eigen.scores.items() if vid not in bekend}
    scores = {vid: scores.get(vid, Score.NIET_BEOORDEELD) if vid in beoordeeld
              else Score.NIET_BEOORDEELD for vid in (v.id for v in nieuw.verwachtingen)}
    feiten = {f: w for f, w in b.feiten.items() if nieuw.feit(f) is not None}
    if eigen is not None:
        feiten = {f: w for f, w in eigen.feiten.items() if f not in feiten} | feiten
    handmatig = {cmap[c]: h for c, h in b.handmatig.items()
                 if c in cmap and h.oordeel in nieuw.oordeelschaal}
    return attrs.evolve(b, scores=scores, feiten=feiten, handmatig=handmatig)


def _alleen_in(a: Kader, b: Kader) -> frozenset[str]:
    """The column names (verwachting ids, feiten) kader ``a`` knows and ``b`` does not."""
    return frozenset({v.id for v in a.verwachtingen} - {v.id for v in b.verwachtingen}
                     | {f.id for f in a.feiten} - {f.id for f in b.feiten})


def _lees_zijde(kader: Kader, bestand: str, opties: Opties, cat: Catalog | None,
                zijde: str) -> list[Beoordeling]:
    """The file read by one version of the kader; an error says which version read it."""
    from kaderwerk.commands.assess import read_beoordelingen

    try:
        return read_beoordelingen(kader, Path(bestand), opties, cat)
    except KaderwerkError as fout:
        wie = f" (read by the {zijde} version, {kader.pad or kader.ref})"
        fout.problems = [attrs.evolve(p, message=p.message + wie) for p in fout.problems]
        if not fout.problems:
            fout.args = (str(fout.args[0] if fout.args else fout) + wie, *fout.args[1:])
        raise


def impact(oud: Kader, nieuw: Kader, k: Koppeling, bestanden: Sequence[Path | str],
           cat: Catalog | None = None) -> dict[str, Any]:
    """Every oordeel that changes when the archived beoordelingen are judged by the new version.

    Each version reads a file with the columns it knows: a column only the new version knows
    (a verwachting or feit added in this change) is left out on the old side and noted."""
    nieuw_kol, oud_kol = _alleen_in(nieuw, oud), _alleen_in(oud, nieuw)
    gelezen: list[tuple[str, list[Beoordeling], dict[str, Beoordeling], list[str]]] = []
    for f in bestanden:
        gezien: set[str] = set()
        lijst = _lees_zijde(oud, str(f), Opties(negeer=nieuw_kol, genegeerd=gezien), cat, "old")
        eigen: dict[str, Beoordeling] = {}
        if gezien:
            eigen = {b.naam: b for b in _lees_zijde(
                nieuw, str(f), Opties(allow_missing=True, negeer=oud_kol), cat, "new")}
        gelezen.append((str(f), lijst, eigen, sorted(gezien)))
    namen: dict[str, int] = {}
    for _, lijst, _, _ in gelezen:
        for b in lijst:
            namen[b.naam] = namen.get(b.naam, 0) + 1
    r_oud, r_nieuw = Beoordelaar(oud), Beoordelaar(nieuw)
    paren = [(n.id, o, n) for o, n, _ in k.criteria[0]]
    paren.sort(key=lambda p: [c.id for c in nieuw.criteria].index(p[0]))
    wijzigingen: list[dict[str, Any]] = []
    for bestand, lijst, eigen, _ in gelezen:
        for b in lijst:
            nb = _naar_nieuw(b, nieuw, k, eigen.get(b.naam))
            naam = b.naam if namen[b.naam] == 1 else f"{b.naam} ({Path(bestand).name})"
            paar = [(label, r_oud.criterium(o, b).oordeel, r_nieuw.criterium(n, nb).oordeel)
                    for label, o, n in paren]
            if oud.organisatie is not None and nieuw.organisatie is not None:
                a, z = r_oud.organisatie(b), r_nieuw.organisatie(nb)
                paar.append((ORGANISATIE, a and a.oordeel, z and z.oordeel))
            wijzigingen.extend({"organisatie": naam, "criterium": c, "oud": a, "nieuw": z}
                               for c, a, z in paar if a != z)
    return {
        "beoordelingen": [{"bestand": f, "organisaties": len(lijst)}
                          | ({"nieuwe_kolommen": kol} if kol else {})
                          for f, lijst, _, kol in gelezen],
        "impact": wijzigingen,
        "impact_totalen": impact_totalen(wijzigingen),
        "verwijderde_verwachtingen": [v.id for v in k.verwachtingen[1]] if bestanden else [],
    }


def impact_totalen(wijzigingen: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per criterium: how many oordelen change, and how often each transition occurs."""
    totalen: dict[str, dict[str, Any]] = {}
    for w in wijzigingen:
        t = totalen.setdefault(w["criterium"], {"totaal": 0, "overgangen": []})
        t["totaal"] += 1
        for o in t["overgangen"]:
            if (o["oud"], o["nieuw"]) == (w["oud"], w["nieuw"]):
                o["aantal"] += 1
                break
        else:
            t["overgangen"].append({"oud": w["oud"], "nieuw": w["nieuw"], "aantal": 1})
    return totalen


def _kop(kader: Kader) -> dict[str, Any]:
    return {"ref": kader.ref, "titel": kader.titel, "geldig_vanaf": kader.geldig_vanaf,
            "bestand": kader.pad}


def vergelijk(oud: Kader, nieuw: Kader, bestanden: Sequence[Path | str] = (),
              cat: Catalog | None = None) -> dict[str, Any]:
    """The whole diff as JSON data (what ``--format json`` prints)."""
    k = koppel(oud, nieuw)
    s = structuur(oud, nieuw, k)
    sem = semantiek(oud, nieuw, k)
    imp = impact(oud, nieuw, k, bestanden, cat)
    return {"oud": _kop(oud), "nieuw": _kop(nieuw),
            "leeg": structuur_leeg(s) and not sem and not imp["impact"],
            "structuur": s, "semantiek": sem} | imp


def run_diff(oud_ref: str, nieuw_ref: str, fmt: str, bestanden: Sequence[Path | str],
             fail_on_impact: bool, cat: Catalog | None = None) -> int:
    """``kaderwerk diff``: print the diff; the exit code (1 only for impact with the flag)."""
    import click
    from kaderwerk.commands.diff_render import format_diff
    from kaderwerk.domain.woorden import bedoeld

    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}"
                         f"{bedoeld(fmt, list(FORMATS))}")
    if fail_on_impact and not bestanden:
        raise UsageError("--fail-on-impact needs --beoordelingen FILE to measure impact")
    from kaderwerk.commands.assess import map_van, toon_scores

    cat = cat or catalog()
    oud = cat.get(oud_ref)
    gevonden = [toon_scores(oud, str(f), cat, kader_map=map_van(oud_ref)) for f in bestanden]
    data = vergelijk(oud, cat.get(nieuw_ref), [p for p, _ in gevonden], cat)
    for b, (_, naam) in zip(data["beoordelingen"], gevonden, strict=True):
        b["bestand"] = naam
    click.echo(format_diff(data, fmt), nl=False)
    return 1 if fail_on_impact and data["impact"] else 0
