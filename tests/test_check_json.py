"""Every field ``check --format json`` writes is documented, and every documented field occurs.

The table of fields is in docs/methodologist.md ("What check --format json writes"); each row
names a field by its path, ``[]`` for the items of a list and ``<...>`` for a key that is data
(a criterium id, a verwachting id). The outputs here cover the bundled kaders, ``--sizes all``
and ``--sizes A-B``, a kader with a finding of every kind the proofs give, a counterexample
past 100 verwachtingen, a rule with no closed form and a file that cannot be read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import ROOT
from .test_check_bevindingen import _groot

DOC = ROOT / "docs" / "methodologist.md"
BUNDLED = ("veilig-thuis-stap-1", "veilig-thuis-stap-2", "stelseltoezicht-jeugd",
           "stelseltoezicht-volwassenen", "signaleren-van-onveiligheid")
DATA_KEYS = {"breuken": "<criterium>", "groottes": "<criterium>", "scores": "<verwachting>"}
"""Mappings whose keys are ids from the kader, not field names."""

MIX = """\
id: mix
versie: "1"
titel: Bevindingen van elke soort
bron: {document: Test}
oordeelschaal: [voldoende, matig, onvoldoende]
themas:
  - id: "1"
    titel: Uniek
    beslisregel:
      type: aantal
      hit: uniek
      regels:
        - {oordeel: voldoende, tekst: voldoende als alle verwachtingen voldoende zijn,
           als: {onvoldoende: {max: 0}}}
        - {oordeel: onvoldoende, als: {onvoldoende: {min: 2}}}
        - {oordeel: voldoende, als: {onvoldoende: {min: 3}}}
        - {oordeel: matig, als: {voldoende: {min: 5}, onvoldoende: {min: 5}}}
    criteria:
      - id: "1.1"
        titel: C
        verwachtingen:
          - {id: "1.1.1", tekst: Een.}
          - {id: "1.1.2", tekst: Twee.}
          - {id: "1.1.3", tekst: Drie.}
  - id: "2"
    titel: Eerste
    beslisregel:
      type: percentage
      hit: eerste
      regels:
        - {oordeel: voldoende, als: {onvoldoende: {min: 80}}}
        - {oordeel: matig, als: {onvoldoende: {min: 90}}}
        - {oordeel: onvoldoende, als: {onvoldoende: {min: 50}}}
        - {oordeel: matig, als: {voldoende: {min: 0}}}
    criteria:
      - id: "2.1"
        titel: C
        verwachtingen:
          - {id: "2.1.1", tekst: Een.}
          - {id: "2.1.2", tekst: Twee.}
"""


BREUKEN = {"niet_uitputtend", "overlap", "niet_monotoon", "buiten_schaal", "onbereikbaar",
           "overschaduwd"}
"""Keys that hold a break set; its fields are documented once, as ``<breuk>``."""
GEVALLEN = {"van", "naar", "bij"}
"""Keys of a counterexample that hold an input case, documented once as ``<geval>``."""


def paths(value: Any, path: str = "") -> Iterator[str]:
    """The path of every key in ``value``, as the table names it."""
    if isinstance(value, dict):
        for key, item in value.items():
            naam = DATA_KEYS.get(path.rsplit(".", 1)[-1], key)
            sub = f"{path}.{naam}" if path else naam
            yield sub
            if isinstance(item, dict) and naam in BREUKEN and ".breuken." in f".{sub}":
                yield from paths(item, "<breuk>")
            elif naam == "tegenvoorbeeld":
                yield from paths(item, "<tegenvoorbeeld>")
            elif path == "<tegenvoorbeeld>" and naam in GEVALLEN and isinstance(item, dict):
                yield from paths(item, "<geval>")
            else:
                yield from paths(item, sub)
    elif isinstance(value, list):
        for item in value:
            yield from paths(item, path + "[]")


def documented() -> set[str]:
    """The first cell of each row of the table of fields."""
    text = DOC.read_text("utf-8").split("### What check --format json writes", 1)[1]
    text = text.split("\n#", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", text, re.MULTILINE))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list[dict[str, Any]]:
    from .conftest import cli_in_process

    tmp = tmp_path_factory.mktemp("check-json")
    mix = tmp / "mix.yaml"
    mix.write_text(MIX, encoding="utf-8")
    broken = tmp / "broken.yaml"
    broken.write_text(MIX.replace("{min: 80}", "{min: 79.99999999999999999999}"), "utf-8")
    groot, middel = _groot(tmp, 2000, verplicht=False), _groot(tmp, 40, verplicht=False)
    runs = [(*BUNDLED,), (*BUNDLED, "--sizes", "all"), (str(mix),), (str(mix), "--sizes", "all"),
            (str(mix), "--sizes", "1-6"), (str(mix), "--sizes", "all", "--proof", "counts"),
            (str(groot),), (str(middel),), (str(broken), str(mix))]
    uit = []
    for args in runs:
        code, out, err = cli_in_process("check", "--format", "json", *args)
        assert code in (0, 1), err
        assert b"Traceback" not in out + err
        uit.append(json.loads(out))
    return uit


def test_every_field_written_is_documented(outputs) -> None:
    written = {p for data in outputs for p in paths(data)}
    assert written - documented() == set()


NOT_WRITTEN_HERE: set[str] = set()
"""Documented but not produced by these outputs (none: every documented field occurs)."""


def test_every_documented_field_is_written(outputs) -> None:
    written = {p for data in outputs for p in paths(data)}
    assert documented() - written == NOT_WRITTEN_HERE
