"""The plugin contract: documented hooks, third-party plugins, broken plugins named."""

from __future__ import annotations

import inspect
import re
import sys
import types

import pytest
from kaderwerk import hookspecs
from kaderwerk.domain.beslisregel import Beslisregel, Beslissing, Clausule
from kaderwerk.hookspecs import hookimpl
from kaderwerk.sources import manager
from kaderwerk.sources.catalog import Catalog

from .conftest import ROOT


def _hooks() -> list[str]:
    return [n for n, f in inspect.getmembers(hookspecs, inspect.isfunction)
            if n.startswith("register_")]


def test_every_hook_is_documented() -> None:
    """docs/plugins.md has a heading and the signature of every hook in hookspecs."""
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert _hooks(), "no hooks found"
    for name in _hooks():
        assert re.search(rf"^### {name}$", doc, re.M), f"{name} has no heading"
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"{name}({params}" in doc, f"{name} signature missing"


def test_builtin_plugins_use_the_public_hooks() -> None:
    """Every builtin plugin registers something through the same hooks as third parties."""
    reg = manager.build_registry(entry_points=False)
    assert not reg.broken
    assert {"aantal", "percentage", "handmatig"} <= set(reg.beslisregels)
    assert {".csv", ".xlsx", ".yaml", ".json"} <= set(reg.readers)
    assert {"json", "csv", "markdown", "html", "xlsx"} <= set(reg.formats)


class _Meerderheid(Beslisregel):
    """A third-party rule: voldoende when the first verwachting is voldoende."""

    type = "eerste-telt"

    @classmethod
    def from_mapping(cls, data, schaal, bron):
        return cls(tekst=None, bron=bron, schaal=schaal,
                   clausules=(Clausule(schaal.niveaus[0]), Clausule(schaal.niveaus[-1])))

    def beslis(self, invoer):
        first = invoer.scores[0][1].value if invoer.scores else None
        i = 0 if first == "voldoende" else 1
        return Beslissing(self.clausules[i].oordeel, i, "eerste verwachting")


def test_third_party_rule_type_is_loaded_and_proven(tmp_path) -> None:
    """A plugin's rule type is used by the loader and enumerated by the proof."""
    plugin = types.ModuleType("eerste_telt_plugin")
    plugin.register_beslisregels = hookimpl(
        lambda register: register("eerste-telt", _Meerderheid))
    reg = manager.build_registry((plugin,), entry_points=False)
    kader_file = tmp_path / "k.yaml"
    kader_file.write_text(
        'id: k\nversie: "1"\ntitel: K\nbron: {document: d}\noordeelschaal: [goed, slecht]\n'
        'themas:\n  - id: "1"\n    titel: T\n    beslisregel: {type: eerste-telt}\n'
        '    criteria:\n      - id: "1.1"\n        titel: C\n        verwachtingen:\n'
        '          - {id: "1.1.1", tekst: a}\n          - {id: "1.1.2", tekst: b}\n')
    from kaderwerk.domain.verify import check_kader

    kader = Catalog(reg).get(str(kader_file))
    assert kader.criteria[0].beslisregel.type == "eerste-telt"
    assert check_kader(kader).ok


def test_plugin_raising_in_a_hook_is_named() -> None:
    """A plugin whose hook raises is listed as broken by name; the rest still loads."""
    def boom(register):
        raise RuntimeError("kapot")

    plugin = types.ModuleType("kapotte_plugin")
    plugin.register_formats = hookimpl(boom)
    reg = manager.build_registry((plugin,), entry_points=False)
    assert "kapotte_plugin" in reg.broken
    assert "RuntimeError: kapot" in reg.broken["kapotte_plugin"]
    assert "json" in reg.formats


def test_plugin_registering_garbage_is_named() -> None:
    """Registering something that is not a format is reported with the plugin's name."""
    plugin = types.ModuleType("rommel_plugin")
    plugin.register_formats = hookimpl(lambda register: register(42, None, None))
    reg = manager.build_registry((plugin,), entry_points=False)
    assert "register_formats" in reg.broken["rommel_plugin"]


