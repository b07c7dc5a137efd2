"""``assess`` on the real 2015 data: readers agree, the ranking and deviations are right."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from kaderwerk.api import ontvouw
from kaderwerk.commands.assess import uitkomst_van
from kaderwerk.plugins.format_json import write_json
from kaderwerk.sources import schema as schema_mod
from kaderwerk.sources.yamlsource import Document

from .conftest import ROOT

DATASET = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets"
SCORES = DATASET / "2015-scores.csv"


@pytest.fixture(scope="module")
def uitkomst():
    return uitkomst_van("veilig-thuis-stap-1", "2015")[1]


def _oordelen(u) -> dict[str, dict[str, str]]:
    return {o["naam"]: {c: v["oordeel"] for c, v in o["criteria"].items()}
            for o in u["organisaties"]}


def _rows() -> list[list[str]]:
    with SCORES.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_uitkomst_is_valid_against_schema(uitkomst) -> None:
    """The json output validates against schemas/uitkomst.schema.json."""
    data = json.loads(write_json(uitkomst))
    problems = schema_mod.validate("uitkomst", Document(data, "uitkomst", {}, {}))
    assert problems == []


def test_json_writes_each_trace_once_and_refers_to_it(uitkomst) -> None:
    """Organisations refer to ``beslissingen``; expanding the references gives the uitkomst."""
    data = json.loads(write_json(uitkomst))
    sporen = [(b["doel"], json.dumps(b, sort_keys=True)) for b in data["beslissingen"]]
    assert len(set(sporen)) == len(sporen)
    traces = {(c, json.dumps(t, sort_keys=True)) for o in uitkomst["organisaties"]
              for c, t in o["criteria"].items()}
    assert len(data["beslissingen"]) == len(traces) < 26 * 7
    utrecht = next(o for o in data["organisaties"] if o["naam"] == "Utrecht")
    ref = utrecht["criteria"]["1.2"]
    assert data["beslissingen"][ref["beslissing"]]["doel"] == "1.2"
    assert data["beslissingen"][ref["beslissing"]]["oordeel"] == ref["oordeel"] == "matig"
    assert ontvouw(data) == json.loads(json.dumps(uitkomst))


def test_ranking_equals_the_report(uitkomst) -> None:
    """Ranked by number voldoende, ties alphabetical: the order of Bijlage 1 and the figure."""
    published = [r[0] for r in _rows()[1:]]
    assert uitkomst["landelijk_beeld"]["rangorde"] == published
    counts = {o["naam"]: o["aantal_voldoende"] for o in uitkomst["organisaties"]}
    assert (counts["Drenthe"], counts["Noord- en Midden-Limburg"], counts["Utrecht"]) == (8, 16, 20)


def test_landelijk_beeld_per_criterium(uitkomst) -> None:
    """The counts per criterium under the published rules."""
    c = uitkomst["landelijk_beeld"]["criteria"]
    assert c["1.2"] | {} == {"voldoende": 6, "matig": 11, "onvoldoende": 9, "geen_oordeel": 0}
    assert (c["1.1"]["voldoende"], c["1.1"]["matig"], c["1.1"]["onvoldoende"]) == (8, 17, 1)
    assert (c["2.1"]["voldoende"], c["2.1"]["matig"], c["2.1"]["onvoldoende"]) == (8, 11, 7)
    assert c["3.2"]["voldoende"] == 23
    v = uitkomst["landelijk_beeld"]["verwachtingen"]
    assert v["3.1.1"] == {"voldoende": 0, "onvoldoende": 0, "niet_beoordeeld": 26}
    assert v["1.2.3"]["voldoende"] == 26


def test_afwijkingen_are_exactly_the_unreproduced_figures(uitkomst) -> None:
    """Only criterium 1.1 (twice) and verwachting 1.1.2 (chart, text, percentage): 1.2.4's
    "80 procent" for 21 of 26 (80.8%) is how the report rounds (boven_of_beneden)."""
    got = sorted((a["soort"], a["id"], tuple(sorted(a["gepubliceerd"])))
                 for a in uitkomst["afwijkingen"])
    assert got == sorted([
        ("criterium", "1.1", ("matig", "onvoldoende", "voldoende")),
        ("criterium", "1.1", ("matig", "onvoldoende", "voldoende")),
        ("verwachting", "1.1.2", ("onvoldoende", "voldoende")),
        ("verwachting", "1.1.2", ("onvoldoende_procent",)),
        ("verwachting", "1.1.2", ("voldoende",)),
    ])
    a11 = next(a for a in uitkomst["afwijkingen"] if a["id"] == "1.1")
    assert a11["gepubliceerd"]["voldoende"] == 2 and a11["berekend"]["voldoende"] == 8
    assert "Hoofdstuk" in a11["bron"]
    assert uitkomst["gepubliceerd_gecontroleerd"] == 24


def test_trace_names_the_clause(uitkomst) -> None:
    """Each criterium oordeel carries its counts and the published clause that fired."""
    utrecht = next(o for o in uitkomst["organisaties"] if o["naam"] == "Utrecht")
    c12 = utrecht["criteria"]["1.2"]
    assert c12["oordeel"] == "matig"
    assert c12["telling"]["onvoldoende"] == 2
    assert c12["regel"].startswith("matig als 2 verwachtingen onvoldoende")
    assert c12["clausule"] == 2 and c12["plafond"] is None


def _write_variants(tmp: Path) -> dict[str, Path]:
    rows = _rows()
    header, body = rows[0], rows[1:]
    words = {"1": "V", "3": "O"}
    order = [0, *reversed(range(1, len(header)))]
    semi = tmp / "semi.csv"
    with semi.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow([header[i] for i in order])
        for r in body:
            w.writerow([r[0]] + [words[r[i]].lower() if n % 2 else words[r[i]]
                                 for n, i in enumerate(order[1:])])
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in body:
        ws.append([r[0], *(int(x) for x in r[1:])])
    xlsx = tmp / "scores.xlsx"
    wb.save(xlsx)
    yml = tmp / "scores.yaml"
    yml.write_text(json.dumps({"organisaties": [
        {"naam": r[0], "scores": dict(zip(header[1:], (int(x) for x in r[1:]), strict=True))}
        for r in body]}), encoding="utf-8")
    return {"semicolon": semi, "xlsx": xlsx, "yaml": yml}


def test_readers_give_identical_oordelen(tmp_path: Path, uitkomst) -> None:
    """Comma/1-3 CSV, semicolon/BOM/V-O CSV with reordered columns, xlsx and YAML agree."""
    expected = _oordelen(uitkomst)
    for name, path in _write_variants(tmp_path).items():
        u = uitkomst_van("veilig-thuis-stap-1", str(path))[1]
        assert _oordelen(u) == expected, name
        assert u["afwijkingen"] == [], "no published figures without a dataset"


def _csv(tmp: Path, text: str) -> str:
    p = tmp / "s.csv"
    p.write_text(text, encoding="utf-8")
    return str(p)


HEADER = "organisatie," + ",".join(r for r in _rows()[0][1:])
ROW_OK = "A," + ",".join(["1"] * 24)


@pytest.mark.parametrize(("text", "fragment"), [
    (HEADER + "\n" + ROW_OK + "\n" + "B," + ",".join(["1"] * 23) + ",7\n",
     "row 3 (B), column 25 (3.2.2): '7' is not a score"),
    (HEADER + "\n" + ROW_OK + "\n" + ROW_OK + "\n", "row 3 (A): organisation 'A' appears twice"),
    (HEADER + ",9.9.9\n" + ROW_OK + ",1\n", "unknown column '9.9.9'"),
    (HEADER + "\n" + "B," + ",".join(["1"] * 23) + ",\n",
     "row 2 (B), column 25 (3.2.2): empty cell for an assessed verwachting"),
    (HEADER.replace(",3.2.2", "") + "\n" + "B," + ",".join(["1"] * 23) + "\n",
     "no column for verwachting 3.2.2"),
    (HEADER + ",3.1.1\n" + ROW_OK + ",1\n", "verwachting 3.1.1 is not assessed"),
    ("", "the file is empty"),
])
def test_bad_rows_are_located(tmp_path: Path, run_cli, text: str, fragment: str) -> None:
    """Bad input gives exit 1 naming row, organisation and column; never a traceback."""
    path = _csv(tmp_path, text)
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", path)
    assert code == 1
    assert fragment in err
    assert path in err
    assert "Traceback" not in err


def test_allow_missing_makes_niet_beoordeeld(tmp_path: Path, run_cli) -> None:
    """--allow-missing turns an empty cell into niet beoordeeld and says so (in a kader that
    accepts niet beoordeeld: Stap 1 without its score_verplicht)."""
    from .test_invoerruimte import stap1_zonder_score_verplicht

    kader = stap1_zonder_score_verplicht(tmp_path)
    path = _csv(tmp_path, HEADER + "\n" + "B," + ",".join(["1"] * 23) + ",\n")
    code, out, _ = run_cli("assess", kader, path, "--allow-missing", "--format", "json")
    assert code == 0
    org = ontvouw(json.loads(out))["organisaties"][0]
    assert org["criteria"]["3.2"]["telling"]["niet_beoordeeld"] == 1
    assert any("3.2.2" in m for m in org["opmerkingen"])


def test_outputs_written_and_inputs_protected(tmp_path: Path, run_cli) -> None:
    """Several formats go to a folder; writing over an input is refused (exit 2)."""
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "json",
                           "--format", "csv", "-o", str(tmp_path / "uit"))
    assert code == 0, err
    first = (tmp_path / "uit" / "veilig-thuis-stap-1-2015.json").read_bytes()
    assert (tmp_path / "uit" / "veilig-thuis-stap-1-2015.csv").exists()
    run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "json", "-o",
            str(tmp_path / "uit"))
    assert (tmp_path / "uit" / "veilig-thuis-stap-1-2015.json").read_bytes() == first
    inp = tmp_path / "in.csv"
    inp.write_bytes(SCORES.read_bytes())
    code, _, err = run_cli("assess", "veilig-thuis-stap-1", str(inp), "--format", "csv",
                           "-o", str(inp))
    assert code == 2 and "it is an input file" in err
    assert inp.read_bytes() == SCORES.read_bytes()


def test_unknown_format_and_missing_output(run_cli) -> None:
    """An unknown format or several formats without -o are usage errors."""
    assert run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "pdf")[0] == 2
    assert run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "json", "--format",
                   "csv")[0] == 2


def test_terminal_summary(run_cli) -> None:
    """Without --format, a readable summary shows the ranking and the deviations."""
    code, out, _ = run_cli("assess", "veilig-thuis-stap-1", "2015")
    assert code == 0
    assert "Rangorde" in out and "Amsterdam-Amstelland" in out and "afwijkingen: 5" in out


def test_bundled_dataset_output_does_not_depend_on_where_kaderwerk_is(uitkomst) -> None:
    """Herkomst names the dataset as installed-anywhere, so two checkouts write the same json."""
    herkomst = [o["herkomst"] for o in uitkomst["organisaties"]]
    assert herkomst[0] == "veilig-thuis-stap-1/datasets/2015-scores.csv:2"
    assert all(h.startswith("veilig-thuis-stap-1/datasets/2015-scores.csv:") for h in herkomst)
    assert str(ROOT) not in write_json(uitkomst).decode("utf-8")
