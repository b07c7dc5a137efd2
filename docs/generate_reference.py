#!/usr/bin/env python3
"""Generate docs/reference.md from the JSON Schemas, so the reference never drifts from them.

It first writes schemas/kader.schema.json, the schema editors use, as the composition of the
kader schema with the ``SCHEMA`` of each builtin rule type (``plugins/regels.py``). Run
``.venv/bin/python docs/generate_reference.py``; a test fails when either committed file is
out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ("kader", "dataset", "beoordeling", "voorbeelden", "uitkomst")


def _type(spec: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "const" in spec:
        return json.dumps(spec["const"], ensure_ascii=False)
    if "enum" in spec:
        return " \\| ".join(json.dumps(e, ensure_ascii=False) for e in spec["enum"])
    if "oneOf" in spec:
        return " or ".join(_type(s) for s in spec["oneOf"])
    t = spec.get("type", "any")
    if t == "array":
        return f"list of {_type(spec.get('items', {}))}"
    return " or ".join(t) if isinstance(t, list) else t


def _table(spec: dict) -> list[str]:
    props = spec.get("properties", {})
    if not props:
        return []
    required = set(spec.get("required", []))
    lines = ["| key | type | required | meaning |", "|---|---|---|---|"]
    for key, p in props.items():
        desc = p.get("description", "").replace("|", "\\|").replace("\n", " ")
        if "default" in p:
            desc += f" Default: `{json.dumps(p['default'])}`."
        lines.append(f"| `{key}` | {_type(p)} | {'yes' if key in required else ''} | "
                     f"{desc.strip()} |")
    return lines


def generate() -> str:
    out = ["# Reference (generated from schemas/)", "",
           "Do not edit: run `.venv/bin/python docs/generate_reference.py`.", ""]
    for name in SCHEMAS:
        schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
        out += [f"## {name}.schema.json", "", schema.get("description", ""), ""]
        out += [*_table(schema), ""]
        for dname, d in schema.get("$defs", {}).items():
            lines = _table(d)
            if lines:
                out += [f"### {name}: {dname}", ""]
                if d.get("description"):
                    out += [d["description"], ""]
                out += [*lines, ""]
    return "\n".join(out).rstrip() + "\n"


def kader_schema_text() -> str:
    """schemas/kader.schema.json as the composition of the builtin rule types' schemas."""
    from kaderwerk.sources.manager import build_registry
    from kaderwerk.sources.schema import compose_kader

    path = ROOT / "schemas" / "kader.schema.json"
    reg = build_registry(entry_points=False)
    fragments = {naam: cls.SCHEMA for naam, cls in reg.beslisregels.items()
                 if getattr(cls, "SCHEMA", None) is not None}
    root = compose_kader(json.loads(path.read_text("utf-8")), fragments)
    return json.dumps(root, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    (ROOT / "schemas" / "kader.schema.json").write_text(kader_schema_text(), encoding="utf-8")
    (ROOT / "docs" / "reference.md").write_text(generate(), encoding="utf-8")
