"""The id an installed kader file declares, seen in its text without parsing the YAML.

A plugin may register thousands of kader folders; parsing every file to find the one a command
names takes seconds. The catalog files each installed file under the id this scan finds, reads
only the files of the id a command looks up, and reads a file whose id the scan is not certain
of for every lookup. So the scan may name an id the file does not declare (reading the file
corrects that), but never a wrong one for a file that does declare an id: it answers only for
a plain top-level ``id: NAME`` line, the only one of its kind, in a file without any construct
that could make that line mean something else.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from kaderwerk.sources.yamlsource import MAX_BYTES
from yaml.resolver import Resolver

_ID_REGEL = re.compile(r"id[ \t]*:")
_WAARDE = re.compile(r"""id:[ \t]+(?:"([^"\\\n]*)"|'([^'\n]*)'|([A-Za-z0-9_][A-Za-z0-9_.\-]*))"""
                     r"[ \t]*(?:#.*)?")
_RESOLVER = Resolver()


def gescand_id(resource: Any) -> str | None:
    """The id ``resource`` (a Path or a package resource) declares, or None when not certain."""
    try:
        if isinstance(resource, Path):
            if not resource.is_file() or resource.stat().st_size > MAX_BYTES:
                return None
            text = resource.read_bytes().decode("utf-8-sig")
        else:
            if not resource.is_file():
                return None
            text = resource.read_bytes()[:MAX_BYTES + 1].decode("utf-8-sig")
            if len(text) > MAX_BYTES:
                return None
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return id_in_text(text)


def id_in_text(text: str) -> str | None:
    """The id of a kader file's text, or None when a glance cannot be certain of it."""
    regels = text.splitlines()
    gevonden: str | None = None
    volgende = False  # the line after the id line: an indented one would continue its value
    for i, regel in enumerate(regels):
        if volgende and regel.strip():
            if regel[0] in " \t" and not regel.lstrip().startswith("#"):
                return None
            volgende = False
        if not regel or regel[0] in " \t#":
            continue
        if regel[0] == "-" and not (i == 0 and regel.rstrip() == "---"):
            return None  # a document marker past the first line, or a list at the top
        if not (regel[0].isalnum() or regel[0] == "_" or regel == "---"):
            return None  # a quoted or complex key, a flow mapping, an anchor, a tag, a directive
        if _ID_REGEL.match(regel):
            match = _WAARDE.fullmatch(regel)
            if gevonden is not None or match is None:
                return None
            gevonden = match[1] if match[1] is not None else match[2] if match[2] is not None \
                else _alleen_tekst(match[3])
            if not gevonden:
                return None
            volgende = True
    return gevonden


def _alleen_tekst(waarde: str) -> str | None:
    """A plain value that YAML reads as text (not ``2015``, ``yes`` or a date), else None."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, waarde, (True, False))
    return waarde if tag == "tag:yaml.org,2002:str" else None
