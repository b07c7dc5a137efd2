"""What a plugin registers says who owns it: a kader replaced on purpose brings its own datasets
(and a missing one says so), a name claimed by three plugins names all of them to each, and a
``register`` callback kept past its hook is that plugin's failure, never silently ignored."""

from __future__ import annotations

import types

from kaderwerk.hookspecs import hookimpl
from kaderwerk.sources import manager

from .conftest import ROOT, forget_plugins, install_plugin


def _kader_plugin(site, naam: str) -> None:
    folder = site / f"{naam}_kaders"
    folder.mkdir()
    bron = (ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(encoding="utf-8")
    (folder / "2015.yaml").write_text(bron, encoding="utf-8")
    install_plugin(site, naam, f'''
from pathlib import Path
from kaderwerk.api import hookimpl

@hookimpl
def register_kaders(register):
    register(Path({str(folder)!r}), replaces=True)
''')


def test_a_replaced_kader_names_its_plugin_when_a_builtin_dataset_is_asked(site,
                                                                          run_cli) -> None:
    builtin = sorted(p.stem for p in (ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets")
                     .glob("*.yaml"))
    assert builtin
    _kader_plugin(site, "kw_eigen")
    forget_plugins()
    csv = ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / f"{builtin[0]}-scores.csv"
    for args in (("veilig-thuis-stap-1@2015", builtin[0]),
                 ("veilig-thuis-stap-1@2015", str(csv), "--gepubliceerd", builtin[0])):
        code, _, err = run_cli("assess", *args)
        assert code == 1 and "Traceback" not in err, err
        line = next(r for r in err.splitlines() if builtin[0] in r)
        assert "plugin kw_eigen replaces veilig-thuis-stap-1@2015" in line, err
        assert "kw_eigen's: none" in line and "kaderwerk.plugins.veilig_thuis" in line, err


def _format(naam: str) -> types.ModuleType:
    module = types.ModuleType(naam)
    module.register_formats = hookimpl(  # type: ignore[attr-defined]
        lambda register: register("drievoud", lambda u: b"", ".drie"))
    return module


def test_a_name_claimed_by_three_plugins_names_all_others_to_each() -> None:
    namen = ("een_plugin", "twee_plugin", "drie_plugin")
    reg = manager.build_registry(tuple(map(_format, namen)), entry_points=False)
    for naam in namen:
        reason = reg.broken[naam]
        assert all(n in reason for n in namen if n != naam), reason
    assert "drievoud" not in reg.formats


def test_three_claims_beside_a_builtin_name_all_others() -> None:
    namen = ("een_plugin", "twee_plugin", "drie_plugin")
    plugins = [types.ModuleType(n) for n in namen]
    for p in plugins:
        p.register_formats = hookimpl(  # type: ignore[attr-defined]
            lambda register: register("json", lambda u: b"", ".json"))
    reg = manager.build_registry(tuple(plugins), entry_points=False)
    for naam in namen:
        reason = reg.broken[naam]
        assert all(n in reason for n in (*namen, "kaderwerk.plugins.format_json")
                   if n != naam), reason


LAAT = '''
from kaderwerk.api import hookimpl
import kw_drempel

BEWAARD = []


class Regel(kw_drempel.DrempelRegel):
    type = "laat"
    SCHEMA = dict(kw_drempel.DrempelRegel.SCHEMA,
                  properties=dict(kw_drempel.DrempelRegel.SCHEMA["properties"],
                                  type={"const": "laat"}))

    def beslis(self, invoer):
        BEWAARD[0]("laatfmt", lambda u: b"", ".laat")
        return super().beslis(invoer)


@hookimpl
def register_beslisregels(register):
    register("laat", Regel)


@hookimpl
def register_formats(register):
    BEWAARD.append(register)
'''


def test_register_kept_for_later_is_the_plugins_failure(site, scores, tmp_path,
                                                          run_cli) -> None:
    from .test_plugin_package import kader

    install_plugin(site, "kw_laat", LAAT)
    forget_plugins()
    pad = tmp_path / "laat.yaml"
    pad.write_text(kader(1, kid="laat-kader").replace("type: drempel", "type: laat"),
                   encoding="utf-8")
    code, _, err = run_cli("assess", pad, scores, "--format", "json")
    assert code == 4, err
    assert "plugin kw_laat failed in beslis" in err
    assert "register called after register_formats returned" in err
    assert "Traceback" not in err and "internal error" not in err
