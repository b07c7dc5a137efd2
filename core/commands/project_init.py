"""``kaderwerk init`` and ``kaderwerk schema``: a kader repository that works for every colleague.

``init`` writes what a methodologist's own repository needs to be a kader project: the config,
the kader folder, the JSON Schemas (so editors check kader files), a pre-commit config, a CI
workflow and a README stub. Files that exist are kept, never overwritten. ``schema`` writes the
schemas self-contained (no reference to another file or to this installation), so a ``$schema``
line relative to the kader file resolves in any clone of the repository.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

from kaderwerk.commands.output import write_atomic
from kaderwerk.domain.errors import UsageError

SCHEMA_DIR = Path(".kaderwerk") / "schemas"
SCHEMA_NAMES = ("kader", "dataset", "beoordeling", "uitkomst", "voorbeelden")

CONFIG = """\
# A kaderwerk kader project: every 'kaderwerk' command run in or below this folder uses these
# kaders, by id (e.g. 'kaderwerk check mijn-kader'), before the installed ones.
[kaderwerk]
# folders of kaders, relative to this file: one sub-folder per kader id, one file per versie
kaders = ["kaders"]
# plugin packages the kaders need (pip requirements); add them to the pre-commit hooks'
# additional_dependencies and to the CI install step too
plugins = []
"""

PRE_COMMIT_TEMPLATE = """\
# pre-commit hooks for this kader repository (https://pre-commit.com): 'pre-commit install'.
# They run the kaderwerk installed where you commit (pip install "kaderwerk @ git+URL@COMMIT").
# To let pre-commit install kaderwerk itself, use kaderwerk's hook repository instead; see
# "Your own kader repository" in kaderwerk's docs (rev: a commit hash, additional_dependencies:
# the plugins in kaderwerk.toml).
repos:
  - repo: local
    hooks:
      - id: kaderwerk-validate
        name: kaderwerk validate
        entry: kaderwerk validate
        language: system
        pass_filenames: false
        files: '{files}'
      - id: kaderwerk-check
        name: kaderwerk check
        entry: kaderwerk check
        language: system
        pass_filenames: false
        files: '{files}'
      - id: kaderwerk-test
        name: kaderwerk test
        entry: kaderwerk test
        language: system
        pass_filenames: false
        files: '{files}'
"""

WORKFLOW = """\
# Checks the kaders on every push and pull request; on a pull request also reports which
# oordelen a changed beslisregel would change (add --beoordelingen FILE for archived scores).
name: kaders
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  kaders:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # diff --base reads the base revision with git
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install kaderwerk (pinned to a commit of its git repository)
        # replace URL and COMMIT; kaderwerk is not on a package index
        run: python -m pip install "kaderwerk @ git+URL@COMMIT"
      - run: kaderwerk validate --report github
      - run: kaderwerk check --report github
      - run: kaderwerk test --report github
      - name: Impact of the changed kaders
        if: github.event_name == 'pull_request'
        run: >-
          kaderwerk diff --base "origin/${{ github.base_ref }}" --format markdown
          >> "$GITHUB_STEP_SUMMARY"
"""

README = """\
# Kaders

Toetsingskaders as code, checked with kaderwerk.

```sh
kaderwerk new kader mijn-kader   # a kader that passes validate, check and test
kaderwerk validate               # the files of every kader in kaders/
kaderwerk check                  # prove the beslisregels
kaderwerk test                   # run the voorbeelden
kaderwerk diff --base main       # what changed against main, and whose oordeel changes
```
"""


def schema_data(name: str) -> dict[str, Any]:
    """The schema ``name`` as written into a project: with the rule types of every installed
    plugin where kaderwerk composes them, and its references to other schemas inlined."""
    from kaderwerk.sources import schema as schema_mod

    compose = getattr(schema_mod, "kader_schema", None)
    if name == "kader" and callable(compose):
        from kaderwerk.sources.manager import registry

        data = copy.deepcopy(compose(registry().beslisregels))
        # an editor completes 'type' and marks a typo in it: the installed types, as an enum
        regel = data["$defs"]["beslisregel"]
        regel["properties"]["type"]["enum"] = sorted(schema_mod.rule_type_branches(data))
    else:
        data = schema_mod.schema(name)
    return _zelfstandig(copy.deepcopy(data))


def _zelfstandig(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each ``other.schema.json#/$defs/x`` copied in as ``#/$defs/other.x``: an
    editor reading the written file resolves references against the (unreachable) ``$id``."""
    from kaderwerk.sources import schema as schema_mod

    defs = data.setdefault("$defs", {})

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ".schema.json#/$defs/" in ref:
                file, _, naam = ref.partition("#/$defs/")
                other = file.removesuffix(".schema.json")
                key = f"{other}.{naam}"
                if key not in defs:
                    defs[key] = copy.deepcopy(schema_mod.schema(other)["$defs"][naam])
                    walk(defs[key])
                node["$ref"] = f"#/$defs/{key}"
            for value in list(node.values()):
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return data


