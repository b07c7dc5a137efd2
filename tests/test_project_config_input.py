"""A project's config is an input like a kader file: no writing option of any command may
replace ``kaderwerk.toml``, a ``pyproject.toml`` holding ``[tool.kaderwerk]``, or a config
file consulted on the way up from the working folder."""

from __future__ import annotations

from pathlib import Path

import pytest

WRITERS = [
    ["check", "k", "--report", "junit", "--report-file"],
    ["validate", "--report", "sarif", "--report-file"],
    ["test", "--report", "junit", "--report-file"],
    ["render", "k", "-o"],
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "k")[0] == 0
    return tmp_path


def _refused(run_cli, command: list[str], target: Path | str) -> None:
    code, _, err = run_cli(*command, str(target))
    assert code == 2, err
    assert f"refusing to write {target}: it is an input file" in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_kaderwerk_toml_is_never_a_target(project: Path, run_cli, command: list[str]) -> None:
    config = project / "kaderwerk.toml"
    before = config.read_bytes()
    _refused(run_cli, command, "kaderwerk.toml")
    assert config.read_bytes() == before


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:2]))
def test_pyproject_with_the_config_is_never_a_target(project: Path, run_cli,
                                                     command: list[str]) -> None:
    (project / "kaderwerk.toml").unlink()
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[project]\nname = "mijn-kaders"\n\n[tool.kaderwerk]\n'
                         'kaders = ["kaders"]\n')
    before = pyproject.read_bytes()
    _refused(run_cli, command, "pyproject.toml")
    assert pyproject.read_bytes() == before


def test_config_found_above_the_working_folder_is_never_a_target(
        project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from inside a kader folder: the config two folders up, and a pyproject.toml of
    another tool passed on the way up, were both read."""
    werk = project / "kaders" / "k"
    (werk / "pyproject.toml").write_text("[tool.black]\nline-length = 99\n")
    before = {p: p.read_bytes() for p in (project / "kaderwerk.toml", werk / "pyproject.toml")}
    monkeypatch.chdir(werk)
    _refused(run_cli, ["check", "k", "--report", "junit", "--report-file"],
             Path("../../kaderwerk.toml"))
    _refused(run_cli, ["render", "k", "-o"], "pyproject.toml")
    assert {p: p.read_bytes() for p in before} == before


def test_setup_commands_keep_the_config(project: Path, run_cli) -> None:
    """init, new kader and schema write new files only; the config stays byte-identical."""
    config = project / "kaderwerk.toml"
    before = config.read_bytes()
    code, out, err = run_cli("init")
    assert code == 0 and "kept kaderwerk.toml" in out, out + err
    assert run_cli("new", "kader", "k")[0] != 0
    code, _, err = run_cli("schema", "--output", ".")
    assert code == 0 and "Traceback" not in err
    assert config.read_bytes() == before
