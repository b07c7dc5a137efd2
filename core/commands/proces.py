"""The process around the command line: safe standard streams, exit codes, last words.

Separate from ``cli.py`` (which defines the commands) because this part is about the process,
not about kaders: closed or broken standard streams, signals, and turning every outcome into
an exit code with one clear line — never a traceback for a user's mistake.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys

import click


def warn_broken_plugins() -> None:
    """Name every broken plugin at the end of the output of whatever command loaded them, and
    put back the signal handlers the plugin guard wrapped."""
    manager = sys.modules.get("kaderwerk.sources.manager")
    if manager is not None:  # the guard's signal handlers end with the command (_plugin_guard)
        manager.melders_weg()
    reg = manager.built() if manager is not None else None
    if reg is None:
        return
    with contextlib.suppress(OSError):
        for line in manager.warnings(reg):
            click.echo(line, err=True)


def run_command(cli: click.Group, argv: list[str] | None) -> int:
    """Run ``cli`` on ``argv``: every outcome becomes an exit code and at most a few lines on
    stderr, never a traceback (unless KADERWERK_DEBUG is set)."""
    from kaderwerk.domain.errors import KaderwerkError

    try:
        cli.main(args=argv, prog_name="kaderwerk", standalone_mode=False)
        return 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Stopped as exc:
        import signal

        click.echo(f"Aborted ({signal.Signals(exc.signum).name}).", err=True)
        return 128 + exc.signum
    except click.exceptions.Abort as exc:
        click.echo("Aborted.", err=True)
        cause = exc.__cause__
        return 128 + getattr(cause, "signum", 2) if isinstance(cause, KeyboardInterrupt) else 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KaderwerkError as exc:
        if os.environ.get("KADERWERK_DEBUG") and exc.__cause__ is not None:
            import traceback

            click.echo("".join(traceback.format_exception(exc.__cause__)).rstrip(), err=True)
        click.echo(str(exc).strip() or type(exc).__name__, err=True)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        return 128 + getattr(exc, "signum", 2)
    except StdoutLost as exc:
        return stdout_lost(exc.errno)
    except OSError as exc:
        if is_stdout_error(exc):
            return stdout_lost(exc.errno)
        # the system refused a path (a name too long, no permission, a full disk) somewhere a
        # command did not expect it: name the path and the reason rather than report a bug
        where = f"{_kort(os.fsdecode(exc.filename))}: " if exc.filename is not None else ""
        click.echo(f"error: {where}{exc.strerror or exc}", err=True)
        return 1
    except Exception as exc:
        if os.environ.get("KADERWERK_DEBUG"):
            raise
        click.echo(f"internal error ({type(exc).__name__}: {exc}); this is a bug in kaderwerk "
                   "or a plugin — run with KADERWERK_DEBUG=1 for details and report it",
                   err=True)
        return 3


class Stopped(Exception):
    """A signal stopped the command (raised past click, which would print a blank line)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class StdoutLost(Exception):
    """Standard output is closed or its reader stopped; raised past click, which would exit
    0 on a broken pipe."""

    def __init__(self, errno_: int | None = None) -> None:
        super().__init__(errno_)
        self.errno = errno_


def is_stdout_error(exc: OSError) -> bool:
    return exc.errno in (errno.EPIPE, errno.EBADF) and exc.filename is None


def stdout_lost(errno_: int | None = None) -> int:
    """The exit code when standard output cannot take the output. Its reader stopped reading
    (EPIPE: ``kaderwerk list | head -1``): silent, 141, as a program killed by SIGPIPE, the
    shell's convention for "the reader had enough". Closed (``>&-``) or otherwise unwritable:
    one line on stderr, exit 1. fd 1 then points at /dev/null so the exit's flush stays quiet."""
    gebroken = errno_ == errno.EPIPE
    if not gebroken:
        with contextlib.suppress(OSError):
            click.echo("error: cannot write to standard output (it is closed, or its reader "
                       "stopped reading); the output is incomplete", err=True)
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    return 128 + 13 if gebroken else 1  # 13: SIGPIPE, the same number on every POSIX system


def open_stdio() -> None:
    """Make fds 0-2 safe: a closed one gets /dev/null, so no file kaderwerk opens becomes
    "stdout"; stdout that was closed stays unwritable (a write is reported, not lost silently).
    Text that the output encoding cannot hold is escaped (``\\u00e9``) rather than a crash."""
    for fd, flags, name in ((0, os.O_RDONLY, "stdin"), (1, os.O_RDONLY, "stdout"),
                            (2, os.O_WRONLY, "stderr")):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        with contextlib.suppress(OSError):
            null = os.open(os.devnull, flags)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            mode = "r" if name == "stdin" else "w"
            stream = open(fd, mode, encoding="utf-8",  # noqa: SIM115 (kept for the process)
                          errors="backslashreplace", closefd=False)
            setattr(sys, name, stream)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _kort(text: str) -> str:
    return text if len(text) <= 80 else f"{text[:38]}...{text[-38:]}"
