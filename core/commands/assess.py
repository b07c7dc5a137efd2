"""``kaderwerk assess``: read beoordelingen, judge them, compare with published figures, write.

The command's steps live here so the CLI stays thin: resolve the kader and the scores (a file,
or a dataset the kader ships), pick the reader by suffix, choose the kader's versie, run the
engine, and write each requested format atomically — or print a summary to the terminal.

Versie: KADER given as a bare id follows the beoordelingen — the ``id@versie`` they name (a
``kader`` key or column), else the versie in force on their ``datum``, else the newest — and
every row must agree. KADER given as ``id@versie`` (or a path) is kept, and a row naming another
versie is an error, so a deliberate choice is never overruled silently.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import click
from kaderwerk.commands._speedups import gc_paused
from kaderwerk.commands.output import (
    is_stdout,
    is_stream,
    refuse_inputs,
    target_in,
    write_output,
    write_stdout,
)
from kaderwerk.domain.beoordeling import MAX_PROBLEMEN, Beoordeling, Opties
from kaderwerk.domain.errors import (
    InvoerError,
    KaderError,
    KaderwerkError,
    NotFoundError,
    PluginFailed,
    Problem,
    UsageError,
)
from kaderwerk.domain.model import Kader
from kaderwerk.domain.tekst import afgekort, zichtbaar, zichtbaar_pad
from kaderwerk.domain.woorden import bedoeld, meervoud, opsomming
from kaderwerk.sources import loader, schema
from kaderwerk.sources.catalog import Catalog, catalog, split_ref
from kaderwerk.sources.manager import van_plugin


def load_dataset(path: Path | Any, display: str | None = None) -> dict[str, Any]:
    """A dataset manifest, schema-validated."""
    doc = loader.read_document(path, display)
    problems = schema.validate("dataset", doc)
    if problems:
        raise KaderError("", problems=problems)
    return doc.data


def map_van(kader_ref: str) -> Path | None:
    """The folder of a kader named by its file (its datasets are beside it); None for an id."""
    return Path(kader_ref).parent if split_ref(kader_ref) is None else None


def datasets_van(kader: Kader, cat: Catalog, kader_map: Path | None = None) -> list[Any]:
    """The dataset manifests of ``kader``: in ``kader_map/datasets`` for a kader named by its
    file (which may be an edited copy), else those of the installed kader."""
    if kader_map is None:
        return cat.datasets(kader)
    folder = kader_map / "datasets"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def resolve_scores(kader: Kader, scores: str, cat: Catalog | None = None, *,
                   kader_map: Path | None = None) -> tuple[Path | Any, dict[str, Any] | None]:
    """The scores file and, for a dataset of the kader, its manifest.

    ``kader_map`` is the folder of a kader named by its file: its datasets are the ones beside
    it (``datasets/``), which may be edited copies, not those of the installed kader.
    """
    cat = cat or catalog()
    p = Path(scores)
    if p.exists():
        if p.is_dir():
            raise UsageError(f"{scores} is a folder; give a scores file")
        return p, None
    datasets = datasets_van(kader, cat, kader_map)
    for resource in datasets:
        if resource.name.removesuffix(".yaml") == scores:
            manifest = load_dataset(resource, f"{kader.id}/datasets/{resource.name}"
                                    if kader_map is None else str(resource))
            if "scores" not in manifest:
                raise UsageError(f"dataset '{scores}' of {kader.ref} has published figures but "
                                 "no scores; give your own scores file as SCORES and compare "
                                 f"with the dataset's figures: kaderwerk assess {kader.ref} "
                                 f"SCORES.csv --gepubliceerd {scores}")
            return Path(str(resource)).parent / manifest["scores"], manifest
    names = [r.name.removesuffix(".yaml") for r in datasets]
    raise NotFoundError(f"no file '{scores}' and no dataset of that name for {kader.ref}"
                        + (f" (datasets: {', '.join(names)})" if names else "")
                        + cat.schaduw(kader.id) + _vervanging(kader, cat, kader_map))


def toon_scores(kader: Kader, scores: str, cat: Catalog | None = None, *,
                kader_map: Path | None = None) -> tuple[Path | Any, str]:
    """The scores file SCORES names (a file, or a dataset of the kader) and how to show it:
    as given, or for a bundled dataset ``id/datasets/NAME`` rather than where it is installed."""
    path, manifest = resolve_scores(kader, scores, cat, kader_map=kader_map)
    if manifest is None:
        return path, scores
    return path, str(path) if kader_map is not None else (
        f"{kader.id}/datasets/{Path(str(path)).name}")


def gepubliceerd_van(kader: Kader, gepubliceerd: Path | str, cat: Catalog | None = None, *,
                     kader_map: Path | None = None) -> dict[str, Any]:
    """The manifest of ``--gepubliceerd``: a dataset file, or a dataset name of the kader."""
    cat = cat or catalog()
    p = Path(gepubliceerd)
    if p.is_file():
        return load_dataset(p)
    datasets = datasets_van(kader, cat, kader_map)
    for resource in datasets:
        if resource.name.removesuffix(".yaml") == str(gepubliceerd):
            return load_dataset(resource, f"{kader.id}/datasets/{resource.name}"
                                if kader_map is None else str(resource))
    if p.exists():
        raise UsageError(f"--gepubliceerd {gepubliceerd} is a folder; give a dataset file")
    names = [r.name.removesuffix(".yaml") for r in datasets]
    raise NotFoundError(f"--gepubliceerd: no file '{gepubliceerd}' and no dataset of that name "
                        f"for {kader.ref}" + (f" (datasets: {', '.join(names)})" if names else "")
                        + _vervanging(kader, cat, kader_map))


def _vervanging(kader: Kader, cat: Catalog, kader_map: Path | None) -> str:
    """Why a builtin kader's dataset is missing: a plugin replaced that kader."""
    return "" if kader_map is not None else cat.vervanging(kader)


