"""The output side of hostile use, at the terminal: stdout closed or broken, any encoding, COLUMNS.

Split from tests/test_hostile_output.py (which holds the helpers): these cases depend on the
process's file descriptors and environment, so each runs the CLI as a real process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_hostile_output import HANG, KADER, KADERWERK, SCORES, clean, kaderwerk


@pytest.fixture
def werk(tmp_path: Path) -> Path:
    """A folder with a copy of the Stap 1 kader (k.yaml) and its 2015 scores (s.csv)."""
    shutil.copy(KADER, tmp_path / "k.yaml")
    shutil.copy(SCORES, tmp_path / "s.csv")
    return tmp_path


# -- 1. a closed or broken stdout: exit 1, one line on stderr ------------------------------

STDOUT_COMMANDS = [
    ["show", "veilig-thuis-stap-1"],
    ["show", "veilig-thuis-stap-1", "--format", "json"],
    ["list"],
    ["assess", "k.yaml", "s.csv"],
    *[["assess", "k.yaml", "s.csv", "--format", f] for f in
      ("json", "csv", "markdown", "html", "xlsx")],
    ["render", "k.yaml", "--format", "html"],
    ["validate", "k.yaml"],
    ["check", "k.yaml", "--format", "json"],
    ["diff", "k.yaml", "k.yaml"],
    ["test", "k.yaml"],
]


FORKED = """
import json, os, sys, tempfile
from kaderwerk.commands.cli import main
from kaderwerk.sources.catalog import catalog
list(catalog().all())  # import and load once; each command then runs in a forked child
results = []
for how, args in json.loads(sys.argv[1]):
    err = tempfile.TemporaryFile()
    if how == "broken":
        r, w = os.pipe()
        os.close(r)
    pid = os.fork()
    if pid == 0:
        os.dup2(err.fileno(), 2)
        if how == "closed":
            os.close(1)
        else:
            os.dup2(w, 1)
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code
        os._exit(code)
    if how == "broken":
        os.close(w)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    err.seek(0)
    results.append([how, args, code, err.read().decode("utf-8", "replace")])
print(json.dumps(results))
"""


def test_stdout_that_cannot_be_written(werk: Path) -> None:
    """`>&-`: exit 1 and the same single line, every command. A reader that has gone
    (`| head -1`): silent, exit 141 as a program SIGPIPE stopped; never a silent 0.

    Real processes: one interpreter forks a child per case, which closes fd 1 or points it at
    a pipe whose reader is gone, then runs the CLI.
    """
    cases = [[how, args] for args in STDOUT_COMMANDS for how in ("closed", "broken")]
    r = subprocess.run([sys.executable, "-c", FORKED, json.dumps(cases)], cwd=werk,
                       capture_output=True, timeout=HANG * 3)
    assert r.returncode == 0, r.stderr
    results = json.loads(r.stdout)
    assert len(results) == len(cases)
    line = ("error: cannot write to standard output (it is closed, or its reader stopped "
            "reading); the output is incomplete")
    verwacht = {"closed": (1, [line]), "broken": (141, [])}
    wrong = [(how, " ".join(args), code, err) for how, args, code, err in results
             if (code, err.splitlines()) != verwacht[how]]
    assert not wrong


def test_closed_stdout_as_the_shell_does_it(werk: Path) -> None:
    """The issue's reproduction, `show ... >&-`, as a plain process: exit 1, one line."""
    r = kaderwerk("show", "veilig-thuis-stap-1", cwd=werk, stdout=None,
                  preexec_fn=lambda: os.close(1))
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith(b"error: cannot write to standard output")


# -- 3. any output encoding, any COLUMNS ---------------------------------------------------

ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "C locale": {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
                 "PYTHONIOENCODING": ""},
}


ENCODED_COMMANDS = [
    ("ascii", ["show", "veilig-thuis-stap-1"]),
    ("C locale", ["show", "veilig-thuis-stap-1"]),
    ("latin-1", ["show", "veilig-thuis-stap-1"]),
    ("ascii", ["show", "veilig-thuis-stap-1", "--format", "json"]),
    ("ascii", ["assess", "k.yaml", "s.csv"]),
    ("C locale", ["list"]),
    ("ascii", ["diff", "k.yaml", "k2.yaml"]),
    ("C locale", ["check", "k2.yaml"]),
]


