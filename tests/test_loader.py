"""The loader: broken kader files give located, actionable messages; valid ones load."""

from __future__ import annotations

import pytest
from kaderwerk.domain.errors import KaderError
from kaderwerk.sources.catalog import catalog
from kaderwerk.sources.loader import load_kader

from .conftest import DATA

BROKEN = DATA / "broken"

CASES = {
    "unknown_key.yaml": (16, "unknown key 'gewicht'"),
    "duplicate_key.yaml": (9, "duplicate key 'titel' (first at line 8)"),
    "duplicate_id.yaml": (15, "duplicate id '1.1.1' (also at line 14)"),
    "bad_numbering.yaml": (15, "verwachting '1.2.1' is numbered wrongly"),
    "syntax_error.yaml": (5, "YAML syntax error"),
    "wrong_type.yaml": (11, 'write it in quotes: "1.1"'),
    "not_utf8.yaml": (3, "not valid UTF-8"),
    "oordeel_off_scale.yaml": (13, "oordeel 'matig' is not on the oordeelschaal"),
    "unknown_feit.yaml": (9, "feit 'wachtlijst', which the kader does not declare"),
    "unknown_rule_type.yaml": (9, "unknown beslisregel type 'gewogen'"),
    "alias_bomb.yaml": (1, "alias bomb"),
}


def _load(name: str):
    return load_kader(BROKEN / name, catalog().reg.beslisregels, display=name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_names_line_and_problem(name: str) -> None:
    """Each broken file raises KaderError with FILE:LINE:COL and a message saying what is wrong."""
    line, fragment = CASES[name]
    with pytest.raises(KaderError) as info:
        _load(name)
    problem = info.value.problems[0]
    assert problem.file == name
    assert problem.line == line
    assert problem.column is not None
    assert fragment in problem.message
    assert str(problem).startswith(f"{name}:{line}:{problem.column}: ")


def test_every_broken_file_has_a_case() -> None:
    """The folder of broken files and the expectations stay in step."""
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(CASES)


def test_all_problems_are_reported_at_once(tmp_path) -> None:
    """Two independent mistakes are both reported, in file order."""
    text = (BROKEN / "unknown_key.yaml").read_text().replace(
        "titel: Thema", "titel: Thema\n    kleur: rood")
    f = tmp_path / "twee.yaml"
    f.write_text(text)
    with pytest.raises(KaderError) as info:
        load_kader(f, catalog().reg.beslisregels)
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 2
    assert "unknown key 'kleur'" in messages[0]
    assert "unknown key 'gewicht'" in messages[1]


def test_missing_required_key_is_named(tmp_path) -> None:
    """A kader without oordeelschaal says which key is missing."""
    f = tmp_path / "k.yaml"
    f.write_text('id: k\nversie: "1"\ntitel: K\nbron: {document: d}\nthemas: []\n')
    with pytest.raises(KaderError) as info:
        load_kader(f, catalog().reg.beslisregels)
    assert any("missing required key 'oordeelschaal'" in p.message for p in info.value.problems)


def test_empty_file_is_an_error(tmp_path) -> None:
    """An empty file is reported, not crashed on."""
    f = tmp_path / "leeg.yaml"
    f.write_text("")
    with pytest.raises(KaderError, match="empty"):
        load_kader(f, catalog().reg.beslisregels)


def test_criterium_without_beslisregel(tmp_path) -> None:
    """A criterium with no rule (own or thema's) is an error pointing at the criterium."""
    text = (BROKEN / "bad_numbering.yaml").read_text()
    text = text.replace("    beslisregel: {type: handmatig}\n", "").replace(
        '          - {id: "1.2.1", tekst: Een verwachting onder het verkeerde criterium.}\n', "")
    f = tmp_path / "k.yaml"
    f.write_text(text)
    with pytest.raises(KaderError, match="has no beslisregel"):
        load_kader(f, catalog().reg.beslisregels)


def test_gelijk_with_min_is_rejected(tmp_path) -> None:
    """A range with both 'gelijk' and 'min' is ambiguous and rejected."""
    text = (BROKEN / "oordeel_off_scale.yaml").read_text().replace(
        "{oordeel: matig, als: {onvoldoende: {min: 1}}}",
        "{oordeel: onvoldoende, als: {onvoldoende: {min: 1, gelijk: 1}}}")
    f = tmp_path / "k.yaml"
    f.write_text(text)
    with pytest.raises(KaderError, match="'gelijk' cannot be combined"):
        load_kader(f, catalog().reg.beslisregels)
