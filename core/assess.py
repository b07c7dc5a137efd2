"""``kaderwerk assess``: read beoordelingen, judge them, compare with published figures, write.

The command's steps live here so the CLI stays thin: resolve the kader and the scores (a file,
or a dataset the kader ships), pick the reader by suffix, run the engine, and write each
requested format atomically — or print a summary to the terminal.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from kaderwerk import loader, schema
from kaderwerk.beoordeling import Beoordeling, Opties
from kaderwerk.catalog import catalog
from kaderwerk.errors import KaderError, NotFoundError, UsageError
from kaderwerk.model import Kader
from kaderwerk.output import refuse_inputs, write_atomic


def load_dataset(path: Path | Any, display: str | None = None) -> dict[str, Any]:
    """A dataset manifest, schema-validated."""
    doc = loader.read_document(path, display)
    problems = schema.validate("dataset", doc)
    if problems:
        raise KaderError("", problems=problems)
    return doc.data


def resolve_scores(kader: Kader, scores: str) -> tuple[Path | Any, dict[str, Any] | None]:
    """The scores file and, for a bundled dataset, its manifest."""
    p = Path(scores)
    if p.exists():
        if p.is_dir():
            raise UsageError(f"{scores} is a folder; give a scores file")
        return p, None
    for resource in catalog().datasets(kader):
        if resource.name.removesuffix(".yaml") == scores:
            manifest = load_dataset(resource, f"{kader.id}/datasets/{resource.name}")
            if "scores" not in manifest:
                raise UsageError(f"dataset '{scores}' of {kader.ref} has published figures but "
                                 "no scores; give your own scores file with --gepubliceerd")
            return Path(str(resource)).parent / manifest["scores"], manifest
    names = [r.name.removesuffix(".yaml") for r in catalog().datasets(kader)]
    raise NotFoundError(f"no file '{scores}' and no dataset of that name for {kader.ref}"
                        + (f" (datasets: {', '.join(names)})" if names else ""))


def read_beoordelingen(kader: Kader, path: Path | Any, opties: Opties) -> list[Beoordeling]:
    """Read a scores file with the reader registered for its suffix."""
    reg = catalog().reg
    suffix = Path(str(path)).suffix.lower()
    reader = reg.readers.get(suffix)
    if reader is None:
        known = ", ".join(sorted(reg.readers))
        raise UsageError(f"no reader for '{suffix or path}' files; readers exist for: {known}")
    real = Path(str(path))
    return reader.read(real, kader, opties)


def uitkomst_van(kader_ref: str, scores: str, gepubliceerd: Path | None = None,
                 allow_missing: bool = False) -> tuple[Kader, dict[str, Any], list[Path]]:
    """Everything ``assess`` computes, as JSON data."""
    kader = catalog().get(kader_ref)
    path, manifest = resolve_scores(kader, scores)
    if gepubliceerd is not None:
        manifest = load_dataset(gepubliceerd)
    beoordelingen = read_beoordelingen(kader, path, Opties(allow_missing=allow_missing))
    from kaderwerk.engine import assess

    figures = (manifest or {}).get("gepubliceerd", [])
    shown = str(path) if isinstance(path, Path) and Path(scores).exists() else (
        f"{kader.id}/datasets/{Path(str(path)).name}")
    with _progress(len(beoordelingen)) as voortgang:
        uitkomst = assess(kader, beoordelingen, figures, invoer=[shown],
                          dataset=(manifest or {}).get("naam"), voortgang=voortgang)
    inputs = [Path(scores)] + ([gepubliceerd] if gepubliceerd else [])
    return kader, uitkomst, inputs


def run_assess(kader_ref: str, scores: str, formats: Sequence[str], output: Path | None,
               gepubliceerd: Path | None, allow_missing: bool) -> None:
    reg = catalog().reg
    unknown = [f for f in formats if f not in reg.formats]
    if unknown:
        raise UsageError(f"unknown format(s) {', '.join(unknown)}; available: "
                         f"{', '.join(sorted(reg.formats))}")
    if len(set(formats)) > 1 and output is None:
        raise UsageError("several formats need -o FOLDER")
    kader, uitkomst, inputs = uitkomst_van(kader_ref, scores, gepubliceerd, allow_missing)
    if not formats:
        from kaderwerk import terminal

        terminal.print_uitkomst(uitkomst)
        return
    unique = list(dict.fromkeys(formats))
    if output is None:
        data = reg.formats[unique[0]].write(uitkomst)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    stem = f"{kader.id}-{kader.versie}"
    if len(unique) == 1 and not output.is_dir() and output.suffix:
        targets = {unique[0]: output}
    else:
        targets = {f: output / f"{stem}{reg.formats[f].suffix}" for f in unique}
    refuse_inputs(targets.values(), inputs)
    rendered = {f: reg.formats[f].write(uitkomst) for f in unique}
    for f, target in targets.items():
        write_atomic(target, rendered[f])
        click.echo(f"wrote {target}", err=True)
    n_af = len(uitkomst["afwijkingen"])
    if n_af:
        click.echo(f"{n_af} published figure(s) not reproduced: see 'afwijkingen'", err=True)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for long runs at a terminal; nothing otherwise."""
    if total < 5000 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("beoordelen", total=total)
        yield lambda done: bar.update(task, completed=done)
