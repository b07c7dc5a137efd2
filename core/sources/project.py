"""A kader project: a methodologist's own repository of kaders, found like git finds its root.

A project is the nearest folder, from the working folder upward, with a ``kaderwerk.toml`` (or a
``pyproject.toml`` with a ``[tool.kaderwerk]`` table). Its config names the kader folders
(default ``kaders/``) and the plugin packages its kaders need. ``--kaders DIR`` adds folders with
or without a project. The catalog reads these folders before the installed kaders, so ids and
``id@versie`` of the project's kaders resolve exactly like installed ones, and shadow them.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import attrs
from kaderwerk.domain.errors import KaderwerkError, UsageError
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.domain.woorden import bedoeld
from kaderwerk.sources.files import onthoud_gelezen

CONFIG = "kaderwerk.toml"
PYPROJECT = "pyproject.toml"
KEYS = {"kaders": "the kader folders, relative to the project (default [\"kaders\"])",
        "plugins": "the plugin packages the kaders need (pip requirement strings)"}

_extra: tuple[Path, ...] = ()
_start: Path | None = None  # --project DIR: the project is there, not found from the cwd
_start_toon = ""  # and DIR as the user wrote it, for messages
_generatie = 0  # one per command, so a command run in-process sees the files as they are now


@attrs.frozen
class Project:
    """A project's root, its config file and what the config says."""

    root: Path
    config: Path
    kaders: tuple[Path, ...]
    plugins: tuple[str, ...]


def set_extra(folders: tuple[Path, ...]) -> None:
    """The ``--kaders DIR`` folders of this command (checked to be folders)."""
    global _extra, _generatie
    _generatie += 1
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"--kaders {folder}: no such folder")
    _extra = tuple(Path(os.path.normpath(werkmap() / f)) for f in folders)  # as written


def extra() -> tuple[Path, ...]:
    return _extra


def werkmap() -> Path:
    """The working folder as the user sees it: the shell's ``$PWD`` when it is this folder
    reached through a symbolic link (``cd kaders/x`` where ``kaders`` is a link), else the
    operating system's (resolved) one."""
    return _werkmap(os.getcwd(), os.environ.get("PWD"))


@functools.lru_cache(maxsize=8)
def _werkmap(cwd: str, pwd: str | None) -> Path:
    if pwd and os.path.isabs(pwd) and pwd != cwd:
        try:
            if os.path.samefile(pwd, cwd):
                return Path(os.path.normpath(pwd))
        except OSError:
            pass
    return Path(cwd)


def set_project(folder: Path | None) -> None:
    """``--project DIR``: this command's project is the one in DIR (a kader project in a
    sub-folder of a repository, run from the repository's top folder by pre-commit and CI)."""
    global _start, _start_toon
    if folder is not None and not folder.is_dir():
        raise UsageError(f"--project {folder}: no such folder")
    _start = None if folder is None else Path(os.path.normpath(werkmap() / folder))
    _start_toon = str(folder)


def gekozen() -> str | None:
    """``DIR`` of ``--project DIR`` as the user wrote it, or None when the project is found from
    the working folder."""
    return _start_toon if _start is not None else None


def find(start: Path | None = None, *, nog_te_maken: bool = False) -> Project | None:
    """The project around ``start`` (default the working folder), or None outside any; with
    ``--project DIR`` and no ``start``, the project in DIR itself or None. ``nog_te_maken``:
    kader folders the config names may be missing (``init`` creates them)."""
    if start is None and _start is not None:
        folders: tuple[Path, ...] = (_start,)
    else:
        start = Path(os.path.abspath(start)) if start is not None else werkmap()
        folders = (start, *start.parents)
    for folder in folders:
        config = folder / CONFIG
        if config.is_file():
            _warn_both(folder)
            data, text = _toml_text(config)
            tabel = _config_tabel(data, text, zichtbaar_pad(config))
            return _read(config, tabel, "[kaderwerk]", text, nog_te_maken)
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            tool = _pyproject_tool(pyproject)
            if tool is not None:
                return _read(pyproject, tool[0], "[tool.kaderwerk]", tool[1], nog_te_maken)
    if start is None and _start is not None:
        raise geen_project()  # --project names a folder that must hold the config
    return None