def read_beoordelingen(kader: Kader, path: Path | Any, opties: Opties,
                       cat: Catalog | None = None) -> list[Beoordeling]:
    """Read a scores file with the reader registered for its suffix."""
    reg = (cat or catalog()).reg
    suffix = Path(str(path)).suffix.lower()
    reader = reg.readers.get(suffix)
    if reader is None:
        known = opsomming(sorted(reg.readers))
        raise UsageError(f"no reader for '{afgekort(suffix or str(path))}' files; readers exist "
                         f"for: {known}{van_plugin(reg, 'reader', suffix) if suffix else ''}")
    real = Path(str(path))
    return reader.read(real, kader, opties)


def uitkomst_van(kader_ref: str, scores: str, gepubliceerd: Path | str | None = None,
                 allow_missing: bool = False, *,
                 cat: Catalog | None = None) -> tuple[Kader, dict[str, Any], list[Path]]:
    """Everything ``assess`` computes, as JSON data."""
    cat = cat or catalog()
    kader = cat.get(kader_ref)
    kader_map = map_van(kader_ref)
    path, manifest = resolve_scores(kader, scores, cat, kader_map=kader_map)
    kader, beoordelingen = lees_in_versie(kader_ref, kader, path,
                                          Opties(allow_missing=allow_missing), cat=cat,
                                          dataset=manifest)
    if gepubliceerd is not None:
        manifest = gepubliceerd_van(kader, gepubliceerd, cat, kader_map=kader_map)
    from kaderwerk.domain.engine import assess

    figures = (manifest or {}).get("gepubliceerd", [])
    shown = str(path) if isinstance(path, Path) and (
        Path(scores).exists() or kader_map is not None) else (
        f"{kader.id}/datasets/{Path(str(path)).name}")
    if shown != str(path):  # a bundled dataset: where it was installed is no part of the result
        beoordelingen = [attrs.evolve(b, herkomst=_herkomst(b.herkomst, str(path), shown))
                         for b in beoordelingen]
    with _progress(len(beoordelingen)) as voortgang:
        uitkomst = assess(kader, beoordelingen, figures, invoer=[shown],
                          dataset=(manifest or {}).get("naam"), voortgang=voortgang,
                          afronding=(manifest or {}).get("afronding"))
    inputs = [Path(scores), Path(str(path))]
    inputs += [Path(p) for p in (kader.pad, gepubliceerd) if p]
    return kader, uitkomst, inputs


def _herkomst(herkomst: str | None, echt: str, getoond: str) -> str | None:
    if herkomst is not None and herkomst.startswith(echt + ":"):
        return getoond + herkomst[len(echt):]
    return herkomst


