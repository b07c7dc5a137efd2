"""How a plugin is named to a user, and whose an unknown name was.

Private to the plugin manager (re-exported by ``manager``). A plugin's name is its entry point
name, but ``pip uninstall`` needs its distribution, so :func:`toon` adds the package where the
two differ. :func:`botsingen` words a name that two plugins register. Every "unknown NAME"
message (a format, a reader's suffix, a rule type, a kader id, a command) ends with
:func:`van_plugin`, which says when a broken plugin registered, or tried to register, that name,
or when a plugin that is disabled might have: a user then fixes or enables the plugin rather
than hunting for a typo.
"""

from __future__ import annotations

import re
from typing import Any

from kaderwerk.domain.tekst import een_regel
from kaderwerk.domain.woorden import opsomming


def _normaal(naam: str) -> str:
    return re.sub(r"[-_.]+", "-", naam).lower()


def toon(naam: str, version: str | None, package: str | None) -> str:
    """``P`` or, when the package is named otherwise, ``P (package mijn-plugin 1.0)``."""
    if not package or _normaal(package) == _normaal(naam):
        return naam
    return f"{naam} (package {package} {version or '?'})"


_HOOK_VAN = {"format": "register_formats", "reader": "register_readers",
             "rule type": "register_beslisregels", "kader": "register_kaders",
             "command": "register_commands"}


def van_plugin(reg: Any, soort: str, naam: str) -> str:
    """`` (SOORT NAAM belongs to plugin P, which is broken (REASON; see 'kaderwerk plugins'))``
    when a broken plugin registered or tried to register ``naam``; when none did, that it
    may belong to a plugin that broke before its hook for ``soort`` ran (so it never tried),
    or else to a disabled plugin; else "". ``soort``: "format", "reader", "rule type",
    "kader" or "command"; names compare in any case. ``reg`` None: no hint."""
    if reg is None:
        return ""
    gezocht = f"{soort} {naam}".lower()
    uitgezet, eerder = [], []
    for info in reg.info.values():
        if info.disabled:
            uitgezet.append(toon(info.naam, info.version, info.package))
            continue
        if info.error is None:
            continue
        wie = toon(info.naam, info.version, info.package)
        pogingen = {p.lower() for p in [*info.registered, *info.attempted]}
        if gezocht in pogingen:
            return (f" ({soort} {naam} belongs to plugin {wie}, which is broken "
                    f"({een_regel(info.error, None)}; see 'kaderwerk plugins'))")
        if _HOOK_VAN[soort] not in getattr(info, "hooks", [_HOOK_VAN[soort]]):
            eerder.append((wie, info.error))
    if len(eerder) == 1:
        wie, reden = eerder[0]
        return (f" ({soort} {naam} may belong to plugin {wie}, which is broken "
                f"({een_regel(reden, None)}; see 'kaderwerk plugins') before it could "
                "register it)")
    if eerder:
        wie = " or ".join(w for w, _ in eerder[:3]) + (" or another" if len(eerder) > 3 else "")
        return (f" ({soort} {naam} may belong to plugin {wie}, which broke before it could "
                "register it; see 'kaderwerk plugins')")
    if uitgezet:
        wie = " or ".join(uitgezet[:3]) + (" or another" if len(uitgezet) > 3 else "")
        return (f" ({soort} {naam} may belong to plugin {wie}, which is disabled by "
                "KADERWERK_DISABLE_PLUGINS; a disabled plugin's code is not run, so what it "
                "registers is not known)")
    return ""


def botsingen(reg: Any, hook: str, wat: str, namen: list[str], vervangers: set[str]
              ) -> dict[str, str]:
    """The plugins among ``namen`` (which all register ``wat``, e.g. "format 'json'") that are
    broken by it, each with its reason. Builtins are never broken; one third-party plugin
    passing ``replaces=True`` takes a builtin's name; any other sharing is refused, and each
    refused plugin's reason names all the others."""
    if len(namen) < 2:
        return {}
    builtins = [n for n in namen if reg.info[n].builtin]
    extern = [n for n in namen if n not in builtins]
    claims = [n for n in extern if n in vervangers]
    kapot: dict[str, str] = {}
    for naam in extern:
        andere = [n for n in namen if n != naam]
        ook = f"also registered by plugin{'s' if len(andere) > 1 else ''} {opsomming(andere)}"
        if builtins and claims == [naam]:
            continue  # the one declared replacement of a builtin
        if builtins and naam in claims:
            kapot[naam] = (f"{hook}: {wat} of plugin {builtins[0]} is replaced by "
                           f"{opsomming(claims)} (each passes replaces=True), so by none"
                           + (f" ({wat} is {ook})" if len(claims) < len(extern) else "")
                           + ": uninstall or disable all but one")
        elif builtins:
            kapot[naam] = (f"{hook}: {wat} is {ook}; pass replaces=True to replace a builtin"
                           + ("" if len(andere) == 1 else ", and uninstall or disable the "
                              "other plugins"))
        else:
            kapot[naam] = (f"{hook}: {wat} is {ook}; uninstall or disable all but one of them")
    return kapot
