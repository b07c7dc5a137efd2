"""Shared fixtures: the hypothesis profiles, an in-process CLI runner, test data paths, an xlsx
writer for readers' tests and plugin packages installed into a site folder on ``sys.path``."""

from __future__ import annotations

import io
import sys
from inspect import signature
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from kaderwerk.testing import register_profiles

register_profiles()

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def workbook(rows: list[list[Any]]) -> bytes:
    """An xlsx file (its bytes) with ``rows`` on its one sheet, as openpyxl writes it."""
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# click < 8.2 mixes stderr into stdout unless told not to; 8.2 removed the option.
_SEPARATE = {"mix_stderr": False} if "mix_stderr" in signature(CliRunner).parameters else {}


def cli_in_process(*args: str) -> tuple[int, bytes, bytes]:
    """``kaderwerk ARGS`` through ``main`` in this process: exit code, stdout and stderr bytes
    (stdout may be a binary report)."""
    from kaderwerk.commands.cli import main

    with CliRunner(**_SEPARATE).isolation() as streams:
        out, err = streams[0], streams[1]
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def run_cli():
    """Run ``kaderwerk ARGS`` in-process through ``main``: returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code, out, err = cli_in_process(*args)
        return code, out.decode(), err.decode()

    return run


def install_plugin(site: Path, name: str, source: str, version: str = "1.0",
                   package: str | None = None) -> None:
    """Install module ``name`` into ``site`` as pip would: a package and a dist-info whose
    ``kaderwerk`` entry point names it; ``package``: the distribution's name, else ``name``."""
    pkg = site / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(source, encoding="utf-8")
    info = site / f"{(package or name).replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package or name}\n"
                                   f"Version: {version}\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[kaderwerk]\n{name} = {name}\n", encoding="utf-8")


def forget_plugins() -> None:
    """Forget every test plugin: its modules, the registry, the catalog and its commands."""
    from kaderwerk.commands.cli import cli
    from kaderwerk.sources import manager
    from kaderwerk.sources.catalog import catalog

    for name in [m for m in sys.modules if m.startswith("kw_")]:
        del sys.modules[name]
    manager.reset()
    catalog.cache_clear()
    cli._loaded = False  # type: ignore[attr-defined]
    for name in [n for n in cli.commands if cli.commands[n].callback is not None
                 and cli.commands[n].callback.__module__.startswith("kw_")]:
        del cli.commands[name]


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A site folder on sys.path holding kw_drempel (``test_plugin_package``), installed with
    its kader folder, as pip installs a plugin package; add others with ``install_plugin``."""
    from .test_plugin_package import PLUGIN, kader

    site = tmp_path / "site"
    install_plugin(site, "kw_drempel", PLUGIN)
    (site / "kw_drempel" / "kaders").mkdir()
    (site / "kw_drempel" / "kaders" / "1.yaml").write_text(kader(1), encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    forget_plugins()
    yield site
    forget_plugins()


@pytest.fixture
def scores(tmp_path) -> Path:
    p = tmp_path / "scores.csv"
    p.write_text("organisatie,1.1.1,1.1.2\nA,voldoende,onvoldoende\nB,onvoldoende,onvoldoende\n",
                 encoding="utf-8")
    return p


@pytest.fixture(autouse=True)
def _signal_handlers_put_back():
    """Plugin code run outside a command (not through ``main``) leaves the guard's signal
    handlers installed; put them back so each test starts with the process's own."""
    yield
    manager = sys.modules.get("kaderwerk.sources.manager")
    if manager is not None:
        manager.melders_weg()
