"""The ``json`` output format: the uitkomst exactly as ``schemas/uitkomst.schema.json`` says.

Keys keep their natural order (kader, organisaties, landelijk beeld, afwijkingen) and the text
ends with a newline, so identical input gives byte-identical output. Each organisation is
written compactly on a line of its own: readable in a diff, and encoded by the C encoder, which
is an order of magnitude faster than indenting a hundred thousand organisations.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kaderwerk.hookspecs import hookimpl


def write_json(uitkomst: dict[str, Any]) -> bytes:
    def dump(value: Any, indent: int | None = None) -> str:
        return json.dumps(value, ensure_ascii=False, indent=indent)

    parts = []
    for key, value in uitkomst.items():
        if key == "organisaties":
            rows = ",\n".join(f"    {dump(o)}" for o in value)
            text = f"[\n{rows}\n  ]" if value else "[]"
        else:
            text = dump(value, 2).replace("\n", "\n  ")
        parts.append(f"  {dump(key)}: {text}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")


@hookimpl
def register_formats(register: Callable[..., None]) -> None:
    register("json", write_json, ".json")
