"""The plugin contract: every hook a kaderwerk plugin can implement.

Builtin plugins (each kader, each rule type, each reader and output format) implement exactly
these hooks, the same way a third-party package does through the ``kaderwerk`` entry point
group. Each hook receives a ``register`` callback (as in llm); a plugin calls it once per thing
it provides. docs/plugins.md documents every hook below; a test fails when one is missing there.
The callbacks' types are the Protocols here (re-exported by ``kaderwerk.api``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

if TYPE_CHECKING:
    import click
    from kaderwerk.domain.beoordeling import Beoordeling, Opties
    from kaderwerk.domain.model import Kader

hookspec = pluggy.HookspecMarker("kaderwerk")
hookimpl = pluggy.HookimplMarker("kaderwerk")


class Reader(Protocol):
    """What ``register_readers`` takes: scores file -> beoordelingen (or ``InvoerError``)."""

    def __call__(self, path: Path, kader: Kader, opties: Opties) -> list[Beoordeling]: ...


class Writer(Protocol):
    """What ``register_formats`` takes: the uitkomst as JSON data -> deterministic bytes."""

    def __call__(self, uitkomst: dict[str, Any]) -> bytes: ...


class RegisterKader(Protocol):
    def __call__(self, resource: Any, *, replaces: bool = False) -> None: ...


class RegisterBeslisregel(Protocol):
    def __call__(self, naam: str, cls: type, *, replaces: bool = False) -> None: ...


class RegisterReader(Protocol):
    def __call__(self, suffix: str, read: Reader, naam: str = "", *,
                 replaces: bool = False) -> None: ...


class RegisterFormat(Protocol):
    def __call__(self, naam: str, write: Writer, suffix: str, *,
                 replaces: bool = False) -> None: ...


@hookspec
def register_kaders(register: RegisterKader) -> None:
    """Register kader folders or files.

    Call ``register(resource)`` with a folder (a ``pathlib.Path`` or an
    ``importlib.resources`` Traversable) holding kader files (``*.yaml``, one per versie) and an
    optional ``datasets/`` folder, or with a single kader file.
    """


@hookspec
def register_beslisregels(register: RegisterBeslisregel) -> None:
    """Register rule types: ``register("aantal", AantalRegel)``.

    The class subclasses ``kaderwerk.api.Beslisregel`` and owns its JSON Schema (``SCHEMA``),
    composed into the kader schema, and its checks (``controleer``).
    """


@hookspec
def register_readers(register: RegisterReader) -> None:
    """Register readers of beoordelingen: ``register(".csv", read_csv, "CSV")``.

    The reader is called as ``reader(path, kader, opties)`` and returns a list of
    ``kaderwerk.api.Beoordeling``; it raises ``InvoerError`` with row and column.
    """


@hookspec
def register_formats(register: RegisterFormat) -> None:
    """Register output formats: ``register("json", write_json, ".json")``.

    The writer is called as ``writer(uitkomst)`` with the uitkomst as JSON data and returns
    ``bytes``. The uitkomst is what the ``json`` format writes (``schemas/uitkomst.schema.json``)
    with each organisation's traces in place: ``criteria[id]`` and ``oordeel`` hold the whole
    trace, not a reference into ``beslissingen`` (``kaderwerk.api.ontvouw`` turns a file into it).
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``kaderwerk`` click group: ``@cli.command()``."""