def lees_in_versie(kader_ref: str, kader: Kader, path: Path | Any, opties: Opties, *,
                   cat: Catalog | None = None, dataset: Mapping[str, Any] | None = None,
                   ) -> tuple[Kader, list[Beoordeling]]:
    """The versie of the kader the beoordelingen belong to, and the beoordelingen read under it.

    ``kader`` is what ``kader_ref`` resolved to; ``dataset`` is a bundled dataset's manifest,
    whose ``kader`` counts as one more row.
    """
    cat = cat or catalog()
    parts = split_ref(kader_ref)
    if parts is None or parts[1] is not None:
        try:
            beoordelingen = read_beoordelingen(kader, path, opties, cat)
        except InvoerError as exc:
            raise _onder(kader, exc) from None
        wensen = _wensen(cat, kader, beoordelingen, dataset, op_datum=False)
        anders = [p for versie, p in wensen if versie != kader.versie]
        if anders:
            raise InvoerError(f"KADER is {kader.ref}, but these beoordelingen name another "
                              f"versie; give KADER as '{kader.id}' to follow them, or fix them:",
                              problems=anders)
        return kader, beoordelingen
    gelezen, beoordelingen = _lees_een_versie(cat, kader, path, opties)
    wensen = _wensen(cat, kader, beoordelingen, dataset, op_datum=True)
    versies = sorted({versie for versie, _ in wensen})
    if len(versies) > 1:
        raise InvoerError(f"the beoordelingen ask for different versies of {kader.id} "
                          f"({', '.join(versies)}); all rows must agree, so split the file "
                          "per versie:", problems=[p for _, p in wensen])
    doel = cat.load(cat.entry(kader.id, versies[0])) if versies else kader
    if doel.versie != gelezen.versie:
        try:
            beoordelingen = read_beoordelingen(doel, path, opties, cat)
        except InvoerError as exc:
            # the columns fit another versie: name the versie used, why, and the one that fits
            waarom = ("the versie the beoordelingen name" if versies else
                      f"the newest of {kader.id}: the beoordelingen name no versie or datum")
            raise InvoerError(
                f"read as {doel.ref} ({waarom}), but their columns fit {gelezen.ref}: give KADER "
                f"as '{gelezen.ref}' to use that versie, or fix them:",
                problems=exc.problems) from None
    return doel, beoordelingen


def _lees_een_versie(cat: Catalog, kader: Kader, path: Path | Any,
                     opties: Opties) -> tuple[Kader, list[Beoordeling]]:
    """Read under ``kader``, or, when its columns do not fit, under any other installed versie.

    Only to learn which versie the rows name: a file of an older versie may not read under the
    newest. When none fits, the error is the one for ``kader``.
    """
    try:
        return kader, read_beoordelingen(kader, path, opties, cat)
    except InvoerError as exc:
        eerste = exc
    for entry in reversed(cat.versions(kader.id)):
        if entry.versie == kader.versie:
            continue
        try:
            ander = cat.load(entry)
            return ander, read_beoordelingen(ander, path, opties, cat)
        except KaderwerkError:
            continue
    raise _onder(kader, eerste)


def _onder(kader: Kader, exc: InvoerError) -> InvoerError:
    """The error with a first line naming the versie the file was read under."""
    if Exception.__str__(exc) or not exc.problems:
        return exc
    return InvoerError(f"the scores cannot be read as beoordelingen of {kader.ref}:",
                       problems=exc.problems)


