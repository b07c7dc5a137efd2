"""Fuzzing what users hand kaderwerk: kader files, score tables, and the CLI run on both.

Issue "Robustness": every input either works or fails with a ``KaderwerkError`` that says where
(the file, and for content errors the line or row), with exit 1 — never a traceback, never
"internal error" (exit 3), never a hang. Real files (the Veilig Thuis stap 1 kader and its 2015
scores) are mutated at the byte level (flips, deletions, insertions of YAML/CSV syntax,
truncation, duplicated, dropped and swapped lines) and at the structure level (keys dropped,
values replaced by wrong types, huge numbers, unicode), then fed to the loader, to every reader
and to the CLI commands. Hypothesis runs 100 derandomized examples per target in CI and 10,000
with ``HYPOTHESIS_PROFILE=deep`` (docs/robustness.md). Deadlines are off in those profiles, so
each call's wall time is measured and asserted instead: a hang fails the test rather than
stalling it forever only if it ends, so the per-call budget is what catches slow inputs.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kaderwerk.domain.beoordeling import Opties
from kaderwerk.domain.errors import KaderwerkError
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.loader import load_kader
from kaderwerk.testing import kader_mappings
from openpyxl.utils.exceptions import IllegalCharacterError

from .conftest import ROOT, workbook

KADER = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
SCORES = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015-scores.csv"
KADER_ID = "veilig-thuis-stap-1@2015"

BUDGET = 2.0  # seconds for one load or read; well above the ~0.05 s one takes, far below a hang
CLI_BUDGET = 5.0  # one CLI command (~0.1 s); more slack for a busy CI machine's pauses

# The profile's example count (ci 100, deep 10,000) is shared out by cost, so the whole module
# stays within ~30 s in CI: loading the 15 KB kader takes ~5-30 ms, and a CLI
# example runs several commands.
EXAMPLES = settings.default.max_examples


def share(fraction: float) -> settings:
    """Settings running ``fraction`` of the profile's examples (at least 10)."""
    return settings(max_examples=max(10, int(EXAMPLES * fraction)), suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


# Whole-file problems carry no line; every other problem in a text file must have one.
WHOLE_FILE = ("cannot read file", "not a regular file", "the file is larger than",
              "the file has more than", "the file is UTF-16")


# -- mutations ------------------------------------------------------------------------------

YAML_BITS = [b"[", b"]", b"{", b"}", b": ", b"- ", b"\n", b"  ", b"'", b'"', b"&a ", b"*a",
             b"!!int ", b"!!bool ", b"!!binary ", b"!!python/object:os.system ", b"!x ",
             b"<<: ", b"? ", b"|", b">-", b"~", b"\t", b"#", b"%YAML 1.1\n", b"---\n", b"...\n",
             b"\x00", b"\x07", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"9" * 40, b"9" * 5000,
             b"1e999", b".nan", b"-.inf", b"0x1F", b"2015-13-45", b"null", b"yes",
             "é😀\u202e\u0301".encode(), b"id: ", b"type: aantal", b"oordeel: matig"]
CSV_BITS = [b",", b";", b"\t", b'"', b'""', b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xc3",
            b"\xef\xbb\xbf", b"=1+1", b"@SUM(A1)", b"NB", b"n.b.", b"voldoende", b"O", b"1.1.1",
            b"oordeel", b"oordeel 1.1", b"onderbouwing", b"datum", b"kader", b"organisatie",
            b"9" * 40, "é😀\u202e".encode()]


@st.composite
def mutated(draw: Any, source: bytes, bits: list[bytes]) -> bytes:
    """``source`` after 1-4 byte- or line-level edits."""
    data = bytearray(source)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "insert_random", "truncate",
                                   "dup_line", "drop_line", "swap_lines"]))
        i = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[i:i + draw(st.integers(1, 64))]
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(bits))
        elif op == "insert_random":
            data[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == "truncate":
            del data[i:]
        else:
            lines = bytes(data).split(b"\n")
            j = draw(st.integers(0, len(lines) - 1))
            if op == "dup_line":
                lines.insert(j, lines[j])
            elif op == "drop_line":
                del lines[j]
            else:
                k = draw(st.integers(0, len(lines) - 1))
                lines[j], lines[k] = lines[k], lines[j]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


WORDS = ["voldoende", "onvoldoende", "matig", "goed", "aantal", "percentage", "handmatig",
         "uniek", "eerste", "1", "1.1", "1.1.1", "9.9.9", "", " ", "boolean", "integer", "tekst"]
WEIRD = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(10**18, 10**60).map(lambda n: -n),
    st.integers(10**18, 10**60), st.floats(), st.text(max_size=20), st.just("x" * 5000),
    st.sampled_from(WORDS), st.lists(st.sampled_from(WORDS) | st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["min", "max", "gelijk", "id", "type", "oordeel", "x"]),
                    st.integers(-5, 200) | st.sampled_from(WORDS), max_size=3),
)
KEYS = ["id", "versie", "titel", "tekst", "bron", "themas", "criteria", "verwachtingen",
        "beslisregel", "type", "regels", "als", "oordeel", "min", "max", "gelijk", "hit",
        "plafonds", "feit", "waarde", "feiten", "beoordeeld", "zonder_beoordeling",
        "oordeelschaal", "organisatie", "basis", "aanpassingen", "weglaten", "extra"]


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@st.composite
def structurally_mutated(draw: Any, mapping: Any) -> Any:
    """``mapping`` with 1-3 values dropped, replaced, added to or duplicated."""
    data = copy.deepcopy(mapping)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for p in path[:-1]:
            parent = parent[p]
        last = path[-1]
        op = draw(st.sampled_from(["drop", "replace", "add_key", "duplicate", "copy_other"]))
        if op == "drop":
            del parent[last]
        elif op == "replace":
            parent[last] = draw(WEIRD)
        elif op == "add_key" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | st.text(max_size=8))] = draw(WEIRD)
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif op == "copy_other":
            other = draw(st.sampled_from(paths))
            source = data
            for p in other:
                source = source[p] if isinstance(source, (dict, list)) else source
            parent[last] = copy.deepcopy(source)
    return data


