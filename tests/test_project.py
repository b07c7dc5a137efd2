"""A kader project: found from the working folder, its kaders by id, init and its schemas."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import ClassVar

import jsonschema
import pytest
import yaml

from tests.conftest import ROOT


def _bestanden(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    """An initialised project with one new kader, as the working folder."""
    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "mijn-kader")[0] == 0
    return tmp_path


def test_init_writes_a_project_and_keeps_existing_files(tmp_path: Path, run_cli) -> None:
    """init writes the config, folders, schemas, pre-commit, CI and README; a second init keeps
    every file as the user left it."""
    code, out, err = run_cli("init", str(tmp_path))
    assert code == 0, err
    for name in ("kaderwerk.toml", ".pre-commit-config.yaml", ".github/workflows/kaders.yml",
                 "README.md", ".kaderwerk/schemas/kader.schema.json"):
        assert (tmp_path / name).is_file(), name
    assert (tmp_path / "kaders").is_dir()
    (tmp_path / "README.md").write_text("# eigen werk\n")
    before = _bestanden(tmp_path)
    code, out, _ = run_cli("init", str(tmp_path))
    assert code == 0 and "kept" in out
    assert _bestanden(tmp_path) == before


def test_new_kader_is_checkable_by_id_with_a_relative_schema(project: Path, run_cli) -> None:
    """The new kader is proven by id; its $schema line is relative and resolves."""
    code, out, err = run_cli("check", "mijn-kader")
    assert code == 0 and "mijn-kader@1" in out, err
    assert run_cli("show", "mijn-kader@1")[0] == 0
    for file in ("kaders/mijn-kader/1.yaml", "kaders/mijn-kader/voorbeelden/1.yaml"):
        first = (project / file).read_text().splitlines()[0]
        target = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert target and not target.group(1).startswith(("/", "file:")), first
        assert ((project / file).parent / target.group(1)).resolve().is_file()


def test_new_kader_prints_next_steps(tmp_path: Path, monkeypatch, run_cli) -> None:
    """new kader says what to run next, by id inside a project."""
    monkeypatch.chdir(tmp_path)
    run_cli("init")
    code, out, _ = run_cli("new", "kader", "k")
    assert code == 0 and "kaderwerk check k" in out


def test_commands_without_arguments_use_the_project(project: Path, run_cli) -> None:
    """validate, check and test with no argument work on the project's kaders and say so."""
    for command in ("validate", "check", "test"):
        code, out, err = run_cli(command)
        assert code == 0, (command, out, err)
        assert "kaders of the project: kaders" in err
    assert "mijn-kader" in run_cli("test")[1]


def test_no_project_is_a_usage_error(tmp_path: Path, monkeypatch, run_cli) -> None:
    """Outside a project, check and validate without arguments say how to make one."""
    monkeypatch.chdir(tmp_path)
    for command in ("check", "validate"):
        code, _, err = run_cli(command)
        assert code == 2 and "kaderwerk init" in err and "internal error" not in err
    assert not any(tmp_path.iterdir())