@pytest.mark.parametrize(("encoding", "args"), ENCODED_COMMANDS,
                         ids=[f"{e}: {' '.join(a)}" for e, a in ENCODED_COMMANDS])
def test_output_encoding_that_cannot_hold_the_text(werk: Path, encoding: str,
                                                   args: list[str]) -> None:
    """'één', '€' and '—' are escaped or written, never a crash: exit 0, the text is there."""
    text = (werk / "k.yaml").read_text(encoding="utf-8")
    (werk / "k2.yaml").write_text(text.replace("één registratiesysteem", "€ — één systeem"),
                                  encoding="utf-8")
    r = kaderwerk(*args, cwd=werk, env=ENCODINGS[encoding])
    assert r.returncode == 0, r.stderr
    clean(r.stderr)
    assert len(r.stdout) > 50
    if args[0] in ("show", "diff"):
        assert any(e in r.stdout for e in (b"\\xe9\\xe9n", b"\\u00e9\\u00e9n", "één".encode(),
                                           "één".encode("latin-1")))


@pytest.mark.parametrize("env", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_error_message_in_any_encoding(werk: Path, env: dict[str, str]) -> None:
    """A message quoting a non-ASCII path is escaped on stderr, exit 1 as always."""
    r = kaderwerk("show", werk / "één—€.yaml", env=env)
    assert r.returncode == 1 and b"no such file" in r.stderr
    clean(r.stderr)


@pytest.mark.parametrize("columns", ["0", "1", "-5", "abc", "", "99999999999"])
def test_columns_that_make_no_sense_fall_back_to_80(columns: str) -> None:
    """COLUMNS of 0, 1 or garbage: the whole tree at 80 columns, not nothing."""
    r = kaderwerk("show", "veilig-thuis-stap-1", env={"COLUMNS": columns})
    lines = r.stdout.decode().splitlines()
    assert r.returncode == 0 and len(lines) > 50 and b"1.3.4" in r.stdout
    assert max(map(len, lines)) == 80


def test_sane_columns_are_honoured() -> None:
    r = kaderwerk("show", "veilig-thuis-stap-1", env={"COLUMNS": "120"})
    assert r.returncode == 0 and max(map(len, r.stdout.decode().splitlines())) == 120


# -- 2. a raw stdout (PYTHONUNBUFFERED=1) that takes only part of the output -----------------

UNBUFFERED = {"PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def groot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 organisations: every format of the report is larger than a pipe's buffer."""
    folder = tmp_path_factory.mktemp("groot")
    header, *rows = SCORES.read_text(encoding="utf-8").splitlines()
    lines = [header] + [f"org{i}," + rows[i % len(rows)].split(",", 1)[1] for i in range(3000)]
    (folder / "s.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(KADER, folder / "k.yaml")
    return folder


@pytest.mark.parametrize("output", [[], ["-o", "-"], ["-o", "/dev/stdout"]])
def test_unbuffered_stdout_whose_reader_stops_is_an_error(groot: Path, output: list[str]
                                                          ) -> None:
    """`PYTHONUNBUFFERED=1 kaderwerk assess ... | head -c1`: silent, exit 141 (SIGPIPE)."""
    p = subprocess.Popen([*KADERWERK, "assess", "k.yaml", "s.csv", "--format", "csv", *output],
                         cwd=groot, env={**os.environ, **UNBUFFERED}, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.read(1)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=HANG) == 141, err
    assert err == ""


@pytest.mark.parametrize("args", [["assess", "k.yaml", "s.csv", "--format", f]
                                  for f in ("csv", "json", "html", "markdown")]
                         + [["render", "k.yaml", "--format", "html"]])
def test_unbuffered_stdout_to_a_full_file_is_an_error(groot: Path, args: list[str]) -> None:
    """`> file` on a disk that fills (a file size limit of 4 KB): exit 1, no traceback."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    with open(groot / "uit", "wb") as fh:
        r = subprocess.run([*KADERWERK, *args], cwd=groot, env={**os.environ, **UNBUFFERED},
                           stdout=fh, stderr=subprocess.PIPE, preexec_fn=limit, timeout=HANG)
    assert r.returncode == 1, r.stderr
    assert r.stderr.decode().startswith("error:")
    clean(r.stderr)
