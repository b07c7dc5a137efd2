"""An external plugin package, installed the way pip installs one (a module and a dist-info with
a ``kaderwerk`` entry point), works exactly like a builtin: its rule type is validated with its
own schema and checks, proven, rendered and diffed; its format writes; its kader is listed.
A collision with a builtin name is refused naming both plugins; its failures at run time name
it, exit 4, and leave the other kaders' results and reports intact."""

from __future__ import annotations

import json
import textwrap

import pytest
from kaderwerk.api import DEFAULT_OPTIES, InvoerError
from kaderwerk.sources.catalog import catalog

from .conftest import forget_plugins, install_plugin

PLUGIN = '''
"""kw_drempel: a rule type 'drempel', a format 'tsv', a failing format, and a kader."""
from importlib import resources
from kaderwerk.api import Beslisregel, Beslissing, Clausule, hookimpl

__version__ = "1.0"


class DrempelRegel(Beslisregel):
    """voldoende from `drempel` voldoende verwachtingen on, else the lowest oordeel."""

    type = "drempel"
    telt_alleen = True
    VELDEN = ("drempel",)
    SCHEMA = {"type": "object", "required": ["type", "drempel"],
              "properties": {"type": {"const": "drempel"}, "tekst": {"type": "string"},
                             "drempel": {"type": "integer", "minimum": 0}},
              "additionalProperties": False}

    def __init__(self, *, drempel, **kw):
        super().__init__(**kw)
        self.drempel = drempel

    @classmethod
    def from_mapping(cls, data, schaal, bron):
        return cls(drempel=data["drempel"], tekst=data.get("tekst"), bron=bron, schaal=schaal,
                   clausules=(Clausule(schaal.niveaus[0], "genoeg voldoende"),
                              Clausule(schaal.niveaus[-1], "te weinig voldoende")),
                   hit="eerste")

    @classmethod
    def controleer(cls, data, schaal):
        if data["drempel"] > 50:
            yield "drempel is more than a criterium has verwachtingen", ("drempel",)

    def beslis(self, invoer):
        t = invoer.telling
        if t.beoordeeld == 0:
            return Beslissing(None, None, "niets beoordeeld")
        # a bug in the plugin: drempel 0 divides by zero
        i = 0 if t.voldoende / self.drempel >= 1 else 1
        return Beslissing(self.clausules[i].oordeel, i, self.clausules[i].tekst)

    def to_dict(self):
        return super().to_dict() | {"drempel": self.drempel}


def write_tsv(uitkomst):
    rows = ["organisatie\\toordelen"]
    for org in uitkomst["organisaties"]:
        rows.append(org["naam"] + "\\t" + str(len(org["criteria"])))
    return ("\\n".join(rows) + "\\n").encode()


def write_kapot(uitkomst):
    raise ValueError("geen zin")


@hookimpl
def register_beslisregels(register):
    register("drempel", DrempelRegel)


@hookimpl
def register_formats(register):
    register("tsv", write_tsv, ".tsv")
    register("kapot", write_kapot, ".txt")


@hookimpl
def register_kaders(register):
    register(resources.files("kw_drempel") / "kaders")
'''

BOTSING = '''
from kaderwerk.api import hookimpl

def write(uitkomst):
    return b"LaTeX"

@hookimpl
def register_formats(register):
    register("json", write, ".tex")
'''

VERVANGER = BOTSING.replace('register("json", write, ".tex")',
                            'register("json", write, ".tex", replaces=True)')


def kader(drempel: int, versie: str = "1", kid: str = "drempel-kader") -> str:
    return textwrap.dedent(f"""\
        id: {kid}
        versie: "{versie}"
        titel: Drempelkader
        bron: {{document: Testbron}}
        oordeelschaal: [goed, slecht]
        score_verplicht: true
        themas:
          - id: "1"
            titel: Thema
            beslisregel: {{type: drempel, drempel: {drempel}}}
            criteria:
              - id: "1.1"
                titel: Criterium
                verwachtingen:
                  - {{id: "1.1.1", tekst: een}}
                  - {{id: "1.1.2", tekst: twee}}
        """)


