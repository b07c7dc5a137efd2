"""Hostile score files: every input is read whole or refused, the same way by every reader.

One case (or generator) per class of issue 14's "inputs are read whole or refused": a header
that is not the first non-blank row, values in a column without a header, score spellings
(the same set in CSV, Excel, YAML and JSON), organisation names that differ only in Unicode
normal form or spaces, and dates (workbooks numbered oddly: tests/test_hostile_workbook.py).
Each runs ``kaderwerk assess`` in-process and asserts the exit code, the
located message (``FILE:LINE`` or ``FILE[Sheet]:ROW``), no traceback, and that the input file
is byte-identical afterwards.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import re
import tempfile
import types
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from kaderwerk.domain.beoordeling import Opties
from kaderwerk.domain.errors import InvoerError, KaderwerkError, UsageError
from kaderwerk.domain.model import Score
from kaderwerk.hookspecs import hookimpl
from kaderwerk.sources import manager, yamlsource
from kaderwerk.sources.catalog import Catalog, catalog

from .conftest import ROOT, workbook

SCORES = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015-scores.csv"
KADER = "veilig-thuis-stap-1@2015"
SHEET = "xl/worksheets/sheet1.xml"


def _rows() -> list[list[str]]:
    with SCORES.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _assess(run_cli: Any, path: Path, *args: str) -> tuple[int, str, str]:
    """``assess`` on ``path``: no traceback, and the file byte-identical afterwards."""
    before = path.read_bytes()
    code, out, err = run_cli("assess", KADER, path, *args)
    assert "internal error" not in err and "Traceback" not in err, err
    assert path.read_bytes() == before
    return code, out, err


def _refused(run_cli: Any, path: Path, where: str, fragment: str | re.Pattern[str],
             *args: str) -> str:
    """Exit 1 with a message at ``where`` (``FILE:LINE`` or ``FILE[Sheet]:ROW``)."""
    code, _, err = _assess(run_cli, path, *args)
    assert code == 1, err
    lines = [line for line in err.splitlines() if line.startswith(where + ":")]
    assert lines, err
    text = "\n".join(lines)
    assert (fragment.search(text) if isinstance(fragment, re.Pattern) else fragment in text), err
    return err


def _organisaties(run_cli: Any, path: Path, *args: str) -> list[tuple[str, Any]]:
    code, out, err = _assess(run_cli, path, "--format", "json", *args)
    assert code == 0, err
    return _oordelen(json.loads(out))


def _oordelen(uitkomst: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(o["naam"], {c: v["oordeel"] for c, v in o["criteria"].items()})
            for o in uitkomst["organisaties"]]


def _replace_part(xlsx: bytes, part: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == part
                         else src.read(info.filename))
    return out.getvalue()


@functools.cache
def _scores_xlsx() -> tuple[bytes, str]:
    rows: list[list[Any]] = [[int(c) if c.isdigit() else c for c in r] for r in _rows()]
    xlsx = workbook(rows)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return xlsx, z.read(SHEET).decode()


@pytest.fixture(scope="module")
def expected() -> list[tuple[str, Any]]:
    """What the bundled 2015 file gives: 26 organisations with their oordelen."""
    from kaderwerk.commands.assess import uitkomst_van

    oordelen = _oordelen(uitkomst_van(KADER, str(SCORES), allow_missing=False)[1])
    assert len(oordelen) == 26 and oordelen[0][0] == "Amsterdam-Amstelland"
    return oordelen


# -- the header is the first row that is not blank -----------------------------------------------

@pytest.mark.parametrize("boven", ["\n", "\n\n", " \t\n", ",,,\n", "\r\n"])
@pytest.mark.parametrize("allow_missing", [False, True])
def test_blank_lines_above_the_header_are_skipped(tmp_path, run_cli, expected, boven: str,
                                                  allow_missing: bool) -> None:
    """Issue 14: with --allow-missing a blank first line gave 27 organisations, one named
    'organisatie', every score dropped."""
    path = tmp_path / "s.csv"
    path.write_text(boven + SCORES.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["--allow-missing"] if allow_missing else []
    assert _organisaties(run_cli, path, *args) == expected


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_excel_sep_line_declares_the_delimiter(tmp_path, run_cli, expected,
                                               delimiter: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"sep={delimiter}\n" + _csv_text(_rows(), delimiter), encoding="utf-8")
    assert _organisaties(run_cli, path) == expected


def test_excel_sep_line_keeps_line_numbers(tmp_path, run_cli) -> None:
    rows = _rows()
    rows[3][1] = "x"
    path = tmp_path / "s.csv"
    path.write_text("sep=;\n" + _csv_text(rows, ";"), encoding="utf-8")
    _refused(run_cli, path, f"{path}:5", "'x' is not a score")


@pytest.mark.parametrize("boven", [["Scores Veilig Thuis 2015"], ["Tabel 1", "", "bron: rapport"]])
def test_a_title_above_the_header_is_not_a_header(tmp_path, run_cli, boven: list[str]) -> None:
    path = tmp_path / "s.csv"
    path.write_text(_csv_text([boven, *_rows()]), encoding="utf-8")
    for args in ([], ["--allow-missing"]):
        _refused(run_cli, path, f"{path}:1", "row 1 is not a header", *args)


def test_a_table_without_a_header_is_refused(tmp_path, run_cli) -> None:
    path = tmp_path / "s.csv"
    path.write_text("\n" + _csv_text(_rows()[1:]), encoding="utf-8")
    _refused(run_cli, path, f"{path}:2", "row 2 is not a header", "--allow-missing")


@pytest.mark.parametrize("content", ["", "\n\n\n", " \n,,\n"])
def test_a_blank_file_is_refused(tmp_path, run_cli, content: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(content, encoding="utf-8")
    _refused(run_cli, path, f"{path}:1", "expected a header row")


def test_xlsx_title_row_and_blank_rows(tmp_path, run_cli, expected) -> None:
    rows: list[list[Any]] = [[int(c) if c.isdigit() else c for c in r] for r in _rows()]
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook([["Scores 2015"], *rows]))
    _refused(run_cli, path, f"{path}[Sheet]:1", "row 1 is not a header", "--allow-missing")
    path.write_bytes(workbook([[], [None, None], *rows]))
    assert _organisaties(run_cli, path) == expected


def test_a_structured_file_needs_no_header_row(tmp_path, run_cli) -> None:
    """YAML and JSON have keys, not a header: names alone are organisations (--allow-missing,
    for a kader that lets a verwachting be niet beoordeeld)."""
    path = tmp_path / "s.yaml"
    path.write_text("organisaties:\n- naam: A\n- naam: B\n", encoding="utf-8")
    open_kader = _zonder_score_verplicht().pad
    code, out, err = run_cli("assess", open_kader, path, "--allow-missing", "--format", "json")
    assert code == 0, err
    assert [o["naam"] for o in json.loads(out)["organisaties"]] == ["A", "B"]
    _refused(run_cli, path, f"{path}:1", "no column for verwachtingen 1.1.1")


# -- values in a column without a header ---------------------------------------------------------

@pytest.mark.parametrize("onder_lege_kop", [True, False])
@pytest.mark.parametrize("cel", ["x", "1"])
def test_a_value_in_a_column_without_a_header(tmp_path, run_cli, onder_lege_kop: bool,
                                              cel: str) -> None:
    """Under an empty header cell, or past the header's end: an error at the row and column
    (column 26, after the name and 24 verwachtingen), with or without --allow-missing."""
    rows = _rows()
    if onder_lege_kop:
        rows[0].append("")
        for r in rows[1:]:
            r.append("")
        rows[4][-1] = cel
    else:
        rows[4].append(cel)
    path = tmp_path / "s.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    for args in ([], ["--allow-missing"]):
        err = _refused(run_cli, path, f"{path}:5", "column 26:", *args)
        assert ("without a header" if onder_lege_kop else "beyond the last column") in err


def test_empty_padding_after_the_header_is_fine(tmp_path, run_cli, expected) -> None:
    """Spreadsheets pad rows with empty cells (trailing commas): nothing is lost there."""
    rows = [[*r, "", " "] for r in _rows()]
    path = tmp_path / "s.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    assert _organisaties(run_cli, path) == expected


def test_xlsx_value_without_a_header(tmp_path, run_cli) -> None:
    rows: list[list[Any]] = [[int(c) if c.isdigit() else c for c in r] for r in _rows()]
    rows[6] = [*rows[6], None, "vergeten"]
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(rows))
    _refused(run_cli, path, f"{path}[Sheet]:7", "column AA:")


# -- one set of score spellings for every reader ----------------------------------------------

GOED = {"1": Score.VOLDOENDE, "3": Score.ONVOLDOENDE, "V": Score.VOLDOENDE,
        "v": Score.VOLDOENDE, "O": Score.ONVOLDOENDE, "o": Score.ONVOLDOENDE,
        "NB": Score.NIET_BEOORDEELD, "nb": Score.NIET_BEOORDEELD,
        "voldoende": Score.VOLDOENDE, "Onvoldoende": Score.ONVOLDOENDE,
        "niet beoordeeld": Score.NIET_BEOORDEELD, "niet_beoordeeld": Score.NIET_BEOORDEELD,
        "n.b.": Score.NIET_BEOORDEELD, " 1 ": Score.VOLDOENDE}
FOUT = ["01", "+1", "0x3", "0_1", "1.0", "3.0", "1e0", "2", "0", "-1", "yes", "true", ".5",
        "x", "1,0", "0o3"]
IDS = [v.id for v in catalog().get(KADER).verwachtingen if v.beoordeeld]


def _as_xlsx(path: Path, spelling: str, number: bool) -> None:
    """A workbook with ``spelling`` in B2: as text, or written as a number cell's ``<v>``."""
    rows: list[list[Any]] = [["organisatie", *IDS], ["A", "PLEK", *["1"] * (len(IDS) - 1)]]
    xlsx = workbook(rows)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheet = z.read(SHEET).decode()
    cel = (f'<c r="B2"><v>{spelling}</v></c>' if number else
           f'<c r="B2" t="inlineStr"><is><t xml:space="preserve">{spelling}</t></is></c>')
    sheet = re.sub(r'<c r="B2"[^>]*>.*?</c>', cel, sheet, count=1)
    path.write_bytes(_replace_part(xlsx, SHEET, sheet.encode()))


