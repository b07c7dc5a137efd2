"""Hostile workbooks: a sheet whose rows or cells are out of order, duplicated or numbered
oddly is read whole or refused with the sheet and row.

A workbook is XML that numbers its own rows (``<row r="3">``) and cells (``<c r="B3">``), and
openpyxl trusts those numbers: a row renumbered ``r="0"``, two rows with one number, or a cell
address given twice made it drop or overwrite values silently. These tests rewrite the sheet
XML of the bundled 2015 scores, run ``kaderwerk assess`` in-process and assert the exit code,
the located message (``FILE[Sheet]:ROW``), no traceback and the input byte-identical; a
hypothesis property renumbers at random and asserts that either all 26 organisations are read
as written or the file is refused at a row.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kaderwerk.domain.beoordeling import Opties
from kaderwerk.domain.errors import InvoerError
from kaderwerk.domain.model import Score
from kaderwerk.sources.catalog import catalog

from .test_hostile_input import (
    KADER,
    SCORES,
    SHEET,
    _oordelen,
    _organisaties,
    _refused,
    _replace_part,
    _scores_xlsx,
)


@pytest.fixture(scope="module")
def expected() -> list[tuple[str, Any]]:
    """What the bundled 2015 file gives: 26 organisations with their oordelen."""
    from kaderwerk.commands.assess import uitkomst_van

    oordelen = _oordelen(uitkomst_van(KADER, str(SCORES), allow_missing=False)[1])
    assert len(oordelen) == 26
    return oordelen


def _swap_rows(sheet: str) -> str:
    sheet = re.sub(r'<c r="[A-Z]+\d+"', "<c", sheet)
    return sheet.replace('<row r="4"', '<row r="X"').replace('<row r="5"', '<row r="4"').replace(
        '<row r="X"', '<row r="5"')


CRAFTED = {
    "row numbered 0": (lambda s: s.replace('<row r="3"', '<row r="0"', 1), 2, "row 0 comes after"),
    "row numbered -1": (lambda s: s.replace('<row r="3"', '<row r="-1"', 1), 2, "comes after"),
    "two rows numbered 3": (lambda s: s.replace('<row r="4"', '<row r="3"', 1), 3,
                            "row 3 comes after row 3"),
    "rows out of order": (_swap_rows, 5, "row 4 comes after row 5"),
    "duplicate cell address": (lambda s: s.replace('r="C3"', 'r="B3"', 1), 3,
                               "cell B3 is out of place"),
    "cells out of order": (lambda s: s.replace('r="C3"', 'r="Z3"', 1), 3,
                           "cell D3 is out of place"),
    "cell of another row": (lambda s: s.replace('r="C3"', 'r="C9"', 1), 3,
                            "cell C9 is out of place in row 3"),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_crafted_sheet_rows_and_cells_are_refused(tmp_path, run_cli, case: str) -> None:
    change, row, fragment = CRAFTED[case]
    xlsx, sheet = _scores_xlsx()
    changed = change(sheet)
    assert changed != sheet
    path = tmp_path / "s.xlsx"
    path.write_bytes(_replace_part(xlsx, SHEET, changed.encode()))
    _refused(run_cli, path, f"{path}[Sheet]:{row}", fragment)


def test_rows_and_cells_without_numbers_are_counted(tmp_path, run_cli, expected) -> None:
    """The numbers are optional in the file format: rows and cells then follow one another."""
    xlsx, sheet = _scores_xlsx()
    bare = re.sub(r'<(row|c) r="[A-Z]*\d+"', r"<\1", sheet)
    path = tmp_path / "s.xlsx"
    path.write_bytes(_replace_part(xlsx, SHEET, bare.encode()))
    assert _organisaties(run_cli, path) == expected


def _gelezen(path: Path) -> list[tuple[str, dict[str, Score]]] | InvoerError:
    try:
        b = catalog().reg.readers[path.suffix].read(path, catalog().get(KADER), Opties())
    except InvoerError as exc:
        return exc
    return [(x.naam, dict(x.scores)) for x in b]


@st.composite
def hernummerd(draw: Any) -> str:
    """The scores sheet with rows renumbered, duplicated, swapped or unnumbered, and cells
    readdressed: what a damaged or hand-made workbook may hold."""
    _, sheet = _scores_xlsx()
    begin, eind = sheet.index("<sheetData>") + 11, sheet.index("</sheetData>")
    rows = re.findall(r"<row .*?</row>", sheet[begin:eind])
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(rows) - 1))
        soort = draw(st.sampled_from(["nummer", "dubbel", "wissel", "kaal", "cel"]))
        if soort == "nummer":
            rows[k] = re.sub(r'<row r="-?\d+"', f'<row r="{draw(st.integers(-1, 40))}"',
                             rows[k], count=1)
        elif soort == "dubbel":
            rows.insert(k, rows[k])
        elif soort == "wissel":
            j = draw(st.integers(0, len(rows) - 1))
            rows[k], rows[j] = rows[j], rows[k]
        elif soort == "kaal":
            rows = [re.sub(r' r="[A-Z]*-?\d+"', "", r) for r in rows]
        else:
            cellen = re.findall(r'<c r="[A-Z]+-?\d+"', rows[k])
            if cellen:
                oud = draw(st.sampled_from(cellen))
                adres = (f'<c r="{draw(st.sampled_from(["A", "B", "C", "Y", "Z", "AB"]))}'
                         f'{draw(st.integers(0, 30))}"')
                rows[k] = rows[k].replace(oud, adres, 1)
    return sheet[:begin] + "".join(rows) + sheet[eind:]


@pytest.fixture(scope="module")
def verwacht_xlsx(tmp_path_factory) -> list[tuple[str, dict[str, Score]]]:
    path = tmp_path_factory.mktemp("origineel") / "s.xlsx"
    path.write_bytes(_scores_xlsx()[0])
    gelezen = _gelezen(path)
    assert isinstance(gelezen, list) and len(gelezen) == 26
    return sorted(gelezen, key=lambda o: o[0])


@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(hernummerd())
def test_renumbered_sheets_are_read_whole_or_refused(tmp_path_factory, verwacht_xlsx,
                                                     sheet: str) -> None:
    """Whatever the numbering: the 26 organisations as written (in the order the sheet now
    gives), or a refusal at the sheet and row. Never an organisation or a value lost."""
    path = tmp_path_factory.mktemp("hernummerd") / "s.xlsx"
    path.write_bytes(_replace_part(_scores_xlsx()[0], SHEET, sheet.encode()))
    gelezen = _gelezen(path)
    if isinstance(gelezen, InvoerError):
        assert all(p.file == f"{path}[Sheet]" and p.line is not None
                   for p in gelezen.problems), gelezen
    else:
        assert sorted(gelezen, key=lambda o: o[0]) == verwacht_xlsx


def test_a_chartsheet_first_reads_the_first_worksheet(tmp_path, run_cli, expected) -> None:
    from openpyxl.chart import BarChart, Reference

    xlsx, _ = _scores_xlsx()
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=2, min_row=1, max_row=27), titles_from_data=True)
    wb.create_chartsheet("Grafiek", 0).add_chart(chart)
    path = tmp_path / "s.xlsx"
    wb.save(path)
    assert _organisaties(run_cli, path) == expected
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    wb.create_chartsheet("Leeg", 0)  # no drawing: openpyxl cannot read it back
    wb.save(path)
    _refused(run_cli, path, str(path), "not a readable .xlsx workbook")
