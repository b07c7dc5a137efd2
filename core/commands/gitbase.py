"""``kaderwerk diff --base REV``: what a pull request changes in the project's kaders.

A reviewer wants to see, for the kaders the branch changed, the same diff ``kaderwerk diff OLD
NEW`` gives, with the old side read from the base revision. The old files are read with ``git
cat-file`` into memory: nothing is checked out and nothing is written. The whole old side comes
from the base: an overlay is built on its basis as it was there, and an overlay whose basis
changed is itself changed. A new versie file is compared with the previous versie of its kader at
the base; an ``id@versie`` that did not exist there, with no earlier versie, is new (all of
it); one the base had and the working tree lacks is removed. Old and new are paired by
``id@versie``, the old files found in the kader folders the config named at the base, so a moved
kader or a renamed kader folder is compared, never "removed" plus "new". Unchanged kaders are
left out.
Both sides obey the project's rules as ``check`` and ``validate`` apply them (one function,
``kaderbestand.project_regels``): a file at the base that cannot be read or breaks a rule is an
error at ``REV:path:line``, unless the working tree no longer has it or has it usable: then the
change repairs the base, a warning says so and the file is left out of the old side.

The impact of a rule change is the same organisations judged by the old and by the new kader, so
``--beoordelingen`` are read from the working tree for both sides, each side reading the
columns its kader knows (``diff.impact``); the report says so,
and warns when a scores file itself changed since the base (its change is not in the impact).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import attrs
from kaderwerk.domain.errors import KaderError, KaderwerkError, Problem, UsageError
from kaderwerk.domain.tekst import zichtbaar_pad
from kaderwerk.sources.catalog import Catalog, catalog
from kaderwerk.sources.files import decode_utf8
from kaderwerk.sources.kaderbestand import Entry, project_regels
from kaderwerk.sources.yamlsource import Document


@attrs.frozen
class GitBestand:
    """A file's text at a revision, readable like a resource by the loader."""

    name: str
    data: bytes

    def read_text(self, encoding: str = "utf-8") -> str:
        """The text as every YAML file is decoded: UTF-8, a BOM allowed, UTF-16 and NUL refused."""
        return decode_utf8(self.data, self.name, KaderError, what="a YAML file")


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise KaderwerkError("diff --base needs git, and git is not installed (not on PATH)"
                             ) from None


def repository(cwd: Path) -> Path:
    """The top folder of the git repository around ``cwd``."""
    r = _git(["rev-parse", "--show-toplevel"], cwd)
    if r.returncode != 0:
        raise KaderwerkError(f"{cwd} is not in a git repository: diff --base compares with a "
                             "git revision; name two versions instead (kaderwerk diff OLD NEW)")
    return Path(r.stdout.decode().strip()).resolve()


def commit(rev: str, top: Path) -> str:
    """The commit ``rev`` names; an error when it names none."""
    if rev.startswith("-"):
        raise UsageError(f"--base {rev}: a revision does not start with '-'")
    r = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    if r.returncode != 0 and _git(["rev-parse", "--verify", "--quiet", "HEAD"], top).returncode:
        raise KaderwerkError(f"--base {rev}: the repository {top} has no commits yet; commit "
                             "the kaders first, then compare a branch with it")
    if r.returncode != 0:
        shallow = _git(["rev-parse", "--is-shallow-repository"], top).stdout.strip() == b"true"
        if shallow:
            raise KaderwerkError(
                f"--base {rev}: not in the repository {top}, which is a shallow clone (only the "
                f"latest commits, as CI checks out by default): fetch the base first, e.g. "
                f"'git fetch --unshallow origin' or 'git fetch origin <branch>', or in GitHub "
                f"Actions give actions/checkout 'fetch-depth: 0'")
        raise KaderwerkError(f"--base {rev}: no such revision in the repository {top} (a branch, "
                             "tag or commit; in CI fetch it first, e.g. fetch-depth: 0)")
    return r.stdout.decode().strip()


def at_base(sha: str, top: Path, path: Path) -> bytes | None:
    """The bytes of ``path`` at commit ``sha``, or None when it did not exist there."""
    rel = path.resolve().relative_to(top).as_posix()
    r = _git(["cat-file", "blob", f"{sha}:{rel}"], top)
    return r.stdout if r.returncode == 0 else None