def _files(tmp_path: Path, spelling: str) -> list[Path]:
    """One organisation with ``spelling`` for 1.1.1, as every reader's file would hold it."""
    paths = []
    rest = {v: "1" for v in IDS[1:]}
    p = tmp_path / "s.csv"
    p.write_text(_csv_text([["organisatie", *IDS], ["A", spelling, *rest.values()]]),
                 encoding="utf-8")
    paths.append(p)
    p = tmp_path / "s.yaml"  # as written: plain where YAML allows, else quoted
    plain = spelling == spelling.strip() and not re.search(r"[:#,]", spelling)
    waarde = spelling if plain else json.dumps(spelling)
    p.write_text("organisaties:\n- naam: A\n  scores:\n"
                 f'    "1.1.1": {waarde}\n'
                 + "".join(f'    "{v}": 1\n' for v in rest), encoding="utf-8")
    paths.append(p)
    p = tmp_path / "s.json"  # a number where JSON has one, else a string
    try:
        literal = spelling if isinstance(json.loads(spelling), (int, float)) else None
    except ValueError:
        literal = None
    body = ", ".join([f'"1.1.1": {literal or json.dumps(spelling)}',
                      *(f'"{v}": 1' for v in rest)])
    p.write_text(f'{{"organisaties": [{{"naam": "A", "scores": {{{body}}}}}]}}',
                 encoding="utf-8")
    paths.append(p)
    p = tmp_path / "tekst.xlsx"
    _as_xlsx(p, spelling, number=False)
    paths.append(p)
    if re.fullmatch(r"[-+.e_xo]*[0-9][-+0-9.e_xo]*", spelling):
        p = tmp_path / "getal.xlsx"
        _as_xlsx(p, spelling, number=True)
        paths.append(p)
    return paths


