"""Each problem is reported once per command, where discovery and loading meet: a kader whose
versie disagrees with its file name is found by ``validate``/``test`` as a kader file and again
through the voorbeelden file that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("command", ["validate", "test"])
def test_a_versie_name_mismatch_is_reported_once(tmp_path: Path, monkeypatch, run_cli,
                                                 command: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("init")[0] == 0
    assert run_cli("new", "kader", "k")[0] == 0
    kader = tmp_path / "kaders" / "k" / "1.yaml"
    kader.write_text(kader.read_text().replace('versie: "1"', 'versie: "2"'))
    code, out, err = run_cli(command)
    assert code == 1 and "Traceback" not in err
    regels = [r for r in (out + err).splitlines() if "disagrees with the file name" in r]
    assert len(regels) == 1 and regels[0].startswith("kaders/k/1.yaml:3:9: "), out + err
    assert "kaders/k/1.yaml:3:9" in err.split("cannot be used")[1]  # the citation names it