def test_broken_entry_point_is_reported(monkeypatch, run_cli) -> None:
    """An entry point that fails to import shows under broken plugins; list still works."""
    import importlib.metadata as md

    ep = md.EntryPoint("kapot", "bestaat_niet_module", "kaderwerk")
    real = md.entry_points

    def fake(**kw):
        return [ep] if kw.get("group") == "kaderwerk" else real(**kw)

    monkeypatch.setattr(md, "entry_points", fake)
    monkeypatch.setattr(manager, "_registry", None)
    import kaderwerk.sources.catalog as cat_mod

    cat_mod.catalog.cache_clear()
    try:
        code, out, _ = run_cli("list", "--format", "json")
    finally:
        cat_mod.catalog.cache_clear()
        manager.reset()
    assert code == 0
    import json

    broken = json.loads(out)["kapot"]
    assert any("kapot" in k and "ModuleNotFoundError" in v for k, v in broken.items())


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_pytest_plugin_proves_a_kader_folder(pytester) -> None:
    """``pytest`` in a folder holding only a kader file proves it; a broken rule fails."""
    good = (ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(encoding="utf-8")
    pytester.makefile(".yaml", stap1=good)
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=8)
    start = good.index('          - id: "1.1.4"')
    end = good.index('      - id: "1.2"')
    pytester.makefile(".yaml", stap1=good[:start] + good[end:])
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=7, failed=1)
    result.stdout.fnmatch_lines(["*criterium 1.1: not exhaustive: no clause applies at "
                                 "1 voldoende, 2 onvoldoende*"])


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_pytest_plugin_proves_the_inputs_assess_accepts(pytester) -> None:
    """The pytest plugin proves what ``check`` proves: without score_verplicht, Stap 1's
    Randvoorwaarden rule has no oordeel with a verwachting left niet beoordeeld."""
    good = (ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml").read_text(encoding="utf-8")
    begin, eind = good.index("score_verplicht:\n"), good.index("themas:\n")
    pytester.makefile(".yaml", stap1=good[:begin] + good[eind:])
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=1, failed=7)
    result.stdout.fnmatch_lines(["*criterium 1.1: not exhaustive: no clause applies at "
                                 "1 voldoende, 2 onvoldoende, 1 niet beoordeeld*"])