@functools.cache
def _zonder_score_verplicht() -> Any:
    """Stap 1 without its ``score_verplicht``, so that every spelling of NB is read too."""
    tekst = (ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(encoding="utf-8")
    begin = tekst.index("\nscore_verplicht:")
    einde = re.search(r"\n(?! )", tekst[begin + 1:]).start() + begin + 1
    pad = Path(tempfile.mkdtemp()) / "stap1-open.yaml"
    pad.write_text(tekst[:begin] + tekst[einde:], encoding="utf-8")
    kader = catalog().get(str(pad))
    assert not any(c.score_verplicht for c in kader.criteria)
    return kader


def _score(path: Path) -> Score | str:
    kader = _zonder_score_verplicht()
    try:
        b = catalog().reg.readers[path.suffix].read(path, kader, Opties())
    except KaderwerkError as exc:
        assert all(p.file and p.file.startswith(str(path)) for p in exc.problems), exc
        return "refused"
    return b[0].scores["1.1.1"]


@pytest.mark.parametrize("spelling", [*GOED, *FOUT])
def test_every_reader_accepts_the_same_spellings(tmp_path, spelling: str) -> None:
    """CSV, YAML, JSON and Excel (a text cell, and a number cell where it is a number)."""
    want = GOED.get(spelling, "refused")
    got = {p.name: _score(p) for p in _files(tmp_path, spelling)}
    assert got == dict.fromkeys(got, want)


@pytest.mark.parametrize("suffix", [".csv", ".yaml", ".json", ".xlsx"])
def test_a_refused_spelling_is_located_by_the_cli(tmp_path, run_cli, suffix: str) -> None:
    spelling = "1.0"
    path = next(p for p in _files(tmp_path, spelling) if p.suffix == suffix)
    where = {".xlsx": f"{path}[Sheet]:2", ".json": f"{path}:1"}.get(suffix, f"{path}:2")
    _refused(run_cli, path, where, "is not a score")


@pytest.mark.parametrize("libyaml", [True, False] if yamlsource.LIBYAML else [False])
def test_yaml_numbers_written_oddly_are_refused(tmp_path, run_cli, monkeypatch,
                                                libyaml: bool) -> None:
    """YAML 1.1 reads 0x3, 01, +1 and 0_1 as integers; a score file keeps them as written,
    whichever parser (libyaml or PyYAML's own) reads it."""
    monkeypatch.setattr(yamlsource, "LIBYAML", libyaml)
    for spelling in ("0x3", "01", "+1", "0_1", "0b1", "1:0", "1.0", "1e0", ".5"):
        path = next(p for p in _files(tmp_path, spelling) if p.suffix == ".yaml")
        _refused(run_cli, path, f"{path}:2", f"'{spelling}' is not a score")


def test_json_fractions_are_refused_as_written(tmp_path, run_cli) -> None:
    for spelling in ("1.0", "1e0", "3.00", "1E+0"):
        path = next(p for p in _files(tmp_path, spelling) if p.suffix == ".json")
        assert f'"1.1.1": {spelling},' in path.read_text(encoding="utf-8")
        _refused(run_cli, path, f"{path}:1", f"'{spelling}' is not a score")


# -- organisation names -------------------------------------------------------------------------

@pytest.mark.parametrize("tweede", ["E\u0301e\u0301n", " \u00c9\u00e9n", "\u00c9\u00e9n\t"])
def test_names_equal_after_nfc_and_trimming_are_duplicates(tmp_path, run_cli,
                                                          tweede: str) -> None:
    rows = _rows()
    rows[2][0], rows[5][0] = "\u00c9\u00e9n", tweede
    path = tmp_path / "s.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    _refused(run_cli, path, f"{path}:6", re.compile(r"row 6 .*appears twice \(first in row 3\)"))


def test_names_in_json_are_compared_after_nfc(tmp_path, run_cli) -> None:
    orgs = [{"naam": naam, "scores": dict.fromkeys(IDS, 1)}
            for naam in ("\u00c9\u00e9n", "Twee", "E\u0301e\u0301n")]
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"organisaties": orgs}, indent=1), encoding="utf-8")
    code, _, err = _assess(run_cli, path)
    assert code == 1, err
    starts = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if line == "  {"]
    first, third = starts[0], starts[2]
    assert f"{path}:{third}: line {third} (" in err, err
    assert f"appears twice (first in line {first})" in err, err


