"""Reading beoordelingen from Excel workbooks (.xlsx): the first sheet, same shape as CSV.

Only values are read: a cell holding a formula is refused with its address, because a
formula's cached result may be stale or absent and kaderwerk never guesses a score.

A workbook is a zip of XML parts, so a small file can unpack to gigabytes, and its sheet can
claim a million rows of sixteen thousand columns. The archive's unpacked size and the cells
read are bounded before openpyxl spends time or memory on them, and whatever openpyxl or the
XML parser raises on a damaged part becomes a located ``InvoerError``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kaderwerk.beoordeling import DEFAULT_OPTIES, Beoordeling, Opties, Tabel
from kaderwerk.bestand import controleer_bestand
from kaderwerk.errors import InvoerError
from kaderwerk.hookspecs import hookimpl
from kaderwerk.model import Kader
from kaderwerk.tekst import weiger_cel

# zipfile never unpacks more than an entry declares, so the declared sizes bound the work.
# Worksheets are streamed; every other part (shared strings, styles, ...) is parsed whole, at
# ~0.5 s and ~10 MB per MB of tiny elements, so those parts get a lower limit.
MAX_UNPACKED = 64 * 1024 * 1024
MAX_PART = 8 * 1024 * 1024
MAX_CELLS = 4_000_000  # cells read, empty ones included: 100,000 organisations x 40 columns
MAX_ROWS = 1_048_576  # Excel's limit


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def read_xlsx(path: Path, kader: Kader, opties: Opties = DEFAULT_OPTIES) -> list[Beoordeling]:
    import openpyxl

    file = str(path)
    _check_archive(path, file)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # any damaged part: zipfile, XML, openpyxl errors alike
        raise InvoerError.at(f"not a readable .xlsx workbook ({_reason(exc)})", file) from None
    rij = [0]
    try:
        if not wb.worksheets:
            raise InvoerError.at("the workbook has no worksheet", file)
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the stored used range may be wrong, or hostile
        table = list(_rows(ws, file, rij))
    except InvoerError:
        raise
    except Exception as exc:
        raise InvoerError.at(f"cannot read the first sheet after row {rij[0]} "
                             f"({_reason(exc)})", file, rij[0] + 1) from None
    finally:
        wb.close()
    if not table:
        raise InvoerError.at("the first sheet is empty; expected a header row", file, 1)
    (_, header), body = table[0], table[1:]
    return Tabel(kader, f"{file}[{ws.title}]", opties).lees(header, body, _letter)


def _check_archive(path: Path, file: str) -> None:
    """Refuse a file that is no zip, or unpacks to more than the limits (a zip bomb)."""
    controleer_bestand(path, file, MAX_UNPACKED, "a workbook", InvoerError)
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InvoerError.at(f"not a readable .xlsx workbook ({_reason(exc)})", file) from None
    for info in parts:
        if info.file_size > MAX_PART and not info.filename.startswith("xl/worksheets/"):
            raise InvoerError.at(f"the workbook part {info.filename} unpacks to "
                                 f"{info.file_size} bytes, more than the limit of "
                                 f"{MAX_PART // 2**20} MB (a zip bomb?)", file)
    unpacked = sum(info.file_size for info in parts)
    if unpacked > MAX_UNPACKED:
        raise InvoerError.at(f"the workbook unpacks to {unpacked} bytes, more than the limit of "
                             f"{MAX_UNPACKED // 2**20} MB (a zip bomb?)", file)


def _reason(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text if len(text) <= 200 else text[:197] + '...'}"


def _rows(ws: Any, file: str, rij: list[int]) -> Iterator[tuple[int, list[Any]]]:
    cellen = 0
    for r, row in enumerate(ws.iter_rows(), start=1):
        rij[0] = r
        if r > MAX_ROWS:
            raise InvoerError.at(f"the sheet has more than {MAX_ROWS} rows", file, r)
        if not row and r > 1:
            continue  # a gap in the sheet; the header row is kept even when empty
        cellen += len(row)
        if cellen > MAX_CELLS:
            raise InvoerError.at(f"the sheet has more than {MAX_CELLS} cells up to row {r}; "
                                 "delete unused rows and columns", file, r)
        cells = []
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.startswith("=") and len(value) > 1
                    and getattr(cell, "data_type", None) != "s"):
                raise InvoerError.at(
                    f"cell {_letter(c)}{r} holds a formula ({value}); kaderwerk reads values "
                    "only: paste the values", file, r)
            weiger_cel(value, file, c, r, InvoerError)
            cells.append(value)
        yield r, cells


@hookimpl
def register_readers(register: Callable[..., Any]) -> None:
    register(".xlsx", read_xlsx, "Excel workbook")
