"""Opening a user's file at a bounded cost, with an error that says what is wrong with it.

Kaders, datasets and score tables come from users, so a path may name a FIFO (opening it
would block forever), a device, a directory or a file of gigabytes. Every reader therefore
stats the file first, refuses what is not a regular file or is over its limit, and reads at
most the limit plus one byte: a file that grows after the stat is still caught, and memory is
never reserved for more than the limit. The checks live here so the readers cannot drift apart.

Every file opened here is remembered for the rest of the command: whatever found it (named on
the command line, next to a kader, named inside another file), it is an input, and an input is
never replaced by a report (see ``kaderwerk.commands.output``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kaderwerk.domain.errors import KaderwerkError

#: (device, inode) -> path of every file this command read through this module
_GELEZEN: dict[tuple[int, int], Path] = {}


def gelezen() -> dict[tuple[int, int], Path]:
    """The files read so far in this command, by (device, inode)."""
    return dict(_GELEZEN)


def onthoud_gelezen(path: Path) -> None:
    """Remember ``path`` as read by this command, for a file read without this module's
    helpers (a project's ``kaderwerk.toml`` or ``pyproject.toml``, parsed by ``tomllib``)."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return
    if stat.S_ISREG(info.st_mode):
        _GELEZEN[(info.st_dev, info.st_ino)] = Path(os.path.abspath(path))


def vergeet_gelezen() -> None:
    """Start a new command: nothing has been read yet."""
    _GELEZEN.clear()


def check_file(path: Path, display: str, limit: int, what: str,
               error: type[KaderwerkError]) -> int:
    """The size of ``path`` in bytes, after refusing a missing or irregular file over ``limit``.

    For files read by another library (a workbook). ``what`` names the kind of file in the
    message ("a workbook"); errors are ``error`` naming ``display``, without a position.
    """
    return _size(path, display, limit, what, error, ())


def read_bytes(path: Path, display: str, limit: int, what: str,
               error: type[KaderwerkError]) -> bytes:
    """The content of ``path``, a text file, refused as ``check_file`` refuses it.

    A file over the limit is reported at line 1, column 1, where an editor opens it.
    """
    size = _size(path, display, limit, what, error, (1, 1))
    try:
        with path.open("rb") as fh:  # read(n) reserves n bytes: ask for no more than needed
            raw = fh.read(min(size, limit) + 1)
            if len(raw) > size:  # longer than its size said: it grew, or lives in /proc
                raw += fh.read(limit + 1 - len(raw))
    except OSError as exc:
        raise _unreadable(exc, display, error) from None
    if len(raw) > limit:
        raise error.at(_too_large(limit, what), display, 1, 1)
    return raw


def decode_utf8(raw: bytes, display: str, error: type[KaderwerkError], *,
                save_as: str = "UTF-8", what: str = "a text file", column: bool = True) -> str:
    """``raw`` as UTF-8 text (a BOM is allowed); UTF-16, invalid UTF-8 and NUL bytes refused
    at their line (and ``column``), saying to save the file as ``save_as``."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error.at("the file is UTF-16 (it starts with a UTF-16 byte order mark); "
                       f"save it as {save_as}", display, 1, *((1,) if column else ()))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error.at(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as "
                       f"{save_as}", display, line, *((col,) if column else ())) from None
    if "\x00" in text:
        i = text.index("\x00")
        line, col = text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1
        raise error.at(f"the file contains a NUL byte; is it {what}?", display, line,
                       *((col,) if column else ()))
    return text


def _size(path: Path, display: str, limit: int, what: str, error: type[KaderwerkError],
          position: tuple[int, ...]) -> int:
    try:
        info = path.stat()
    except OSError as exc:
        raise _unreadable(exc, display, error) from None
    if not stat.S_ISREG(info.st_mode):
        raise error.at("not a regular file", display)
    _GELEZEN[(info.st_dev, info.st_ino)] = Path(os.path.abspath(path))
    if info.st_size > limit:
        raise error.at(_too_large(limit, what), display, *position)
    return info.st_size


def _too_large(limit: int, what: str) -> str:
    return f"the file is larger than {limit // 2**20} MB, the limit for {what}"


def _unreadable(exc: OSError, display: str, error: type[KaderwerkError]) -> KaderwerkError:
    return error.at(f"cannot read file: {exc.strerror or exc}", display)
