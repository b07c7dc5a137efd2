"""Terminal output that tools and people can both use (issue 18, item 3).

One finding per line when the output is not a terminal, ids never cut, one source for the
places of the rangorde, a grid that fits 80 columns, complete ``--help`` summaries, Dutch
table headers and the right singular or plural.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from kaderwerk.domain.engine import plaatsen
from kaderwerk.domain.woorden import aantal
from kaderwerk.sources.catalog import catalog

from .conftest import ROOT

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"


def _kaderwerk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The CLI in a child process, stdout and stderr both pipes (not a terminal)."""
    import os

    return subprocess.run([sys.executable, "-m", "kaderwerk", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def _kapot(tmp_path: Path) -> Path:
    """Stap 1 with a rule that leaves a gap: findings with FILE:LINE:COL, in a long path."""
    folder = tmp_path / ("een-lange-map-naam-zodat-elke-regel-breder-is-dan-tachtig-kolommen")
    folder.mkdir()
    tekst = STAP1.read_text(encoding="utf-8")
    assert "onvoldoende: {min: 3}" in tekst
    pad = folder / "kapot.yaml"
    pad.write_text(tekst.replace("onvoldoende: {min: 3}", "onvoldoende: {min: 4}"),
                   encoding="utf-8")
    return pad


def test_check_findings_are_one_line_each_when_piped(tmp_path: Path) -> None:
    """``check … 2>&1 | cat``: every finding on its own line, FILE:LINE:COL first, however
    long, and as many lines as the JSON has findings."""
    pad = _kapot(tmp_path)
    r = _kaderwerk("check", str(pad), env={"COLUMNS": "80"})
    assert r.returncode == 1 and "internal error" not in r.stdout + r.stderr
    regels = [x for x in (r.stdout + r.stderr).splitlines() if x.startswith(str(pad))]
    assert regels and all(re.match(rf"{re.escape(str(pad))}:\d+:\d+: \S", x) for x in regels)
    assert any(len(x) > 80 for x in regels)  # long, and still not wrapped
    data = json.loads(_kaderwerk("check", str(pad), "--format", "json").stdout)
    assert len(regels) == len(data["kaders"][0]["bevindingen"])
    assert "veilig-thuis-stap-1@2015: " in r.stdout  # the versie checked is named


def test_validate_messages_are_one_line_each_when_piped(tmp_path: Path) -> None:
    """A long message (an unknown key and every allowed key) stays on one line."""
    pad = tmp_path / "k.yaml"
    pad.write_text(STAP1.read_text(encoding="utf-8").replace("titel:", "titl:", 1),
                   encoding="utf-8")
    r = _kaderwerk("validate", str(pad), env={"COLUMNS": "40"})
    assert r.returncode == 1
    [sleutel] = [x for x in r.stderr.splitlines() if "unknown key 'titl'" in x]
    assert re.match(rf"{re.escape(str(pad))}:\d+:1: unknown key", sleutel)
    assert sleutel.rstrip().endswith("versie")  # the whole list of allowed keys, one line


def test_list_shows_whole_ids_at_60_columns(run_cli, monkeypatch) -> None:
    """Every installed id@versie appears whole, on one line, at 60 columns."""
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run_cli("list")
    assert code == 0
    regels = out.splitlines()
    assert all(len(x) <= 60 for x in regels)
    for entry, _, _ in catalog().all():
        assert any(x.startswith(f"{entry.id}@{entry.versie}") for x in regels), entry.id
    assert "…" not in out and "Broken" not in out


def test_help_summaries_are_complete(run_cli) -> None:
    """The top-level --help gives each command's whole summary, never cut with '...'."""
    from kaderwerk.commands.cli import cli
    from kaderwerk.domain.woorden import samenvatting

    code, out, _ = run_cli("--help")
    assert code == 0 and "..." not in out.split("Commands:", 1)[1]
    platte = " ".join(out.split())
    for naam, cmd in cli.commands.items():
        assert samenvatting(cmd.help or "") in platte, naam
    code, out, _ = run_cli("new", "--help")
    assert "..." not in out.split("Commands:", 1)[1]
    assert code == 0 and "(and example tests)" in " ".join(out.split())


def test_places_share_ties_everywhere(run_cli, monkeypatch) -> None:
    """Equal aantal voldoende share a place in the JSON, the terminal and Markdown alike."""
    code, out, _ = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "json")
    assert code == 0
    beeld = json.loads(out)["landelijk_beeld"]
    assert beeld["plaatsen"][:4] == [1, 1, 1, 4]
    per = {o["naam"]: o for o in json.loads(out)["organisaties"]}
    assert beeld["plaatsen"] == plaatsen([per[n] for n in beeld["rangorde"]])
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli("assess", "veilig-thuis-stap-1", "2015")
    assert code == 0
    terminal = [int(m.group(1)) for m in
                (re.match(r"\s*(\d+)\s+(\S.*?)\s{2,}\d+\s", x) for x in out.splitlines())
                if m and m.group(2) in per]
    assert terminal == beeld["plaatsen"]
    code, md, _ = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "markdown")
    assert code == 0
    sectie = md.split("## Rangorde", 1)[1].split("\n## ", 1)[0]
    rijen = [r.strip("|").split("|") for r in sectie.splitlines() if r.startswith("| ")]
    md_plaatsen = [int(r[0]) for r in rijen[1:] if r[0].strip().isdigit()]
    assert md_plaatsen == beeld["plaatsen"]


