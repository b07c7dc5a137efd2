"""The ``csv`` output format: one row per organisation, for spreadsheets and further analysis.

Rows follow the rangorde, columns are the organisation, its number of voldoende verwachtingen,
one oordeel per criterium and, when the kader judges whole organisations, that oordeel. The
file is UTF-8 without BOM with ``\\n`` line ends, so identical input gives identical bytes.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return) gets a leading apostrophe (``kaderwerk.api.neutraliseer``, also for ``xlsx``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from kaderwerk.api import (
    criterium_ids,
    hookimpl,
    in_rangorde,
    neutraliseer,
    oordeel_van,
    zichtbaar,
)


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