def _dump(data: Any) -> bytes:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # 7x faster when available
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False).encode("utf-8")


# -- the property ---------------------------------------------------------------------------

def timed(call: Callable[[], Any]) -> tuple[Any, KaderwerkError | None]:
    """Run ``call`` within BUDGET seconds: (result, None) or (None, the KaderwerkError)."""
    start = time.perf_counter()
    try:
        return call(), None
    except KaderwerkError as exc:
        return None, exc
    finally:
        elapsed = time.perf_counter() - start
        assert elapsed < BUDGET, f"took {elapsed:.2f} s"


def assert_located(exc: KaderwerkError, file: str, *, lines: bool = True) -> None:
    """Each problem names ``file``; in a text file, each content problem also has a line."""
    assert exc.exit_code == 1
    problems = exc.problems
    assert problems, f"error without a location: {exc}"
    for p in problems:
        assert p.file is not None and p.file.startswith(file), str(p)
        if lines and not p.message.startswith(WHOLE_FILE):
            assert p.line is not None, str(p)
    assert str(exc).strip()


def assert_cli(code: int, err: str) -> None:
    """A CLI run ended in success or exit 1 (a located error or a failed proof); never exit 3."""
    assert "internal error" not in err, err
    assert code in (0, 1), (code, err)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for this module's generated files (each example overwrites its file)."""
    return tmp_path_factory.mktemp("fuzz")


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def _rules() -> Any:
    return catalog().reg.beslisregels


def _kader() -> Any:
    return catalog().get(KADER_ID)


def _read(path: Path, opties: Opties) -> Any:
    return catalog().reg.readers[path.suffix].read(path, _kader(), opties)


# -- kader files ----------------------------------------------------------------------------

KADER_BYTES = KADER.read_bytes()
KADER_DATA = yaml.safe_load(KADER_BYTES)


@share(0.5)
@given(mutated(KADER_BYTES, YAML_BITS))
def test_loader_survives_byte_mutations(work: Path, content: bytes) -> None:
    """A byte-mutated kader loads, or raises KaderError naming the file and line, in time."""
    path = _write(work, "kader.yaml", content)
    _, exc = timed(lambda: load_kader(path, _rules()))
    if exc is not None:
        assert_located(exc, str(path))


@share(0.5)
@given(structurally_mutated(KADER_DATA))
def test_loader_survives_structural_mutations(work: Path, data: Any) -> None:
    """A kader with wrong types, dropped or extra keys loads or gives located problems."""
    path = _write(work, "kader.yaml", _dump(data))
    _, exc = timed(lambda: load_kader(path, _rules()))
    if exc is not None:
        assert_located(exc, str(path))