def test_names_are_kept_in_nfc(tmp_path, run_cli) -> None:
    rows = _rows()
    rows[2][0] = "E\u0301e\u0301n"
    path = tmp_path / "s.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    assert _organisaties(run_cli, path)[1][0] == "\u00c9\u00e9n"


# -- dates --------------------------------------------------------------------------------------

def _met_datum(tmp_path: Path, datum: str) -> Path:
    rows = _rows()
    rows[0].append("datum")
    for r in rows[1:]:
        r.append("2015-09-01")
    rows[4][-1] = datum
    path = tmp_path / "s.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("datum, fragment", [
    ("2015-9-1", "is not a date; write it as YYYY-MM-DD"),
    ("garbage", "is not a date"),
    ("2015-02-30", "invalid date"),
    ("2015-09-01T09:00", "is not a date"),
    ("01-09-2015", "is not a date"),
    ("2015-06-30", "no versie of veilig-thuis-stap-1 was in force on 2015-06-30"),
])
def test_dates_are_iso_and_validated(tmp_path, run_cli, datum: str, fragment: str) -> None:
    path = _met_datum(tmp_path, datum)
    for kader in (KADER, "veilig-thuis-stap-1"):
        code, _, err = run_cli("assess", kader, path)
        assert "internal error" not in err
        if kader == KADER and "versie" in fragment:
            assert code == 0, err  # a deliberate id@versie is not overruled by a date
            continue
        assert code == 1, err
        assert f"{path}:5:" in err and fragment in err, err


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_structured_dates_are_validated_too(tmp_path, run_cli, suffix: str) -> None:
    """The schema checks the form; the day is checked as in a table, at the organisation."""
    path = tmp_path / f"s{suffix}"
    scores = ", ".join(f'"{v}": 1' for v in IDS)
    path.write_text('{"organisaties": [\n'
                    f'  {{"naam": "A", "datum": "2015-09-01", "scores": {{{scores}}}}},\n'
                    f'  {{"naam": "B", "datum": "2015-02-30", "scores": {{{scores}}}}}\n]}}\n',
                    encoding="utf-8")
    _refused(run_cli, path, f"{path}:3", "'2015-02-30' is an invalid date")
    path.write_text(path.read_text(encoding="utf-8").replace("2015-02-30", "2015-9-1"),
                    encoding="utf-8")
    _refused(run_cli, path, f"{path}:3", "2015-9-1")


