"""Readable terminal output (rich): kader trees, check reports, assessment summaries.

Machine output is ``--format json``; this module is only for people at a terminal, so it may
change its layout freely. It is imported lazily by the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kaderwerk.beslisregel import Beslisregel
from kaderwerk.model import Kader
from kaderwerk.regelzin import controles
from kaderwerk.tekst import terminal
from kaderwerk.tekst import terminal as t
from kaderwerk.verify import NOTITIES, SOORTEN, WAARSCHUWINGEN, Rapport, bereiken
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

COLOURS = {"voldoende": "green", "matig": "dark_orange", "onvoldoende": "red"}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _kleur(oordeel: str | None) -> str:
    if oordeel is None:
        return "[dim]geen oordeel[/]"
    c = COLOURS.get(oordeel)
    return f"[{c}]{oordeel}[/]" if c else terminal(oordeel)


def print_list(data: Mapping[str, Any]) -> None:
    out = console()
    table = Table(title="Kaders", show_lines=False)
    for col in ("id", "versie", "titel", "datasets", "status"):
        table.add_column(col)
    for k in data["kaders"]:
        status = "[red]fout[/]" if k["fout"] else (
            "[yellow]onvolledig[/]" if k["volledig"] is False else "[green]ok[/]")
        if k["basis"]:
            status += f" (overlay op {t(k['basis'])})"
        table.add_row(t(k["id"]), t(k["versie"] or "?"), t(k["titel"] or k["bestand"]),
                      t(", ".join(k["datasets"])), status)
    out.print(table)
    for k in data["kaders"]:
        if k["fout"]:
            out.print(f"[red]{t(k['bestand'])}[/]: {t(k['fout'])}", markup=True)
    if data["kapot"]:
        out.print("[red]Broken plugins:[/]")
        for name, why in data["kapot"].items():
            out.print(f"  {t(name)}: {t(why)}")


def print_kader(kader: Kader) -> None:
    out = console()
    head = f"[bold]{t(kader.titel)}[/] ({t(kader.ref)})"
    if kader.geldig_vanaf:
        head += f", geldig vanaf {t(kader.geldig_vanaf)}"
    if kader.basis:
        head += f" — overlay op {t(kader.basis)}"
    tree = Tree(head)
    if kader.bron:
        vol = "" if kader.bron.volledig is not False else " [yellow](onvolledig)[/]"
        tree.add(f"[dim]bron: {t(kader.bron.citeer())}[/]{vol}")
    tree.add(f"oordeelschaal: {t(' > '.join(kader.oordeelschaal))}")
    for thema in kader.themas:
        tnode = tree.add(f"[bold]{t(thema.id)} {t(thema.titel)}[/]")
        if thema.norm:
            tnode.add(f"[italic]{t(thema.norm)}[/]")
        for c in thema.criteria:
            mark = " [magenta](aangepast)[/]" if c.aangepast else ""
            rec = " [yellow](reconstructie)[/]" if c.bron and c.bron.reconstructie else ""
            cnode = tnode.add(f"[bold]{t(c.id)}[/] {t(c.titel)}{mark}{rec}")
            _clausules(cnode.add(f"[cyan]beslisregel ({t(c.beslisregel.type)})[/]: "
                                 f"{t(c.beslisregel.beschrijving())}"), c.beslisregel)
            for p in c.plafonds:
                cnode.add(f"[cyan]plafond[/]: {t(p.feit)} = {t(p.waarde)} -> max {t(p.max)}")
            for v in c.verwachtingen:
                flags = ""
                if not v.beoordeeld:
                    flags += " [yellow](niet beoordeeld)[/]"
                if v.bron and v.bron.reconstructie:
                    flags += " [yellow](reconstructie)[/]"
                if v.aangepast:
                    flags += " [magenta](aangepast)[/]"
                vnode = cnode.add(f"{t(v.id)} {t(v.tekst)}{flags}")
                if v.operationalisering:
                    vnode.add(f"[magenta]operationalisering:[/] {t(v.operationalisering)}")
                for n in v.noten:
                    vnode.add(f"[dim]noot: {t(n)}[/]")
    if kader.organisatie:
        onode = tree.add("[bold]Oordeel organisatie[/]")
        _clausules(onode.add(f"beslisregel ({t(kader.organisatie.beslisregel.type)}): "
                             f"{t(kader.organisatie.beslisregel.beschrijving())}"),
                   kader.organisatie.beslisregel)
        for p in kader.organisatie.plafonds:
            onode.add(f"plafond: {t(p.feit)} = {t(p.waarde)} -> max {t(p.max)}: {t(p.reden)}")
    out.print(tree)


def _clausules(node: Tree, regel: Beslisregel) -> None:
    """Each clause: its published tekst, the sentence of its conditions, a recorded lezing, and
    where the two disagree; a clause without tekst shows only the sentence."""
    for c in controles(regel):
        if not c.tekst:
            node.add(f"{c.nummer}. {t(c.zin)}")
            continue
        cn = node.add(f"{c.nummer}. {t(c.tekst)}")
        cn.add(f"[dim]voorwaarden:[/] {t(c.zin)}")
        if c.lezing is not None:
            cn.add(f"[magenta]gelezen als:[/] '{t(c.lezing.woorden)}' = "
                   f"'{t(c.lezing.gelezen_als)}' ({t(c.lezing.reden)})")
        for v in c.verschillen:
            cn.add(f"[yellow]tekst en voorwaarden verschillen:[/] {t(v)}")


def print_check(kader: Kader, rapport: Rapport, streng: bool = False) -> None:
    out = console()
    tekstsoorten = WAARSCHUWINGEN | NOTITIES
    if all(b.soort in tekstsoorten for b in rapport.bevindingen):
        out.print(f"[green]ok[/]  {t(kader.ref)}: {rapport.gecontroleerd} criteria proven "
                  "exhaustive, exclusive, monotone, every clause reachable")
    for b in rapport.bevindingen:
        line, col = b.plek or kader.positie(b.criterium)
        where = f"{kader.pad}:{line}:{col}: " if line else f"{kader.pad}: "
        if b.soort in tekstsoorten:
            niveau = "note" if b.soort in NOTITIES else ("error" if streng else "warning")
            out.print(t(f"{where}{niveau}: {SOORTEN[b.soort]}: {b.boodschap}"))
            continue
        wat = "organisatie" if b.criterium == "organisatie" else f"criterium {b.criterium}"
        out.print(t(f"{where}{wat} (thema {b.thema}, {b.grootte} verwachtingen): "
                    f"{SOORTEN[b.soort]}: {b.boodschap}"))
    if rapport.groottes:
        table = Table(title=f"{t(kader.ref)}: sizes at which each criterium's rule breaks")
        table.add_column("criterium")
        table.add_column("real size")
        for soort in ("niet_uitputtend", "overlap", "niet_monotoon"):
            table.add_column(SOORTEN[soort])
        for c in kader.criteria:
            per = rapport.groottes.get(c.id, {})
            table.add_row(t(c.id), str(len(c.beoordeelde)),
                          *(bereiken(per.get(s, [])) or "-" for s in
                            ("niet_uitputtend", "overlap", "niet_monotoon")))
        out.print(table)


def print_uitkomst(u: Mapping[str, Any]) -> None:
    out = console()
    schaal = u["kader"]["oordeelschaal"]
    beeld = u["landelijk_beeld"]
    out.print(f"[bold]{terminal(u['kader']['titel'])}[/] "
              f"({terminal(u['kader']['id'])}@{terminal(u['kader']['versie'])}), "
              f"{beeld['aantal_organisaties']} organisaties")
    t = Table(title="Landelijk beeld per criterium")
    t.add_column("criterium")
    t.add_column("titel", max_width=50)
    for o in schaal:
        t.add_column(terminal(o), justify="right", style=COLOURS.get(o, ""))
    titles = {c["id"]: c["titel"] for c in u["criteria"]}
    for cid, row in beeld["criteria"].items():
        t.add_row(terminal(cid), terminal(titles.get(cid, "")),
                  *(str(row.get(o, 0)) for o in schaal))
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
        r.add_row(str(i), terminal(naam), str(o["aantal_voldoende"]), oordelen)
    out.print(r)
    af = u["afwijkingen"]
    out.print(f"Gepubliceerde cijfers gecontroleerd: {u.get('gepubliceerd_gecontroleerd', 0)}, "
              f"afwijkingen: {len(af)}")
    for a in af:
        out.print(f"  [yellow]{terminal(a['soort'])} {terminal(a['id'] or '')}[/]: "
                  f"{terminal(a['verschil'])} [dim]({terminal(a['bron'])})[/]")
