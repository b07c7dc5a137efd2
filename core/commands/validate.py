"""``kaderwerk validate``: check kader and dataset files, reporting every problem located.

Folders are searched for ``*.yaml`` files; each is recognised as a kader or a dataset by its
keys. A dataset is also checked against its kader: the kader exists, every published figure
names an element of it, and its scores file exists.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kaderwerk.domain.errors import KaderwerkError, PluginFailed, Problem
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.sources import loader, schema
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.project import is_yaml
from kaderwerk.sources.yamlsource import Document

SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".hypothesis"}


def yaml_onder(folder: Path) -> list[Path]:
    """The YAML files below ``folder``, sorted, following symbolic links to folders (a kader
    folder may be one; each real folder is read once, so a link loop ends); hidden files and
    folders are skipped as the catalog skips them (``project.is_yaml``)."""
    gezien: set[str] = set()
    uit: list[Path] = []
    for top, dirs, files in os.walk(folder, followlinks=True):
        echt = os.path.realpath(top)
        if echt in gezien:
            dirs[:] = []
            continue
        gezien.add(echt)
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        uit += [Path(top) / f for f in files if is_yaml(f)]
    return sorted(uit)


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named or found below the given folders, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(yaml_onder(p))
        else:
            out.append(p)
    return out


def paden_of_ids(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with each one that is not a file or folder but a kader id (``id`` or
    ``id@versie``) replaced by that kader's folder or versie file, as check and show take them."""
    from kaderwerk.sources.catalog import split_ref, toon

    uit: list[Path] = []
    for p in paths:
        ref = None if p.exists() else split_ref(str(p))
        entries = []
        if ref is not None:
            cat = catalog()
            entries = [e for e in cat.entries if e.heet(*ref) and not e.verborgen
                       and Path(str(e.resource)).is_file()]
        if not entries:
            uit.append(p)
        elif ref is not None and ref[1] is not None:
            uit.append(Path(toon(entries[0].resource)))
        else:
            uit.append(Path(toon(entries[0].resource)).parent)
    return uit


def project_paden() -> tuple[Path, ...]:
    """The project's kader folders, for a command given none; said on stderr. A configured
    folder without any YAML file is noted and left out; when all are, the command is done
    (exit 0): validate, check and test agree on a project without kaders yet."""
    import click
    from kaderwerk.sources.catalog import toon
    from kaderwerk.sources.project import geen_project, lokale_paden

    paden = tuple(Path(toon(p)) for p in lokale_paden())
    if not paden:
        raise geen_project()
    leeg = [p for p in paden if not yaml_onder(p)]
    for p in leeg:  # a fresh project: its first commit passes the hooks
        click.echo(f"note: no kaders yet in {zichtbaar_pad(p)}/ (start one with 'kaderwerk "
                   "new kader NAME')", err=True)
    paden = tuple(p for p in paden if p not in leeg)
    if not paden:
        sys.exit(0)
    click.echo(f"kaders of the project: {', '.join(map(str, paden))}", err=True)
    return paden


def kaders_in(refs: tuple[str, ...], fouten: list) -> list[str]:
    """The refs with each folder (not an installed id) replaced by the kader files in it, as
    ``validate`` finds them; a folder without any is recorded in ``fouten``."""
    from kaderwerk.commands.voorbeelden import MAP, is_kader_bestand
    from kaderwerk.domain.errors import Problem
    from kaderwerk.sources.catalog import split_ref, toon

    uit = []
    for ref in refs:
        parts = split_ref(ref)
        if not Path(ref).is_dir() or (parts is not None and catalog().versions(parts[0])):
            uit.append(ref)
            continue
        bestanden = [f for f in find_files([Path(ref)])
                     if f.parent.name not in (MAP, "datasets") and is_kader_bestand(f)]
        bestanden += catalog().lokale_bestanden(Path(ref))
        gevonden = list({os.path.realpath(f): toon(f) for f in sorted(bestanden)}.values())
        if not gevonden:
            fouten.append((ref, [Problem("a folder without kader files (*.yaml with an "
                                         "oordeelschaal)", ref)]))
        uit += gevonden
    return uit


def validate_paths(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """One result per file: kind, problems (located) and the kader ref when valid."""
    from kaderwerk.domain.errors import NotFoundError, UsageError

    paths = paden_of_ids(paths)
    files = find_files(paths)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise NotFoundError("no such file, folder or kader id: "
                            + ", ".join(map(zichtbaar_pad, missing)))
    if not files:
        raise UsageError("no .yaml files found in " + ", ".join(map(str, paths)))
    return [validate_file(f) for f in files]


def validate_file(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"bestand": str(path), "soort": "?", "problemen": []}
    try:
        doc = loader.read_document(path)
    except KaderwerkError as exc:
        result["problemen"] = [p.to_dict() for p in exc.problems or [Problem(str(exc), str(path))]]
        return result
    soort = loader.kind_of(doc)
    result["soort"] = soort
    if soort == "dataset":
        problems = validate_dataset(doc, path)
        if not problems:
            result["ref"] = f"{doc.data['kader']['id']} {doc.data['naam']}"
    else:
        try:
            problems = _kader_problems(doc, path, result)
        except PluginFailed as exc:  # a plugin's rule type failed: exit 4, as in every command
            result["plugin_failed"] = True
            problems = exc.problems or [Problem(str(exc), str(path))]
    result["problemen"] = [p.to_dict() for p in problems]
    return result


def _kader_problems(doc: Any, path: Path, result: dict[str, Any]) -> list[Problem]:
    cat = catalog()
    data, problems = loader.check_kader_document(doc, cat.reg.beslisregels, cat.base)
    fout = cat.lokale_fout(path)
    if not problems and fout is not None:
        if isinstance(fout, PluginFailed):
            raise fout
        problems = fout.problems or [Problem(str(fout).strip(), str(path))]
    if not problems:
        try:
            kader = loader.build_kader(doc, data, cat.reg.beslisregels)
            result["ref"] = kader.ref
        except PluginFailed:
            raise
        except KaderwerkError as exc:
            problems = exc.problems or [Problem(str(exc), str(path))]
    return problems


def validate_dataset(doc: Document, path: Path) -> list[Problem]:
    """Schema problems, then whether the dataset fits its kader."""
    problems = schema.validate("dataset", doc)
    if problems:
        return problems
    data = doc.data
    ref = data["kader"]["id"] + (f"@{data['kader']['versie']}" if "versie" in data["kader"] else "")
    try:
        kader = catalog().get(ref)
    except KaderwerkError as exc:
        return [doc.problem(f"kader {ref}: {str(exc).strip()}", ("kader",))]
    ids = {c.id for c in kader.criteria} | {v.id for v in kader.verwachtingen}
    for i, item in enumerate(data.get("gepubliceerd", [])):
        if item["soort"] in ("criterium", "verwachting") and item.get("id") not in ids:
            problems.append(doc.problem(f"{item['soort']} '{item.get('id')}' is not in kader "
                                        f"{kader.ref}", ("gepubliceerd", i, "id")))
        if item["soort"] not in ("rangorde", "organisatie_oordeel") and "id" not in item:
            problems.append(doc.problem(f"a '{item['soort']}' figure needs an 'id'",
                                        ("gepubliceerd", i)))
    if "scores" in data and not (path.parent / data["scores"]).is_file():
        problems.append(doc.problem(f"scores file '{data['scores']}' not found next to the "
                                    "dataset", ("scores",)))
    return problems


