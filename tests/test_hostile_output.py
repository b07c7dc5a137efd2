"""The output side of hostile use: nothing lost, nothing escapes, nothing hangs.

Each class of docs/robustness.md "Outputs" is run through the CLI — as a real subprocess where
file descriptors, signals or the environment matter — asserting the exit code, the message (and
its location), no traceback, no file outside the output folder and inputs byte-identical.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from kaderwerk.commands import output
from kaderwerk.domain.errors import KaderwerkError
from kaderwerk.sources.catalog import catalog

from .conftest import ROOT, cli_in_process

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1"
KADER = STAP1 / "2015.yaml"
SCORES = STAP1 / "datasets" / "2015-scores.csv"
KADERWERK = [sys.executable, "-m", "kaderwerk"]
HANG = 60  # a generous bound: these commands take about a second


def kaderwerk(*args: object, env: dict[str, str] | None = None, **kw: object
              ) -> subprocess.CompletedProcess[bytes]:
    """``kaderwerk ARGS`` as a real process."""
    full = {**os.environ, **(env or {})}
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([*KADERWERK, *map(str, args)], env=full, timeout=HANG,
                          **kw)  # type: ignore[call-overload]


def clean(err: str | bytes) -> None:
    text = err.decode("utf-8", "replace") if isinstance(err, bytes) else err
    assert "Traceback" not in text and "internal error" not in text


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder``: file bytes, or the kind of a special file."""
    found: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        key = str(p.relative_to(folder))
        if p.is_symlink():
            found[key] = "link -> " + os.readlink(p)
        elif p.is_fifo():
            found[key] = "fifo"
        elif p.is_file():
            found[key] = p.read_bytes()
        else:
            found[key] = "dir"
    return found


@pytest.fixture
def werk(tmp_path: Path) -> Path:
    """A folder with a copy of the Stap 1 kader (k.yaml) and its 2015 scores (s.csv)."""
    shutil.copy(KADER, tmp_path / "k.yaml")
    shutil.copy(SCORES, tmp_path / "s.csv")
    return tmp_path


@contextlib.contextmanager
def untouched(*files: Path) -> Iterator[None]:
    """Assert the files are byte-identical afterwards; restore one a failing run overwrote."""
    before = {f: f.read_bytes() for f in files}
    try:
        yield
    finally:
        changed = [f for f, data in before.items() if f.read_bytes() != data]
        for f in changed:
            f.write_bytes(before[f])
        assert not changed, f"inputs changed: {changed}"


# -- 1. names are path-safe: ids and versies validated, targets confined -----------------

@pytest.mark.parametrize("versie", ["x/../../../esc", "2015@x", "..", ".verborgen", "a..b",
                                    "20\\\\15", "2015 ", "2015\\n", "2015\\u0001", "é",
                                    "1" * 41])
def test_versie_that_is_no_plain_name_is_refused_where_written(werk: Path, run_cli,
                                                                 versie: str) -> None:
    """validate names FILE:3:COL; assess with -o refuses before writing anything anywhere."""
    text = (werk / "k.yaml").read_text(encoding="utf-8")
    (werk / "k.yaml").write_text(text.replace('versie: "2015"', f'versie: "{versie}"', 1),
                                 encoding="utf-8")
    code, _, err = run_cli("validate", werk / "k.yaml")
    assert code == 1 and f"{werk / 'k.yaml'}:3:9: " in err
    assert "'versie' has the wrong form" in err or "control character" in err
    clean(err)
    before = snapshot(werk.parent)
    code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--format", "csv",
                           "-o", werk / "out")
    assert code == 1 and f"{werk / 'k.yaml'}:3:9:" in err
    assert snapshot(werk.parent) == before


@pytest.mark.parametrize("versie", ["2015", "2016-2", "1.1", "2016_concept", "v3"])
def test_real_versies_are_accepted(werk: Path, run_cli, versie: str) -> None:
    """What versies look like in practice passes, and names the output file."""
    text = (werk / "k.yaml").read_text(encoding="utf-8")
    (werk / "k.yaml").write_text(text.replace('versie: "2015"', f'versie: "{versie}"', 1),
                                 encoding="utf-8")
    code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--format", "csv",
                           "--format", "json", "-o", werk / "out")
    assert code == 0, err
    assert sorted(p.name for p in (werk / "out").iterdir()) == [
        f"veilig-thuis-stap-1-{versie}.csv", f"veilig-thuis-stap-1-{versie}.json"]


