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
import os
import re
import shlex
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


def _entry(command: str, sub: str | None) -> str:
    """The hook's or CI step's ``kaderwerk`` command line; with ``--project SUB`` for a project
    in a sub-folder, since pre-commit and CI run it from the repository's top folder."""
    if sub is None:
        return f"kaderwerk {command}"
    return f"kaderwerk --project {shlex.quote(sub)} {command}"


def _yaml_text(text: str) -> str:
    """``text`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9_./ -]+", text) and not text.startswith(("-", " ")):
        return text
    return json.dumps(text, ensure_ascii=False)


def pre_commit(mappen: list[str], sub: str | None = None) -> str:
    """The pre-commit config whose hooks run when a file in one of the kader folders ``mappen``
    (relative to the project) or a config file changes; ``sub`` is the project's folder
    relative to the repository's top folder when it is not the top folder itself."""
    delen = [re.escape(m.strip("/")) + "/" for m in mappen]
    patroon = "(" + "|".join([*delen, r"kaderwerk\.toml$", r"pyproject\.toml$"]) + ")"
    patroon = "^" + (re.escape(sub) + "/" if sub else "") + patroon
    tekst = PRE_COMMIT_TEMPLATE.replace("{files}", patroon.replace("'", "''"))
    for command in ("validate", "check", "test"):
        tekst = tekst.replace(f"entry: kaderwerk {command}\n",
                              f"entry: {_yaml_text(_entry(command, sub))}\n")
        if sub is not None:
            tekst = tekst.replace(f"name: kaderwerk {command}\n",
                                  f"name: {_yaml_text(f'kaderwerk {command} ({sub})')}\n")
    return tekst


def workflow(sub: str | None = None) -> str:
    """The CI workflow; for a project in a sub-folder it runs on changes there only, with
    ``--project SUB`` (GitHub runs every step in the repository's top folder)."""
    if sub is None:
        return WORKFLOW
    glob = re.sub(r"([*?+\[\]!\\])", r"\\\1", sub) + "/**"
    paden = f"\n    paths: [{json.dumps(glob, ensure_ascii=False)}]"
    tekst = WORKFLOW.replace("name: kaders\n", f"name: {_yaml_text(f'kaders {sub}')}\n")
    tekst = tekst.replace("  push:\n  pull_request:\n",
                          f"  push:{paden}\n  pull_request:{paden}\n")
    for command in ("validate", "check", "test", "diff"):
        tekst = tekst.replace(f"kaderwerk {command} ", _entry(command, sub) + " ")
    return tekst


def git_top(folder: Path) -> Path | None:
    """The top folder of the git repository around ``folder``; None outside one (or no git)."""
    import subprocess

    probe = folder if folder.is_dir() else folder.parent
    while not probe.is_dir():
        probe = probe.parent
    try:
        r = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=probe,
                           capture_output=True, text=True, check=False)
    except OSError:
        return None
    return Path(r.stdout.strip()).resolve() if r.returncode == 0 and r.stdout.strip() else None


def _sub(folder: Path) -> tuple[Path | None, str | None]:
    """The repository's top folder and ``folder`` relative to it; (top, None) when ``folder``
    is the top folder, (None, None) outside a repository."""
    top = git_top(folder)
    if top is None:
        return None, None
    echt = folder.resolve()
    if echt == top or not echt.is_relative_to(top):
        return top, None
    return top, echt.relative_to(top).as_posix()


def _kader_mappen(folder: Path, heeft_tool: bool) -> list[str]:
    """The kader folders an existing config in ``folder`` names, relative to it; else kaders."""
    from kaderwerk.sources import project

    if not ((folder / project.CONFIG).is_file() or heeft_tool):
        return ["kaders"]
    gevonden = project.find(folder, nog_te_maken=True)  # init creates a missing kader folder
    if gevonden is None:
        return ["kaders"]
    return [m.relative_to(gevonden.root).as_posix() for m in gevonden.kaders]


