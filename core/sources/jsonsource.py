"""JSON documents read at C speed, with the positions and limits kaderwerk's messages need.

A system that exports assessments writes JSON, and a national export can hold tens of
thousands of organisations. Composed as YAML (in Python, with a position for every value) such
a file costs about 1 s per 100,000 values, which is why ``yamlsource`` limits files to 2 MB.
Here the ``json`` module's C scanner reads the values; Python only walks the top levels of the
document to note where each of their values starts, so a message can still name the line of
the organisation it is about (deeper values are located at that line).

What JSON itself allows but a kaderwerk file must not contain is refused with a located
error, as ``yamlsource`` does for YAML: a duplicate key (the json module keeps the last one
silently), ``NaN`` and ``Infinity``, nesting deeper than ``MAX_DEPTH`` levels, numbers Python
will not convert, and files over ``MAX_BYTES``.
"""

from __future__ import annotations

import json
import re
from itertools import compress
from pathlib import Path
from typing import Any

from kaderwerk.domain.errors import KaderError
from kaderwerk.domain.tekst import weiger_json
from kaderwerk.sources.yamlsource import MAX_DEPTH, Document, JsonPath, read_text

MAX_BYTES = 64 * 1024 * 1024  # as for a CSV file: about 150,000 organisations, indented

# Levels walked in Python, recording positions: the document, its members (``organisaties``)
# and theirs (one organisation). Deeper values are read whole by the C scanner.
NIVEAUS = 2
# Values on those levels cost Python work each (~5 µs): bounded, so that 64 MB of ``[0,0,...``
# takes seconds, not minutes. A 64 MB export holds at most ~250,000 organisations.
MAX_GELOPEN = 500_000

_SPATIE = re.compile(r"[ \t\n\r]*")
_CONTAINERS = frozenset((dict, list))


