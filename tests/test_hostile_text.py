"""Hostile text: control characters are refused where they are read and harmless where shown.

One class per test, run through the CLI: a control character, bidi override or lone surrogate
written raw or as an escape (YAML ``"\\e"``, ``"\\x01"``, ``"\\0"``, JSON ``\\u001b``) in a kader,
a beoordelingen file (JSON, YAML, CSV, xlsx) is refused with exit 1 and ``FILE:LINE(:COL)``;
what a reader that does not check lets through (simulated by switching the check off) reaches
no output format raw. Every input is byte-identical afterwards. Also here: the bounds on
``diff`` of long texts and on the organisations an HTML report lists.
"""

from __future__ import annotations

import difflib
import json
import re
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.commands import worddiff
from kaderwerk.domain import tekst
from kaderwerk.domain.errors import KaderError
from kaderwerk.plugins import format_html, format_xlsx, reader_csv
from kaderwerk.sources import jsonsource, yamlsource
from kaderwerk.sources.catalog import catalog

from .conftest import ROOT

KADER = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
SCORES = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015-scores.csv"
TITEL = "titel: Toetsingskader Veilig Thuis Stap 1"
PWNED = "\x1b]0;pwned\x07\x1b[2J"  # sets a terminal's title, then clears its screen

# (name, the character) of each class refused
GEVAARLIJK = [("esc", "\x1b"), ("soh", "\x01"), ("nul", "\x00"), ("del", "\x7f"),
              ("csi-c1", "\x9b"), ("bidi-override", "\u202e"), ("bidi-isolate", "\u2066"),
              ("line-separator", "\u2028"), ("lone-surrogate", "\ud800")]
# A raw byte sequence of any of these in output (lone surrogates cannot even be encoded).
RAUW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                  "\ud800-\udfff]")
LOCATED = re.compile(r"^(\S+?):(\d+)(?::(\d+))?: ", re.MULTILINE)


def refused(run_cli, *args, file: Path, line: int, column: int | None = None) -> str:
    """Exit 1, no traceback, the first problem at ``file:line(:column)``, no raw character."""
    before = file.read_bytes()
    code, out, err = run_cli(*args)
    assert code == 1, (out, err)
    assert "internal error" not in err and "Traceback" not in err
    m = LOCATED.search(err)
    # a workbook's location names its sheet: FILE[Sheet]:ROW
    assert m and re.fullmatch(re.escape(str(file)) + r"(\[[^]]*\])?", m.group(1)), err
    assert int(m.group(2)) == line, err
    if column is not None:
        assert m.group(3) and int(m.group(3)) == column, err
    assert "U+" in err, err  # the character is named by its code point
    assert not RAUW.search(out + err)
    assert file.read_bytes() == before
    return err


def _json_escape(teken: str) -> str:
    return f"\\u{ord(teken):04x}"


# -- refused where read ------------------------------------------------------------------------

@pytest.mark.parametrize(("naam", "teken"), GEVAARLIJK, ids=[n for n, _ in GEVAARLIJK])
def test_json_escape_in_a_name_is_refused_at_the_escape(run_cli, tmp_path, naam, teken) -> None:
    path = tmp_path / "scores.json"
    path.write_text('{"kader": "veilig-thuis-stap-1",\n "organisaties": [\n'
                    f'  {{"naam": "Org {_json_escape(teken)} x", "scores": {{}}}}]}}\n')
    refused(run_cli, "assess", "veilig-thuis-stap-1", path, "--allow-missing", file=path,
            line=3, column=17)


def test_json_escapes_of_every_kind_are_all_refused(run_cli, tmp_path) -> None:
    """``\\b``, ``\\f``, upper-case hex, and a fact value and key hold controls too."""
    path = tmp_path / "scores.json"
    path.write_text('{"kader": "veilig-thuis-stap-1", "organisaties": [{"naam": "a\\b", '
                    '"scores": {}, "feiten": {"wachtlijst": "\\f", "x\\u001B": 1}}]}')
    err = refused(run_cli, "assess", "veilig-thuis-stap-1", path, "--allow-missing", file=path,
                  line=1, column=62)
    assert len(LOCATED.findall(err)) == 3, err


