"""Opening a user's file at a bounded cost, with an error that says what is wrong with it.

Kaders, datasets and score tables come from users, so a path may name a FIFO (opening it
would block forever), a device, a directory or a file of gigabytes. Every reader therefore
stats the file first, refuses what is not a regular file or is over its limit, and reads at
most the limit plus one byte: a file that grows after the stat is still caught, and memory is
never reserved for more than the limit. The checks live here so the readers cannot drift apart.

Every file opened here is remembered for the rest of the command: whatever found it (named on
the command line, next to a kader, named inside another file), it is an input, and an input is
never replaced by a report (see ``kaderwerk.output``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kaderwerk.errors import KaderwerkError

#: (device, inode) -> path of every file this command read through this module
_GELEZEN: dict[tuple[int, int], Path] = {}


def gelezen() -> dict[tuple[int, int], Path]:
    """The files read so far in this command, by (device, inode)."""
    return dict(_GELEZEN)


def vergeet_gelezen() -> None:
    """Start a new command: nothing has been read yet."""
    _GELEZEN.clear()


def controleer_bestand(path: Path, display: str, limiet: int, wat: str,
                       fout: type[KaderwerkError]) -> int:
    """The size of ``path`` in bytes, after refusing a missing or irregular file over ``limiet``.

    For files read by another library (a workbook). ``wat`` names the kind of file in the
    message ("a workbook"); errors are ``fout`` naming ``display``, without a position.
    """
    return _grootte(path, display, limiet, wat, fout, ())


def lees_bytes(path: Path, display: str, limiet: int, wat: str,
               fout: type[KaderwerkError]) -> bytes:
    """The content of ``path``, a text file, refused as ``controleer_bestand`` refuses it.

    A file over the limit is reported at line 1, column 1, where an editor opens it.
    """
    grootte = _grootte(path, display, limiet, wat, fout, (1, 1))
    try:
        with path.open("rb") as fh:  # read(n) reserves n bytes: ask for no more than needed
            raw = fh.read(min(grootte, limiet) + 1)
            if len(raw) > grootte:  # longer than its size said: it grew, or lives in /proc
                raw += fh.read(limiet + 1 - len(raw))
    except OSError as exc:
        raise _onleesbaar(exc, display, fout) from None
    if len(raw) > limiet:
        raise fout.at(_te_groot(limiet, wat), display, 1, 1)
    return raw


def _grootte(path: Path, display: str, limiet: int, wat: str, fout: type[KaderwerkError],
             plek: tuple[int, ...]) -> int:
    try:
        info = path.stat()
    except OSError as exc:
        raise _onleesbaar(exc, display, fout) from None
    if not stat.S_ISREG(info.st_mode):
        raise fout.at("not a regular file", display)
    _GELEZEN[(info.st_dev, info.st_ino)] = Path(os.path.abspath(path))
    if info.st_size > limiet:
        raise fout.at(_te_groot(limiet, wat), display, *plek)
    return info.st_size


def _te_groot(limiet: int, wat: str) -> str:
    return f"the file is larger than {limiet // 2**20} MB, the limit for {wat}"


def _onleesbaar(exc: OSError, display: str, fout: type[KaderwerkError]) -> KaderwerkError:
    return fout.at(f"cannot read file: {exc.strerror or exc}", display)
