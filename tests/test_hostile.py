"""Hostile input files: each gives a clean, located error in bounded time and memory.

Fuzzing (tests/test_fuzz.py) finds the random ways a file breaks; these are the deliberate
ones — alias bombs, nesting 10,000 levels deep, files far over the size limits, NUL bytes,
wrong encodings, a 10 MB CSV field, unbalanced quotes, zip bombs and damaged or formula-laden
workbooks, a FIFO that would block a reader forever. Each must end in a ``KaderwerkError``
naming the file (and line or cell where there is one) and exit 1 from the CLI, within a few
seconds and, where a file could exhaust memory, within a bounded allocation. Big files are
generated here; tests/data/hostile holds the small ones.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kaderwerk.domain.beoordeling import Opties
from kaderwerk.domain.errors import InvoerError, KaderError, KaderwerkError
from kaderwerk.sources import yamlsource
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.loader import load_kader

from .conftest import DATA, ROOT, workbook

HOSTILE = DATA / "hostile"
SCORES = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015-scores.csv"
KADER_ID = "veilig-thuis-stap-1@2015"
MB = 2**20
NESTING = re.compile(r"\bnest", re.IGNORECASE)


@pytest.fixture(autouse=True, scope="module")
def _warm_catalog() -> None:
    """Load the installed kaders once, so no timed block pays for it."""
    catalog().get(KADER_ID)


def bounded(call: Callable[[], Any], seconds: float = 2.0,
            megabytes: float | None = None) -> Callable[[], Any]:
    """``call``, checked to take under ``seconds`` and to allocate under ``megabytes``.

    Time and memory are measured in two runs: tracemalloc slows allocation-heavy code several
    times over. Whatever ``call`` raises is raised again after the checks.
    """

    def run() -> Any:
        outcome: BaseException | None = None
        start = time.perf_counter()
        try:
            call()
        except BaseException as exc:
            outcome = exc
        elapsed = time.perf_counter() - start
        assert elapsed < seconds, f"took {elapsed:.2f} s"
        if megabytes is not None:
            tracemalloc.start()
            try:
                with contextlib.suppress(Exception):
                    call()
                peak = tracemalloc.get_traced_memory()[1] / MB
            finally:
                tracemalloc.stop()
            assert peak < megabytes, f"allocated {peak:.0f} MB at the peak"
        if outcome is not None:
            raise outcome

    return run


def load(path: Path) -> Any:
    return load_kader(path, catalog().reg.beslisregels)


def read(path: Path) -> Any:
    return catalog().reg.readers[path.suffix].read(path, catalog().get(KADER_ID), Opties())


def fails(call: Callable[[], Any], error: type[KaderwerkError], fragment: str | re.Pattern[str],
          file: Path,
          line: int | None = None) -> KaderwerkError:
    """``call`` raises ``error`` whose first problem names ``file`` (and ``line``) and matches
    ``fragment``: kaderwerk's own words, or a pattern naming the problem class where a dependency
    may word it (never a dependency's sentence)."""
    with pytest.raises(error) as info:
        call()
    problem = info.value.problems[0]
    assert problem.file is not None and problem.file.startswith(str(file)), problem
    if isinstance(fragment, re.Pattern):
        assert fragment.search(problem.message), problem
    else:
        assert fragment in problem.message, problem
    if line is not None:
        assert problem.line == line, problem
    return info.value


def cli_fails(run_cli: Any, *args: Any, file: Path) -> str:
    """The command exits 1 with a message naming ``file``; returns stderr."""
    code, _, err = run_cli(*args)
    assert code == 1, err
    assert "internal error" not in err
    assert str(file) in err
    return err


# -- YAML: alias bombs, nesting, size ---------------------------------------------------------

def test_alias_bomb_is_refused_in_well_under_a_second(run_cli) -> None:
    """The 10^7-value alias bomb is refused before anything is expanded: < 0.5 s, < 20 MB."""
    path = DATA / "broken" / "alias_bomb.yaml"
    fails(bounded(lambda: load(path), 0.5, 20), KaderError, "alias bomb", path, line=1)
    cli_fails(run_cli, "validate", path, file=path)


def test_wide_alias_bomb_in_mappings_is_refused_fast(tmp_path) -> None:
    """Nine levels of ten-fold mapping aliases (10^9 values) are refused as fast."""
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: x" for i in range(10)) + "}"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} {{" + ", ".join(f"k{i}: *a{n - 1}" for i in range(10)) + "}")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    fails(bounded(lambda: load(path), 0.5, 20), KaderError, "alias bomb", path)


