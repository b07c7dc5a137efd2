"""Remembering which documents passed schema validation, so a command need not check them again.

Validating a kader with jsonschema costs more than everything else a command does before its
real work: importing jsonschema and building its validator takes about 0.2 s, each time, for
files that have not changed since the last run. A document that passed is remembered by a
SHA-256 of its content, the schema texts and the kaderwerk version, as an empty file in the user
cache folder (``$XDG_CACHE_HOME/kaderwerk/geldig``, else ``~/.cache/kaderwerk/geldig``). Any
change to the document, a schema or kaderwerk gives another mark, so the document is validated
again; failures are never remembered, so their messages always come from a real validation.

``KADERWERK_CACHE=uit`` turns the memory off; a cache that cannot be read or written is
silently not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from kaderwerk import __version__

UIT = ("uit", "off", "0", "no", "nee")


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    instelling = os.environ.get("KADERWERK_CACHE", "")
    if instelling.lower() in UIT:
        return None
    if instelling:
        return Path(instelling) / "geldig"
    basis = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(basis) / "kaderwerk" / "geldig"


def merk(naam: str, data: Any, schemas: bytes) -> str | None:
    """The mark of ``data`` valid against schema ``naam``; None when the cache is off or the
    data is not plain JSON data."""
    if folder() is None:
        return None
    try:
        tekst = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    h = hashlib.sha256()
    for deel in (__version__.encode(), naam.encode(), schemas, tekst.encode("utf-8", "replace")):
        h.update(len(deel).to_bytes(8, "big"))
        h.update(deel)
    return h.hexdigest()


def bekend(merk: str) -> bool:
    """True when a document with this mark passed validation before."""
    plek = folder()
    try:
        return plek is not None and (plek / merk[:2] / merk).is_file()
    except OSError:
        return False


def onthoud(merk: str) -> None:
    """Remember that a document with this mark passed; errors leave the cache as it was."""
    plek = folder()
    if plek is None:
        return
    try:
        doel = plek / merk[:2]
        doel.mkdir(parents=True, exist_ok=True)
        (doel / merk).touch()
    except OSError:
        pass
