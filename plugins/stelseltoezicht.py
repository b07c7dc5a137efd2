"""The stelseltoezicht kaders of the samenwerkende inspecties as a kader plugin.

Stelseltoezicht Jeugd (partial, the base), the study "Signaleren van onveiligheid" (an overlay
on it) and Stelseltoezicht Volwassenen in het Sociaal Domein (partial). Their YAML files say
what the sources give and mark what they do not.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from kaderwerk.api import (
    hookimpl,
)

FOLDERS = ("stelseltoezicht-jeugd", "signaleren-van-onveiligheid", "stelseltoezicht-volwassenen")


@hookimpl
def register_kaders(register: Callable[[Any], None]) -> None:
    root = resources.files("kaderwerk.kaders")
    for folder in FOLDERS:
        if root.joinpath(folder).is_dir():
            register(root.joinpath(folder))
