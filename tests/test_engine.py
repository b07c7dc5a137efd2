"""The engine's trace explains an oordeel: clause, distance to the next boundary, bandbreedte."""

from __future__ import annotations

import pytest
from kaderwerk.domain.beoordeling import Beoordeling
from kaderwerk.domain.engine import Beoordelaar
from kaderwerk.domain.model import Score
from kaderwerk.sources.catalog import catalog

VOL, ONV, NB = Score.VOLDOENDE, Score.ONVOLDOENDE, Score.NIET_BEOORDEELD


@pytest.fixture(scope="module")
def stap1():
    return catalog().get("veilig-thuis-stap-1")


def _criterium(kader, cid: str, scores: list[Score]):
    c = next(c for c in kader.criteria if c.id == cid)
    ids = [v.id for v in c.beoordeelde]
    return Beoordelaar(kader).criterium(c, Beoordeling("X", dict(zip(ids, scores, strict=True))))


def test_distance_to_next_boundary(stap1) -> None:
    """1 onvoldoende of 4 in Randvoorwaarden is voldoende; one more onvoldoende makes it matig."""
    o = _criterium(stap1, "1.1", [VOL, VOL, VOL, ONV])
    assert o.oordeel == "voldoende"
    assert o.afstand == "één onvoldoende meer → matig"


def test_distance_both_ways(stap1) -> None:
    """Matig in Veiligheid is one step from both neighbours."""
    o = _criterium(stap1, "2.1", [VOL, VOL, ONV])
    assert o.afstand == "één onvoldoende meer → onvoldoende; één voldoende meer → voldoende"


def test_distance_into_a_gap_says_geen_oordeel(stap1) -> None:
    """Where the next step falls in a gap of the published rule, the trace says so."""
    o = _criterium(stap1, "1.1", [VOL, VOL, ONV, ONV])
    assert o.oordeel == "matig"
    assert "één onvoldoende meer → onvoldoende" in o.afstand
    assert "één voldoende meer → voldoende" in o.afstand


def test_bandbreedte_with_niet_beoordeeld(stap1) -> None:
    """Two open verwachtingen in 1.1 (2 voldoende known): voldoende now, matig at worst."""
    o = _criterium(stap1, "1.1", [VOL, VOL, NB, NB])
    assert o.oordeel == "voldoende"
    assert o.bandbreedte == {"beste": "voldoende", "slechtste": "matig"}


def test_no_bandbreedte_for_not_assessed_verwachting(stap1) -> None:
    """3.1.1 is niet beoordeeld by the kader itself: that gives no bandbreedte."""
    o = _criterium(stap1, "3.1", [VOL, VOL, ONV])
    assert o.bandbreedte is None and o.oordeel == "voldoende"
