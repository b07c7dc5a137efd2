"""The files of a kader project: one answer that every command asks.

``validate``, ``check``, ``test``, ``list``, a lookup by id and both sides of ``diff --base``
must agree on which files are the project's kader, dataset and voorbeelden files and which
cannot be used, or a file one command reports another passes by. So they all ask
``bestanden()`` (the working tree) or sort a revision's file list with ``indeel`` (git).
The layout, from docs/kader-repository.md::

    <kader folder>/<id>/<versie>.yaml             a kader file
    <kader folder>/<id>/datasets/<naam>.yaml      a dataset of that kader (scores files beside it)
    <kader folder>/<id>/voorbeelden/<naam>.yaml   example tests of that kader
    <kader folder>/<versie>.yaml                  a kader file directly in a kader folder, with its
                                                  datasets/ and voorbeelden/ beside it

Anything else with a YAML name is a file that cannot be used, with the reason: a YAML file in a
deeper folder (``kaders/k/oud/1.yaml``), in ``datasets/`` or ``voorbeelden/`` directly in a kader
folder that holds no kader file of its own, a ``.YAML`` name, a link that leads nowhere, a folder
that cannot be read. Hidden files and folders are skipped, and so are other files (a README, a
scores CSV). Whether a YAML file can be read (a FIFO, a device, not UTF-8) is the reader's
finding, in the command that reads it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import attrs
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.sources.project import extra, find, is_yaml, sleutel, werkmap

GERESERVEERD = ("datasets", "voorbeelden")
SOORTEN = ("kader", "dataset", "voorbeelden", "onbruikbaar")


@attrs.frozen
class Vondst:
    """One file of a kader folder, sorted: its path relative to the folder, what it is, the kader
    id folder it lies in (None directly in the kader folder) and, when it cannot be used, why."""

    rel: PurePosixPath
    soort: str
    kader_map: str | None = None
    reden: str | None = None


@attrs.frozen
class Bestand:
    """A project file as the commands use it: its path as the user sees it and its kader folder."""

    path: Path
    map: Path
    bron: str  # where the kader folder was named: the config's file name or --kaders
    vondst: Vondst

    @property
    def soort(self) -> str:
        return self.vondst.soort

    @property
    def kader_id(self) -> str:
        """The id the layout asks this file's kader to have: its id folder, or for a file directly
        in a kader folder that folder's name."""
        return self.vondst.kader_map or self.map.name

    @property
    def reden(self) -> str | None:
        return self.vondst.reden


@attrs.frozen
class Projectbestanden:
    """Every file of the project's kader folders, sorted by what it is."""

    mappen: tuple[Path, ...]
    bestanden: tuple[Bestand, ...]

    def van(self, soort: str) -> list[Bestand]:
        return [b for b in self.bestanden if b.soort == soort]

    def onder(self, folder: Path) -> Projectbestanden:
        """The files below ``folder``, by their paths as seen (a kader folder or an id folder
        may be a link) or as real paths (the folder named through another link)."""
        gezien = Path(os.path.normpath(werkmap() / folder))
        echt = Path(os.path.realpath(folder))
        return Projectbestanden(self.mappen, tuple(
            b for b in self.bestanden
            if Path(os.path.normpath(werkmap() / b.path)).is_relative_to(gezien)
            or Path(os.path.realpath(b.path.parent)).is_relative_to(echt)))


def indeel(paden: Iterable[tuple[PurePosixPath, str | None]], toon: str) -> list[Vondst]:
    """Sort the files of one kader folder by the layout. ``paden`` are paths relative to the
    folder, each with a problem its listing found (a link that leads nowhere) or None; ``toon``
    is the folder as messages name it. Hidden paths and files that are not YAML are left out."""
    paden = [(p, r) for p, r in paden if not any(d.startswith(".") for d in p.parts)]
    eigen = any(len(p.parts) == 1 and is_yaml(p.name) and r is None for p, r in paden)
    uit: list[Vondst] = []
    for rel, reden in sorted(paden):
        delen = rel.parts
        if reden is not None:
            uit.append(Vondst(rel, "onbruikbaar", delen[0] if len(delen) > 1 else None, reden))
            continue
        if not is_yaml(rel.name):
            if rel.suffix.lower() in (".yaml", ".yml"):
                uit.append(Vondst(rel, "onbruikbaar", delen[0] if len(delen) > 1 else None,
                                  f"kaderwerk reads *.yaml and *.yml names in lower case; "
                                  f"rename it {zichtbaar_pad(rel.stem)}.yaml"))
            continue
        if len(delen) == 1:
            uit.append(Vondst(rel, "kader"))
        elif len(delen) == 2 and delen[0] in GERESERVEERD:
            uit.append(Vondst(rel, _soort(delen[0])) if eigen else Vondst(
                rel, "onbruikbaar", delen[0],
                f"'{delen[0]}' is the name of a kader's own {delen[0]} folder "
                f"({toon}/<id>/{delen[0]}/), and no kader file lies directly in {toon}/ to own "
                f"it: move it to {toon}/<id>/{delen[0]}/"))
        elif len(delen) == 2:
            uit.append(Vondst(rel, "kader", delen[0]))
        elif len(delen) == 3 and delen[1] in GERESERVEERD and delen[0] not in GERESERVEERD:
            uit.append(Vondst(rel, _soort(delen[1]), delen[0]))
        else:
            uit.append(Vondst(rel, "onbruikbaar", delen[0], (
                f"its folder is '{zichtbaar_pad(delen[-2])}'; kaders live in "
                f"{toon}/<id>/<versie>.yaml, their datasets in {toon}/<id>/datasets/ and "
                f"voorbeelden in {toon}/<id>/voorbeelden/: move the file there or out of "
                f"{toon}/")))
    return uit