def test_a_valid_date_picks_the_versie(tmp_path, run_cli, expected) -> None:
    path = _met_datum(tmp_path, "2015-07-01")
    code, out, err = _assess(run_cli, path, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["kader"]["versie"] == "2015"


def test_xlsx_date_cells(tmp_path, run_cli) -> None:
    rows: list[list[Any]] = [[int(c) if c.isdigit() else c for c in r] for r in _rows()]
    rows[0].append("datum")
    for r in rows[1:]:
        r.append(datetime.datetime(2015, 9, 1))
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(rows))
    code, _, err = _assess(run_cli, path)
    assert code == 0, err
    rows[3][-1] = datetime.datetime(2015, 9, 1, 9, 30)
    path.write_bytes(workbook(rows))
    _refused(run_cli, path, f"{path}[Sheet]:4", "time of day")


@pytest.fixture
def cat(tmp_path: Path) -> Catalog:
    """Stap 1 plus a versie '2015b' in force from 2015-10-01."""
    data = yaml.safe_load((ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(
        encoding="utf-8"))
    data["versie"], data["geldig_vanaf"] = "2015b", "2015-10-01"
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "2015b.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                       encoding="utf-8")
    plugin = types.ModuleType("stap1_2015b_plugin")
    plugin.register_kaders = hookimpl(lambda register: register(folder))  # type: ignore[attr-defined]
    return Catalog(manager.build_registry((plugin,), entry_points=False))


def test_versies_are_chosen_by_date_not_by_text(cat) -> None:
    """As text, '2015-9-1' sorts after '2015-10-01' and picked the later versie."""
    assert cat.in_force("veilig-thuis-stap-1", "2015-09-01").versie == "2015"
    assert cat.in_force("veilig-thuis-stap-1", datetime.date(2015, 10, 1)).versie == "2015b"
    for datum in ("2015-9-1", "garbage", "2015-02-30", ""):
        with pytest.raises(UsageError, match="not a valid date"):
            cat.in_force("veilig-thuis-stap-1", datum)


def test_reader_errors_are_invoer_errors(tmp_path) -> None:
    """The reader API raises InvoerError for each class, as the CLI reports it."""
    path = _met_datum(tmp_path, "2015-02-30")
    with pytest.raises(InvoerError):
        catalog().reg.readers[".csv"].read(path, catalog().get(KADER), Opties())


# -- what a column or key means: one meaning per column, and only where it is used ------------

STAP2 = "veilig-thuis-stap-2"


def _assess_kader(run_cli: Any, kader: str, path: Path, *args: str) -> tuple[int, str]:
    before = path.read_bytes()
    code, _, err = run_cli("assess", kader, path, "--format", "json", *args)
    assert "internal error" not in err and "Traceback" not in err, err
    assert path.read_bytes() == before
    return code, err


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("naam", ["oordeel", "datum", "onderbouwing", "kader"])
def test_a_feit_named_like_a_reserved_column_is_an_unknown_feit(tmp_path, run_cli, suffix: str,
                                                                naam: str) -> None:
    """feiten: {oordeel: onvoldoende} is not the organisation's oordeel: located, exit 1."""
    data = {"organisaties": [{"naam": "A", "feiten": {"wachtlijst": False}},
                             {"naam": "B", "feiten": {naam: "onvoldoende"}}]}
    path = tmp_path / f"b{suffix}"
    path.write_text(json.dumps(data, indent=1) if suffix == ".json" else yaml.safe_dump(data),
                    encoding="utf-8")
    code, err = _assess_kader(run_cli, STAP2, path, "--allow-missing")
    assert code == 1, err
    lines = path.read_text(encoding="utf-8").splitlines()
    # YAML locates the key; JSON a problem inside an organisation where that organisation starts
    line = (next(i for i, t in enumerate(lines, 1) if naam in t) if suffix == ".yaml" else
            next(i for i, t in enumerate(lines, 1) if '"B"' in t) - 1)
    assert re.search(rf"^{re.escape(str(path))}:{line}:\d+: unknown feit '{naam}'", err,
                     re.MULTILINE), err


def test_a_score_key_that_is_no_verwachting_is_refused_at_its_line(tmp_path, run_cli) -> None:
    """scores: {"9.9": 1} is located at its key, not only named in a made-up header."""
    path = tmp_path / "b.yaml"
    path.write_text('organisaties:\n  - naam: A\n    scores:\n      "1.1.1": 1\n'
                    '      "9.9": 1\n', encoding="utf-8")
    code, err = _assess_kader(run_cli, STAP2, path, "--allow-missing")
    assert code == 1, err
    assert f"{path}:5:7: unknown verwachting '9.9'" in err, err


@pytest.mark.parametrize(("kolom", "fragment"), [
    ("oordeel 1.1", "criterium 1.1 has a 'aantal' beslisregel"),
    ("onderbouwing 1.1", "criterium 1.1 has a 'aantal' beslisregel"),
    ("oordeel", "the organisation has no beslisregel in this kader"),
])
def test_an_oordeel_column_that_would_be_ignored_is_refused(tmp_path, run_cli, kolom: str,
                                                            fragment: str) -> None:
    """A handmatig oordeel for a count-rule criterium (or an organisation without a rule) would
    be dropped silently: refused at the header, naming the column."""
    rows = _rows()
    rows[0].append(kolom)
    for r in rows[1:]:
        r.append("onvoldoende")
    path = tmp_path / "s.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    err = _refused(run_cli, path, f"{path}:1", f"column '{kolom}': {fragment}")
    assert "remove the column" in err


def test_an_oordeel_for_a_count_rule_in_a_structured_file_is_refused(tmp_path, run_cli) -> None:
    path = tmp_path / "s.yaml"
    scores = "".join(f'      "{v}": 1\n' for v in IDS)
    path.write_text(f"organisaties:\n  - naam: A\n    scores:\n{scores}    oordelen:\n"
                    '      "1.1": onvoldoende\n', encoding="utf-8")
    line = 5 + len(IDS)
    _refused(run_cli, path, f"{path}:{line}", "oordeel for '1.1': criterium 1.1 has a 'aantal'")


@pytest.mark.parametrize("kolommen", [
    ["oordeel", "oordeel organisatie", "Oordeel:organisatie"],
    ["oordeel 1.1", "oordeel_1.1"],
    ["wachtlijst", "Wachtlijst"],
    ["onderbouwing  1.1", "onderbouwing:1.1"],
])
def test_two_columns_that_mean_the_same_are_refused(tmp_path, run_cli,
                                                    kolommen: list[str]) -> None:
    """The duplicate check compares what a column means, not how its header is written."""
    path = tmp_path / "s.csv"
    path.write_text(_csv_text([["organisatie", *kolommen], ["A", *["x"] * len(kolommen)]]),
                    encoding="utf-8")
    code, err = _assess_kader(run_cli, STAP2, path, "--allow-missing")
    assert code == 1, err
    assert re.search(rf"^{re.escape(str(path))}:1: column 3: column '{re.escape(kolommen[1])}' "
                     r"(means the same as|appears twice)", err, re.MULTILINE), err


@pytest.mark.parametrize("teken", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad",
                                   "\U000e0041"])
