"""How a plugin is named to a user, and whose an unknown name was.

Private to the plugin manager (re-exported by ``manager``). A plugin's name is its entry point
name, but ``pip uninstall`` needs its distribution, so :func:`toon` adds the package where the
two differ. Every "unknown NAME" message (a format, a reader's suffix, a rule type, a kader id,
a command) ends with :func:`van_plugin`, which says when a broken plugin registered, or tried
to register, that name, or when a plugin that is disabled might have: a user then fixes or
enables the plugin rather than hunting for a typo.
"""

from __future__ import annotations

import re
from typing import Any

from kaderwerk.domain.tekst import een_regel


def _normaal(naam: str) -> str:
    return re.sub(r"[-_.]+", "-", naam).lower()


def toon(naam: str, version: str | None, package: str | None) -> str:
    """``P`` or, when the package is named otherwise, ``P (package mijn-plugin 1.0)``."""
    if not package or _normaal(package) == _normaal(naam):
        return naam
    return f"{naam} (package {package} {version or '?'})"


def van_plugin(reg: Any, soort: str, naam: str) -> str:
    """`` (SOORT NAAM belongs to plugin P, which is broken (REASON; see 'kaderwerk plugins'))``
    when a broken plugin registered or tried to register ``naam``; when none did but plugins
    are disabled, that one of them may provide it; else "". ``soort``: "format", "reader",
    "rule type", "kader" or "command"; names compare in any case. ``reg`` None: no hint."""
    if reg is None:
        return ""
    gezocht = f"{soort} {naam}".lower()
    uitgezet = []
    for info in reg.info.values():
        if info.disabled:
            uitgezet.append(toon(info.naam, info.version, info.package))
            continue
        if info.error is None:
            continue
        pogingen = {p.lower() for p in [*info.registered, *info.attempted]}
        if gezocht in pogingen:
            wie = toon(info.naam, info.version, info.package)
            return (f" ({soort} {naam} belongs to plugin {wie}, which is broken "
                    f"({een_regel(info.error, 200)}; see 'kaderwerk plugins'))")
    if uitgezet:
        wie = " or ".join(uitgezet[:3]) + (" or another" if len(uitgezet) > 3 else "")
        return (f" ({soort} {naam} may belong to plugin {wie}, which is disabled by "
                "KADERWERK_DISABLE_PLUGINS; a disabled plugin's code is not run, so what it "
                "registers is not known)")
    return ""
