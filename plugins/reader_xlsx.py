"""Reading beoordelingen from Excel workbooks (.xlsx): the first sheet, same shape as CSV.

Only values are read: a cell holding a formula is refused with its address, because a
formula's cached result may be stale or absent and kaderwerk never guesses a score.

A workbook is a zip of XML parts, so a small file can unpack to gigabytes, and its sheet can
claim a million rows of sixteen thousand columns. The archive's unpacked size and the cells
read are bounded before openpyxl spends time or memory on them, and whatever openpyxl or the
XML parser raises on a damaged part becomes a located ``InvoerError``.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaderwerk.api import (
    DEFAULT_OPTIES,
    InvoerError,
    Tabel,
    afgekort,
    check_file,
    first_row,
    hookimpl,
    weiger_cel,
)

if TYPE_CHECKING:
    from kaderwerk.api import Beoordeling, Kader, Opties

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
        ws = wb.worksheets[0]  # the first worksheet: chartsheets hold no cells
        sheet = f"{file}[{ws.title}]"
        if getattr(ws, "sheet_state", "visible") != "visible":
            raise InvoerError.at(f"the first sheet, '{ws.title}', is hidden; kaderwerk reads the "
                                 "first sheet, so unhide it, or move the sheet with the scores "
                                 "to the front", sheet)
        table = iter(list(_rows(ws, sheet, rij)))
    except InvoerError:
        raise
    except Exception as exc:
        raise InvoerError.at(f"cannot read the first sheet after row {rij[0]} "
                             f"({_reason(exc)})", file, rij[0] + 1) from None
    finally:
        wb.close()
    kop = first_row(table)
    if kop is None:
        raise InvoerError.at("the first sheet is empty; expected a header row", sheet, 1)
    return Tabel(kader, sheet, opties).lees(kop[1], _namen(table, sheet), _letter,
                                            kop_rij=kop[0])


def _namen(rows: Iterator[tuple[int, list[Any]]], sheet: str,
           ) -> Iterator[tuple[int, list[Any]]]:
    """The rows, refusing an organisation name that is a date, a fraction or true/false: it
    would become text such as '2015-01-01 00:00:00'. A whole number reads as CSV text would."""
    for r, cells in rows:
        naam = cells[0] if cells else None
        if (naam is not None and not isinstance(naam, (str, int))) or isinstance(naam, bool):
            soort = ("a date" if isinstance(naam, (datetime.date, datetime.time))
                     else "true/false" if isinstance(naam, bool) else "a number")
            raise InvoerError.at(f"cell A{r}: the organisation name is {soort} ({naam}), not "
                                 "text; format the cell as text and type the name", sheet, r)
        yield r, cells


def _check_archive(path: Path, file: str) -> None:
    """Refuse a file that is no zip, or unpacks to more than the limits (a zip bomb)."""
    check_file(path, file, MAX_UNPACKED, "a workbook", InvoerError)
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
    return f"{type(exc).__name__}: {afgekort(text, 200)}"


def _rows(ws: Any, sheet: str, rij: list[int]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) per row of the sheet XML, refusing rows or cells that are out of
    order, duplicated or numbered oddly: openpyxl would silently drop or overwrite them."""
    from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser

    class _Cellen(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's sheet parser (as its read-only sheet drives it), keeping a number
        written other than as Python writes it (``01``, ``+1``) as its text, so that it reads
        as that text in a CSV file would."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["data_type"] == "n" and type(cell["value"]) in (int, float):
                text = element.findtext(VALUE_TAG)
                if text != str(cell["value"]):
                    cell["value"] = text
            return cell

    cellen = 0
    vorige = 0
    with ws._get_source() as src:
        parser = _Cellen(src, ws._shared_strings, data_only=False, epoch=ws.parent.epoch,
                         date_formats=ws.parent._date_formats,
                         timedelta_formats=ws.parent._timedelta_formats)
        for r, row in parser.parse():
            rij[0] = r
            if r <= vorige:
                raise InvoerError.at(
                    f"row {r} comes after row {vorige}: the sheet's rows are out of order, "
                    "duplicated or numbered below 1 (a damaged or hand-made workbook); save "
                    "it again from Excel", sheet, max(r, vorige))
            if r > MAX_ROWS:
                raise InvoerError.at(f"the sheet has more than {MAX_ROWS} rows", sheet, r)
            vorige = r
            if not row:
                continue
            breedte = max(cell["column"] for cell in row)
            cellen += breedte
            if cellen > MAX_CELLS:
                raise InvoerError.at(f"the sheet has more than {MAX_CELLS} cells up to row {r}; "
                                     "delete unused rows and columns", sheet, r)
            cells: list[Any] = [None] * breedte
            kolom = 0
            for cell in row:
                adres = f"{_letter(cell['column'] - 1)}{cell['row']}"
                if cell["row"] != r or cell["column"] <= kolom:
                    raise InvoerError.at(
                        f"cell {adres} is out of place in row {r} (after column "
                        f"{_letter(kolom - 1) if kolom else 'none'}): the cells are out of "
                        "order, duplicated or in another row (a damaged or hand-made "
                        "workbook); save it again from Excel", sheet, r)
                kolom = cell["column"]
                value = cell["value"]
                if cell["data_type"] == "f" or (
                        isinstance(value, str) and value.startswith("=") and len(value) > 1
                        and cell["data_type"] != "s"):
                    raise InvoerError.at(
                        f"cell {adres} holds a formula ({value}); kaderwerk reads values "
                        "only: paste the values", sheet, r)
                weiger_cel(value, sheet, kolom - 1, r, InvoerError)
                cells[kolom - 1] = value
            yield r, cells


@hookimpl
def register_readers(register: Callable[..., Any]) -> None:
    register(".xlsx", read_xlsx, "Excel workbook")
