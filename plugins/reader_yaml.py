"""Reading beoordelingen from YAML or JSON, validated by ``schemas/beoordeling.schema.json``.

Structured files suit systems that export assessments; each organisation is one mapping with
its scores, feiten and handmatige oordelen. After schema validation the same table rules apply
as for CSV, reported by line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kaderwerk import schema
from kaderwerk.beoordeling import DEFAULT_OPTIES, ORGANISATIE, Beoordeling, Opties, Tabel
from kaderwerk.errors import InvoerError, KaderError
from kaderwerk.hookspecs import hookimpl
from kaderwerk.model import Kader
from kaderwerk.yamlsource import parse, read_text


def read_structured(path: Path, kader: Kader, opties: Opties = DEFAULT_OPTIES) -> list[Beoordeling]:
    file = str(path)
    try:
        doc = parse(read_text(path, file), file)
    except KaderError as exc:
        raise InvoerError("", problems=exc.problems) from None
    problems = schema.validate("beoordeling", doc)
    if problems:
        raise InvoerError("", problems=problems)
    header: list[str] = [ORGANISATIE]
    body: list[tuple[int, list[Any]]] = []
    records = []
    for i, org in enumerate(doc.data["organisaties"]):
        cols: dict[str, Any] = {}
        for vid, score in org.get("scores", {}).items():
            cols[str(vid)] = score
        for feit, waarde in org.get("feiten", {}).items():
            cols[feit] = waarde
        for target, o in org.get("oordelen", {}).items():
            suffix = "" if target == ORGANISATIE else f" {target}"
            if isinstance(o, dict):
                cols["oordeel" + suffix] = o.get("oordeel")
                if o.get("onderbouwing"):
                    cols["onderbouwing" + suffix] = o["onderbouwing"]
            else:
                cols["oordeel" + suffix] = o
        if "datum" in org:
            cols["datum"] = str(org["datum"])
        if "kader" in doc.data:
            cols["kader"] = doc.data["kader"]
        for k in cols:
            if k not in header:
                header.append(k)
        records.append((doc.where(("organisaties", i))[0] or 0, org["naam"], cols))
    for line, naam, cols in records:
        body.append((line, [naam, *(cols.get(k) for k in header[1:])]))
    return Tabel(kader, file, opties, rij="line").lees(header, body)


@hookimpl
def register_readers(register: Callable[..., Any]) -> None:
    for suffix in (".yaml", ".yml", ".json"):
        register(suffix, read_structured, "YAML/JSON beoordelingen")
