"""A rule a plugin's ``from_mapping`` builds is held to what a builtin rule is held to (a known
hit policy, texts that are texts, oordelen on the kader's oordeelschaal), and a plugin rule's
failure at run time is located at its beslisregel (``FILE:LINE:COL``) in every command, exit 4,
naming the plugin and the hook."""

from __future__ import annotations

import pytest

from .conftest import forget_plugins, install_plugin

REGEL = '''
from kaderwerk.api import Beslissing, Clausule, hookimpl
import kw_drempel


class Regel(kw_drempel.DrempelRegel):
    type = "raar"
    SCHEMA = dict(kw_drempel.DrempelRegel.SCHEMA,
                  properties=dict(kw_drempel.DrempelRegel.SCHEMA["properties"],
                                  type={"const": "raar"}))

    @classmethod
    def from_mapping(cls, data, schaal, bron):
        regel = super().from_mapping(data, schaal, bron)
        AANPASSING
        return regel


@hookimpl
def register_beslisregels(register):
    register("raar", Regel)
'''


def _kader(site, tmp_path, aanpassing: str):
    from .test_plugin_package import kader

    install_plugin(site, "kw_raar", REGEL.replace("AANPASSING", aanpassing))
    forget_plugins()
    pad = tmp_path / "raar.yaml"
    pad.write_text(kader(1, kid="raar-kader").replace("type: drempel", "type: raar"),
                   encoding="utf-8")
    return pad


@pytest.mark.parametrize(("aanpassing", "fout"), [
    ('regel.hit = "willekeurig"', "hit is 'willekeurig', not a hit policy"),
    ('regel.clausules = (Clausule("goed", 12345), regel.clausules[1])', "clause 1's tekst"),
    ('regel.clausules = (Clausule("super", "x"), regel.clausules[1])',
     "clause 1: oordeel 'super' is not on the oordeelschaal"),
    ('regel.zonder_beoordeling = "matig"', "zonder_beoordeling: oordeel 'matig'"),
    ('regel.tekst = ""', "the rule's tekst is empty"),
    ('del regel.hit', "it has no hit")])
def test_a_plugin_rule_is_checked_as_a_builtin_rule(aanpassing, fout, site, scores, tmp_path,
                                                     run_cli) -> None:
    pad = _kader(site, tmp_path, aanpassing)
    for commando in (("validate", pad), ("check", pad), ("assess", pad, scores),
                     ("render", pad), ("show", pad)):
        code, _, err = run_cli(*commando)
        assert code == 4, (commando, err)
        assert f"{pad}:10:" in err, (commando, err)  # the beslisregel's line
        assert "plugin kw_raar failed in from_mapping" in err and fout in err, (commando, err)
        assert "Traceback" not in err and "internal error" not in err


def test_a_healthy_plugin_rule_passes(site, scores, tmp_path, run_cli) -> None:
    pad = _kader(site, tmp_path, "pass")
    code, _, err = run_cli("assess", pad, scores)
    assert code == 0, err


FAALT = REGEL.replace("        AANPASSING\n", "").replace("@hookimpl", '''def _stuk(self, *args):
    raise ValueError("stuk")


HOOK = _stuk


@hookimpl''', 1)


@pytest.mark.parametrize(("hook", "commando"), [
    ("beslis", "assess"), ("beschrijving", "render"), ("to_dict", "render"),
    ("beschrijving", "show")])
def test_a_run_time_failure_is_located_at_the_criterium(hook, commando, site, scores, tmp_path,
                                                        run_cli) -> None:
    from .test_plugin_package import kader

    install_plugin(site, "kw_raar", FAALT.replace("HOOK = _stuk", f"Regel.{hook} = _stuk"))
    forget_plugins()
    pad = tmp_path / "raar.yaml"
    pad.write_text(kader(1, kid="raar-kader").replace("type: drempel", "type: raar"),
                   encoding="utf-8")
    args = (pad, scores) if commando == "assess" else (pad,)
    code, _, err = run_cli(commando, *args)
    assert code == 4, err
    regel = next(r for r in err.splitlines() if "plugin kw_raar" in r)
    assert regel.startswith(f"{pad}:") and "criterium 1.1: " in regel, err
    assert f"plugin kw_raar failed in {hook}: ValueError: stuk" in regel, err
    assert "Traceback" not in err and "internal error" not in err