def test_builtin_plugins_import_only_the_public_api() -> None:
    """A builtin plugin imports kaderwerk only through ``kaderwerk.api`` (as a third party must)."""
    import ast

    for path in sorted((ROOT / "plugins").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = ([f"kaderwerk.{a.name}" for a in node.names] if node.module == "kaderwerk"
                         else [node.module or ""])
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name == "kaderwerk" or name.startswith("kaderwerk."):
                    assert name in ("kaderwerk.api", "kaderwerk.__version__"), (
                        f"{path.name}:{node.lineno} imports {name}")


def test_every_public_name_is_documented() -> None:
    """docs/plugins.md names every export of kaderwerk.api; the module exports what it lists."""
    from kaderwerk import api

    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert len(api.__all__) > 30
    for name in api.__all__:
        assert hasattr(api, name), f"api.__all__ names {name}, which api lacks"
        assert f"`{name}`" in doc, f"kaderwerk.api.{name} is not documented in docs/plugins.md"


def test_plugin_registry_helper_names_a_broken_plugin() -> None:
    """``kaderwerk.testing.plugin_registry`` loads a plugin as kaderwerk does, or says why not."""
    from kaderwerk.testing import plugin_registry

    goed = types.ModuleType("goed_plugin")
    goed.register_formats = hookimpl(lambda register: register("leeg", lambda u: b"", ".txt"))
    assert plugin_registry(goed).formats["leeg"].plugin == "goed_plugin"
    kapot = types.ModuleType("kapot_plugin")
    kapot.register_formats = hookimpl(lambda register: [("leeg", None, ".txt")])
    with pytest.raises(AssertionError, match="kapot_plugin: register_formats returned a value"):
        plugin_registry(kapot)


def test_scores_voor_generates_beoordelingen_the_engine_accepts() -> None:
    """The public strategy ``scores_voor`` gives every assessed verwachting a score."""
    from hypothesis import given, settings
    from kaderwerk.api import Score
    from kaderwerk.testing import scores_voor

    kader = Catalog(manager.build_registry(entry_points=False)).get("veilig-thuis-stap-1")
    beoordeeld = {v.id for v in kader.verwachtingen if v.beoordeeld}

    @settings(max_examples=20, derandomize=True, deadline=None)
    @given(scores_voor(kader))
    def check(b) -> None:
        assert {v for v, s in b.scores.items() if s is not Score.NIET_BEOORDEELD} == beoordeeld

    check()


@pytest.mark.parametrize("met_nb", [False, True])
def test_every_scores_voor_example_is_accepted_by_beoordeel(met_nb: bool) -> None:
    """The two documented testing helpers work together: whatever ``scores_voor`` makes (names
    included), ``beoordeel`` judges, for every bundled kader."""
    cat = Catalog(manager.build_registry(entry_points=False))
    for kid in ("veilig-thuis-stap-1", "veilig-thuis-stap-2", "stelseltoezicht-jeugd",
                "signaleren-van-onveiligheid", "stelseltoezicht-volwassenen"):
        _alle_voorbeelden_beoordeeld(cat.get(kid), met_nb)


def _alle_voorbeelden_beoordeeld(kader, met_nb: bool) -> None:
    from hypothesis import given, settings
    from kaderwerk.testing import beoordeel, scores_voor

    @settings(max_examples=15, derandomize=True, deadline=None)
    @given(scores_voor(kader, met_nb=met_nb))
    def check(b) -> None:
        assert len(beoordeel(kader, [b])["organisaties"]) == 1

    check()


def test_plugin_failing_in_one_hook_is_wholly_disabled() -> None:
    """A format registered before the plugin's kader hook raised is not active either."""
    plugin = types.ModuleType("half_plugin")
    plugin.register_formats = hookimpl(lambda register: register("half", lambda u: b"", ".h"))

    def kapot(register):
        raise OSError("geen map")

    plugin.register_kaders = hookimpl(kapot)
    reg = manager.build_registry((plugin,), entry_points=False)
    assert "register_kaders raised OSError: geen map" in reg.broken["half_plugin"]
    assert "half" not in reg.formats
    assert reg.info["half_plugin"].registered == []


def test_plugin_failing_pluggy_validation_is_broken() -> None:
    """A hook implementation with an argument the hook does not have is refused by pluggy."""
    plugin = types.ModuleType("verkeerd_plugin")
    plugin.register_formats = hookimpl(lambda registreer: None)
    reg = manager.build_registry((plugin,), entry_points=False)
    assert "failed to load" in reg.broken["verkeerd_plugin"]
    assert "registreer" in reg.broken["verkeerd_plugin"]


def test_broken_plugin_is_named_with_traceback_under_debug(monkeypatch) -> None:
    """Every command names a broken plugin; KADERWERK_DEBUG=1 adds the traceback."""
    def boom(register):
        raise RuntimeError("kapot")

    plugin = types.ModuleType("kapotte_plugin")
    plugin.register_formats = hookimpl(boom)
    reg = manager.build_registry((plugin,), entry_points=False)
    assert manager.warnings(reg) == [
        "warning: plugin kapotte_plugin is broken and disabled: register_formats raised "
        "RuntimeError: kapot (see 'kaderwerk plugins')"]
    monkeypatch.setenv("KADERWERK_DEBUG", "1")
    lines = manager.warnings(reg)
    assert len(lines) == 2 and "Traceback" in lines[1] and "in boom" in lines[1]


def test_disabling_a_builtin_by_its_short_name(monkeypatch) -> None:
    monkeypatch.setenv("KADERWERK_DISABLE_PLUGINS", "format_html, reader_xlsx")
    reg = manager.build_registry(entry_points=False)
    assert "html" not in reg.formats and ".xlsx" not in reg.readers and "json" in reg.formats
    assert reg.info["kaderwerk.plugins.format_html"].disabled


@pytest.mark.parametrize(("hook", "args", "wat"), [
    ("register_beslisregels", ("aantal", type("Aantal", (_Meerderheid,), {"type": "aantal"})),
     "rule type 'aantal'"),
    ("register_readers", (".csv", lambda p, k, o: [], "CSV"), "reader '.csv'"),
    ("register_formats", ("json", lambda u: b"LaTeX", ".tex"), "format 'json'"),
])
def test_taking_a_builtin_name_breaks_the_plugin_not_kaderwerk(hook, args, wat) -> None:
    """The builtin stays in use; the plugin is named with the builtin it collided with."""
    plugin = types.ModuleType("botsende_plugin")
    setattr(plugin, hook, hookimpl(lambda register: register(*args)))
    reg = manager.build_registry((plugin,), entry_points=False)
    reason = reg.broken["botsende_plugin"]
    assert wat in reason and "kaderwerk.plugins." in reason and "replaces=True" in reason
    assert reg.regel_plugins["aantal"] == "kaderwerk.plugins.regels"
    assert reg.readers[".csv"].plugin == "kaderwerk.plugins.reader_csv"
    assert reg.formats["json"].plugin == "kaderwerk.plugins.format_json"
    kader = Catalog(reg).get("veilig-thuis-stap-1")
    assert kader.criteria[0].beslisregel.type == "aantal"


def test_two_third_party_plugins_taking_one_name_are_both_broken() -> None:
    een, twee = types.ModuleType("een_plugin"), types.ModuleType("twee_plugin")
    for p in (een, twee):
        p.register_formats = hookimpl(lambda register: register("tsv", lambda u: b"", ".tsv",
                                                                 replaces=True))
    reg = manager.build_registry((een, twee), entry_points=False)
    assert "twee_plugin" in reg.broken["een_plugin"] and "een_plugin" in reg.broken["twee_plugin"]
    assert "tsv" not in reg.formats


def _exit(*args, **kwargs):
    sys.exit(0)


@pytest.mark.parametrize("hook", ["register_formats", "register_beslisregels"])
def test_plugin_exiting_in_a_hook_is_broken_not_kaderwerk(hook) -> None:
    """sys.exit in a registration hook disables the plugin; it does not end kaderwerk."""
    plugin = types.ModuleType("exit_plugin")
    setattr(plugin, hook, hookimpl(lambda register: _exit()))
    reg = manager.build_registry((plugin,), entry_points=False)
    assert "SystemExit" in reg.broken["exit_plugin"]
    assert "json" in reg.formats


def test_keyboardinterrupt_from_a_plugin_stops_kaderwerk() -> None:
    """Ctrl-C is the user's, not the plugin's failure: it is not swallowed."""
    def onderbroken(register):
        raise KeyboardInterrupt

    plugin = types.ModuleType("ctrl_c_plugin")
    plugin.register_formats = hookimpl(onderbroken)
    with pytest.raises(KeyboardInterrupt):
        manager.build_registry((plugin,), entry_points=False)


class _Stopper(_Meerderheid):
    """A rule whose beslis exits the process."""

    type = "stopper"

    def beslis(self, invoer):
        sys.exit(0)


class _Niets(_Meerderheid):
    """A rule whose beslis returns None instead of a Beslissing."""

    type = "niets"

    def beslis(self, invoer):
        return None


def _regel_kader(tmp_path, naam: str):
    kader_file = tmp_path / f"{naam}.yaml"
    kader_file.write_text(
        f'id: {naam}\nversie: "1"\ntitel: K\nbron: {{document: d}}\n'
        'oordeelschaal: [goed, slecht]\n'
        f'themas:\n  - id: "1"\n    titel: T\n    beslisregel: {{type: {naam}}}\n'
        '    criteria:\n      - id: "1.1"\n        titel: C\n        verwachtingen:\n'
        '          - {id: "1.1.1", tekst: a}\n')
    return kader_file


class _KapotteVoorwaarden(_Meerderheid):
    """A rule whose voorwaarden() raises."""

    type = "kapotte-voorwaarden"
    telt_alleen = True

    def voorwaarden(self):
        raise ValueError("kapot")


class _KapotteDict(_Meerderheid):
    """A rule whose to_dict() raises."""

    type = "kapotte-dict"

    def to_dict(self):
        raise ValueError("kapot")


@pytest.mark.parametrize("cls, hook", [(_Stopper, "beslis"), (_Niets, "beslis"),
                                       (_KapotteVoorwaarden, "voorwaarden"),
                                       (_KapotteDict, "to_dict")])
def test_rule_plugin_failing_or_returning_garbage_names_the_plugin(tmp_path, cls, hook) -> None:
    """sys.exit in beslis, a result that is not a Beslissing, or voorwaarden() or to_dict()
    raising is PluginFailed (exit 4), not an internal error."""
    from kaderwerk.domain.errors import PluginFailed
    from kaderwerk.domain.verify import check_kader

    plugin = types.ModuleType("regel_plugin")
    plugin.register_beslisregels = hookimpl(lambda register: register(cls.type, cls))
    reg = manager.build_registry((plugin,), entry_points=False)
    kader = Catalog(reg).get(str(_regel_kader(tmp_path, cls.type)))
    with pytest.raises(PluginFailed) as info:
        check_kader(kader)
        kader.to_dict()
    assert info.value.plugin == "regel_plugin" and info.value.hook == hook
    assert PluginFailed.exit_code == 4


@pytest.mark.parametrize("hook, fn", [
    ("writer", lambda uitkomst: "tekst, geen bytes"),
    ("writer", lambda uitkomst: _exit()),
    ("reader", lambda path, kader, opties: None),
    ("reader", lambda path, kader, opties: ["geen beoordeling"]),
])
def test_reader_and_writer_results_are_checked_at_the_boundary(hook, fn) -> None:
    """A third-party reader or writer returning the wrong type, or exiting, is PluginFailed."""
    from kaderwerk.domain.errors import PluginFailed

    plugin = types.ModuleType("io_plugin")
    if hook == "writer":
        plugin.register_formats = hookimpl(lambda register: register("io", fn, ".io"))
    else:
        plugin.register_readers = hookimpl(lambda register: register(".io", fn))
    reg = manager.build_registry((plugin,), entry_points=False)
    call = reg.formats["io"].write if hook == "writer" else reg.readers[".io"].read
    with pytest.raises(PluginFailed) as info:
        call({}) if hook == "writer" else call("x.io", None, None)
    assert info.value.plugin == "io_plugin" and info.value.hook.startswith(hook)


def test_a_plugin_writer_mutating_the_uitkomst_corrupts_no_other_writer() -> None:
    """Each third-party writer gets its own copy of the uitkomst."""
    def muteer(uitkomst):
        uitkomst["organisaties"].clear()
        return b""

    plugin = types.ModuleType("muteer_plugin")
    plugin.register_formats = hookimpl(lambda register: register("muteer", muteer, ".m"))
    reg = manager.build_registry((plugin,), entry_points=False)
    uitkomst = {"organisaties": [{"naam": "A"}]}
    reg.formats["muteer"].write(uitkomst)
    assert uitkomst == {"organisaties": [{"naam": "A"}]}


def test_what_plugin_code_prints_goes_to_stderr_not_the_machine_output(capsys) -> None:
    """A print in a plugin's import-time hook or writer cannot corrupt --format json output."""
    def hook(register):
        print("HALLO UIT HOOK")
        register("prater", lambda uitkomst: print("HALLO UIT WRITER") or b"", ".p")

    plugin = types.ModuleType("prater_plugin")
    plugin.register_formats = hookimpl(hook)
    reg = manager.build_registry((plugin,), entry_points=False)
    reg.formats["prater"].write({})
    out, err = capsys.readouterr()
    assert "HALLO" not in out
    assert "HALLO UIT HOOK" in err and "HALLO UIT WRITER" in err


def test_every_testing_name_is_documented_and_judges_as_assess(tmp_path) -> None:
    """docs/plugins.md names every export of kaderwerk.testing; ``laad_kader`` and ``beoordeel``
    load and judge as the commands do, and refuse a bad beoordeling."""
    from kaderwerk import testing
    from kaderwerk.api import Beoordeling, InvoerError, Score

    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in testing.__all__:
        assert hasattr(testing, name) and f"`{name}" in doc, name
    reg = testing.plugin_registry()
    kader = testing.laad_kader("veilig-thuis-stap-1", reg)
    scores = {v.id: Score.VOLDOENDE if v.beoordeeld else Score.NIET_BEOORDEELD
              for v in kader.verwachtingen}
    uitkomst = testing.beoordeel(kader, [Beoordeling("A", scores)])
    assert [o["naam"] for o in uitkomst["organisaties"]] == ["A"]
    with pytest.raises(InvoerError, match="not a Score"):
        testing.beoordeel(kader, [Beoordeling("A", {k: "voldoende" for k in scores})])
