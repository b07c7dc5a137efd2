"""Every "unknown NAME" message says when the name is a broken plugin's, or may be a disabled
one's; a plugin whose package is named otherwise is named with its package."""

from __future__ import annotations

import json

from .conftest import forget_plugins, install_plugin
from .test_plugin_package import kader

KOP = """
from importlib import resources
from kaderwerk.api import hookimpl

"""
HALF = {
    "kaders": """
@hookimpl
def register_kaders(register):
    register(resources.files("kw_half") / "kaders")
    raise RuntimeError("kapot na kaders")
""",
    "reader": """
@hookimpl
def register_readers(register):
    register(".halfcsv", lambda path, kader, opties: [])
    raise RuntimeError("kapot na reader")
""",
    "format": """
@hookimpl
def register_formats(register):
    register("halfje", lambda uitkomst: b"", ".half")
    raise RuntimeError("kapot na format")
""",
    "command": """
@hookimpl
def register_commands(cli):
    @cli.command("halfcommando")
    def halfcommando():
        \"\"\"Half.\"\"\"

    raise RuntimeError("kapot na commando")
"""}


def _half(site, hook: str) -> None:
    """kw_half: registers one thing in ``hook``, then raises."""
    install_plugin(site, "kw_half", KOP + HALF[hook])
    (site / "kw_half" / "kaders").mkdir()
    (site / "kw_half" / "kaders" / "1.yaml").write_text(kader(1, kid="half-kader"),
                                                        encoding="utf-8")
    forget_plugins()


def _regel(err: str, woord: str) -> str:
    return next(r for r in err.splitlines() if woord in r)


def test_an_unknown_format_names_the_broken_plugin_that_tried_it(site, scores, run_cli) -> None:
    _half(site, "format")
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "halfje")
    regel = _regel(err, "unknown format")
    assert code == 2 and "Traceback" not in err
    assert "format halfje belongs to plugin kw_half, which is broken" in regel
    assert "kaderwerk plugins" in regel


def test_an_unknown_reader_suffix_names_the_broken_plugin(site, tmp_path, run_cli) -> None:
    _half(site, "reader")
    bestand = tmp_path / "scores.halfcsv"
    bestand.write_text("x", encoding="utf-8")
    code, _, err = run_cli("assess", "drempel-kader", bestand)
    assert code == 2 and "Traceback" not in err
    assert "reader .halfcsv belongs to plugin kw_half" in _regel(err, "no reader")


def test_an_unknown_kader_id_names_the_broken_plugin(site, run_cli) -> None:
    _half(site, "kaders")
    code, _, err = run_cli("show", "half-kader")
    assert code == 1 and "Traceback" not in err
    assert "kader half-kader belongs to plugin kw_half" in _regel(err, "no kader")


def test_an_unknown_command_names_the_broken_plugin(site, run_cli) -> None:
    _half(site, "command")
    code, _, err = run_cli("halfcommando")
    assert code == 2 and "Traceback" not in err
    assert "command halfcommando belongs to plugin kw_half" in err


def test_an_unknown_rule_type_names_the_broken_plugin(site, tmp_path, run_cli) -> None:
    install_plugin(site, "kw_gewogen", '''
from kaderwerk.api import hookimpl

@hookimpl
def register_beslisregels(register):
    raise RuntimeError("kapot voor het registreren")
''')
    (site / "kw_gewogen" / "__init__.py").write_text('''
from kaderwerk.api import hookimpl
from kw_drempel import DrempelRegel

class Gewogen(DrempelRegel):
    type = "gewogen"
    SCHEMA = {**DrempelRegel.SCHEMA, "properties": {**DrempelRegel.SCHEMA["properties"],
              "type": {"const": "gewogen"}}}

@hookimpl
def register_beslisregels(register):
    register("gewogen", Gewogen)
    raise RuntimeError("kapot na het registreren")
''', encoding="utf-8")
    forget_plugins()
    bestand = tmp_path / "k.yaml"
    bestand.write_text(kader(1).replace("type: drempel", "type: gewogen"), encoding="utf-8")
    code, out, err = run_cli("validate", bestand)
    assert code == 1 and "Traceback" not in out + err
    assert "rule type gewogen belongs to plugin kw_gewogen" in out + err


