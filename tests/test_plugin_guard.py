"""Plugins cannot silently break kaderwerk, beyond a clean hook: ``--help`` runs no plugin code,
plugin code that changes the process (working folder, signal handlers, streams, environment) is
undone and named, a mistyped hook, a misnamed rule type, a hook wrapper or a warning is one line
naming the plugin, two claims on one name are refused naming both, ``replaces=True`` works for a
kader as for any name, and a reader's ``OSError`` names the plugin and the file (exit 4).

Test plugins are installed packages with a ``kaderwerk`` entry point (``test_plugin_package``)
or, for the registry alone, module objects."""

from __future__ import annotations

import json
import os
import shutil
import signal
import types
import warnings

import pytest
from kaderwerk.hookspecs import hookimpl
from kaderwerk.sources import manager

from .conftest import ROOT, forget_plugins, install_plugin

ZIJEFFECT = '''
import os
from pathlib import Path
from kaderwerk.api import hookimpl

Path(os.environ["KW_MARKER"]).write_text("imported")


@hookimpl
def register_commands(cli):
    @cli.command()
    def hallo():
        """Say hello."""
        print("hallo")
'''


def test_help_and_version_run_no_plugin_code(site, tmp_path, monkeypatch, run_cli) -> None:
    """``--help``, ``--version`` and a builtin command's help import no third-party plugin;
    the plugin's command is still found when asked for, and listed by ``kaderwerk plugins``."""
    marker = tmp_path / "marker"
    monkeypatch.setenv("KW_MARKER", str(marker))
    install_plugin(site, "kw_zij", ZIJEFFECT)
    forget_plugins()
    for args in (["--help"], ["--version"], ["check", "--help"], ["assess", "--help"]):
        code, _, _ = run_cli(*args)
        assert code == 0 and not marker.exists(), args
        assert manager.built() is None, args
    assert "kaderwerk plugins" in run_cli("--help")[1]
    code, out, _ = run_cli("hallo")
    assert code == 0 and out == "hallo\n" and marker.exists()
    forget_plugins()
    code, out, _ = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}["kw_zij"]
    assert code == 0 and info["registered"] == ["command hallo"]


def test_plugin_taking_a_builtin_command_is_broken(site, run_cli) -> None:
    install_plugin(site, "kw_check", '''
from kaderwerk.api import hookimpl

@hookimpl
def register_commands(cli):
    @cli.command("check")
    def check():
        print("overgenomen")
''')
    forget_plugins()
    code, out, err = run_cli("plugins", "--format", "json")
    assert code == 0 and "command 'check' is taken" in err
    code, out, err = run_cli("check", "veilig-thuis-stap-1")
    assert code == 0 and "overgenomen" not in out


ONRUST = '''
import io, os, signal, sys
from kaderwerk.api import hookimpl

def write(uitkomst):
    os.chdir(os.environ["KW_ELDERS"])
    sys.stdout = io.StringIO()
    return b"onrust"

@hookimpl
def register_formats(register):
    os.chdir(os.environ["KW_ELDERS"])
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)
    os.environ["KW_GEZET"] = "1"
    del os.environ["KW_WEG"]
    sys.stderr = io.StringIO()
    register("onrust", write, ".onrust")
'''


def test_plugin_changing_the_process_is_undone_and_named(site, scores, tmp_path, monkeypatch,
                                                          run_cli) -> None:
    """cwd, SIGINT/SIGTERM handlers, sys.stdout/stderr and the environment are put back after
    each hook and writer call, with one warning naming the plugin; a relative path given by
    the user still means the file in the user's working folder."""
    elders = tmp_path / "elders"
    elders.mkdir()
    monkeypatch.setenv("KW_ELDERS", str(elders))
    monkeypatch.setenv("KW_WEG", "blijft")
    monkeypatch.chdir(scores.parent)
    install_plugin(site, "kw_onrust", ONRUST)
    forget_plugins()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    code, out, err = run_cli("assess", "drempel-kader", scores.name, "--format", "json",
                             "--format", "onrust", "-o", "uit")
    assert code == 0, err
    assert sorted(p.name for p in (scores.parent / "uit").iterdir()) == [
        "drempel-kader-1.json", "drempel-kader-1.onrust"]
    assert not list(elders.iterdir())
    assert os.getcwd() == str(scores.parent)
    assert os.environ.get("KW_GEZET") is None and os.environ["KW_WEG"] == "blijft"
    assert {s: signal.getsignal(s) for s in handlers} == handlers
    lines = [line for line in err.splitlines() if "kw_onrust" in line]
    assert len(lines) == 2, err  # one for the hook, one for the writer
    assert all(w in lines[0] for w in ("working folder", "SIGINT", "SIGTERM", "sys.stdout",
                                       "KW_GEZET", "KW_WEG", "register_formats"))
    assert "writer" in lines[1] and "Traceback" not in err
    code, out, err = run_cli("assess", "drempel-kader", scores.name, "--format", "json")
    assert code == 0 and json.loads(out)["kader"]["id"] == "drempel-kader"


