"""A wheel installed alone, outside the checkout, finds its kaders and schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_lists_and_shows_bundled_kaders(tmp_path: Path) -> None:
    """Build the wheel, install it in a fresh venv, list/show/validate/check every kader."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("kaderwerk-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    # Dependencies come from this environment's site-packages, not the checkout.
    site = [p for p in sys.path if p.endswith("site-packages")]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(site)}
    outside = tmp_path / "elders"
    outside.mkdir()

    def kw(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(py), "-m", "kaderwerk", *args], cwd=outside,
                              env=env, capture_output=True, text=True)

    listed = kw("list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    ids = {k["id"] for k in data["kaders"]}
    assert {"veilig-thuis-stap-1", "veilig-thuis-stap-2", "signaleren-van-onveiligheid",
            "stelseltoezicht-volwassenen"} <= ids
    assert all(k["fout"] is None for k in data["kaders"])
    assert all("site-packages" in k["bestand"] for k in data["kaders"])
    shown = kw("show", "veilig-thuis-stap-1", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)["themas"]) == 3
    for k in ids:
        assert kw("check", k).returncode == 0, k
    assessed = kw("assess", "veilig-thuis-stap-1", "2015", "--format", "json")
    assert assessed.returncode == 0, assessed.stderr
    assert len(json.loads(assessed.stdout)["organisaties"]) == 26

    # A plugin scaffolded by `kaderwerk new plugin` installs and its hook runs.
    made = kw("new", "plugin", "tsv", "--dir", str(outside))
    assert made.returncode == 0, made.stderr
    plugin_dir = outside / "kaderwerk-tsv"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "-e", str(plugin_dir)], check=True,
                   capture_output=True, env=env)
    listed = json.loads(kw("list", "--format", "json").stdout)
    assert any("kaderwerk_tsv" in p for p in listed["plugins"]) and listed["kapot"] == {}
    tsv = kw("assess", "veilig-thuis-stap-1", "2015", "--format", "tsv")
    assert tsv.returncode == 0, tsv.stderr
    assert tsv.stdout.splitlines()[0].startswith("organisatie\taantal_voldoende\t1.1")
    assert len(tsv.stdout.splitlines()) == 27
    own_tests = subprocess.run([str(py), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                               cwd=plugin_dir, env=env, capture_output=True, text=True)
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr
