"""The plugin contract: every hook a kaderwerk plugin can implement.

Builtin plugins (each kader, each rule type, each reader and output format) implement exactly
these hooks, the same way a third-party package does through the ``kaderwerk`` entry point
group. Each hook receives a ``register`` callback (as in llm); a plugin calls it once per thing
it provides. docs/plugins.md documents every hook below; a test fails when one is missing there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("kaderwerk")
hookimpl = pluggy.HookimplMarker("kaderwerk")


@hookspec
def register_kaders(register: Callable[..., None]) -> None:
    """Register kader folders or files.

    Call ``register(resource)`` with a folder (a ``pathlib.Path`` or an
    ``importlib.resources`` Traversable) holding kader files (``*.yaml``, one per versie) and an
    optional ``datasets/`` folder, or with a single kader file.
    """


@hookspec
def register_beslisregels(register: Callable[[str, type], None]) -> None:
    """Register rule types: ``register("aantal", AantalRegel)``.

    The class subclasses ``kaderwerk.beslisregel.Beslisregel``. A third-party type may set
    ``SCHEMA`` (a JSON Schema for its mapping); the loader validates kader files against it.
    """


@hookspec
def register_readers(register: Callable[..., None]) -> None:
    """Register readers of beoordelingen: ``register(".csv", read_csv, "CSV")``.

    The reader is called as ``reader(path, kader, options)`` and returns a list of
    ``kaderwerk.beoordeling.Beoordeling``; it raises ``InvoerError`` with row and column.
    """


@hookspec
def register_formats(register: Callable[..., None]) -> None:
    """Register output formats: ``register("json", write_json, ".json")``.

    The writer is called as ``writer(uitkomst)`` with the uitkomst as JSON data and returns
    ``bytes``. The uitkomst is what the ``json`` format writes (``schemas/uitkomst.schema.json``)
    with each organisation's traces in place: ``criteria[id]`` and ``oordeel`` hold the whole
    trace, not a reference into ``beslissingen`` (``kaderwerk.api.ontvouw`` turns a file into it).
    """


@hookspec
def register_commands(cli: Any) -> None:
    """Add commands to the ``kaderwerk`` click group: ``@cli.command()``."""
