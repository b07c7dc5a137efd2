"""One kader file as the catalog knows it (``Entry``), and the rules a project's kader files obey.

Apart from the catalog because ``diff --base`` applies the same rules to the files at a git
revision (``project_regels``): the working tree and a revision are checked by one function, so
both sides of a diff obey the same rules. ``versie_key`` orders versies everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs
from kaderwerk.domain.errors import KaderError, KaderwerkError, Problem
from kaderwerk.domain.model import Kader
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.sources import loader
from kaderwerk.sources.yamlsource import Document


@attrs.define
class Entry:
    """One registered kader file, loaded lazily."""

    resource: Any
    plugin: str
    display: str
    _doc: Document | None = None
    error: KaderwerkError | None = None
    kader: Kader | None = None
    datasets: list[Any] = attrs.field(factory=list)
    lokaal: bool = False
    verborgen: bool = False  # an installed kader shadowed by a local one with the same id
    vervangt: bool = False  # registered with replaces=True
    vervangen: Entry | None = None  # the builtin's entry this one replaced (replaces=True)

    plaats: PurePath | None = None  # a project file's path: its folder is its id, its name
    buiten_regels: bool = False  # it breaks a project rule: found by its plaats too
    map_id: str | None = None  # the id its place asks for (projectbestanden.Bestand.kader_id)
    onbruikbaar: bool = False  # a file in a place the layout has no use for: not a versie
    ongelezen: bool = False  # an installed file not read yet: read on first use of ``doc``

    @property
    def doc(self) -> Document | None:
        """The file's document, read on first use; None when it cannot be read (``error``)."""
        if self.ongelezen:
            self.ongelezen = False
            try:
                self._doc = loader.read_document(as_path(self.resource), self.display)
            except KaderwerkError as exc:
                self.error = exc
        return self._doc

    @doc.setter
    def doc(self, value: Document | None) -> None:
        self.ongelezen = False
        self._doc = value

    @property
    def id(self) -> str | None:
        """The id the file declares; for a project file that declares none readable (a YAML
        error, an empty file), its folder's name: the project's rules make the two agree, so a
        lookup of that id finds the broken file and reports it rather than passing it by for
        another kader of that id."""
        kid = self.doc.data.get("id") if self.doc and isinstance(self.doc.data, dict) else None
        if isinstance(kid, str) and kid:
            return kid
        if self.map_id is not None:
            return self.map_id
        return self.plaats.parent.name if self.plaats is not None else None

    @property
    def versie(self) -> str | None:
        """The versie the file declares; for a project file without a readable one, the name
        of the file (``2.yaml`` is versie 2)."""
        if self.doc and isinstance(self.doc.data, dict):
            v = self.doc.data.get("versie")
            if v is not None and not isinstance(v, (dict, list)):
                return str(v)
        return self.plaats.stem if self.plaats is not None else None

    def heet(self, kader_id: str, versie: str | None = None) -> bool:
        """Whether a lookup of ``kader_id`` (and ``versie``) means this file: by what it
        declares, and a file that breaks a project rule by where it is as well."""
        namen = {(self.id, self.versie)}
        if self.buiten_regels and self.plaats is not None:
            namen.add((self.map_id or self.plaats.parent.name, self.plaats.stem))
        return any(i == kader_id and (versie is None or v == versie) for i, v in namen)


def project_regels(bestanden: Sequence[tuple[Entry, PurePath, bool]]
                   ) -> dict[tuple[str, str], KaderwerkError]:
    """The project's rules for its kader files, each ``(entry, path, directly in a kader
    folder)``: the versie agrees with the file name, the id with the folder (unless the file
    lies directly in a kader folder), and no two files define one ``id@versie`` (nor versies
    that are one number, ``1`` and ``01``). The error of
    each file that breaks one is set on its entry, which a lookup then finds by its folder and
    file name (what the rules ask it to declare) too; returns the id@versies defined twice.

    The working tree (the catalog) and a git revision (``diff --base``) are checked by this
    one function, so both sides of a diff obey the same rules.
    """
    conflicts: dict[tuple[str, str], KaderwerkError] = {}
    eerst: dict[tuple[str, tuple], Entry] = {}
    for entry, file, wortel in bestanden:
        if entry.doc is not None and entry.error is None and entry.versie != file.stem:
            entry.error = KaderError("", problems=[entry.doc.problem(
                f"versie '{entry.versie}' disagrees with the file name; name the file "
                f"{zichtbaar_pad(entry.versie)}{file.suffix} or set versie: "
                f"\"{zichtbaar_pad(file.stem)}\"", ("versie",))])
        if (entry.doc is not None and entry.error is None and entry.id is not None
                and file.parent.name != entry.id and not wortel):
            entry.error = KaderError("", problems=[entry.doc.problem(
                f"id '{entry.id}' disagrees with its folder '{zichtbaar_pad(file.parent.name)}'; "
                f"name the folder {zichtbaar_pad(entry.id)} or set id: "
                f"{zichtbaar_pad(file.parent.name)}", ("id",))])
        if entry.error is not None and entry.doc is not None:
            entry.buiten_regels = True  # found by where it is, as well as by what it says
            continue
        if entry.id is None or entry.versie is None:
            continue
        # versies are ordered as numbers (versie_key), so "1" and "01" are one versie
        eerder = eerst.setdefault((entry.id, versie_key(entry.versie)), entry)
        if eerder is not entry:
            wat = (f"kader {entry.id}@{entry.versie} is defined twice"
                   if eerder.versie == entry.versie else
                   f"kader {entry.id}@{eerder.versie} and {entry.id}@{entry.versie} are one "
                   "versie (versies compare as numbers)")
            for e, ander in ((eerder, entry), (entry, eerder)):
                e.error = KaderError("", problems=[Problem(
                    f"{wat}: here and in {ander.display}; remove or renumber one",
                    e.display)])
                conflicts[(entry.id, str(e.versie))] = e.error
    return conflicts


def versie_key(versie: str) -> tuple:
    """Orders versies as people do: ``2015 < 2016``, ``1.9 < 1.10``, numbers before words."""
    parts = versie.replace("-", ".").split(".")
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def as_path(resource: Any) -> Any:
    return resource if isinstance(resource, Path) else (
        Path(str(resource)) if Path(str(resource)).is_file() else resource)
