"""Ctrl-C and SIGTERM while z3 works stop the command; z3 would otherwise make them an answer.

Left alone, a signal during z3 goes wrong in several ways. z3's own SIGINT handler answers
"unknown" ("interrupted from keyboard"), or swallows the signal when the check ends anyway, and
the command carries on. Python's handler runs only when z3 gives control back, often inside
z3's error callback or an object's ``__del__``, where the exception it raises is printed
("Exception ignored ...") and dropped, or turned by ctypes into an ``ArgumentError``. The
user's signal would become a finding ("z3 could not decide"), a traceback, an "internal
error", or nothing at all.

So z3's own handler is switched off (``zonder_eigen_handler``) and, while a ``stopbaar`` block
runs, a signal is only noted: a thread woken by the signal (``signal.set_wakeup_fd``) calls
``Z3_interrupt`` so the running call returns at once, and keeps doing so for any later call in
the block. The signal's own exception (``KeyboardInterrupt``, or the SIGTERM/SIGHUP one of
``commands.output``) is raised when the block ends, in place of whatever error the interrupted
calls caused, or at once when the handler runs outside z3's code. The command then ends as on
any other signal (``Aborted (SIGINT).``, exit 130; 143 for SIGTERM).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

ONDERBROKEN = "interrupted from keyboard"  # z3's reason_unknown() after its own SIGINT handler
SIGNALEN = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Blok:
    """The signal noted while the outermost ``stopbaar`` block runs, with its handler."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.vorige: dict[int, Any] = {}
        self.klaar = threading.Event()


_actief: _Blok | None = None
_uitgezet = False  # z3's own handler is switched off once per process


def zonder_eigen_handler(z3: Any) -> None:
    """Switch off z3's own SIGINT handler: it would swallow the signal (see above). z3 before
    the global ``ctrl_c`` parameter (4.12 has none) answers "interrupted from keyboard" instead,
    which ``gestopt`` turns back into the signal."""
    global _uitgezet
    if _uitgezet:
        return
    _uitgezet = True
    if _kent_parameter(z3, "ctrl_c"):
        z3.set_param("ctrl_c", False)


def _kent_parameter(z3: Any, naam: str) -> bool:
    """Whether z3 has the global parameter ``naam``. Asking z3 about one it does not know
    prints its whole list of parameters to file descriptor 2, so the answer is asked with that
    descriptor on the null device."""
    try:
        sys.stderr.flush()
        bewaard = os.dup(2)
    except (OSError, ValueError):
        return False
    leeg = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(leeg, 2)
        z3.get_param(naam)
        return True
    except z3.Z3Exception:
        return False
    finally:
        os.dup2(bewaard, 2)
        os.close(bewaard)
        os.close(leeg)


def gestopt(reden: str) -> None:
    """Raise the interruption when a solver's "unknown" was caused by a signal."""
    blok = _actief
    if blok is not None and blok.signum is not None:
        _verhoog(blok, blok.signum)
    if reden == ONDERBROKEN:
        raise KeyboardInterrupt


def _verhoog(blok: _Blok, signum: int) -> None:
    """Raise what the handler before ours raises for ``signum`` (KeyboardInterrupt for SIGINT)."""
    oud = blok.vorige.get(signum)
    if callable(oud):
        oud(signum, None)
    raise KeyboardInterrupt


def _in_z3(frame: FrameType | None) -> bool:
    """Whether the handler runs inside z3's Python code (a callback, a ``__del__``), where an
    exception it raised would be dropped."""
    while frame is not None:
        if frame.f_globals.get("__name__", "").split(".")[0] == "z3":
            return True
        frame = frame.f_back
    return False


def _onderbreek() -> None:
    z3 = sys.modules.get("z3")
    if z3 is not None:
        with contextlib.suppress(Exception):
            z3.main_ctx().interrupt()


def _wachter(blok: _Blok, lezen: int) -> None:
    """Interrupt z3 when a signal arrives, then every 20 ms until the block ends (a byte
    written by ``_stop`` wakes it to end)."""
    with contextlib.suppress(OSError):
        os.read(lezen, 512)
    while not blok.klaar.is_set():
        _onderbreek()
        blok.klaar.wait(0.02)


@contextlib.contextmanager
def stopbaar() -> Iterator[None]:
    """Run z3 code so that a SIGINT, SIGTERM or SIGHUP interrupts it and is raised when the
    block ends (also in place of whatever error it caused). Usable as a decorator
    (``@stopbaar()``); an inner block inside an outer one changes nothing."""
    global _actief
    if _actief is not None or threading.current_thread() is not threading.main_thread():
        yield
        return
    blok = _Blok()

    def handler(signum: int, frame: FrameType | None) -> None:
        if blok.signum is None:
            blok.signum = signum
        _onderbreek()
        if not _in_z3(frame):
            _verhoog(blok, blok.signum)

    lezen, schrijven = os.pipe()
    os.set_blocking(schrijven, False)
    oud_fd = signal.set_wakeup_fd(schrijven, warn_on_full_buffer=False)
    for s in SIGNALEN:
        oud = signal.getsignal(s)
        if callable(oud):  # a default or ignored signal stays as it is
            blok.vorige[s] = oud
            signal.signal(s, handler)
    wachter = threading.Thread(target=_wachter, args=(blok, lezen), daemon=True)
    wachter.start()
    _actief = blok
    try:
        yield
    except BaseException:
        if blok.signum is not None:  # the error the interrupted z3 call gave
            _stop(blok, wachter, oud_fd, lezen, schrijven)
            _verhoog(blok, blok.signum)
        raise
    finally:
        _stop(blok, wachter, oud_fd, lezen, schrijven)
    if blok.signum is not None:
        _verhoog(blok, blok.signum)


def _stop(blok: _Blok, wachter: threading.Thread, oud_fd: int, lezen: int,
          schrijven: int) -> None:
    """Put back what ``stopbaar`` changed (once)."""
    global _actief
    if blok.klaar.is_set():
        return
    blok.klaar.set()
    _actief = None
    with contextlib.suppress(OSError):
        os.write(schrijven, b"\0")
    for s, oud in blok.vorige.items():
        signal.signal(s, oud)
    signal.set_wakeup_fd(oud_fd)
    wachter.join()
    os.close(lezen)
    os.close(schrijven)
