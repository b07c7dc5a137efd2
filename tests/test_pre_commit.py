"""kaderwerk's pre-commit hooks, installed by pre-commit from this working tree into a scratch
kader repository, run validate, check and test on it and catch a broken kader."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_diff_base import git

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

HOOKS = ("kaderwerk-validate", "kaderwerk-check", "kaderwerk-test")


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    r = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook,
                        "--all-files"], cwd=repo, env=env, capture_output=True, text=True,
                       timeout=900)
    if "Installing environment" in r.stdout and "An unexpected error" in r.stdout + r.stderr:
        pytest.skip("pre-commit could not install the hook environment (it needs kaderwerk's "
                    "dependencies from the package index): " + r.stdout[-300:])
    return r


def test_hooks_run_validate_check_and_test(tmp_path: Path, monkeypatch, run_cli) -> None:
    """On a fresh project all three hooks pass; a mistyped key makes validate and check fail."""
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.chdir(repo)
    git(repo, "init", "-q")
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "mijn-kader")[0] == 0
    git(repo, "add", "-A")
    home = tmp_path / "pre-commit-home"
    for hook in HOOKS:
        r = _try_repo(repo, hook, home)
        assert r.returncode == 0, r.stdout + r.stderr
        assert f"kaderwerk {hook.removeprefix('kaderwerk-')}" in r.stdout
        assert "Passed" in r.stdout
    kader = repo / "kaders" / "mijn-kader" / "1.yaml"
    kader.write_text(kader.read_text().replace("\ntitel:", "\ntitl:", 1))
    git(repo, "add", "-A")
    for hook in ("kaderwerk-validate", "kaderwerk-check"):
        r = _try_repo(repo, hook, home)
        assert r.returncode == 1 and "Failed" in r.stdout and "titl" in r.stdout, r.stdout


def test_a_project_in_a_sub_folder_is_checked_by_the_top_folders_hooks(tmp_path: Path,
                                                                         monkeypatch,
                                                                         run_cli) -> None:
    """init in 'mijn kaders/' of a monorepo: pre-commit (run from the top folder, as it always
    is) runs the hooks init wrote there on that project, names its files from the top folder,
    catches a broken kader, and skips a commit that touches only another folder."""
    repo = tmp_path / "mono"
    sub = repo / "mijn kaders"
    sub.mkdir(parents=True)
    git(repo, "init", "-q")
    monkeypatch.chdir(sub)
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "mijn-kader")[0] == 0
    (repo / "elders").mkdir()
    (repo / "elders" / "a.txt").write_text("x\n")
    git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "PRE_COMMIT_COLOR": "never",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", *args], cwd=repo,
                              env=env, capture_output=True, text=True, timeout=600)

    r = run("--all-files")
    assert r.returncode == 0 and r.stdout.count("Passed") == 3, r.stdout + r.stderr
    kader = sub / "kaders" / "mijn-kader" / "1.yaml"
    kader.write_text(kader.read_text().replace("\ntitel:", "\ntitl:", 1))
    git(repo, "add", "-A")
    r = run("--all-files")
    assert r.returncode == 1 and "mijn kaders/kaders/mijn-kader/1.yaml" in r.stdout, r.stdout
    r = run("--files", "elders/a.txt")
    assert r.returncode == 0 and "Passed" not in r.stdout and "Skipped" in r.stdout, r.stdout
