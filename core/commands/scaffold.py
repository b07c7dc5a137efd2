"""``kaderwerk new``: starting points that already pass validate, check and test.

A methodologist starting a kader and a developer starting a plugin should begin from files that
work, and learn the format from them. Nothing existing is ever overwritten.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kaderwerk.commands.output import write_atomic
from kaderwerk.domain.errors import UsageError

KADER = """\
# yaml-language-server: $schema={schema}
id: {id}
versie: "1"
titel: {titel}
geldig_vanaf: "{datum}"
bron:
  document: "Naam van het brondocument"
  sectie: "Bijlage met het toetsingskader"
  volledig: true
oordeelschaal: [voldoende, matig, onvoldoende]
# every assessed verwachting is scored voldoende or onvoldoende; remove this line if score files
# may leave one niet beoordeeld (then the beslisregel must give an oordeel for that too)
score_verplicht: true
themas:
  - id: "1"
    titel: Eerste thema
    norm: De organisatie voldoet aan de eerste norm.
    beslisregel:
      type: aantal
      hit: uniek
      tekst: "Het oordeel op de criteria bij dit thema is: voldoende als geen verwachting onvoldoende is; matig als 1 verwachting onvoldoende is; onvoldoende als 2 of meer verwachtingen onvoldoende zijn."
      zonder_beoordeling: null
      regels:
        - oordeel: voldoende
          tekst: voldoende als geen verwachting onvoldoende is;
          als: {{onvoldoende: {{gelijk: 0}}}}
        - oordeel: matig
          tekst: matig als 1 verwachting onvoldoende is;
          als: {{onvoldoende: {{gelijk: 1}}}}
        - oordeel: onvoldoende
          tekst: onvoldoende als 2 of meer verwachtingen onvoldoende zijn.
          als: {{onvoldoende: {{min: 2}}}}
    criteria:
      - id: "1.1"
        titel: Het eerste criterium.
        verwachtingen:
          - id: "1.1.1"
            tekst: De eerste verwachting.
          - id: "1.1.2"
            tekst: De tweede verwachting.
          - id: "1.1.3"
            tekst: De derde verwachting.
"""

VOORBEELDEN = """\
# yaml-language-server: $schema={schema}
# Example tests: "given these scores, this oordeel". Run them with: kaderwerk test
kader: {id}@1
voorbeelden:
  - naam: alle verwachtingen voldoende
    scores: {{"1.1.1": V, "1.1.2": V, "1.1.3": V}}
    verwacht: {{"1.1": voldoende}}
  - naam: één verwachting onvoldoende
    scores: {{"1.1.1": V, "1.1.2": O, "1.1.3": V}}
    verwacht: {{"1.1": matig}}
  - naam: twee verwachtingen onvoldoende
    scores: {{"1.1.1": O, "1.1.2": O, "1.1.3": V}}
    verwacht: {{"1.1": onvoldoende}}
"""

PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "kaderwerk-{naam}"
version = "0.1.0"
description = "A kaderwerk plugin: output format '{naam}'"
requires-python = ">=3.11"
dependencies = ["kaderwerk"]

[project.entry-points.kaderwerk]
{module} = "{module}"

[tool.setuptools]
py-modules = ["{module}"]
"""

PLUGIN = '''\
"""kaderwerk plugin '{naam}': writes the uitkomst as tab-separated values.

Installed with ``pip install -e .``; kaderwerk finds it through the entry point group
``kaderwerk`` (see pyproject.toml). Try: ``kaderwerk assess veilig-thuis-stap-1 2015
--format {naam}``.
"""

from kaderwerk.api import hookimpl, zichtbaar


def write(uitkomst: dict) -> bytes:
    """One line per organisation: naam, aantal voldoende, the criterium oordelen; every text
    through ``zichtbaar``, so a control character in a name shows rather than acts."""
    criteria = [c["id"] for c in uitkomst.get("criteria", [])]
    lines = ["\\t".join(["organisatie", "aantal_voldoende", *map(zichtbaar, criteria)])]
    for org in uitkomst["organisaties"]:
        oordelen = [org["criteria"][c]["oordeel"] or "" for c in criteria]
        lines.append("\\t".join([zichtbaar(org["naam"]), str(org["aantal_voldoende"]),
                                  *map(zichtbaar, oordelen)]))
    return ("\\n".join(lines) + "\\n").encode("utf-8")


@hookimpl
def register_formats(register):
    register("{naam}", write, ".tsv")
'''