def _wensen(cat: Catalog, kader: Kader, beoordelingen: Sequence[Beoordeling],
            dataset: Mapping[str, Any] | None, *, op_datum: bool) -> list[tuple[str, Problem]]:
    """Per beoordeling that asks for a versie: the versie and a located line saying why."""
    wensen: list[tuple[str, Problem]] = []
    problems: list[Problem] = []
    bronnen: list[tuple[str, str | None, int | None, str | None, str | None]] = []
    if dataset and isinstance(dataset.get("kader"), Mapping):
        k = dataset["kader"]
        ref = f"{k.get('id')}@{k['versie']}" if k.get("versie") else str(k.get("id"))
        bronnen.append((f"dataset '{dataset.get('naam')}'", None, None, ref, None))
    for b in beoordelingen:
        if not b.kader and not b.datum:
            continue
        file, _, line = (b.herkomst or "").rpartition(":")
        bronnen.append((b.naam, file or b.herkomst,
                        int(line) if line.isdigit() else None, b.kader, b.datum))
    installed = {e.versie for e in cat.versions(kader.id)}
    in_force: dict[str, str | None] = {}
    for naam, file, line, ref, datum in bronnen:
        if len(problems) > MAX_PROBLEMEN:
            break
        if ref:
            ref_id, _, versie = ref.partition("@")
            if ref_id != kader.id:
                problems.append(Problem(f"{naam}: names kader '{ref}', but KADER is {kader.id}",
                                        file, line))
            elif versie:
                wensen.append((versie, Problem(f"{naam}: names {ref}", file, line)))
                if op_datum and versie not in installed:
                    problems.append(Problem(f"{naam}: names {ref}, which is not installed",
                                            file, line))
                continue
        if datum and op_datum:
            if datum not in in_force:
                try:
                    in_force[datum] = cat.in_force(kader.id, datum).versie
                except NotFoundError:
                    in_force[datum] = None
            versie = in_force[datum]
            if versie is None:
                problems.append(Problem(f"{naam}: no versie of {kader.id} was in force on "
                                        f"{datum}", file, line))
                continue
            wensen.append((versie, Problem(f"{naam}: datum {datum}, versie {versie} in force",
                                           file, line)))
    if problems:
        raise InvoerError("", problems=problems)
    return wensen


def run_assess(kader_ref: str, scores: str, formats: Sequence[str], output: Path | None,
               gepubliceerd: Path | str | None, allow_missing: bool) -> None:
    with gc_paused():
        _run_assess(kader_ref, scores, formats, output, gepubliceerd, allow_missing)


def _run_assess(kader_ref: str, scores: str, formats: Sequence[str], output: Path | None,
                gepubliceerd: Path | str | None, allow_missing: bool) -> None:
    reg = catalog().reg
    formats = [f.lower() for f in formats]  # format names are compared in any case
    unknown = [f for f in formats if f not in reg.formats]
    if unknown:
        raise UsageError(f"unknown {meervoud(len(unknown), 'format', 'formats')} "
                         f"{opsomming(unknown)}; available: {opsomming(sorted(reg.formats))}"
                         f"{bedoeld(unknown[0], sorted(reg.formats))}"
                         f"{van_plugin(reg, 'format', unknown[0])}")
    if output is not None and is_stdout(output):
        output = None
    if len(set(formats)) > 1 and output is None:
        raise UsageError("several formats need -o FOLDER")
    kader, uitkomst, inputs = uitkomst_van(kader_ref, scores, gepubliceerd, allow_missing)
    if not formats:
        from kaderwerk.commands import terminal

        terminal.print_uitkomst(uitkomst)
        return
    unique = list(dict.fromkeys(formats))
    if output is None:
        fmt = reg.formats[unique[0]]
        data = fmt.write(uitkomst)
        if _stdout_is_terminal():
            if not is_text(data) or fmt.suffix.lower() in BINAIRE_SUFFIXEN:
                raise UsageError(f"--format {unique[0]} is binary and standard output is a "
                                 f"terminal; write it to a file with -o FILE{fmt.suffix}, or "
                                 "redirect it (-o - > FILE, or a pipe)")
            data = voor_terminal(data)
        write_stdout(data)
        if unique[0] == "html":
            from kaderwerk.commands.interactief import bestandsnaam

            click.echo(f"the report links to {bestandsnaam(kader.id, kader.versie)} beside it: "
                       "use -o to have it written, or 'kaderwerk render "
                       f"{kader.ref} --interactief -o FILE'", err=True)
        _meld_geen_oordeel(uitkomst)
        return
    naar_map = not (len(unique) == 1 and (is_stream(output)
                                          or (not output.is_dir() and output.suffix)))
    if not naar_map:
        targets = {unique[0]: output}
    else:
        _een_bestand_per_format(reg, unique)
        targets = {f: target_in(output, f"{kader.id}-{kader.versie}{reg.formats[f].suffix}")
                   for f in unique}
    pagina_pad = None
    if "html" in targets and not naar_map:
        from kaderwerk.commands.interactief import bestandsnaam

        click.echo(f"the report links to {bestandsnaam(kader.id, kader.versie)} beside it: give "
                   "-o a folder to have it written there too, or make it with 'kaderwerk render "
                   f"{kader.ref} --interactief -o FILE'", err=True)
    elif "html" in targets:
        # -o is a folder: the interactive page the report links to is written in it too
        from kaderwerk.commands.interactief import bestandsnaam, door_kaderwerk

        pad = target_in(targets["html"].parent, bestandsnaam(kader.id, kader.versie))
        if pad.exists() and not door_kaderwerk(pad):
            click.echo(f"not writing {pad}, which kaderwerk did not write: the report's links "
                       "expect the interactive page there; move that file, or make the page "
                       f"elsewhere with 'kaderwerk render {kader.ref} --interactief -o FILE'",
                       err=True)
        else:
            pagina_pad = pad
    refuse_inputs([*targets.values(), *([pagina_pad] if pagina_pad else [])], inputs)
    # One report in memory at a time: rendered, written, let go (five formats of a 100,000
    # organisation export stay under 1 GB). A failing plugin format does not stop the others.
    failed, geschreven = [], set()
    for f, target in targets.items():
        try:
            data = reg.formats[f].write(uitkomst)
        except PluginFailed as exc:
            failed.append(exc)
            continue
        geschreven.add(f)
        write_output(target, data)
        del data
        click.echo(f"wrote {zichtbaar_pad(target)} ({kader.ref})", err=True)
    if pagina_pad is not None and "html" in geschreven:
        from kaderwerk.commands.interactief import pagina

        write_output(pagina_pad, pagina(kader).encode("utf-8"))
        click.echo(f"wrote {zichtbaar_pad(pagina_pad)} ({kader.ref})", err=True)
    if failed:
        raise failed[0]
    _meld_geen_oordeel(uitkomst)
    n_af = len(uitkomst["afwijkingen"])
    if n_af:
        click.echo(f"{n_af} published {meervoud(n_af, 'figure', 'figures')} not reproduced: "
                   "see 'afwijkingen'", err=True)


