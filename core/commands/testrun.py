"""``kaderwerk test``: run every voorbeeld, report failures located, and the clauses not covered.

The command's steps live here so the CLI stays thin: find the voorbeelden files and kaders a run
is about (default: every installed kader), read and run them (``voorbeelden``), and measure clause
coverage — which clause of which beslisregel, and which plafond, some checked oordeel came
from. A clause no example reaches is a sentence of the source nobody has tested; it is listed
with its text and its line in the kader file. ``validate_paths`` lets ``kaderwerk validate``
check voorbeelden files too, since a kader repository's hooks validate every changed YAML file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import click
from kaderwerk.commands.ci_reports import Case, Rapportage, Result, van_problemen
from kaderwerk.commands.voorbeelden import (
    MAP,
    Bestand,
    Kaders,
    Spoor,
    Uitslag,
    draai,
    is_kader_bestand,
    is_voorbeelden_bestand,
    lees,
    plafond_sleutel,
    yaml_bestanden,
)
from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.errors import (
    KaderwerkError,
    PluginFailed,
    Problem,
    UsageError,
)
from kaderwerk.domain.model import Kader
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.domain.woorden import aantal, meervoud
from kaderwerk.sources.catalog import catalog, toon
from kaderwerk.sources.yamlsource import Document


@attrs.frozen
class Item:
    """One thing to cover: a clause of a beslisregel (``nummer``) or a plafond (no nummer)."""

    groep: str
    nummer: int | None
    oordeel: str
    tekst: str
    gedekt: bool
    file: str | None
    line: int | None
    column: int | None

    def omschrijving(self) -> str:
        wat = f"clause {self.nummer} ({self.oordeel})" if self.nummer else "plafond"
        return f"{self.groep}, {wat}: {self.tekst}"


@attrs.frozen
class Dekking:
    """Which clauses and plafonds of one kader the examples exercised."""

    kader: str
    items: tuple[Item, ...]
    handmatig: int
    """Criteria (and organisatie) whose rule is handmatig: no clauses of their own to cover."""

    @property
    def open(self) -> list[Item]:
        return [i for i in self.items if not i.gedekt]

    def to_dict(self) -> dict[str, Any]:
        return {"kader": self.kader, "gedekt": len(self.items) - len(self.open),
                "totaal": len(self.items), "handmatig": self.handmatig,
                "items": [{"groep": i.groep, "nummer": i.nummer, "oordeel": i.oordeel,
                           "tekst": i.tekst, "gedekt": i.gedekt, "bestand": i.file,
                           "regel": i.line, "kolom": i.column} for i in self.items]}


def dekking(kader: Kader, sporen: set[Spoor]) -> Dekking:
    """Coverage of every non-handmatig beslisregel's clauses and every plafond of ``kader``."""
    doc = _document(kader)
    data = doc.data if doc and isinstance(doc.data, dict) else {}
    themas = data.get("themas") if isinstance(data.get("themas"), list) else None
    if themas is not None and [len(t.get("criteria", [])) for t in themas] != [
            len(t.criteria) for t in kader.themas]:
        themas = None
    items: list[Item] = []
    for ti, t in enumerate(kader.themas):
        groepen: dict[str, tuple[tuple, Beslisregel, list[str]]] = {}
        for ci, c in enumerate(t.criteria):
            if c.beslisregel.handmatig:
                continue
            eigen = themas is not None and "beslisregel" in themas[ti]["criteria"][ci]
            pad = ("themas", ti, *(("criteria", ci) if eigen else ()), "beslisregel")
            key = repr(pad) if themas is not None else json.dumps(
                c.beslisregel.to_dict(), sort_keys=True, default=str)
            groepen.setdefault(key, (pad, c.beslisregel, []))[2].append(c.id)
        scorend = [c.id for c in t.criteria if not c.beslisregel.handmatig]
        for pad, regel, ids in groepen.values():
            naam = f"thema {t.id} ({t.titel})" if ids == scorend else "criterium " + ", ".join(ids)
            items += _clausules(kader, doc if themas is not None else None, naam, pad, regel,
                                ids, sporen)
    org = kader.organisatie
    if org is not None and not org.beslisregel.handmatig:
        items += _clausules(kader, doc if "organisatie" in data else None, "organisatie",
                            ("organisatie", "beslisregel"), org.beslisregel, ["organisatie"],
                            sporen)
    items += _plafonds(kader, doc if "organisatie" in data else None, sporen)
    handmatig = sum(c.beslisregel.handmatig for c in kader.criteria) + int(
        org is not None and org.beslisregel.handmatig)
    return Dekking(kader.ref, tuple(items), handmatig)