def test_recursive_alias_is_refused(tmp_path) -> None:
    """An anchor whose value aliases itself is reported, not walked until the stack ends."""
    path = tmp_path / "lus.yaml"
    path.write_text("id: x\nthemas: &t\n  - criteria: *t\n")
    fails(bounded(lambda: load(path), 0.5), KaderError, "recursive alias", path, line=2)


@pytest.mark.parametrize("opening", ["[", "{", "- ", "{a: ", "a:\n"])
def test_10000_levels_of_nesting_are_a_clean_error(tmp_path, opening: str) -> None:
    """10,000 nested flow or block levels stop at MAX_DEPTH with a position, no RecursionError."""
    if opening == "a:\n":
        text = "".join(" " * i + "a:\n" for i in range(10_000))[: yamlsource.MAX_BYTES]
    else:
        text = opening * 10_000
    path = tmp_path / "diep.yaml"
    path.write_text(text)
    # libyaml (PyYAML >= 6.0.3) may stop the nesting itself, in its own words.
    error = fails(bounded(lambda: load(path), 2), KaderError, NESTING, path)
    assert error.problems[0].line is not None and error.problems[0].column is not None


def test_30_mb_yaml_is_refused_by_size_without_reading_it(tmp_path, run_cli) -> None:
    """A 30 MB kader file is refused at once; only the limit plus one byte is read."""
    path = tmp_path / "groot.yaml"
    with path.open("w") as fh:
        for _ in range(30):
            fh.write("# " + "x" * (MB - 3) + "\n")
    fails(bounded(lambda: load(path), 0.5, 1), KaderError, "larger than", path, line=1)
    cli_fails(run_cli, "validate", path, file=path)


def test_too_many_values_stop_composing_early(tmp_path, monkeypatch) -> None:
    """A document over the value budget fails where the budget ran out, without finishing."""
    monkeypatch.setattr(yamlsource, "MAX_NODES", 1000)
    path = tmp_path / "lang.yaml"
    path.write_text("".join(f"- {i}\n" for i in range(50_000)))
    fails(bounded(lambda: load(path), 1), KaderError, "more than 1000 values", path,
          line=1000)


def test_the_value_budget_fits_kaders_and_2000_organisations() -> None:
    """The value budget is far above a kader and fits ~2,000 organisations' YAML scores."""
    kader = yamlsource.parse((ROOT / "kaders/veilig-thuis-stap-1/2015.yaml").read_text(), "k")
    assert len(kader.values) * 20 < yamlsource.MAX_NODES
    organisatie = "  - naam: Org\n    scores: {" + ", ".join(
        f'"1.1.{i}": 1' for i in range(24)) + "}\n"
    scores = yamlsource.parse("organisaties:\n" + organisatie * 100, "s")
    assert len(scores.values) * 20 < yamlsource.MAX_NODES


# -- YAML: bytes and values ---------------------------------------------------------------------

@pytest.mark.parametrize(("name", "fragment", "line", "column"), [
    ("nul.yaml", "NUL byte", 3, 11),
    ("latin1.yaml", "not valid UTF-8 (byte 0xe9)", 4, 15),
    ("utf16.yaml", "UTF-16", 1, 1),
    ("control.yaml", "control character U+0007", 4, 15),
    ("huge_int.yaml", "put it in quotes", 2, 9),
    ("bad_tag.yaml", "cannot read 'misschien' as bool", 4, 24),
])
def test_hostile_kader_bytes_are_located(name: str, fragment: str, line: int, column: int,
                                         run_cli) -> None:
    """NUL, a Latin-1 byte, UTF-16, a control character, a 5000-digit number, a bad tag."""
    path = HOSTILE / name
    error = fails(bounded(lambda: load(path), 1), KaderError, fragment, path, line=line)
    assert error.problems[0].column == column
    err = cli_fails(run_cli, "validate", path, file=path)
    assert f"{path}:{line}:{column}: " in err


@pytest.mark.parametrize("value", ["!!int", "!!float", "!!float abc", "!!int 0x",
                                   "!!bool misschien", "!!int " + "9" * 5000])