def _warn_both(folder: Path) -> None:
    """kaderwerk.toml wins over [tool.kaderwerk] beside it; say so once, the table is ignored."""
    pyproject = folder / PYPROJECT
    if folder in _gewaarschuwd or not pyproject.is_file():
        return
    try:
        tool = _toml(pyproject).get("tool", {})
    except KaderwerkError:
        return
    if isinstance(tool, dict) and "kaderwerk" in tool:
        _gewaarschuwd.add(folder)
        print(f"warning: {folder / CONFIG} is used and [tool.kaderwerk] in {pyproject} is "
              "ignored; keep the config in one of them", file=sys.stderr, flush=True)


_gewaarschuwd: set[Path] = set()


def _toml(path: Path) -> dict[str, Any]:
    return _toml_text(path)[0]


def _toml_text(path: Path) -> tuple[dict[str, Any], str]:
    """The file's TOML and its text; a UTF-8 byte order mark (an editor's) is accepted, and
    an error is at ``FILE:LINE:COL``. The file is an input of this command from now on: no
    report may replace it."""
    onthoud_gelezen(path)
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise KaderwerkError(f"{zichtbaar_pad(path)}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise KaderwerkError(f"{zichtbaar_pad(path)}: cannot be read ({exc.strerror})") from None
    return _parse(text, zichtbaar_pad(path)), text


def _parse(text: str, toon: str) -> dict[str, Any]:
    """``text`` as TOML; an error at ``TOON:LINE:COL``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r" \((?:at line (\d+), column (\d+)|at end of document)\)$", str(exc))
        regel, kolom = (m[1], m[2]) if m and m[1] else (
            text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1)
        reden = str(exc)[:m.start()] if m else str(exc)
        raise KaderwerkError(f"{toon}:{regel}:{kolom}: not valid TOML: {reden}; fix the file"
                             ) from None


def _config_tabel(data: dict[str, Any], text: str, toon: str) -> Any:
    """The ``[kaderwerk]`` table of a kaderwerk.toml (empty when absent: the defaults)."""
    for key in data:
        if key != "kaderwerk":  # the whole file is ours: a typo is not ignored
            wat = f"table [{key}]" if isinstance(data[key], dict) else f"key '{key}'"
            raise KaderwerkError(
                f"{_waar(toon, text, key)}: unknown {wat}; {CONFIG} holds one "
                f"table, [kaderwerk]{bedoeld(key, ['kaderwerk'])}")
    return data.get("kaderwerk", {})


def _pyproject_tool(path: Path) -> tuple[Any, str] | None:
    """``[tool.kaderwerk]`` of a pyproject.toml with the file's text, or None when it has none.

    A pyproject.toml is shared with other tools: when it cannot be parsed it is an error only
    if its text seems to hold ``[tool.kaderwerk]``, else a warning (a broken file of another
    tool must not stop every kaderwerk command). A ``tool.*`` table whose name is close to
    ``kaderwerk`` (``[tool.kaderwerkk]``) is warned about, not silently ignored."""
    try:
        data, text = _toml_text(path)
    except KaderwerkError as exc:
        tekst = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        _pyproject_kapot(exc, tekst, path)
        return None
    tabel = _tool_tabel(data, text, zichtbaar_pad(path), path)
    return None if tabel is None else (tabel, text)


def _pyproject_kapot(exc: KaderwerkError, tekst: str, path: Path | str) -> None:
    """A pyproject.toml that is not TOML: ``exc`` when it seems to hold [tool.kaderwerk], else
    a warning that it is ignored."""
    if re.search(r"(?m)^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*[\"']?kaderwerk\b", tekst):
        raise exc
    _waarschuw(path, f"warning: {str(exc).strip().removesuffix('; fix the file')}; it seems "
                     "to hold no [tool.kaderwerk], so kaderwerk ignores it")


def _tool_tabel(data: dict[str, Any], text: str, toon: str, path: Path | str) -> Any | None:
    """``[tool.kaderwerk]`` of a parsed pyproject.toml, or None; a near miss is warned about."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        return None
    if "kaderwerk" in tool:
        return tool["kaderwerk"]
    for naam in tool:
        if naam != "kaderwerk" and bedoeld(naam, ["kaderwerk"]):
            _waarschuw(path, f"warning: {_waar(toon, text, naam, 'tool')}: [tool.{naam}] is not "
                             f"read by kaderwerk{bedoeld(naam, ['kaderwerk'])} ([tool.kaderwerk] "
                             "makes this folder a kader project)")
    return None


def _waarschuw(path: Path | str, tekst: str) -> None:
    """A warning about a config file, once per process and file."""
    if (path, tekst) not in _gewaarschuwd_tekst:
        _gewaarschuwd_tekst.add((path, tekst))
        print(tekst, file=sys.stderr, flush=True)


_gewaarschuwd_tekst: set[tuple[Path | str, str]] = set()


def _waar(toon: str, text: str, key: str, na: str | None = None) -> str:
    """``FILE:LINE`` of the table ``[key]`` or the line ``key = ...`` (below the table header
    ``na`` when given); ``FILE`` alone when the line is not found (tomllib keeps no positions)."""
    start, delen = 0, ""
    if na is not None:
        delen = r"[ \t]*\.[ \t]*".join(map(re.escape, na.split(".")))
        kop = re.search(rf"(?m)^[ \t]*\[[ \t]*{delen}[ \t]*\]", text)
        start = kop.end() if kop else 0
    sleutel = rf"""["']?{re.escape(key)}["']?"""
    if na is not None:  # [kaderwerk.extra] is a key of [kaderwerk] too
        sleutel = rf"(?:{delen}[ \t]*\.[ \t]*)?{sleutel}"
    m = re.compile(rf"(?m)^[ \t]*(\[\[?[ \t]*{sleutel}[ \t]*[\].]|{sleutel}[ \t]*[=.])"
                   ).search(text, start)
    if m is None:
        return toon
    return f"{toon}:{text.count(chr(10), 0, m.start()) + 1}"


def _read(path: Path, table: Any, name: str, text: str = "",
          nog_te_maken: bool = False) -> Project:
    root = path.parent
    namen, plugins, waar = _namen(zichtbaar_pad(path), table, name, text)
    kaders = []
    for folder in namen:
        full = Path(os.path.normpath(root / folder))  # a link stays a link: paths as seen
        if nog_te_maken and not full.exists():
            kaders.append(full)
            continue
        if not full.is_dir():
            raise KaderwerkError(f"{waar}: {name} kaders names '{zichtbaar_pad(folder)}', "
                                 f"which is not a folder in {root}; create it or remove it "
                                 "from the list")
        kaders.append(full)
    return Project(root, path, tuple(kaders), tuple(plugins))


def config_mappen(naam: str, data: bytes, toon: str) -> tuple[list[str], str] | None:
    """The kader folders a config file's bytes name, relative to its folder, held to the rules
    ``find`` holds the working tree's config to (only whether each folder exists is left to
    the caller), with the ``TOON:LINE`` of the ``kaders`` key; None for a pyproject.toml
    without ``[tool.kaderwerk]``. ``naam`` is ``CONFIG`` or ``PYPROJECT``; errors are at
    ``TOON:LINE``. For a config as it was at a git revision (``diff --base``)."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise KaderwerkError(f"{toon}: not UTF-8 text; save it as UTF-8") from None
    if naam == CONFIG:
        tabel, name = _config_tabel(_parse(text, toon), text, toon), "[kaderwerk]"
    else:
        try:
            parsed = _parse(text, toon)
        except KaderwerkError as exc:
            _pyproject_kapot(exc, text, toon)
            return None
        tabel, name = _tool_tabel(parsed, text, toon, toon), "[tool.kaderwerk]"
        if tabel is None:
            return None
    namen, _, waar = _namen(toon, tabel, name, text)
    return namen, waar


def _namen(toon: str, table: Any, name: str, text: str) -> tuple[list[str], list[str], str]:
    """The kader folder names (normalised) and plugins of a config table, checked without the
    file system, and the ``TOON:LINE`` of its ``kaders`` key."""
    if not isinstance(table, dict):
        waar = _waar(toon, text, "kaderwerk", "tool" if name == "[tool.kaderwerk]" else None)
        raise KaderwerkError(f"{waar}: {name} must be a table, e.g. {name} with the line "
                             "kaders = [\"kaders\"] below it")
    sectie = name.strip("[]")
    for key in table:
        if key not in KEYS:
            known = "; ".join(f"{k}: {v}" for k, v in KEYS.items())
            raise KaderwerkError(f"{_waar(toon, text, key, sectie)}: {name} has an "
                                 f"unknown key '{key}'; known keys: {known}"
                                 f"{bedoeld(key, list(KEYS))}")
    waar = _waar(toon, text, "kaders", sectie)
    folders = table.get("kaders", ["kaders"])
    plugins = table.get("plugins", [])
    for key, value in (("kaders", folders), ("plugins", plugins)):
        hier = _waar(toon, text, key, sectie)
        voorbeeld = f"e.g. {key} = [\"{'kaders' if key == 'kaders' else 'pkg'}\"]"
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise KaderwerkError(f"{hier}: {name} {key} must be a list of texts, {voorbeeld}")
        if not all(v.strip() for v in value):
            raise KaderwerkError(f"{hier}: {name} {key} holds an empty name; write the "
                                 f"{'folder' if key == 'kaders' else 'package'} name, "
                                 f"{voorbeeld}")
    if not folders:
        raise KaderwerkError(f"{waar}: {name} kaders is empty; name at least one folder, e.g. "
                             "kaders = [\"kaders\"], or remove the key for the default")
    namen: list[str] = []
    for folder in folders:
        genoemd = f"{waar}: {name} kaders names '{zichtbaar_pad(folder)}'"
        if os.path.isabs(folder) or re.match(r"[A-Za-z]:[\\/]|[\\/]|~(?:[\\/]|$)", folder):
            raise KaderwerkError(f"{genoemd}, an absolute path, which breaks in every other "
                                 "clone of the project; write it relative to this file, e.g. "
                                 "kaders = [\"kaders\"]")
        norm = PurePosixPath(os.path.normpath(folder)).as_posix()
        if norm == ".." or norm.startswith("../"):
            raise KaderwerkError(f"{genoemd}, which is outside the project; kader folders "
                                 "are inside the project")
        if norm == ".":
            raise KaderwerkError(
                f"{genoemd}, the project's own folder; a kader folder holds only kaders (one "
                "sub-folder per id), not the config, hooks and workflows beside them: name the "
                "folder that holds the kaders, e.g. kaders = [\"kaders\"]")
        namen.append(norm)
    for i, folder in enumerate(namen):  # one kader folder inside another: its kaders twice
        for other in namen[:i]:
            a, b = PurePosixPath(folder), PurePosixPath(other)
            if a.is_relative_to(b) or b.is_relative_to(a):
                binnen, buiten = (a, b) if a.is_relative_to(b) else (b, a)
                wat = (f"'{zichtbaar_pad(binnen)}' twice" if binnen == buiten
                       else f"'{zichtbaar_pad(binnen)}' inside '{zichtbaar_pad(buiten)}'")
                raise KaderwerkError(
                    f"{waar}: {name} kaders names {wat}, so its kaders would be read twice; "
                    "name each kader folder once and none inside another")
    return namen, plugins, waar


def is_yaml(naam: str) -> bool:
    """A YAML file every command reads: ``*.yaml`` or ``*.yml``, not hidden. Hidden files and
    folders (``.github/``, an editor's ``.1.yaml.swp`` or ``.1.yaml``) are never kader,
    dataset or voorbeelden files, for validate, check, test, diff and the catalog alike."""
    return naam.endswith((".yaml", ".yml")) and not naam.startswith(".")


def sleutel() -> tuple[Path, tuple[Path, ...], int]:
    """What decides which local kaders exist: the working folder, the ``--kaders`` and, when
    there are local kaders, the command (their files may have changed since the last one)."""
    lokaal = bool(_extra) or find() is not None
    return _start or werkmap(), _extra, _generatie if lokaal else 0


def geen_project() -> UsageError:
    if _start is not None:
        return UsageError(f"--project {_start_toon}: no {CONFIG} and no [tool.kaderwerk] in "
                          f"{PYPROJECT} there; run 'kaderwerk init {_start_toon}' or name the "
                          "folder that holds the config")
    return UsageError(f"no kader project found in {werkmap()} or above (no {CONFIG}, no "
                      f"[tool.kaderwerk] in {PYPROJECT}): name kaders to work on, add "
                      "folders with --kaders DIR, or run 'kaderwerk init'")
