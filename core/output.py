"""Writing results safely: atomically, never over an input, byte-identical for identical input.

A report is first written to a temporary file in the target folder and then renamed, so a
crash never leaves half a file, and an existing file is replaced in one step.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kaderwerk.errors import KaderwerkError, UsageError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename; failures name the path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KaderwerkError.at(f"cannot create the folder {path.parent}: {_reason(exc)}",
                                path) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise KaderwerkError.at(f"cannot write the file: {_reason(exc)}", path) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # a full disk, a folder in the way, no permission
            raise KaderwerkError.at(f"cannot write the file: {_reason(exc)}", path) from None
        raise


def _reason(exc: OSError) -> str:
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "a file is in the way where a folder is needed"
    return exc.strerror or str(exc)


def refuse_inputs(targets: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise when an output path is one of the input files (nothing a user wrote is lost)."""
    ins = {p.resolve() for p in inputs if p.exists()}
    for t in targets:
        if t.resolve() in ins:
            raise UsageError(f"refusing to write {t}: it is an input file; choose another -o")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