def test_kader_registered_without_validation_cannot_escape(werk: Path, run_cli,
                                                          monkeypatch) -> None:
    """Defence in depth: a kader object whose versie holds '../' is refused at the path."""
    cat = catalog()
    echt = cat.get(str(KADER))
    monkeypatch.setattr(cat, "get", lambda ref: attrs.evolve(echt, versie="x/../../../esc"))
    before = snapshot(werk.parent)
    code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--format", "csv",
                           "--format", "json", "-o", werk / "out")
    assert code == 1 and "not a plain file name" in err
    clean(err)
    assert snapshot(werk.parent) == before


@pytest.mark.parametrize("name", ["../x.csv", "a/b.csv", ".x.csv", "a..csv", "x\n.csv", "",
                                  "x" * 256])
def test_target_in_refuses_names_that_leave_the_folder(tmp_path: Path, name: str) -> None:
    """A format suffix or kader name from an unvalidated plugin cannot leave -o."""
    with pytest.raises(KaderwerkError, match="not a plain file name"):
        output.target_in(tmp_path, name)
    assert output.target_in(tmp_path, "id-2015.csv") == tmp_path / "id-2015.csv"


# -- 1. inputs are never outputs -------------------------------------------------------------

def test_assess_refuses_to_overwrite_the_kader_file(werk: Path) -> None:
    """The reproduction of the issue: `-o k.yaml` with KADER k.yaml."""
    with untouched(werk / "k.yaml", werk / "s.csv"):
        r = kaderwerk("assess", "k.yaml", "s.csv", "--format", "csv", "-o", "k.yaml", cwd=werk)
    assert r.returncode == 2 and b"refusing to write k.yaml: it is an input file" in r.stderr
    clean(r.stderr)


@pytest.mark.parametrize("target", [KADER, SCORES, STAP1 / "datasets" / "2015.yaml"])
def test_installed_kader_and_dataset_files_are_never_outputs(run_cli, target: Path) -> None:
    """By id or by path, the installed kader, its scores and its manifest are refused."""
    with untouched(KADER, SCORES, target):
        for kader in ("veilig-thuis-stap-1", str(KADER)):
            code, _, err = run_cli("assess", kader, "2015", "--format", "csv", "-o", target)
            assert code == 2 and f"refusing to write {target}" in err
        code, _, err = run_cli("render", "veilig-thuis-stap-1", "-o", target)
        assert code == 2 and "refusing to write" in err
        code, _, err = run_cli("check", "veilig-thuis-stap-1", "--report", "junit",
                               "--report-file", target)
        assert code == 2 and "refusing to write" in err


def test_the_same_file_under_another_name_is_refused(werk: Path, run_cli) -> None:
    """A hard link to the scores, or a path through a symlinked folder, is still the input."""
    os.link(werk / "s.csv", werk / "hard.csv")
    (werk / "via").symlink_to(werk, target_is_directory=True)
    with untouched(werk / "k.yaml", werk / "s.csv"):
        for target in (werk / "hard.csv", werk / "via" / "s.csv", werk / "via" / "k.yaml"):
            code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--format", "csv",
                                   "-o", target)
            assert code == 2 and "it is an input file" in err, target


def test_published_figures_file_is_an_input(werk: Path, run_cli) -> None:
    """--gepubliceerd names an input too."""
    shutil.copy(STAP1 / "datasets" / "2015.yaml", werk / "pub.yaml")
    with untouched(werk / "pub.yaml"):
        code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--gepubliceerd",
                               werk / "pub.yaml", "--format", "json", "-o", werk / "pub.yaml")
    assert code == 2 and "input file" in err


