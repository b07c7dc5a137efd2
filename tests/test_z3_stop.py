"""Ctrl-C while z3 works stops the command (exit 130), never becomes a finding or a bug report."""

from __future__ import annotations

import contextlib
import signal
import threading

import pytest
from kaderwerk.domain._z3_stop import ONDERBROKEN, gestopt, stopbaar


def test_a_solver_interrupted_from_the_keyboard_is_an_interruption() -> None:
    """z3's own SIGINT handler makes check() 'unknown'; that reason is raised as Ctrl-C."""
    with pytest.raises(KeyboardInterrupt):
        gestopt(ONDERBROKEN)
    gestopt("timeout")  # a real unknown stays the caller's to word
    gestopt("canceled")


def test_a_signal_swallowed_inside_z3_is_raised_when_it_returns() -> None:
    """A KeyboardInterrupt dropped by a ctypes callback or __del__ comes back at the end."""
    # contextlib.suppress: as ctypes does with an exception raised in z3's error callback
    with pytest.raises(KeyboardInterrupt), stopbaar(), contextlib.suppress(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_error_a_signal_caused_becomes_the_interruption() -> None:
    """ctypes wraps the interrupt into ArgumentError: the interruption wins, not the error."""
    with pytest.raises(KeyboardInterrupt), stopbaar():
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            raise ValueError("argument 1: KeyboardInterrupt") from None


def test_no_signal_changes_nothing() -> None:
    @stopbaar()
    def werk() -> int:
        return 7

    assert werk() == 7
    with pytest.raises(ValueError), stopbaar():
        raise ValueError("a real error stays itself")


def test_z3_interrupted_in_a_check_stops_the_proof() -> None:
    """A real z3 check interrupted by SIGINT: KeyboardInterrupt, not 'z3 could not decide'."""
    z3 = pytest.importorskip("z3")
    from kaderwerk.domain.symbolisch import _modellen

    x, y, z = z3.Ints("x y z")
    moeilijk = z3.And(x * x * x + y * y * y == z * z * z, x > 1, y > 1, z > 1)
    timer = threading.Timer(0.2, signal.raise_signal, (signal.SIGINT,))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            _modellen(z3, z3.BoolVal(True), (x, y, z), moeilijk, 3)
    finally:
        timer.cancel()