def test_json_that_only_looks_like_an_escape_is_accepted(run_cli, tmp_path) -> None:
    """An escaped backslash before ``u001b``, a surrogate pair (an emoji) and ``\\t`` are text."""
    path = tmp_path / "scores.json"
    scores = ", ".join(f'"{v.id}": 1' for v in catalog().get("veilig-thuis-stap-1").verwachtingen
                       if v.beoordeeld)
    path.write_text('{"kader": "veilig-thuis-stap-1", "organisaties": [{"naam": '
                    '"Org \\\\u001b \\ud83d\\ude00 \\t end", "scores": {' + scores + '}}]}')
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", path, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["organisaties"][0]["naam"] == "Org \\u001b \U0001f600 \t end"


@pytest.mark.parametrize("escape", ["\\e", "\\x01", "\\0", "\\u202e", "\\N", "\\x9b", "\\L"])
def test_yaml_escape_in_a_name_is_refused_at_the_value(run_cli, tmp_path, escape) -> None:
    path = tmp_path / "scores.yaml"
    path.write_text("kader: veilig-thuis-stap-1\norganisaties:\n"
                    f'  - naam: "Org {escape}[2J"\n    scores: {{}}\n')
    refused(run_cli, "assess", "veilig-thuis-stap-1", path, "--allow-missing", file=path,
            line=3, column=11)


def test_yaml_escape_in_a_fact_and_a_key_is_refused(run_cli, tmp_path) -> None:
    path = tmp_path / "scores.yaml"
    path.write_text("kader: veilig-thuis-stap-1\norganisaties:\n  - naam: Org\n"
                    '    feiten: {wachtlijst: "ja\\e[31m", "k\\a": 1}\n')
    err = refused(run_cli, "assess", "veilig-thuis-stap-1", path, "--allow-missing", file=path,
                  line=4)
    assert len(LOCATED.findall(err)) == 2, err


def test_raw_bidi_override_in_yaml_is_refused_at_its_column(run_cli, tmp_path) -> None:
    """Trojan Source: a raw U+202E, even in a comment, is located exactly."""
    path = tmp_path / "k.yaml"
    path.write_text(KADER.read_text(encoding="utf-8").replace(
        TITEL, TITEL + "  # \u202egeheim", 1), encoding="utf-8")
    refused(run_cli, "validate", path, file=path, line=4, column=len(TITEL) + 5)


@pytest.mark.parametrize("escape", ["\\e]0;pwned\\a\\e[2J", "\\x01", "\\0", "\\u2066"])
def test_kader_titel_with_an_escape_is_refused_by_validate(run_cli, tmp_path, escape) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(KADER.read_text(encoding="utf-8").replace(
        TITEL, f'titel: "Kader {escape}"', 1), encoding="utf-8")
    refused(run_cli, "validate", path, file=path, line=4, column=8)
    refused(run_cli, "assess", path, SCORES, file=path, line=4, column=8)


def test_dataset_manifest_with_an_escape_is_refused(run_cli, tmp_path) -> None:
    src = KADER.parent / "datasets" / "2015.yaml"
    lines = src.read_text(encoding="utf-8").splitlines()
    i = next(i for i, regel in enumerate(lines) if regel.startswith("titel:"))
    lines[i] = 'titel: "Dataset \\e[2J"'
    path = tmp_path / "2015.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli("validate", path)
    assert code == 1 and "internal error" not in err
    assert f"{path}:{i + 1}:" in err and not RAUW.search(err)


def test_voorbeelden_with_an_escape_are_refused_by_test(run_cli, tmp_path) -> None:
    src = KADER.parent / "voorbeelden" / "2015.yaml"
    tekst_ = src.read_text(encoding="utf-8")
    oud = "  - naam: Randvoorwaarden, alle verwachtingen voldoende\n"
    assert oud in tekst_
    regel = tekst_[:tekst_.index(oud)].count("\n") + 1
    path = tmp_path / "voorbeelden.yaml"
    path.write_text(tekst_.replace(oud, '  - naam: "Randvoorwaarden \\e[2J"\n', 1),
                    encoding="utf-8")
    before = path.read_bytes()
    code, out, err = run_cli("test", path)
    assert code == 1 and "internal error" not in out + err
    assert f"{path}:{regel}:" in out + err and not RAUW.search(out + err)
    assert path.read_bytes() == before


@pytest.mark.parametrize(("naam", "teken"), [g for g in GEVAARLIJK if g[0] != "lone-surrogate"],
                         ids=[n for n, _ in GEVAARLIJK if n != "lone-surrogate"])