@share(1)
@given(kader_mappings().flatmap(structurally_mutated))
def test_loader_survives_mutated_small_kaders(work: Path, data: Any) -> None:
    """Random small kaders (kaderwerk.testing), mutated, load or give located problems."""
    path = _write(work, "klein.yaml", _dump(data))
    _, exc = timed(lambda: load_kader(path, _rules()))
    if exc is not None:
        assert_located(exc, str(path))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
                    st.sampled_from(WORDS))
RANDOM_DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4),
    max_leaves=25)


@given(RANDOM_DATA)
def test_loader_survives_random_yaml_data(work: Path, data: Any) -> None:
    """Any YAML data (random nesting of kader keys and values) loads or gives located problems."""
    path = _write(work, "random.yaml", _dump(data))
    _, exc = timed(lambda: load_kader(path, _rules()))
    if exc is not None:
        assert_located(exc, str(path))


YAML_TEXT = st.lists(st.sampled_from([b.decode("utf-8", "replace") for b in YAML_BITS])
                     | st.text(alphabet="abc19:-[]{},&*!?|>'\"# \n\t", max_size=8),
                     max_size=40).map("".join)


@given(YAML_TEXT)
def test_loader_survives_random_yaml_text(work: Path, text: str) -> None:
    """Any text built of YAML syntax (anchors, tags, flow and block) parses or fails located."""
    path = _write(work, "tekst.yaml", text.encode("utf-8"))
    _, exc = timed(lambda: load_kader(path, _rules()))
    if exc is not None:
        assert_located(exc, str(path))


@share(0.1)
@given(content=st.one_of(mutated(KADER_BYTES, YAML_BITS),
                         structurally_mutated(KADER_DATA).map(_dump)))
def test_cli_commands_on_mutated_kaders(work: Path, run_cli: Any, content: bytes) -> None:
    """validate, show, check and assess on a mutated kader end in exit 0 or 1, never 3."""
    path = _write(work, "cli-kader.yaml", content)
    try:
        load_kader(path, _rules(), base=catalog().base)
        loads = True
    except KaderwerkError:
        loads = False
    for args in (["validate", path], ["show", path], ["check", path],
                 ["assess", path, SCORES, "--format", "json"]):
        start = time.perf_counter()
        code, _, err = run_cli(*args)
        assert time.perf_counter() - start < CLI_BUDGET, args
        assert_cli(code, err)
        if not loads:
            assert code == 1 and str(path) in err, (args, err)
        elif args[0] == "show":
            assert code == 0, err


# -- score tables ---------------------------------------------------------------------------

CSV_BYTES = SCORES.read_bytes()
TABLE = list(csv.reader(io.StringIO(CSV_BYTES.decode("utf-8"))))


def _structured(rows: list[list[str]]) -> dict[str, Any]:
    header = rows[0]
    return {"kader": KADER_ID, "organisaties": [
        {"naam": r[0], "scores": {h: (int(c) if c.isdigit() else c)
                                  for h, c in zip(header[1:], r[1:], strict=False)}}
        for r in rows[1:6]]}


YAML_SCORES = _dump(_structured(TABLE))
JSON_SCORES = json.dumps(_structured(TABLE), ensure_ascii=False, indent=1).encode("utf-8")


XLSX_BYTES = workbook([[int(c) if c.isdigit() else c for c in r] for r in TABLE])


def _rezip(xlsx: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == part else data)
    return out.getvalue()


def _check_reader(path: Path, *, lines: bool = True) -> None:
    # --allow-missing changes how empty cells are read; which one is used varies by file size
    opties = Opties(allow_missing=path.stat().st_size % 2 == 1)
    _, exc = timed(lambda: _read(path, opties))
    if exc is not None:
        assert_located(exc, str(path), lines=lines)


@given(mutated(CSV_BYTES, CSV_BITS))
def test_csv_reader_survives_byte_mutations(work: Path, content: bytes) -> None:
    """A byte-mutated scores CSV reads, or raises InvoerError naming the file and line."""
    _check_reader(_write(work, "scores.csv", content))


@given(mutated(YAML_SCORES, YAML_BITS))
def test_yaml_reader_survives_byte_mutations(work: Path, content: bytes) -> None:
    """Byte-mutated YAML beoordelingen read, or fail naming the file and line."""
    _check_reader(_write(work, "scores.yaml", content))