def _een_bestand_per_format(reg: Any, formats: Sequence[str]) -> None:
    """Refuse formats of one run that would write the same file name: one would overwrite
    the other (``jsonld`` with suffix ``.json`` beside ``json``). Checked before writing."""
    per_suffix: dict[str, list[str]] = {}
    for f in formats:
        per_suffix.setdefault(reg.formats[f].suffix.lower(), []).append(f)
    for suffix, namen in per_suffix.items():
        if len(namen) > 1:
            raise UsageError(f"formats {' and '.join(namen[:2])} both write a file ending in "
                             f"{suffix}, so one would overwrite the other; run them one at a "
                             "time with -o FILE")


BINAIRE_SUFFIXEN = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".odt", ".docx", ".pdf", ".zip",
                              ".gz", ".png", ".jpg", ".jpeg", ".gif", ".parquet", ".sqlite"})
"""Suffixes of files that are binary whatever their bytes: a writer with one of them is not
shown on a terminal, even when its bytes happen to decode as UTF-8."""


def voor_terminal(data: bytes) -> bytes:
    """A format's text as a terminal may show it: every control character but line feed, tab
    and the carriage return of a CRLF written as ``\\uXXXX`` (``tekst.zichtbaar``), so a
    plugin writer cannot set the window title or clear the screen. The builtin formats write
    no such character: their output is unchanged."""
    text = data.decode("utf-8")
    veilig = _LOSSE_CR.sub("\\\\u000d", zichtbaar(text))
    return data if veilig == text else veilig.encode("utf-8")


_LOSSE_CR = re.compile("\r(?!\n)")


def is_text(data: bytes) -> bool:
    """Whether a format's bytes are text a terminal can show: UTF-8 without NUL bytes."""
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _meld_geen_oordeel(uitkomst: Mapping[str, Any]) -> None:
    """Say on stderr how many oordelen are missing, so a file output never hides them."""
    from kaderwerk.domain.engine import geen_oordeel_lines

    for line in geen_oordeel_lines(uitkomst):
        click.echo(line, err=True)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for long runs at a terminal; nothing otherwise."""
    if total < 5000 or not sys.stderr.isatty():
        yield None
        return
    from kaderwerk.commands.terminal import console
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("assessing", total=total)
        yield lambda done: bar.update(task, completed=done)
