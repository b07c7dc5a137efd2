"""The ``xlsx`` output format: a workbook for people who continue in Excel or LibreOffice.

Four sheets: the landelijk beeld per criterium, the organisations in rangorde order with each
oordeel coloured, the scores per verwachting, and the afwijkingen from published figures.
Text that would run as a formula gets a leading apostrophe, as in ``csv``, and a control
character (which openpyxl refuses) is written visibly as ``\\u001b``.

The workbook is streamed (openpyxl's write-only mode): each sheet is written row by row, after
one pass over its rows to size the columns, so 200,000 organisations take a minute and a few
hundred MB instead of the gigabytes a workbook of cell objects needs.

openpyxl stamps the current time into the document properties and the zip entries; both are
fixed here so identical input gives a byte-identical file.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kaderwerk.api import (
    UsageError,
    criterium_ids,
    criterium_titels,
    hookimpl,
    in_rangorde,
    kolom_label,
    neutraliseer,
    oordeel_kolommen,
    oordeel_van,
    zichtbaar,
)

VULKLEUREN = {"voldoende": "C8E6C9", "matig": "FFE0B2", "onvoldoende": "FFCDD2"}
GRIJS = "EEEEEE"
VAST_TIJDSTIP = datetime.datetime(2000, 1, 1)
ZIP_TIJDSTIP = (2000, 1, 1, 0, 0, 0)
MAX_BREEDTE = 60
# openpyxl writes ~40 µs per cell even streamed: 100,000 organisations of Veilig Thuis Stap 1
# take ~30 s and ~320 MB. Larger reports are refused before any sheet is written.
MAX_ORGANISATIES_XLSX = 100_000

if TYPE_CHECKING:
    from openpyxl import Workbook


def _cel(waarde: Any) -> Any:
    return zichtbaar(neutraliseer(waarde)) if isinstance(waarde, str) else waarde


def _blad(wb: Workbook, titel: str, kop: Sequence[str],
          rijen: Callable[[], Iterable[Sequence[Any]]], bevries: str = "A2",
          vullen: int | None = None) -> None:
    """A sheet with a bold, frozen header row, filters, and widths that fit the content.

    ``rijen`` gives the rows afresh on each call: once to size the columns, once to write.
    From column ``vullen`` (0-based) on, a cell is filled in the colour of its oordeel.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    langste = [len(str(k)) for k in kop]
    aantal = 0
    for rij in rijen():
        aantal += 1
        for i, v in enumerate(rij):
            if v is not None:
                n = len(str(v))
                if i >= len(langste):
                    langste.append(n)
                elif n > langste[i]:
                    langste[i] = n
    ws = wb.create_sheet(titel)
    for i, n in enumerate(langste, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(n + 3, MAX_BREEDTE)
    ws.freeze_panes = bevries
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(langste), 1))}{aantal + 1}"
    vet = Font(bold=True)
    kopcellen = []
    for k in kop:
        cel = WriteOnlyCell(ws, _cel(k))
        cel.font = vet
        kopcellen.append(cel)
    ws.append(kopcellen)
    breed = [n > MAX_BREEDTE for n in langste]
    omloop = Alignment(wrap_text=True, vertical="top")
    stijlen: dict[tuple[bool, str | None], Any] = {}

    def stijl(omslaan: bool, kleur: str | None) -> Any:
        # one style per kind, shared by its cells: setting a fill on each cell would hash the
        # fill each time, which made a 200,000-organisation sheet take minutes
        if (omslaan, kleur) not in stijlen:
            model = WriteOnlyCell(ws)
            if omslaan:
                model.alignment = omloop
            if kleur:
                model.fill = PatternFill(fill_type="solid", fgColor=kleur, bgColor=kleur)
            stijlen[omslaan, kleur] = model._style
        return stijlen[omslaan, kleur]

    for rij in rijen():
        if not any(breed) and vullen is None:
            ws.append([_cel(v) for v in rij])
            continue
        cellen = []
        for i, v in enumerate(rij):
            omslaan = i < len(breed) and breed[i]
            kleur = (VULKLEUREN.get(str(v), GRIJS) if vullen is not None and i >= vullen
                     and v is not None else None)
            if omslaan or kleur:
                cel = WriteOnlyCell(ws, _cel(v))
                cel._style = stijl(omslaan, kleur)
                cellen.append(cel)
            else:
                cellen.append(_cel(v))
        ws.append(cellen)


def _landelijk(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    beeld = uitkomst["landelijk_beeld"]
    titels = criterium_titels(uitkomst)
    org = beeld.get("organisatie")
    kolommen = oordeel_kolommen(uitkomst, [*beeld["criteria"].values(), *([org] if org else [])])
    rijen = [[i, titels.get(i, ""), *(beeld["criteria"][i].get(k, 0) for k in kolommen)]
             for i in criterium_ids(uitkomst)]
    if org:
        rijen.append(["organisatie", "Oordeel per organisatie", *(org.get(k, 0) for k in kolommen)])
    _blad(wb, "Landelijk beeld", ["criterium", "titel", *map(kolom_label, kolommen)],
          lambda: rijen)


def _organisaties(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    ids = criterium_ids(uitkomst)
    organisaties = in_rangorde(uitkomst)
    met_oordeel = any(o.get("oordeel") is not None for o in organisaties)
    kop = ["organisatie", "aantal voldoende", *ids, *(["oordeel"] if met_oordeel else [])]
    def rijen() -> Iterable[list[Any]]:
        return ([o["naam"], o["aantal_voldoende"],
                 *(oordeel_van(o["criteria"].get(i)) or None for i in ids),
                 *([oordeel_van(o.get("oordeel")) or None] if met_oordeel else [])]
                for o in organisaties)

    _blad(wb, "Organisaties", kop, rijen, bevries="B2", vullen=2)


def _verwachtingen(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    teksten = {v["id"]: v.get("tekst", "") for v in uitkomst.get("verwachtingen", [])}
    _blad(wb, "Verwachtingen", ["id", "tekst", "voldoende", "onvoldoende", "niet beoordeeld"],
          lambda: ([v, teksten.get(v, ""), n["voldoende"], n["onvoldoende"], n["niet_beoordeeld"]]
                   for v, n in uitkomst["landelijk_beeld"]["verwachtingen"].items()))


def _afwijkingen(wb: Workbook, uitkomst: dict[str, Any]) -> None:
    _blad(wb, "Afwijkingen", ["soort", "id", "verschil", "bron", "toelichting"],
          lambda: ([a["soort"], a.get("id"), a.get("verschil", ""), a["bron"],
                    a.get("toelichting")] for a in uitkomst["afwijkingen"]))


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

    aantal = len(uitkomst["organisaties"])
    if aantal > MAX_ORGANISATIES_XLSX:
        raise UsageError(
            f"an xlsx report of {aantal:,} organisaties is over the limit of "
            f"{MAX_ORGANISATIES_XLSX:,} (it would take about {aantal // 3500:,} s); use --format "
            "csv, which Excel opens too, or json, or split the scores file")
    wb = Workbook(write_only=True)
    _landelijk(wb, uitkomst)
    _organisaties(wb, uitkomst)
    _verwachtingen(wb, uitkomst)
    _afwijkingen(wb, uitkomst)
    kader = uitkomst["kader"]
    wb.properties.creator = "kaderwerk"
    wb.properties.title = zichtbaar(
        f"{kader.get('titel') or kader['id']} ({kader['id']}@{kader['versie']})")
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