def test_report_file_inside_a_validated_folder_is_refused(werk: Path, run_cli) -> None:
    """validate FOLDER reads every file in it: none of them is a --report-file."""
    with untouched(werk / "k.yaml"):
        code, _, err = run_cli("validate", werk, "--report", "junit", "--report-file",
                               werk / "k.yaml")
    assert code == 2 and "input folder" in err
    code, _, err = run_cli("validate", werk / "k.yaml", "--report", "junit", "--report-file",
                           werk / "nieuw.xml")
    assert code == 0 and (werk / "nieuw.xml").read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize(("command", "target"), [
    (["test", "vf/2015.yaml", "--report", "junit"], "vf/voorbeelden/2015.yaml"),
    (["test", "vf/2015.yaml", "--report", "junit"], "vf/datasets/2015.yaml"),
    (["test", "vf/2015.yaml", "--report", "junit"], "vf/datasets/2015-scores.csv"),
    (["test", "vf/voorbeelden/2015.yaml", "--report", "junit"], "vf/2015.yaml"),
    (["test", "vf/voorbeelden", "--report", "junit"], "vf/2015.yaml"),
    (["validate", "vf/voorbeelden/2015.yaml", "--report", "sarif"], "vf/2015.yaml"),
])
def test_a_file_the_command_found_and_read_is_an_input(tmp_path: Path, command: list[str],
                                                       target: str) -> None:
    """Voorbeelden, datasets and scores found beside a kader, and the kader a voorbeelden
    file names, are inputs like the paths on the command line: never a --report-file."""
    shutil.copytree(STAP1, tmp_path / "vf")
    before = snapshot(tmp_path)
    r = kaderwerk(*command, "--report-file", target, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert f"refusing to write {target}: it is an input file".encode() in r.stderr
    clean(r.stderr)
    assert snapshot(tmp_path) == before


def test_an_input_is_checked_again_right_before_the_rename(tmp_path: Path) -> None:
    """write_atomic refuses a file read through the project's readers since the first check."""
    from kaderwerk.sources.files import read_bytes, vergeet_gelezen

    f = tmp_path / "gelezen.yaml"
    f.write_bytes(b"a: 1\n")
    vergeet_gelezen()
    try:
        output.refuse_inputs([f], [])  # not read yet: allowed
        read_bytes(f, "gelezen.yaml", 100, "a YAML file", KaderwerkError)
        with pytest.raises(KaderwerkError, match="it is an input file"):
            output.write_atomic(f, b"report")
    finally:
        vergeet_gelezen()
    assert f.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["gelezen.yaml"]


# -- 1. special files: stdout, FIFOs, devices, symlinks ------------------------------------

@pytest.mark.parametrize("dash", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_write_to_stdout(werk: Path, dash: str) -> None:
    """`-o -` and `-o /dev/stdout` give exactly what no -o gives; no file is created."""
    plain = kaderwerk("assess", "k.yaml", "s.csv", "--format", "csv", cwd=werk)
    before = snapshot(werk)
    r = kaderwerk("assess", "k.yaml", "s.csv", "--format", "csv", "-o", dash, cwd=werk)
    assert r.returncode == 0 and r.stdout == plain.stdout and r.stdout.startswith(b"organisatie")
    r = kaderwerk("render", "k.yaml", "-o", dash, cwd=werk)
    assert r.returncode == 0 and r.stdout.startswith(b"# ")
    assert snapshot(werk) == before


def test_dash_with_several_formats_is_a_usage_error(werk: Path, run_cli) -> None:
    code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--format", "csv",
                           "--format", "json", "-o", "-")
    assert code == 2 and "several formats need -o FOLDER" in err


def test_inherited_descriptor_receives_the_stream(werk: Path) -> None:
    """What process substitution `-o >(cmd)` does: a /dev/fd/N pipe gets the whole report."""
    expected = kaderwerk("assess", "k.yaml", "s.csv", "--format", "json", cwd=werk).stdout
    r_fd, w_fd = os.pipe()
    got = bytearray()
    reader = threading.Thread(target=lambda: got.extend(_read_all(r_fd)), daemon=True)
    reader.start()
    try:
        r = kaderwerk("assess", "k.yaml", "s.csv", "--format", "json", "-o", f"/dev/fd/{w_fd}",
                      cwd=werk, pass_fds=(w_fd,))
    finally:
        os.close(w_fd)
        reader.join(HANG)
    assert r.returncode == 0, r.stderr
    assert bytes(got) == expected
    assert sorted(p.name for p in werk.iterdir()) == ["k.yaml", "s.csv"]


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def test_fifo_receives_the_stream_and_stays_a_fifo(werk: Path) -> None:
    """A FIFO named with -o is written to, not replaced by a regular file."""
    fifo = werk / "pijp.csv"
    os.mkfifo(fifo)
    got = bytearray()
    reader = threading.Thread(target=lambda: got.extend(fifo.read_bytes()), daemon=True)
    reader.start()
    r = kaderwerk("assess", "k.yaml", "s.csv", "--format", "csv", "-o", fifo, cwd=werk)
    reader.join(HANG)
    assert r.returncode == 0, r.stderr
    assert bytes(got).startswith(b"organisatie,")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not [p for p in werk.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("how", ["fifo", "descriptor"])
def test_a_stream_whose_reader_stops_early_is_an_error(big_scores: Path, how: str) -> None:
    """A FIFO or `>(cmd)` whose reader takes one byte and goes: exit 1, named, not "wrote"."""
    r_fd = w_fd = -1
    if how == "fifo":
        target = big_scores / "pijp"
        with contextlib.suppress(FileExistsError):
            os.mkfifo(target)
        reader = threading.Thread(target=lambda: _read_one(os.open(target, os.O_RDONLY)),
                                  daemon=True)
        extra: dict[str, object] = {}
    else:
        r_fd, w_fd = os.pipe()
        target = Path(f"/dev/fd/{w_fd}")
        reader = threading.Thread(target=lambda: _read_one(r_fd), daemon=True)
        extra = {"pass_fds": (w_fd,)}
    reader.start()
    try:
        r = kaderwerk("assess", "k.yaml", "groot.csv", "--format", "csv", "-o", target,
                      cwd=big_scores, **extra)
    finally:
        if w_fd >= 0:
            os.close(w_fd)
        reader.join(HANG)
    err = r.stderr.decode()
    assert r.returncode == 1, err
    assert f"{target}: cannot write" in err and "wrote" not in err
    clean(err)


def _read_one(fd: int) -> None:
    os.read(fd, 1)
    os.close(fd)


def test_fifo_without_reader_waits_and_a_signal_ends_it(werk: Path) -> None:
    """Like any writer, kaderwerk waits for a FIFO's reader; SIGTERM stops it, FIFO intact."""
    fifo = werk / "pijp"
    os.mkfifo(fifo)
    p = subprocess.Popen([*KADERWERK, "render", "k.yaml", "-o", str(fifo)], cwd=werk,
                         stderr=subprocess.PIPE)
    time.sleep(2)
    assert p.poll() is None
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=HANG)
    assert p.returncode == 128 + signal.SIGTERM
    clean(err)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_character_devices(werk: Path) -> None:
    """/dev/null takes the report; /dev/full is a located error, exit 1."""
    r = kaderwerk("assess", "k.yaml", "s.csv", "--format", "xlsx", "-o", "/dev/null", cwd=werk)
    assert r.returncode == 0 and Path("/dev/null").is_char_device()
    if Path("/dev/full").exists():
        r = kaderwerk("render", "k.yaml", "-o", "/dev/full", cwd=werk)
        assert r.returncode == 1 and r.stderr.startswith(b"/dev/full: cannot write")
        clean(r.stderr)


@pytest.mark.parametrize("dangling", [False, True])
def test_symlink_as_output_file_is_refused_and_kept(werk: Path, run_cli,
                                                    dangling: bool) -> None:
    """A symbolic link at the target is never replaced: exit 2 naming link and target."""
    link = werk / "uit.csv"
    doel = werk / ("weg.csv" if dangling else "bestaat.csv")
    if not dangling:
        doel.write_bytes(b"mijn werk\n")
    link.symlink_to(doel)
    before = snapshot(werk)
    for args in (["assess", werk / "k.yaml", werk / "s.csv", "--format", "csv", "-o", link],
                 ["render", werk / "k.yaml", "-o", link],
                 ["validate", werk / "k.yaml", "--report", "sarif", "--report-file", link]):
        code, _, err = run_cli(*args)
        assert code == 2 and f"refusing to write {link}: it is a symbolic link (to {doel})" in err
    assert snapshot(werk) == before


def test_symlink_in_the_output_folder_is_refused(werk: Path, run_cli) -> None:
    """The file kaderwerk names inside -o FOLDER is not replaced when it is a link either."""
    (werk / "out").mkdir()
    (werk / "out" / "veilig-thuis-stap-1-2015.json").symlink_to(werk / "elders.json")
    code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--format", "csv",
                           "--format", "json", "-o", werk / "out")
    assert code == 2 and "symbolic link" in err
    assert (werk / "out" / "veilig-thuis-stap-1-2015.json").is_symlink()
    assert not (werk / "out" / "veilig-thuis-stap-1-2015.csv").exists()
    assert not (werk / "elders.json").exists()


