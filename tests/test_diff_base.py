"""``diff --base REV`` on a scratch kader repository, and the repository in a fresh clone."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SCORES = "organisatie,1.1.1,1.1.2,1.1.3\nAlfa,V,V,V\nBeta,O,V,V\nGamma,O,O,V\n"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    """init, new kader proven by id, committed; then a rule changed in a second commit."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "mijn-kader")[0] == 0
    assert run_cli("new", "kader", "ander-kader")[0] == 0
    assert run_cli("check", "mijn-kader")[0] == 0
    (tmp_path / "scores.csv").write_text(SCORES)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "mijn-kader")
    kader = tmp_path / "kaders" / "mijn-kader" / "1.yaml"
    kader.write_text(kader.read_text().replace("als: {onvoldoende: {min: 2}}",
                                               "als: {onvoldoende: {min: 3}}")
                     .replace("als: {onvoldoende: {gelijk: 1}}",
                              "als: {onvoldoende: {min: 1, max: 2}}"))
    git(tmp_path, "commit", "-qam", "twee onvoldoende is matig")
    return tmp_path


def test_diff_base_names_the_organisations_whose_oordeel_changes(repo: Path, run_cli) -> None:
    """The done-when: only the changed kader, and Gamma (two onvoldoende) goes to matig."""
    before = _tree(repo)
    code, out, err = run_cli("diff", "--base", "HEAD~1", "--beoordelingen", "scores.csv",
                             "--format", "markdown")
    assert code == 0, err
    assert "mijn-kader@1" in out and "ander-kader" not in out
    assert re.search(r"\| Gamma \| 1\.1 \| onvoldoende \| matig \|", out)
    assert "Alfa" not in out and "Beta" not in out
    assert _tree(repo) == before  # nothing written, nothing checked out
    code, _, _ = run_cli("diff", "--base", "HEAD~1", "--beoordelingen", "scores.csv",
                         "--fail-on-impact")
    assert code == 1
    code, out, _ = run_cli("diff", "--base", "HEAD", "--format", "json")
    assert code == 0 and json.loads(out)["gewijzigd"] == []


def test_a_kader_new_since_the_base_is_all_new(repo: Path, run_cli) -> None:
    """A kader file that did not exist at the base is listed as new, not an error."""
    run_cli("new", "kader", "derde")
    code, out, err = run_cli("diff", "--base", "HEAD", "--format", "json")
    assert code == 0, err
    assert [n["ref"] for n in json.loads(out)["nieuw"]] == ["derde@1"]


@pytest.mark.parametrize("rev", ["geen-tak", "HEAD~9"])
def test_a_base_that_does_not_exist(repo: Path, run_cli, rev: str) -> None:
    """An unknown revision: a clear message naming it, exit 1."""
    code, out, err = run_cli("diff", "--base", rev)
    assert code == 1 and rev in err and out == "" and "internal error" not in err


def test_not_a_git_repository(tmp_path: Path, monkeypatch, run_cli) -> None:
    """A project outside git: diff --base says so, exit 1; OLD NEW with --base is usage."""
    monkeypatch.chdir(tmp_path)
    run_cli("init")
    run_cli("new", "kader", "k")
    if subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    code, _, err = run_cli("diff", "--base", "HEAD")
    assert code == 1 and "not in a git repository" in err
    code, _, err = run_cli("diff", "k", "k", "--base", "HEAD")
    assert code == 2


def test_schema_line_resolves_in_a_fresh_clone(repo: Path, tmp_path_factory, run_cli) -> None:
    """The committed $schema line of a kader file points at a committed schema file."""
    clone = tmp_path_factory.mktemp("kloon") / "kaders-repo"
    git(repo, "clone", "-q", str(repo), str(clone))
    kader = clone / "kaders" / "mijn-kader" / "1.yaml"
    match = re.match(r"# yaml-language-server: \$schema=(\S+)", kader.read_text())
    assert match
    schema = (kader.parent / match.group(1)).resolve()
    assert schema.is_file() and clone in schema.parents
    assert json.loads(schema.read_text())["$id"].endswith("/v1/kader.schema.json")


LOOSEN = (("als: {onvoldoende: {min: 2}}", "als: {onvoldoende: {min: 3}}"),
          ("als: {onvoldoende: {gelijk: 1}}", "als: {onvoldoende: {min: 1, max: 2}}"))