@pytest.mark.parametrize("kader,scores", [("veilig-thuis-stap-1", "2015")])
def test_assess_summary_is_a_grid_within_80_columns(run_cli, monkeypatch, kader: str,
                                                    scores: str) -> None:
    """One row per organisation, one column per criterium, a legend; nothing over 80 columns
    except single-line texts (afwijkingen) that must not wrap."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli("assess", kader, scores)
    assert code == 0, err
    k = catalog().get(kader)
    assert f"({k.id}@" in out.splitlines()[0]  # the versie used, in the header
    raster = out.split("Rangorde", 1)[1].split("legenda:", 1)[0]
    assert all(len(x) <= 80 for x in raster.splitlines())
    kop = next(x for x in raster.splitlines() if "organisatie" in x)
    assert all(c.id in kop.split() for c in k.criteria)
    assert "legenda: V voldoende" in out and "geen oordeel" in out


def test_progress_only_at_a_terminal() -> None:
    """No progress bar when stderr is not a terminal (as under pytest), however long the run."""
    from kaderwerk.commands.assess import _progress

    with _progress(10**6) as voortgang:
        assert voortgang is None


def test_singular_and_plural() -> None:
    assert aantal(1, "criterium") == "1 criterium" and aantal(7, "criterium") == "7 criteria"
    assert aantal(1, "verwachting") == "1 verwachting"
    assert aantal(0, "organisatie") == "0 organisaties" and aantal(2, "file") == "2 files"


def test_validate_counts_files_in_the_right_number(run_cli) -> None:
    code, out, _ = run_cli("validate", str(STAP1))
    assert code == 0 and "1 of 1 file valid" in out and "file(s)" not in out


def test_sizes_table_is_dutch(run_cli, monkeypatch) -> None:
    """``check --sizes``: the table's headers in Dutch, like every table."""
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run_cli("check", "veilig-thuis-stap-1", "--sizes", "1-5")
    assert code == 0
    tabel = out.split("groottes waarbij", 1)[1]
    for kop in ("criterium", "echte grootte", "niet uitputtend", "overlappend", "niet monotoon"):
        assert kop in tabel
    assert "real size" not in out and "not exhaustive" not in tabel
    assert "7 criteria proven" in out


def test_a_grid_too_wide_for_the_terminal_cuts_nothing(monkeypatch, capsys) -> None:
    """20 criteria at 80 columns: the grid grows wider instead of cutting ids or names."""
    from kaderwerk.commands import terminal

    monkeypatch.setenv("COLUMNS", "80")
    ids = [f"{i // 10 + 1}.{i % 10 + 1}" for i in range(20)]
    orgs = [{"naam": f"Organisatie nummer {j}", "aantal_voldoende": 20 - j, "oordeel": None,
             "criteria": {c: {"oordeel": "matig"} for c in ids}} for j in range(3)]
    terminal.print_uitkomst({
        "kader": {"oordeelschaal": ["voldoende", "matig", "onvoldoende"], "titel": "T",
                  "id": "k", "versie": "1"},
        "landelijk_beeld": {"aantal_organisaties": 3, "criteria": {c: {"matig": 3} for c in ids},
                            "rangorde": [o["naam"] for o in orgs], "plaatsen": [1, 2, 3]},
        "organisaties": orgs, "criteria": [{"id": c, "titel": "t"} for c in ids],
        "afwijkingen": []})
    raster = capsys.readouterr().out.split("Rangorde", 1)[1].split("legenda:", 1)[0]
    kop = next(x for x in raster.splitlines() if "organisatie" in x).split()
    assert all(c in kop for c in ids) and "…" not in raster
    assert all(f"nummer {j}" in raster for j in range(3))


