"""The ``json`` output format: the uitkomst exactly as ``schemas/uitkomst.schema.json`` says.

Keys are kept in their natural order (kader, organisaties, landelijk beeld, afwijkingen) and
the text ends with a newline, so identical input gives byte-identical output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kaderwerk.hookspecs import hookimpl


def write_json(uitkomst: dict[str, Any]) -> bytes:
    return (json.dumps(uitkomst, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("json", write_json, ".json")
