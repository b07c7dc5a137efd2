"""Messages that say what happened and what to do (issue 18, item 4).

Binary formats refuse a terminal, the versie used is named, options are called by their name,
a missing input exits 1 in every command, dataset names work wherever scores are taken, a
number that should be text is echoed as typed, and an unknown key gets a "did you mean".
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import types
from pathlib import Path

import pytest
from kaderwerk.commands.assess import uitkomst_van
from kaderwerk.domain.errors import InvoerError
from kaderwerk.hookspecs import hookimpl
from kaderwerk.sources import manager
from kaderwerk.sources.catalog import Catalog

from .conftest import ROOT
from .test_diff import SCORES, _schrijf, _zonder_114

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"


def _schoon(code: int, out: str, err: str) -> None:
    assert "internal error" not in out + err and "Traceback" not in out + err


def test_binary_format_refuses_a_terminal() -> None:
    """``assess --format xlsx`` with stdout a terminal: exit 2 with a hint, no bytes shown."""
    master, slave = pty.openpty()
    try:
        r = subprocess.run([sys.executable, "-m", "kaderwerk", "assess",
                            "veilig-thuis-stap-1", "2015", "--format", "xlsx"],
                           stdout=slave, stderr=subprocess.PIPE, timeout=120)
        os.close(slave)
        shown = b""
        while select.select([master], [], [], 0.1)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
    err = r.stderr.decode()
    assert r.returncode == 2 and "binary" in err and "-o" in err
    assert b"PK" not in shown and "Traceback" not in err


def test_binary_format_to_a_pipe_is_fine(run_cli) -> None:
    """Not a terminal (a pipe, a file, ``-o -``): the workbook's bytes are written."""
    for extra in ((), ("-o", "-")):
        r = subprocess.run([sys.executable, "-m", "kaderwerk", "assess",
                            "veilig-thuis-stap-1", "2015", "--format", "xlsx", *extra],
                           capture_output=True, timeout=120)
        assert r.returncode == 0 and r.stdout.startswith(b"PK")


@pytest.fixture
def cat(tmp_path: Path) -> Catalog:
    """The installed kaders plus Stap 1 versie 2016 (1.1.4 dropped), the newest versie."""
    folder = tmp_path / "extra"
    _schrijf(folder / "2016.yaml", _zonder_114())
    plugin = types.ModuleType("stap1_2016_berichten")
    plugin.register_kaders = hookimpl(lambda register: register(folder))
    return Catalog(manager.build_registry((plugin,), entry_points=False))


def test_scores_of_an_older_versie_name_the_versie_used_and_the_one_that_fits(cat) -> None:
    """2015 scores (no versie, no datum) against the newest versie: the message names 2016 as
    the versie used, why, and suggests @2015; the column problems keep their location."""
    with pytest.raises(InvoerError) as exc:
        uitkomst_van("veilig-thuis-stap-1", str(SCORES), cat=cat)
    kop, *regels = str(exc.value).splitlines()
    assert "read as veilig-thuis-stap-1@2016" in kop and "newest" in kop
    assert "'veilig-thuis-stap-1@2015'" in kop
    assert regels and all(r.startswith(f"{SCORES}:1:") for r in regels)
    assert any("'1.1.4'" in r for r in regels)
    kader, _, _ = uitkomst_van("veilig-thuis-stap-1@2015", str(SCORES), cat=cat)
    assert kader.versie == "2015"  # the suggestion works


def test_a_dataset_without_scores_points_to_gepubliceerd(run_cli, tmp_path: Path) -> None:
    """``assess veilig-thuis-stap-2 2017``: SCORES is a scores file, --gepubliceerd the
    dataset, and the suggested command runs."""
    code, out, err = run_cli("assess", "veilig-thuis-stap-2", "2017")
    _schoon(code, out, err)
    assert code == 2 and "--gepubliceerd 2017" in err and "SCORES" in err
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--gepubliceerd", "2015",
                             "--format", "json")
    assert code == 0, err
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--gepubliceerd", "nee")
    _schoon(code, out, err)
    assert code == 1 and "--gepubliceerd" in err and "datasets: 2015" in err


def test_report_file_refusal_names_report_file(run_cli, tmp_path: Path) -> None:
    """``check --report-file <an input>`` names --report-file, not -o; the input is intact."""
    kader = tmp_path / "k.yaml"
    kader.write_bytes(STAP1.read_bytes())
    code, out, err = run_cli("check", str(kader), "--report", "junit", "--report-file",
                             str(kader))
    _schoon(code, out, err)
    assert code == 2 and "--report-file" in err and " -o" not in err
    assert kader.read_bytes() == STAP1.read_bytes()