def _loosen(text: str) -> str:
    for old, new in LOOSEN:
        text = text.replace(old, new)
    return text


@pytest.fixture
def basis_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    """A project with kader k, overlay ov on k@1 and kader weg, all committed."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "k")[0] == 0
    assert run_cli("new", "kader", "weg")[0] == 0
    (tmp_path / "kaders" / "ov").mkdir()
    (tmp_path / "kaders" / "ov" / "1.yaml").write_text(
        'id: ov\nversie: "1"\ntitel: Overlay op k\nbasis: {kader: k, versie: "1"}\n'
        "bron: {document: x, sectie: y, volledig: true}\n"
        "oordeelschaal: [voldoende, matig, onvoldoende]\n")
    (tmp_path / "scores.csv").write_text(SCORES)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def test_an_overlay_whose_basis_changed_is_diffed_against_the_old_basis(basis_repo: Path,
                                                                         run_cli) -> None:
    """Only k changed: ov is listed too, with Gamma's change; when ov changes as well, its old
    side is built on k as it was at the base, so the impact is still shown."""
    k = basis_repo / "kaders" / "k" / "1.yaml"
    k.write_text(_loosen(k.read_text()))
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["gewijzigd"]) == 2
    assert all(d["impact"] for d in data["gewijzigd"])
    ov = basis_repo / "kaders" / "ov" / "1.yaml"
    ov.write_text(ov.read_text().replace("titel: Overlay op k", "titel: Overlay op k (herzien)"))
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--fail-on-impact")
    assert code == 1 and "internal error" not in err
    assert out.count("Gamma") >= 2  # under k and under ov


def test_a_new_versie_is_compared_with_the_previous_one(basis_repo: Path, run_cli) -> None:
    """kaders/k/2.yaml is diffed against k@1 at the base, with impact; a removed kader is named."""
    oud = (basis_repo / "kaders" / "k" / "1.yaml").read_text()
    (basis_repo / "kaders" / "k" / "2.yaml").write_text(
        _loosen(oud.replace('versie: "1"', 'versie: "2"')))
    git(basis_repo, "rm", "-qr", "kaders/weg")
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["impact"] and data["nieuw"] == []
    assert [d["ref"] for d in data["verwijderd"]] == ["weg@1"]
    assert len(data["gewijzigd"]) == 1 and data["gewijzigd"][0]["impact"]
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--fail-on-impact")
    assert code == 1 and "Gamma" in out and "weg@1" in out


def test_a_binary_kader_file_is_a_located_error_now_and_at_the_base(basis_repo: Path,
                                                                     run_cli) -> None:
    """A kader file that is not text in the working tree: exit 1 naming it. Committed broken
    and fixed on the branch: the change repairs the base, a warning naming REV:path, and the
    kader is new."""
    (basis_repo / "kaders" / "bin").mkdir()
    kapot = basis_repo / "kaders" / "bin" / "1.yaml"
    kapot.write_bytes(b"\xff\xfe\x00bin")
    code, out, err = run_cli("diff", "--base", "HEAD")
    assert code == 1 and "kaders/bin/1.yaml" in err and "internal error" not in err
    git(basis_repo, "add", "-A")
    git(basis_repo, "commit", "-qm", "kapot")
    kapot.write_text((basis_repo / "kaders" / "weg" / "1.yaml").read_text()
                     .replace("id: weg", "id: bin"))
    code, out, err = run_cli("diff", "--base", "HEAD", "--format", "json")
    assert code == 0 and "warning: HEAD:kaders/bin/1.yaml could not be read at the base" in err
    assert json.loads(out)["nieuw"][0]["ref"] == "bin@1" and "Traceback" not in err


@pytest.mark.parametrize("oud", [b"\xef\xbb\xbfid: [x\n", b"id: k\nversie: \"1\"\ntitel: \xe9\n",
                                 b"\xfe\xff\x00i\x00d", b"id: [k\n"])
def test_an_unreadable_base_version_is_an_error_at_rev_path_line(basis_repo: Path, run_cli,
                                                                  oud: bytes) -> None:
    """Bad UTF-8, UTF-16, a YAML syntax error at the base, repaired on the branch: a warning
    naming REV:path and the reason, and the kader is new (still broken now: an error, see
    test_diff_base_sides)."""
    kader = basis_repo / "kaders" / "nieuw" / "1.yaml"
    kader.parent.mkdir()
    kader.write_bytes(oud)
    git(basis_repo, "add", "-A")
    git(basis_repo, "commit", "-qm", "kapot")
    kader.write_text((basis_repo / "kaders" / "weg" / "1.yaml").read_text()
                     .replace("id: weg", "id: nieuw"))
    code, out, err = run_cli("diff", "--base", "HEAD")
    assert code == 0 and "warning: HEAD:kaders/nieuw/1.yaml could not be read at the base" in err
    assert "compared as new" in err and "Traceback" not in err
    assert "nieuw@1 (kaders/nieuw/1.yaml): new, all of it" in out


@pytest.mark.parametrize("geval", ["dubbel", "map", "versie", "regelovergang"])
def test_diff_base_applies_the_project_rules_to_new_files(basis_repo: Path, run_cli,
                                                          geval: str) -> None:
    """A duplicate id@versie, an id that disagrees with its folder, a versie with another file
    name, a file name with a line feed: exit 1 as in validate, never listed as new."""
    tekst = (basis_repo / "kaders" / "weg" / "1.yaml").read_text()
    if geval == "dubbel":
        (basis_repo / "kaders" / "weg" / "1.yml").write_text(tekst)
    elif geval == "map":
        (basis_repo / "kaders" / "k3").mkdir()
        (basis_repo / "kaders" / "k3" / "1.yaml").write_text(tekst.replace("id: weg", "id: zz"))
    elif geval == "versie":
        (basis_repo / "kaders" / "weg" / "01.yaml").write_text(tekst)
    else:
        (basis_repo / "kaders" / "weg" / "2\nx.yaml").write_text(tekst)
    code, out, err = run_cli("validate")
    assert code == 1
    code, out, err = run_cli("diff", "--base", "HEAD")
    assert code == 1 and "new, all of it" not in out, (out, err)
    assert re.search(r"kaders/(weg|k3)/\S*\.ya?ml", err), err
    assert all(line.count(".y") <= 3 for line in err.splitlines())  # one line per finding
    assert "\\u000a" in err or geval != "regelovergang"


def test_diff_base_in_a_repository_without_commits(tmp_path: Path, monkeypatch, run_cli) -> None:
    """No commit yet: say so, exit 1."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "k")[0] == 0
    code, _, err = run_cli("diff", "--base", "main")
    assert code == 1 and "no commits yet" in err and "Traceback" not in err


