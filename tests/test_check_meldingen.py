"""What an adversarial tester found in check's edges: overlays, locations and wording.

Each refusal names FILE:LINE:COL of the thing to fix, exits 1 (2 for usage), shows no
traceback and leaves the input unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

OVERLAY = """id: ovl
versie: "1"
titel: Overlay
bron: {document: D2}
oordeelschaal: [voldoende, matig, onvoldoende]
basis: {kader: veilig-thuis-stap-1, versie: "2015"}
score_verplicht: false
aanpassingen:
  - id: "1.1.4"
    weglaten: true
"""


def _schoon(code: int, out: str, err: str) -> str:
    assert "internal error" not in out + err and "Traceback" not in out + err
    return out + err


def _regel(path: Path, tekst: str) -> int:
    return next(i for i, r in enumerate(path.read_text("utf-8").splitlines(), 1) if tekst in r)


def test_overlay_score_verplicht_replaces_the_bases(run_cli, tmp_path) -> None:
    """score_verplicht: false on an overlay of Stap 1 (which declares true) takes effect."""
    path = tmp_path / "ovl.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    code, out, err = run_cli("show", path, "--format", "json")
    assert code == 0, err
    criteria = [c for t in json.loads(out)["themas"] for c in t["criteria"]]
    assert criteria and not any(c["score_verplicht"] for c in criteria)
    # the proof now covers niet beoordeeld, which Stap 1's rules leave open
    code, out, err = run_cli("check", path)
    assert code == 1 and "niet beoordeeld" in _schoon(code, out, err)
    path.write_text(OVERLAY.replace("score_verplicht: false\n", ""), encoding="utf-8")
    code, out, err = run_cli("show", path, "--format", "json")
    assert all(c["score_verplicht"] for t in json.loads(out)["themas"] for c in t["criteria"])


def test_overlay_of_a_kader_not_installed_is_located_at_basis(run_cli, tmp_path) -> None:
    path = tmp_path / "ovl.yaml"
    path.write_text(OVERLAY.replace("veilig-thuis-stap-1", "basisk"), encoding="utf-8")
    for commando in ("check", "validate"):
        code, out, err = run_cli(commando, path)
        tekst = _schoon(code, out, err)
        assert code == 1 and f"{path}:{_regel(path, 'basis:')}:1: " in tekst, tekst
        assert "basisk" in tekst
    path.write_text(OVERLAY.replace('versie: "2015"', 'versie: "1999"'), encoding="utf-8")
    code, out, err = run_cli("check", path)
    assert code == 1 and re.search(rf"{re.escape(str(path))}:6:\d+: ", _schoon(code, out, err))
