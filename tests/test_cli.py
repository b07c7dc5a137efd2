"""The command line: exit codes, JSON output, clean messages, fast start."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys

import pytest

from .conftest import DATA, ROOT


def test_list_names_the_kaders(run_cli) -> None:
    """``list --format json`` names every bundled kader with its versie and datasets."""
    code, out, _ = run_cli("list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    ids = {k["id"] for k in data["kaders"]}
    assert "veilig-thuis-stap-1" in ids
    stap1 = next(k for k in data["kaders"] if k["id"] == "veilig-thuis-stap-1")
    assert stap1["versie"] == "2015" and stap1["datasets"] == ["2015"] and stap1["fout"] is None
    assert data["kapot"] == {}


def test_show_json_has_the_whole_tree(run_cli) -> None:
    """``show --format json`` gives 3 thema's, 7 criteria, 25 verwachtingen with texts."""
    code, out, _ = run_cli("show", "veilig-thuis-stap-1", "--format", "json")
    assert code == 0
    k = json.loads(out)
    assert (k["id"], k["versie"]) == ("veilig-thuis-stap-1", "2015")
    crit = [c for t in k["themas"] for c in t["criteria"]]
    ver = [v for c in crit for v in c["verwachtingen"]]
    assert (len(k["themas"]), len(crit), len(ver)) == (3, 7, 25)
    assert ver[0] == ver[0] | {"id": "1.1.1", "beoordeeld": True}
    assert ver[0]["tekst"].startswith("Veilig Thuis toont aan dat zij voldoet")
    assert k["bron"]["volledig"] is True and ver[0]["bron"]["sectie"].startswith("Bijlage 2")


def test_show_text_is_a_tree(run_cli) -> None:
    """``show`` prints thema's, criteria and verwachtingen readably."""
    code, out, _ = run_cli("show", "veilig-thuis-stap-1@2015")
    assert code == 0
    assert "1 Randvoorwaarden" in out and "3.1.1" in out and "niet beoordeeld" in out


def test_validate_bundled_kaders(run_cli) -> None:
    """``validate kaders`` accepts every bundled kader and dataset."""
    code, out, err = run_cli("validate", str(ROOT / "kaders"))
    assert code == 0, out + err
    assert "13 of 13 files valid" in out or " files valid" in out


def test_validate_broken_gives_exit_1_and_location(run_cli) -> None:
    """A broken file gives exit 1 and FILE:LINE:COL: message on stderr, no traceback."""
    path = DATA / "broken" / "unknown_key.yaml"
    code, _, err = run_cli("validate", str(path))
    assert code == 1
    assert f"{path}:16:13: unknown key 'gewicht'" in err
    assert "Traceback" not in err


def test_validate_json(run_cli) -> None:
    """``validate --format json`` lists problems with file, line and column."""
    code, out, _ = run_cli("validate", str(DATA / "broken" / "duplicate_id.yaml"), "--format",
                           "json")
    assert code == 1
    data = json.loads(out)
    p = data["bestanden"][0]["problemen"][0]
    assert (p["regel"], p["kolom"]) == (15, 18) and "duplicate id" in p["melding"]


def test_unknown_kader_is_exit_1(run_cli) -> None:
    """Asking for a kader that is not installed names the installed ones."""
    code, _, err = run_cli("show", "bestaat-niet")
    assert code == 1
    assert "no kader 'bestaat-niet'" in err and "veilig-thuis-stap-1" in err


def test_unknown_versie_is_exit_1(run_cli) -> None:
    """Asking for a versie that does not exist lists the versies there are."""
    code, _, err = run_cli("show", "veilig-thuis-stap-1@1999")
    assert code == 1 and "installed versies: 2015" in err


def test_usage_errors_exit_2(run_cli) -> None:
    """Unknown options, missing arguments and bad --sizes are usage errors (exit 2)."""
    assert run_cli("show")[0] == 2
    assert run_cli("list", "--nope")[0] == 2
    assert run_cli("check", "veilig-thuis-stap-1", "--sizes", "9-2")[0] == 2
    assert run_cli("bestaat-niet")[0] == 2


def test_validate_missing_path_is_invalid_input(run_cli) -> None:
    """A path that does not exist is invalid input, exit 1, as in every command."""
    code, _, err = run_cli("validate", "/nonexistent/k.yaml")
    assert code == 1 and "no such file" in err


def test_check_json(run_cli) -> None:
    """``check --format json`` reports ok and, with --sizes, the breaking sizes per criterium."""
    code, out, _ = run_cli("check", "veilig-thuis-stap-1", "--sizes", "1-6", "--format", "json")
    assert code == 0
    data = json.loads(out)["kaders"][0]
    assert data["ok"] is True
    assert data["groottes"]["1.1"]["niet_uitputtend"] == [2, 3, 6]


def test_help_imports_nothing_heavy() -> None:
    """``kaderwerk --help`` does not import jsonschema, yaml, openpyxl or rich."""
    code = ("import sys; from kaderwerk.commands.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('jsonschema', 'yaml', 'openpyxl', 'rich', 'pluggy', 'z3') "
            "if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "HEAVY []" in out


def test_console_script_runs() -> None:
    """The installed ``kaderwerk`` script runs (exit 0 for --version)."""
    out = subprocess.run([sys.executable, "-m", "kaderwerk", "--version"],
                         capture_output=True, text=True)
    from kaderwerk import __version__

    assert out.returncode == 0 and __version__ in out.stdout


LANG = "a" * 300  # longer than a file name may be (255 bytes): the system refuses the path


@pytest.mark.parametrize("args", [
    ["show", LANG], ["check", LANG], ["validate", LANG], ["render", LANG], ["test", LANG],
    ["diff", LANG, LANG], ["assess", "veilig-thuis-stap-1", LANG],
    ["assess", "veilig-thuis-stap-1", "2015", "--format", "json", "-o", LANG + ".json"],
])
def test_a_path_the_system_refuses_is_a_clear_error(run_cli, args: list[str]) -> None:
    """Exit 1 naming the (shortened) path and the system's reason, never 'internal error'."""
    code, _, err = run_cli(*args)
    assert code == 1, err
    assert os.strerror(errno.ENAMETOOLONG) in err and "a" * 38 + "..." in err
    assert "internal error" not in err and "Traceback" not in err