def _document(kader: Kader) -> Document | None:
    from kaderwerk.sources import loader

    if not kader.pad or not Path(kader.pad).is_file():
        return None
    try:
        return loader.read_document(Path(kader.pad), kader.pad)
    except KaderwerkError:
        return None


def _clausules(kader: Kader, doc: Document | None, naam: str, pad: tuple, regel: Beslisregel,
               doelen: Sequence[str], sporen: set[Spoor]) -> list[Item]:
    items = []
    for k, c in enumerate(regel.clausules):
        line, col = doc.where((*pad, "regels", k)) if doc else kader.positie(doelen[0])
        gedekt = any((d, "clausule", str(k)) in sporen for d in doelen)
        items.append(Item(naam, k + 1, c.oordeel, c.tekst or c.oordeel, gedekt, kader.pad,
                          line, col))
    return items


def _plafonds(kader: Kader, doc: Document | None, sporen: set[Spoor]) -> list[Item]:
    gezien: dict[str, tuple[Any, list[str], tuple]] = {}
    for c in kader.criteria:
        for p in c.plafonds:
            key = plafond_sleutel(p.feit, p.waarde, p.max)
            gezien.setdefault(key, (p, [], kader.positie(c.id)))[1].append(c.id)
    items = []
    for key, (p, doelen, (line, col)) in gezien.items():
        items.append(Item(f"criterium {', '.join(doelen)}", None, p.max,
                          f"{p.feit} = {json.dumps(p.waarde)}: max {p.max} ({p.reden})",
                          any((d, "plafond", key) in sporen for d in doelen), kader.pad, line, col))
    for j, p in enumerate(kader.organisatie.plafonds if kader.organisatie else ()):
        key = plafond_sleutel(p.feit, p.waarde, p.max)
        line, col = doc.where(("organisatie", "plafonds", j)) if doc else (None, None)
        items.append(Item("organisatie", None, p.max,
                          f"{p.feit} = {json.dumps(p.waarde)}: max {p.max} ({p.reden})",
                          ("organisatie", "plafond", key) in sporen, kader.pad, line, col))
    return items


# -- a whole run ----------------------------------------------------------------------------

@attrs.frozen
class Testrun:
    """Every voorbeelden file with its outcomes, the coverage per kader, unloadable kaders."""

    bestanden: tuple[tuple[Bestand, tuple[Uitslag, ...]], ...]
    dekkingen: tuple[Dekking, ...]
    kaderproblemen: tuple[Problem, ...] = ()
    plugin_failed: bool = False
    """A plugin's rule type failed (its problem is among ``kaderproblemen``): exit 4."""

    @property
    def problemen(self) -> list[Problem]:
        # a kader's problem reaches the run twice, from the kader file and from a voorbeelden
        # file that cannot use it: reported once
        alle = [p for b, _ in self.bestanden for p in b.problemen] + list(self.kaderproblemen)
        return list(dict.fromkeys(alle))

    @property
    def fouten(self) -> list[Problem]:
        return [f for _, us in self.bestanden for u in us for f in u.fouten]

    def exit_code(self, require_coverage: bool = False) -> int:
        if self.plugin_failed:
            return PluginFailed.exit_code
        if self.problemen or self.fouten:
            return 1
        return 1 if require_coverage and any(d.open for d in self.dekkingen) else 0


def zoek(paths: Sequence[Path] | None
         ) -> tuple[list[tuple[Any, bool]], list[Path], list[Problem]]:
    """The voorbeelden files (and whether found beside a named kader), the kader files and the
    problems of the files that cannot be used. ``None``: the project's files; empty: the
    installed kaders' voorbeelden."""
    from kaderwerk.commands.validate import te_lezen
    from kaderwerk.sources.projectbestanden import Bestand

    if paths is not None and not paths:
        return [(f, False) for resource, _ in catalog().reg.kader_bronnen
                if resource.is_dir() for f in yaml_bestanden(resource / MAP)], [], []
    items = te_lezen(paths)
    bestanden: list[tuple[Any, bool]] = []
    kaders: list[Path] = []
    problemen: list[Problem] = []
    for p in items:
        if isinstance(p, Bestand):
            pad = Path(toon(p.path))
            if p.reden is not None:
                problemen.append(Problem(p.reden, zichtbaar_pad(str(pad))))
            elif p.soort == "voorbeelden":
                bestanden.append((pad, False))
            elif p.soort == "kader":
                kaders.append(pad)
        elif is_kader_bestand(p):
            kaders.append(p)
            bestanden += [(f, True) for f in yaml_bestanden(p.parent / MAP)]
        else:
            bestanden.append((p, False))
    uniek = {os.path.realpath(str(f)): (f, auto) for f, auto in reversed(bestanden)}
    return (list(reversed(uniek.values())), list({os.path.realpath(k): k for k in kaders}.values()),
            problemen)


