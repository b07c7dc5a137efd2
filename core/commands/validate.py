"""``kaderwerk validate``: check kader and dataset files, reporting every problem located.

A folder stands for the files the project's layout finds in it (``projectbestanden``), a file
that cannot be used among them with its reason; a kader or dataset file is recognised by its
keys. A dataset is also checked against its kader: the kader exists, every published figure
names an element of it, and its scores file exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kaderwerk.domain.errors import KaderwerkError, PluginFailed, Problem
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.sources import loader, schema
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.projectbestanden import Bestand, Projectbestanden
from kaderwerk.sources.yamlsource import Document


def gevonden(paths: Iterable[Path]) -> list[Bestand | Path]:
    """The files the named paths stand for, in order: a folder's files as the project's layout
    sorts them (``projectbestanden.van_folder``), a named file itself."""
    from kaderwerk.sources.projectbestanden import van_folder

    out: list[Bestand | Path] = []
    for p in paths:
        out.extend(van_folder(p).bestanden if p.is_dir() else [p])
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
            entries = [e for e in cat.met_id(ref[0]) if e.heet(*ref) and not e.verborgen
                       and Path(str(e.resource)).is_file()]
        if not entries:
            uit.append(p)
        elif ref is not None and ref[1] is not None:
            uit.append(Path(toon(entries[0].resource)))
        else:
            uit.append(Path(toon(entries[0].resource)).parent)
    return uit


def project_bestanden() -> Projectbestanden:
    """The project's files, for a command given no argument; which kader folders is said on
    stderr. A kader folder without any file yet is noted: a fresh project's first commit
    passes the hooks, so validate, check and test agree on it (exit 0, reports written)."""
    import click
    from kaderwerk.sources.catalog import toon
    from kaderwerk.sources.project import geen_project
    from kaderwerk.sources.projectbestanden import bestanden

    project = bestanden()
    if not project.mappen:
        raise geen_project()
    leeg = [m for m in project.mappen if not project.onder(m).bestanden]
    for m in leeg:
        click.echo(f"note: no kaders yet in {zichtbaar_pad(toon(m))}/ (start one with "
                   "'kaderwerk new kader NAME')", err=True)
    bezet = [zichtbaar_pad(toon(m)) for m in project.mappen if m not in leeg]
    if bezet:
        click.echo(f"kaders of the project: {', '.join(bezet)}", err=True)
    return project


def _in_project(f: Bestand | Path) -> Bestand | Path:
    """A named file as the project's layout sorts it, when it is one of the project's files."""
    import os

    from kaderwerk.sources.projectbestanden import bestanden

    if isinstance(f, Bestand):
        return f
    echt = os.path.realpath(f)
    return next((b for b in bestanden().bestanden if os.path.realpath(b.path) == echt), f)


def kaders_in(refs: tuple[str, ...], fouten: list) -> list[Any]:
    """What ``check`` proves for each ref: a folder's kader files (its files that cannot be
    used recorded in ``fouten``); a project kader's id its newest versie and every versie or
    file of it that cannot be read (as its folder would give them); else the ref itself."""
    from kaderwerk.sources.catalog import split_ref, toon

    cat = catalog()
    uit: list[Any] = []
    for ref in refs:
        parts = split_ref(ref)
        if (parts is not None and cat.versions(parts[0])) or not Path(ref).is_dir():
            if parts is not None and parts[1] is None and cat.van_kader(parts[0]):
                nieuwste = cat.versions(parts[0])[-1:] if cat.versions(parts[0]) else []
                uit += [e for e in cat.onbruikbare(parts[0])
                        if all(e is not n for n in nieuwste)] + nieuwste
            else:
                uit.append(ref)
            continue
        bestanden = [b for b in gevonden([Path(ref)]) if isinstance(b, Bestand)]
        for b in bestanden:
            if b.reden is not None:
                fouten.append((toon(b.path), [Problem(b.reden, zichtbaar_pad(toon(b.path)))]))
        kaders = [toon(b.path) for b in bestanden if b.soort == "kader"]
        if not kaders and not any(b.reden for b in bestanden):
            fouten.append((ref, [Problem("a folder without kader files (*.yaml with an "
                                         "oordeelschaal)", ref)]))
        uit += kaders
    return uit


def te_lezen(paths: Iterable[Path] | None) -> list[Bestand | Path]:
    """The files a command reads: ``None`` the project's files, else the files found in the
    paths (kader ids resolved); a path that does not exist is a ``NotFoundError``."""
    from kaderwerk.domain.errors import NotFoundError

    if paths is None:
        return list(project_bestanden().bestanden)
    paths = paden_of_ids(paths)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise NotFoundError("no such file, folder or kader id: "
                            + ", ".join(map(zichtbaar_pad, missing)))
    return list(gevonden(paths))


def validate_paths(paths: Iterable[Path] | None) -> list[tuple[dict[str, Any], str | None]]:
    """One result per file (kind, problems located, the kader ref when valid), each with the
    layout's kind of the file (None for a file named outside the project: judged by its keys).
    ``None``: every file of the project."""
    from kaderwerk.domain.errors import UsageError
    from kaderwerk.sources.catalog import toon

    files: list[Bestand | Path] = te_lezen(paths)
    if paths is not None:
        files = [f if isinstance(f, Bestand) else _in_project(f) for f in files]
        if not files:
            raise UsageError("no .yaml files found in " + ", ".join(map(str, paths)))
    uit = []
    for f in files:
        if isinstance(f, Path):
            uit.append((validate_file(f), None))
        elif f.reden is not None:
            naam = toon(f.path)
            uit.append(({"bestand": naam, "soort": "?", "problemen": [
                Problem(f.reden, zichtbaar_pad(naam)).to_dict()]}, f.soort))
        else:
            uit.append((validate_file(Path(toon(f.path))), f.soort))
    return uit


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


