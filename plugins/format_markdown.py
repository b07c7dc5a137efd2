"""The ``markdown`` output format: a readable report for a repository, a wiki or a pull request.

It follows the landelijk rapport: the landelijk beeld per criterium and per verwachting, the
rangorde, the afwijkingen from published figures, and per organisation every oordeel with its
trace (the counts, the rule that fired, a plafond). The oordeelschaal comes from the uitkomst,
so a kader with other oordelen needs no change here. Its text helpers are ``kaderwerk.api``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kaderwerk import api
from kaderwerk.api import hookimpl, zichtbaar


def cel(waarde: Any) -> str:
    tekst = "" if waarde is None else str(waarde)
    tekst = " ".join(tekst.split()).replace("|", "\\|")
    return tekst.replace("<", "&lt;").replace(">", "&gt;")


def tabel(kop: Sequence[str], rijen: Iterable[Sequence[Any]],
          rechts: Sequence[bool] = ()) -> list[str]:
    uitlijning = ["--:" if i < len(rechts) and rechts[i] else "---" for i in range(len(kop))]
    regels = ["| " + " | ".join(cel(k) for k in kop) + " |",
              "| " + " | ".join(uitlijning) + " |"]
    regels.extend("| " + " | ".join(cel(v) for v in rij) + " |" for rij in rijen)
    return [*regels, ""]


def _landelijk(uitkomst: dict[str, Any]) -> list[str]:
    beeld = uitkomst["landelijk_beeld"]
    titels = api.criterium_titels(uitkomst)
    ids = api.criterium_ids(uitkomst)
    kolommen = api.oordeel_kolommen(uitkomst, beeld["criteria"].values())
    n = beeld.get("aantal_organisaties", len(uitkomst["organisaties"]))
    out = ["## Landelijk beeld", "", f"Aantal organisaties: {n}.",
           "", "### Oordelen per criterium", ""]
    out += tabel(["Criterium", "Titel", *map(api.kop_label, kolommen)],
                 ([i, titels.get(i, ""), *(beeld["criteria"][i].get(k, 0) for k in kolommen)]
                  for i in ids),
                 [False, False, *[True] * len(kolommen)])
    if beeld.get("organisatie"):
        org_kolommen = api.oordeel_kolommen(uitkomst, [beeld["organisatie"]])
        out += ["### Oordeel per organisatie", ""]
        out += tabel([api.kop_label(k) for k in org_kolommen],
                     [[beeld["organisatie"].get(k, 0) for k in org_kolommen]],
                     [True] * len(org_kolommen))
    teksten = {v["id"]: v.get("tekst", "") for v in uitkomst.get("verwachtingen", [])}
    out += ["### Per verwachting", ""]
    out += tabel(["Verwachting", "Tekst", "Voldoende", "Onvoldoende", "Niet beoordeeld"],
                 ([v, teksten.get(v, ""), n["voldoende"], n["onvoldoende"], n["niet_beoordeeld"]]
                  for v, n in beeld["verwachtingen"].items()),
                 [False, False, True, True, True])
    return out


def _rangorde(uitkomst: dict[str, Any]) -> list[str]:
    organisaties = api.in_rangorde(uitkomst)
    out = ["## Rangorde", ""]
    return out + tabel(["Plaats", "Organisatie", "Aantal voldoende"],
                       ([p, o["naam"], o["aantal_voldoende"]]
                        for p, o in zip(api.plaatsen(organisaties), organisaties, strict=True)),
                       [True, False, True])


def _afwijkingen(uitkomst: dict[str, Any]) -> list[str]:
    out = ["## Afwijkingen van gepubliceerde cijfers", "", api.afwijkingen_zin(uitkomst), ""]
    if uitkomst["afwijkingen"]:
        out += tabel(["Soort", "Id", "Verschil", "Bron", "Toelichting"],
                     ([a["soort"], a.get("id"), a.get("verschil", ""), a["bron"],
                       a.get("toelichting")] for a in uitkomst["afwijkingen"]))
    return out


def _organisatie(uitkomst: dict[str, Any], o: dict[str, Any]) -> list[str]:
    titels = api.criterium_titels(uitkomst)
    out = [f"### {cel(o['naam'])}", "", f"- Aantal voldoende: {o['aantal_voldoende']}"]
    if o.get("oordeel") is not None:
        org = o["oordeel"]
        out.append(f"- Oordeel organisatie: **{cel(api.oordeel_tekst(org))}** "
                   f"({api.telling_tekst(org['telling'])}; {cel(api.regel_tekst(org))})")
        if org.get("plafond"):
            out.append(f"- Plafond: {cel(api.plafond_tekst(org))}")
    if o.get("feiten"):
        out.append(f"- Feiten: {cel(api.feiten_tekst(o['feiten']))}")
    out.append("")
    rijen = []
    for i in api.criterium_ids(uitkomst):
        item = o["criteria"].get(i)
        if item is None:
            continue
        naam = f"{i} {titels[i]}" if titels.get(i) else i
        rijen.append([naam, api.oordeel_tekst(item), api.telling_tekst(item["telling"]),
                      api.regel_tekst(item), api.plafond_tekst(item)])
    out += tabel(["Criterium", "Oordeel", "Telling", "Regel", "Plafond"], rijen)
    out += [f"- Opmerking: {cel(m)}" for m in o.get("opmerkingen", [])]
    return [*out, ""] if o.get("opmerkingen") else out


def write_markdown(uitkomst: dict[str, Any]) -> bytes:
    kader = uitkomst["kader"]
    out = [f"# {kader.get('titel') or kader['id']}", "",
           f"Kader `{kader['id']}@{kader['versie']}`"
           + (f", dataset {uitkomst['invoer']['dataset']}"
              if (uitkomst.get("invoer") or {}).get("dataset") else "") + ".", ""]
    schaal = kader.get("oordeelschaal")
    if schaal:
        out += ["Oordeelschaal (van best naar slechtst): " + ", ".join(schaal) + ".", ""]
    out += _landelijk(uitkomst) + _rangorde(uitkomst) + _afwijkingen(uitkomst)
    out += ["## Per organisatie", ""]
    # encoded a section at a time: the lines of 100,000 organisations as str objects, their
    # join and its encoding would all be alive at once (~1.2 GB instead of ~0.4 GB)
    delen = []
    for o in uitkomst["organisaties"]:
        delen.append(_bytes(out))
        out = _organisatie(uitkomst, o)
    while out and out[-1] == "":
        out.pop()
    delen.append(_bytes(out))
    return b"".join(delen)


def _bytes(regels: list[str]) -> bytes:
    return zichtbaar("\n".join(regels) + "\n").encode("utf-8")


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("markdown", write_markdown, ".md")
