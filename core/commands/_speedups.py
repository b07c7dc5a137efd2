"""Speed-ups of the commands that change no result: kept apart so the commands read plainly.

Private. ``gc_paused`` pauses Python's cycle collector during an ``assess`` run, which builds
millions of objects that all stay alive (with it on, a run of 100,000 organisations takes
about twice as long; nothing there makes cycles). ``third_party_plugins_installed`` answers
whether ``kaderwerk --help`` must say that plugins may add commands, without importing
``importlib.metadata``, which alone costs about 50 ms, a third of the start-up budget.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; restore it as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def third_party_plugins_installed() -> bool:
    """Whether any distribution declares a ``kaderwerk`` entry point.

    Scans ``*.dist-info/entry_points.txt`` on ``sys.path`` directly.
    """
    for folder in sys.path:
        try:
            entries = list(os.scandir(folder or "."))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"),
                              encoding="utf-8") as fh:
                        if "[kaderwerk]" in fh.read():
                            return True
                except OSError:
                    continue
    return False
