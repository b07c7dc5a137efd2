"""Comparing computed outcomes with the figures a source published about the same data.

A deviation is a finding to report, never a reason to change a beslisregel. Each published
item compares only the keys it gives (a chart that shows only "23 voldoende" is encoded as
that); percentages are compared as printed, after rounding the computed share half up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kaderwerk.model import Bron, Kader
from kaderwerk.procent import heel_procent


def vergelijk(kader: Kader, organisaties: Sequence[Mapping[str, Any]],
              beeld: Mapping[str, Any],
              gepubliceerd: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The afwijkingen, and how many published figures were checked."""
    afwijkingen = []
    n = len(organisaties)
    per_naam = {o["naam"]: o for o in organisaties}
    gecontroleerd = 0
    for item in gepubliceerd:
        soort, ident, waarden = item["soort"], item.get("id"), item["waarden"]
        berekend: dict[str, Any] = {}
        probleem = None
        if soort == "criterium":
            row = beeld["criteria"].get(ident)
            if row is None:
                probleem = f"criterium {ident} is not in kader {kader.ref}"
            else:
                for k in waarden:
                    if k == "niet_voldoende_procent":
                        berekend[k] = heel_procent(n - row.get("voldoende", 0), n) if n else None
                    elif k.endswith("_procent"):
                        berekend[k] = heel_procent(row.get(k[:-8], 0), n) if n else None
                    else:
                        berekend[k] = row.get(k, 0)
        elif soort == "verwachting":
            row = beeld["verwachtingen"].get(ident)
            if row is None:
                probleem = f"verwachting {ident} is not in kader {kader.ref}"
            else:
                for k in waarden:
                    if k.endswith("_procent"):
                        base = k[:-8]
                        if base == "niet_voldoende":
                            berekend[k] = heel_procent(n - row["voldoende"], n) if n else None
                        else:
                            berekend[k] = heel_procent(row.get(base, 0), n) if n else None
                    else:
                        berekend[k] = row.get(k, 0)
        elif soort == "organisatie":
            org = per_naam.get(ident)
            if org is None:
                probleem = f"organisation '{ident}' is not in the beoordelingen"
            else:
                for k in waarden:
                    if k == "aantal_voldoende":
                        berekend[k] = org["aantal_voldoende"]
                    elif k == "oordeel":
                        berekend[k] = (org["oordeel"] or {}).get("oordeel")
                    else:
                        berekend[k] = (org["criteria"].get(k) or {}).get("oordeel")
        elif soort == "rangorde":
            berekend["volgorde"] = list(beeld["rangorde"])
        elif soort == "organisatie_oordeel":
            row = beeld.get("organisatie") or {}
            for k in waarden:
                berekend[k] = row.get(k, 0) if row else None
        gecontroleerd += 1
        wijkt_af = probleem is not None or any(berekend.get(k) != v for k, v in waarden.items())
        if wijkt_af:
            bron = item.get("bron") or {}
            afwijkingen.append({
                "soort": soort, "id": ident,
                "gepubliceerd": dict(waarden), "berekend": berekend,
                "verschil": _verschil(waarden, berekend) if probleem is None else probleem,
                "bron": Bron(**{k: v for k, v in bron.items()
                                if k in ("document", "sectie", "pagina")}).citeer(),
                "toelichting": item.get("toelichting"),
            })
    return afwijkingen, gecontroleerd


def _verschil(gepubliceerd: Mapping[str, Any], berekend: Mapping[str, Any]) -> str:
    parts = []
    for k, v in gepubliceerd.items():
        b = berekend.get(k)
        if b == v:
            continue
        if k == "volgorde":
            first = next((i for i, (x, y) in enumerate(zip(v, b, strict=False)) if x != y),
                         min(len(v), len(b)))
            parts.append(f"volgorde verschilt vanaf plaats {first + 1}")
        else:
            parts.append(f"{k}: gepubliceerd {v}, berekend {b}")
    return "; ".join(parts)
