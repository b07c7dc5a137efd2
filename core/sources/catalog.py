"""The installed kaders and datasets, found through the plugins, addressed as ``id@versie``.

Plugins register folders; this module finds the kader files (one per versie) and the datasets
beside them, loads each kader once, resolves overlays against their base, and answers "which
kader is meant": a path, an ``id``, an ``id@versie``, or the versie in force on a date.

A plugin may register thousands of folders, so the installed part is lazy: a command that names
files reads none of them, a lookup of an id reads only the files that may declare it
(``_idscan``), and only ``entries`` (list, plugins) reads them all.
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any

from kaderwerk.domain.cel import iso_datum
from kaderwerk.domain.errors import (
    KaderError,
    KaderwerkError,
    NotFoundError,
    Problem,
    UsageError,
)
from kaderwerk.domain.model import Kader
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.domain.woorden import bedoeld, opsomming
from kaderwerk.sources import loader
from kaderwerk.sources._idscan import gescand_id
from kaderwerk.sources.kaderbestand import Entry as Entry
from kaderwerk.sources.kaderbestand import project_regels as project_regels
from kaderwerk.sources.kaderbestand import versie_key as versie_key
from kaderwerk.sources.manager import Registry, botsingen, registry, van_plugin
from kaderwerk.sources.project import is_yaml
from kaderwerk.sources.yamlsource import Document


class Catalog:
    """All kaders the plugins registered."""

    def __init__(self, reg: Registry | None = None) -> None:
        self.reg = reg or registry()
        self._entries: list[Entry] = []
        self.conflicts: dict[tuple[str, str], KaderwerkError] = {}
        self._lokaal()
        self._lokale_ids = {e.id for e in self._entries if e.id} | {
            e.map_id for e in self._entries if e.buiten_regels and e.map_id}
        # the installed files by the id a glance at their text finds (None: no certain id)
        self._index: dict[str | None, list[Entry]] | None = None
        self._gekeken: set[str | None] = set()  # ids whose files are read and checked
        self._alles = False
        self._per_id: dict[str | None, list[Entry]] | None = None

    @property
    def entries(self) -> list[Entry]:
        """Every entry, each installed file read and checked for duplicates: for ``list`` and
        ``plugins``; a lookup of an id reads only that id's files (``met_id``)."""
        if not self._alles:
            self._alles = True
            index = self._geinstalleerd()
            self._bekijk([e for e in self._entries if not e.lokaal],
                         set(index) | self._gekeken)
        return self._entries

    @entries.setter
    def entries(self, value: list[Entry]) -> None:
        self._entries = value

    def _geinstalleerd(self) -> dict[str | None, list[Entry]]:
        """The installed files, listed (not read) on first need, by the id their text shows."""
        if self._index is None:
            self._index = {}
            for resource, plugin in self.reg.kader_bronnen:
                vervangt = any(resource is r for r in self.reg.vervangende_bronnen)
                for file, datasets in _geinstalleerde_bestanden(resource):
                    entry = Entry(file, plugin, toon(file), datasets=datasets,
                                  vervangt=vervangt, ongelezen=True)
                    self._entries.append(entry)
                    self._index.setdefault(gescand_id(file), []).append(entry)
        return self._index

    def met_id(self, kader_id: str) -> list[Entry]:
        """The entries that may be ``kader_id``: the project's and the installed files whose
        text shows that id or shows none for certain, read and checked for duplicates."""
        index = self._geinstalleerd()
        if self._alles:  # all read: by the id each declares (list asks once per entry)
            if self._per_id is None:
                self._per_id = {}
                for e in self._entries:
                    if not e.lokaal:
                        self._per_id.setdefault(e.id, []).append(e)
            kandidaten = [e for e in self._entries if e.lokaal] + self._per_id.get(kader_id, [])
        else:
            kandidaten = [e for e in self._entries if e.lokaal] + [
                e for e in index.get(kader_id, []) + index.get(None, [])
                if e.plugin not in self.reg.broken]
            if kader_id not in self._gekeken:
                self._bekijk([e for e in kandidaten if not e.lokaal], {kader_id, None})
            levend = {id(e) for e in self._entries}
            kandidaten = [e for e in kandidaten if id(e) in levend]
        return [e for e in kandidaten if e.heet(kader_id)]

    def _bekijk(self, installed: list[Entry], ids: set[str | None]) -> None:
        """Read ``installed`` (all files of ``ids``), mark those a project kader shadows and
        refuse the duplicates among them."""
        for e in installed:
            e.verborgen = e.id in self._lokale_ids
        self._gekeken |= ids
        self._refuse_duplicates(installed)

    def _refuse_duplicates(self, installed: list[Entry]) -> None:
        """A kader ``id@versie`` registered by two plugins is refused as any other name
        registered twice (``manager.botsingen``); a plugin's declared replacement of a builtin
        kader takes its place, and is listed as such. Checked among the files of the ids a
        command looks up, or of all (``entries``)."""
        self._per_id = None
        while True:
            door: dict[tuple[str, str], list[Entry]] = {}
            for e in installed:
                if e.id and e.versie is not None and not e.lokaal:  # the project's: _lokaal
                    door.setdefault((e.id, e.versie), []).append(e)
            kapot: dict[str, str] = {}
            for (kid, versie), entries in door.items():
                namen = list(dict.fromkeys(e.plugin for e in entries))
                for naam, reason in botsingen(self.reg, "register_kaders",
                                              f"kader '{kid}@{versie}'", namen,
                                              {e.plugin for e in entries if e.vervangt}).items():
                    kapot.setdefault(naam, reason)
            if not kapot:
                break
            for naam, reason in kapot.items():
                self.reg.disable(naam, reason)
            self._entries = [e for e in self._entries if e.plugin not in kapot]
            installed = [e for e in installed if e.plugin not in kapot]
        for (kid, versie), entries in door.items():
            if len({e.plugin for e in entries}) < 2:
                continue
            nieuw = next((e for e in entries if e.vervangt and e.plugin not in self.reg.broken
                          and not self.reg.info[e.plugin].builtin), None)
            if nieuw is None:
                continue  # builtins registering one kader twice: a bug in kaderwerk's plugins
            oud = [e for e in entries if e.plugin != nieuw.plugin]
            self._entries = [e for e in self._entries if not any(e is o for o in oud)]
            nieuw.vervangen = oud[0]
            info = self.reg.info[nieuw.plugin]
            wat = f"kader {kid}@{versie} of {oud[0].plugin}"
            if wat not in info.replaces:
                info.replaces.append(wat)

    def _lokaal(self) -> None:
        """The project's kaders (and ``--kaders``): read first, checked for clashes; a file that
        cannot be used is an entry too, with its reason, found by its kader's id."""
        from kaderwerk.sources.projectbestanden import bestanden

        project = bestanden()
        regels = []
        for b in sorted(project.bestanden, key=lambda b: (
                b.kader_id, versie_key(b.path.stem), b.path.name)):
            if b.soort not in ("kader", "onbruikbaar"):
                continue
            entry = Entry(b.path, b.bron, zichtbaar_pad(toon(b.path)), lokaal=True,
                          plaats=b.path, map_id=b.kader_id)
            if b.reden is not None:
                entry.error = KaderError("", problems=[Problem(b.reden, entry.display)])
                entry.buiten_regels = entry.onbruikbaar = True
                self._entries.append(entry)
                continue
            entry.datasets = [d.path for d in project.bestanden if d.soort == "dataset"
                              and d.map == b.map and d.vondst.kader_map == b.vondst.kader_map]
            try:
                entry.doc = loader.read_document(b.path, entry.display)
            except KaderwerkError as exc:
                entry.error = exc
            self._entries.append(entry)
            regels.append((entry, PurePath(b.path), b.vondst.kader_map is None))
        self.conflicts.update(project_regels(regels))

    def lokale_fout(self, path: Path) -> KaderwerkError | None:
        """Why a project kader file may not be used although it may itself be valid: its
        versie disagrees with its name, another file defines the same id@versie, or it lies
        where the layout has no use for it (``projectbestanden``)."""
        for e in self._entries:
            if e.lokaal and e.error is not None and (e.doc is not None or e.onbruikbaar) and (
                    Path(os.path.realpath(str(e.resource))) == Path(os.path.realpath(path))):
                return e.error
        return None

    def van_kader(self, kader_id: str) -> list[Entry]:
        """Every project file of ``kader_id``: its versies and the files in its folder that
        cannot be used (``check ID`` reports them all)."""
        return [e for e in self._entries if e.lokaal and e.heet(kader_id)]

    def onbruikbare(self, kader_id: str) -> list[Entry]:
        """The project files of ``kader_id`` that cannot be used as one of its versies: not
        readable, in a place the layout has no use for (``kaders/k/oud/1.yaml``, ``2.YAML``, a
        dangling link), breaking a project rule, or one ``id@versie`` defined twice. Every
        command that resolves the id reports them (``check ID`` among them), never passes by."""
        return [e for e in self.van_kader(kader_id) if e.error is not None and (
            e.doc is None or e.onbruikbaar or e.buiten_regels
            or (e.id or "", e.versie or "") in self.conflicts)]

    def weiger_onbruikbare(self, kader_id: str, versie: str | None = None) -> None:
        """Raise the problems of every file ``onbruikbare`` finds for ``kader_id``, each at
        its file, once. With a ``versie`` only those that could be that versie (``oud/1.yaml``
        for ``k@1``): an unusable file could be the newest versie or the one in force, but it
        is not every versie."""
        kapot = [e for e in self.onbruikbare(kader_id)
                 if versie is None or versie_key(str(e.versie)) == versie_key(versie)]
        if not kapot:
            return
        problems: list[Problem] = []
        for e in kapot:
            assert e.error is not None
            for p in e.error.problems or [Problem(str(e.error).strip())]:
                if p not in problems:
                    problems.append(p)
        raise KaderError("", problems=problems)

    # -- lookup -----------------------------------------------------------------------------

    def ids(self) -> list[str]:
        return sorted({e.id for e in self.entries if e.id and not e.onbruikbaar})

    def versions(self, kader_id: str) -> list[Entry]:
        """The versies of ``kader_id``: the local ones when there are any, else installed."""
        return sorted((e for e in self.met_id(kader_id) if e.heet(kader_id) and not e.verborgen
                       and not e.onbruikbaar),
                      key=lambda e: versie_key(e.versie or ""))

    def entry(self, kader_id: str, versie: str | None = None) -> Entry:
        versions = self.versions(kader_id)
        if not versions:
            raise NotFoundError(f"no kader '{kader_id}' is installed or in the project; known: "
                                f"{opsomming(self.ids()) or 'none'} (see 'kaderwerk list')"
                                f"{bedoeld(kader_id, self.ids())}"
                                f"{van_plugin(_kaders_van_kapotte(self.reg), 'kader', kader_id)}")
        if versie is None:
            return versions[-1]
        if (kader_id, versie) in self.conflicts:
            raise self.conflicts[(kader_id, versie)]
        for e in sorted(versions, key=lambda e: e.error is None):  # a broken one is reported
            if e.heet(kader_id, versie):
                return e
        raise NotFoundError(f"kader '{kader_id}' has no versie '{versie}'; "
                            f"{'project' if versions[-1].lokaal else 'installed'} versies: "
                            f"{', '.join(str(e.versie) for e in versions)}"
                            f"{bedoeld(versie, [str(e.versie) for e in versions])}"
                            f"{self.schaduw(kader_id)}")

    def schaduw(self, kader_id: str) -> str:
        """A sentence naming the installed versies a project kader of this id shadows."""
        verborgen = [e for e in self.met_id(kader_id) if e.id == kader_id and e.verborgen]
        if not verborgen:
            return ""
        return (f"; the project's kader '{kader_id}' shadows the installed one (versies "
                f"{', '.join(sorted((str(e.versie) for e in verborgen), key=versie_key))}); "
                "reach that one by its file path, e.g. "
                f"{verborgen[0].display}, or give the project kader another id")

    def vervanging(self, kader: Kader) -> str:
        """A sentence saying that a plugin replaced this builtin kader, and so whose datasets
        it has: a dataset of the builtin is not one of the replacement's."""
        entry = next((e for e in self.met_id(kader.id) if e.vervangen is not None
                      and e.id == kader.id
                      and e.versie == kader.versie and not e.verborgen), None)
        if entry is None or entry.vervangen is None:
            return ""
        namen = [d.name.removesuffix(".yaml") for d in entry.datasets]
        oud = [d.name.removesuffix(".yaml") for d in entry.vervangen.datasets
               if d.name.removesuffix(".yaml") not in namen]
        return (f"; plugin {entry.plugin} replaces {kader.ref} of {entry.vervangen.plugin} "
                f"(replaces=True), so its datasets are {entry.plugin}'s: "
                + (", ".join(namen) if namen else "none")
                + (f" ({entry.vervangen.plugin}'s {', '.join(oud)} "
                   f"{'is' if len(oud) == 1 else 'are'} not used)" if oud else ""))

    def get(self, ref: str) -> Kader:
        """A kader by path, ``id`` (newest versie) or ``id@versie``."""
        parts = split_ref(ref)
        if parts is not None and not self.versions(parts[0]) and (
                Path(ref).exists() or Path(ref).is_symlink()):
            raise _geen_bestand(Path(ref), ref)  # a folder, a device, a broken link: no id
        if parts is None:
            if not Path(ref).is_file():
                raise _geen_bestand(Path(ref), ref)
            fout = self.lokale_fout(Path(ref))
            if fout is not None:
                raise fout
            return loader.load_kader(Path(ref), self.reg.beslisregels, display=ref,
                                     base=self.base)
        entry = self.entry(*parts)
        self.weiger_onbruikbare(parts[0], parts[1])
        return self.load(entry)

    def in_force(self, kader_id: str, datum: str | datetime.date) -> Kader:
        """The versie of ``kader_id`` in force on ``datum`` (an ISO date ``YYYY-MM-DD``).

        Dates are compared as dates, never as text (``2015-9-1`` is no date at all).
        """
        dag = datum if isinstance(datum, datetime.date) else iso_datum(datum)
        if dag is None:
            raise UsageError(f"'{datum}' is not a valid date; write it as YYYY-MM-DD")

        def vanaf(e: Entry) -> datetime.date:
            # no (valid) geldig_vanaf: in force from the start; validation reports it
            text = str(e.doc.data.get("geldig_vanaf") or "") if e.doc else ""
            return iso_datum(text) or datetime.date.min

        self.weiger_onbruikbare(kader_id)  # its geldig_vanaf is unknown: it might be in force
        candidates = [e for e in self.versions(kader_id) if e.doc and vanaf(e) <= dag]
        if not candidates:
            raise NotFoundError(f"no versie of '{kader_id}' was in force on {datum}")
        return self.load(max(candidates, key=lambda e: (vanaf(e), versie_key(e.versie or ""))))

    def load(self, entry: Entry) -> Kader:
        if entry.kader is not None:
            return entry.kader
        if entry.error is not None:
            raise entry.error
        assert entry.doc is not None
        data, problems = loader.check_kader_document(entry.doc, self.reg.beslisregels, self.base)
        if problems:
            entry.error = KaderError("", problems=problems)
            raise entry.error
        entry.kader = loader.build_kader(entry.doc, data, self.reg.beslisregels)
        return entry.kader

    def base(self, kader_id: str, versie: str) -> Document:
        """The document of a base kader, for overlays."""
        entry = self.entry(kader_id, versie)
        if entry.error is not None:
            raise entry.error
        assert entry.doc is not None
        return entry.doc

    def all(self) -> Iterator[tuple[Entry, Kader | None, KaderwerkError | None]]:
        """Every entry with its kader or the error that prevents loading it."""
        for e in self.entries:
            try:
                yield e, self.load(e), None
            except KaderwerkError as exc:
                yield e, None, exc

    def datasets(self, kader: Kader) -> list[Any]:
        for e in self.met_id(kader.id):
            if e.id == kader.id and e.versie == kader.versie:
                return e.datasets
        return []