def test_explicit_tags_that_do_not_fit_the_value(tmp_path, value: str) -> None:
    """A tag PyYAML cannot apply (empty, wrong text, too many digits) is a located error."""
    path = tmp_path / "tag.yaml"
    path.write_text(f"id: k\nversie: {value}\n")
    error = fails(lambda: load(path), KaderError, "cannot read", path, line=2)
    assert error.problems[0].column == 9


def test_python_tags_are_refused_not_constructed(tmp_path) -> None:
    """A !!python tag on a value is a located error; on a list it is ignored, never called."""
    path = tmp_path / "tag.yaml"
    path.write_text("versie: '1'\nid: !!python/name:os.system\n")
    fails(lambda: load(path), KaderError, "cannot read value", path, line=2)
    path.write_text("id: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(KaderError) as info:
        load(path)
    assert "'id' must be text, not [\"echo pwned\"] (list)" in str(info.value)


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".xlsx"])
def test_a_fifo_is_refused_instead_of_blocking(tmp_path, suffix: str) -> None:
    """A named pipe given as a kader or scores file is refused; opening it would block."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / f"pijp{suffix}"
    os.mkfifo(path)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            load(path) if suffix == ".yaml" else read(path)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(os.open(path, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], KaderwerkError)
    assert "not a regular file" in str(outcome[0])


# -- YAML/JSON beoordelingen ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "text"), [
    ("lijst.yaml", "- naam: A\n  scores: {'1.1.1': 1}\n"),
    ("tekst.yaml", "organisaties\n"),
    ("getal.json", "42\n"),
    ("lijst.json", '[{"naam": "A"}]\n'),
])
def test_scores_file_with_a_non_mapping_top_level(tmp_path, run_cli, name: str,
                                                  text: str) -> None:
    """YAML or JSON beoordelingen whose top level is no mapping fail at line 1, exit 1."""
    path = tmp_path / name
    path.write_text(text)
    fails(lambda: read(path), InvoerError, "must be a mapping", path, line=1)
    cli_fails(run_cli, "assess", KADER_ID, path, file=path)


# -- CSV ----------------------------------------------------------------------------------------

def _csv_with(insert: bytes, at: int = 300) -> bytes:
    raw = SCORES.read_bytes()
    return raw[:at] + insert + raw[at:]


@pytest.mark.parametrize(("content", "fragment", "line"), [
    (_csv_with(b"\x00"), "NUL byte", 4),
    (_csv_with(b"\xe9"), "not valid UTF-8 (byte 0xe9)", 4),
    (SCORES.read_text().encode("utf-16"), "UTF-16", 1),
    (_csv_with(b'"'), "is not a score", 4),
], ids=["nul", "latin1", "utf16", "unbalanced-quote"])
def test_hostile_csv_bytes_are_located(tmp_path, run_cli, content: bytes, fragment: str,
                                       line: int) -> None:
    """NUL, a Latin-1 byte, UTF-16 and an unbalanced quote give a located error, exit 1."""
    path = tmp_path / "scores.csv"
    path.write_bytes(content)
    error = fails(bounded(lambda: read(path), 1), InvoerError, fragment, path, line=line)
    assert all(len(p.message) < 400 for p in error.problems), "a cell swamps the message"
    cli_fails(run_cli, "assess", KADER_ID, path, file=path)


@pytest.mark.parametrize("quoted", [False, True])
def test_csv_with_a_10_mb_field(tmp_path, run_cli, quoted: bool) -> None:
    """A 10 MB single field is refused at its line in bounded time and memory."""
    field = b"x" * (10 * MB)
    path = tmp_path / "veld.csv"
    path.write_bytes(_csv_with(b'"' + field + b'"' if quoted else field))
    error = fails(bounded(lambda: read(path), 2, 100), InvoerError, "", path, line=4)
    assert len(str(error)) < 400
    cli_fails(run_cli, "assess", KADER_ID, path, file=path)


def test_csv_with_a_quote_that_swallows_the_file(tmp_path) -> None:
    """A quote opened early and never closed is reported at the record it starts, briefly."""
    raw = SCORES.read_bytes()
    path = tmp_path / "quote.csv"
    path.write_bytes(raw.replace(b"\nUtrecht,", b'\n"Utrecht,', 1))
    error = fails(lambda: read(path), InvoerError, "", path, line=4)
    assert all(p.line == 4 and len(p.message) < 400 for p in error.problems)


def test_csv_with_millions_of_lines_is_refused_at_once(tmp_path) -> None:
    """Two million empty lines exceed the line limit before any row is read."""
    path = tmp_path / "leeg.csv"
    path.write_bytes(SCORES.read_bytes().split(b"\n", 1)[0] + b"\n" * 2_000_000)
    fails(bounded(lambda: read(path), 1, 20), InvoerError, "more than 1048576 lines", path)


def test_csv_with_a_header_of_600000_columns(tmp_path) -> None:
    """A header of 600,000 columns is refused by line length, not parsed into a list."""
    path = tmp_path / "breed.csv"
    path.write_bytes(b"organisatie" + b",x" * 600_000 + b"\nA\n")
    fails(bounded(lambda: read(path), 1, 20), InvoerError, "longer than", path, line=1)


def test_csv_with_20000_columns_is_refused_without_20000_hints(tmp_path) -> None:
    """A very wide header is one problem, not a difflib suggestion per column."""
    path = tmp_path / "breed.csv"
    path.write_text("organisatie" + "".join(f",k{i}" for i in range(20_000)) + "\nA\n")
    error = fails(bounded(lambda: read(path), 1), InvoerError, "20,001 columns", path, line=1)
    assert len(error.problems) == 1


def _breed_kader(tmp_path: Path, n: int) -> tuple[Path, list[str]]:
    ids = [f"1.1.{i}" for i in range(1, n + 1)]
    verwachtingen = "".join(f'          - {{id: "{v}", tekst: V.}}\n' for v in ids)
    pad = tmp_path / "breed.yaml"
    pad.write_text(
        'id: breed\nversie: "1"\ntitel: Breed\nbron: {document: Test}\n'
        "oordeelschaal: [voldoende, onvoldoende]\nscore_verplicht: true\nthemas:\n"
        '  - id: "1"\n    titel: T\n    criteria:\n      - id: "1.1"\n        titel: C\n'
        "        beslisregel:\n          type: aantal\n          hit: uniek\n          regels:\n"
        "            - {oordeel: voldoende, als: {onvoldoende: {max: 0}}}\n"
        "            - {oordeel: onvoldoende, als: {onvoldoende: {min: 1}}}\n"
        "        verwachtingen:\n" + verwachtingen, encoding="utf-8")
    return pad, ids


def test_a_kader_with_more_verwachtingen_than_the_column_limit_is_assessed(
        tmp_path, run_cli, monkeypatch) -> None:
    """``check`` proves exactly the inputs ``assess`` accepts: the column limit grows with the
    kader, so a kader of more verwachtingen than ``MAX_KOLOMMEN`` (lowered to 5 here) is
    assessed from CSV and JSON; a table padded past the limit is refused at its file and line,
    and a JSON file, which has no header, is not said to have one."""
    from kaderwerk.domain import beoordeling

    monkeypatch.setattr(beoordeling, "MAX_KOLOMMEN", 5)
    kader, ids = _breed_kader(tmp_path, 12)
    assert run_cli("check", kader)[0] == 0
    csv = tmp_path / "s.csv"
    csv.write_text("organisatie," + ",".join(ids) + "\nA," + ",".join("1" * 12) + "\n")
    code, _, err = run_cli("assess", kader, csv, "--format", "json")
    assert code == 0 and "Traceback" not in err
    json_file = tmp_path / "s.json"
    json_file.write_text('{"organisaties": [{"naam": "A", "scores": {'
                         + ", ".join(f'"{v}": 1' for v in ids) + "}}]}")
    assert run_cli("assess", kader, json_file, "--format", "json")[0] == 0
    grens = beoordeling.max_kolommen(load_kader(kader, catalog().reg.beslisregels))
    assert grens == 5 + 1 + 12 + 4 + 2
    breed = tmp_path / "breed.csv"
    breed.write_text("organisatie," + ",".join(ids) + "," * (grens - 12) + "\nA,"
                     + ",".join("1" * 12) + "\n")
    code, _, err = run_cli("assess", kader, breed)
    assert code == 1 and f"{breed}:1:" in err and f"at most {grens}" in err
    assert "Traceback" not in err
    tabel = beoordeling.Tabel(load_kader(kader, catalog().reg.beslisregels), "s.json", rij="line")
    with pytest.raises(InvoerError) as exc:
        tabel.lees(["organisatie", *(f"x{i}" for i in range(grens))], [], kop_rij=None)
    [p] = exc.value.problems
    assert "header" not in p.message and f"{grens + 1} columns" in p.message


# -- Excel workbooks ----------------------------------------------------------------------------

def _scores_rows() -> list[list[Any]]:
    lines = SCORES.read_text().splitlines()
    return [[int(c) if c.isdigit() else c for c in line.split(",")] for line in lines]


def _replace_part(xlsx: bytes, part: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info.filename, src.read(info.filename))
        if part:
            dst.writestr(part, content)
    return out.getvalue()


def test_xlsx_zip_bomb_is_refused_before_unpacking(tmp_path, run_cli) -> None:
    """A 1 MB workbook declaring 200 MB of XML is refused from its directory, unread."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(_scores_rows()))) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as fh:
            chunk = b" " * MB
            for _ in range(200):
                fh.write(chunk)
    path = tmp_path / "bom.xlsx"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 2 * MB
    fails(bounded(lambda: read(path), 1, 5), InvoerError, "zip bomb", path)
    cli_fails(run_cli, "assess", KADER_ID, path, file=path)


