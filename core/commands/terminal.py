"""Readable terminal output (rich): kader trees, check reports, assessment summaries.

Machine output is ``--format json``; this module is only for people at a terminal, so it may
change its layout freely. It is imported lazily by the CLI.
"""

from __future__ import annotations

import errno
import os
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.engine import geen_oordeel_lines
from kaderwerk.domain.model import Kader
from kaderwerk.domain.regelzin import controles
from kaderwerk.domain.tekst import afgekort, terminal
from kaderwerk.domain.verify import (
    NOTITIES,
    SOORTEN,
    WAARSCHUWINGEN,
    Rapport,
    bereiken,
    onderwerp,
    op_plek,
)
from kaderwerk.domain.woorden import aantal, meervoud
from rich import box
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

COLOURS = {"voldoende": "green", "matig": "dark_orange", "onvoldoende": "red"}
GROOTTE_KOPPEN = {"niet_uitputtend": "niet uitputtend", "overlap": "overlappend",
                  "niet_monotoon": "niet monotoon"}
"""Column headers of ``check --sizes``: a table, so Dutch (docs/architecture.md)."""


#: ``COLUMNS`` is used when it is a whole number in this range; else the terminal's width or 80
BREEDTE = range(20, 1001)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit 1 in silence; the CLI says in one line that the output is incomplete
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def console(stderr: bool = False) -> Console:
    return _Console(stderr=stderr, highlight=False, soft_wrap=False, width=breedte(stderr))


def breedte(stderr: bool = False) -> int:
    """The width to lay out for: ``COLUMNS`` when sane, else the terminal's, else 80.

    rich takes ``COLUMNS=0`` at its word and prints nothing; a huge value would pad every line.
    """
    value = os.environ.get("COLUMNS", "").strip()
    if value.isdigit() and int(value) in BREEDTE:
        return int(value)
    stream = sys.stderr if stderr else sys.stdout
    try:
        if stream is not None and stream.isatty():
            width = os.get_terminal_size(stream.fileno()).columns
            if width in BREEDTE:
                return width
    except (OSError, ValueError, AttributeError):
        pass
    return 80


def print_list(data: Mapping[str, Any]) -> None:
    out = console()
    # A list, not a table: at any width the id@versie (what a user types) stays whole on its
    # own line, and the titel wraps below it instead of squeezing the id.
    out.print("[bold]Kaders[/]")
    for k in data["kaders"]:
        status = f"[red]fout[/]: {terminal(_reden(k))}" if k["fout"] else (
            "[yellow]onvolledig[/]" if k["volledig"] is False else "[green]ok[/]")
        ref = terminal(k["id"]) + (f"@{terminal(k['versie'])}" if k["versie"] else "")
        if k.get("onbruikbaar"):  # not a versie of its folder's kader: named by its path
            ref = terminal(k["bestand"])
        out.print(f"{ref}  {status}", soft_wrap=True)
        titel = terminal(k["titel"] or k["bestand"])
        if k["basis"]:
            titel += f" (overlay op {terminal(k['basis'])})"
        if not k.get("onbruikbaar"):
            _ingesprongen(out, titel)
        if k["datasets"]:
            _ingesprongen(out, f"datasets: {terminal(', '.join(k['datasets']))}")
        if "lokaal" in k:
            herkomst = (f"from project ({k['plugin']}): {k['bestand']}" if k["lokaal"] else
                        f"from installed ({k['plugin']})")
            if k["verborgen"]:
                herkomst += " — shadowed by the project's kader with this id"
            _ingesprongen(out, terminal(herkomst))
    for k in data["kaders"]:
        if k["fout"]:
            out.print(f"[red]{terminal(k['bestand'])}[/]: {terminal(k['fout'])}", soft_wrap=True)
    if data.get("plugins"):
        out.print("[bold]Plugins[/]")
        for name in data["plugins"]:
            out.print(f"  {terminal(name)}", soft_wrap=True)
    if data["kapot"]:
        out.print("[red]kapotte plugins:[/]")
        for name, why in data["kapot"].items():
            out.print(f"  {terminal(name)}: {terminal(why)}", soft_wrap=True)
    for name, what in data.get("vervangen", {}).items():
        out.print(f"[yellow]{terminal(name)} vervangt[/] {terminal(', '.join(what))}",
                  soft_wrap=True)