@pytest.mark.parametrize("args", [
    ("validate", "{missing}"),
    ("test", "{missing}"),
    ("check", "{missing}"),
    ("assess", "veilig-thuis-stap-1", "{missing}"),
    ("assess", "veilig-thuis-stap-1", "2015", "--gepubliceerd", "{missing}"),
    ("diff", "veilig-thuis-stap-1", "veilig-thuis-stap-1", "--beoordelingen", "{missing}"),
])
def test_a_missing_input_exits_1_everywhere(run_cli, tmp_path: Path, args: tuple) -> None:
    """A file that does not exist is invalid input: exit 1, named, in every command."""
    missing = str(tmp_path / "bestaat-niet.csv")
    code, out, err = run_cli(*(a.format(missing=missing) for a in args))
    _schoon(code, out, err)
    assert code == 1 and "bestaat-niet.csv" in err


def test_diff_takes_a_dataset_name_as_assess_does(run_cli) -> None:
    code, out, err = run_cli("diff", "veilig-thuis-stap-1", "veilig-thuis-stap-1",
                             "--beoordelingen", "2015")
    _schoon(code, out, err)
    assert code == 0 and "veilig-thuis-stap-1/datasets/2015-scores.csv: 26 organisaties" in out


def test_an_unquoted_id_is_echoed_as_typed(run_cli, tmp_path: Path) -> None:
    """``id: 1.10`` is the number 1.1 to YAML; the hint quotes what the author typed."""
    tekst = STAP1.read_text(encoding="utf-8")
    assert '- id: "1.1.1"' in tekst
    pad = tmp_path / "k.yaml"
    pad.write_text(tekst.replace('- id: "1.1.1"', "- id: 1.10", 1), encoding="utf-8")
    regel = next(i for i, x in enumerate(pad.read_text().splitlines(), 1) if "id: 1.10" in x)
    code, out, err = run_cli("validate", str(pad))
    _schoon(code, out, err)
    assert code == 1
    [melding] = [x for x in err.splitlines() if "in quotes" in x]
    assert re.match(rf"{re.escape(str(pad))}:{regel}:\d+: ", melding)
    assert '"1.10"' in melding and '"1.1"' not in melding


def test_an_unknown_key_gets_did_you_mean(run_cli, tmp_path: Path) -> None:
    pad = tmp_path / "k.yaml"
    pad.write_text(STAP1.read_text(encoding="utf-8").replace("oordeelschaal:", "oordelschaal:",
                                                             1), encoding="utf-8")
    code, out, err = run_cli("validate", str(pad))
    _schoon(code, out, err)
    assert code == 1
    [melding] = [x for x in err.splitlines() if "unknown key 'oordelschaal'" in x]
    assert re.match(rf"{re.escape(str(pad))}:\d+:1: ", melding)
    assert "did you mean 'oordeelschaal'?" in melding
    pad.write_text(STAP1.read_text(encoding="utf-8").replace("titel:", "zzzz:", 1),
                   encoding="utf-8")
    code, out, err = run_cli("validate", str(pad))
    assert code == 1 and "unknown key 'zzzz'" in err and "did you mean" not in err


def test_the_versie_used_is_named(run_cli, tmp_path: Path) -> None:
    """The assess header, the line of each written file and check's summary name id@versie."""
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", "2015")
    assert code == 0 and "veilig-thuis-stap-1@2015" in out.splitlines()[0]
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", "2015", "--format", "json",
                             "-o", str(tmp_path / "u.json"))
    assert code == 0 and "(veilig-thuis-stap-1@2015)" in err
    code, out, err = run_cli("check", "veilig-thuis-stap-1")
    assert code == 0 and "veilig-thuis-stap-1@2015" in out


def test_docs_cite_nothing_outside_the_repository() -> None:
    """Every Markdown file that README and docs/ name by ``NAME.md`` exists in the repository."""
    bestaand = {p.name for p in ROOT.rglob("*.md") if ".venv" not in p.parts}
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for naam in re.findall(r"[\w.-]+\.md\b", doc.read_text(encoding="utf-8")):
            assert naam in bestaand, f"{doc.name} cites {naam}"


def test_unreadable_scores_name_the_versie_they_were_read_as(run_cli, tmp_path: Path) -> None:
    """A scores file that does not fit: the first line names id@versie, then located problems."""
    pad = tmp_path / "s.csv"
    pad.write_text("naam,1.1.1\nA,voldoende\n", encoding="utf-8")
    for kader in ("veilig-thuis-stap-1", "veilig-thuis-stap-1@2015"):
        code, out, err = run_cli("assess", kader, str(pad))
        _schoon(code, out, err)
        kop, *regels = err.splitlines()
        assert code == 1 and "veilig-thuis-stap-1@2015" in kop
        assert regels and all(r.startswith(f"{pad}:1: ") for r in regels)