def test_plugins_lists_the_package(site, run_cli) -> None:
    code, out, err = run_cli("plugins", "--format", "json")
    assert code == 0, err
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}["kw_drempel"]
    assert info["version"] == "1.0" and not info["builtin"] and info["error"] is None
    assert {"rule type drempel", "format tsv", "kaders kaders"} <= set(info["registered"])
    code, out, _ = run_cli("list", "--format", "json")
    assert [k["id"] for k in json.loads(out)["kaders"] if k["plugin"] == "kw_drempel"] == [
        "drempel-kader"]


def test_rule_type_is_validated_by_its_schema_and_checks(site, tmp_path, run_cli) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(kader(1).replace("drempel: 1}", "drempel: veel}"), encoding="utf-8")
    te_hoog = tmp_path / "hoog.yaml"
    te_hoog.write_text(kader(60), encoding="utf-8")
    before = bad.read_bytes()
    for path in (bad, te_hoog):
        code, out, err = run_cli("validate", path)
        assert code == 1
        assert f"{path}:10:" in err, err
        assert "internal error" not in out + err
    assert "more than a criterium has" in run_cli("validate", te_hoog)[2]
    assert bad.read_bytes() == before


def test_kader_is_proven_rendered_and_assessed(site, scores, tmp_path, run_cli) -> None:
    code, out, err = run_cli("check", "drempel-kader")
    assert code == 0, out + err
    code, out, err = run_cli("render", "drempel-kader", "--format", "markdown")
    assert code == 0 and "genoeg voldoende" in out
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "tsv")
    assert code == 0, err
    assert out.splitlines() == ["organisatie\toordelen", "A\t1", "B\t1"]
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "json")
    oordelen = {o["naam"]: o["criteria"]["1.1"]["oordeel"]
                for o in json.loads(out)["organisaties"]}
    assert code == 0 and oordelen == {"A": "goed", "B": "slecht"}


def test_rule_type_fields_are_diffed(site, tmp_path, run_cli) -> None:
    nieuw = tmp_path / "2.yaml"
    nieuw.write_text(kader(2, versie="2"), encoding="utf-8")
    code, out, err = run_cli("diff", "drempel-kader@1", nieuw, "--format", "json")
    assert code == 0, err
    regels = json.loads(out)["structuur"]["beslisregels"]
    velden = [w["veld"] for r in regels for w in r["wijzigingen"]]
    assert "drempel" in velden


def test_failing_rule_names_the_plugin_and_keeps_other_results(site, tmp_path,
                                                               run_cli) -> None:
    kapot = tmp_path / "kapot.yaml"
    kapot.write_text(kader(0, kid="kapot-kader"), encoding="utf-8")
    report = tmp_path / "check.xml"
    code, out, err = run_cli("check", kapot, "drempel-kader", "veilig-thuis-stap-1",
                             "--format", "json", "--report", "junit", "--report-file", report)
    assert code == 4, err
    data = json.loads(out)
    assert [k["kader"] for k in data["kaders"]] == ["drempel-kader@1", "veilig-thuis-stap-1@2015"]
    fout = data["fouten"][0]["problemen"][0]
    assert fout["message"].startswith(
        "criterium 1.1: plugin kw_drempel failed in beslis: ZeroDivisionError")
    assert fout["file"] == str(kapot) and fout["line"] == 12  # the criterium, in the kader file
    assert "internal error" not in err
    xml = report.read_text(encoding="utf-8")
    assert "kw_drempel failed in beslis" in xml and "veilig-thuis-stap-1" in xml


def test_failing_writer_names_the_plugin(site, scores, tmp_path, run_cli, monkeypatch) -> None:
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "kapot")
    assert code == 4
    assert "plugin kw_drempel failed in writer of format kapot: ValueError: geen zin" in err
    assert "Traceback" not in err
    monkeypatch.setenv("KADERWERK_DEBUG", "1")
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "kapot")
    assert code == 4 and "Traceback" in err and "write_kapot" in err