def _reden(k: Mapping[str, Any]) -> str:
    """The first line of a listed kader's error, without its own file name, cut short: the
    whole error follows below the list."""
    eerste = str(k["fout"]).strip().splitlines()[0] if str(k["fout"]).strip() else ""
    if eerste.startswith(f"{k['bestand']}:"):  # "FILE: reason" or "FILE:LINE:COL: reason"
        eerste = eerste[len(k["bestand"]) + 1:].lstrip()
    return afgekort(eerste, 70)


def _ingesprongen(out: Console, tekst: str) -> None:
    """Text two spaces in, wrapped at words to the width like a table, and never padded (a
    wrapped line of rich is filled with spaces to the width of the longest)."""
    regels = textwrap.wrap(tekst, max(out.width - 2, 10), break_long_words=False,
                           break_on_hyphens=False) or [""]
    for regel in regels:
        out.print("  " + regel, soft_wrap=True)


def print_kader(kader: Kader) -> None:
    out = console()
    head = f"[bold]{terminal(kader.titel)}[/] ({terminal(kader.ref)})"
    if kader.geldig_vanaf:
        head += f", geldig vanaf {terminal(kader.geldig_vanaf)}"
    if kader.basis:
        head += f" — overlay op {terminal(kader.basis)}"
    tree = Tree(head)
    if kader.bron:
        vol = "" if kader.bron.volledig is not False else " [yellow](onvolledig)[/]"
        tree.add(f"[dim]bron: {terminal(kader.bron.citeer())}[/]{vol}")
    tree.add(f"oordeelschaal: {terminal(' > '.join(kader.oordeelschaal))}")
    verplicht = [c for c in kader.criteria if c.score_verplicht]
    if verplicht:
        wie = ("elk criterium" if len(verplicht) == len(kader.criteria) else
               meervoud(len(verplicht), "criterium ", "criteria ")
               + ", ".join(terminal(c.id) for c in verplicht))
        rec = any(c.score_verplicht_bron and c.score_verplicht_bron.reconstructie
                  for c in verplicht)
        tree.add(f"score_verplicht ({wie}): een beoordeelde verwachting wordt gescoord, niet "
                 f"beoordeeld is uitgesloten{' [yellow](reconstructie)[/]' if rec else ''}")
    for thema in kader.themas:
        tnode = tree.add(f"[bold]{terminal(thema.id)} {terminal(thema.titel)}[/]")
        if thema.norm:
            tnode.add(f"[italic]{terminal(thema.norm)}[/]")
        for c in thema.criteria:
            mark = " [magenta](aangepast)[/]" if c.aangepast else ""
            rec = " [yellow](reconstructie)[/]" if c.bron and c.bron.reconstructie else ""
            cnode = tnode.add(f"[bold]{terminal(c.id)}[/] {terminal(c.titel)}{mark}{rec}")
            with op_plek(kader, c.id):  # a plugin rule's failure located at its criterium
                beschrijving = c.beslisregel.beschrijving()
            _clausules(cnode.add(f"[cyan]beslisregel ({terminal(c.beslisregel.type)})[/]: "
                                 f"{terminal(beschrijving)}"), c.beslisregel)
            for p in c.plafonds:
                cnode.add(f"[cyan]plafond[/]: {terminal(p.feit)} = {terminal(p.waarde)} "
                          f"-> max {terminal(p.max)}")
            for v in c.verwachtingen:
                flags = ""
                if not v.beoordeeld:
                    flags += " [yellow](niet beoordeeld)[/]"
                if v.bron and v.bron.reconstructie:
                    flags += " [yellow](reconstructie)[/]"
                if v.aangepast:
                    flags += " [magenta](aangepast)[/]"
                vnode = cnode.add(f"{terminal(v.id)} {terminal(v.tekst)}{flags}")
                if v.operationalisering:
                    vnode.add(f"[magenta]operationalisering:[/] {terminal(v.operationalisering)}")
                for n in v.noten:
                    vnode.add(f"[dim]noot: {terminal(n)}[/]")
    if kader.organisatie:
        onode = tree.add("[bold]Oordeel organisatie[/]")
        with op_plek(kader, "organisatie"):
            beschrijving = kader.organisatie.beslisregel.beschrijving()
        _clausules(onode.add(f"beslisregel ({terminal(kader.organisatie.beslisregel.type)}): "
                             f"{terminal(beschrijving)}"),
                   kader.organisatie.beslisregel)
        for p in kader.organisatie.plafonds:
            onode.add(f"plafond: {terminal(p.feit)} = {terminal(p.waarde)} "
                      f"-> max {terminal(p.max)}: {terminal(p.reden)}")
    out.print(tree)