def _soort(map_naam: str) -> str:
    return "dataset" if map_naam == "datasets" else "voorbeelden"


def lees_map(folder: Path, gezien: set[str] | None = None
             ) -> list[tuple[PurePosixPath, str | None]]:
    """Every file below ``folder`` (relative), following links to folders (each real folder read
    once, so a loop ends), with the problem of a link that leads nowhere or a folder that cannot
    be read; hidden folders are not entered. ``gezien`` carries the real folders already read
    across kader folders, so one folder reached twice is read once."""
    gezien = set() if gezien is None else gezien
    uit: list[tuple[PurePosixPath, str | None]] = []

    def loop(map_: Path, rel: PurePosixPath) -> None:
        echt = os.path.realpath(map_)
        if echt in gezien:
            return
        gezien.add(echt)
        try:
            namen = sorted(os.listdir(map_))
        except OSError as exc:
            uit.append((rel, f"a folder that cannot be read ({exc.strerror}); fix its "
                             "permissions or remove it"))
            return
        for naam in namen:
            if naam.startswith("."):
                continue
            pad = map_ / naam
            if pad.is_dir():
                loop(pad, rel / naam)
            elif pad.is_symlink() and not pad.exists():
                uit.append((rel / naam, "a symbolic link that leads nowhere (a loop, or its "
                                        "target is missing); remove it or point it at a file"))
            else:
                uit.append((rel / naam, None))

    loop(folder, PurePosixPath())
    return uit


def kader_mappen() -> list[tuple[Path, str]]:
    """The project's kader folders (the config's, then ``--kaders``), each once, with where it
    was named."""
    project = find()
    genoemd = [(f, project.config.name) for f in project.kaders] if project else []
    genoemd += [(f, "--kaders") for f in extra()]
    uniek: dict[str, tuple[Path, str]] = {}
    for folder, bron in genoemd:
        uniek.setdefault(os.path.realpath(folder), (folder, bron))
    return list(uniek.values())


def bestanden() -> Projectbestanden:
    """The files of this project (the kader folders of its config and ``--kaders``)."""
    return _bestanden(sleutel())


@functools.lru_cache(maxsize=4)
def _bestanden(_sleutel: object) -> Projectbestanden:
    mappen = kader_mappen()
    gezien: set[str] = set()
    uit: list[Bestand] = []
    for folder, bron in mappen:
        uit += van_map(folder, bron, gezien)
    return Projectbestanden(tuple(f for f, _ in mappen), tuple(uit))


def van_map(folder: Path, bron: str = "", gezien: set[str] | None = None) -> list[Bestand]:
    """The sorted files of one kader folder in the working tree."""
    from kaderwerk.sources.catalog import toon

    naam = zichtbaar_pad(toon(folder))
    return [Bestand(folder / v.rel, folder, bron, v)
            for v in indeel(lees_map(folder, gezien), naam)]


def van_folder(folder: Path) -> Projectbestanden:
    """The files a folder named on the command line stands for: the project's files below it,
    the project's kader folders inside it, or, outside the project, the folder read as a kader
    folder itself (``datasets/`` or ``voorbeelden/`` as part of the kader folder above it)."""
    project = bestanden()
    echt = Path(os.path.realpath(folder))
    if any(echt.is_relative_to(os.path.realpath(m)) or Path(os.path.realpath(m)
           ).is_relative_to(echt) for m in project.mappen):
        return project.onder(folder)
    wortel = folder.parent if folder.name in GERESERVEERD else folder
    return Projectbestanden((wortel,), tuple(van_map(wortel))).onder(folder)