def test_xlsx_shared_strings_bomb_is_refused(tmp_path) -> None:
    """Shared strings (parsed whole by openpyxl) over the part limit are refused."""
    xlsx = _replace_part(workbook(_scores_rows()), "xl/sharedStrings.xml",
                         b"<sst>" + b"<si><t>x</t></si>" * (MB // 2) + b"</sst>")
    path = tmp_path / "sst.xlsx"
    path.write_bytes(xlsx)
    fails(bounded(lambda: read(path), 1, 5), InvoerError, "xl/sharedStrings.xml", path)


@pytest.mark.parametrize(("content", "fragment"), [
    (b"PK\x03\x04 this is no workbook", "not a readable .xlsx workbook"),
    (b"", "not a readable .xlsx workbook"),
    (b"organisatie,1.1.1\nA,1\n", "not a readable .xlsx workbook"),
], ids=["fake-zip-header", "empty", "csv-named-xlsx"])
def test_xlsx_that_is_not_a_zip(tmp_path, run_cli, content: bytes, fragment: str) -> None:
    """A .xlsx that is no zip at all is named as unreadable, exit 1."""
    path = tmp_path / "nep.xlsx"
    path.write_bytes(content)
    fails(lambda: read(path), InvoerError, fragment, path)
    cli_fails(run_cli, "assess", KADER_ID, path, file=path)


def test_truncated_xlsx(tmp_path) -> None:
    """Half a workbook is unreadable, not a crash."""
    xlsx = workbook(_scores_rows())
    path = tmp_path / "half.xlsx"
    path.write_bytes(xlsx[: len(xlsx) // 2])
    fails(lambda: read(path), InvoerError, "not a readable .xlsx workbook", path)


def test_formula_in_a_score_cell_is_refused_with_its_address(tmp_path, run_cli) -> None:
    """A formula where a score belongs is refused naming the cell (D5), exit 1."""
    rows = _scores_rows()
    rows[4][3] = "=1+0"
    path = tmp_path / "formule.xlsx"
    path.write_bytes(workbook(rows))
    fails(lambda: read(path), InvoerError, "cell D5 holds a formula (=1+0)", path, line=5)
    err = cli_fails(run_cli, "assess", KADER_ID, path, file=path)
    assert "D5" in err


@pytest.mark.parametrize(("change", "fragment"), [
    (lambda x: x[: len(x) // 2], "cannot read the first sheet after row"),
    (lambda x: x.replace(b"<v>1</v>", b"<v>abc</v>", 1), "cannot read the first sheet after row"),
    (lambda x: x.replace(b' t="n"><v>1</v>', b' t="d"><v>gisteren</v>', 1),
     "cannot read the first sheet after row"),
], ids=["cut-xml", "text-as-number", "bad-date"])
def test_damaged_sheet_xml_is_located(tmp_path, run_cli, change: Callable[[bytes], bytes],
                                      fragment: str) -> None:
    """Sheet XML that openpyxl cannot parse is an error after the last good row, exit 1."""
    xlsx = workbook(_scores_rows())
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    damaged = change(sheet)
    assert damaged != sheet
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(_replace_part(xlsx, "xl/worksheets/sheet1.xml", damaged))
    error = fails(lambda: read(path), InvoerError, fragment, path)
    assert error.problems[0].line is not None
    cli_fails(run_cli, "assess", KADER_ID, path, file=path)


def test_billion_laughs_in_sheet_xml(tmp_path) -> None:
    """XML entity expansion in a sheet is stopped by the parser and reported, in bounded memory."""
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns='
             '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row>'
             "</sheetData></worksheet>").encode()
    path = tmp_path / "lach.xlsx"
    path.write_bytes(_replace_part(workbook(_scores_rows()), "xl/worksheets/sheet1.xml", sheet))
    # Where expat stops the expansion (opening the workbook or reading the sheet) varies.
    unreadable = re.compile(r"^(not a readable \.xlsx workbook|cannot read the first sheet)")
    fails(bounded(lambda: read(path), 2, 50), InvoerError, unreadable, path)


@pytest.mark.parametrize("row", [
    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    '<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>',
], ids=["last-excel-cell", "beyond-excel"])
def test_far_away_cells_cost_bounded_time(tmp_path, row: str) -> None:
    """One cell a million rows down (or past Excel's limit) does not hang the reader."""
    xlsx = workbook(_scores_rows())
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    path = tmp_path / "ver.xlsx"
    path.write_bytes(_replace_part(xlsx, "xl/worksheets/sheet1.xml",
                                   sheet.replace(b"</sheetData>", row.encode() + b"</sheetData>")))
    fails(bounded(lambda: read(path), 2), InvoerError, "", path)


def test_wide_rows_are_bounded_by_the_cell_budget(tmp_path, monkeypatch) -> None:
    """Rows padded out to column XFD stop at the cell budget, located at the row."""
    from kaderwerk.plugins import reader_xlsx

    monkeypatch.setattr(reader_xlsx, "MAX_CELLS", 100_000)
    xlsx = workbook(_scores_rows())
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    far = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(30, 1000))
    path = tmp_path / "breed.xlsx"
    path.write_bytes(_replace_part(xlsx, "xl/worksheets/sheet1.xml",
                                   sheet.replace(b"</sheetData>", far.encode() + b"</sheetData>")))
    fails(bounded(lambda: read(path), 2), InvoerError, "more than 100000 cells", path,
          line=36)


def test_rows_past_a_wrong_dimension_are_read(tmp_path) -> None:
    """A sheet claiming a smaller used range than it has is read whole, not cut silently."""
    xlsx = workbook(_scores_rows())
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:Y27"' in sheet
    path = tmp_path / "dim.xlsx"
    path.write_bytes(_replace_part(xlsx, "xl/worksheets/sheet1.xml",
                                   sheet.replace(b'<dimension ref="A1:Y27"',
                                                 b'<dimension ref="A1:B2"')))
    assert len(read(path)) == 26


# -- output paths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("formats", [["json"], ["json", "csv"]])
def test_output_blocked_by_a_file_is_a_clean_error(tmp_path, run_cli, formats: list[str]) -> None:
    """-o below a file (or a file where the output folder should be) fails naming the path."""
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    target = blocker / "uit.json" if len(formats) == 1 else blocker
    args = [a for f in formats for a in ("--format", f)]
    code, _, err = run_cli("assess", KADER_ID, "2015", *args, "-o", target)
    assert code == 1, err
    assert "internal error" not in err
    assert f"cannot create the folder {blocker}" in err
    assert blocker.read_text() == "x"


def test_docs_state_the_limits_in_force() -> None:
    """docs/robustness.md gives the limits the code enforces."""
    from kaderwerk.domain import beoordeling
    from kaderwerk.plugins import reader_csv, reader_xlsx

    text = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    stated = [
        f"| YAML file size | {yamlsource.MAX_BYTES // MB} MB |",
        f"| {yamlsource.MAX_NODES:,} |",
        f"| YAML nesting | {yamlsource.MAX_DEPTH} levels |",
        f"| CSV file size | {reader_csv.MAX_BYTES // MB} MB |",
        f"| {reader_csv.MAX_LINES:,} (Excel's row limit); one physical line at most "
        f"{reader_csv.MAX_LINE // MB} MB |",
        f"| {beoordeling.MAX_KOLOMMEN:,} more than the kader names (`max_kolommen`",
        f"| {reader_xlsx.MAX_UNPACKED // MB} MB each |",
        f"| {reader_xlsx.MAX_PART // MB} MB unpacked |",
        f"| {reader_xlsx.MAX_CELLS:,}, empty padding included |",
        f"| Excel rows | {reader_xlsx.MAX_ROWS:,} |",
    ]
    for fragment in stated:
        assert fragment in text, fragment
