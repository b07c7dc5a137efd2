"""Writing results safely: confined, atomically, never over an input, byte-identical.

A report is first written to a temporary file in the target folder and then renamed, so a
crash or a signal never leaves half a file, and an existing file is replaced in one step.
What a user names with ``-o`` is honoured as they mean it: ``-`` and ``/dev/stdout`` are
standard output, a FIFO or a character device (process substitution, ``/dev/null``) receives
the stream, and a symbolic link is never replaced. File names built from a kader are checked
to be plain names that stay inside the chosen folder, whatever registered the kader; and no
input — a file the command reads, or a file of an installed kader package — is ever a target.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import signal
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from kaderwerk.domain.errors import KaderwerkError, UsageError

STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})
#: a file name kaderwerk builds (``id-versie.suffix``): no separator, no leading dot, no ``..``
_PLAIN_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*")
_CHUNK = 1 << 20
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Signaal(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so every cleanup that handles Ctrl-C runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def stop_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into :class:`Signaal` (unless ignored, as under ``nohup``)."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise Signaal(signum)

    for s in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(s) == signal.SIG_DFL:
            with contextlib.suppress(ValueError):  # not the main thread: leave them as they are
                signal.signal(s, handler)


def buffer_stdout() -> None:
    """Put a buffered layer under a raw standard output (``PYTHONUNBUFFERED=1``, ``-u``).

    A raw stream may take only part of a write (a pipe whose reader stops, a file at its size
    limit) and text written through it would be cut short silently; a buffered writer writes
    the rest or raises. Lines are still flushed as they are printed.
    """
    stream = sys.stdout
    raw = getattr(stream, "buffer", None)
    if isinstance(raw, io.RawIOBase):
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=stream.encoding,
                                      errors=stream.errors, line_buffering=True)


def is_stdout(path: Path | str) -> bool:
    """Whether ``-o PATH`` means standard output."""
    return str(path) in STDOUT_NAMES


def is_stream(path: Path) -> bool:
    """Whether ``path`` is a FIFO or character device: it receives a stream, it is not replaced."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def write_output(path: Path, data: bytes) -> None:
    """Write a report where ``-o`` (or ``--report-file``) says; failures name the path."""
    if is_stdout(path):
        write_stdout(data)
    elif is_stream(path):
        _write_stream(path, data)
    else:
        write_atomic(path, data)


def write_stdout(data: bytes) -> None:
    """Bytes to standard output, after any text already printed."""
    sys.stdout.flush()
    # under PYTHONUNBUFFERED=1 this is a raw stream, which may take only part of the data
    write_all(sys.stdout.buffer, data)
    sys.stdout.buffer.flush()


def write_all(fh: BinaryIO, data: bytes) -> None:
    """Write every byte of ``data`` to ``fh``, buffered or raw, in bounded chunks.

    A raw stream (a FIFO, a pipe, a file near its size limit) may accept fewer bytes than
    given; the rest is written again, so the error that stopped it (EPIPE, EFBIG, ENOSPC) is
    raised instead of a short write going unnoticed.
    """
    view = memoryview(data)
    pos = 0
    while pos < len(view):
        n = fh.write(view[pos:pos + _CHUNK])
        if not n:  # None: a non-blocking stream that is full; 0: nothing more is taken
            raise OSError(errno.EAGAIN if n is None else errno.EIO,
                          "the stream took no more of the output")
        pos += n