def test_symlinked_output_folder_is_written_through(werk: Path, run_cli) -> None:
    """-o naming a link to a folder means that folder: the reports land inside it."""
    (werk / "echt").mkdir()
    (werk / "out").symlink_to(werk / "echt", target_is_directory=True)
    code, _, err = run_cli("assess", werk / "k.yaml", werk / "s.csv", "--format", "csv",
                           "--format", "json", "-o", werk / "out")
    assert code == 0, err
    assert sorted(p.name for p in (werk / "echt").iterdir()) == [
        "veilig-thuis-stap-1-2015.csv", "veilig-thuis-stap-1-2015.json"]


def test_new_kader_does_not_replace_a_dangling_link(tmp_path: Path, run_cli) -> None:
    """`new kader` into a folder where a link waits at 1.yaml: refused, link kept."""
    (tmp_path / "mijn").mkdir()
    (tmp_path / "mijn" / "1.yaml").symlink_to(tmp_path / "elders.yaml")
    code, _, err = run_cli("new", "kader", "mijn", "--dir", tmp_path)
    assert code == 2 and "symbolic link" in err
    assert (tmp_path / "mijn" / "1.yaml").is_symlink() and not (tmp_path / "elders.yaml").exists()


# -- 1. signals: no temporary file is left behind ------------------------------------------

