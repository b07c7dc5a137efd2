"""``diff --base REV`` where the two sides differ in what they can read: a column only the new
kader knows, and a kader file the base could not use that the branch removes or repairs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.test_diff_base import git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NIEUW = ('          - id: "1.1.3"\n            tekst: De derde verwachting.\n',
         '          - id: "1.1.3"\n            tekst: De derde verwachting.\n'
         '          - id: "1.1.4"\n            tekst: De vierde verwachting.\n')


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    """A kader project with mijn-kader committed: the base of every test here."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "mijn-kader")[0] == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "mijn-kader")
    return tmp_path


def _voeg_verwachting_toe(root: Path) -> None:
    kader = root / "kaders" / "mijn-kader" / "1.yaml"
    assert NIEUW[0] in kader.read_text()
    kader.write_text(kader.read_text().replace(*NIEUW))


def test_a_column_only_the_new_kader_knows_is_judged_on_the_new_side(project: Path,
                                                                    run_cli) -> None:
    """Finding a: the verwachting and its column come in one change; the old side ignores it."""
    _voeg_verwachting_toe(project)
    (project / "scores.csv").write_text("organisatie,1.1.1,1.1.2,1.1.3,1.1.4\n"
                                        "Alfa,V,V,V,O\nBeta,O,V,V,V\n")
    for fmt in ("text", "markdown"):
        code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                                 "--format", fmt)
        assert code == 0, err
        assert "1.1.4" in out and "vierde" in out  # the structure diff is shown
        assert "column 1.1.4 is new in this change" in out
        assert re.search(r"Alfa.*voldoende.*matig", out) and "Beta" not in out
        assert "Traceback" not in err
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--format", "json")
    assert code == 0, err
    assert '"nieuwe_kolommen"' in out


def test_an_error_that_remains_says_which_side_read_the_file(project: Path, run_cli) -> None:
    """The old kader's verwachting 1.1.3 has no column: the old side's rule, said as such."""
    _voeg_verwachting_toe(project)
    kader = project / "kaders" / "mijn-kader" / "1.yaml"
    kader.write_text(kader.read_text().replace(
        '          - id: "1.1.3"\n            tekst: De derde verwachting.\n', ""))
    (project / "scores.csv").write_text("organisatie,1.1.1,1.1.2,1.1.4\nAlfa,V,V,O\n")
    code, _, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv")
    assert code == 1
    assert err.startswith("scores.csv:1:") and "1.1.3" in err
    assert "HEAD:kaders/mijn-kader/1.yaml" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_column_the_new_kader_knows_is_read_by_the_yaml_reader_too(project: Path,
                                                                     run_cli) -> None:
    _voeg_verwachting_toe(project)
    (project / "scores.yaml").write_text(
        "organisaties:\n  - naam: Alfa\n    scores: {'1.1.1': V, '1.1.2': V, '1.1.3': V,"
        " '1.1.4': O}\n")
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.yaml")
    assert code == 0, err
    assert "column 1.1.4 is new in this change" in out
    assert re.search(r"Alfa.*voldoende.*matig", out)


@pytest.mark.parametrize("naam, tekst", [("2.yaml", "id: [mijn-kader\n"),
                                         ("2.YAML", "id: mijn-kader\n"),
                                         ("3.yaml", 'id: mijn-kader\nversie: "4"\n')])
def test_an_unusable_base_file_the_change_removes_is_a_warning(project: Path, run_cli,
                                                              naam: str, tekst: str) -> None:
    """Finding b: broken YAML, a bad file name, a versie that disagrees with the name at the
    base, and the branch deletes the file: the pull request repairs main."""
    bestand = project / "kaders" / "mijn-kader" / naam
    bestand.write_text(tekst)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "kapot")
    bestand.unlink()
    code, out, err = run_cli("diff", "--base", "HEAD")
    assert code == 0, err
    assert f"warning: HEAD:kaders/mijn-kader/{naam} could not be read at the base" in err
    assert "compared as new" in err and "Traceback" not in err
    assert "No kader changed" in out


def test_an_unusable_base_file_the_change_repairs_is_compared_as_new(project: Path,
                                                                     run_cli) -> None:
    kader = project / "kaders" / "mijn-kader" / "1.yaml"
    goed = kader.read_text()
    kader.write_text(goed.replace("themas:", "themas: [", 1))
    git(project, "commit", "-qam", "kapot")
    kader.write_text(goed)
    code, out, err = run_cli("diff", "--base", "HEAD")
    assert code == 0, err
    assert "HEAD:kaders/mijn-kader/1.yaml could not be read at the base" in err
    assert "mijn-kader@1" in out and "new" in out


def test_an_unusable_base_file_still_unusable_now_is_an_error(project: Path, run_cli) -> None:
    kader = project / "kaders" / "mijn-kader" / "1.yaml"
    kader.write_text(kader.read_text().replace("themas:", "themas: [", 1))
    git(project, "commit", "-qam", "kapot")
    code, _, err = run_cli("diff", "--base", "HEAD")
    assert code == 1
    assert re.match(r"(HEAD:)?kaders/mijn-kader/1\.yaml:\d+", err)
    assert "warning" not in err and "Traceback" not in err
