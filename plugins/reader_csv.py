"""Reading beoordelingen from CSV, as inspectorates and spreadsheets write it.

Comma or semicolon (sniffed from the header, or declared by Excel's ``sep=;`` first line),
UTF-8 with or without BOM, columns in any order; the header is the first line that is not
blank. What the columns mean is decided by ``kaderwerk.domain.beoordeling.Tabel``, shared with the
Excel reader.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kaderwerk.api import (
    DEFAULT_OPTIES,
    Beoordeling,
    InvoerError,
    Kader,
    Opties,
    Tabel,
    decode_utf8,
    first_row,
    hookimpl,
    read_bytes,
    weiger_tekst,
)

# Far above the 100,000 organisations of docs/performance.md (about 7 MB), low enough that a
# hostile file costs bounded time and memory: text is held twice (bytes and str) while decoding.
MAX_BYTES = 64 * 1024 * 1024
MAX_LINES = 1_048_576  # Excel's row limit
MAX_LINE = 1024 * 1024  # characters in one physical line; a real row has a few hundred
# Excel's declaration of the delimiter, as its first line: 'sep=;'
_SEP = re.compile(r"sep=([^\r\n\"])[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE)
_EERSTE = re.compile(r"^[^\r\n]*\S[^\r\n]*", re.MULTILINE)


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text (BOM allowed) or a located error saying how to fix the encoding."""
    text = decode_utf8(raw, file, InvoerError, save_as="UTF-8 (in Excel: 'CSV UTF-8')",
                       what="really a CSV file", column=False)
    weiger_tekst(text, file, InvoerError)
    return text


def delimiter(header_line: str) -> str:
    """';' or ',' (or tab), whichever separates the header, ignoring quoted text."""
    counts = {d: 0 for d in ";,\t"}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) for every record; csv errors become located InvoerErrors.

    The delimiter is the one Excel's ``sep=`` line declares (that line is not a record), else
    the one that separates the first line that is not blank.
    """
    if max(text.count("\n"), text.count("\r")) > MAX_LINES:
        raise InvoerError.at(f"the file has more than {MAX_LINES} lines, the limit", file)
    sep = _SEP.match(text)
    first = _EERSTE.search(text)
    teken = sep.group(1) if sep else delimiter(first.group() if first else "")
    kort = len(text) <= MAX_LINE or max(map(len, text.split("\n"))) <= MAX_LINE
    lines = io.StringIO(text, newline="") if kort else _bounded_lines(text, file)
    if sep:
        next(lines)
    reader = csv.reader(lines, delimiter=teken)
    start = 2 if sep else 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1 + bool(sep)
    except csv.Error as exc:
        where = f" (in the record starting at line {start})" if reader.line_num > start else ""
        raise InvoerError.at(f"cannot read CSV: {exc}{where}", file,
                             reader.line_num + bool(sep)) from None


def _bounded_lines(text: str, file: str) -> Iterator[str]:
    """The physical lines, refusing one so long that its cells would exhaust memory."""
    for n, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE:
            raise InvoerError.at(f"line {n} is longer than {MAX_LINE} characters; is this "
                                 "really a CSV file?", file, n)
        yield line


def read_csv(path: Path, kader: Kader, opties: Opties = DEFAULT_OPTIES) -> list[Beoordeling]:
    file = str(path)
    raw = read_bytes(path, file, MAX_BYTES, "a CSV file", InvoerError)
    text = decode(raw, file)
    it = rows(text, file)
    kop = first_row(it)
    if kop is None:
        raise InvoerError.at("the file is empty or blank; expected a header row", file, 1)
    return Tabel(kader, file, opties).lees(kop[1], it, snel=True, kop_rij=kop[0])


@hookimpl
def register_readers(register: Callable[..., Any]) -> None:
    register(".csv", read_csv, "CSV (comma or semicolon)")
    register(".txt", read_csv, "CSV (comma or semicolon)")
