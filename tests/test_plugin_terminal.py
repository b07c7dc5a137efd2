"""A plugin writer's output on a terminal: binary output (bytes or a binary suffix) is refused,
control characters in text are made visible; a pipe or a file gets the bytes unchanged."""

from __future__ import annotations

import pytest
from kaderwerk.commands import assess

from .conftest import cli_in_process, forget_plugins, install_plugin

ONRUST = '''
from kaderwerk.api import hookimpl

@hookimpl
def register_formats(register):
    register("titel", lambda uitkomst: b"ok\\x1b]0;PWNED\\x07\\x1b[2J\\r\\n", ".txt")
    register("nepxlsx", lambda uitkomst: b"gewoon tekst", ".xlsx")
'''


@pytest.fixture
def onrust(site):
    install_plugin(site, "kw_titel", ONRUST)
    forget_plugins()
    return site


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr(assess, "_stdout_is_terminal", lambda: True)


def test_control_characters_of_a_writer_are_visible_on_a_terminal(onrust, terminal,
                                                                   scores) -> None:
    code, out, err = cli_in_process("assess", "drempel-kader", scores, "--format", "titel")
    assert code == 0, err
    assert b"\x1b" not in out and b"\x07" not in out
    assert out == b"ok\\u001b]0;PWNED\\u0007\\u001b[2J\r\n"


def test_a_pipe_gets_the_writers_bytes_unchanged(onrust, scores) -> None:
    code, out, err = cli_in_process("assess", "drempel-kader", scores, "--format", "titel")
    assert code == 0, err
    assert out == b"ok\x1b]0;PWNED\x07\x1b[2J\r\n"


def test_a_writer_with_a_binary_suffix_is_refused_on_a_terminal(onrust, terminal,
                                                               scores) -> None:
    code, out, err = cli_in_process("assess", "drempel-kader", scores, "--format", "nepxlsx")
    assert code == 2 and out == b"" and b"Traceback" not in err
    assert b"nepxlsx is binary" in err


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "html", "tsv"])
def test_builtin_formats_are_unchanged_on_a_terminal(fmt, site, scores, monkeypatch) -> None:
    gewoon = cli_in_process("assess", "drempel-kader", scores, "--format", fmt)
    monkeypatch.setattr(assess, "_stdout_is_terminal", lambda: True)
    op_terminal = cli_in_process("assess", "drempel-kader", scores, "--format", fmt)
    assert gewoon[0] == 0 and op_terminal[:2] == gewoon[:2]
