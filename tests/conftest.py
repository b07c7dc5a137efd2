"""Shared fixtures: the hypothesis profiles, an in-process CLI runner, test data paths and an
xlsx writer for readers' tests."""

from __future__ import annotations

import io
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
