"""Plugin code that damages the process kaderwerk runs in is undone and named, beyond the
working folder and environment (``test_plugin_guard``): closed standard streams, an exception
or value that cannot even be shown, text that would split a message line, the recursion limit,
the ``decimal`` context, the umask and an alarm. Each test plugin is an installed package."""

from __future__ import annotations

import decimal
import json
import os
import signal
import sys

from kaderwerk.domain.afwijkingen import decimalen
from kaderwerk.domain.tekst import een_regel

from .conftest import forget_plugins, install_plugin

SLUITER = '''
import sys
from kaderwerk.api import hookimpl

sys.stdout.close()

def write(uitkomst):
    print("uit de writer")
    sys.stdout.close()
    sys.stderr.close()
    return b"dicht"

@hookimpl
def register_formats(register):
    sys.stderr.buffer.close()
    register("dicht", write, ".dicht")
'''


def test_plugin_closing_the_standard_streams_loses_no_output(site, scores, tmp_path,
                                                             run_cli) -> None:
    """Closing sys.stdout, sys.stderr or a buffer in plugin code closes nothing of kaderwerk:
    the JSON uitkomst and every warning arrive, the plugin named for each hook."""
    install_plugin(site, "kw_sluiter", SLUITER)
    forget_plugins()
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "json",
                             "--format", "dicht", "-o", tmp_path / "uit")
    assert code == 0, err
    assert (tmp_path / "uit" / "drempel-kader-1.dicht").read_bytes() == b"dicht"
    lines = [line for line in err.splitlines() if "kw_sluiter" in line]
    assert [w for line in lines for w in ("import", "register_formats", "writer")
            if f"in {w};" in line] == ["import", "register_formats", "writer"], err
    assert all("closed" in line for line in lines) and "uit de writer" in err
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "json")
    assert code == 0 and json.loads(out)["kader"]["id"] == "drempel-kader"
    assert "Traceback" not in err


ONTOONBAAR = '''
from kaderwerk.api import hookimpl

class Onzegbaar(Exception):
    def __str__(self):
        raise RuntimeError("ook stuk")
    def __repr__(self):
        raise RuntimeError("ook stuk")

def write(uitkomst):
    raise Onzegbaar()

@hookimpl
def register_formats(register):
    register("stom", write, ".stom")
    if WANNEER:
        raise Onzegbaar()
'''


def test_an_exception_that_cannot_be_shown_still_names_the_plugin(site, scores, run_cli) -> None:
    """str() and repr() of the exception raise: at load the plugin is broken (exit 0 for
    ``plugins``), at run time exit 4, named with the exception's type."""
    install_plugin(site, "kw_stom_laden", ONTOONBAAR.replace("WANNEER", "True"))
    install_plugin(site, "kw_stom_schrijven", ONTOONBAAR.replace("WANNEER", "False"))
    forget_plugins()
    code, out, err = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}
    assert code == 0 and "Onzegbaar" in info["kw_stom_laden"]["error"], err
    assert "internal error" not in err and "Traceback" not in err
    # the format of the healthy plugin of the two is used
    code, out, err = run_cli("assess", "drempel-kader", scores, "--format", "stom")
    assert code == 4, err
    assert "plugin kw_stom_schrijven failed in writer of format stom: Onzegbaar" in err
    assert "internal error" not in err and "Traceback" not in err and out == ""


MEERREGELIG = '''
from kaderwerk.api import hookimpl

@hookimpl
def register_formats(register):
    raise ValueError("eerste\\ntweede\\r\\x1b[2Jderde")
'''


def test_plugin_text_in_a_message_is_one_line(site, run_cli) -> None:
    install_plugin(site, "kw_meerregelig", MEERREGELIG)
    forget_plugins()
    code, _, err = run_cli("list", "--format", "json")
    [line] = [line for line in err.splitlines() if "kw_meerregelig" in line]
    assert code == 0 and "\x1b" not in err and len(err.splitlines()) == 1, err
    assert "ValueError: eerste tweede \\u001b[2Jderde" in line