def write_schemas(folder: Path) -> list[tuple[Path, bool]]:
    """Write every schema into ``folder``; each path with whether it changed."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output {folder}: not a folder")
    uit = []
    for name in SCHEMA_NAMES:
        if not resources.files("kaderwerk.schemas").joinpath(f"{name}.schema.json").is_file():
            continue
        path = folder / f"{name}.schema.json"
        text = json.dumps(schema_data(name), ensure_ascii=False, indent=2) + "\n"
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            write_atomic(path, text.encode("utf-8"))
        uit.append((path, old != text))
    return uit


def pre_commit(mappen: list[str]) -> str:
    """The pre-commit config whose hooks run when a file in one of the kader folders ``mappen``
    (relative to the project) or a config file changes."""
    import re

    delen = [re.escape(m.strip("/")) + "/" for m in mappen]
    patroon = "^(" + "|".join([*delen, r"kaderwerk\.toml$", r"pyproject\.toml$"]) + ")"
    return PRE_COMMIT_TEMPLATE.replace("{files}", patroon.replace("'", "''"))


def _kader_mappen(folder: Path, heeft_tool: bool) -> list[str]:
    """The kader folders an existing config in ``folder`` names, relative to it; else kaders."""
    from kaderwerk.sources import project

    if not ((folder / project.CONFIG).is_file() or heeft_tool):
        return ["kaders"]
    gevonden = project.find(folder)
    if gevonden is None:
        return ["kaders"]
    return [m.relative_to(gevonden.root.resolve()).as_posix() for m in gevonden.kaders]


def init(folder: Path) -> list[tuple[Path, str]]:
    """Make ``folder`` a kader project; each path with 'wrote' or 'kept' (it existed)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    pyproject = folder / "pyproject.toml"
    heeft_tool = pyproject.is_file() and "[tool.kaderwerk]" in pyproject.read_text(
        encoding="utf-8", errors="replace")
    mappen = _kader_mappen(folder, heeft_tool)
    files = {
        folder / ".pre-commit-config.yaml": pre_commit(mappen),
        folder / ".github" / "workflows" / "kaders.yml": WORKFLOW,
        folder / "README.md": README,
    }
    for map_ in mappen:
        if not (folder / map_).is_dir():
            files[folder / map_ / ".gitkeep"] = ""
    if not heeft_tool:
        files = {folder / "kaderwerk.toml": CONFIG, **files}
    uit = []
    for path, text in files.items():
        if path.exists():
            uit.append((path, "kept"))
        else:
            write_atomic(path, text.encode("utf-8"))
            uit.append((path, "wrote"))
    for path, changed in write_schemas(folder / SCHEMA_DIR):
        uit.append((path, "wrote" if changed else "unchanged"))
    return uit


def init_warnings(folder: Path, uit: list[tuple[Path, str]]) -> list[str]:
    """What ``init`` could not do for the user: hooks missing from a kept pre-commit config,
    and hook and CI files in a sub-folder of a git repository, where neither tool reads them."""
    import subprocess

    waarschuwingen = []
    kept = {path.name for path, what in uit if what == "kept"}
    config = folder / ".pre-commit-config.yaml"
    heeft_tool = (folder / "pyproject.toml").is_file() and "[tool.kaderwerk]" in (
        folder / "pyproject.toml").read_text(encoding="utf-8", errors="replace")
    if ".pre-commit-config.yaml" in kept and "kaderwerk" not in config.read_text(
            encoding="utf-8", errors="replace"):
        hooks = pre_commit(_kader_mappen(folder, heeft_tool)).split("repos:\n", 1)[1]
        waarschuwingen.append(
            f"warning: {config} existed and was kept, but has no kaderwerk hooks; add these "
            f"under its 'repos:':\n{hooks}")
    try:
        r = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder,
                           capture_output=True, text=True, check=False)
    except (FileNotFoundError, OSError):
        return waarschuwingen
    if r.returncode == 0 and Path(r.stdout.strip()).resolve() != folder.resolve():
        top = Path(r.stdout.strip()).resolve()
        sub = folder.resolve().relative_to(top).as_posix()
        waarschuwingen.append(
            f"warning: {folder} is a sub-folder of the git repository {top}; pre-commit reads "
            f".pre-commit-config.yaml and GitHub reads .github/workflows/ only at {top}: move "
            f"them there and adapt them (each hook's files: pattern starts with '^{sub}/', the "
            f"hooks and CI steps run kaderwerk in {sub})")
    return waarschuwingen
