"""What a cell of a score table holds besides a score: nothing, a name, a date.

Every reader (CSV, Excel, YAML, JSON) must read a file whole or refuse it, and read it the same
way. These are the rules all of them share and the catalog applies too: which cells and rows
count as blank (so the header is the first row that is not), when two organisation names are
one organisation, and what a date is (``YYYY-MM-DD``, a real day, compared as a date).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

_ISO_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def leeg(value: Any) -> bool:
    """True for a cell that holds nothing (None, or only spaces)."""
    return value is None or str(value).strip() == ""


def first_row(rows: Iterable[tuple[int, Sequence[Any]]],
               ) -> tuple[int, Sequence[Any]] | None:
    """The first row that is not blank, taken from ``rows``: a table's header."""
    for rownr, cells in rows:
        if not all(map(leeg, cells)):
            return rownr, cells
    return None


def organisatie_naam(value: Any) -> str:
    """The name as organisations are compared: trimmed, in Unicode normal form NFC."""
    return "" if value is None else unicodedata.normalize("NFC", str(value).strip())


def iso_datum(text: str) -> datetime.date | None:
    """``YYYY-MM-DD`` as a date; None when the text is not one (``2015-9-1``, ``2015-02-30``)."""
    if not _ISO_DATUM.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_datum(value: Any) -> str | None:
    """A datum cell as an ISO date text; None when empty; ValueError saying what is wrong.

    Text must be ``YYYY-MM-DD`` and a real day; a date cell of a workbook counts when it has
    no time of day.
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time():
            raise ValueError("is a date with a time of day; give the date only")
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if not _ISO_DATUM.fullmatch(text):
        raise ValueError("is not a date; write it as YYYY-MM-DD")
    if iso_datum(text) is None:
        raise ValueError("is an invalid date (no such day)")
    return text