def test_the_safe_formatter_falls_back_to_the_type_name() -> None:
    class Stuk:
        def __str__(self):
            raise ValueError

        __repr__ = __str__

    assert een_regel(Stuk()) == "<Stuk that cannot be shown>"
    assert een_regel("a\n\tb\x07", 60, als_repr=True) == "'a\\n\\tb\\x07'"
    assert een_regel("x" * 500, 10) == "xxxxxxx..."


STAAT = '''
import decimal, os, signal, sys
from kaderwerk.api import hookimpl

def verstoor():
    sys.setrecursionlimit(400)
    decimal.getcontext().prec = 1
    os.umask(0o777)
    signal.alarm(600)

verstoor()

def write(uitkomst):
    verstoor()
    return b"staat"

@hookimpl
def register_formats(register):
    verstoor()
    register("staat", write, ".staat")
'''


def test_process_state_a_plugin_changes_is_put_back(site, scores, tmp_path, run_cli) -> None:
    """Recursion limit, decimal context, umask and an alarm: put back after each hook and
    writer, each named; reports are written readable and the process is not killed."""
    install_plugin(site, "kw_staat", STAAT)
    forget_plugins()
    limiet, umask = sys.getrecursionlimit(), os.umask(0o022)
    os.umask(umask)
    context = decimal.getcontext()
    code, _, err = run_cli("assess", "drempel-kader", scores, "--format", "json",
                             "--format", "staat", "-o", tmp_path / "uit")
    assert code == 0, err
    assert sys.getrecursionlimit() == limiet and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    assert decimal.getcontext() is context and context.prec == 28
    assert os.umask(umask) == umask
    for naam in ("drempel-kader-1.json", "drempel-kader-1.staat"):
        assert (tmp_path / "uit" / naam).stat().st_mode & 0o600 == 0o600
    lines = [line for line in err.splitlines() if "kw_staat" in line]
    assert len(lines) == 3, err  # import, register_formats, writer
    assert all(w in line for line in lines for w in (
        "recursion limit", "decimal context", "umask", "alarm")), err
    assert "Traceback" not in err


def test_kaderwerk_arithmetic_ignores_the_global_decimal_context() -> None:
    with decimal.localcontext() as context:
        context.prec = 1
        assert decimalen(33.35) == 2
    with decimal.localcontext() as context:
        context.traps[decimal.Inexact] = True
        assert decimalen(0.125) == 3


def test_an_exit_function_a_plugin_registers_is_named(site, run_cli) -> None:
    """atexit cannot be undone one function at a time: the plugin is named (a known limit)."""
    install_plugin(site, "kw_exit", '''
import atexit
from kaderwerk.api import hookimpl

@hookimpl
def register_formats(register):
    atexit.register(lambda: None)
''')
    forget_plugins()
    code, _, err = run_cli("list", "--format", "json")
    [line] = [line for line in err.splitlines() if "kw_exit" in line]
    assert code == 0 and "atexit" in line and "register_formats" in line


def test_a_plugin_named_like_a_builtin_is_broken_and_names_match_in_any_case(
        site, monkeypatch, run_cli) -> None:
    """An entry point ``format_json`` is refused (disabling it would disable the builtin too);
    KADERWERK_DISABLE_PLUGINS matches in any case; the installed list starts with third-party
    names."""
    install_plugin(site, "format_json", "raise RuntimeError('never imported')")
    forget_plugins()
    code, out, err = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}
    assert code == 0 and "kaderwerk.plugins.format_json" in info["format_json"]["error"]
    assert "never imported" not in err and not info["kaderwerk.plugins.format_json"]["error"]
    monkeypatch.setenv("KADERWERK_DISABLE_PLUGINS", "KW_DREMPEL, geen_plugin")
    forget_plugins()
    code, out, err = run_cli("plugins", "--format", "json")
    info = {p["naam"]: p for p in json.loads(out)["plugins"]}
    assert code == 0 and info["kw_drempel"]["disabled"], err
    [line] = [line for line in err.splitlines() if "geen_plugin" in line]
    assert line.index("kw_drempel") < line.index("format_csv")
