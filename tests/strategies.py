"""Hypothesis strategies for the engine's own property tests (authors' ones are in testing)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from kaderwerk.domain.model import Oordeelschaal, Score
from kaderwerk.sources.manager import registry
from kaderwerk.testing import aantal_regels

SCHAAL = Oordeelschaal(("voldoende", "matig", "onvoldoende"))


def regel(max_n: int = 6) -> Any:
    """Built ``aantal`` rules with random clauses."""
    cls = registry().beslisregels["aantal"]
    return aantal_regels(SCHAAL.niveaus, max_n).map(lambda d: cls.from_mapping(d, SCHAAL, None))


def percentage_regel() -> Any:
    """Built ``percentage`` rules with random thresholds and rounding."""
    cls = registry().beslisregels["percentage"]
    pct = st.integers(0, 100)
    clause = st.builds(lambda o, naam, lo: {"oordeel": o, "als": {naam: {"min": lo}}},
                       st.sampled_from(SCHAAL.niveaus), st.sampled_from(["voldoende",
                                                                         "onvoldoende"]), pct)
    return st.builds(
        lambda regels, hit, afr: cls.from_mapping(
            {"type": "percentage", "regels": regels, "hit": hit, "afronding": afr}, SCHAAL, None),
        st.lists(clause, min_size=1, max_size=3), st.sampled_from(["uniek", "eerste"]),
        st.sampled_from(["geen", "heel_procent"]))


def scores(n: int, met_nb: bool = True) -> Any:
    waarden = [Score.VOLDOENDE, Score.ONVOLDOENDE] + ([Score.NIET_BEOORDEELD] if met_nb else [])
    return st.lists(st.sampled_from(waarden), min_size=n, max_size=n)