def _heeft_tool(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    return pyproject.is_file() and "[tool.kaderwerk]" in pyproject.read_text(
        encoding="utf-8", errors="replace")


def _buiten(path: Path) -> Path:
    """A file at the repository's top folder as the user sees it: relative to the cwd."""
    return Path(os.path.relpath(path))


def _kan_schrijven(path: Path) -> None:
    """Refuse before anything is written when a folder ``path`` needs is a file or a link."""
    from kaderwerk.domain.errors import KaderwerkError
    from kaderwerk.domain.tekst import zichtbaar_pad

    for parent in reversed(path.parents):
        if parent.is_symlink() and not parent.is_dir():
            raise KaderwerkError(f"{zichtbaar_pad(parent)}: a link that leads nowhere where "
                                 f"init needs a folder (for {zichtbaar_pad(path)}); nothing "
                                 "was written: remove or fix the link, then run init again")
        if parent.exists() and not parent.is_dir():
            raise KaderwerkError(f"{zichtbaar_pad(parent)}: a file where init needs a folder "
                                 f"(for {zichtbaar_pad(path)}); nothing was written: move or "
                                 "rename the file, then run init again")


def init(folder: Path) -> list[tuple[Path, str]]:
    """Make ``folder`` a kader project; each path with 'wrote' or 'kept' (it existed).

    In a sub-folder of a git repository the pre-commit config and the workflow go to the
    repository's top folder, the only place pre-commit and GitHub read them."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    heeft_tool = _heeft_tool(folder)
    mappen = _kader_mappen(folder, heeft_tool)
    top, sub = _sub(folder)
    if sub is None:
        hooks, flow = folder / ".pre-commit-config.yaml", folder / ".github/workflows/kaders.yml"
    else:
        naam = re.sub(r"[^A-Za-z0-9._-]+", "-", sub).strip("-.") or "project"
        assert top is not None
        hooks = _buiten(top / ".pre-commit-config.yaml")
        flow = _buiten(top / ".github" / "workflows" / f"kaders-{naam}.yml")
    files = {hooks: pre_commit(mappen, sub), flow: workflow(sub), folder / "README.md": README}
    for map_ in mappen:
        if not (folder / map_).is_dir():
            files[folder / map_ / ".gitkeep"] = ""
    if not heeft_tool:
        files = {folder / "kaderwerk.toml": CONFIG, **files}
    # plan, then write: every target is checked first, so a failed init writes nothing
    nieuw = {p: t for p, t in files.items() if not (p.exists() or p.is_symlink())}
    for path in [*nieuw, folder / SCHEMA_DIR / "kader.schema.json"]:
        _kan_schrijven(path)
    uit = []
    for path, text in files.items():
        if path in nieuw:
            write_atomic(path, text.encode("utf-8"))
            uit.append((path, "wrote"))
        else:  # a link too, even one that leads nowhere: what the user made is kept
            uit.append((path, "kept"))
    for path, changed in write_schemas(folder / SCHEMA_DIR):
        uit.append((path, "wrote" if changed else "unchanged"))
    return uit


def init_warnings(folder: Path, uit: list[tuple[Path, str]]) -> list[str]:
    """What ``init`` could not do for the user: the hooks a kept pre-commit config lacks (to
    add by hand: nothing a user wrote is overwritten), and where the files of a project in a
    sub-folder of a repository went."""
    top, sub = _sub(folder)
    config = next((p for p, _ in uit if p.name == ".pre-commit-config.yaml"), None)
    waarschuwingen = []
    merk = "kaderwerk" if sub is None else _entry("", sub).strip()
    if config is not None and (config, "kept") in uit and config.is_file() and (
            merk not in config.read_text(encoding="utf-8", errors="replace")):
        hooks = pre_commit(_kader_mappen(folder, _heeft_tool(folder)), sub)
        waarschuwingen.append(
            f"note: {config} existed and was kept as it is; it has no kaderwerk hooks "
            f"{'' if sub is None else f'for {sub} '}yet: add this block under its 'repos:'"
            f"\n{hooks.split('repos:' + chr(10), 1)[1]}")
    if sub is not None:
        waarschuwingen.append(
            f"note: {'this folder' if folder.resolve() == Path.cwd().resolve() else folder} "
            f"is the folder {sub} of the git repository {top}; pre-commit and "
            "GitHub read their files only at its top folder, so the hooks and the workflow are "
            f"there and run {_entry('COMMAND', sub)} on this project")
    return waarschuwingen
