"""A kader project's broken files, odd configs and odd names: each reported where it is.

A broken project file is never passed by for an installed kader of the same id, never
silently skipped by a command given no argument, and keeps its FILE:LINE:COL in every
command; the config refuses what it does not know; a path is shown on one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

KAPOT = {"yaml": "titel: [x\n", "leeg": ""}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    return tmp_path


def _breek(file: Path, how: str) -> None:
    if how == "yaml":
        file.write_text(re.sub(r"(?m)^titel: .*$", "titel: [x", file.read_text()))
    elif how == "leeg":
        file.write_text("")
    else:  # a required key removed: the file parses, its id can be read
        file.write_text(re.sub(r"(?m)^oordeelschaal: .*\n", "", file.read_text()))


@pytest.mark.parametrize("how", ["yaml", "leeg", "schema"])
def test_broken_project_kader_never_falls_through_to_the_installed_one(
        project: Path, run_cli, how: str) -> None:
    """A broken project kader with an installed kader's id is reported, never replaced."""
    assert run_cli("new", "kader", "veilig-thuis-stap-1")[0] == 0
    _breek(project / "kaders/veilig-thuis-stap-1/1.yaml", how)
    for args in (("check", "veilig-thuis-stap-1"), ("show", "veilig-thuis-stap-1"),
                 ("assess", "veilig-thuis-stap-1", "2015", "-o", "-"),
                 ("render", "veilig-thuis-stap-1"), ("check",)):
        code, out, err = run_cli(*args)
        assert code == 1, (args, out, err)
        assert re.search(r"kaders/veilig-thuis-stap-1/1\.yaml:\d+:\d+: ", err), (args, err)
        assert "Traceback" not in err and "proven" not in out


@pytest.mark.parametrize("how", ["yaml", "leeg"])
def test_broken_kader_keeps_its_file_and_line_by_id_and_without_argument(
        project: Path, run_cli, how: str) -> None:
    """check/show/render/test/diff by id and check/test with no argument name the file."""
    assert run_cli("new", "kader", "k")[0] == 0
    assert run_cli("new", "kader", "goed")[0] == 0
    _breek(project / "kaders/k/1.yaml", how)
    for args in (("check", "k"), ("show", "k"), ("render", "k"), ("test", "k"),
                 ("diff", "k", "k"), ("validate", "k"), ("check",), ("test",),
                 ("validate",), ("assess", "k", "x.csv")):
        code, out, err = run_cli(*args)
        assert code == 1, (args, out, err)
        assert re.search(r"kaders/k/1\.yaml:\d+:\d+: ", err), (args, err)
        assert "no kader 'k'" not in err and "without kader files" not in err, (args, err)
        assert "Traceback" not in err
    assert run_cli("check", "goed")[0] == 0  # another kader of the project is unaffected


def test_a_broken_newer_versie_is_the_kader_in_force(project: Path, run_cli) -> None:
    """k@1 is fine, k/2.yaml does not parse: 'k' means versie 2 and reports it; k@1 works."""
    assert run_cli("new", "kader", "k")[0] == 0
    (project / "kaders/k/2.yaml").write_text("id: [k\n")
    code, _, err = run_cli("check", "k")
    assert code == 1 and re.search(r"kaders/k/2\.yaml:\d+:\d+: ", err), err
    assert run_cli("check", "k@1")[0] == 0


def test_versies_that_are_one_number_are_one_versie(project: Path, run_cli) -> None:
    """1.yaml and 01.yaml (versie "01"): versies compare as numbers, so both files are named."""
    assert run_cli("new", "kader", "k")[0] == 0
    een = (project / "kaders/k/1.yaml").read_text()
    (project / "kaders/k/01.yaml").write_text(een.replace('versie: "1"', 'versie: "01"'))
    for args in (("check", "k@1"), ("check", "k@01"), ("validate",)):
        code, _, err = run_cli(*args)
        assert code == 1 and "kaders/k/01.yaml" in err and "kaders/k/1.yaml" in err, err


@pytest.mark.parametrize("naam", ["2\nx.yaml", "2\rx.yaml", "2\tx.yaml", "2\x1bx.yaml"])
def test_a_control_character_in_a_file_name_keeps_one_line_per_finding(
        project: Path, run_cli, naam: str) -> None:
    """validate and check show the name escaped (and in the fix hint): every finding one line
    starting with the file."""
    assert run_cli("new", "kader", "k")[0] == 0
    (project / "kaders/k" / naam).write_text((project / "kaders/k/1.yaml").read_text())
    for command in ("validate", "check"):
        code, out, err = run_cli(command)
        assert code == 1
        assert re.search(r"kaders/k/2\\u00(0a|0d|09|1b)x\.yaml:\d+:\d+: versie '1' disagrees .*"
                         r"versie: \"2\\u00(0a|0d|09|1b)x\"$", err, re.M), err
        assert not re.search("[\r\t\x1b]", out + err)
