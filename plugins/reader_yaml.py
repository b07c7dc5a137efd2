"""Reading beoordelingen from YAML or JSON, validated by ``schemas/beoordeling.schema.json``.

Structured files suit systems that export assessments; each organisation is one mapping with
its scores, feiten and handmatige oordelen. After schema validation the same table rules apply
as for CSV, reported by line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kaderwerk.api import (
    DEFAULT_OPTIES,
    MAX_ORGANISATIES,
    MAX_PROBLEMEN,
    ORGANISATIE,
    Beoordeling,
    Document,
    InvoerError,
    Kader,
    KaderError,
    Opties,
    Problem,
    Tabel,
    hookimpl,
    read_document,
    te_veel,
    validate_document,
)


def read_structured(path: Path, kader: Kader, opties: Opties = DEFAULT_OPTIES) -> list[Beoordeling]:
    file = str(path)
    try:
        doc = read_document(path, file)
    except KaderError as exc:
        raise InvoerError("", problems=exc.problems) from None
    orgs = doc.data.get("organisaties") if isinstance(doc.data, dict) else None
    grens = MAX_ORGANISATIES
    if isinstance(orgs, list) and len(orgs) > grens:  # before the schema's work
        raise te_veel(file, doc.where(("organisaties", grens))[0] or 1, "line")
    problems = validate_document("beoordeling", doc)
    if problems:
        raise InvoerError("", problems=problems)
    tabel = Tabel(kader, file, opties, rij="line")
    kolommen: dict[str, None] = {ORGANISATIE: None}  # the header, in order of appearance
    records = []
    for i, org in enumerate(doc.data["organisaties"]):
        problems.extend(_secties(tabel, doc, i, org))
        if len(problems) > MAX_PROBLEMEN:
            break
        cols = _kolommen(org)
        if "kader" in doc.data:
            cols["kader"] = doc.data["kader"]
        kolommen.update(dict.fromkeys(cols))
        records.append((doc.where(("organisaties", i))[0] or 0, org["naam"], cols))
    if problems:
        raise InvoerError("", problems=problems)
    header = list(kolommen)
    body = [(line, [naam, *map(cols.get, header[1:])]) for line, naam, cols in records]
    # The schema admits no booleans among scores, and the parsers keep fractions as text, so
    # the spelling table cannot mistake True or 1.0 for 1.
    return tabel.lees(header, body, snel=True, kop_rij=None)


def _secties(tabel: Tabel, doc: Document, i: int, org: dict[str, Any]) -> list[Problem]:
    """A key means what its section says: a feit named ``oordeel`` or ``datum`` is no oordeel
    or datum column, a score under ``scores`` no feit. Each problem at the key's line."""
    problems = []
    pad = ("organisaties", i)
    for vid in org.get("scores", {}):
        if tabel.soort(str(vid)) not in (("score", str(vid)), ("negeer", str(vid))):
            problems.append(doc.problem(
                f"unknown verwachting '{vid}' under scores (verwachtingen: "
                f"{next(iter(tabel.verwachtingen), '')} ...)", (*pad, "scores", vid), key=True))
    for feit in org.get("feiten", {}):
        if tabel.soort(feit) not in (("feit", feit.lower()), ("negeer", feit.strip())):
            problems.append(doc.problem(
                f"unknown feit '{feit}' (declared: {', '.join(tabel.feiten) or 'none'})",
                (*pad, "feiten", feit), key=True))
    for doel in org.get("oordelen", {}):
        fout = tabel.oordeel_fout(str(doel))
        if fout:
            problems.append(doc.problem(f"oordeel for '{doel}': {fout}",
                                        (*pad, "oordelen", doel), key=True))
    return problems


def _kolommen(org: dict[str, Any]) -> dict[str, Any]:
    """One organisation as the columns of a table row, as a CSV file would have them."""
    scores = org.get("scores", {})
    cols: dict[str, Any] = (dict(scores) if set(map(type, scores)) <= {str}
                            else {str(vid): score for vid, score in scores.items()})
    if len(org) == 1 + ("scores" in org):
        return cols
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
    return cols


@hookimpl
def register_readers(register: Callable[..., Any]) -> None:
    for suffix in (".yaml", ".yml", ".json"):
        register(suffix, read_structured, "YAML/JSON beoordelingen")