def _oude_mappen(rev: str, sha: str, top: Path) -> list[tuple[str, str | None]]:
    """The project's kader folders at ``sha``, relative to the repository, each with the
    ``REV:CONFIG:LINE`` that named it: named by the config as it was there (``kaderwerk.toml``
    or ``[tool.kaderwerk]`` at REV, else the default ``kaders``), so a kader folder renamed
    since the base is still found at the base; and the ``--kaders`` folders of this command.
    A config at REV that cannot be used is an error at ``REV:CONFIG:LINE``, never passed by:
    a fallback to ``kaders`` would hide the old side of every kader elsewhere."""
    from kaderwerk.sources.project import CONFIG, PYPROJECT, config_mappen, extra, find

    mappen: list[tuple[Path, str | None]] = [(m, None) for m in extra()]
    project = find()
    if project is not None:
        gevonden: tuple[list[str], str] | None = None
        for naam in (CONFIG, PYPROJECT):
            data = at_base(sha, top, project.root / naam)
            if data is None:
                continue
            rel = (project.root / naam).resolve().relative_to(top).as_posix()
            gevonden = config_mappen(naam, data, f"{rev}:{zichtbaar_pad(rel)}")
            if gevonden is not None:
                break
        namen, waar = gevonden if gevonden is not None else (["kaders"], None)
        mappen += [(project.root / n, waar) for n in namen]
    uit: list[tuple[str, str | None]] = []
    for map_, waar in mappen:
        try:
            rel = Path(os.path.normpath(map_.resolve())).relative_to(top).as_posix()
        except ValueError:
            continue
        if rel not in [r for r, _ in uit]:
            uit.append((rel, waar))
    return uit


def _hersteld(rev: str, rel: str, fout: KaderwerkError, hersteld: Callable[[str], bool]
              ) -> None:
    """A file at the base that cannot be used: an error at ``REV:path``, unless the working
    tree no longer has it or has a usable file there (the change repairs the base), then a
    warning and the file is left out of the old side."""
    import click

    if not hersteld(rel):
        raise fout
    reden = "; ".join(p.message for p in fout.problems) or str(fout)
    click.echo(f"warning: {rev}:{zichtbaar_pad(rel)} could not be read at the base: {reden}; "
               "compared as new", err=True)


def _oude_kaders(rev: str, sha: str, top: Path, hersteld: Callable[[str], bool]
                 ) -> dict[str, tuple[bytes, bool]]:
    """Every kader file of the project's kader folders at ``sha`` with whether it lies directly
    in a kader folder, by its path relative to the repository: the whole old side, not only
    changed files. The files git lists there are sorted by the layout the working tree obeys
    (``projectbestanden.indeel``); one that cannot be used is an error at ``REV:path``, or a
    warning when this change removes or repairs it (``_hersteld``)."""
    import click
    from kaderwerk.sources.projectbestanden import indeel

    uit: dict[str, tuple[bytes, bool]] = {}
    for rel, waar in _oude_mappen(rev, sha, top):
        r = _git(["ls-tree", "-r", "-z", "--name-only", sha, "--", f"{rel}/"], top)
        namen = [PurePosixPath(naam[len(rel) + 1:])
                 for naam in r.stdout.decode("utf-8", "replace").split("\0")
                 if naam.startswith(f"{rel}/")]
        if not namen and waar is not None:  # git keeps no empty folder: no kader was there
            click.echo(f"warning: {waar}: the kader folder '{zichtbaar_pad(rel)}' has no files "
                       f"at {rev}; its kaders are compared as new", err=True)
        for vondst in indeel([(n, None) for n in namen], rel):
            naam = f"{rel}/{vondst.rel.as_posix()}"
            if vondst.reden is not None:
                waar = f"{rev}:{zichtbaar_pad(naam)}"
                _hersteld(rev, naam, KaderError("", problems=[Problem(vondst.reden, waar)]),
                          hersteld)
                continue
            if vondst.soort == "kader":
                data = at_base(sha, top, top / naam)
                if data is not None:
                    uit[naam] = (data, vondst.kader_map is None)
    return uit