def test_fail_on_impact_says_a_removed_kader_is_the_reason(basis_repo: Path, run_cli) -> None:
    """Only a removed kader: exit 1 with a line that says it was the removal."""
    git(basis_repo, "rm", "-qr", "kaders/weg")
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--fail-on-impact")
    assert code == 1 and "weg@1" in out
    assert re.search(r"--fail-on-impact: .*removed since HEAD \(weg@1\)", err), err


def test_beoordelingen_come_from_the_working_tree_and_a_changed_one_is_flagged(
        repo: Path, run_cli) -> None:
    """The report says where the beoordelingen were read; a scores file changed since the base
    gets a warning (report and stderr) that the impact is only the kader's change."""
    code, out, err = run_cli("diff", "--base", "HEAD~1", "--beoordelingen", "scores.csv",
                             "--format", "markdown")
    assert code == 0 and "beoordelingen from the working tree: scores.csv" in out
    assert "warning" not in out + err
    (repo / "scores.csv").write_text(SCORES + "Delta,O,O,O\n")
    for fmt in ("markdown", "text"):
        code, out, err = run_cli("diff", "--base", "HEAD~1", "--beoordelingen", "scores.csv",
                                 "--format", fmt)
        assert code == 0 and "scores.csv changed since HEAD" in out, fmt
    code, out, err = run_cli("diff", "--base", "HEAD~1", "--beoordelingen", "scores.csv",
                             "--format", "json")
    assert json.loads(out)["beoordelingen"] == [{"bestand": "scores.csv",
                                                 "gewijzigd_sinds_base": True}]
    assert "scores.csv changed since HEAD~1" in err


