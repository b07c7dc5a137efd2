"""The ``xlsx`` output format: a workbook for people who continue in Excel or LibreOffice.

Four sheets: the landelijk beeld per criterium, the organisations in rangorde order with each
oordeel coloured, the scores per verwachting, and the afwijkingen from published figures.
Text that would run as a formula gets a leading apostrophe, as in ``csv``.

openpyxl stamps the current time into the document properties and the zip entries; both are
fixed here so identical input gives a byte-identical file.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kaderwerk.hookspecs import hookimpl
from kaderwerk.plugins.format_csv import criterium_ids, in_rangorde, neutraliseer, oordeel_van
from kaderwerk.plugins.format_markdown import criterium_titels, kolom_label, oordeel_kolommen

VULKLEUREN = {"voldoende": "C8E6C9", "matig": "FFE0B2", "onvoldoende": "FFCDD2"}
GRIJS = "EEEEEE"
VAST_TIJDSTIP = datetime.datetime(2000, 1, 1)
ZIP_TIJDSTIP = (2000, 1, 1, 0, 0, 0)
MAX_BREEDTE = 60

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def _blad(wb: Workbook, titel: str, kop: Sequence[str], rijen: Iterable[Sequence[Any]],
          bevries: str = "A2") -> Worksheet:
    """A sheet with a bold, frozen header row, filters, and widths that fit the content."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(titel)
    ws.append([neutraliseer(k) for k in kop])
    for rij in rijen:
        ws.append([neutraliseer(v) for v in rij])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = bevries
    ws.auto_filter.ref = ws.dimensions
    for i, kolom in enumerate(ws.iter_cols(), start=1):
        langste = max(len(str(c.value)) if c.value is not None else 0 for c in kolom)
        ws.column_dimensions[get_column_letter(i)].width = min(langste + 3, MAX_BREEDTE)
        if langste > MAX_BREEDTE:
            for c in kolom[1:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    return ws


def _landelijk(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    beeld = uitkomst["landelijk_beeld"]
    titels = criterium_titels(uitkomst)
    org = beeld.get("organisatie")
    kolommen = oordeel_kolommen(uitkomst, [*beeld["criteria"].values(), *([org] if org else [])])
    rijen = [[i, titels.get(i, ""), *(beeld["criteria"][i].get(k, 0) for k in kolommen)]
             for i in criterium_ids(uitkomst)]
    if org:
        rijen.append(["organisatie", "Oordeel per organisatie", *(org.get(k, 0) for k in kolommen)])
    _blad(wb, "Landelijk beeld", ["criterium", "titel", *map(kolom_label, kolommen)], rijen)


def _organisaties(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    ids = criterium_ids(uitkomst)
    organisaties = in_rangorde(uitkomst)
    met_oordeel = any(o.get("oordeel") is not None for o in organisaties)
    kop = ["organisatie", "aantal voldoende", *ids, *(["oordeel"] if met_oordeel else [])]
    rijen = [[o["naam"], o["aantal_voldoende"],
              *(oordeel_van(o["criteria"].get(i)) or None for i in ids),
              *([oordeel_van(o.get("oordeel")) or None] if met_oordeel else [])]
             for o in organisaties]
    from openpyxl.styles import PatternFill

    ws = _blad(wb, "Organisaties", kop, rijen, bevries="B2")
    for rij in ws.iter_rows(min_row=2, min_col=3):
        for cell in rij:
            if cell.value is not None:
                kleur = VULKLEUREN.get(str(cell.value), GRIJS)
                cell.fill = PatternFill(fill_type="solid", fgColor=kleur, bgColor=kleur)


def _verwachtingen(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    teksten = {v["id"]: v.get("tekst", "") for v in uitkomst.get("verwachtingen", [])}
    _blad(wb, "Verwachtingen", ["id", "tekst", "voldoende", "onvoldoende", "niet beoordeeld"],
          ([v, teksten.get(v, ""), n["voldoende"], n["onvoldoende"], n["niet_beoordeeld"]]
           for v, n in uitkomst["landelijk_beeld"]["verwachtingen"].items()))


def _afwijkingen(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    _blad(wb, "Afwijkingen", ["soort", "id", "verschil", "bron", "toelichting"],
          ([a["soort"], a.get("id"), a.get("verschil", ""), a["bron"], a.get("toelichting")]
           for a in uitkomst["afwijkingen"]))


def vaste_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed, in the original order."""
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as bron, \
            zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as doel:
        for info in bron.infolist():
            nieuw = zipfile.ZipInfo(info.filename, date_time=ZIP_TIJDSTIP)
            nieuw.compress_type = zipfile.ZIP_DEFLATED
            nieuw.external_attr = 0o600 << 16
            doel.writestr(nieuw, bron.read(info.filename))
    return uit.getvalue()


def write_xlsx(uitkomst: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    _landelijk(wb, uitkomst)
    _organisaties(wb, uitkomst)
    _verwachtingen(wb, uitkomst)
    _afwijkingen(wb, uitkomst)
    kader = uitkomst["kader"]
    wb.properties.creator = "kaderwerk"
    wb.properties.title = f"{kader.get('titel') or kader['id']} ({kader['id']}@{kader['versie']})"
    wb.properties.created = VAST_TIJDSTIP
    wb.properties.modified = VAST_TIJDSTIP
    buf = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook would stamp "modified" with the clock.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return vaste_zip(buf.getvalue())


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("xlsx", write_xlsx, ".xlsx")