def _document(naam: str, data: bytes) -> Document:
    from kaderwerk.sources import loader

    return loader.read_document(GitBestand(naam, data), naam)


def _oude_documenten(rev: str, oud_bytes: dict[str, tuple[bytes, bool]],
                     hersteld: Callable[[str], bool]) -> dict[str, Document]:
    """The kader files at the base, read and held to the project's rules exactly as the
    working tree's are (``kaderbestand.project_regels``): any problem is an error at REV:path, or a
    warning when this change removes or repairs the file (``_hersteld``); such a file is left
    out of ``oud_bytes`` too."""
    docs: dict[str, Document] = {}
    bestanden = []
    for rel, (data, wortel) in list(oud_bytes.items()):
        naam = f"{rev}:{zichtbaar_pad(rel)}"
        try:
            docs[rel] = _document(naam, data)
        except KaderwerkError as fout:
            _hersteld(rev, rel, fout, hersteld)
            del oud_bytes[rel]
            continue
        bestanden.append((Entry(GitBestand(naam, data), "base", naam, doc=docs[rel],
                                lokaal=True, plaats=PurePosixPath(rel)),
                          PurePosixPath(rel), wortel))
    project_regels(bestanden)
    for entry, file, _ in bestanden:
        if entry.error is not None:
            _hersteld(rev, file.as_posix(), entry.error, hersteld)
            del docs[file.as_posix()], oud_bytes[file.as_posix()]
    return docs


def _sleutel(doc: Document) -> tuple[str, str] | None:
    data = doc.data
    if isinstance(data, dict) and data.get("id") is not None and data.get("versie") is not None:
        return str(data["id"]), str(data["versie"])
    return None


def _basis(doc: Document) -> tuple[str, str] | None:
    data = doc.data
    ref = data.get("basis") if isinstance(data, dict) else None
    if isinstance(ref, dict) and ref.get("kader") is not None and ref.get("versie") is not None:
        return str(ref["kader"]), str(ref["versie"])
    return None


