"""Veilig Thuis Stap 1 matches its source document and its rules behave as published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from kaderwerk.domain.beslisregel import Invoer, Telling
from kaderwerk.domain.verify import check_kader
from kaderwerk.sources.catalog import catalog

from .conftest import ROOT

SEED = ROOT.parent / "shared" / "seeds" / "001_1ccaf6145f9887a4.txt"
KADER_FILE = ROOT / "kaders" / "veilig-thuis-stap-1" / "2015.yaml"


@pytest.fixture(scope="module")
def kader():
    return catalog().get("veilig-thuis-stap-1")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_structure_counts(kader) -> None:
    """3 thema's, 7 criteria, 25 verwachtingen of which only 3.1.1 is not assessed."""
    assert [t.id for t in kader.themas] == ["1", "2", "3"]
    assert [c.id for c in kader.criteria] == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2"]
    assert len(kader.verwachtingen) == 25
    assert [v.id for v in kader.verwachtingen if not v.beoordeeld] == ["3.1.1"]
    v311 = next(v for v in kader.verwachtingen if v.id == "3.1.1")
    assert "nog niet beoordeeld" in v311.noten[0]


@pytest.mark.skipif(not SEED.exists(), reason="source documents (../shared/seeds) not present")
def test_texts_are_verbatim_from_source(kader) -> None:
    """Every titel, norm and verwachting text occurs verbatim in Bijlage 2 of source 001."""
    source = SEED.read_text(encoding="utf-8")
    bijlage2 = _fold(source[source.index("Bijlage 2 - Toetsingskader"):
                            source.index("Bijlage 3 - Onderzoeksopzet")])
    bijlage2 = re.sub(r"(?<=[a-z])\d+(?=[ .])", "", bijlage2)
    for t in kader.themas:
        assert _fold(t.norm) in bijlage2, t.id
        for c in t.criteria:
            assert _fold(c.titel) in bijlage2, c.id
            for v in c.verwachtingen:
                assert f"{v.id} {_fold(v.tekst)}" in bijlage2, v.id


@pytest.mark.skipif(not SEED.exists(), reason="source documents (../shared/seeds) not present")
def test_rule_texts_are_verbatim(kader) -> None:
    """The beslisregel clause texts occur verbatim in Bijlage 3."""
    source = _fold(SEED.read_text(encoding="utf-8"))
    for c in kader.criteria:
        for clause in c.beslisregel.clausules:
            assert _fold(clause.tekst) in source, (c.id, clause.tekst)


def test_every_element_cites_its_source(kader) -> None:
    """Each thema, criterium, verwachting and rule carries a bron naming the section."""
    for t in kader.themas:
        assert t.bron and t.bron.document and t.bron.sectie
        for c in t.criteria:
            assert c.bron and c.bron.sectie.startswith("Bijlage 2")
            assert c.beslisregel.bron.sectie.startswith("Bijlage 3")
            for v in c.verwachtingen:
                assert v.bron and v.bron.sectie.startswith("Bijlage 2")
    assert kader.bron.volledig is True


def test_file_starts_with_schema_line() -> None:
    """Editors find the schema through the first line of the file."""
    first = KADER_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/kader.schema.json"
    assert yaml.safe_load(KADER_FILE.read_text(encoding="utf-8"))["id"] == "veilig-thuis-stap-1"


@pytest.mark.parametrize(("crit", "v", "o", "oordeel"), [
    ("1.1", 4, 0, "voldoende"), ("1.1", 3, 1, "voldoende"), ("1.1", 2, 2, "matig"),
    ("1.1", 1, 3, "onvoldoende"), ("1.2", 3, 2, "matig"), ("1.2", 2, 3, "onvoldoende"),
    ("2.1", 3, 0, "voldoende"), ("2.1", 2, 1, "matig"), ("2.1", 1, 2, "onvoldoende"),
    ("3.1", 2, 1, "voldoende"), ("3.1", 1, 2, "onvoldoende"), ("3.2", 1, 1, "onvoldoende"),
    ("3.2", 2, 0, "voldoende"),
])
def test_published_rules_evaluate_as_published(kader, crit, v, o, oordeel) -> None:
    """Bijlage 3's rules give the oordeel its words say."""
    c = next(c for c in kader.criteria if c.id == crit)
    nb = sum(1 for x in c.verwachtingen if not x.beoordeeld)
    assert c.beslisregel.beslis(Invoer(Telling(v, o, nb))).oordeel == oordeel


def test_check_passes_at_real_sizes(kader) -> None:
    """At the kader's real sizes the published rules are exhaustive, exclusive and monotone."""
    rapport = check_kader(kader)
    assert rapport.ok, rapport.bevindingen


def test_sizes_where_published_rules_break(kader) -> None:
    """Worked out from the rule texts:

    Randvoorwaarden: matig needs 2 onvoldoende and 2-3 voldoende, so sizes 2, 3 (2 onvoldoende
    with 0 or 1 voldoende) and 6+ (2 onvoldoende with 4+ voldoende) have gaps.
    Veiligheid: matig needs 1 onvoldoende and exactly 2 voldoende: sizes 1, 2 and 4+ break.
    Organisatie: voldoende needs >= 51%, onvoldoende >= 50% onvoldoende: a share strictly
    between 50% and 51% voldoende exists for odd n >= 51 (and even n > 100).
    """
    rapport = check_kader(kader, groottes=range(1, 61))
    expect = {
        "1": [2, 3, *range(6, 61)],
        "2": [1, 2, *range(4, 61)],
        "3": [51, 53, 55, 57, 59],
    }
    for c in kader.criteria:
        per = rapport.groottes[c.id]
        assert per.get("niet_uitputtend", []) == expect[c.id[0]], c.id
        assert "overlap" not in per and "niet_monotoon" not in per


def test_organisatie_rule_breaks_at_even_sizes_above_100(kader) -> None:
    """The 51% rule leaves 51 of 100+2 uncovered too: n = 102 has a gap (52/102 = 50.98%)."""
    rapport = check_kader(kader, groottes=range(101, 103))
    assert rapport.groottes["3.1"]["niet_uitputtend"] == [101, 102]


def test_removing_a_verwachting_makes_check_fail(tmp_path: Path, run_cli) -> None:
    """Dropping 1.1.4 leaves criterium 1.1 with three: 2 onvoldoende + 1 voldoende has no rule."""
    text = KADER_FILE.read_text(encoding="utf-8")
    start = text.index('          - id: "1.1.4"')
    end = text.index('      - id: "1.2"')
    shrunk = tmp_path / "stap1-kleiner.yaml"
    shrunk.write_text(text[:start] + text[end:], encoding="utf-8")
    code, out, _err = run_cli("check", str(shrunk))
    assert code == 1
    assert "criterium 1.1" in out
    assert "1 voldoende, 2 onvoldoende" in out
    assert "not exhaustive" in out