def test_assess_afwijkingen_are_one_line_each_when_piped() -> None:
    """Each afwijking (what differs, and its source) is one line in a pipe, however long."""
    r = _kaderwerk("assess", "veilig-thuis-stap-1", "2015", env={"COLUMNS": "80"})
    assert r.returncode == 0 and "internal error" not in r.stderr
    regels = r.stdout.split("afwijkingen: 5", 1)[1].strip().splitlines()
    assert len(regels) == 5
    assert all(re.match(r"(criterium|verwachting) \S+: .*\(Landelijk rapport .*\)$", x.strip())
               for x in regels)


def test_a_finding_at_one_verwachting_says_so() -> None:
    """What a finding is about agrees in number with its size: '1 verwachting'."""
    from kaderwerk.domain.verify import Bevinding, onderwerp

    b = Bevinding("niet_uitputtend", "1.1", "1", 1, "no clause applies", {}, "aantal")
    assert onderwerp(b) == "criterium 1.1 (thema 1, 1 verwachting)"
    assert onderwerp(attrs.evolve(b, grootte=3)).endswith("3 verwachtingen)")


def test_progress_label_is_english_like_every_message(monkeypatch) -> None:
    """The progress bar is a message, not a table: English (docs/architecture.md)."""
    import rich.progress
    from kaderwerk.commands import assess

    labels: list[str] = []

    class Nep:
        def __init__(self, **_: object) -> None: ...
        def __enter__(self) -> Nep: return self
        def __exit__(self, *_: object) -> None: ...
        def add_task(self, label: str, **_: object) -> int:
            labels.append(label)
            return 0
        def update(self, *_: object, **__: object) -> None: ...

    monkeypatch.setattr(rich.progress, "Progress", Nep)
    monkeypatch.setattr(assess.sys.stderr, "isatty", lambda: True, raising=False)
    with assess._progress(10**6) as voortgang:
        assert voortgang is not None
    assert labels == ["assessing"]


def test_text_lines_are_never_wrapped_and_names_never_split() -> None:
    """Piped at 80 the legend is one line; at 40 the header and legend are one line each, no
    organisation name is split inside a word and no column header is cut."""
    gewoon = _kaderwerk("assess", "veilig-thuis-stap-1", "2015").stdout
    [legenda] = [x for x in gewoon.splitlines() if x.startswith("legenda:")]
    assert legenda.rstrip().endswith("gelijke aantallen delen een plaats")
    smal = _kaderwerk("assess", "veilig-thuis-stap-1", "2015", env={"COLUMNS": "40"}).stdout
    regels = smal.splitlines()
    assert regels[0].startswith("Toetsingskader") and regels[0].rstrip().endswith("organisaties")
    assert any(x.startswith("legenda:") and x.rstrip().endswith("delen een plaats")
               for x in regels)
    u = json.loads(_kaderwerk("assess", "veilig-thuis-stap-1", "2015", "--format", "json").stdout)
    for o in u["organisaties"]:
        for woord in o["naam"].split():
            assert woord in smal, woord
    for kop in ("criterium", "voldoende", "onvoldoende"):
        assert re.search(rf"[┃ ]{kop}[ ┃]", smal), kop
    assert "…" not in smal


def test_list_wraps_without_padding_and_names_the_plugins(run_cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run_cli("list")
    assert code == 0
    assert [x for x in out.splitlines() if x.endswith(" ")] == []
    assert "  Toezichtkader Stelseltoezicht Volwassenen in het Sociaal\n  Domein\n" in out
    assert "kaderwerk.plugins.format_html" in out.split("Plugins", 1)[1]


@pytest.mark.parametrize(("args", "code", "bedoeld"), [
    (("assess", "veilig-thuis-stap-1", "2015", "--format", "jsn"), 2, "json"),
    (("list", "--format", "txt"), 2, "text"),
    (("show", "veilig-thuis-stap-l"), 1, "veilig-thuis-stap-1"),
    (("show", "veilig-thuis-stap-1@2105"), 1, "2015"),
])
def test_a_mistyped_name_gets_did_you_mean(run_cli, args, code, bedoeld) -> None:
    uit, out, err = run_cli(*args)
    assert uit == code and "internal error" not in out + err
    assert f"did you mean '{bedoeld}'?" in err


def test_sizes_all_block_is_one_language(run_cli, monkeypatch) -> None:
    """``check --sizes all``: the closed forms are English findings at the criterium's
    FILE:LINE:COL, above the table; nothing English follows the Dutch table's title."""
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli("check", str(STAP1), "--sizes", "all")
    assert code == 0
    voor, tabel = out.split("groottes waarbij de beslisregel faalt, voor elke n", 1)
    assert f"{STAP1}:" in voor and "criterium 3.1: not exhaustive at" in voor
    for engels in ("not exhaustive", "never applies", "e.g.", "every n"):
        assert engels not in tabel