def test_raw_character_in_a_csv_name_is_refused_at_its_column(run_cli, tmp_path, naam,
                                                             teken) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes(f"organisatie,1.1.1\nAmsterdam,1\nOrg {teken},1\n".encode())
    if naam == "nul":  # refused earlier, as not a text file, at the same line
        code, _, err = run_cli("assess", "veilig-thuis-stap-1", path, "--allow-missing")
        assert code == 1 and f"{path}:3" in err and "internal error" not in err
        return
    refused(run_cli, "assess", "veilig-thuis-stap-1", path, "--allow-missing", file=path,
            line=3, column=5)


@pytest.mark.parametrize("teken", ["\u202e", "\x9b", "\u2066"])
def test_xlsx_cell_with_a_control_character_is_refused_naming_the_cell(run_cli, tmp_path,
                                                                       teken) -> None:
    """openpyxl cannot even write C0 characters; C1 and bidi ones it stores as they are."""
    path = tmp_path / "scores.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["organisatie", "1.1.1"])
    wb.active.append(["Amsterdam", 1])
    wb.active.append([f"Org {teken}", 1])
    wb.save(path)
    err = refused(run_cli, "assess", "veilig-thuis-stap-1", path, "--allow-missing",
                  file=path, line=3)
    assert "cell A3" in err


# -- harmless where shown ----------------------------------------------------------------------

NAMEN = [PWNED, "Org\u202eevil", "half\ud800", "c1\x9b31m", "[/]markup [red]x[/red]",
         "=HYPERLINK(\"http://e\")", "nul\x00 bel\x07 cr\rx"]


@pytest.fixture
def ongecontroleerd(monkeypatch, tmp_path) -> Path:
    """A JSON beoordelingen file of hostile names read as a reader that does not check would."""
    monkeypatch.setattr(jsonsource, "weiger_json", lambda text, file: None)
    ids = [v.id for v in catalog().get("veilig-thuis-stap-1@2015").verwachtingen if v.beoordeeld]
    path = tmp_path / "scores.json"
    path.write_text(json.dumps({"kader": "veilig-thuis-stap-1", "organisaties": [
        {"naam": n, "scores": dict.fromkeys(ids, 3 if i % 2 else 1)}
        for i, n in enumerate(NAMEN)]}))
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown", "html", "xlsx"])
def test_no_output_format_carries_a_control_character(run_cli, tmp_path, ongecontroleerd,
                                                      fmt) -> None:
    before = ongecontroleerd.read_bytes()
    args = ["assess", "veilig-thuis-stap-1", ongecontroleerd, "--allow-missing"]
    uit = tmp_path / "uit"
    code, out, err = run_cli(*args, *([] if fmt == "text" else ["--format", fmt, "-o", uit]))
    assert code == 0, err
    assert "internal error" not in err and not RAUW.search(out + err)
    assert ongecontroleerd.read_bytes() == before
    if fmt == "text":
        assert "\\u001b]0;pwned\\u0007" in out  # visible, not acted on
        assert "[/]markup [red]x[/red]" in out  # shown, not taken as markup
        return
    # html also writes the interactive kader page beside the report
    bestand, *naast = sorted(uit.iterdir(), key=lambda p: "-interactief." in p.name)
    assert [p.name for p in naast] == (["veilig-thuis-stap-1-2015-interactief.html"]
                                       if fmt == "html" else [])
    for p in naast:
        assert not RAUW.search(p.read_text(encoding="utf-8"))
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(bestand, read_only=True)
        cellen = [str(c) for ws in wb.worksheets for rij in ws.iter_rows(values_only=True)
                  for c in rij if c is not None]
        wb.close()
        assert not any(RAUW.search(c) for c in cellen)
        assert "'=HYPERLINK(\"http://e\")" in cellen  # no formula either
        return
    data = bestand.read_bytes().decode("utf-8")
    assert not RAUW.search(data)
    if fmt == "json":  # lossless: the escapes decode to the names as read
        assert {o["naam"] for o in json.loads(data)["organisaties"]} == set(NAMEN)
    if fmt == "csv":
        assert "'=HYPERLINK" in data


