"""The files of a kader project: every command finds the same files and the same problems."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

GOED = "kaders/mijn-kader/1.yaml"
# each file the layout cannot use, with a word of the reason every command gives for it
ONBRUIKBAAR = {
    "kaders/mijn-kader/oud/1.yaml": "its folder is 'oud'",  # a copy in a deeper folder
    "kaders/datasets/2025.yaml": "'datasets' is the name of a kader's own",
    "kaders/voorbeelden/1.yaml": "'voorbeelden' is the name of a kader's own",
    "kaders/mijn-kader/5.YAML": "lower case",
    "kaders/lus": "leads nowhere",  # a link loop where a kader folder would be
}
# YAML-named files in a kader's place that its reader cannot read
ONLEESBAAR = ("kaders/mijn-kader/2.yaml", "kaders/mijn-kader/3.yaml", "kaders/mijn-kader/4.yaml")
VERBORGEN = ("kaders/.oud/1.yaml", "kaders/mijn-kader/.1.yaml")


@pytest.fixture
def vreemd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    """A project holding every odd case beside one good kader."""
    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "mijn-kader")[0] == 0
    kader = tmp_path / GOED
    for rel in ("kaders/mijn-kader/oud/1.yaml", "kaders/.oud/1.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(kader, tmp_path / rel)
    for rel in ("kaders/datasets/2025.yaml", "kaders/voorbeelden/1.yaml"):
        (tmp_path / rel).parent.mkdir()
        (tmp_path / rel).write_text("naam: x\n")
    (tmp_path / "kaders/mijn-kader/5.YAML").write_text(kader.read_text())
    (tmp_path / "kaders/mijn-kader/.1.yaml").write_text(": niet: [yaml\n")
    (tmp_path / "kaders/mijn-kader/README.md").write_text("# notities\n")
    try:
        os.mkfifo(tmp_path / ONLEESBAAR[0])
        (tmp_path / ONLEESBAAR[1]).symlink_to("/dev/null")
        (tmp_path / ONLEESBAAR[2]).symlink_to("4.yaml")
        (tmp_path / "kaders/lus").symlink_to("lus")
    except (OSError, AttributeError):
        pytest.skip("no FIFOs or symbolic links here")
    return tmp_path


def _genoemd(tekst: str) -> set[str]:
    """The project files a command's output names at the start of a finding."""
    alle = [GOED, *ONBRUIKBAAR, *ONLEESBAAR, *VERBORGEN]
    return {f for f in alle if f"{f}: " in tekst or f"{f}:1" in tekst}


def test_every_command_names_the_same_files_with_the_same_problems(vreemd: Path,
                                                                    run_cli) -> None:
    """validate, check, test, check by id and list agree: each file the layout cannot use and
    each unreadable versie is named (exit 1) with one reason, hidden files never, and no
    command shows a traceback."""
    slecht = set(ONBRUIKBAAR) | set(ONLEESBAAR)
    for args in (("validate",), ("check",), ("test",), ("check", "mijn-kader"),
                 ("validate", "mijn-kader"), ("test", "mijn-kader")):
        code, out, err = run_cli(*args)
        assert code == 1 and "Traceback" not in err and "internal error" not in err, (args, err)
        in_kader = {f for f in slecht if f.startswith("kaders/mijn-kader/")}
        verwacht = in_kader if "mijn-kader" in args else slecht
        assert _genoemd(err) - {GOED} == verwacht, (args, err)
        for rel, reden in ONBRUIKBAAR.items():
            if rel in verwacht:
                regel = next(r for r in err.splitlines() if r.startswith(f"{rel}: "))
                assert reden in regel, (args, regel)
    code, out, err = run_cli("list", "--format", "json")
    assert code == 1, err
    rows = json.loads(out)["kaders"]
    fouten = {r["bestand"] for r in rows if r["lokaal"] and r["fout"]}
    assert fouten == slecht
    # the copy in oud/ is not a versie: never listed as a second mijn-kader@1
    assert [r["bestand"] for r in rows if (r["id"], r["versie"]) == ("mijn-kader", "1")] == [GOED]


def test_list_names_each_unusable_file_with_its_reason_on_its_line(vreemd: Path,
                                                                   run_cli) -> None:
    """The text list gives the reason (shortened) beside 'fout', exits 1, and names the copy
    in oud/ by its path, not as mijn-kader@1."""
    code, out, err = run_cli("list")
    assert code == 1 and "Traceback" not in err, err
    regels = out.splitlines()
    for rel, reden in ONBRUIKBAAR.items():
        regel = next(r for r in regels if r.startswith(f"{rel}  fout: "))
        assert reden[:30] in regel, regel
    assert sum(r.startswith("mijn-kader@1 ") for r in regels) == 1
    assert all(len(r) < 200 for r in regels if " fout: " in r)
    shutil.rmtree(vreemd / "kaders")
    (vreemd / "kaders").mkdir()
    assert run_cli("list")[0] == 0  # a project without unusable files: exit 0