STOP = [signal.SIGTERM, signal.SIGHUP, signal.SIGINT]

IN_FSYNC = """
import os, signal, sys
from kaderwerk.commands.cli import main
sig = int(sys.argv[1])
real = os.fsync
def fsync(fd):
    real(fd)
    os.kill(os.getpid(), sig)  # the signal arrives while the temporary file is complete
os.fsync = fsync
main(sys.argv[2:])
"""


@pytest.mark.parametrize("sig", STOP, ids=lambda s: s.name)
def test_signal_during_the_write_removes_the_temporary_file(werk: Path, sig: int) -> None:
    """Deterministic: the process signals itself between writing and renaming."""
    before = snapshot(werk)
    r = subprocess.run([sys.executable, "-c", IN_FSYNC, str(int(sig)), "assess", "k.yaml",
                        "s.csv", "--format", "html", "-o", "out"], cwd=werk,
                       capture_output=True, timeout=HANG)
    assert r.returncode == 128 + sig, r.stderr
    assert r.stderr.decode().splitlines() == [f"Aborted ({sig.name})."]
    assert snapshot(werk) == {**before, "out": "dir"}


@pytest.fixture(scope="module")
def big_scores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30,000 organisations: a 15 MB JSON report, long enough to be caught mid-write."""
    folder = tmp_path_factory.mktemp("groot")
    header, *rows = SCORES.read_text(encoding="utf-8").splitlines()
    lines = [header] + [f"org{i}," + rows[i % len(rows)].split(",", 1)[1]
                        for i in range(30_000)]
    (folder / "groot.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(KADER, folder / "k.yaml")
    return folder


def test_signal_from_outside_mid_write_removes_the_temporary_file(big_scores: Path) -> None:
    """A real SIGTERM sent by another process the moment the temporary file appears."""
    sig = signal.SIGTERM
    out = big_scores / f"out-{sig.name}"
    for _ in range(3):  # on a very fast disk the write may finish before we see it
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        p = subprocess.Popen([*KADERWERK, "assess", "k.yaml", "groot.csv", "--format", "json",
                              "-o", str(out / "u.json")], cwd=big_scores,
                             stderr=subprocess.PIPE)
        seen = []
        deadline = time.monotonic() + HANG
        while p.poll() is None and not seen and time.monotonic() < deadline:
            seen = [n for n in os.listdir(out) if n.endswith(".tmp")]
        if seen:
            p.send_signal(sig)
        _, err = p.communicate(timeout=HANG)
        if seen and p.returncode == 128 + sig:
            break
    else:
        pytest.fail("the temporary file was never seen while the process wrote")
    assert err.decode().splitlines() == ["Aborted (SIGTERM)."]
    assert os.listdir(out) == []


def test_report_file_dash_is_stdout(werk: Path, run_cli) -> None:
    """`--report-file -` writes the report to stdout; not beside --format json."""
    code, out, _ = run_cli("check", werk / "k.yaml", "--report", "junit", "--report-file", "-")
    assert code == 0 and "<testsuite" in out and not (werk / "-").exists()
    code, _, err = run_cli("check", werk / "k.yaml", "--format", "json", "--report", "junit",
                           "--report-file", "-")
    assert code == 2 and "stdout" in err


# -- 5. fuzzing: any command, any -o, in a sandbox ---------------------------------------

TARGETS = ["k.yaml", "s.csv", "link-k.csv", "dangling.csv", "linkdir", "dir", "dir/k.yaml",
           "new/deep/r.csv", "mine.csv", "mine.csv/below.csv", "hard-s.csv", "-", "/dev/null",
           "/dev/stdout", "é—€ r.csv", "x" * 300 + ".csv", "dir/.", ".", ".hidden.csv", "noext"]
COMMANDS = [  # a command and the files it reads, which must come out byte-identical
    (["assess", "k.yaml", "s.csv", "--format", "csv"], ["k.yaml", "s.csv"]),
    (["assess", "k.yaml", "s.csv", "--format", "json", "--format", "markdown"],
     ["k.yaml", "s.csv"]),
    (["assess", "veilig-thuis-stap-1", "s.csv", "--format", "xlsx"], ["s.csv"]),
    (["render", "k.yaml", "--format", "html"], ["k.yaml"]),
    (["check", "k.yaml", "--report", "junit", "--report-file"], ["k.yaml"]),
    (["validate", "dir", "--report", "sarif", "--report-file"], ["dir/k.yaml"]),
]
LINKS = ["link-k.csv", "dangling.csv", "linkdir"]


def _sandbox(root: Path) -> None:
    shutil.copy(KADER, root / "k.yaml")
    shutil.copy(SCORES, root / "s.csv")
    (root / "dir").mkdir()
    shutil.copy(KADER, root / "dir" / "k.yaml")
    (root / "link-k.csv").symlink_to(root / "k.yaml")
    (root / "dangling.csv").symlink_to(root / "weg.csv")
    (root / "linkdir").symlink_to(root / "dir", target_is_directory=True)
    (root / "mine.csv").write_bytes(b"my own work\n")
    os.link(root / "s.csv", root / "hard-s.csv")


def _in_process(*args: str) -> tuple[int, str]:
    """``kaderwerk ARGS`` through ``main`` in this process: exit code and stderr (stdout may
    be a binary report, so it is not decoded)."""
    code, _, err = cli_in_process(*args)
    return code, err.decode("utf-8", "replace")


def test_fuzz_any_command_any_output(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Exit 0, 1 or 2 without a traceback; inputs byte-identical; writes only at the target."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    examples = max(10, settings.default.max_examples // 4)

    @settings(max_examples=examples, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(COMMANDS), st.sampled_from(TARGETS))
    def run(command: tuple[list[str], list[str]], target: str) -> None:
        args, inputs = command
        root = tmp_path_factory.mktemp("zandbak")
        _sandbox(root)
        before = snapshot(root)
        args = [*args, target] if args[-1] == "--report-file" else [*args, "-o", target]
        with contextlib.chdir(root):
            code, err = _in_process(*args)
        assert code in (0, 1, 2), (args, err)
        clean(err)
        after = snapshot(root)
        for name in inputs + LINKS:
            assert after[name] == before[name], (args, name)
        written = {n for n in after if after[n] != before.get(n)}
        doel = os.path.normpath(target)
        if output.is_stdout(target):
            assert not written, (args, written)
        if doel == "linkdir" or doel.startswith("linkdir/"):  # a link to a folder is the folder
            doel = "dir" + doel.removeprefix("linkdir")
        assert all(n == doel or n.startswith(doel + os.sep) or doel.startswith(n + os.sep)
                   or (doel == "." and os.sep not in n) for n in written), (args, written)

    run()