def _clausules(node: Tree, regel: Beslisregel) -> None:
    """Each clause: its published tekst, the sentence of its conditions, a recorded lezing, and
    where the two disagree; a clause without tekst shows only the sentence."""
    for c in controles(regel):
        if not c.tekst:
            node.add(f"{c.nummer}. {terminal(c.zin)}")
            continue
        cn = node.add(f"{c.nummer}. {terminal(c.tekst)}")
        cn.add(f"[dim]voorwaarden:[/] {terminal(c.zin)}")
        if c.lezing is not None:
            cn.add(f"[magenta]gelezen als:[/] '{terminal(c.lezing.woorden)}' = "
                   f"'{terminal(c.lezing.gelezen_als)}' ({terminal(c.lezing.reden)})")
        for v in c.verschillen:
            cn.add(f"[yellow]tekst en voorwaarden verschillen:[/] {terminal(v)}")


def print_check(kader: Kader, rapport: Rapport, streng: bool = False) -> None:
    out = console()
    tekstsoorten = WAARSCHUWINGEN | NOTITIES
    ref = terminal(kader.ref)
    if all(b.soort in tekstsoorten for b in rapport.bevindingen):
        out.print(f"[green]ok[/]  {ref}: {aantal(rapport.gecontroleerd, 'criterium')} proven "
                  "exhaustive, exclusive, monotone, every clause reachable", soft_wrap=True)
    else:
        fout = sum(1 for b in rapport.bevindingen if b.soort not in tekstsoorten)
        out.print(f"[red]{ref}[/]: {aantal(fout, 'finding')}", soft_wrap=True)
    for b in rapport.bevindingen:
        line, col = kader.positie(b.plek or b.criterium)
        where = f"{kader.pad}:{line}:{col}: " if line else f"{kader.pad}: "
        if b.soort in tekstsoorten:
            niveau = "note" if b.soort in NOTITIES else ("error" if streng else "warning")
            regel = f"{where}{niveau}: {SOORTEN[b.soort]}: {b.boodschap}"
        else:
            regel = f"{where}{onderwerp(b)}: {SOORTEN[b.soort]}: {b.boodschap}"
        # one line per finding, so FILE:LINE:COL stays greppable
        out.print(terminal(regel), soft_wrap=True)
    if rapport.breuken:
        from kaderwerk.domain.breuktekst import regels

        # findings, so English and located like the others; the table below is Dutch
        for cid, _, tekst in regels(rapport.breuken):
            line, col = kader.positie(cid)
            where = f"{kader.pad}:{line}:{col}: " if line else f"{kader.pad}: "
            out.print(terminal(f"{where}criterium {cid}: {tekst}"), soft_wrap=True)
    if rapport.groottes:
        table = Table(title=f"{terminal(kader.ref)}: groottes waarbij de beslisregel faalt")
        table.add_column("criterium")
        table.add_column("echte grootte", justify="right")
        for soort in ("niet_uitputtend", "overlap", "niet_monotoon"):
            table.add_column(GROOTTE_KOPPEN[soort])
        for c in kader.criteria:
            per = rapport.groottes.get(c.id, {})
            table.add_row(terminal(c.id), str(len(c.beoordeelde)),
                          *(bereiken(per.get(s, [])) or "-" for s in
                            ("niet_uitputtend", "overlap", "niet_monotoon")))
        out.print(table)
    if rapport.breuken:
        from kaderwerk.domain.breuktekst import nederlands

        getoond = [rapport.breuken[c.id] for c in kader.criteria if c.id in rapport.breuken]
        k = sum(1 for per in getoond if per.get("bewezen"))
        stand = ("bewezen" if k == len(getoond) else "niet bewezen" if k == 0
                 else f"{k} van {len(getoond)} criteria bewezen")
        table = Table(title=f"{terminal(kader.ref)}: groottes waarbij de beslisregel faalt, "
                      f"voor elke n ({stand})")
        table.add_column("criterium")
        table.add_column("echte grootte", justify="right")
        for soort in ("niet_uitputtend", "overlap", "niet_monotoon"):
            table.add_column(GROOTTE_KOPPEN[soort])
        for c in kader.criteria:
            per = rapport.breuken.get(c.id)
            if per is None:
                continue
            cellen = ([nederlands(per[s]["tekst"]) for s in
                       ("niet_uitputtend", "overlap", "niet_monotoon")]
                      if per.get("bewezen") else ["niet bewezen"] * 3)
            table.add_row(terminal(c.id), str(len(c.beoordeelde)),
                          *(terminal(x) for x in cellen))
        out.print(table)