def test_unknown_name_to_disable_is_warned(site, monkeypatch, run_cli) -> None:
    """A typo in KADERWERK_DISABLE_PLUGINS is named with the installed names; exit unchanged."""
    monkeypatch.setenv("KADERWERK_DISABLE_PLUGINS", "kw_drempl, format_html")
    forget_plugins()
    code, out, err = run_cli("list", "--format", "json")
    assert code == 0 and json.loads(out)["plugins"]
    [line] = [line for line in err.splitlines() if "kw_drempl" in line]
    assert "KADERWERK_DISABLE_PLUGINS" in line and "did you mean 'kw_drempel'" in line
    assert "installed:" in line and "format_html" not in err.replace(line, "")
    assert "html" not in manager.registry().formats


def _plugin(naam: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(naam)
    for hook, fn in hooks.items():
        setattr(module, hook, fn)
    return module


def test_two_replacements_of_one_builtin_name_are_both_named() -> None:
    """Neither replaces the builtin: both are broken, each naming the other and the builtin."""
    plugins = [_plugin(n, register_formats=hookimpl(
        lambda register: register("json", lambda u: b"", ".json", replaces=True)))
        for n in ("een_plugin", "twee_plugin")]
    reg = manager.build_registry(tuple(plugins), entry_points=False)
    for naam in ("een_plugin", "twee_plugin"):
        reason = reg.broken[naam]
        assert all(n in reason for n in ("een_plugin", "twee_plugin",
                                         "kaderwerk.plugins.format_json")), reason
    assert reg.formats["json"].plugin == "kaderwerk.plugins.format_json"


def _kader_plugin(site, naam: str, replaces: bool) -> None:
    folder = site / f"{naam}_kaders"
    folder.mkdir()
    bron = (ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(encoding="utf-8")
    (folder / "2015.yaml").write_text(bron.replace("\ntitel: ", f"\ntitel: {naam} ", 1),
                                      encoding="utf-8")
    install_plugin(site, naam, f'''
from pathlib import Path
from kaderwerk.api import hookimpl

@hookimpl
def register_kaders(register):
    register(Path({str(folder)!r}), replaces={replaces})
''')


def test_kader_replaced_on_purpose(site, run_cli) -> None:
    """replaces=True on a builtin kader's id@versie takes its place; list and plugins say so."""
    _kader_plugin(site, "kw_eigen", replaces=True)
    forget_plugins()
    code, out, err = run_cli("list", "--format", "json")
    assert code == 0 and "broken" not in err, err
    [rij] = [k for k in json.loads(out)["kaders"] if k["id"] == "veilig-thuis-stap-1"
             and k["versie"] == "2015"]
    assert rij["plugin"] == "kw_eigen" and rij["titel"].startswith("kw_eigen ")
    code, out, _ = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}["kw_eigen"]
    assert info["replaces"] == ["kader veilig-thuis-stap-1@2015 of kaderwerk.plugins.veilig_thuis"]
    code, out, _ = run_cli("show", "veilig-thuis-stap-1@2015", "--format", "json")
    assert code == 0 and json.loads(out)["titel"].startswith("kw_eigen ")


def test_two_kader_replacements_are_both_refused(site, run_cli) -> None:
    _kader_plugin(site, "kw_een", replaces=True)
    _kader_plugin(site, "kw_twee", replaces=True)
    forget_plugins()
    code, out, _ = run_cli("list", "--format", "json")
    data = json.loads(out)
    assert code == 0 and {"kw_een", "kw_twee"} <= set(data["kapot"])
    for naam in ("kw_een", "kw_twee"):
        reason = data["kapot"][naam]
        assert "kw_een" in reason and "kw_twee" in reason and "replaces=True" in reason
    assert [k["plugin"] for k in data["kaders"] if k["id"] == "veilig-thuis-stap-1"
            and k["versie"] == "2015"] == ["kaderwerk.plugins.veilig_thuis"]


def _niets():
    """A new hook function each time: hookimpl marks the function object itself."""
    def register_formats(register) -> None:
        return None
    return register_formats


@pytest.mark.parametrize(("plugin", "fout"), [
    (_plugin("tik_plugin", register_format=hookimpl(_niets())),
     "unknown hook register_format; did you mean 'register_formats'?"),
    (_plugin("arg_plugin", register_formats=hookimpl(lambda register, extra: None)),
     "'extra'"),
    (_plugin("kaal_plugin", register_formats=_niets()), "@hookimpl"),
    (_plugin("wrap_plugin", register_formats=hookimpl(hookwrapper=True)(_niets())),
     "hook wrapper"),
])
def test_hook_implementations_pluggy_would_ignore_break_the_plugin(plugin, fout) -> None:
    """A typo in a hook's name, an argument the hook does not pass, a hook function without
    @hookimpl, or a wrapper: the plugin is broken with one line, not silently half-used."""
    reg = manager.build_registry((plugin,), entry_points=False)
    reason = reg.broken[plugin.__name__]
    assert fout in reason and "\n" not in reason
    assert "json" in reg.formats


def test_rule_type_under_another_name_is_refused() -> None:
    from .test_plugins import _Meerderheid

    plugin = _plugin("naam_plugin", register_beslisregels=hookimpl(
        lambda register: register("meerderheid", _Meerderheid)))
    reg = manager.build_registry((plugin,), entry_points=False)
    reason = reg.broken["naam_plugin"]
    assert "'meerderheid'" in reason and "'eerste-telt'" in reason
    assert "meerderheid" not in reg.beslisregels and "eerste-telt" not in reg.beslisregels


def test_warnings_of_plugin_code_are_one_line_naming_the_plugin(site, run_cli) -> None:
    install_plugin(site, "kw_waarschuwt", '''
import warnings
from kaderwerk.api import hookimpl

warnings.warn("oude manier\\nnog een regel")

@hookimpl(hookwrapper=True)
def register_formats(register):
    yield
    raise ValueError("na yield")
''')
    forget_plugins()
    with warnings.catch_warnings(record=True) as ontsnapt:
        warnings.simplefilter("always")
        code, _, err = run_cli("list", "--format", "json")
    assert code == 0 and not ontsnapt
    lines = [line for line in err.splitlines() if "kw_waarschuwt" in line]
    assert len(lines) == 2 and len(err.splitlines()) == 2, err
    assert "UserWarning: oude manier nog een regel" in lines[0] and "hook wrapper" in lines[1]


LEZER = '''
from kaderwerk.api import hookimpl

def lees(path, kader, opties):
    open("/bestaat/niet/scores.csv")

@hookimpl
def register_readers(register):
    register(".lz", lees, "LZ")
'''


def test_reader_raising_oserror_names_the_plugin_and_the_file(site, tmp_path, monkeypatch,
                                                               run_cli) -> None:
    install_plugin(site, "kw_lezer", LEZER)
    forget_plugins()
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "kaders" / "veilig-thuis-stap-1" / "datasets" / "2015-scores.csv", "s.lz")
    code, out, err = run_cli("assess", "veilig-thuis-stap-1", "s.lz", "--format", "json")
    assert code == 4, err
    assert "plugin kw_lezer failed in reader reading s.lz: FileNotFoundError" in err
    assert "Traceback" not in err and out == ""