def _kaders_van_kapotte(reg: Registry) -> Registry:
    """``reg``, with the kader ids in the folders each broken plugin tried to register added to
    what it tried (read as text, no plugin code run), so an unknown id can be said to be its."""
    import re

    for info in reg.info.values():
        if info.error is None:
            continue
        for resource in info.kader_pogingen:
            try:
                for f, _ in _geinstalleerde_bestanden(resource):
                    gevonden = re.search(r"^id:\s*['\"]?([^'\"\s#]+)", f.read_text("utf-8"),
                                         re.MULTILINE)
                    if gevonden:
                        info.attempted.append(f"kader {gevonden[1]}")
            except (OSError, ValueError, AttributeError, TypeError):
                continue  # what cannot be read is not named
    return reg


def catalog() -> Catalog:
    """The catalog of the process-wide registry and the project around the working folder."""
    from kaderwerk.sources.project import sleutel

    return _catalog(sleutel())


@functools.cache
def _catalog(key: Any) -> Catalog:
    return Catalog()


catalog.cache_clear = _catalog.cache_clear  # type: ignore[attr-defined]


def _geen_bestand(path: Path, ref: str) -> NotFoundError:
    """Why ``path`` cannot be read as a kader file, said precisely."""
    if path.is_dir():
        return NotFoundError.at("a folder, not a kader file: name a kader file in it, or an "
                                "installed kader id ('kaderwerk list')", ref)
    if path.exists():
        return NotFoundError.at("not a regular file", ref)
    if path.is_symlink():
        return NotFoundError.at("a symbolic link that leads nowhere (a loop, or its target is "
                                "missing)", ref)
    return NotFoundError(f"no such file: {zichtbaar_pad(ref)}")


