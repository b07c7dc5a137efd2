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
from collections.abc import Callable, Mapping
from typing import Any

from kaderwerk.hookspecs import hookimpl

ORGANISATIE = "organisatie"

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
        self._tekst: dict[tuple[str, int], str] = {}
        self._houd: list[Mapping[str, Any]] = []  # keeps each id() unique while writing

    def ref(self, doel: str, spoor: Mapping[str, Any] | None) -> str:
        """``{"oordeel": ..., "beslissing": N}`` as JSON text; ``null`` without a trace."""
        if spoor is None:
            return "null"
        key = (doel, id(spoor))
        tekst = self._tekst.get(key)
        if tekst is None:
            self._houd.append(spoor)
            tekst = self._tekst[key] = _compact({"oordeel": spoor.get("oordeel"),
                                                 "beslissing": len(self.lijst)})
            self.lijst.append({"doel": doel, **spoor})
        return tekst

    def organisatie(self, o: Mapping[str, Any]) -> str:
        """One organisation on one line, as ``json.dumps`` would write it with references."""
        delen = []
        for k, v in o.items():
            if k == "criteria":
                ref = self.ref
                waarde = "{" + ", ".join(f"{_tekst(cid)}: {ref(cid, spoor)}"
                                         for cid, spoor in v.items()) + "}"
            elif k == "oordeel":
                waarde = self.ref(ORGANISATIE, v)
            else:
                waarde = _waarde(v)
            delen.append(f"{_tekst(k)}: {waarde}")
        return "{" + ", ".join(delen) + "}"


def write_json(uitkomst: dict[str, Any]) -> bytes:
    def dump(value: Any, indent: int | None = None) -> str:
        return json.dumps(value, ensure_ascii=False, indent=indent)

    tabel = _Beslissingen()
    parts = []
    for key, value in uitkomst.items():
        if key == "organisaties":
            rows = ",\n    ".join(map(tabel.organisatie, value))
            parts.append(f'  "organisaties": [\n    {rows}\n  ]' if value else
                         '  "organisaties": []')
            regels = ",\n    ".join(map(_compact, tabel.lijst))
            parts.append(f'  "beslissingen": [\n    {regels}\n  ]' if tabel.lijst else
                         '  "beslissingen": []')
        else:
            parts.append(f"  {dump(key)}: {dump(value, 2).replace(chr(10), chr(10) + '  ')}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


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


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("json", write_json, ".json")