def test_collision_with_a_builtin_is_refused(site, scores, run_cli) -> None:
    install_plugin(site, "kw_botsing", BOTSING)
    forget_plugins()
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "json")
    assert code == 0
    assert json.loads(out)["kader"]["id"] == "drempel-kader"
    assert "plugin kw_botsing is broken" in err
    assert "kaderwerk.plugins.format_json" in err and "replaces=True" in err
    code, out, _ = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}
    assert info["kw_botsing"]["error"] and info["kw_botsing"]["registered"] == []
    assert info["kw_drempel"]["error"] is None


def test_declared_replacement_is_used_and_listed(site, scores, run_cli) -> None:
    install_plugin(site, "kw_vervanger", VERVANGER)
    forget_plugins()
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "json")
    assert code == 0 and out == "LaTeX" and "broken" not in err
    code, out, _ = run_cli("list")
    assert "kw_vervanger vervangt format json of kaderwerk.plugins.format_json" in " ".join(
        out.split())


def test_plugin_can_be_disabled(site, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("KADERWERK_DISABLE_PLUGINS", "kw_drempel")
    forget_plugins()
    code, out, _ = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}["kw_drempel"]
    assert code == 0 and info["disabled"] and info["registered"] == []
    code, out, err = run_cli("show", "drempel-kader")
    assert code == 1 and "no kader 'drempel-kader'" in err


def test_kader_registered_twice_is_refused(site, run_cli) -> None:
    install_plugin(site, "kw_dubbel", '''
from importlib import resources
from kaderwerk.api import hookimpl

@hookimpl
def register_kaders(register):
    register(resources.files("kaderwerk.kaders") / "veilig-thuis-stap-1")
''')
    forget_plugins()
    code, out, err = run_cli("list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [k["plugin"] for k in data["kaders"] if k["id"] == "veilig-thuis-stap-1"] == [
        "kaderwerk.plugins.veilig_thuis"]
    assert "veilig-thuis-stap-1@2015" in data["kapot"]["kw_dubbel"]
    assert "kaderwerk.plugins.veilig_thuis" in data["kapot"]["kw_dubbel"]
    assert "plugin kw_dubbel is broken" in err


def test_the_examples_in_plugins_md_work(tmp_path) -> None:
    """The rule type, reader and format of docs/plugins.md, loaded as one plugin, work."""
    import re
    import types

    from kaderwerk.testing import plugin_registry

    from .conftest import ROOT

    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    code = [b for b in blocks if "class DrempelRegel" in b or "def read_tsv" in b
            or "def write_tsv" in b]
    assert len(code) == 3
    module = types.ModuleType("docs_voorbeeld")
    for block in code:
        exec(compile(block, "docs/plugins.md", "exec"), module.__dict__)
    reg = plugin_registry(module)
    assert {"drempel", "aantal"} <= set(reg.beslisregels) and ".tsv" in reg.readers
    assert not any("kaderwerk.domain" in b for b in blocks)  # examples use the public API
    assert "zonder_beoordeling" in reg.beslisregels["drempel"].SCHEMA["properties"]
    kader = catalog().get("veilig-thuis-stap-1")
    tsv = tmp_path / "s.tsv"
    tsv.write_text("organisatie\t1.1.1\nA\tvoldoende\n", encoding="utf-8")
    with pytest.raises(InvoerError, match=r"1\.1\.2"):  # the table rules apply: ids are missing
        reg.readers[".tsv"].read(tsv, kader, DEFAULT_OPTIES)
    uitkomst = {"criteria": [{"id": "1.1"}], "landelijk_beeld": {"rangorde": []},
                "organisaties": [{"naam": "A", "criteria": {"1.1": {"oordeel": "matig"}}}]}
    assert reg.formats["tsv"].write(uitkomst) == b"organisatie\t1.1\nA\tmatig\n"


def test_failing_writer_leaves_the_other_formats_written(site, scores, tmp_path,
                                                         run_cli) -> None:
    out_dir = tmp_path / "uit"
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "kapot",
                           "--format", "tsv", "--format", "json", "-o", out_dir)
    assert code == 4 and "plugin kw_drempel failed in writer" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["drempel-kader-1.json",
                                                        "drempel-kader-1.tsv"]
