"""kaderwerk's public API: everything a plugin or a kader author's test may import.

Plugins import from here and from nowhere else in kaderwerk (a test enforces it for the
builtin plugins); what is not exported here may change in any release. docs/plugins.md
documents every name below (a test fails when one is missing there).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaderwerk.domain.afronding import heel_procent
from kaderwerk.domain.beoordeling import (
    DEFAULT_OPTIES,
    MAX_ORGANISATIES,
    MAX_PROBLEMEN,
    ORGANISATIE,
    Beoordeling,
    Opties,
    Tabel,
    te_veel,
)
from kaderwerk.domain.beslisregel import (
    HIT_POLICIES,
    Beslisregel,
    Beslissing,
    Clausule,
    Handmatig,
    Invoer,
    Lezing,
    Ongelijkheid,
    Telling,
    buiten_schaal,
)
from kaderwerk.domain.cel import first_row
from kaderwerk.domain.engine import plaatsen
from kaderwerk.domain.errors import (
    InvoerError,
    KaderError,
    KaderwerkError,
    NotFoundError,
    PluginError,
    PluginFailed,
    Problem,
    UsageError,
)
from kaderwerk.domain.model import (
    Bron,
    Criterium,
    Feit,
    Kader,
    Oordeelschaal,
    Plafond,
    Score,
    Thema,
    Verwachting,
)
from kaderwerk.domain.tekst import afgekort, json_veilig, weiger_cel, weiger_tekst, zichtbaar
from kaderwerk.domain.uitkomst import (
    afwijkingen_zin,
    criterium_ids,
    criterium_titels,
    feiten_tekst,
    in_rangorde,
    kolom_label,
    kop_label,
    neutraliseer,
    ontvouw,
    oordeel_kolommen,
    oordeel_tekst,
    oordeel_van,
    plafond_tekst,
    regel_tekst,
    telling_tekst,
    waarde_tekst,
)
from kaderwerk.domain.woorden import aantal
from kaderwerk.hookspecs import (
    Reader,
    RegisterBeslisregel,
    RegisterFormat,
    RegisterKader,
    RegisterReader,
    Writer,
    hookimpl,
)
from kaderwerk.sources.files import check_file, decode_utf8, read_bytes
from kaderwerk.sources.yamlsource import Document

if TYPE_CHECKING:
    from kaderwerk.commands import interactief
    from kaderwerk.domain.regelzin import controles, zin


_LAZY = {"zin": "kaderwerk.domain.regelzin:zin", "controles": "kaderwerk.domain.regelzin:controles",
         "interactief": "kaderwerk.commands.interactief"}
"""Public names whose module is imported on first use (``from kaderwerk.api import zin``)."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, _, attr = _LAZY[name].partition(":")
        return getattr(importlib.import_module(module), attr) if attr else (
            importlib.import_module(module))
    raise AttributeError(f"module 'kaderwerk.api' has no attribute '{name}'")


def read_document(path: Path, display: str) -> Document:
    """A YAML or (by suffix ``.json``) JSON file with the line and column of every value.

    Values are kept as written (``letterlijk``): ``1.0`` stays the text ``"1.0"``. Bad input
    raises ``KaderError`` located at FILE:LINE:COL.
    """
    from kaderwerk.sources import jsonsource, yamlsource

    if path.suffix.lower() == ".json":
        return jsonsource.parse(jsonsource.read_json(path, display), display, letterlijk=True)
    return yamlsource.parse(yamlsource.read_text(path, display), display, letterlijk=True)


def validate_document(schema_name: str, doc: Document) -> list[Problem]:
    """Problems of ``doc`` against a bundled schema (``beoordeling``, ``kader``, ...)."""
    from kaderwerk.sources import schema

    return schema.validate(schema_name, doc)


def uitkomst_schema() -> Mapping[str, Any]:
    """The JSON Schema of the uitkomst a writer receives (``schemas/uitkomst.schema.json``)."""
    from kaderwerk.sources import schema

    return schema.schema("uitkomst")


__all__ = [
    "DEFAULT_OPTIES",
    "HIT_POLICIES",
    "MAX_ORGANISATIES",
    "MAX_PROBLEMEN",
    "ORGANISATIE",
    "Beoordeling",
    "Beslisregel",
    "Beslissing",
    "Bron",
    "Clausule",
    "Criterium",
    "Document",
    "Feit",
    "Handmatig",
    "Invoer",
    "InvoerError",
    "Kader",
    "KaderError",
    "KaderwerkError",
    "Lezing",
    "NotFoundError",
    "Ongelijkheid",
    "Oordeelschaal",
    "Opties",
    "Plafond",
    "PluginError",
    "PluginFailed",
    "Problem",
    "Reader",
    "RegisterBeslisregel",
    "RegisterFormat",
    "RegisterKader",
    "RegisterReader",
    "Score",
    "Tabel",
    "Telling",
    "Thema",
    "UsageError",
    "Verwachting",
    "Writer",
    "aantal",
    "afgekort",
    "afwijkingen_zin",
    "buiten_schaal",
    "check_file",
    "controles",
    "criterium_ids",
    "criterium_titels",
    "decode_utf8",
    "feiten_tekst",
    "first_row",
    "heel_procent",
    "hookimpl",
    "in_rangorde",
    "interactief",
    "json_veilig",
    "kolom_label",
    "kop_label",
    "neutraliseer",
    "ontvouw",
    "oordeel_kolommen",
    "oordeel_tekst",
    "oordeel_van",
    "plaatsen",
    "plafond_tekst",
    "read_bytes",
    "read_document",
    "regel_tekst",
    "te_veel",
    "telling_tekst",
    "uitkomst_schema",
    "validate_document",
    "waarde_tekst",
    "weiger_cel",
    "weiger_tekst",
    "zichtbaar",
    "zin",
]
