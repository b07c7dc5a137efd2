"""Ctrl-C while z3 works stops the command; z3 would otherwise make it an answer.

z3 catches SIGINT itself while a solver checks and answers "unknown" with the reason
"interrupted from keyboard"; while a tactic runs, Python's handler raises ``KeyboardInterrupt``
inside z3's error callback or an object's ``__del__``, where it is printed and dropped, or
ctypes turns it into an ``ArgumentError``. The user's Ctrl-C would become a finding ("z3 could
not decide"), a traceback, an "internal error", or nothing at all. ``gestopt`` and ``stopbaar``
turn each back into the interruption, so the command ends as on any other signal (``Aborted``,
exit 130).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

ONDERBROKEN = "interrupted from keyboard"  # z3's reason_unknown() after its own SIGINT handler


def gestopt(reden: str) -> None:
    """Raise ``KeyboardInterrupt`` when a solver's "unknown" was the user's Ctrl-C."""
    if reden == ONDERBROKEN:
        raise KeyboardInterrupt


@contextlib.contextmanager
def stopbaar() -> Iterator[None]:
    """Run z3 code whose callbacks may swallow the exception a signal handler raises: a
    SIGINT, SIGTERM or SIGHUP that arrives meanwhile is raised again when the block ends, also
    in place of whatever error it caused. Usable as a decorator (``@stopbaar()``)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    gezien: list[BaseException] = []
    vorige: dict[int, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        oud = vorige[signum]
        try:
            if callable(oud):
                oud(signum, frame)
            else:
                raise KeyboardInterrupt
        except BaseException as exc:
            gezien.append(exc)
            raise

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        oud = signal.getsignal(s)
        if callable(oud):  # a default or ignored signal stays as it is
            vorige[s] = oud
            signal.signal(s, handler)
    try:
        yield
    except BaseException:
        if gezien:  # z3 failed because of the signal (ctypes: "ArgumentError: KeyboardInterrupt")
            raise gezien[0] from None
        raise
    finally:
        for s, oud in vorige.items():
            signal.signal(s, oud)
    if gezien:
        raise gezien[0]
