"""Readable terminal output (rich): kader trees, check reports, assessment summaries.

Machine output is ``--format json``; this module is only for people at a terminal, so it may
change its layout freely. It is imported lazily by the CLI.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Mapping
from typing import Any

from kaderwerk.model import Kader
from kaderwerk.verify import SOORTEN, Rapport, bereiken
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

COLOURS = {"voldoende": "green", "matig": "dark_orange", "onvoldoende": "red"}


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


def _kleur(oordeel: str | None) -> str:
    if oordeel is None:
        return "[dim]geen oordeel[/]"
    c = COLOURS.get(oordeel)
    return f"[{c}]{oordeel}[/]" if c else oordeel


def print_list(data: Mapping[str, Any]) -> None:
    out = console()
    table = Table(title="Kaders", show_lines=False)
    for col in ("id", "versie", "titel", "datasets", "status"):
        table.add_column(col)
    for k in data["kaders"]:
        status = "[red]fout[/]" if k["fout"] else (
            "[yellow]onvolledig[/]" if k["volledig"] is False else "[green]ok[/]")
        if k["basis"]:
            status += f" (overlay op {k['basis']})"
        table.add_row(k["id"], k["versie"] or "?", k["titel"] or k["bestand"],
                      ", ".join(k["datasets"]), status)
    out.print(table)
    for k in data["kaders"]:
        if k["fout"]:
            out.print(f"[red]{k['bestand']}[/]: {k['fout']}", markup=True)
    if data["kapot"]:
        out.print("[red]Broken plugins:[/]")
        for name, why in data["kapot"].items():
            out.print(f"  {name}: {why}", markup=False)


def print_kader(kader: Kader) -> None:
    out = console()
    head = f"[bold]{kader.titel}[/] ({kader.ref})"
    if kader.geldig_vanaf:
        head += f", geldig vanaf {kader.geldig_vanaf}"
    if kader.basis:
        head += f" — overlay op {kader.basis}"
    tree = Tree(head)
    if kader.bron:
        vol = "" if kader.bron.volledig is not False else " [yellow](onvolledig)[/]"
        tree.add(f"[dim]bron: {kader.bron.citeer()}[/]{vol}")
    tree.add(f"oordeelschaal: {' > '.join(kader.oordeelschaal)}")
    for t in kader.themas:
        tnode = tree.add(f"[bold]{t.id} {t.titel}[/]")
        if t.norm:
            tnode.add(f"[italic]{t.norm}[/]")
        for c in t.criteria:
            mark = " [magenta](aangepast)[/]" if c.aangepast else ""
            rec = " [yellow](reconstructie)[/]" if c.bron and c.bron.reconstructie else ""
            cnode = tnode.add(f"[bold]{c.id}[/] {c.titel}{mark}{rec}")
            cnode.add(f"[cyan]beslisregel ({c.beslisregel.type})[/]: "
                      f"{c.beslisregel.beschrijving()}")
            for p in c.plafonds:
                cnode.add(f"[cyan]plafond[/]: {p.feit} = {p.waarde} -> max {p.max}")
            for v in c.verwachtingen:
                flags = ""
                if not v.beoordeeld:
                    flags += " [yellow](niet beoordeeld)[/]"
                if v.bron and v.bron.reconstructie:
                    flags += " [yellow](reconstructie)[/]"
                if v.aangepast:
                    flags += " [magenta](aangepast)[/]"
                vnode = cnode.add(f"{v.id} {v.tekst}{flags}")
                if v.operationalisering:
                    vnode.add(f"[magenta]operationalisering:[/] {v.operationalisering}")
                for n in v.noten:
                    vnode.add(f"[dim]noot: {n}[/]")
    if kader.organisatie:
        onode = tree.add("[bold]Oordeel organisatie[/]")
        onode.add(f"beslisregel ({kader.organisatie.beslisregel.type}): "
                  f"{kader.organisatie.beslisregel.beschrijving()}")
        for p in kader.organisatie.plafonds:
            onode.add(f"plafond: {p.feit} = {p.waarde} -> max {p.max}: {p.reden}")
    out.print(tree)


def print_check(kader: Kader, rapport: Rapport) -> None:
    out = console()
    if not rapport.bevindingen:
        out.print(f"[green]ok[/]  {kader.ref}: {rapport.gecontroleerd} criteria proven "
                  "exhaustive, exclusive, monotone, every clause reachable")
    for b in rapport.bevindingen:
        line, col = kader.positie(b.criterium)
        where = f"{kader.pad}:{line}:{col}: " if line else f"{kader.pad}: "
        wat = "organisatie" if b.criterium == "organisatie" else f"criterium {b.criterium}"
        out.print(f"{where}{wat} (thema {b.thema}, {b.grootte} verwachtingen): "
                  f"{SOORTEN[b.soort]}: {b.boodschap}", markup=False)
    if rapport.groottes:
        table = Table(title=f"{kader.ref}: sizes at which each criterium's rule breaks")
        table.add_column("criterium")
        table.add_column("real size")
        for soort in ("niet_uitputtend", "overlap", "niet_monotoon"):
            table.add_column(SOORTEN[soort])
        for c in kader.criteria:
            per = rapport.groottes.get(c.id, {})
            table.add_row(c.id, str(len(c.beoordeelde)),
                          *(bereiken(per.get(s, [])) or "-" for s in
                            ("niet_uitputtend", "overlap", "niet_monotoon")))
        out.print(table)


def print_uitkomst(u: Mapping[str, Any]) -> None:
    out = console()
    schaal = u["kader"]["oordeelschaal"]
    beeld = u["landelijk_beeld"]
    out.print(f"[bold]{u['kader']['titel']}[/] ({u['kader']['id']}@{u['kader']['versie']}), "
              f"{beeld['aantal_organisaties']} organisaties")
    t = Table(title="Landelijk beeld per criterium")
    t.add_column("criterium")
    t.add_column("titel", max_width=50)
    for o in schaal:
        t.add_column(o, justify="right", style=COLOURS.get(o, ""))
    titles = {c["id"]: c["titel"] for c in u["criteria"]}
    for cid, row in beeld["criteria"].items():
        t.add_row(cid, titles.get(cid, ""), *(str(row.get(o, 0)) for o in schaal))
    out.print(t)
    r = Table(title="Rangorde (aantal verwachtingen voldoende)")
    r.add_column("#", justify="right")
    r.add_column("organisatie")
    r.add_column("voldoende", justify="right")
    r.add_column("oordelen")
    per = {o["naam"]: o for o in u["organisaties"]}
    for i, naam in enumerate(beeld["rangorde"], 1):
        o = per[naam]
        oordelen = " ".join(_kleur(c["oordeel"]) for c in o["criteria"].values())
        if o["oordeel"] is not None:
            oordelen += f"  organisatie: {_kleur(o['oordeel']['oordeel'])}"
        r.add_row(str(i), naam, str(o["aantal_voldoende"]), oordelen)
    out.print(r)
    af = u["afwijkingen"]
    out.print(f"Gepubliceerde cijfers gecontroleerd: {u.get('gepubliceerd_gecontroleerd', 0)}, "
              f"afwijkingen: {len(af)}")
    for a in af:
        out.print(f"  [yellow]{a['soort']} {a['id'] or ''}[/]: {a['verschil']} "
                  f"[dim]({a['bron']})[/]")
