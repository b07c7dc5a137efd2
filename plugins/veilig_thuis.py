"""The Veilig Thuis kaders (Stap 1, 2015 and Stap 2, 2016) as a kader plugin.

Registers the kader folders shipped in ``kaderwerk.kaders``; everything about the kaders
themselves is in their YAML files, so this module stays as small as a plugin can be.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from kaderwerk.api import (
    hookimpl,
)

FOLDERS = ("veilig-thuis-stap-1", "veilig-thuis-stap-2")


@hookimpl
def register_kaders(register: Callable[[Any], None]) -> None:
    root = resources.files("kaderwerk.kaders")
    for folder in FOLDERS:
        if root.joinpath(folder).is_dir():
            register(root.joinpath(folder))