def test_a_kader_that_skipped_validation_shows_harmlessly(run_cli, tmp_path,
                                                          monkeypatch) -> None:
    """A kader a plugin registers without validation: ``show`` and every format stay clean."""
    monkeypatch.setattr(yamlsource, "weiger_yaml", lambda text, doc: None)
    path = tmp_path / "k.yaml"
    path.write_text(KADER.read_text(encoding="utf-8").replace(
        TITEL, 'titel: "Kader \\e]0;pwned\\a\\e[2J [/] \\x9b \\u202e"', 1), encoding="utf-8")
    code, out, err = run_cli("show", path)
    assert code == 0, err
    assert not RAUW.search(out + err) and "[/]" in out
    for fmt in ("json", "csv", "markdown", "html", "xlsx"):
        code, _, err = run_cli("assess", path, SCORES, "--format", fmt, "-o", tmp_path / fmt)
        assert code == 0, (fmt, err)
        assert "internal error" not in err
    for fmt in ("json", "csv", "markdown", "html"):
        for bestand in (tmp_path / fmt).iterdir():  # html: the interactive page too
            assert not RAUW.search(bestand.read_bytes().decode("utf-8")), fmt
    for fmt in ("markdown", "html"):
        doel = tmp_path / f"kader.{fmt}"
        code, _, err = run_cli("render", path, "--format", fmt, "-o", doel)
        assert code == 0, err
        assert not RAUW.search(doel.read_text(encoding="utf-8")), fmt


def test_diff_with_beoordelingen_shows_hostile_names_harmlessly(run_cli, ongecontroleerd,
                                                                tmp_path) -> None:
    nieuw = tmp_path / "nieuw.yaml"
    nieuw.write_text(KADER.read_text(encoding="utf-8").replace(
        'versie: "2015"', 'versie: "2099"', 1).replace(
        "- oordeel: onvoldoende\n          tekst: onvoldoende als 3",
        "- oordeel: matig\n          tekst: onvoldoende als 3", 1), encoding="utf-8")
    for fmt in ("text", "json", "markdown"):
        code, out, err = run_cli("diff", "veilig-thuis-stap-1@2015", nieuw, "--beoordelingen",
                                 ongecontroleerd, "--format", fmt)
        assert code == 0, err
        assert "internal error" not in err and not RAUW.search(out + err)
        assert "Org\\u202eevil" in out  # the names are in the impact, made visible


def test_an_error_message_never_prints_the_character_it_refuses(run_cli, tmp_path) -> None:
    """A duplicate key quoting the key it found, the key being an escape sequence."""
    path = tmp_path / "scores.yaml"
    path.write_text('kader: veilig-thuis-stap-1\n"\\e[2J": 1\n"\\e[2J": 2\n')
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", path)
    assert code == 1 and "internal error" not in err
    assert not RAUW.search(err) and f"{path}:3:" in err


@pytest.mark.parametrize("rapport", ["junit", "sarif", "github"])
def test_ci_reports_never_carry_the_character_they_report(run_cli, tmp_path, rapport) -> None:
    """A duplicate key made of an escape: junit must stay XML, github annotations inert."""
    path = tmp_path / "k.yaml"
    path.write_text('id: x\n"\\e[2J": 1\n"\\e[2J": 2\n')
    doel = tmp_path / f"rapport.{rapport}"
    code, out, err = run_cli("validate", path, "--report", rapport, "--report-file", doel)
    assert code == 1 and "internal error" not in out + err
    data = doel.read_text(encoding="utf-8")
    assert "duplicate key" in data and not RAUW.search(data)
    if rapport == "junit":
        import xml.etree.ElementTree as ET

        ET.fromstring(data.encode("utf-8"))
    if rapport == "sarif":
        json.loads(data)
    assert "u001b[2J" in data  # shown, as the escape


@given(st.text(max_size=30))
def test_zichtbaar_leaves_nothing_dangerous_and_changes_only_what_it_must(s) -> None:
    uit = tekst.zichtbaar(s)
    assert not tekst.GEVAARLIJK.search(uit)
    if not tekst.GEVAARLIJK.search(s):
        assert uit == s
    assert json.loads('"' + tekst.zichtbaar(json.dumps(s, ensure_ascii=False)[1:-1]) + '"') == s


@given(st.text(alphabet=st.sampled_from("ab\\\x1b\t\n\b\x9b\u202e\ud800\udc00\U0001f600"),
               max_size=12), st.booleans())
