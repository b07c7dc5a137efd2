"""``diff --base REV`` reads the project's config as it was at REV: a config there that cannot
be used is an error at ``REV:CONFIG:LINE``, never a silent fallback to ``kaders/`` that would
show every kader as new and let ``--fail-on-impact`` pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import test_diff_base as basis

pytestmark = basis.pytestmark
repo = basis.repo
git = basis.git


def _base_config(repo: Path, tekst: str, naam: str = "kaderwerk.toml") -> None:
    """Rewind to the first commit, commit ``tekst`` as its config (the base), then put the
    working config back as it was and change a rule (the branch)."""
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    config = repo / "kaderwerk.toml"
    goed = config.read_text()
    if naam != "kaderwerk.toml":
        config.unlink()
    (repo / naam).write_text(tekst)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "config at the base")
    (repo / naam).unlink()
    config.write_text(goed)
    basis._regel_gewijzigd(repo / "kaders" / "mijn-kader" / "1.yaml")


@pytest.mark.parametrize(("tekst", "regel"), [
    ('[kaderwerk]\n\nkaders = "kaders"\n', 3),
    ('[kaderwerk]\nkaders = ["kaders"\n', 3),
    ('[kaderwerk]\nkaders = ["kaders"]\nplugin = []\n', 3),
    ('[kaderwerk]\nkaders = [""]\n', 2),
    ('[kaderwerk]\nkaders = ["../elders"]\n', 2),
])
def test_a_broken_config_at_the_base_is_an_error_at_rev(repo: Path, run_cli, tekst: str,
                                                        regel: int) -> None:
    _base_config(repo, tekst)
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--fail-on-impact")
    assert code == 1 and out == "", (out, err)
    assert err.startswith(f"HEAD:kaderwerk.toml:{regel}"), err
    assert "Traceback" not in err and "new, all of it" not in out


def test_a_broken_kaderwerk_table_in_pyproject_at_the_base(repo: Path, run_cli) -> None:
    _base_config(repo, '[project]\nname = "x"\n[tool.kaderwerk]\nkaders = [1]\n',
                 "pyproject.toml")
    code, _, err = run_cli("diff", "--base", "HEAD")
    assert code == 1 and err.startswith("HEAD:pyproject.toml:4"), err


def test_a_broken_pyproject_of_another_tool_at_the_base_is_a_warning(repo: Path,
                                                                      run_cli) -> None:
    """A pyproject.toml without [tool.kaderwerk] is not the project's config, at REV as now."""
    _base_config(repo, "[tool.black\nline-length = 99\n", "pyproject.toml")
    code, out, err = run_cli("diff", "--base", "HEAD", "--format", "json")
    assert code == 0 and "warning: HEAD:pyproject.toml:1" in err, err
    assert len(json.loads(out)["gewijzigd"]) == 1


def test_a_folder_the_base_config_names_but_git_has_no_files_of(repo: Path, run_cli) -> None:
    """git keeps no empty folder: its kaders are new, and a warning names the config line."""
    _base_config(repo, '[kaderwerk]\nkaders = ["kaders",\n  "concepten"]\n')
    code, out, err = run_cli("diff", "--base", "HEAD", "--format", "json")
    assert code == 0, err
    assert "warning: HEAD:kaderwerk.toml:2: the kader folder 'concepten' has no files" in err
    assert len(json.loads(out)["gewijzigd"]) == 1  # kaders/ is still read at the base


def test_fail_on_impact_without_beoordelingen_counts_removed_kaders(repo: Path,
                                                                     run_cli) -> None:
    """No scores: no oordeel can be compared, but a removed kader is impact on its own."""
    code, _, err = run_cli("diff", "--base", "HEAD", "--fail-on-impact")
    assert code == 0, err
    git(repo, "rm", "-rq", "kaders/ander-kader")
    code, out, err = run_cli("diff", "--base", "HEAD", "--fail-on-impact")
    assert code == 1 and "ander-kader@1" in out and "removed" in err, (out, err)
