"""The closing fuzz run of "nothing lost, nothing escapes, nothing hangs": hostile files and
hostile output targets together, through the CLI only.

tests/test_fuzz.py mutates inputs per reader and per command; tests/test_hostile_output.py
points ``-o`` at hostile targets with good inputs. Neither combines them. Here one example
draws a command, a mutated or hostile kader, a mutated or hostile score file (CSV, YAML, JSON
or xlsx) and an output target, runs the command in-process in a fresh sandbox folder and
asserts: exit 0, 1 or 2; no traceback or "internal error"; under 10 s; every input
byte-identical; nothing created, changed or removed in the sandbox outside the target.

kaderwerk is driven only through its command line (``main``), so moving core modules does not
touch this file; the mutation strategies come from tests/test_fuzz.py. The ci profile runs a
handful of derandomized examples; the deep profile runs a hundred times as many
(docs/robustness.md, "Figures").
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from .conftest import ROOT, cli_in_process, workbook
from .test_fuzz import (
    CSV_BITS,
    CSV_BYTES,
    JSON_SCORES,
    KADER_BYTES,
    KADER_DATA,
    TABLE,
    XLSX_BYTES,
    YAML_BITS,
    YAML_SCORES,
    _dump,
    _structured,
    mutated,
    structurally_mutated,
    table_with_weird_cells,
)

VOORBEELDEN = ROOT / "kaders" / "veilig-thuis-stap-1" / "voorbeelden" / "2015.yaml"
HANG = 10.0  # seconds for one command (~0.2-0.5 s); a hang, not a slow machine, exceeds it

# ci and dev: 8 examples (~2 s); deep: 2,500 (a few minutes).
EXAMPLES = 8 if settings.default.max_examples <= 200 else settings.default.max_examples // 4

# -- hostile files --------------------------------------------------------------------------

CONTROL = ["\x00", "\x01", "\x07", "\x1b", "\x1b]0;pwned\x07\x1b[2J", "\x7f", "\x85", "\x9b",
           "\u202e", "\u2066", "\u2028", "\ud800", "[bold]x[/bold]", "=1+1"]
HUGE = st.sampled_from([10**40, -(10**40), 2**63, 10**4000, float("inf"), float("nan"), 1e308])


@st.composite
def _with_control(draw: Any, text: str) -> str:
    i = draw(st.integers(0, len(text)))
    return text[:i] + draw(st.sampled_from(CONTROL)) + text[i:]


def _yaml_text(value: str) -> bytes:
    """``value`` as a YAML double-quoted scalar: escapes for what YAML cannot carry raw."""
    return json.dumps(value).encode("utf-8", "surrogatepass")


def _replace_ints(data: Any, huge: Any, nth: int) -> Any:
    """``data`` with its ``nth`` integer (counting round) replaced by ``huge``."""
    ints: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) \
            if isinstance(node, list) else []
        for key, value in list(items):
            if isinstance(value, int) and not isinstance(value, bool):
                ints.append((node, key))
            walk(value)

    walk(data)
    if ints:
        node, key = ints[nth % len(ints)]
        node[key] = huge
    return data


@st.composite
def hostile_kader(draw: Any) -> bytes:
    """The Stap 1 kader with a control character, a huge number or deep nesting in it."""
    kind = draw(st.sampled_from(["escaped", "raw", "huge", "deep_flow", "deep_block"]))
    if kind == "escaped":  # a YAML escape in the titel
        titel = draw(_with_control("Toetsingskader"))
        return KADER_BYTES.replace(b"titel: Toetsingskader Veilig Thuis Stap 1",
                                   b"titel: " + _yaml_text(titel), 1)
    if kind == "raw":  # the character itself, anywhere in the file
        i = draw(st.integers(0, len(KADER_BYTES)))
        raw = draw(st.sampled_from(CONTROL)).encode("utf-8", "surrogatepass")
        return KADER_BYTES[:i] + raw + KADER_BYTES[i:]
    if kind == "huge":
        data = _replace_ints(json.loads(json.dumps(KADER_DATA)), draw(HUGE),
                             draw(st.integers(0, 500)))
        return _dump(data)
    n = draw(st.sampled_from([50, 500, 5_000, 50_000]))
    if kind == "deep_flow":
        return KADER_BYTES.replace(b"titel: Toetsingskader Veilig Thuis Stap 1",
                                   b"titel: " + b"[" * n + b"]" * n, 1)
    return KADER_BYTES + b"extra:\n" + b"".join(b" " * i + b"- a:\n" for i in range(1, n // 10))


@st.composite
def hostile_scores(draw: Any, suffix: str) -> bytes:
    """The 2015 scores with a hostile name, a huge score or deep nesting."""
    kind = draw(st.sampled_from(["name", "huge", "deep"]))
    rows = [list(r) for r in TABLE]
    r = draw(st.integers(1, len(rows) - 1))
    if kind == "name":
        rows[r][0] = draw(_with_control(rows[r][0]))
    elif kind == "huge":
        rows[r][draw(st.integers(1, len(rows[0]) - 1))] = str(draw(HUGE))
    if suffix == "csv":
        if kind == "deep":
            return CSV_BYTES + b'"' * draw(st.sampled_from([1, 3, 5000]))
        text = "\n".join(",".join(row) for row in rows) + "\n"
        return text.encode("utf-8", "surrogatepass")
    if suffix == "xlsx":
        try:
            # a number too big for a float goes in as text, as Excel would keep it
            return workbook([[int(c) if c.isdigit() and len(c) < 300 else c for c in row]
                          for row in rows])
        except IllegalCharacterError:  # openpyxl will not write control characters
            return XLSX_BYTES
    data = _structured(rows)
    if kind == "deep":
        n = draw(st.sampled_from([100, 1_000, 100_000]))
        data["organisaties"][0]["scores"]["1.1.1"] = "DEEP"
        text = json.dumps(data).replace('"DEEP"', "[" * n + "]" * n)
        return text.encode("utf-8")
    if suffix == "json":
        return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans())).encode("utf-8",
                                                                          "surrogatepass")


KADERS = st.one_of(mutated(KADER_BYTES, YAML_BITS), structurally_mutated(KADER_DATA).map(_dump),
                   hostile_kader(), st.just(KADER_BYTES))
SOURCES = {"csv": (CSV_BYTES, CSV_BITS), "yaml": (YAML_SCORES, YAML_BITS),
           "json": (JSON_SCORES, YAML_BITS + CSV_BITS), "xlsx": (XLSX_BYTES, CSV_BITS)}


def _weird_xlsx(rows: list[list[Any]]) -> bytes:
    try:
        return workbook(rows)
    except IllegalCharacterError:
        return XLSX_BYTES


@st.composite
def score_file(draw: Any) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(SOURCES)))
    source, bits = SOURCES[suffix]
    options = [mutated(source, bits), hostile_scores(suffix), st.just(source)]
    if suffix == "yaml":
        options.append(structurally_mutated(_structured(TABLE)).map(_dump))
    if suffix == "xlsx":
        options.append(table_with_weird_cells().map(_weird_xlsx))
    return suffix, draw(st.one_of(options))


# -- commands and targets -------------------------------------------------------------------

# "K" the kader, "S" the scores, "OLD" the unmutated kader; None: the command has no output.
FORMATS = ["json", "csv", "markdown", "html", "xlsx"]


@st.composite
def command(draw: Any) -> tuple[list[str], str | None]:
    """A command line and the option that takes the output target (or None)."""
    name = draw(st.sampled_from(["validate", "show", "check", "check-sizes", "assess", "render",
                                 "render-interactief", "diff", "diff-beoordelingen", "test"]))
    report = ["--report", draw(st.sampled_from(["junit", "sarif", "github"])), "--report-file"]
    if name == "validate":
        return ["validate", "K", *report], "--report-file"
    if name == "show":
        return ["show", "K", "--format", draw(st.sampled_from(["text", "json"]))], None
    if name == "check":
        return ["check", "K", *report], "--report-file"
    if name == "check-sizes":
        a = draw(st.integers(1, 8))
        return ["check", "K", "--sizes", f"{a}-{draw(st.integers(a, 8))}"], None
    if name == "assess":
        formats = draw(st.lists(st.sampled_from(FORMATS), min_size=1, max_size=3, unique=True))
        flags = [f for fmt in formats for f in ("--format", fmt)]
        return ["assess", "K", "S", *flags,
                *(["--allow-missing"] if draw(st.booleans()) else []), "-o"], "-o"
    if name == "render":
        return ["render", "K", "--format", draw(st.sampled_from(["markdown", "html"])), "-o"], "-o"
    if name == "render-interactief":
        return ["render", "K", "--interactief", "-o"], "-o"
    if name == "diff":
        return ["diff", "OLD", "K", "--format",
                draw(st.sampled_from(["text", "json", "markdown"]))], None
    if name == "diff-beoordelingen":
        return ["diff", "OLD", "K", "--beoordelingen", "S"], None
    return ["test", "K", *report], "--report-file"


# An input, a link to one, a dangling link, stdout, the null device, a folder, a folder that
# does not exist yet, and names with odd characters.
TARGETS = ["k.yaml", "S", "old.yaml", "link-k.out", "dangling.out", "-", "/dev/null", "dir",
           "dir/r.out", "new/deep", "new/deep/r.out", "é —€ $(id);'\" r.out", "a\nb\tc.out",
           ".hidden", "voorbeelden/2015.yaml"]
LINKS = ["link-k.out", "dangling.out"]


def _sandbox(root: Path, kader: bytes, scores: bytes, suffix: str) -> None:
    (root / "k.yaml").write_bytes(kader)
    (root / "old.yaml").write_bytes(KADER_BYTES)
    (root / f"s.{suffix}").write_bytes(scores)
    (root / "voorbeelden").mkdir()
    shutil.copy(VOORBEELDEN, root / "voorbeelden" / "2015.yaml")
    (root / "dir").mkdir()
    (root / "dir" / "mine.txt").write_bytes(b"my own work\n")
    (root / "link-k.out").symlink_to(root / "k.yaml")
    (root / "dangling.out").symlink_to(root / "weg.out")


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder``: file bytes, a link's target, or the kind of entry."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            key = str(p.relative_to(folder))
            if p.is_symlink():
                found[key] = "link -> " + os.readlink(p)
            elif p.is_file():
                found[key] = p.read_bytes()
            else:
                found[key] = "dir" if p.is_dir() else "special"
    return found


def _inside(name: str, target: str) -> bool:
    """Whether sandbox entry ``name`` is the target, lies in it, or is a folder leading to it."""
    return name == target or name.startswith(target + os.sep) or target.startswith(name + os.sep)


@st.composite
def inputs(draw: Any) -> tuple[bytes, tuple[str, bytes]]:
    """A kader and a score file, either or both hostile: a quarter of the examples keep both
    good, so that the commands get as far as writing their output to the target."""
    hostile = draw(st.sampled_from(["none", "kader", "scores", "both"]))
    kader = draw(KADERS) if hostile in ("kader", "both") else KADER_BYTES
    suffix, scores = draw(score_file())
    if hostile in ("none", "kader"):
        scores = SOURCES[suffix][0]
    return kader, (suffix, scores)


@settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
@given(command(), inputs(), st.sampled_from(TARGETS))
def test_fuzz_cli_hostile_files_and_targets(call: tuple[list[str], str | None],
                                            files: tuple[bytes, tuple[str, bytes]],
                                            target: str) -> None:
    """Any command on hostile files with a hostile target: exit 0, 1 or 2, no traceback,
    within 10 s, the command's inputs byte-identical, nothing touched outside the target (a
    file that is not an input of the command may be the target and be overwritten)."""
    args, option = call
    kader, (suffix, content) = files
    target = f"s.{suffix}" if target == "S" else target
    root = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
    try:
        _sandbox(root, kader, content, suffix)
        before = _snapshot(root)
        names = {"K": "k.yaml", "S": f"s.{suffix}", "OLD": "old.yaml"}
        argv = [names.get(a, a) for a in args] + ([target] if option else [])
        with contextlib.chdir(root):
            start = time.perf_counter()
            code, out, err_bytes = cli_in_process(*argv)
            elapsed = time.perf_counter() - start
        err = err_bytes.decode("utf-8", "replace")
        event(f"{args[0]} exit {code}")
        assert code in (0, 1, 2), (argv, code, err)
        assert "internal error" not in err and "Traceback" not in err, (argv, err)
        assert elapsed < HANG, (argv, elapsed)
        after = _snapshot(root)
        inputs = [names[a] for a in args if a in names]
        if args[0] == "test" and b"voorbeelden/2015.yaml" in out + err_bytes:
            inputs.append("voorbeelden/2015.yaml")  # found beside a kader that is one
        for name in inputs + LINKS:
            assert after.get(name) == before[name], (argv, name, err)
        changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
        if option is None or target in ("-", "/dev/null"):
            assert not changed, (argv, changed, err)
        else:
            doel = os.path.normpath(target)
            assert all(_inside(n, doel) for n in changed), (argv, changed, err)
    finally:
        shutil.rmtree(root, ignore_errors=True)