def split_ref(ref: str) -> tuple[str, str | None] | None:
    """``(id, versie or None)`` for ``id`` or ``id@versie``; None when ``ref`` is a file path."""
    if ref.endswith((".yaml", ".yml")) or Path(ref).is_file():
        return None
    kader_id, _, versie = ref.partition("@")
    return kader_id, versie or None


def _geinstalleerde_bestanden(resource: Any) -> Iterator[tuple[Any, list[Any]]]:
    """The kader files (and datasets) of a folder or file a plugin registered: a package
    resource, not a project folder (those are ``projectbestanden``'s)."""
    if resource.is_file():
        yield resource, []
        return
    if not resource.is_dir():
        return
    datasets_dir = resource / "datasets"
    datasets = sorted((f for f in datasets_dir.iterdir() if f.name.endswith(".yaml")),
                      key=lambda f: f.name) if datasets_dir.is_dir() else []
    for f in sorted(resource.iterdir(), key=lambda f: (versie_key(f.name.rsplit(".", 1)[0]),
                                                       f.name)):
        if is_yaml(f.name) and not f.is_dir():  # a FIFO, a device, a broken link: reported
            yield f, datasets


def toon(path: Any) -> str:
    """A path as shown in messages: relative to the working folder when below it."""
    from kaderwerk.sources.project import werkmap

    p = Path(str(path))
    try:
        return str(p.relative_to(werkmap()))
    except ValueError:
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)