@given(mutated(JSON_SCORES, YAML_BITS + CSV_BITS))
def test_json_reader_survives_byte_mutations(work: Path, content: bytes) -> None:
    """Byte-mutated JSON beoordelingen read, or fail naming the file and line."""
    _check_reader(_write(work, "scores.json", content))


@given(structurally_mutated(_structured(TABLE)))
def test_yaml_reader_survives_structural_mutations(work: Path, data: Any) -> None:
    """YAML beoordelingen with wrong types or dropped keys read or give located problems."""
    _check_reader(_write(work, "scores-s.yaml", _dump(data)))


@given(structurally_mutated(_structured(TABLE)))
def test_json_reader_survives_structural_mutations(work: Path, data: Any) -> None:
    """JSON beoordelingen (the C-scanner path) with wrong types or dropped keys: the same."""
    text = json.dumps(data, ensure_ascii=False, default=str, indent=1)
    _check_reader(_write(work, "scores-s.json", text.encode("utf-8")))


CELL = st.one_of(st.none(), st.integers(-10, 10), st.integers(10**15, 10**20), st.floats(),
                 st.booleans(), st.text(max_size=12), st.sampled_from(
                     ["=1+1", "=A1", "NB", "v", "O", "1", "3", "nee", "#DIV/0!", "x" * 300]))


@st.composite
def table_with_weird_cells(draw: Any) -> list[list[Any]]:
    rows = [[int(c) if c.isdigit() else c for c in r] for r in TABLE[:8]]
    for _ in range(draw(st.integers(1, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) + 1))
        value = draw(CELL)
        if c < len(rows[r]):
            rows[r][c] = value
        else:
            rows[r].append(value)
    return rows


@share(1)
@given(table_with_weird_cells())
def test_xlsx_reader_survives_weird_cells(work: Path, rows: list[list[Any]]) -> None:
    """Workbooks with formulas, floats, dates and text in any cell read or fail located."""
    try:
        content = workbook(rows)
    except IllegalCharacterError:  # openpyxl will not write control characters
        return
    _check_reader(_write(work, "cells.xlsx", content))


@given(mutated(XLSX_BYTES, CSV_BITS))
def test_xlsx_reader_survives_byte_mutations(work: Path, content: bytes) -> None:
    """A byte-mutated .xlsx (a damaged zip) reads or fails naming the file."""
    _check_reader(_write(work, "bytes.xlsx", content), lines=False)


@share(1)
@given(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml",
                        "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]),
       st.data())
def test_xlsx_reader_survives_damaged_xml_parts(work: Path, part: str, data: Any) -> None:
    """A workbook whose XML parts are byte-mutated reads or fails naming the file."""
    with zipfile.ZipFile(io.BytesIO(XLSX_BYTES)) as z:
        original = z.read(part)
    damaged = data.draw(mutated(original, [b"<", b">", b"</c>", b'<c r="XFD1048576">',
                                           b'<row r="99999999">', b' t="s"', b' t="d"',
                                           b' t="n"', b"<f>1+1</f>", b"<v>abc</v>", b"&a;",
                                           b"<!DOCTYPE x>", b"\xff", b"\x00"]))
    _check_reader(_write(work, "xml.xlsx", _rezip(XLSX_BYTES, part, lambda _: damaged)),
                  lines=False)


@share(0.15)
@given(st.sampled_from(["csv", "yaml", "json", "xlsx"]), st.data())
def test_cli_assess_on_mutated_scores(work: Path, run_cli: Any, suffix: str, data: Any) -> None:
    """assess with any mutated scores file exits 0 or 1 and names the file, never exit 3."""
    source, bits = {"csv": (CSV_BYTES, CSV_BITS), "yaml": (YAML_SCORES, YAML_BITS),
                    "json": (JSON_SCORES, YAML_BITS), "xlsx": (XLSX_BYTES, CSV_BITS)}[suffix]
    path = _write(work, f"cli-scores.{suffix}", data.draw(mutated(source, bits)))
    for extra in ([], ["--allow-missing", "--format", "csv"]):
        start = time.perf_counter()
        code, _, err = run_cli("assess", KADER_ID, path, *extra)
        assert time.perf_counter() - start < CLI_BUDGET
        assert_cli(code, err)
        if code == 1:
            assert str(path) in err, err