class _Dubbel(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _Constante(Exception):
    def __init__(self, naam: str) -> None:
        self.naam = naam


def _paren(paren: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(paren)
    if len(d) != len(paren):
        seen: set[str] = set()
        for key, _ in paren:
            if key in seen:
                raise _Dubbel(key)
            seen.add(key)
    return d


def _constante(naam: str) -> Any:
    raise _Constante(naam)


_DECODER = json.JSONDecoder(object_pairs_hook=_paren, parse_constant=_constante)
_SCAN = _DECODER.scan_once
# for score files: a fraction as the text written (``1.0``, ``1e0``), as a CSV cell holds it
_SCAN_LETTERLIJK = json.JSONDecoder(object_pairs_hook=_paren, parse_constant=_constante,
                                    parse_float=str).scan_once
_STRING = json.decoder.scanstring


def read_json(path: Path, display: str) -> str:
    """The file as text (UTF-8, a BOM allowed, no NUL bytes), at most ``MAX_BYTES``."""
    return read_text(path, display, limit=MAX_BYTES, what="a JSON file")


def parse(text: str, file: str, *, letterlijk: bool = False) -> Document:
    """Parse one JSON document; positions for the values of its top ``NIVEAUS`` levels.

    ``letterlijk`` keeps a fraction as the text written, as ``yamlsource.parse`` does.
    """
    text = text.removeprefix("\ufeff")
    lezer = _Lezer(text, file)
    if letterlijk:
        lezer.scan_once = _SCAN_LETTERLIJK
    start = lezer.spatie(0)
    if start == len(text):
        raise KaderError.at("the file is empty", file, 1, 1)
    data, eind = lezer.waarde(start, (), 0)
    eind = lezer.spatie(eind)
    if eind != len(text):
        raise lezer.fout("JSON syntax error: more data after the document ends; a JSON file "
                         "holds one value", eind)
    weiger_json(text, file)
    return Document(data, file, lezer.values, lezer.keys, text)


class _Lezer:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self._i = 0  # where the last position was taken: positions come in text order
        self._regel = 1
        self._begin = 0  # where that line begins
        self.scan_once = _SCAN

    def spatie(self, i: int) -> int:
        return _SPATIE.match(self.text, i).end()  # type: ignore[union-attr]

    def plek(self, i: int) -> tuple[int, int]:
        if i < self._i:
            self._i, self._regel, self._begin = 0, 1, 0
        nieuw = self.text.count("\n", self._i, i)
        if nieuw:
            self._regel += nieuw
            self._begin = self.text.rfind("\n", self._i, i) + 1
        self._i = i
        return self._regel, i - self._begin + 1

    def fout(self, message: str, i: int) -> KaderError:
        return KaderError.at(message, self.file, *self.plek(i))

    def waarde(self, i: int, pad: JsonPath, diepte: int) -> tuple[Any, int]:
        if len(self.values) >= MAX_GELOPEN:
            raise self.fout(f"the document has more than {MAX_GELOPEN} values at its top "
                            f"{NIVEAUS + 1} levels, the limit", i)
        self.values[pad] = self.plek(i)
        teken = self.text[i:i + 1]
        if diepte < NIVEAUS and teken == "{":
            return self.object(i, pad, diepte)
        if diepte < NIVEAUS and teken == "[":
            return self.array(i, pad, diepte)
        return self.scan(i, diepte)

    def object(self, i: int, pad: JsonPath, diepte: int) -> tuple[dict[str, Any], int]:
        text, result = self.text, {}
        i = self.spatie(i + 1)
        if text[i:i + 1] == "}":
            return result, i + 1
        while True:
            if text[i:i + 1] != '"':
                raise self.syntax("Expecting property name enclosed in double quotes", i)
            try:
                key, na = _STRING(text, i + 1, True)
            except json.JSONDecodeError as exc:
                raise self.syntax(exc.msg, exc.pos) from None
            if key in result:
                raise self.fout(f"duplicate key '{key}' (first at line "
                                f"{self.keys[(*pad, key)][0]}); each key may appear once", i)
            self.keys[(*pad, key)] = self.plek(i)
            i = self.spatie(na)
            if text[i:i + 1] != ":":
                raise self.syntax("Expecting ':' delimiter", i)
            result[key], i = self.waarde(self.spatie(i + 1), (*pad, key), diepte + 1)
            klaar, i = self.volgende(i, "}")
            if klaar:
                return result, i

    def array(self, i: int, pad: JsonPath, diepte: int) -> tuple[list[Any], int]:
        text, result = self.text, []
        i = self.spatie(i + 1)
        if text[i:i + 1] == "]":
            return result, i + 1
        while True:
            waarde, i = self.waarde(i, (*pad, len(result)), diepte + 1)
            result.append(waarde)
            klaar, i = self.volgende(i, "]")
            if klaar:
                return result, i

    def volgende(self, i: int, sluit: str) -> tuple[bool, int]:
        """After a value in a container: (True, past ``sluit``) at its end, else (False, where
        the next member starts)."""
        i = self.spatie(i)
        teken = self.text[i:i + 1]
        if teken == sluit:
            return True, i + 1
        if teken != ",":
            raise self.syntax("Expecting ',' delimiter", i)
        return False, self.spatie(i + 1)

    def scan(self, i: int, diepte: int) -> tuple[Any, int]:
        try:
            waarde, eind = self.scan_once(self.text, i)
        except StopIteration:
            raise self.syntax("Expecting value", i) from None
        except json.JSONDecodeError as exc:
            raise self.syntax(exc.msg, exc.pos) from None
        except _Dubbel as exc:
            raise self.fout(f"duplicate key '{exc.key}'; each key may appear once",
                            self.dubbel(exc.key, i)) from None
        except _Constante as exc:
            plek = self.text.find(exc.naam, i)
            raise self.fout(f"{exc.naam} is not a JSON value; write a number, or null for "
                            "no value", plek if plek >= 0 else i) from None
        except RecursionError:
            raise self.fout(f"the document is nested deeper than {MAX_DEPTH} levels",
                            i) from None
        except ValueError as exc:  # e.g. an integer of more than 4300 digits
            raise self.fout(f"cannot read a number: {exc}", i) from None
        # a value with fewer brackets than levels left cannot be too deep: no need to walk it
        if (type(waarde) in _CONTAINERS
                and self.text.count("{", i, eind) + self.text.count("[", i, eind)
                > MAX_DEPTH - diepte and _te_diep(waarde, diepte)):
            raise self.fout(f"the document is nested deeper than {MAX_DEPTH} levels", i)
        return waarde, eind

    def syntax(self, message: str, i: int) -> KaderError:
        return self.fout(f"JSON syntax error: {message}", i)

    def dubbel(self, key: str, i: int) -> int:
        """Where the second ``key`` of a value starting at ``i`` probably is (else ``i``)."""
        patroon = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:")
        treffers = patroon.finditer(self.text, i)
        next(treffers, None)
        tweede = next(treffers, None)
        return tweede.start() if tweede else i


def _te_diep(waarde: Any, diepte: int) -> bool:
    """True when a value at ``diepte`` holds values deeper than ``MAX_DEPTH``."""
    kinderen = list(waarde.values()) if type(waarde) is dict else waarde
    if not kinderen:
        return False
    if diepte >= MAX_DEPTH:
        return True
    genest = compress(kinderen, map(_CONTAINERS.__contains__, map(type, kinderen)))
    return any(_te_diep(k, diepte + 1) for k in genest)