def test_json_check_refuses_exactly_the_dangerous_strings(s, ascii_escapes) -> None:
    """However json writes a string, the text check agrees with the check of the value."""
    text = json.dumps({"naam": s}, ensure_ascii=ascii_escapes)
    if not ascii_escapes and re.search("[\ud800-\udfff]", s):
        return  # not writable as UTF-8 text at all
    gevaarlijk = tekst.GEVAARLIJK.search(json.loads(text)["naam"]) is not None  # as read
    try:
        tekst.weiger_json(text, "x.json")
        refused = False
    except KaderError:
        refused = True
    assert refused == gevaarlijk


# -- bounded: diff of long texts, organisations in an HTML report -------------------------------

woorden = st.lists(st.sampled_from("abcde"), max_size=60)


def _script_klopt(a: list[str], b: list[str], ops: list[tuple[str, int, int, int, int]]) -> None:
    i = j = 0
    gebouwd: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        gebouwd += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b)) and gebouwd == b


@given(woorden, woorden)
def test_word_diff_is_difflib_for_short_texts(a, b) -> None:
    expected = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert worddiff._opcodes(a, b) == expected


@given(woorden, woorden, st.lists(st.integers(0, 200), max_size=8))
def test_word_diff_past_the_limit_is_a_correct_edit_script(a, b, uniek) -> None:
    """With the exact limit lowered to 4 word pairs every cutting path runs on small input."""
    for k in uniek:  # words unique in both give the cuts something to hold on to
        a.insert(k % (len(a) + 1), f"u{k}")
        b.insert(k % (len(b) + 1), f"u{k}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(worddiff, "MAX_PAREN", 4)
        _script_klopt(a, b, worddiff._opcodes(a, b))


def test_diff_of_40000_word_texts_ends(run_cli, tmp_path) -> None:
    """Was quadratic (past 60 s); now well under a second. The bound is only a hang-bound."""
    oud = tmp_path / "oud.yaml"
    nieuw = tmp_path / "nieuw.yaml"
    origineel = ("tekst: Veilig Thuis toont aan dat zij voldoet aan de wettelijke eis om 24/7 "
                 "bereikbaar en beschikbaar te zijn.")
    bron = KADER.read_text(encoding="utf-8")
    assert origineel in bron
    lang = " ".join(["a"] * 40_000)
    oud.write_text(bron.replace(origineel, f'tekst: "{lang}"', 1), encoding="utf-8")
    nieuw.write_text(bron.replace(origineel, f'tekst: "{" ".join(["a", "b"] * 20_000)}"', 1)
                     .replace('versie: "2015"', 'versie: "2099"', 1), encoding="utf-8")
    start = time.perf_counter()
    code, out, err = run_cli("diff", oud, nieuw)
    assert time.perf_counter() - start < 30
    assert code == 0, err
    assert "verwachting 1.1.1 tekst" in out and "{+" in out


def test_html_lists_at_most_max_organisaties_and_says_so(run_cli, tmp_path,
                                                         monkeypatch) -> None:
    monkeypatch.setattr(format_html, "MAX_GETOOND", 5)
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "html",
                           "-o", tmp_path)
    assert code == 0, err
    html = (tmp_path / "veilig-thuis-stap-1-2015.html").read_text(encoding="utf-8")
    assert html.count('<section class="org" ') == 5
    # chart, sections and the search's answer; in Dutch, numbers as in the rest of the report
    assert html.count("Alleen de eerste 5 van 26 organisaties") == 3
    assert "Only" not in html and "de andere 21 " in html
    assert "Oordelen van 26 organisaties per criterium" in html  # the beeld counts them all


def test_xlsx_over_its_organisation_limit_is_refused_before_writing(run_cli, tmp_path,
                                                                   monkeypatch) -> None:
    monkeypatch.setattr(format_xlsx, "MAX_ORGANISATIES_XLSX", 25)
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "xlsx",
                           "-o", tmp_path)
    assert code == 2 and "internal error" not in err
    assert "26 organisaties" in err and "--format csv" in err
    assert not list(tmp_path.iterdir())
    monkeypatch.setattr(format_xlsx, "MAX_ORGANISATIES_XLSX", 26)
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "xlsx",
                           "-o", tmp_path)
    assert code == 0, err


def test_csv_reader_check_is_the_shared_one() -> None:
    """The readers call the one check in ``kaderwerk.domain.tekst`` (so one list of characters)."""
    assert reader_csv.weiger_tekst is tekst.weiger_tekst
