"""Reading an uitkomst: the helpers every output format needs, public in ``kaderwerk.api``.

The builtin formats share these (order of criteria and organisations, how an oordeel, a
plafond, a rule or a fact reads, formula-safe spreadsheet text), and a third-party format gets
the same without importing another plugin. Each takes the uitkomst as formats receive it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")


def neutraliseer(waarde: Any) -> Any:
    """Text that would start a spreadsheet formula, prefixed with ``'``; anything else as is."""
    if isinstance(waarde, str) and waarde.startswith(FORMULE_TEKENS):
        return "'" + waarde
    return waarde


def criterium_ids(uitkomst: dict[str, Any]) -> list[str]:
    """Criterium ids in kader order (from ``criteria``, else from the landelijk beeld)."""
    if uitkomst.get("criteria"):
        return [c["id"] for c in uitkomst["criteria"]]
    return list(uitkomst["landelijk_beeld"]["criteria"])


def in_rangorde(uitkomst: dict[str, Any]) -> list[dict[str, Any]]:
    """Organisations in rangorde order; any the rangorde does not name follow in input order."""
    per_naam: dict[str, list[dict[str, Any]]] = {}
    for o in uitkomst["organisaties"]:
        per_naam.setdefault(o["naam"], []).append(o)
    volgorde = []
    for naam in uitkomst["landelijk_beeld"].get("rangorde", []):
        if per_naam.get(naam):
            volgorde.append(per_naam[naam].pop(0))
    volgorde.extend(o for rest in per_naam.values() for o in rest)
    return volgorde


def oordeel_van(item: dict[str, Any] | None) -> str:
    """The oordeel text of a criterium or organisation entry: ``geen oordeel`` when the rule
    gave none (never a silent empty cell); empty only when there is no entry at all."""
    if not item:
        return ""
    if item.get("oordeel") is None:
        return "geen oordeel"
    return str(item["oordeel"])


GEEN_OORDEEL = "geen_oordeel"


def oordeel_kolommen(uitkomst: dict[str, Any], rijen: Iterable[dict[str, int]]) -> list[str]:
    """Count keys in scale order, then unknown oordelen, then ``geen_oordeel`` if it occurs."""
    kolommen = list(uitkomst["kader"].get("oordeelschaal", []))
    geen = False
    for rij in rijen:
        for k, n in rij.items():
            if k == GEEN_OORDEEL:
                geen = geen or n > 0
            elif k not in kolommen:
                kolommen.append(k)
    return [*kolommen, GEEN_OORDEEL] if geen else kolommen


def kolom_label(sleutel: str) -> str:
    return "geen oordeel" if sleutel == GEEN_OORDEEL else sleutel


def kop_label(sleutel: str) -> str:
    """An oordeel as a column header: capitalised like every other header ("Geen oordeel")."""
    label = kolom_label(sleutel)
    return label[:1].upper() + label[1:]


def criterium_titels(uitkomst: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c.get("titel", "") for c in uitkomst.get("criteria", [])}


def telling_tekst(telling: dict[str, int]) -> str:
    """Counts in short form, e.g. ``3 V / 1 O / 0 NB``."""
    return (f"{telling['voldoende']} V / {telling['onvoldoende']} O / "
            f"{telling['niet_beoordeeld']} NB")


def oordeel_tekst(item: dict[str, Any] | None) -> str:
    if not item or item.get("oordeel") is None:
        return "geen oordeel"
    return str(item["oordeel"])


def waarde_tekst(waarde: Any) -> str:
    """A fact's value for readers: ja/nee for booleans."""
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    return "—" if waarde is None else str(waarde)


def feiten_tekst(feiten: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {waarde_tekst(v)}" for k, v in feiten.items())


def plafond_tekst(item: dict[str, Any]) -> str:
    """The plafond that applied, why, and whether it lowered the oordeel; empty if none."""
    p = item.get("plafond")
    if not p:
        return ""
    tekst = f"max {p['max']} ({p['feit']} = {waarde_tekst(p.get('waarde'))}): {p['reden']}"
    # a reden is published text and often a whole sentence: keep its full stop, start anew
    zin = tekst.rstrip().endswith((".", "!", "?", "»", '"'))
    if p.get("verlaagd"):
        voor = item.get("oordeel_voor_plafond")
        verlaagd = f"erlaagd van {voor} naar {oordeel_tekst(item)}"
        return f"{tekst} V{verlaagd}." if zin else f"{tekst}; v{verlaagd}"
    return f"{tekst} Niet verlaagd." if zin else f"{tekst}; niet verlaagd"


def regel_tekst(item: dict[str, Any]) -> str:
    regel: str = item.get("regel", "")
    onderbouwing = item.get("onderbouwing")
    if onderbouwing and not regel.endswith(onderbouwing):  # a handmatig rule already gives it
        regel = f"{regel} (onderbouwing: {onderbouwing})"
    if item.get("afstand"):
        regel = f"{regel.rstrip(' ;,')} — grens: {item['afstand']}"
    band = item.get("bandbreedte")
    if band:
        regel = (f"{regel.rstrip(' ;,')} — met de open verwachtingen: van "
                 f"{band['beste'] or 'geen oordeel'} tot {band['slechtste'] or 'geen oordeel'}")
    return regel


def afwijkingen_zin(uitkomst: dict[str, Any]) -> str:
    """One sentence on how many published figures were checked and how many differ."""
    n = uitkomst.get("gepubliceerd_gecontroleerd", 0)
    m = len(uitkomst["afwijkingen"])
    if m:
        return (f"{n} gepubliceerde cijfers gecontroleerd; "
                f"{m} {'afwijking' if m == 1 else 'afwijkingen'}.")
    if n:
        return f"Alle {n} gepubliceerde cijfers worden gereproduceerd."
    return "Er zijn geen gepubliceerde cijfers gecontroleerd."


def ontvouw(data: dict[str, Any]) -> dict[str, Any]:
    """A json file's content with each reference replaced by its trace, as formats receive it.

    The inverse of what ``write_json`` does to the uitkomst: ``beslissingen`` is dropped and
    every organisation's criteria and oordeel hold their whole trace again.
    """
    sporen = [{k: v for k, v in b.items() if k != "doel"} for b in data["beslissingen"]]

    def spoor(ref: Mapping[str, Any] | None) -> dict[str, Any] | None:
        return None if ref is None else sporen[ref["beslissing"]]

    organisaties = [{**o, "criteria": {c: spoor(r) for c, r in o["criteria"].items()},
                     "oordeel": spoor(o.get("oordeel"))} for o in data["organisaties"]]
    return {k: organisaties if k == "organisaties" else v
            for k, v in data.items() if k != "beslissingen"}