def _namespace_plugin():
    @hookimpl
    def register_formats(register):
        register("tsvx", lambda uitkomst: b"x", ".tsvx")

    return types.SimpleNamespace(register_formats=register_formats)


def test_an_unhashable_plugin_object_breaks_no_other_plugin() -> None:
    reg = manager.build_registry((_namespace_plugin(),), entry_points=False)
    assert reg.broken == {} and {"json", "tsvx"} <= set(reg.formats)


@pytest.mark.parametrize(("args", "fout"), [
    (("JSON", ".js"), "also registered by plugin kaderwerk.plugins.format_json"),
    (("a b", ".x"), "not a plain name"), (("\x1b", ".x"), "not a plain name"),
    (("ok", "../x"), "not a file suffix"), (("ok", ".t/x"), "not a file suffix")])
def test_a_format_name_or_suffix_is_checked_when_registered(args, fout) -> None:
    plugin = types.ModuleType("fmt_plugin")

    @hookimpl
    def register_formats(register):
        register(args[0], lambda uitkomst: b"x", args[1])

    plugin.register_formats = register_formats
    reg = manager.build_registry((plugin,), entry_points=False)
    reden = reg.broken["fmt_plugin"]
    assert fout in reden and reden.count("register_formats") == 1
    assert reg.formats["json"].plugin == "kaderwerk.plugins.format_json"