@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_an_invisible_character_in_a_name_is_refused(tmp_path, run_cli, teken: str,
                                                     suffix: str) -> None:
    """'Amsterdam-Amstelland' with a zero-width space inside would be a second organisation."""
    rows = _rows()
    rows[3][0] = rows[2][0][:4] + teken + rows[2][0][4:]
    path = tmp_path / f"s{suffix}"
    if suffix == ".csv":
        path.write_text(_csv_text(rows), encoding="utf-8")
        where = f"{path}:4"
    elif suffix == ".xlsx":
        path.write_bytes(workbook(rows))
        where = f"{path}[Sheet]:4"
    else:
        orgs = [{"naam": r[0], "scores": dict(zip(rows[0][1:], r[1:], strict=True))}
                for r in rows[1:]]
        path.write_text(json.dumps({"organisaties": orgs}, indent=1), encoding="utf-8")
        lines = path.read_text(encoding="utf-8").splitlines()
        naam_regel = next(i for i, t in enumerate(lines, 1) if "\\u" in t or teken in t)
        where = f"{path}:{naam_regel - 1}"
    _refused(run_cli, path, where, f"U+{ord(teken):04X}")


def test_the_list_of_invisible_characters_is_unicodes_format_characters() -> None:
    """Every character Python's Unicode database calls a format character (Cf) is refused in a
    name: as invisible, or (a bidi control) as dangerous everywhere."""
    import sys
    import unicodedata

    from kaderwerk.domain.tekst import GEVAARLIJK, ONZICHTBAAR

    missing = [f"U+{c:04X}" for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) == "Cf"
               and not (ONZICHTBAAR.match(chr(c)) or GEVAARLIJK.match(chr(c)))]
    assert not missing
    assert not ONZICHTBAAR.search("Amsterdam-Amstelland \u00e9\u00e8 \u00a0 \U0001f600")


