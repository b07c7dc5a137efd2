"""The ``csv`` output format: one row per organisation, for spreadsheets and further analysis.

Rows follow the rangorde, columns are the organisation, its number of voldoende verwachtingen,
one oordeel per criterium and, when the kader judges whole organisations, that oordeel. The
file is UTF-8 without BOM with ``\\n`` line ends, so identical input gives identical bytes.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return) gets a leading apostrophe; ``neutraliseer`` is shared with ``xlsx``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from kaderwerk.hookspecs import hookimpl
from kaderwerk.tekst import zichtbaar

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


def write_csv(uitkomst: dict[str, Any]) -> bytes:
    ids = criterium_ids(uitkomst)
    organisaties = in_rangorde(uitkomst)
    met_oordeel = any(o.get("oordeel") is not None for o in organisaties)
    header = ["organisatie", "aantal_voldoende", *ids]
    if met_oordeel:
        header.append("oordeel")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutraliseer(h) for h in header])
    for o in organisaties:
        rij = [o["naam"], o["aantal_voldoende"],
               *(oordeel_van(o["criteria"].get(i)) for i in ids)]
        if met_oordeel:
            rij.append(oordeel_van(o.get("oordeel")))
        writer.writerow([neutraliseer(v) for v in rij])
    return zichtbaar(buf.getvalue()).encode("utf-8")


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("csv", write_csv, ".csv")