JSONLD = '''
from kaderwerk.api import hookimpl

@hookimpl
def register_formats(register):
    register("jsonld", lambda uitkomst: b"{}", ".json")
'''


def test_two_formats_writing_one_file_name_are_refused_before_writing(site, scores, tmp_path,
                                                                       run_cli) -> None:
    install_plugin(site, "kw_jsonld", JSONLD)
    forget_plugins()
    uit = tmp_path / "uit"
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "json",
                           "--format", "jsonld", "-o", uit)
    assert code == 2 and "json and jsonld" in err and not uit.exists()
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "JSON")
    assert code == 0 and json.loads(out)["kader"]["id"] == "drempel-kader"


SCHEMAS = {"geen_dict": "[1]", "metaschema": '{"type": "objekt"}',
           "ref": '{"$ref": "#/$defs/bestaat_niet"}',
           "ref_extern": '{"$ref": "https://example.org/x.json"}'}


@pytest.mark.parametrize("schema", SCHEMAS)
def test_a_bad_rule_type_schema_breaks_only_its_plugin(schema, site, tmp_path, run_cli) -> None:
    from .test_plugin_package import PLUGIN

    bron = PLUGIN.replace("    SCHEMA = {", f"    SCHEMA = {SCHEMAS[schema]}\n    _OUD = {{")
    install_plugin(site, "kw_schema", bron.replace('"drempel"', '"schemaregel"')
                   .replace("kw_drempel", "kw_schema").replace('"tsv"', '"tsv2"')
                   .replace('"kapot"', '"kapot2"'))
    forget_plugins()
    code, out, err = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}
    assert code == 0 and "SCHEMA of rule type 'schemaregel'" in info["kw_schema"]["error"]
    assert info["kw_drempel"]["error"] is None
    code, _, err = run_cli("check", "drempel-kader")
    assert code == 0 and "plugin kw_schema is broken" in err and "Traceback" not in err


BESLIS = '''
from kaderwerk.api import Beslissing, hookimpl
import kw_drempel


class Regel(kw_drempel.DrempelRegel):
    type = "raar"
    SCHEMA = dict(kw_drempel.DrempelRegel.SCHEMA,
                  properties=dict(kw_drempel.DrempelRegel.SCHEMA["properties"],
                                  type={"const": "raar"}))

    def beslis(self, invoer):
        return Beslissing(WAT)

    def beschrijving(self):
        return BESCHRIJVING


@hookimpl
def register_beslisregels(register):
    register("raar", Regel)
'''


@pytest.mark.parametrize(("wat", "beschrijving", "fout"), [
    ('"super", 0, "x"', '"ok"', "failed in beslis: oordeel 'super' is not on the "
     "oordeelschaal"),
    ('"goed", 7, "x"', '"ok"', "failed in beslis: clausule 7"),
    ('"goed", 0, "x"', "42", "failed in beschrijving: beschrijving must return a str")])
def test_rule_type_results_are_checked(wat, beschrijving, fout, site, scores, tmp_path,
                                       run_cli) -> None:
    from .test_plugin_package import kader

    install_plugin(site, "kw_raar", BESLIS.replace("WAT", wat)
                   .replace("BESCHRIJVING", beschrijving))
    forget_plugins()
    pad = tmp_path / "raar.yaml"
    pad.write_text(kader(1, kid="raar-kader").replace("type: drempel", "type: raar"),
                   encoding="utf-8")
    commando = ("render", pad) if "beschrijving" in fout else ("assess", pad, scores)
    code, _, err = run_cli(*commando)
    assert code == 4 and f"plugin kw_raar {fout}" in err, err
    assert "Traceback" not in err and "internal error" not in err


FROM_MAPPING = BESLIS.replace('''    def beslis(self, invoer):''', '''    @classmethod
    def from_mapping(cls, data, schaal, bron):
        raise ValueError("stuk")

    def beslis(self, invoer):''').replace("WAT", "None, None, ''").replace("BESCHRIJVING", "''")