def _doel_kaders(kader_paden: Sequence[Path], kaders: Kaders, standaard: bool
                 ) -> Iterator[tuple[Kader | None, list[Problem], bool]]:
    """Each kader to cover, or its problems, and whether a plugin failed on it."""
    if standaard:
        for _, kader, error in catalog().all():
            yield (kader, [] if error is None else (error.problems or [Problem(str(error))]),
                   isinstance(error, PluginFailed))
    for p in kader_paden:
        try:
            yield kaders.pad(p), [], False
        except KaderwerkError as exc:
            yield None, exc.problems or [Problem(str(exc), toon(p))], isinstance(exc, PluginFailed)


def draai_alles(paths: Sequence[Path] | None) -> Testrun:
    """Find, read and run the voorbeelden; coverage for every kader named or exercised.
    ``None``: the project's files (none at all is a fresh project, not an error)."""
    bronnen, kader_paden, kaderproblemen = zoek(paths)
    if not bronnen and not kader_paden and not kaderproblemen and paths is not None:
        where = ", ".join(map(str, paths)) or "the installed kaders"
        raise UsageError(f"no voorbeelden files and no kaders found in {where}")
    kaders = Kaders()
    doel: dict[str, Kader] = {}
    plugin_failed = False
    for kader, problems, plugin in _doel_kaders(kader_paden, kaders,
                                                standaard=paths is not None and not paths):
        if kader is not None:
            doel.setdefault(kader.ref, kader)
        kaderproblemen += problems
        plugin_failed = plugin_failed or plugin
    cache: dict[tuple, dict[str, Any]] = {}
    bestanden = []
    sporen: dict[str, set[Spoor]] = {}
    for bron, auto in bronnen:
        b = lees(bron, kaders)
        if auto and b.kader is not None and b.kader.ref not in doel:
            continue
        try:
            uitslagen = tuple(draai(b, cache)) if b.kader is not None and not b.problemen else ()
        except PluginFailed as exc:  # the other files still run; the report has them all
            plugin_failed = True
            kaderproblemen += exc.plaats(Problem("", b.file)).problems
            uitslagen = ()
        if b.kader is not None:
            doel.setdefault(b.kader.ref, b.kader)
            sporen.setdefault(b.kader.ref, set()).update(*(u.sporen for u in uitslagen))
        bestanden.append((b, uitslagen))
    dekkingen = tuple(dekking(k, sporen.get(ref, set())) for ref, k in doel.items())
    return Testrun(tuple(bestanden), dekkingen, tuple(kaderproblemen), plugin_failed)


# -- output ---------------------------------------------------------------------------------

def to_dict(run: Testrun, require_coverage: bool = False) -> dict[str, Any]:
    """The run as JSON data (``kaderwerk test --format json``)."""
    return {
        "ok": run.exit_code(require_coverage) == 0,
        "bestanden": [{
            "bestand": b.file, "kader": b.kader.ref if b.kader else None,
            "problemen": [p.to_dict() for p in b.problemen],
            "voorbeelden": [{"naam": u.naam, "soort": u.soort, "regel": u.line, "ok": u.ok,
                             "fouten": [f.to_dict() for f in u.fouten]} for u in us],
        } for b, us in run.bestanden],
        "kaderproblemen": [p.to_dict() for p in run.kaderproblemen],
        "dekking": [d.to_dict() for d in run.dekkingen],
    }


def print_text(run: Testrun) -> None:
    """Failures as ``FILE:LINE:COL: ...`` on stderr; per file, coverage and a summary on stdout."""
    for p in [*run.problemen, *run.fouten]:
        click.echo(str(p), err=True)
    for b, us in run.bestanden:
        ref = f" ({b.kader.ref})" if b.kader else ""
        if b.problemen:
            click.echo(f"FAIL {zichtbaar_pad(b.file)}{ref}: "
                       f"{aantal(len(b.problemen), 'problem')} in the file")
            continue
        failed = sum(not u.ok for u in us)
        counts = f"{aantal(sum(u.soort == 'voorbeeld' for u in us), 'voorbeeld')}, " \
                 f"{aantal(sum(u.soort == 'dataset' for u in us), 'dataset')}"
        click.echo(f"FAIL {zichtbaar_pad(b.file)}{ref}: {failed} of {len(us)} failed" if failed
                   else f"ok   {zichtbaar_pad(b.file)}{ref}: {counts}")
    for d in run.dekkingen:
        hand = (f"{d.handmatig} handmatig {meervoud(d.handmatig, 'rule', 'rules')} without "
                "clauses" if d.handmatig else "")
        if not d.items:
            click.echo(f"coverage {d.kader}: nothing to cover ({hand or 'no beslisregels'})")
            continue
        click.echo(f"coverage {d.kader}: {len(d.items) - len(d.open)} of "
                   f"{_te_dekken(len(d.items))} covered" + (f"; {hand}" if hand else ""))
        for i in d.open:
            where = ":".join(str(x) for x in (i.file, i.line, i.column) if x is not None)
            click.echo(f"  not covered: {where}: {i.omschrijving()}")
    uitslagen = [u for _, us in run.bestanden for u in us]
    if not uitslagen and run.dekkingen:
        click.echo("warning: no voorbeelden found, so nothing was tested; write them in a "
                   "voorbeelden/ folder beside the kader file (--require-coverage makes this "
                   "an error)", err=True)
    items = [i for d in run.dekkingen for i in d.items]
    bad = bool(run.problemen or run.fouten)
    click.echo(f"{sum(u.ok for u in uitslagen)} of {aantal(len(uitslagen), 'voorbeeld')} passed"
               + (f", {aantal(len(run.problemen), 'problem')}" if run.problemen else "")
               + f"; {sum(i.gedekt for i in items)} of {_te_dekken(len(items))} covered",
               err=bad)


