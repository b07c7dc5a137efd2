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

from kaderwerk.errors import UsageError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


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
