"""The ``json`` output format: the uitkomst as ``schemas/uitkomst.schema.json`` says.

Each organisation names its oordeel per criterium and refers to the trace behind it (counts,
the clause that fired, plafond, afstand, bandbreedte) by its place in ``beslissingen``, where
every distinct trace is written once. A hundred thousand organisations share a few dozen count
traces, so the file stays about 300 bytes per organisation instead of 3 KB.

Keys keep their natural order (kader, organisaties, beslissingen, landelijk beeld, afwijkingen)
and the text ends with a newline, so identical input gives byte-identical output. Each
organisation and each beslissing is written compactly on a line of its own: readable in a diff,
and encoded by the C encoder, an order of magnitude faster than indenting them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kaderwerk.api import (
    ORGANISATIE,
    hookimpl,
    json_veilig,
)

_compact = json.JSONEncoder(ensure_ascii=False).encode
_tekst = json.encoder.encode_basestring  # the C function where available, as json.dumps uses


def _waarde(v: Any) -> str:
    """``_compact(v)``, without building an encoder for the values most fields hold."""
    t = type(v)
    if t is str:
        return _tekst(v)
    if t is int:
        return int.__repr__(v)
    if v is None:
        return "null"
    if not v and (t is dict or t is list):
        return "{}" if t is dict else "[]"
    return _compact(v)


class _Beslissingen:
    """The distinct traces in order of first use, and the JSON text of a reference to each."""

    def __init__(self) -> None:
        self.lijst: list[dict[str, Any]] = []
        # (doel, id(trace)) -> '"doel": {"oordeel": ..., "beslissing": N}'
        self._paar: dict[tuple[str, int], str] = {}
        self._houd: list[Mapping[str, Any]] = []  # keeps each id() unique while writing

    def paar(self, doel: str, spoor: Mapping[str, Any] | None) -> str:
        """``"doel": {"oordeel": ..., "beslissing": N}`` (or ``"doel": null``) as JSON text."""
        key = (doel, id(spoor))
        tekst = self._paar.get(key)
        if tekst is None:
            if spoor is None:
                ref = "null"
            else:
                self._houd.append(spoor)
                ref = _compact({"oordeel": spoor.get("oordeel"), "beslissing": len(self.lijst)})
                self.lijst.append({"doel": doel, **spoor})
            tekst = self._paar[key] = f"{_tekst(doel)}: {ref}"
        return tekst

    def criteria(self, criteria: Mapping[str, Any]) -> str:
        try:
            sleutels = zip(criteria, map(id, criteria.values()), strict=True)
            paren = list(map(self._paar.__getitem__, sleutels))
        except KeyError:
            paren = [self.paar(doel, spoor) for doel, spoor in criteria.items()]
        return "{" + ", ".join(paren) + "}"

    def organisatie(self, o: Mapping[str, Any]) -> str:
        """One organisation on one line, as ``json.dumps`` would write it with references."""
        if tuple(o) == _ORGANISATIE_VELDEN:
            return _ORGANISATIE_REGEL % (
                _waarde(o["naam"]), _waarde(o["aantal_voldoende"]), self.criteria(o["criteria"]),
                self.paar(ORGANISATIE, o["oordeel"]).partition(": ")[2], _waarde(o["feiten"]),
                _waarde(o["herkomst"]), _waarde(o["opmerkingen"]))
        delen = []
        for k, v in o.items():
            if k == "criteria":
                waarde = self.criteria(v)
            elif k == "oordeel":
                waarde = self.paar(ORGANISATIE, v).partition(": ")[2]
            else:
                waarde = _waarde(v)
            delen.append(f"{_tekst(k)}: {waarde}")
        return "{" + ", ".join(delen) + "}"


# The fields the engine writes, in its order: such a line is one %-format, not a loop.
_ORGANISATIE_VELDEN = ("naam", "aantal_voldoende", "criteria", "oordeel", "feiten", "herkomst",
                       "opmerkingen")
_ORGANISATIE_REGEL = "{" + ", ".join(f'"{k}": %s' for k in _ORGANISATIE_VELDEN) + "}"


def write_json(uitkomst: dict[str, Any]) -> bytes:
    def dump(value: Any, indent: int | None = None) -> str:
        return json.dumps(value, ensure_ascii=False, indent=indent)

    # One list of pieces joined once: joining the organisations first and then the document
    # held five copies of the text at once (600 MB more than the uitkomst at 200,000).
    stukken = ["{\n"]

    def lijst(naam: str, regels: Iterable[str]) -> None:
        stukken.append(f'  "{naam}": [')
        leeg = True
        for regel in regels:
            stukken.append("\n    " if leeg else ",\n    ")
            stukken.append(regel)
            leeg = False
        stukken.append("]" if leeg else "\n  ]")

    tabel = _Beslissingen()
    for key, value in uitkomst.items():
        if len(stukken) > 1:
            stukken.append(",\n")
        if key == "organisaties":
            lijst("organisaties", map(tabel.organisatie, value))
            stukken.append(",\n")
            lijst("beslissingen", map(_compact, tabel.lijst))
        else:
            stukken.append(f"  {dump(key)}: {dump(value, 2).replace(chr(10), chr(10) + '  ')}")
    stukken.append("\n}\n")
    tekst = "".join(stukken)
    stukken.clear()
    return json_veilig(tekst).encode("utf-8")


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("json", write_json, ".json")
