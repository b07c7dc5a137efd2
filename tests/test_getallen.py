"""A number in a kader whose decimal text is not what its float holds is refused at FILE:LINE:COL.

YAML reads ``99.99999999999999999999`` as 100.0, which would turn ``max: 99.99...`` into
``max: 100`` and silently change the rule; ordinary decimals (33.3, 0.1) are held exactly as
written, because a rule compares with the float's shortest decimal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kaderwerk.domain.errors import KaderError
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.loader import load_kader

from .conftest import ROOT

STAP1 = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"
REGEL = "als: {voldoende: {min: 51}}"


def _kader(tmp_path: Path, als: str) -> tuple[Path, int, int]:
    """Stap 1 with the Organisatie rule's first condition replaced; the path, line and column."""
    text = STAP1.read_text("utf-8")
    assert text.count(REGEL) == 1
    text = text.replace(REGEL, f"als: {{voldoende: {als}}}")
    path = tmp_path / "kader.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, r in enumerate(text.splitlines(), 1) if als in r)
    getal = als.rsplit(": ", 1)[1].rstrip("}")
    column = text.splitlines()[line - 1].index(getal) + 1
    return path, line, column


def _load(path: Path):
    return load_kader(path, catalog().reg.beslisregels, display=path.name)


@pytest.mark.parametrize(("als", "gelezen"), [
    ("{min: 50, max: 99.99999999999999999999}", "100"),
    ("{min: 50.000000000000000001}", "50"),
    ("{min: 1.0e-400}", "0"),
])
def test_a_threshold_read_as_another_number_is_refused(tmp_path, als, gelezen) -> None:
    path, line, column = _kader(tmp_path, als)
    with pytest.raises(KaderError) as info:
        _load(path)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == (path.name, line, column)
    assert f"is read as {gelezen};" in problem.message
    assert als.split(": ")[-1].rstrip("}") in problem.message


def test_the_message_says_how_many_decimals_a_float_keeps(tmp_path) -> None:
    path, _, _ = _kader(tmp_path, "{min: 50, max: 99.99999999999999999999}")
    with pytest.raises(KaderError) as info:
        _load(path)
    assert "write it with at most 13 decimals" in info.value.problems[0].message


@pytest.mark.parametrize("getal", ["33.3", "66.7", "0.1", "12.5", "1.10", "50.0000000000001",
                                   "99.9999999999999"])
def test_ordinary_decimals_are_held_as_written(tmp_path, getal) -> None:
    path, _, _ = _kader(tmp_path, f"{{min: {getal}}}")
    assert _load(path).id == "veilig-thuis-stap-1"


@pytest.mark.parametrize("command", [["validate"], ["check"]])
def test_validate_and_check_refuse_it_with_its_location(run_cli, tmp_path, command) -> None:
    path, line, column = _kader(tmp_path, "{min: 50, max: 99.99999999999999999999}")
    code, out, err = run_cli(*command, str(path))
    assert code == 1
    assert "Traceback" not in out + err and "internal error" not in out + err
    assert f"kader.yaml:{line}:{column}:" in out + err
    assert "99.99999999999999999999 is read as 100" in out + err
