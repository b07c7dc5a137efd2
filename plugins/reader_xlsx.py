"""Reading beoordelingen from Excel workbooks (.xlsx): the first sheet, same shape as CSV.

Only values are read: a cell holding a formula is refused with its address, because a
formula's cached result may be stale or absent and kaderwerk never guesses a score.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kaderwerk.beoordeling import DEFAULT_OPTIES, Beoordeling, Opties, Tabel
from kaderwerk.errors import InvoerError
from kaderwerk.hookspecs import hookimpl
from kaderwerk.model import Kader


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def read_xlsx(path: Path, kader: Kader, opties: Opties = DEFAULT_OPTIES) -> list[Beoordeling]:
    import openpyxl

    file = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InvoerError.at(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                             file) from None
    try:
        ws = wb.worksheets[0]
        table = list(_rows(ws, file))
    finally:
        wb.close()
    if not table:
        raise InvoerError.at("the first sheet is empty; expected a header row", file, 1)
    (_, header), body = table[0], table[1:]
    return Tabel(kader, f"{file}[{ws.title}]", opties).lees(header, body, _letter)


def _rows(ws: Any, file: str) -> Iterator[tuple[int, list[Any]]]:
    for r, row in enumerate(ws.iter_rows(), start=1):
        cells = []
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.startswith("=") and len(value) > 1
                    and getattr(cell, "data_type", None) != "s"):
                raise InvoerError.at(
                    f"cell {_letter(c)}{r} holds a formula ({value}); kaderwerk reads values "
                    "only: paste the values", file, r)
            cells.append(value)
        yield r, cells


@hookimpl
def register_readers(register: Callable[..., Any]) -> None:
    register(".xlsx", read_xlsx, "Excel workbook")