@pytest.mark.parametrize("base", ["HEAD~1", "HEAD"])
def test_a_missing_or_folder_beoordelingen_is_an_error_even_when_nothing_changed(
        repo: Path, run_cli, base: str) -> None:
    """A typo in --beoordelingen is exit 1 naming it, also when no kader changed since the base
    (HEAD), so --fail-on-impact cannot pass by reading nothing."""
    (repo / "map").mkdir()
    for name in ("geen.csv", "map"):
        code, out, err = run_cli("diff", "--base", base, "--beoordelingen", name,
                                 "--fail-on-impact")
        assert code == 1 and f"--beoordelingen {name}" in err and out == ""
        assert "Traceback" not in err and "internal error" not in err


def test_a_shallow_clone_says_to_fetch_the_base(repo: Path, tmp_path_factory, monkeypatch,
                                                run_cli) -> None:
    """CI clones with depth 1: the base is missing, and the message says to fetch it (exit 1);
    after fetching, the same command reports the impact."""
    clone = tmp_path_factory.mktemp("ondiep") / "kloon"
    git(repo, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    monkeypatch.chdir(clone)
    code, out, err = run_cli("diff", "--base", "HEAD~1")
    assert code == 1 and out == "" and "shallow clone" in err and "fetch" in err
    git(clone, "fetch", "-q", "--unshallow", "origin")
    code, out, err = run_cli("diff", "--base", "HEAD~1", "--beoordelingen", "scores.csv")
    assert code == 0 and "Gamma" in out, err


def test_a_kader_file_with_a_bom_at_the_base_is_read_as_in_the_working_tree(repo: Path,
                                                                           run_cli) -> None:
    """The base side is decoded as every YAML file is: a UTF-8 byte order mark is allowed."""
    kader = repo / "kaders" / "mijn-kader" / "1.yaml"
    tekst = kader.read_text()
    kader.write_bytes(b"\xef\xbb\xbf" + tekst.encode())
    git(repo, "commit", "-qam", "met BOM")
    kader.write_text(tekst.replace("als: {onvoldoende: {min: 3}}", "als: {onvoldoende: {min: 4}}"))
    code, out, err = run_cli("diff", "--base", "HEAD", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [g["oud"]["ref"] for g in data["gewijzigd"]] == ["mijn-kader@1"] and not data["nieuw"]


def _regel_gewijzigd(kader: Path) -> None:
    kader.write_text(kader.read_text().replace("als: {onvoldoende: {min: 2}}",
                                               "als: {onvoldoende: {min: 3}}")
                     .replace("als: {onvoldoende: {gelijk: 1}}",
                              "als: {onvoldoende: {min: 1, max: 2}}"))


def test_renamed_kader_folder_is_paired_by_id_at_versie(repo: Path, run_cli) -> None:
    """git mv kaders frameworks, the config follows, a rule changes: the base is read with the
    config as it was at REV, so the change and its impact are shown, nothing new or removed."""
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    git(repo, "mv", "kaders", "frameworks")
    config = repo / "kaderwerk.toml"
    config.write_text(config.read_text().replace('kaders = ["kaders"]',
                                                 'kaders = ["frameworks"]'))
    _regel_gewijzigd(repo / "frameworks" / "mijn-kader" / "1.yaml")
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--format", "json", "--fail-on-impact")
    data = json.loads(out)
    assert code == 1 and not data["nieuw"] and not data["verwijderd"], (out, err)
    assert len(data["gewijzigd"]) == 1 and data["impact"]
    assert "oordelen change in 1 kader" in err and "removed" not in err, err


def test_kader_moved_between_kader_folders_is_a_comparison_only(repo: Path, run_cli) -> None:
    """git mv a/x b/x between two configured folders: compared (unchanged: left out), never
    removed; --fail-on-impact passes."""
    config = repo / "kaderwerk.toml"
    config.write_text(config.read_text().replace('kaders = ["kaders"]',
                                                 'kaders = ["kaders", "andere"]'))
    (repo / "andere").mkdir()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two folders")
    git(repo, "mv", "kaders/ander-kader", "andere/ander-kader")
    code, out, err = run_cli("diff", "--base", "HEAD", "--beoordelingen", "scores.csv",
                             "--fail-on-impact")
    assert code == 0 and "removed" not in out + err and "new" not in out, (out, err)
    assert "No kader changed" in out