def symbolen(schaal: Sequence[str]) -> dict[str, str]:
    """One character per oordeel: its first letter when those differ, else its place (1, 2...).

    A letter still reads without colour (a pipe, ``NO_COLOR``); colour only adds to it.
    """
    letters = [o[:1].upper() for o in schaal]
    if len(set(letters)) == len(letters) and GEEN not in letters and all(letters):
        return dict(zip(schaal, letters, strict=True))
    return {o: str(i) if i < 10 else "+" for i, o in enumerate(schaal, 1)}


MIN_NAAM = 12
"""The grid's organisation column is never narrower than this (names wrap over lines)."""

MAX_WOORD = 40
"""Only a word longer than this is split over lines in a table column."""

MIN_TITEL = 20
"""The landelijk beeld's titel column is never narrower than this (titels wrap at words)."""

GEEN = "-"
"""The grid's symbol for a criterium without oordeel."""


def _rangorde(out: Console, u: Mapping[str, Any]) -> None:
    """The rangorde as a grid: one column per criterium, one symbol per oordeel, a legend."""
    schaal = u["kader"]["oordeelschaal"]
    teken = symbolen(schaal)
    beeld = u["landelijk_beeld"]
    ids = [c["id"] for c in u["criteria"]]
    r = Table(title="Rangorde (aantal verwachtingen voldoende) en oordeel per criterium",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    r.add_column("#", justify="right", no_wrap=True)
    # names wrap at spaces; the column is as wide as the longest word, so none is split
    woord = max((len(w) for o in u["organisaties"] for w in terminal(o["naam"]).split()),
                default=0)
    naam_breedte = max(MIN_NAAM, min(woord, MAX_WOORD))
    r.add_column("organisatie", overflow="fold", min_width=naam_breedte)
    r.add_column("vold.", justify="right", no_wrap=True)
    for cid in ids:
        r.add_column(terminal(cid), justify="center", no_wrap=True, min_width=len(cid))
    heeft_organisatie = any(o["oordeel"] is not None for o in u["organisaties"])
    if heeft_organisatie:
        r.add_column("org.", justify="center", no_wrap=True)

    def cel(oordeel: str | None) -> str:
        if oordeel is None:
            return f"[bold]{GEEN}[/]"
        c = COLOURS.get(oordeel)
        t = terminal(teken.get(oordeel, "?"))
        return f"[{c}]{t}[/]" if c else t

    per = {o["naam"]: o for o in u["organisaties"]}
    plaatsen = beeld.get("plaatsen") or list(range(1, len(beeld["rangorde"]) + 1))
    for plaats, naam in zip(plaatsen, beeld["rangorde"], strict=True):
        o = per[naam]
        rij = [cel(o["criteria"].get(cid, {}).get("oordeel")) for cid in ids]
        if heeft_organisatie:
            rij.append(cel(o["oordeel"]["oordeel"] if o["oordeel"] else None))
        r.add_row(str(plaats), terminal(naam), str(o["aantal_voldoende"]), *rij)
    # Too many criteria for the width: the grid is printed wider (a terminal wraps its lines)
    # rather than cut criterium ids or squeeze the names away.
    breedtes = [len(str(len(per))), naam_breedte, 5, *(len(terminal(c)) for c in ids)]
    _print_breed(out, r, sum(b + 2 for b in breedtes) + 4 * heeft_organisatie + 2)
    legenda = [f"{cel(o)} {terminal(o)}" for o in schaal] + [f"{cel(None)} geen oordeel"]
    if heeft_organisatie:
        legenda.append("org. oordeel organisatie")
    out.print("legenda: " + ", ".join(legenda) + "; gelijke aantallen delen een plaats",
              soft_wrap=True)


def _print_breed(out: Console, table: Table, nodig: int) -> None:
    """Print ``table`` at least ``nodig`` wide: a terminal wraps a wide line, but a column
    squeezed below its header or its longest word would cut what it shows."""
    breed = out.width
    out.width = max(breed, nodig)
    try:
        out.print(table, crop=False)
    finally:
        out.width = breed


def print_uitkomst(u: Mapping[str, Any]) -> None:
    out = console()
    schaal = u["kader"]["oordeelschaal"]
    beeld = u["landelijk_beeld"]
    out.print(f"[bold]{terminal(u['kader']['titel'])}[/] "
              f"({terminal(u['kader']['id'])}@{terminal(u['kader']['versie'])}), "
              f"{aantal(beeld['aantal_organisaties'], 'organisatie')}", soft_wrap=True)
    t = Table(title="Landelijk beeld per criterium")
    geen = sum(row.get("geen_oordeel", 0) for row in beeld["criteria"].values())
    koppen = ["criterium", *(terminal(o) for o in schaal), *(["geen oordeel"] if geen else [])]
    breedtes = [max(len(koppen[0]), *(len(terminal(c)) for c in beeld["criteria"])),
                *(max(len(k), 4) for k in koppen[1:])]
    t.add_column("criterium", no_wrap=True, min_width=breedtes[0])
    t.add_column("titel", max_width=50, min_width=MIN_TITEL)
    for o in schaal:
        t.add_column(terminal(o), justify="right", style=COLOURS.get(o, ""), no_wrap=True,
                     min_width=len(terminal(o)))
    if geen:
        t.add_column("geen oordeel", justify="right", style="bold", no_wrap=True,
                     min_width=len("geen oordeel"))
    titles = {c["id"]: c["titel"] for c in u["criteria"]}
    for cid, row in beeld["criteria"].items():
        t.add_row(terminal(cid), terminal(titles.get(cid, "")),
                  *(str(row.get(o, 0)) for o in schaal),
                  *([str(row.get("geen_oordeel", 0))] if geen else []))
    _print_breed(out, t, sum(b + 3 for b in breedtes) + MIN_TITEL + 4)
    for line in geen_oordeel_lines(u):
        out.print(f"[bold]{terminal(line)}[/]", soft_wrap=True)
    _rangorde(out, u)
    af = u["afwijkingen"]
    from kaderwerk.domain.afwijkingen import AFRONDINGEN

    afgerond = "".join(f" (percentages {AFRONDINGEN.get(w, w)}: {n})"
                       for w, n in (u.get("gepubliceerd_afronding") or {}).items())
    out.print(f"Gepubliceerde cijfers gecontroleerd: {u.get('gepubliceerd_gecontroleerd', 0)}"
              f"{afgerond}, "
              f"afwijkingen: {len(af)}", soft_wrap=True)
    for a in af:
        out.print(f"  [yellow]{terminal(a['soort'])} {terminal(a['id'] or '')}[/]: "
                  f"{terminal(a['verschil'])} [dim]({terminal(a['bron'])})[/]", soft_wrap=True)


def print_plugins(rows: list[dict[str, Any]]) -> None:
    """``kaderwerk plugins``: one block per plugin, what it registered, broken or disabled."""
    out = console()
    for p in rows:
        state = ("[yellow]uitgezet[/]" if p["disabled"] else
                 "[red]kapot[/]" if p["error"] else "[green]ok[/]")
        kind = "ingebouwd" if p["builtin"] else "extern"
        from kaderwerk.sources.manager import toon

        naam = toon(p["naam"], p["version"], p.get("package"))
        if naam == p["naam"]:  # else the package's version is in it already
            naam += f" {p['version'] or '?'}"
        out.print(f"[bold]{terminal(naam)}[/] ({kind}) {state}", soft_wrap=True)
        if p["error"]:
            out.print(f"  {terminal(p['error'])}", soft_wrap=True)
        for what in p["registered"]:
            out.print(f"  registreert {terminal(what)}", soft_wrap=True)
        for what in p["replaces"]:
            out.print(f"  [yellow]vervangt[/] {terminal(what)}", soft_wrap=True)