def vergelijk_base(rev: str, bestanden: Sequence[str], cat: Catalog | None = None
                   ) -> dict[str, Any]:
    """The diff of every local kader changed since ``rev``, as JSON data: a changed file, an
    overlay whose basis changed, a new versie (against the previous versie at ``rev``), new
    kaders and removed kader files. The old side is read entirely at ``rev``."""
    from kaderwerk.commands.assess import toon_scores
    from kaderwerk.commands.diff import vergelijk
    from kaderwerk.sources import loader
    from kaderwerk.sources.catalog import versie_key

    cat = cat or catalog()
    lokaal = [e for e in cat.entries if e.lokaal]
    if not lokaal:
        from kaderwerk.sources.project import geen_project
        from kaderwerk.sources.projectbestanden import kader_mappen

        if not kader_mappen():
            raise geen_project()
    top = repository(Path.cwd())
    sha = commit(rev, top)
    _check_beoordelingen(bestanden, lokaal)
    bruikbaar = {Path(str(e.resource)).resolve(): e.error is None and e.doc is not None
                 for e in lokaal}

    def hersteld(rel: str) -> bool:  # gone from the working tree, or usable there now
        pad = (top / rel).resolve()
        return bruikbaar.get(pad, False) or not pad.exists()

    oud_bytes = _oude_kaders(rev, sha, top, hersteld)
    oud_docs = _oude_documenten(rev, oud_bytes, hersteld)
    oud_per_ref = {ref: rel for rel, doc in oud_docs.items()
                   if (ref := _sleutel(doc)) is not None}

    def oude_basis(kader_id: str, versie: str) -> Document:
        rel = oud_per_ref.get((kader_id, versie))
        return oud_docs[rel] if rel is not None else cat.base(kader_id, versie)

    paren: list[tuple[Entry, str]] = []
    nieuw: list[dict[str, str]] = []
    huidige_refs: set[tuple[str, str]] = set()
    gewijzigd_ref: set[tuple[str, str]] = set()
    for entry in lokaal:
        path = Path(str(entry.resource))
        if entry.error is not None:  # the project's rules, as check and validate apply them
            raise entry.error
        try:
            path.resolve().relative_to(top)
        except ValueError:
            raise KaderwerkError(f"{entry.display} is outside the git repository {top}") from None
        sleutel = (entry.id or "?", entry.versie or "?")
        huidige_refs.add(sleutel)
        oud_rel = oud_per_ref.get(sleutel)  # by id@versie: a moved file is compared, not new
        if oud_rel is not None:
            if oud_bytes[oud_rel][0] != path.read_bytes():
                gewijzigd_ref.add(sleutel)
            paren.append((entry, oud_rel))
            continue
        eerder = sorted((r for r in oud_per_ref if r[0] == entry.id),
                        key=lambda r: versie_key(r[1]))
        lager = [r for r in eerder if versie_key(r[1]) < versie_key(entry.versie or "")]
        vorige = (lager or eerder)[-1] if eerder else None
        if vorige is None:
            cat.load(entry)  # a new kader is valid too, or the diff says why not
            nieuw.append({"ref": _ref(entry), "bestand": entry.display})
            continue
        gewijzigd_ref.add((entry.id or "?", entry.versie or "?"))
        paren.append((entry, oud_per_ref[vorige]))
    # an overlay changes with its basis: follow basis references until nothing is added
    while True:
        erbij = {(e.id or "?", e.versie or "?") for e, _ in paren
                 if e.doc is not None and _basis(e.doc) in gewijzigd_ref} - gewijzigd_ref
        if not erbij:
            break
        gewijzigd_ref |= erbij
    gewijzigd: list[dict[str, Any]] = []
    gelezen: dict[str, Path] = {str(f): Path(f) for f in bestanden if Path(f).is_file()}
    for entry, rel in paren:
        if (entry.id or "?", entry.versie or "?") not in gewijzigd_ref:
            continue
        path = Path(str(entry.resource))
        naam = f"{rev}:{zichtbaar_pad(rel)}"
        oud = loader.load_kader(GitBestand(naam, oud_bytes[rel][0]), cat.reg.beslisregels,
                                display=naam, base=oude_basis)
        huidig = cat.load(entry)
        gevonden = [toon_scores(oud, f, cat, kader_map=path.parent) for f in bestanden]
        gelezen.update((toon, Path(str(p))) for p, toon in gevonden)
        data = vergelijk(oud, huidig, [p for p, _ in gevonden], cat)
        for b, (_, toon) in zip(data["beoordelingen"], gevonden, strict=True):
            b["bestand"] = toon
        gewijzigd.append(data)
    verwijderd = [{"ref": "@".join(ref), "bestand": f"{rev}:{zichtbaar_pad(rel)}"}
                  for ref, rel in oud_per_ref.items() if ref not in huidige_refs]
    return {"base": rev, "commit": sha, "gewijzigd": gewijzigd, "nieuw": nieuw,
            "verwijderd": verwijderd,
            "beoordelingen": [{"bestand": toon, "gewijzigd_sinds_base": _gewijzigd(sha, top, p)}
                              for toon, p in gelezen.items()],
            "impact": any(d["impact"] for d in gewijzigd) or bool(verwijderd)}


def _check_beoordelingen(bestanden: Sequence[str], lokaal: Sequence[Entry]) -> None:
    """Each ``--beoordelingen`` is a file or a dataset name of a project kader: said before
    anything is compared, also when no kader changed (else a typo would pass unnoticed)."""
    from kaderwerk.domain.errors import NotFoundError

    namen = {Path(str(d)).name.removesuffix(".yaml") for e in lokaal for d in e.datasets}
    for f in bestanden:
        p = Path(f)
        if p.is_dir():
            raise KaderwerkError(f"--beoordelingen {f}: a folder; give a scores file (CSV, "
                                 "xlsx, YAML or JSON) or a dataset name of the kader")
        if not p.exists() and f not in namen:
            raise NotFoundError(f"--beoordelingen {f}: no such file, and no kader of the "
                                "project has a dataset of that name"
                                + (f" (datasets: {', '.join(sorted(namen))})" if namen else ""))


