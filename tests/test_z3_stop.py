"""Ctrl-C while z3 works stops the command (exit 130), never becomes a finding or a bug report."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from kaderwerk.domain._z3_stop import ONDERBROKEN, _kent_parameter, gestopt, stopbaar


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
        with pytest.raises(KeyboardInterrupt), stopbaar():
            _modellen(z3, z3.BoolVal(True), (x, y, z), moeilijk, 3)
    finally:
        timer.cancel()


LANG = """\
id: lang
versie: "1"
titel: Lang
bron: {document: t, volledig: true}
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: T
    norm: N.
    beslisregel:
      type: percentage
      zonder_beoordeling: matig
      regels:
        - {oordeel: voldoende, als: {voldoende: {min: 1.0e-300}}}
        - {oordeel: onvoldoende, als: {voldoende: {max: 0}}}
    criteria:
      - id: "1.1"
        titel: C
        verwachtingen:
          - {id: "1.1.1", tekst: V.}
          - {id: "1.1.2", tekst: V.}
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_long_proof_aborts_it(sig, tmp_path: Path) -> None:
    """A real signal while z3 proves 500 sizes (the tester's repro): "Aborted (SIG...)." and
    128 + signal, nothing else on stderr (no "Exception ignored" traceback, no "z3 could not
    decide"), and no report written."""
    z3 = pytest.importorskip("z3")
    if sig == signal.SIGINT and not _kent_parameter(z3, "ctrl_c"):
        pytest.skip("this z3 has no ctrl_c setting: its own handler may swallow a Ctrl-C "
                    "(documented in docs/robustness.md)")
    (tmp_path / "lang.yaml").write_text(LANG, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "kaderwerk", "check", "lang.yaml", "--sizes",
                          "0-500", "--report", "sarif", "--report-file", "c.sarif"],
                         cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # past start-up and the z3 import, well before the 500 sizes are done
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 128 + sig
    assert err.decode().splitlines() == [f"Aborted ({sig.name})."]
    assert not (tmp_path / "c.sarif").exists()
