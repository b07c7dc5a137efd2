"""Reading beoordelingen from CSV, as inspectorates and spreadsheets write it.

Comma or semicolon (sniffed from the header), UTF-8 with or without BOM, columns in any
order. What the columns mean is decided by ``kaderwerk.beoordeling.Tabel``, shared with the
Excel reader.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kaderwerk.beoordeling import DEFAULT_OPTIES, Beoordeling, Opties, Tabel
from kaderwerk.errors import InvoerError
from kaderwerk.hookspecs import hookimpl
from kaderwerk.model import Kader

MAX_BYTES = 512 * 1024 * 1024


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text (BOM allowed) or a located error saying how to fix the encoding."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvoerError.at(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 "
            "(in Excel: 'CSV UTF-8')", file, line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvoerError.at("the file contains a NUL byte; is it really a CSV file?", file, line)
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
    """(line number, cells) for every record; csv errors become located InvoerErrors."""
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise InvoerError.at(f"cannot read CSV: {exc}", file, reader.line_num) from None


def read_csv(path: Path, kader: Kader, opties: Opties = DEFAULT_OPTIES) -> list[Beoordeling]:
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvoerError.at(f"file is {size} bytes; the limit is {MAX_BYTES}", file)
        raw = path.read_bytes()
    except OSError as exc:
        raise InvoerError.at(f"cannot read file: {exc.strerror or exc}", file) from None
    text = decode(raw, file)
    it = rows(text, file)
    try:
        _, header = next(it)
    except StopIteration:
        raise InvoerError.at("the file is empty; expected a header row", file, 1) from None
    return Tabel(kader, file, opties).lees(header, it)


@hookimpl
def register_readers(register: Callable[..., Any]) -> None:
    register(".csv", read_csv, "CSV (comma or semicolon)")
    register(".txt", read_csv, "CSV (comma or semicolon)")
