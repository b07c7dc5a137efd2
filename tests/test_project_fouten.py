"""A kader project's broken files, odd configs and odd names: each reported where it is.

A broken project file is never passed by for an installed kader of the same id, never
silently skipped by a command given no argument, and keeps its FILE:LINE:COL in every
command; the config refuses what it does not know; a path is shown on one line.
"""

from __future__ import annotations

import os
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


@pytest.mark.parametrize("config, regel, wat", [
    ('[kaderwerks]\nkaders = ["kaders"]\n', 1, "did you mean 'kaderwerk'?"),
    ('foo = 1\n[kaderwerk]\nkaders = ["kaders"]\n', 1, "unknown key 'foo'"),
    ('[kaderwerk]\nkaders = ["kaders"]\n\n[other]\nx = 1\n', 4, "unknown table [other]"),
    ('[kaderwerk]\nkaders = ["kaders"]\n[kaderwerk.extra]\nx = 1\n', 3, "unknown key 'extra'"),
    ('# c\n[kaderwerk]\nplugin = []\n', 3, "did you mean 'plugins'?"),
    ('[kaderwerk]\nkaders = ["."]\n', 2, "the project's own folder"),
])
def test_config_refuses_what_it_does_not_know_at_its_line(
        tmp_path: Path, monkeypatch, run_cli, config: str, regel: int, wat: str) -> None:
    """A typo in a table's name, a stray key or table, "." as kader folder: FILE:LINE, exit 1."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kaders").mkdir()
    (tmp_path / "kaderwerk.toml").write_text(config)
    code, _, err = run_cli("check")
    assert code == 1 and f"kaderwerk.toml:{regel}: " in err and wat in err, err
    assert "Traceback" not in err


def test_pyproject_other_tables_are_not_ours(tmp_path: Path, monkeypatch, run_cli) -> None:
    """In pyproject.toml only [tool.kaderwerk] is read; a typo inside it is located."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kaders").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.black]\nline-length = 99\n'
        '[tool.kaderwerk]\nkaders = ["kaders"]\n')
    assert run_cli("new", "kader", "k")[0] == 0
    assert run_cli("check")[0] == 0
    (tmp_path / "pyproject.toml").write_text(
        '[tool.black]\nkader = 1\n[tool.kaderwerk]\nkader = ["kaders"]\n')
    code, _, err = run_cli("check")
    assert code == 1 and "pyproject.toml:4: " in err and "did you mean 'kaders'?" in err, err


def test_validate_check_and_test_skip_hidden_files(project: Path, run_cli) -> None:
    """Hidden files and folders beside the kaders (an editor's backup, .github) are no kaders."""
    assert run_cli("new", "kader", "k")[0] == 0
    (project / "kaders/.verborgen").mkdir()
    (project / "kaders/.verborgen/1.yaml").write_text("on: push\n")
    (project / "kaders/k/.1.yaml").write_text("x: [\n")
    for command in ("validate", "check", "test"):
        code, out, err = run_cli(command)
        assert code == 0 and "verborgen" not in out + err and ".1.yaml" not in out + err, err


def test_init_creates_the_folders_its_config_names(tmp_path: Path, monkeypatch,
                                                  run_cli) -> None:
    """A kept config naming folders that do not exist yet: init makes them (with .gitkeep);
    one outside the project is refused and nothing is written."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kaderwerk.toml").write_text('[kaderwerk]\nkaders = ["regels/a", "b"]\n')
    code, _, err = run_cli("init")
    assert code == 0, err
    assert (tmp_path / "regels/a/.gitkeep").is_file() and (tmp_path / "b/.gitkeep").is_file()
    assert run_cli("new", "kader", "k")[0] == 0 and run_cli("check", "k")[0] == 0
    werk = tmp_path / "werk"
    werk.mkdir()
    (werk / "kaderwerk.toml").write_text('[kaderwerk]\nkaders = ["../buiten"]\n')
    code, _, err = run_cli("init", str(werk))
    assert code == 1 and "outside" in err and "kaderwerk.toml:2" in err
    assert not (tmp_path / "buiten").exists() and sorted(os.listdir(werk)) == ["kaderwerk.toml"]


def test_project_after_the_command_as_a_hook_args_gives_it(tmp_path: Path, monkeypatch,
                                                           run_cli) -> None:
    """A hook repository's entry is fixed: `entry args...` puts --project after the command.
    Every command that reads the project takes it there; a missing folder stays exit 2."""
    monkeypatch.chdir(tmp_path)
    assert run_cli("init", "sub")[0] == 0
    code, out, err = run_cli("new", "kader", "k", "--project", "sub")
    assert code == 0 and (tmp_path / "sub/kaders/k/1.yaml").is_file(), err
    assert "kaderwerk --project sub check k" in out
    for args in (("validate",), ("check",), ("test",), ("list",), ("show", "k"),
                 ("render", "k"), ("check", "k")):
        code, out, err = run_cli(*args, "--project", "sub")
        assert code == 0, (args, out, err)
    assert run_cli("check", "k")[0] == 1  # from the top folder, without it: no such kader
    code, out, err = run_cli("check", "--project", "nergens")
    assert code == 2 and "--project nergens" in err and out == ""