def test_a_plugin_failure_is_exit_4_in_every_command(site, scores, tmp_path, run_cli) -> None:
    """from_mapping raising: 4 in validate, check and assess alike, located in validate."""
    from .test_plugin_package import kader

    install_plugin(site, "kw_raar", FROM_MAPPING)
    forget_plugins()
    pad = tmp_path / "raar.yaml"
    pad.write_text(kader(1, kid="raar-kader").replace("type: drempel", "type: raar"),
                   encoding="utf-8")
    for commando in (("validate", pad), ("check", pad), ("assess", pad, scores)):
        code, _, err = run_cli(*commando)
        assert code == 4, (commando, err)
        assert "plugin kw_raar failed in from_mapping: ValueError: stuk" in err
        assert "Traceback" not in err and "internal error" not in err
    assert f"{pad}:10:" in run_cli("validate", pad)[2]


BOEM = '''
from kaderwerk.api import hookimpl

@hookimpl
def register_formats(register):
    register("boemfmt", lambda uitkomst: b"x", ".boem")

@hookimpl
def register_commands(cli):
    @cli.command()
    def boem():
        raise RuntimeError("au")

    @cli.command(NAAM)
    def ander():
        pass
'''


def test_a_plugin_command_failing_names_it(site, run_cli) -> None:
    install_plugin(site, "kw_boem", BOEM.replace("NAAM", '"boem2"'))
    forget_plugins()
    code, _, err = run_cli("boem")
    assert code == 4 and "plugin kw_boem failed in command boem: RuntimeError: au" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("naam", ['"Check"', '"check"', '"a b"'])
def test_a_plugin_broken_by_its_command_is_wholly_disabled(naam, site, scores, run_cli) -> None:
    """Its format is gone for every command, not only for those that look for commands."""
    install_plugin(site, "kw_boem", BOEM.replace("NAAM", naam))
    forget_plugins()
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "boemfmt")
    assert code == 2 and "plugin kw_boem is broken" in err
    assert "format boemfmt belongs to plugin kw_boem, which is broken" in err


def test_two_entry_points_naming_one_module_are_one_line(site, run_cli) -> None:
    info = next(site.glob("kw_drempel-*.dist-info"))
    (info / "entry_points.txt").write_text("[kaderwerk]\nkw_drempel = kw_drempel\n"
                                           "kw_tweede = kw_drempel\n", encoding="utf-8")
    forget_plugins()
    code, _, err = run_cli("list")
    regels = [r for r in err.splitlines() if "kw_tweede" in r]
    assert code == 0 and len(regels) == 1 and "kw_drempel" in regels[0]
    assert "same module" in regels[0] and len(regels[0]) < 400


def test_an_unknown_format_among_many_is_one_short_line(site, scores, run_cli) -> None:
    install_plugin(site, "kw_veel", '''
from kaderwerk.api import hookimpl

@hookimpl
def register_formats(register):
    for i in range(2000):
        register(f"f{i}", lambda uitkomst: b"", f".f{i}")
''')
    forget_plugins()
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "tsvv")
    regel = next(r for r in err.splitlines() if "unknown format" in r)
    assert code == 2 and len(regel) < 1000 and "more" in regel


def test_kaderwerk_test_runs_every_file_after_a_plugin_failure(site, tmp_path,
                                                               run_cli) -> None:
    from .test_plugin_package import kader

    map_ = tmp_path / "kaders"
    (map_ / "voorbeelden").mkdir(parents=True)
    for naam, drempel in (("kapot", 0), ("heel", 1)):
        (map_ / f"{naam}.yaml").write_text(kader(drempel, kid=f"{naam}-kader"),
                                           encoding="utf-8")
        (map_ / "voorbeelden" / f"{naam}.yaml").write_text(
            f"kader: {naam}-kader\nvoorbeelden:\n  - naam: een\n    scores: {{1.1.1: voldoende, "
            "1.1.2: voldoende}\n    verwacht: {1.1: goed}\n", encoding="utf-8")
    report = tmp_path / "test.xml"
    code, out, err = run_cli("test", map_, "--report", "junit", "--report-file", report)
    assert code == 4, out + err
    assert "plugin kw_drempel failed in beslis" in out + err
    assert "voorbeelden/kapot.yaml" in out + err
    xml = report.read_text(encoding="utf-8")
    assert "heel.yaml" in xml and "kapot.yaml" in xml