def _gewijzigd(sha: str, top: Path, path: Path) -> bool:
    """Whether the scores file ``path`` in the working tree differs from its version at
    ``sha`` (False when git does not track it there: then it did not change in the range)."""
    try:
        rel = path.resolve().relative_to(top).as_posix()
    except ValueError:
        return False
    if _git(["cat-file", "-e", f"{sha}:{rel}"], top).returncode != 0:
        return False
    return _git(["diff", "--quiet", sha, "--", rel], top).returncode != 0


def _ref(entry: Entry) -> str:
    return f"{entry.id or '?'}@{entry.versie or '?'}"


def format_base_diff(data: dict[str, Any], fmt: str) -> str:
    """The whole report: each changed kader's diff, then the new kaders."""
    from kaderwerk.commands.diff_render import format_diff, md_escape
    from kaderwerk.domain.tekst import zichtbaar

    if fmt == "json":
        return zichtbaar(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    md = fmt == "markdown"
    e = md_escape if md else str
    kop = f"kaderwerk diff against {data['base']} ({data['commit'][:12]})"
    delen = [f"# {e(kop)}\n" if md else f"{kop}\n"]
    for b in data.get("beoordelingen", []):
        regel = f"beoordelingen from the working tree: {e(b['bestand'])}"
        if b["gewijzigd_sinds_base"]:
            regel += f"\n\n{'**warning**' if md else 'warning'}: {e(_waarschuwing(data, b))}"
        delen.append(regel + "\n")
    if not data["gewijzigd"] and not data["nieuw"] and not data.get("verwijderd"):
        delen.append("No kader changed.\n")
    for d in data["gewijzigd"]:
        tekst = format_diff(d, fmt)
        if md:  # one level below the report's own heading
            tekst = "\n".join("#" + r if r.startswith("#") else r for r in tekst.split("\n"))
        delen.append(tekst)
    if data["nieuw"]:
        regels = [f"- {e(n['ref'])} ({e(n['bestand'])}): new, all of it"
                  for n in data["nieuw"]]
        delen.append(("## New kaders\n\n" if md else "New kaders (not at the base)\n")
                     + "\n".join(regels) + "\n")
    if data.get("verwijderd"):
        regels = [f"- {e(n['ref'])} ({e(n['bestand'])}): removed"
                  for n in data["verwijderd"]]
        delen.append(("## Removed kaders\n\n" if md else "Removed kaders (at the base, not now)\n")
                     + "\n".join(regels) + "\n")
    return "\n".join(delen)


def _waarschuwing(data: dict[str, Any], b: dict[str, Any]) -> str:
    return (f"{b['bestand']} changed since {data['base']}; its rows as they are now are judged "
            "by both versions of the kader, so the impact shown is only the kader's change, "
            "not the change of the beoordelingen")


def run_diff_base(rev: str, fmt: str, bestanden: Sequence[str], fail_on_impact: bool) -> int:
    """``kaderwerk diff --base REV``: print the report; 1 for impact with the flag."""
    import click

    data = vergelijk_base(rev, bestanden)
    for b in data["beoordelingen"]:  # the text report says it already, on the same terminal
        if b["gewijzigd_sinds_base"] and fmt != "text":
            click.echo(f"warning: {_waarschuwing(data, b)}", err=True)
    click.echo(format_base_diff(data, fmt), nl=False)
    if fail_on_impact and data["impact"]:
        click.echo(f"--fail-on-impact: {_waarom_impact(data)}", err=True)
        return 1
    return 0


def _waarom_impact(data: dict[str, Any]) -> str:
    """Why ``--fail-on-impact`` fails, in one line: changed oordelen, removed kaders or both."""
    from kaderwerk.domain.woorden import aantal

    redenen = []
    gewijzigd = [d for d in data["gewijzigd"] if d["impact"]]
    if gewijzigd:
        redenen.append(f"oordelen change in {aantal(len(gewijzigd), 'kader')}")
    if data.get("verwijderd"):
        refs = ", ".join(v["ref"] for v in data["verwijderd"])
        redenen.append(f"{aantal(len(data['verwijderd']), 'kader file')} removed since "
                       f"{data['base']} ({refs}): its beoordelingen can no longer be judged")
    return "; ".join(redenen)