def test_the_copy_in_a_deeper_folder_is_named_by_its_path_too(vreemd: Path, run_cli) -> None:
    """Named as a file (a pre-commit hook passes paths) it gets the same reason."""
    for command in ("validate", "check"):
        code, _, err = run_cli(command, "kaders/mijn-kader/oud/1.yaml")
        assert code == 1 and "kaders/mijn-kader/oud/1.yaml: its folder is 'oud'" in err, err


@pytest.mark.parametrize("args", [("show", "mijn-kader"), ("render", "mijn-kader"),
                                  ("assess", "mijn-kader", "s.csv"),
                                  ("diff", "mijn-kader", "mijn-kader")])
def test_every_command_resolving_the_id_names_its_unusable_files(vreemd: Path, run_cli,
                                                                 args: tuple[str, ...]) -> None:
    """As check ID does: any unusable file of the id could be its newest versie, so show,
    render, assess and diff never pass it by for an older one (exit 1, each file named)."""
    (vreemd / "s.csv").write_text("organisatie,1.1.1,1.1.2,1.1.3\nA,V,V,V\n")
    code, out, err = run_cli(*args)
    assert code == 1 and "Traceback" not in err and out == "", (args, err)
    assert _genoemd(err) == {f for f in {*ONBRUIKBAAR, *ONLEESBAAR}
                             if f.startswith("kaders/mijn-kader/")}, (args, err)
    assert len(err.splitlines()) == len(set(err.splitlines())), err  # each once


def test_a_versie_names_the_unusable_files_that_could_be_it(vreemd: Path, run_cli) -> None:
    """k@1 with a copy in oud/1.yaml: which is versie 1 is unclear, so it is named; the broken
    2.yaml to 5.YAML are other versies. The good file by its path is always usable."""
    for command in ("show", "render"):
        code, _, err = run_cli(command, "mijn-kader@1")
        assert code == 1 and _genoemd(err) == {"kaders/mijn-kader/oud/1.yaml"}, err
    shutil.rmtree(vreemd / "kaders/mijn-kader/oud")
    assert run_cli("show", "mijn-kader@1")[0] == 0
    assert run_cli("show", GOED)[0] == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_listing_is_sorted_as_the_working_tree(vreemd: Path, run_cli) -> None:
    """diff --base sorts the files git lists at REV with the same function as the working tree:
    the same kinds for every file git can hold, and an unusable file at REV is REV:path."""
    from kaderwerk.sources.projectbestanden import indeel, lees_map

    for rel in (*ONLEESBAAR, "kaders/lus"):  # git holds no FIFO; links it keeps as files
        (vreemd / rel).unlink()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=vreemd, check=True)
    subprocess.run([*git, "add", "-A"], cwd=vreemd, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=vreemd, check=True)
    namen = subprocess.run(["git", "ls-tree", "-r", "--name-only", "HEAD", "--", "kaders/"],
                           cwd=vreemd, check=True, capture_output=True, text=True).stdout
    uit_git = indeel([(PurePosixPath(n.removeprefix("kaders/")), None)
                      for n in namen.splitlines()], "kaders")
    assert uit_git == indeel(lees_map(vreemd / "kaders"), "kaders")
    code, _, err = run_cli("diff", "--base", "HEAD")
    assert code == 1 and "Traceback" not in err, err
    assert "HEAD:kaders/" in err and ("its folder is 'oud'" in err or "own" in err), err


def test_a_fresh_project_writes_every_report_asked_for(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       run_cli) -> None:
    """No kaders yet: validate, check and test exit 0 with the note, and still write each
    --report-file (empty and valid), so a CI step that uploads it finds it."""
    import xml.etree.ElementTree as ET

    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    for command in ("validate", "check", "test"):
        code, _, err = run_cli(command, "--report", "junit", "--report-file", f"{command}.xml",
                               "--report", "sarif", "--report-file", f"{command}.sarif")
        assert code == 0 and "note: no kaders yet" in err, (command, err)
        ET.parse(tmp_path / f"{command}.xml")
        sarif = json.loads((tmp_path / f"{command}.sarif").read_text())
        assert sarif["runs"][0]["results"] == [], command