PLUGIN_TEST = '''\
"""The plugin registers its format and writes one line per organisation."""

from importlib.metadata import entry_points

import {module}
from kaderwerk.testing import plugin_registry


def test_format_is_registered_and_writes():
    """The '{naam}' format is installed as an entry point and writes TSV (this plugin and the
    builtins only: another installed plugin's trouble does not fail this test)."""
    assert "{module}" in [ep.name for ep in entry_points(group="kaderwerk")]
    reg = plugin_registry({module})
    assert "{naam}" in reg.formats
    uitkomst = {{"criteria": [{{"id": "1.1"}}], "organisaties": [
        {{"naam": "A", "aantal_voldoende": 3, "criteria": {{"1.1": {{"oordeel": "matig"}}}}}}]}}
    assert reg.formats["{naam}"].write(uitkomst) == b"organisatie\\taantal_voldoende\\t1.1\\nA\\t3\\tmatig\\n"
'''


GERESERVEERD = {"voorbeelden": "the example tests of its kader",
                "datasets": "the datasets of its kader"}


def _check_name(name: str, what: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        raise UsageError(f"{what} name '{name}' must be lowercase words joined by '-', "
                         "e.g. mijn-kader")
    return name


def _write_new(files: dict[Path, str]) -> list[Path]:
    existing = [p for p in files if p.exists()]
    if existing:
        raise UsageError(f"refusing to overwrite {', '.join(map(str, existing))}")
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
    return list(files)


def new_kader(name: str, folder: Path, schemas: Path | None = None) -> list[Path]:
    """Write ``folder/NAME/1.yaml`` and its example tests; return the paths.

    With ``schemas`` (a project's written schemas) the ``$schema`` lines are relative to each
    file, so they work in every clone of the project.
    """
    _check_name(name, "kader")
    if name in GERESERVEERD:
        raise UsageError(f"kader name '{name}' is reserved: a kader folder's '{name}/' holds "
                         f"{GERESERVEERD[name]}, so no command would read it as a kader; "
                         "choose another name")
    root = folder / name
    titel = "Toetsingskader " + name.replace("-", " ")
    kader, voorbeelden = root / "1.yaml", root / "voorbeelden" / "1.yaml"
    files = {
        kader: KADER.format(id=name, titel=titel, datum="2026-01-01",
                            schema=_schema_uri("kader", kader, schemas)),
        voorbeelden: VOORBEELDEN.format(id=name,
                                        schema=_schema_uri("voorbeelden", voorbeelden, schemas)),
    }
    return _write_new(files)


def _schema_uri(name: str, file: Path, schemas: Path | None) -> str:
    """The schema for ``file``: relative to it when the project has its schemas, else the
    installed schema as a file URI (which works on this machine only)."""
    if schemas is not None:
        return Path(os.path.relpath(schemas.resolve() / f"{name}.schema.json",
                                    file.parent.resolve())).as_posix()
    from importlib import resources

    return Path(str(resources.files("kaderwerk.schemas") / f"{name}.schema.json")).as_uri()


def new_plugin(name: str, folder: Path) -> list[Path]:
    """Write an installable plugin package ``folder/kaderwerk-NAME``; return the paths."""
    _check_name(name, "plugin")
    module = "kaderwerk_" + name.replace("-", "_")
    root = folder / f"kaderwerk-{name}"
    return _write_new({
        root / "pyproject.toml": PYPROJECT.format(naam=name, module=module),
        root / f"{module}.py": PLUGIN.format(naam=name),
        root / "tests" / "test_plugin.py": PLUGIN_TEST.format(naam=name, module=module),
        root / "README.md": f"# kaderwerk-{name}\n\nA kaderwerk plugin adding the output format "
                            f"`{name}`.\n\n```sh\npip install -e .\nkaderwerk assess "
                            f"veilig-thuis-stap-1 2015 --format {name}\npytest\n```\n",
    })