def test_local_kader_shadows_an_installed_one(project: Path, run_cli) -> None:
    """A project kader with an installed id is used by that id, and list marks both."""
    folder = project / "kaders" / "veilig-thuis-stap-1"
    folder.mkdir()
    text = (ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(encoding="utf-8")
    titel = re.search(r"^titel: (.*)$", text, re.M)
    assert titel
    (folder / "2015.yaml").write_text(text.replace(titel.group(0), "titel: Lokale kopie", 1),
                                      encoding="utf-8")
    code, out, _ = run_cli("show", "veilig-thuis-stap-1", "--format", "json")
    assert code == 0 and json.loads(out)["titel"] == "Lokale kopie"
    rows = json.loads(run_cli("list", "--format", "json")[1])["kaders"]
    vt = [r for r in rows if r["id"] == "veilig-thuis-stap-1"]
    assert {(r["lokaal"], r["verborgen"]) for r in vt} == {(True, False), (False, True)}
    assert "shadowed" in run_cli("list")[1]


def test_two_files_of_one_versie_name_both(project: Path, run_cli) -> None:
    """1.yaml and 1.yml both defining mijn-kader@1: an error naming both files."""
    kader = project / "kaders" / "mijn-kader" / "1.yaml"
    shutil.copy(kader, kader.with_suffix(".yml"))
    code, _, err = run_cli("check", "mijn-kader@1")
    assert code == 1 and "1.yaml" in err and "1.yml" in err and "internal error" not in err


def test_versie_disagreeing_with_file_name(project: Path, run_cli) -> None:
    """2027.yaml holding versie "1" is an error at that file."""
    kader = project / "kaders" / "mijn-kader" / "1.yaml"
    kader.rename(kader.with_name("2027.yaml"))
    code, out, err = run_cli("check")
    assert code == 1 and "2027.yaml" in err + out and "file name" in err + out


@pytest.mark.parametrize("config, wat", [
    ('[kaderwerk]\nkaders = ["ontbreekt"]\n', "ontbreekt"),
    ('[kaderwerk]\nkader = ["kaders"]\n', "unknown key 'kader'"),
    ("[kaderwerk\n", "not valid TOML"),
    ('[kaderwerk]\nkaders = "kaders"\n', "list"),
    ('[kaderwerk]\nkaders = []\n', "empty"),
    ('[kaderwerk]\nkaders = ["/etc"]\n', "relative to this file"),
    ('[kaderwerk]\nkaders = ["../.."]\n', "outside"),
])
def test_bad_config(tmp_path: Path, monkeypatch, run_cli, config: str, wat: str) -> None:
    """A config naming a missing folder, an unknown key, bad TOML: the file named, exit 1."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kaderwerk.toml").write_text(config)
    code, _, err = run_cli("check")
    assert code == 1 and "kaderwerk.toml" in err and wat in err and "internal error" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["kaderwerk.toml"]


def test_found_from_a_sub_folder_and_in_pyproject(tmp_path: Path, monkeypatch, run_cli) -> None:
    """[tool.kaderwerk] in pyproject.toml makes a project, found from below."""
    (tmp_path / "pyproject.toml").write_text('[tool.kaderwerk]\nkaders = ["regels"]\n')
    (tmp_path / "regels").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "kader", "k")[0] == 0
    assert (tmp_path / "regels" / "k" / "1.yaml").is_file()
    monkeypatch.chdir(tmp_path / "regels" / "k")
    code, out, err = run_cli("check", "k")
    assert code == 0 and "k@1" in out, err


def test_kaders_option_without_a_config(tmp_path: Path, monkeypatch, run_cli) -> None:
    """--kaders DIR adds a folder; a missing one is a usage error."""
    run_cli("new", "kader", "k", "--dir", str(tmp_path / "eigen"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("--kaders", "eigen", "check", "k")
    assert code == 0 and "k@1" in out, err
    code, _, err = run_cli("--kaders", "weg", "check", "k")
    assert code == 2 and "weg" in err


def test_written_schemas_accept_bundled_kaders_and_reject_a_typo(tmp_path: Path,
                                                                  run_cli) -> None:
    """The written schemas stand alone: every bundled kader, voorbeelden and dataset file
    passes; a mistyped key fails."""
    code, _, err = run_cli("schema", "--output", str(tmp_path))
    assert code == 0, err

    def validator(name: str) -> jsonschema.Draft202012Validator:
        data = json.loads((tmp_path / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert "/v1/" in data["$id"]
        refs = re.findall(r'"\$ref": "([^"]*)"', json.dumps(data))
        assert all(r.startswith("#") for r in refs), refs  # nothing outside the file
        return jsonschema.Draft202012Validator(data)

    kader = validator("kader")
    bundled = sorted((ROOT / "kaders").glob("*/*.yaml"))
    assert bundled
    for f in bundled:
        assert not list(kader.iter_errors(yaml.safe_load(f.read_text(encoding="utf-8")))), f
    for name, pattern in (("voorbeelden", "*/voorbeelden/*.yaml"),
                          ("dataset", "*/datasets/*.yaml")):
        v = validator(name)
        for f in sorted((ROOT / "kaders").glob(pattern)):
            assert not list(v.iter_errors(yaml.safe_load(f.read_text(encoding="utf-8")))), f
    data = yaml.safe_load(bundled[0].read_text(encoding="utf-8"))
    data["titl"] = data.pop("titel")
    assert list(kader.iter_errors(data))
    data = yaml.safe_load((ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(
        encoding="utf-8"))
    regels = [data["themas"][0]["beslisregel"]]
    regels[0]["type"] = "aantl"  # a mistyped rule type: marked, not left unchecked
    fouten = list(kader.iter_errors(data))
    assert any("type" in list(f.absolute_path) for f in fouten), fouten


def test_overlay_and_dataset_of_a_project_kader(project: Path, run_cli) -> None:
    """An overlay's basis and a dataset name resolve to the project's kaders."""
    datasets = project / "kaders" / "mijn-kader" / "datasets"
    datasets.mkdir()
    (datasets / "2025-scores.csv").write_text("organisatie,1.1.1,1.1.2,1.1.3\nAlfa,V,O,V\n")
    (datasets / "2025.yaml").write_text(
        'naam: "2025"\ntitel: Proef\nkader: {id: mijn-kader, versie: "1"}\n'
        "scores: 2025-scores.csv\nbron: {document: Proef}\n")
    code, out, err = run_cli("assess", "mijn-kader", "2025", "--format", "json")
    assert code == 0, err
    alfa = json.loads(out)["organisaties"][0]
    assert alfa["naam"] == "Alfa" and alfa["criteria"]["1.1"]["oordeel"] == "matig"
    overlay = project / "kaders" / "mijn-studie"
    overlay.mkdir()
    (overlay / "1.yaml").write_text(
        'id: mijn-studie\nversie: "1"\ntitel: Studie\nbron: {document: Studie}\n'
        'oordeelschaal: [voldoende, matig, onvoldoende]\n'
        'basis: {kader: mijn-kader, versie: "1"}\n'
        'aanpassingen:\n  - id: "1.1.1"\n    operationalisering: "Gemeten in de studie."\n')
    code, out, err = run_cli("show", "mijn-studie", "--format", "json")
    assert code == 0 and "Gemeten in de studie." in out, err


def test_a_kader_without_voorbeelden_is_not_silently_passed(project: Path, run_cli) -> None:
    """test on a kader with no voorbeelden says nothing was tested; --require-coverage fails."""
    shutil.rmtree(project / "kaders" / "mijn-kader" / "voorbeelden")
    code, _, err = run_cli("test", "kaders/mijn-kader")
    assert code == 0 and "nothing was tested" in err
    assert run_cli("test", "kaders/mijn-kader", "--require-coverage")[0] == 1


def test_kaders_option_names_one_kader_folder(tmp_path: Path, monkeypatch, run_cli) -> None:
    """--kaders may name a kader's own folder; its voorbeelden are not taken for kaders."""
    run_cli("new", "kader", "k", "--dir", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    rows = json.loads(run_cli("--kaders", "k", "list", "--format", "json")[1])["kaders"]
    assert [(r["id"], r["lokaal"]) for r in rows if r["lokaal"]] == [("k", True)]


def test_written_kader_schema_has_plugin_rule_types(tmp_path: Path, monkeypatch,
                                                    run_cli) -> None:
    """A rule type with a SCHEMA from an installed plugin is in the written kader schema, so an
    editor checks it: a kader using it passes, a mistyped key of it fails."""
    import types

    from kaderwerk.api import Beslisregel, hookimpl
    from kaderwerk.sources import catalog as cat_mod
    from kaderwerk.sources import manager

    class Drempel(Beslisregel):
        type = "drempel"
        SCHEMA: ClassVar[dict] = {
            "type": "object", "required": ["type", "drempel"], "additionalProperties": False,
            "properties": {"type": {"const": "drempel"},
                           "drempel": {"type": "integer", "minimum": 0}}}

    plugin = types.ModuleType("drempel_plugin")
    plugin.register_beslisregels = hookimpl(lambda register: register("drempel", Drempel))
    monkeypatch.setattr(manager, "_registry", manager.build_registry((plugin,),
                                                                     entry_points=False))
    cat_mod.catalog.cache_clear()
    try:
        code, _, err = run_cli("schema", "--output", str(tmp_path))
    finally:
        cat_mod.catalog.cache_clear()
    assert code == 0, err
    kader = jsonschema.Draft202012Validator(
        json.loads((tmp_path / "kader.schema.json").read_text(encoding="utf-8")))
    data = {"id": "k", "versie": "1", "titel": "K", "bron": {"document": "d"},
            "oordeelschaal": ["goed", "slecht"],
            "themas": [{"id": "1", "titel": "T", "beslisregel": {"type": "drempel", "drempel": 2},
                        "criteria": [{"id": "1.1", "titel": "C", "verwachtingen": [
                            {"id": "1.1.1", "tekst": "a"}]}]}]}
    assert not list(kader.iter_errors(data))
    data["themas"][0]["beslisregel"] = {"type": "drempel", "drempl": 2}
    assert list(kader.iter_errors(data))


def test_init_hooks_watch_the_configured_kader_folders(tmp_path: Path, monkeypatch,
                                                       run_cli) -> None:
    """With kaders = ["src/kaders"] the hooks trigger on that folder and on both config files,
    and init writes no stray kaders/ folder; an invalid config makes init fail, not 'next steps'."""
    import re

    import yaml

    monkeypatch.chdir(tmp_path)
    (tmp_path / "src" / "kaders").mkdir(parents=True)
    (tmp_path / "kaderwerk.toml").write_text('[kaderwerk]\nkaders = ["src/kaders"]\n')
    assert run_cli("init")[0] == 0
    assert not (tmp_path / "kaders").exists()
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    for hook in config["repos"][0]["hooks"]:
        patroon = re.compile(hook["files"])
        for pad in ("src/kaders/k/1.yaml", "kaderwerk.toml", "pyproject.toml"):
            assert patroon.search(pad), (hook["id"], pad)
        assert not patroon.search("kaders/k/1.yaml") and not patroon.search("README.md")
    ander = tmp_path / "ander"
    ander.mkdir()
    (ander / "kaderwerk.toml").write_text("[kaderwerk\n")
    code, _, err = run_cli("init", str(ander))
    assert code == 1 and "kaderwerk.toml" in err and "internal error" not in err
    assert (ander / "kaderwerk.toml").read_text() == "[kaderwerk\n"


def test_validate_and_test_take_a_kader_id(project: Path, run_cli) -> None:
    """validate and test accept an id or id@versie as check and show do; an unknown id is
    named, exit 1."""
    for command in ("validate", "test"):
        for ref in ("mijn-kader", "mijn-kader@1"):
            code, out, err = run_cli(command, ref)
            assert code == 0, (command, ref, out, err)
            assert "mijn-kader" in out
        code, _, err = run_cli(command, "geen-kader")
        assert code == 1 and "geen-kader" in err and "internal error" not in err


def test_init_says_what_it_could_not_do(tmp_path: Path, monkeypatch, run_cli) -> None:
    """A kept pre-commit config without kaderwerk hooks gets the block to add, exit 0, and is
    unchanged; 'next steps' has no 'cd .'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    code, out, err = run_cli("init")
    assert code == 0 and "cd ." not in out and "internal error" not in err
    assert "no kaderwerk hooks" in err and "id: kaderwerk-test" in err
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"


def _git_init(folder: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("sub", ["sub", "twee woorden/kadérs"])
def test_init_in_a_sub_folder_writes_hooks_where_git_reads_them(tmp_path: Path, monkeypatch,
                                                                run_cli, sub: str) -> None:
    """In a monorepo the pre-commit config and the workflow go to the repository's top folder,
    watch only the sub-folder and run kaderwerk --project SUB; from the top folder that
    command works on the sub-folder's project."""
    _git_init(tmp_path)
    (tmp_path / sub).mkdir(parents=True)
    monkeypatch.chdir(tmp_path / sub)
    code, out, err = run_cli("init")
    assert code == 0 and "internal error" not in err
    assert not (tmp_path / sub / ".pre-commit-config.yaml").exists()
    assert f"folder {sub} of the git repository" in err
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    hooks = config["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["kaderwerk-validate", "kaderwerk-check", "kaderwerk-test"]
    for hook in hooks:
        assert hook["entry"].startswith("kaderwerk --project ")
        assert re.match(hook["files"], f"{sub}/kaders/mijn-kader/1.yaml")
        assert not re.match(hook["files"], "kaders/mijn-kader/1.yaml")
    flows = list((tmp_path / ".github" / "workflows").glob("kaders-*.yml"))
    assert len(flows) == 1 and f"{sub}/**" in yaml.safe_load(flows[0].read_text())[True]["push"][
        "paths"]
    assert run_cli("new", "kader", "mijn-kader")[0] == 0
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "check", "test"):
        code, out, err = run_cli("--project", sub, command)
        assert code == 0, (command, out, err)
        assert f"{sub}/kaders" in err
    code, out, err = run_cli("--project", sub, "show", "mijn-kader")
    assert code == 0 and "mijn-kader" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_in_a_sub_folder_keeps_the_top_pre_commit_config(tmp_path: Path, monkeypatch,
                                                              run_cli) -> None:
    """The top folder's .pre-commit-config.yaml is kept byte for byte; the note gives the exact
    block, which added under repos: gives the sub-folder's hooks; init again adds nothing."""
    _git_init(tmp_path)
    eigen = "repos:\n  - repo: local\n    hooks:\n      - {id: x, name: x, entry: 'true', " \
            "language: system}\n"
    (tmp_path / ".pre-commit-config.yaml").write_text(eigen)
    (tmp_path / "sub").mkdir()
    code, out, err = run_cli("init", str(tmp_path / "sub"))
    assert code == 0 and "internal error" not in err
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == eigen
    assert "kept" in out and "no kaderwerk hooks for sub" in err
    blok = err.split("under its 'repos:'\n", 1)[1].split("\nnote:", 1)[0]
    (tmp_path / ".pre-commit-config.yaml").write_text(eigen + blok)
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert [h["entry"] for h in config["repos"][1]["hooks"]] == [
        f"kaderwerk --project sub {c}" for c in ("validate", "check", "test")]
    code, out, err = run_cli("init", str(tmp_path / "sub"))
    assert code == 0 and "no kaderwerk hooks" not in err


def test_project_option_names_a_folder_with_a_config(tmp_path: Path, monkeypatch,
                                                     run_cli) -> None:
    """--project of a missing folder or of a folder without a config: usage error naming it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leeg").mkdir()
    for folder in ("weg", "leeg"):
        code, out, err = run_cli("--project", folder, "check")
        assert code == 2 and f"--project {folder}" in err and out == ""
        assert "Traceback" not in err


def test_both_configs_kaderwerk_toml_wins_with_a_warning(tmp_path: Path, monkeypatch,
                                                         run_cli) -> None:
    """kaderwerk.toml and [tool.kaderwerk] side by side: kaderwerk.toml is used, the ignored
    table is named on stderr."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "kaderwerk.toml").write_text('[kaderwerk]\nkaders = ["a"]\n')
    (tmp_path / "pyproject.toml").write_text('[tool.kaderwerk]\nkaders = ["b"]\n')
    code, _, err = run_cli("list")
    assert code == 0, err
    assert "pyproject.toml" in err and "ignored" in err and "internal error" not in err


def test_shadowing_is_said_where_it_matters(project: Path, run_cli) -> None:
    """new kader with an installed id warns; a versie or dataset only the installed kader has
    is an error that names the shadowing and the installed file."""
    code, _, err = run_cli("new", "kader", "veilig-thuis-stap-1")
    assert code == 0 and "shadows the installed" in err
    for args in (("check", "veilig-thuis-stap-1@2015"), ("assess", "veilig-thuis-stap-1", "2015")):
        code, _, err = run_cli(*args)
        assert code == 1 and "shadows the installed" in err and "2015.yaml" in err, args
        assert "internal error" not in err


def test_an_overlay_may_leave_out_the_oordeelschaal(project: Path, run_cli) -> None:
    """An overlay without oordeelschaal takes its basis's; without the $schema line it is
    still found by check and test, not skipped."""
    (project / "kaders" / "ov").mkdir()
    (project / "kaders" / "ov" / "1.yaml").write_text(
        'id: ov\nversie: "1"\ntitel: Overlay\nbasis: {kader: mijn-kader, versie: "1"}\n'
        "bron: {document: x, sectie: y, volledig: true}\n")
    code, out, err = run_cli("validate", "kaders/ov")
    assert code == 0, (out, err)
    code, out, err = run_cli("check")
    assert code == 0 and "ov@1" in out + err, (out, err)
    code, out, err = run_cli("show", "ov")
    assert code == 0 and "voldoende" in out, err


def test_a_symlinked_kader_folder_is_checked_like_any_other(project: Path, tmp_path_factory,
                                                             run_cli) -> None:
    """A kader sub-folder that is a symbolic link is found by id and by validate, check and
    test without arguments (the hooks and CI run those)."""
    import shutil

    elders = tmp_path_factory.mktemp("elders") / "k2"
    shutil.copytree(project / "kaders" / "mijn-kader", elders)
    for f in (elders / "1.yaml", elders / "voorbeelden" / "1.yaml"):
        f.write_text(f.read_text().replace("mijn-kader", "k2"))
    try:
        (project / "kaders" / "k2").symlink_to(elders, target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    for command in ("validate", "check", "test"):
        code, out, err = run_cli(command)
        assert code == 0, (command, out, err)
        assert "k2" in out + err, command


def test_versies_are_listed_in_order_and_newest_is_the_highest(project: Path, run_cli) -> None:
    """list shows versie 2 before 10; an id without versie means the highest versie."""
    kader = project / "kaders" / "mijn-kader" / "1.yaml"
    for versie in ("2", "10"):
        (project / "kaders" / "mijn-kader" / f"{versie}.yaml").write_text(
            kader.read_text().replace('versie: "1"', f'versie: "{versie}"'))
    code, out, err = run_cli("list", "--format", "json")
    assert code == 0, err
    versies = [r["versie"] for r in json.loads(out)["kaders"] if r["id"] == "mijn-kader"]
    assert versies == ["1", "2", "10"]
    code, out, err = run_cli("show", "mijn-kader", "--format", "json")
    assert code == 0 and '"10"' in out, err


def test_a_kader_id_names_its_folder(project: Path, run_cli) -> None:
    """kaders/anders/1.yaml with id: iets-anders is an error located at its id, as a versie
    that disagrees with its file name is."""
    (project / "kaders" / "anders").mkdir()
    tekst = (project / "kaders" / "mijn-kader" / "1.yaml").read_text()
    (project / "kaders" / "anders" / "1.yaml").write_text(
        tekst.replace("id: mijn-kader", "id: iets-anders"))
    for args in (("validate",), ("check",), ("check", "iets-anders")):
        code, out, err = run_cli(*args)
        assert code == 1, (args, out, err)
        assert re.search(r"kaders/anders/1\.yaml:\d+", out + err) and "folder" in out + err, args
        assert "internal error" not in err


def test_outside_a_project_schema_refuses_and_new_kader_warns(tmp_path: Path, monkeypatch,
                                                              run_cli) -> None:
    """schema without --output outside a project writes nothing (exit 2); new kader says its
    $schema line is a path on this machine."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("schema")
    assert code == 2 and "--output" in err and list(tmp_path.iterdir()) == []
    code, _, err = run_cli("new", "kader", "los")
    assert code == 0 and "file://" in err and "kaderwerk init" in err


def test_a_symlinked_top_kader_folder_shows_paths_as_the_user_sees_them(
        tmp_path: Path, monkeypatch, run_cli) -> None:
    """kaders -> ../elders/kaders: every command names kaders/k/1.yaml, never the folder the link
    points to, in output and in errors; a write onto a kader file is still refused by either
    path and leaves it as it was."""
    proj, elders = tmp_path / "proj", tmp_path / "elders"
    proj.mkdir()
    elders.mkdir()
    monkeypatch.chdir(proj)
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "k")[0] == 0
    shutil.move(proj / "kaders", elders / "kaders")
    try:
        (proj / "kaders").symlink_to(Path("..") / "elders" / "kaders", target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    (proj / "s.csv").write_text("organisatie,1.1.1,1.1.2,1.1.3\nAlfa,V,V,V\n")
    kader = proj / "kaders" / "k" / "1.yaml"
    for args in (("validate",), ("check",), ("test",), ("list",), ("validate", "k"),
                 ("diff", "k", "kaders/k/1.yaml"), ("check", "--report", "junit",
                                                    "--report-file", "-")):
        code, out, err = run_cli(*args)
        assert code == 0, (args, out, err)
        assert "kaders" in out + err and str(elders) not in out + err, args
    before = kader.read_bytes()
    for target in ("kaders/k/1.yaml", str(elders / "kaders" / "k" / "1.yaml")):
        code, out, err = run_cli("assess", "k", "s.csv", "--format", "json", "-o", target)
        assert code == 2 and "refusing to write" in err and "Traceback" not in err
    assert kader.read_bytes() == before
    kader.write_text(before.decode().replace("\ntitel:", "\ntitl:", 1))
    for args in (("validate",), ("check", "k")):
        code, out, err = run_cli(*args)
        assert code == 1 and "kaders/k/1.yaml:" in err and str(elders) not in err, args