@pytest.mark.parametrize(("naam", "soort"), [(datetime.datetime(2015, 1, 1), "a date"),
                                             (1.5, "a number"), (True, "true/false")])
def test_xlsx_name_that_is_no_text_is_refused(tmp_path, run_cli, naam: Any, soort: str) -> None:
    """A date cell would become the name '2015-01-01 00:00:00'; YAML/JSON refuse it too."""
    rows: list[list[Any]] = [[int(c) if c.isdigit() else c for c in r] for r in _rows()]
    rows[4][0] = naam
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(rows))
    _refused(run_cli, path, f"{path}[Sheet]:5", f"cell A5: the organisation name is {soort}")


def test_xlsx_whole_number_name_reads_as_csv_text_does(tmp_path, run_cli) -> None:
    rows: list[list[Any]] = [[int(c) if c.isdigit() else c for c in r] for r in _rows()]
    rows[4][0] = 1234
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook(rows))
    assert "1234" in [naam for naam, _ in _organisaties(run_cli, path)]


def test_xlsx_hidden_first_sheet_is_refused(tmp_path, run_cli) -> None:
    """The first sheet is read; when it is hidden, the user would not know which it was."""
    wb = openpyxl.Workbook()
    for r in _rows():
        wb.active.append([int(c) if c.isdigit() else c for c in r])
    wb.active.sheet_state = "hidden"
    wb.create_sheet("Zichtbaar").append(["organisatie"])
    wb.save(tmp_path / "s.xlsx")
    _refused(run_cli, tmp_path / "s.xlsx", f"{tmp_path / 's.xlsx'}[Sheet]",
             "the first sheet, 'Sheet', is hidden")