def _write_stream(path: Path, data: bytes) -> None:
    try:
        # a FIFO's open waits for a reader, as any program writing to it does; a signal stops it
        with open(path, "wb", buffering=0) as fh:
            write_all(fh, data)
    except BrokenPipeError:
        raise KaderwerkError.at("cannot write: the reader closed it before the end",
                                path) from None
    except OSError as exc:
        raise KaderwerkError.at(f"cannot write: {_reason(exc)}", path) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename; failures name the path.

    A symbolic link or a special file at ``path`` is refused, never replaced.
    """
    _refuse_special(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KaderwerkError.at(f"cannot create the folder {path.parent}: {_reason(exc)}",
                                path) from None
    # a signal between creating the temporary file and the try below would leave it behind
    import tempfile

    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise KaderwerkError.at(f"cannot write the file: {_reason(exc)}", path) from None
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            write_all(fh, data)
            fh.flush()
            os.fsync(fh.fileno())
        _refuse_special(path)  # something made it a link while we wrote
        _refuse_read(path)  # the command read it after the first check (a kader's voorbeelden)
        os.replace(tmp, path)
    except BaseException as exc:  # SIGINT, SIGTERM and SIGHUP arrive here as KeyboardInterrupt
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # a full disk, a folder in the way, no permission
            raise KaderwerkError.at(f"cannot write the file: {_reason(exc)}", path) from None
        raise


def _refuse_read(path: Path, option: str = "-o or --report-file") -> None:
    from kaderwerk.sources.catalog import toon
    from kaderwerk.sources.files import gelezen

    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return
    bron = gelezen().get((st.st_dev, st.st_ino))
    if bron is not None:
        same = "" if os.path.abspath(path) == str(bron) else f" (the same file as {toon(bron)})"
        raise UsageError(f"refusing to write {path}: it is an input file{same}, read by this "
                         f"command; choose another {option}")


def _refuse_special(path: Path, option: str = "-o") -> None:
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return
    if stat.S_ISLNK(st.st_mode):
        target = os.readlink(path)
        raise UsageError(f"refusing to write {path}: it is a symbolic link (to {target}), which "
                         f"is not replaced; give the file it points to as {option} to replace "
                         "that file, or remove the link")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise UsageError(f"refusing to write {path}: it is a special file (not a regular file, "
                         "FIFO or character device)")


def target_in(folder: Path, name: str) -> Path:
    """``folder / name`` for a name built from a kader and a format, checked to stay inside.

    Validation allows only path-safe ids and versies; this is the second line, for a kader or
    format a plugin registered without validation.
    """
    if (len(name.encode("utf-8", "surrogatepass")) > 255 or not _PLAIN_NAME.fullmatch(name)):
        raise KaderwerkError(f"refusing to write {name!r} in {folder}: it is not a plain file "
                             "name (letters, digits, '.', '-', '_'); its kader id or versie, "
                             "or its format's suffix, was not validated")
    target = folder / name
    base = Path(os.path.abspath(folder.resolve()))
    if Path(os.path.abspath(base / name)).parent != base:
        raise KaderwerkError(f"refusing to write {target}: it is not inside {folder}")
    return target


def _reason(exc: OSError) -> str:
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "a file is in the way where a folder is needed"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return exc.strerror or str(exc)


def refuse_inputs(targets: Iterable[Path], inputs: Iterable[Path], option: str = "-o") -> None:
    """Raise when an output path is an input or a link (nothing a user wrote is lost).

    ``option`` is the option that named the targets, for the message (``--report-file``).

    An input is a file the command reads (the same file under any name or link, however the
    command found it), any file in a folder it reads, or a file of an installed kader package
    or of kaderwerk itself. ``write_atomic`` checks again right before its rename, for files
    read after this check.
    """
    files: list[Path] = []
    folders: list[Path] = []
    for p in inputs:
        with contextlib.suppress(OSError, ValueError):
            if p.is_dir():
                folders.append(p)
            elif p.exists():
                files.append(p)
    for t in targets:
        if is_stdout(t) or is_stream(t):
            continue
        _refuse_special(t, option)  # before anything is written, so no report is half-delivered
        _refuse_read(t, option)
        try:
            exists = t.exists()
            real = t.resolve()
        except (OSError, ValueError):
            continue
        for p in files:
            if real == p.resolve() or (exists and _same_file(t, p)):
                same = "" if str(p) == str(t) else f" (the same file as {p})"
                raise UsageError(f"refusing to write {t}: it is an input file{same}; choose "
                                 f"another {option}")
        if not exists:
            continue
        for d in folders:
            if real.is_relative_to(d.resolve()):
                raise UsageError(f"refusing to write {t}: it is a file in the input folder {d}; "
                                 f"choose another {option}")
        for d, what in installed_folders():
            if real.is_relative_to(d):
                raise UsageError(f"refusing to write {t}: it is a file of {what} ({d}); choose "
                                 f"another {option}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def installed_folders() -> list[tuple[Path, str]]:
    """The folders of the installed kaderwerk packages and of every registered kader."""
    import kaderwerk
    from kaderwerk.sources.manager import registry, resource_path

    found = [(Path(kaderwerk.__file__).parent.resolve(), "the installed kaderwerk package")]
    for name in ("kaderwerk.plugins", "kaderwerk.schemas", "kaderwerk.kaders"):
        with contextlib.suppress(ImportError, TypeError, AttributeError):
            module = __import__(name, fromlist=["_"])
            found.append((Path(module.__file__).parent.resolve(), f"the installed {name}"))
    for resource, plugin in registry().kader_bronnen:
        p = resource_path(resource)
        if p is not None:
            found.append((p.resolve(), f"the kaders registered by {plugin}"))
    return found


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
