"""``kaderwerk diff --base REV``: what a pull request changes in the project's kaders.

A reviewer wants to see, for the kader files the branch changed, the same diff ``kaderwerk diff
OLD NEW`` gives, with the old side read from the base revision. The old file is read with ``git
cat-file`` into memory: nothing is checked out and nothing is written. A kader file that did not
exist at the base is new (all of it), not an error; unchanged kaders are left out.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
from kaderwerk.domain.errors import KaderError, KaderwerkError, UsageError
from kaderwerk.sources.catalog import Catalog, Entry, catalog


@attrs.frozen
class GitBestand:
    """A file's text at a revision, readable like a resource by the loader."""

    name: str
    data: bytes

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.data.decode(encoding)


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
    if r.returncode != 0:
        raise KaderwerkError(f"--base {rev}: no such revision in the repository {top} (a branch, "
                             "tag or commit; in CI fetch it first, e.g. fetch-depth: 0)")
    return r.stdout.decode().strip()


def at_base(sha: str, top: Path, path: Path) -> bytes | None:
    """The bytes of ``path`` at commit ``sha``, or None when it did not exist there."""
    rel = path.resolve().relative_to(top).as_posix()
    r = _git(["cat-file", "blob", f"{sha}:{rel}"], top)
    return r.stdout if r.returncode == 0 else None


def vergelijk_base(rev: str, bestanden: Sequence[str], cat: Catalog | None = None
                   ) -> dict[str, Any]:
    """The diff of every local kader file changed since ``rev``, as JSON data."""
    from kaderwerk.commands.assess import toon_scores
    from kaderwerk.commands.diff import vergelijk
    from kaderwerk.sources import loader

    cat = cat or catalog()
    lokaal = [e for e in cat.entries if e.lokaal]
    if not lokaal:
        from kaderwerk.sources.project import geen_project, lokale_paden

        if not lokale_paden():
            raise geen_project()
    top = repository(Path.cwd())
    sha = commit(rev, top)
    gewijzigd: list[dict[str, Any]] = []
    nieuw: list[dict[str, str]] = []
    for entry in lokaal:
        path = Path(str(entry.resource))
        try:
            path.resolve().relative_to(top)
        except ValueError:
            raise KaderwerkError(f"{entry.display} is outside the git repository {top}") from None
        oud_tekst = at_base(sha, top, path)
        if oud_tekst is None:
            nieuw.append({"ref": _ref(entry), "bestand": entry.display})
            continue
        if oud_tekst == path.read_bytes():
            continue
        naam = f"{rev}:{path.resolve().relative_to(top).as_posix()}"
        try:
            oud = loader.load_kader(GitBestand(naam, oud_tekst), cat.reg.beslisregels,
                                    display=naam, base=cat.base)
        except UnicodeDecodeError:
            raise KaderError.at("not UTF-8 text at the base revision", naam) from None
        huidig = cat.load(entry)
        gevonden = [toon_scores(oud, f, cat, kader_map=path.parent) for f in bestanden]
        data = vergelijk(oud, huidig, [p for p, _ in gevonden], cat)
        for b, (_, toon) in zip(data["beoordelingen"], gevonden, strict=True):
            b["bestand"] = toon
        gewijzigd.append(data)
    return {"base": rev, "commit": sha, "gewijzigd": gewijzigd, "nieuw": nieuw,
            "impact": any(d["impact"] for d in gewijzigd)}


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
    if not data["gewijzigd"] and not data["nieuw"]:
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
    return "\n".join(delen)


def run_diff_base(rev: str, fmt: str, bestanden: Sequence[str], fail_on_impact: bool) -> int:
    """``kaderwerk diff --base REV``: print the report; 1 for impact with the flag."""
    import click

    if fail_on_impact and not bestanden:
        raise UsageError("--fail-on-impact needs --beoordelingen FILE to measure impact")
    data = vergelijk_base(rev, bestanden)
    click.echo(format_base_diff(data, fmt), nl=False)
    return 1 if fail_on_impact and data["impact"] else 0
