"""The two YAML backends: libyaml's C parser and PyYAML's pure-Python one agree.

``kaderwerk.sources.yamlsource`` parses with libyaml when PyYAML has it and falls back to pure
Python;
both feed the same Python composer, so the data, every position and every limit must be the
same, and errors must be located alike. The ``backend`` fixture runs a test on each.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.domain.errors import KaderError
from kaderwerk.sources import yamlsource

from .conftest import DATA, ROOT

YAML_FILES = sorted(p for folder in (ROOT / "kaders", DATA) for p in folder.rglob("*.y*ml"))
needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


@pytest.fixture(params=[pytest.param(True, id="libyaml", marks=needs_libyaml),
                        pytest.param(False, id="python")])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(yamlsource, "LIBYAML", request.param)
    return request.param


def outcome(text: str, libyaml: bool) -> tuple:
    """The document (data and positions) or the first problem, from one backend."""
    saved = yamlsource.LIBYAML
    yamlsource.LIBYAML = libyaml
    try:
        doc = yamlsource.parse(text, "f.yaml")
        return "ok", repr(doc.data), doc.values, doc.keys
    except KaderError as exc:
        p = exc.problems[0]
        return "error", p.message, p.line, p.column
    finally:
        yamlsource.LIBYAML = saved


@needs_libyaml
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_parses_identically_with_both_backends(path: Path) -> None:
    """Every kader, dataset, voorbeeld and test file: same data and positions, or same error."""
    try:
        text = yamlsource.read_text(path, "f.yaml")
    except KaderError:
        pytest.skip("refused before parsing (encoding, NUL)")
    assert outcome(text, True) == outcome(text, False)


def test_columns_count_characters_not_bytes(backend: bool) -> None:
    """Columns after 'é' and an emoji (2 and 4 bytes in UTF-8) count characters."""
    doc = yamlsource.parse("ééé: x\nb: [é, 'ééé', {c: 😀😀}]\n😀k: z\n", "f")
    assert doc.keys[("ééé",)] == (1, 1)
    assert doc.values[("ééé",)] == (1, 6)
    assert [doc.values[("b", i)] for i in range(3)] == [(2, 5), (2, 8), (2, 15)]
    assert doc.values[("b", 2, "c")] == (2, 19)
    assert doc.keys[("😀k",)] == (3, 1)
    assert doc.values[("😀k",)] == (3, 5)


@pytest.mark.parametrize(("text", "path", "position"), [
    ("a: 1\nk:", ("k",), (2, 3)),
    ("a: {b: , c: 1}\n", ("a", "b"), (1, 7)),
    ("a: [x: ]\n", ("a", 0, "x"), (1, 7)),
    ("a: {b:\n\n  }\n", ("a", "b"), (1, 7)),
    ("a: {b:\r\n  , c: 1}\n", ("a", "b"), (1, 7)),
    ("? k\n", ("k",), (1, 4)),
], ids=["end-of-text", "flow", "flow-pair", "flow-lines", "flow-crlf", "explicit-key"])
def test_a_value_left_out_stands_right_after_its_key(backend: bool, text: str, path: tuple,
                                                     position: tuple[int, int]) -> None:
    """An empty value has no text: both backends put it right after its key and its colon."""
    doc = yamlsource.parse(text, "f")
    assert doc.values[path] == position


SYNTAX = r"^YAML syntax error: "


@pytest.mark.parametrize(("text", "problem", "line", "column"), [
    ("a: 1\nb: é\x07\n", r"^the file contains the control character U\+0007\b", 2, 5),
    ("a: [1, 2\n", SYNTAX, 2, 1),
    ("a: {b: 1\nc: 2\n", SYNTAX, 2, 2),
    ("ééé: [", SYNTAX, 1, 7),
    ("a: b: c\n", SYNTAX, 1, 5),
    ("ééé: @x\n", SYNTAX + r".*'@'", 1, 6),
    ("a: 'x\n", SYNTAX, 2, 1),
    ("a: *x\n", SYNTAX + r".*\balias\b.*'x'", 1, 4),
    ("a: 1\n---\nb: 2\n", SYNTAX + r".*\bdocument", 2, 1),
    ("a:\n  b: 1\n c: 2\n", SYNTAX + r".*'c'", 3, 2),
    ("- a\nb: 1\n", SYNTAX + r".*'b'", 2, 1),
    ("a: !x 1\n", r"^cannot read value: .*'!x'", 1, 4),
    ("a: !!int b\n", r"^cannot read 'b' as int; put it in quotes to keep it as text", 1, 4),
    ("\n\n", r"^the file is empty$", 1, 1),
])
def test_errors_read_and_point_alike(backend: bool, text: str, problem: str, line: int,
                                     column: int) -> None:
    """Both backends refuse the text at the same place with a message of the same class.

    The class is kaderwerk's prefix plus what the author must find (the character, alias or key
    named); the rest of the sentence is PyYAML's or libyaml's and may change between versions.
    """
    kind, message, *where = outcome(text, backend)
    assert kind == "error" and re.search(problem, message), message
    assert where == [line, column]


@pytest.mark.parametrize("text", ["[" * 10_000, "{a: " * 10_000, "- " * 10_000,
                                  "".join(" " * i + "a:\n" for i in range(2_000))])
def test_deep_nesting_stops_at_the_limit_in_bounded_time(backend: bool, text: str) -> None:
    """10,000 levels stop at MAX_DEPTH, located, without recursing in C or Python."""
    start = time.perf_counter()
    kind, message, line, column = outcome(text, backend)
    assert time.perf_counter() - start < 2
    # kaderwerk's own limit, or libyaml's (PyYAML >= 6.0.3) where it stops first: the class.
    assert kind == "error" and re.search(r"\bnest", message, re.IGNORECASE), message
    assert line is not None and column is not None


def test_value_budget_and_alias_bomb(backend: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The node budget stops composing where it ran out; an alias bomb is refused unbuilt."""
    monkeypatch.setattr(yamlsource, "MAX_NODES", 1000)
    assert outcome("".join(f"- {i}\n" for i in range(5000)), backend) == (
        "error", "the document has more than 1000 values, the limit", 1000, 3)
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 6))
    kind, message, _, _ = outcome(bomb, backend)
    assert kind == "error" and "alias bomb" in message


YAML_PIECES = ["a", "b", "1", "é", "😀", ": ", ":", "- ", "-", "[", "]", "{", "}", ", ", "'",
               '"', "&a ", "*a", "!!int ", "!!str ", "? ", "|", ">-", "#", " ", "  ", "\n",
               "\r\n", "---\n", "...\n", "~", "null", "<<: ", "%YAML 1.1\n"]


@needs_libyaml
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join))
def test_both_backends_agree_on_random_yaml(text: str) -> None:
    """What pure Python parses, libyaml parses to the same data and positions; both errors
    are located. (libyaml accepts some tabs that PyYAML refuses: no tabs here.)"""
    python, libyaml = outcome(text, False), outcome(text, True)
    if python[0] == "ok":
        assert libyaml == python
    elif libyaml[0] == "error":
        assert python[2] is not None and libyaml[2] is not None


def test_pure_python_is_used_without_libyaml() -> None:
    """With PyYAML's C extension missing, the module falls back to its pure-Python parser."""
    code = ("import sys; sys.modules['yaml._yaml'] = None\n"
            "from kaderwerk.sources import yamlsource\n"
            "assert not yamlsource.LIBYAML\n"
            "doc = yamlsource.parse('ééé: [1, x]\\n', 'f')\n"
            "print(doc.data, doc.values[('ééé', 1)])\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "{'ééé': [1, 'x']} (1, 10)"