def test_a_kader_named_by_path_uses_the_datasets_beside_it(tmp_path, run_cli) -> None:
    """`assess vf/2015.yaml 2015` reads vf/datasets/, not the installed kader's dataset."""
    import shutil

    shutil.copytree(ROOT / "kaders" / "veilig-thuis-stap-1", tmp_path / "vf")
    rows = _rows()
    rows[1][1:] = ["3"] * (len(rows[1]) - 1)
    scores = tmp_path / "vf" / "datasets" / "2015-scores.csv"
    scores.write_text(_csv_text(rows), encoding="utf-8")
    code, out, err = run_cli("assess", tmp_path / "vf" / "2015.yaml", "2015", "--format", "json")
    assert code == 0, err
    code, out_installed, err = run_cli("assess", KADER, "2015", "--format", "json")
    assert code == 0, err
    eigen, geinstalleerd = dict(_oordelen(json.loads(out))), dict(_oordelen(
        json.loads(out_installed)))
    assert eigen[rows[1][0]] != geinstalleerd[rows[1][0]]
    assert str(scores) in out


# -- organisations per run: checked while reading, so no report outgrows memory ---------------

def test_a_csv_over_the_organisation_limit_is_refused_while_reading(tmp_path, run_cli) -> None:
    """Organisation 100,001 is refused at its row, before any assessment or report."""
    from kaderwerk.domain.beoordeling import MAX_ORGANISATIES

    rows = _rows()
    body = [",".join(r[1:]) for r in rows[1:]]
    lines = [",".join(rows[0])] + [f"org{i},{body[i % len(body)]}"
                                   for i in range(MAX_ORGANISATIES + 5)]
    path = tmp_path / "s.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _refused(run_cli, path, f"{path}:{MAX_ORGANISATIES + 2}",
                   f"organisation number {MAX_ORGANISATIES + 1:,} starts at row "
                   f"{MAX_ORGANISATIES + 2}")
    assert "split the file" in err


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".xlsx"])
def test_every_reader_applies_the_organisation_limit(tmp_path, run_cli, monkeypatch,
                                                     suffix: str) -> None:
    """The same limit, lowered here to 3, in every reader: refused at organisation 4's place."""
    from kaderwerk.domain import beoordeling

    monkeypatch.setattr(beoordeling, "MAX_ORGANISATIES", 3)
    rows = _rows()[:6]
    path = tmp_path / f"s{suffix}"
    if suffix == ".xlsx":
        path.write_bytes(workbook([[int(c) if c.isdigit() else c for c in r] for r in rows]))
        where = f"{path}[Sheet]:5"
    else:
        orgs = [{"naam": r[0], "scores": dict(zip(rows[0][1:], r[1:], strict=True))}
                for r in rows[1:]]
        data = {"organisaties": orgs}
        path.write_text(json.dumps(data, indent=1) if suffix == ".json" else yaml.safe_dump(data),
                        encoding="utf-8")
        text = path.read_text(encoding="utf-8").splitlines()
        vierde = next(i for i, t in enumerate(text, 1) if rows[4][0] in t)
        where = f"{path}:{vierde - 1 if suffix == '.json' else vierde}"
    _refused(run_cli, path, where, "organisation number 4 starts at")
