"""A project's config read as a user's file: odd bytes, a shared pyproject.toml, a typo in a
table name, kader folders inside each other; each a located line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "k")[0] == 0
    return tmp_path


def test_config_with_a_byte_order_mark_is_read(project: Path, run_cli) -> None:
    config = project / "kaderwerk.toml"
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())
    code, out, err = run_cli("list")
    assert code == 0 and "k" in out and "TOML" not in err, err


@pytest.mark.parametrize("naam", ["kaderwerk.toml", "pyproject.toml"])
def test_toml_error_is_file_line_col(project: Path, run_cli, naam: str) -> None:
    (project / "kaderwerk.toml").unlink()
    (project / naam).write_text('[tool.kaderwerk]\nkaders = ["kaders"\n'
                                if naam == "pyproject.toml" else '[kaderwerk]\nkaders = [\n')
    code, _, err = run_cli("list")
    assert code == 1 and f"{naam}:3:1: not valid TOML" in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_broken_pyproject_of_another_tool_is_ignored_with_a_warning(project: Path,
                                                                      run_cli) -> None:
    (project / "kaderwerk.toml").unlink()
    (project / "pyproject.toml").write_text("[tool.black\nline-length = 99\n")
    code, _, err = run_cli("list")  # no project: the installed kaders, and a warning
    assert code == 0 and "warning: " in err and "pyproject.toml:1:12: not valid TOML" in err
    assert "ignores it" in err and len(err.strip().splitlines()) == 1, err


def test_tool_table_close_to_kaderwerk_is_warned_about(project: Path, run_cli) -> None:
    (project / "kaderwerk.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.black]\nx = 1\n[tool.kaderwerkk]\n'
                                            'kaders = ["kaders"]\n')
    err = run_cli("check", "k")[2]
    assert "pyproject.toml:3: [tool.kaderwerkk]" in err and "did you mean 'kaderwerk'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("kaders", ['["kaders", "kaders/k"]', '["kaders", "./kaders"]'])
def test_kader_folders_inside_each_other_are_refused(project: Path, run_cli,
                                                     kaders: str) -> None:
    (project / "kaderwerk.toml").write_text(f"[kaderwerk]\n\nkaders = {kaders}\n")
    for command in ("validate", "check", "list"):
        code, _, err = run_cli(command)
        assert code == 1 and "kaderwerk.toml:3: " in err and "read twice" in err, err
        assert "Traceback" not in err


@pytest.mark.parametrize("naam", ["datasets", "voorbeelden"])
def test_new_kader_refuses_a_reserved_folder_name(project: Path, run_cli, naam: str) -> None:
    code, _, err = run_cli("new", "kader", naam)
    assert code == 2 and "reserved" in err and "Traceback" not in err, err
    assert not (project / "kaders" / naam).exists()


def test_a_fresh_project_without_kaders_passes_validate_check_and_test(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    """What init wrote passes its own hooks; a folder named explicitly stays an error."""
    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    for command in ("validate", "check", "test"):
        code, _, err = run_cli(command)
        assert code == 0 and "no kaders yet in kaders/" in err, (command, err)
    assert run_cli("validate", "kaders")[0] == 2
    assert run_cli("check", "missing")[0] == 1


def test_init_that_cannot_finish_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                run_cli) -> None:
    """kaders is a file: exit 1 naming it, and no file written beside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kaders").write_text("")
    code, out, err = run_cli("init")
    assert code == 1 and "kaders: a file where init needs a folder" in err, err
    assert "Traceback" not in err and "wrote" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kaders"]


def test_init_keeps_a_dangling_link_like_an_existing_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          run_cli) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").symlink_to("nowhere")
    (tmp_path / ".pre-commit-config.yaml").symlink_to("nowhere")
    code, out, err = run_cli("init")
    assert code == 0 and "kept README.md" in out and "-o" not in err, (out, err)
    assert (tmp_path / "README.md").is_symlink() and not (tmp_path / "nowhere").exists()


def test_check_and_test_report_kader_files_they_cannot_read(project: Path, run_cli) -> None:
    """A FIFO, a link to a device and a link loop among the versies: every command that reads
    the project names each (exit 1), none passes them by and none shows a traceback."""
    import os

    folder = project / "kaders" / "k"
    os.mkfifo(folder / "3.yaml")
    (folder / "4.yaml").symlink_to("/dev/null")
    (folder / "5.yaml").symlink_to("5.yaml")
    for args in (("check",), ("check", "k"), ("validate",), ("test",)):
        code, _, err = run_cli(*args)
        assert code == 1 and "Traceback" not in err and "internal error" not in err, (args, err)
        assert "kaders/k/5.yaml: " in err, (args, err)
        # by id too: every versie that cannot be read, not only the newest (the loop)
        assert "kaders/k/3.yaml: " in err and "kaders/k/4.yaml: " in err, (args, err)


@pytest.mark.parametrize(("naam", "tekst", "plek", "wat"), [
    ("kaderwerk.toml", '[kaderwerk]\n\nkaders = "kaders"\n', 3, "must be a list of texts"),
    ("kaderwerk.toml", '[kaderwerk]\nkaders = [1]\n', 2, "must be a list of texts"),
    ("kaderwerk.toml", '[kaderwerk]\n\nplugins = "x"\n', 3, "must be a list of texts"),
    ("kaderwerk.toml", '\nkaderwerk = 3\n', 2, "must be a table"),
    ("pyproject.toml", '[project]\nname = "x"\n[tool]\nkaderwerk = 3\n', 4, "must be a table"),
    ("kaderwerk.toml", '[kaderwerk]\nkaders = [""]\n', 2, "empty name"),
    ("kaderwerk.toml", '[kaderwerk]\nplugins = ["  "]\n', 2, "empty name"),
    ("kaderwerk.toml", '[kaderwerk]\nkaders = ["{abs}"]\n', 2, "relative to this file"),
    ("kaderwerk.toml", '[kaderwerk]\nkaders = ["~/kaders"]\n', 2, "relative to this file"),
])
def test_every_config_error_is_at_file_line(project: Path, run_cli, naam: str, tekst: str,
                                            plek: int, wat: str) -> None:
    """Each wrong value names the config file and the line of its key, and what to write."""
    (project / "kaderwerk.toml").unlink()
    (project / naam).write_text(tekst.replace("{abs}", str(project / "kaders")))
    for command in ("list", "check", "validate"):
        code, _, err = run_cli(command)
        assert code == 1 and f"{naam}:{plek}: " in err and wat in err, (command, err)
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_an_id_at_versie_defined_twice_is_named_at_each_file(project: Path, run_cli) -> None:
    """Two kader folders holding k@1: each file is named at the start of its own line."""
    (project / "kaderwerk.toml").write_text('[kaderwerk]\nkaders = ["kaders", "andere"]\n')
    (project / "andere" / "k").mkdir(parents=True)
    (project / "andere/k/1.yaml").write_text((project / "kaders/k/1.yaml").read_text())
    code, _, err = run_cli("check", "k@1")
    assert code == 1 and "Traceback" not in err, err
    regels = [r for r in err.splitlines() if "defined twice" in r]
    assert regels and all(r.startswith(("kaders/k/1.yaml: ", "andere/k/1.yaml: "))
                          for r in regels), err