def _te_dekken(n: int) -> str:
    return f"{n} {meervoud(n, 'clause or plafond', 'clauses and plafonds')}"


def van_test(run: Testrun, require_coverage: bool = False
             ) -> tuple[list[Result], list[Case], dict[str, str]]:
    """The run as CI findings: failures and file problems as errors, open coverage as warnings."""
    bevindingen: list[Result] = []
    gevallen: list[Case] = []
    for b, us in run.bestanden:
        groep = b.kader.ref if b.kader else b.file
        if b.problemen:
            gevallen.append(Case(b.file, groep, b.file))
            bevindingen += van_problemen(b.problemen, "kaderwerk/test/bestand", case=b.file)
        for u in us:
            naam = f"{u.file}::{u.naam}"
            gevallen.append(Case(naam, groep, u.file, u.line))
            bevindingen += van_problemen(u.fouten, f"kaderwerk/test/{u.soort}", case=naam)
    bevindingen += van_problemen(run.kaderproblemen, "kaderwerk/test/kader")
    level = "error" if require_coverage else "warning"
    for d in run.dekkingen:
        for i in d.open:
            bevindingen.append(Result(f"{d.kader} {i.omschrijving()}: not covered by any "
                                         "voorbeeld", "kaderwerk/test/dekking", i.file, i.line,
                                         i.column, level))
    return bevindingen, gevallen, {
        "kaderwerk/test/voorbeeld": "a voorbeeld gets another oordeel than it expects",
        "kaderwerk/test/dataset": "a dataset does not give the expected figures",
        "kaderwerk/test/bestand": "a voorbeelden file is invalid",
        "kaderwerk/test/kader": "a kader cannot be loaded",
        "kaderwerk/test/dekking": "a clause or plafond no voorbeeld exercises",
    }


def run_test_command(paths: Sequence[Path] | None, fmt: str, require_coverage: bool,
                     reports: Sequence[str], report_files: Sequence[Path]) -> None:
    """``kaderwerk test``: run, print (text or json), write the CI reports, exit 0 or 1."""
    with Rapportage(reports, report_files, "kaderwerk test", stdout_bezet=fmt == "json",
                    inputs=paths or ()) as rapport:
        run = draai_alles(paths)
        rapport.voeg_toe(*van_test(run, require_coverage))
        if fmt == "json":
            click.echo(json.dumps(to_dict(run, require_coverage), ensure_ascii=False, indent=2))
        else:
            print_text(run)
        sys.exit(run.exit_code(require_coverage))


def validate_paths(paths: Sequence[Path] | None) -> list[dict[str, Any]]:
    """``validate``'s results, with voorbeelden files validated as voorbeelden (not kaders);
    ``None``: every file of the project."""
    from kaderwerk.commands import validate

    kaders = Kaders()
    results = []
    gemeld: set[tuple] = set()  # a kader's problem, met again in a voorbeelden file using it
    for r, soort in validate.validate_paths(paths):
        path = Path(r["bestand"])
        if soort == "voorbeelden" or (soort is None and is_voorbeelden_bestand(path)):
            b = lees(path, kaders, display=r["bestand"])
            r = {"bestand": r["bestand"], "soort": "voorbeelden",
                 "problemen": [p.to_dict() for p in b.problemen]}
            if b.kader is not None and not b.problemen:
                r["ref"] = b.kader.ref
        r["problemen"] = [p for p in r["problemen"] if _sleutel(p) not in gemeld]
        gemeld.update(map(_sleutel, r["problemen"]))
        results.append(r)
    return results


def _sleutel(p: dict[str, Any]) -> tuple:
    return (p["bestand"], p["regel"], p["kolom"], p["melding"])
