"""What plugin code raises or swallows is the plugin's: a ``KaderError`` or ``InvoerError``
raised by a rule's code is that plugin's failure (exit 4, located, the other files still
processed), and a Ctrl-C its code swallows still stops kaderwerk (exit 130)."""

from __future__ import annotations

import json
import signal

from .conftest import forget_plugins, install_plugin

REGEL = '''
import signal
from kaderwerk.api import InvoerError, KaderError, hookimpl
import kw_drempel


class Regel(kw_drempel.DrempelRegel):
    type = "raar"
    SCHEMA = dict(kw_drempel.DrempelRegel.SCHEMA,
                  properties=dict(kw_drempel.DrempelRegel.SCHEMA["properties"],
                                  type={"const": "raar"}))
CODE


@hookimpl
def register_beslisregels(register):
    register("raar", Regel)
'''

CONTROLEER = '''
    @classmethod
    def controleer(cls, data, schaal):
        raise KaderError("eigen fout")
'''

BESLIS = '''
    def beslis(self, invoer):
        raise InvoerError.at("eigen invoerfout", "ergens.csv", 3)
'''

SLIKT = '''
    def beslis(self, invoer):
        try:
            signal.raise_signal(signal.SIGINT)
        except:  # noqa: E722 - what a careless plugin does
            pass
        return super().beslis(invoer)
'''


def _kaders(site, tmp_path, code: str):
    from .test_plugin_package import kader

    install_plugin(site, "kw_raar", REGEL.replace("CODE", code))
    forget_plugins()
    map_ = tmp_path / "kaders"
    map_.mkdir()
    (map_ / "heel.yaml").write_text(kader(1, kid="heel-kader"), encoding="utf-8")
    raar = map_ / "raar.yaml"
    raar.write_text(kader(1, kid="raar-kader").replace("type: drempel", "type: raar"),
                    encoding="utf-8")
    return map_, raar


def test_a_kader_error_raised_by_a_rule_is_the_plugins_failure(site, tmp_path,
                                                               run_cli) -> None:
    map_, raar = _kaders(site, tmp_path, CONTROLEER)
    heel = map_ / "heel.yaml"
    code, out, err = run_cli("validate", heel, raar)
    assert code == 4, out + err
    assert f"{raar}:10:" in err and "plugin kw_raar failed in controleer: KaderError" in err
    assert "heel.yaml" in out and "Traceback" not in out + err
    code, out, err = run_cli("validate", heel, raar, "--format", "json")
    assert code == 4 and len(json.loads(out)) >= 2, out + err
    report = tmp_path / "v.xml"
    code, out, err = run_cli("validate", heel, raar, "--report", "junit",
                             "--report-file", report)
    xml = report.read_text(encoding="utf-8")
    assert code == 4 and "heel.yaml" in xml and "raar.yaml" in xml and "kw_raar" in xml


def test_an_invoer_error_raised_by_beslis_is_the_plugins_failure(site, tmp_path, scores,
                                                                 run_cli) -> None:
    _, raar = _kaders(site, tmp_path, BESLIS)
    code, out, err = run_cli("assess", raar, scores)
    assert code == 4, out + err
    assert "plugin kw_raar failed in beslis: InvoerError" in err and "Traceback" not in err


def test_a_ctrl_c_swallowed_by_plugin_code_still_stops_kaderwerk(site, tmp_path, scores,
                                                                  run_cli) -> None:
    _, raar = _kaders(site, tmp_path, SLIKT)
    voor = signal.getsignal(signal.SIGINT)
    code, out, err = run_cli("assess", raar, scores, "--format", "json")
    assert code == 130, out + err
    assert "Traceback" not in err and out == ""
    assert signal.getsignal(signal.SIGINT) is voor  # the guard's handler ends with the command


def test_a_malformed_entry_point_value_is_named(site, run_cli) -> None:
    install_plugin(site, "kw_boos", "")
    (site / "kw_boos-1.0.dist-info" / "entry_points.txt").write_text(
        '[kaderwerk]\nkw_boos = "kw_boos"\n', encoding="utf-8")
    forget_plugins()
    _, out, err = run_cli("plugins")
    assert "entry point value" in out + err and "'module:attr'" in out + err, out + err
    assert "AttributeError" not in out + err and "Traceback" not in out + err