VROEG = """
from kaderwerk.api import hookimpl

@hookimpl
def register_beslisregels(register):
    raise RuntimeError("kapot in de eerste hook")

@hookimpl
def register_formats(register):
    register("laatje", lambda uitkomst: b"", ".laat")
"""


def test_a_plugin_broken_in_an_earlier_hook_is_named_as_a_possible_owner(
        site, scores, run_cli) -> None:
    """Its register_formats never ran, so it never tried the name: it may still be its."""
    install_plugin(site, "kw_vroeg", VROEG)
    forget_plugins()
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "laatje")
    regel = _regel(err, "unknown format")
    assert code == 2 and "Traceback" not in err
    assert "format laatje may belong to plugin kw_vroeg, which is broken" in regel
    assert "kapot in de eerste hook" in regel and "kaderwerk plugins" in regel


def test_a_plugin_broken_after_its_hook_ran_is_not_named(site, scores, run_cli) -> None:
    """A plugin that broke after registering its formats did not try an unknown name."""
    install_plugin(site, "kw_laat", VROEG.replace("register_beslisregels", "register_commands")
                   .replace("(register)", "(register=None, cli=None)", 1))
    forget_plugins()
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "nergens")
    assert code == 2 and "Traceback" not in err
    assert "kw_laat" not in _regel(err, "unknown format")


def test_a_disabled_plugin_is_named_as_a_possible_owner(site, scores, monkeypatch,
                                                       run_cli) -> None:
    monkeypatch.setenv("KADERWERK_DISABLE_PLUGINS", "kw_drempel")
    forget_plugins()
    code, _, err = run_cli("assess", "x", scores, "--format", "tabs")
    regel = _regel(err, "unknown format")
    assert code == 2 and "Traceback" not in err
    assert "kw_drempel" in regel and "disabled by KADERWERK_DISABLE_PLUGINS" in regel


def test_an_unknown_name_with_no_plugin_behind_it_gets_no_hint(site, scores, run_cli) -> None:
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "tabs")
    assert code == 2 and "belongs to" not in err and "disabled" not in err


PAK = '''
from kaderwerk.api import hookimpl

@hookimpl
def register_formats(register):
    register("pak", lambda uitkomst: 1 / 0, ".pak")
'''


def test_a_plugin_is_named_with_its_package_where_they_differ(site, scores, tmp_path,
                                                             run_cli) -> None:
    install_plugin(site, "kw_pak", PAK, version="2.3", package="mijn-plugin")
    forget_plugins()
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "pak", "-o",
                             tmp_path / "uit.pak")
    assert code == 4 and "Traceback" not in err
    assert "plugin kw_pak (package mijn-plugin 2.3) failed in writer" in err
    code, out, _ = run_cli("plugins")
    assert code == 0 and "kw_pak (package mijn-plugin 2.3)" in out
    code, out, _ = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}["kw_pak"]
    assert info["package"] == "mijn-plugin"


def test_a_broken_plugin_is_named_with_its_package(site, run_cli) -> None:
    install_plugin(site, "kw_pak", PAK.replace('register("pak"', 'raise ValueError("nee")\n    '
                                               'register("pak"'), package="mijn-plugin")
    forget_plugins()
    _, _, err = run_cli("list")
    assert "plugin kw_pak (package mijn-plugin 1.0) is broken" in err
    assert "plugin kw_drempel (package" not in err


def test_the_known_kader_ids_of_an_unknown_id_are_capped(site, run_cli) -> None:
    install_plugin(site, "kw_veel_kaders", '''
from importlib import resources
from kaderwerk.api import hookimpl

@hookimpl
def register_kaders(register):
    for i in range(15):
        register(resources.files("kw_veel_kaders") / f"k{i}")
''')
    for i in range(15):
        (site / "kw_veel_kaders" / f"k{i}").mkdir()
        (site / "kw_veel_kaders" / f"k{i}" / "1.yaml").write_text(kader(1, kid=f"veel-{i}"),
                                                                 encoding="utf-8")
    forget_plugins()
    code, _, err = run_cli("show", "geen-kader")
    regel = _regel(err, "no kader")
    assert code == 1 and "more" in regel and "veel-9" not in regel
