"""Properties of the engine and the proofs, over random rules and random score vectors."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st
from kaderwerk.domain.beslisregel import Invoer, Telling
from kaderwerk.domain.engine import beslis
from kaderwerk.domain.gevallen import telling_gevallen, vector_gevallen
from kaderwerk.domain.model import Plafond, Score
from kaderwerk.domain.verify import bewijs

from .strategies import SCHAAL, percentage_regel, regel, scores


def _soorten(findings) -> set[tuple[str, int, int, int]]:
    out = set()
    for f in findings:
        v = f.tegenvoorbeeld
        if f.soort in ("niet_uitputtend", "overlap"):
            out.add((f.soort, v["voldoende"], v["onvoldoende"], v["niet_beoordeeld"]))
    return out


class _AlsVector:
    """Wraps a count rule so the proof must enumerate score vectors (telt_alleen False)."""

    telt_alleen = False
    handmatig = False

    def __init__(self, inner) -> None:
        self.inner = inner
        self.schaal, self.clausules, self.hit, self.type = (
            inner.schaal, inner.clausules, inner.hit, inner.type)

    def beslis(self, invoer):
        return self.inner.beslis(invoer)


@given(regel(), st.integers(0, 6), st.booleans())
def test_count_proof_agrees_with_brute_force(r, n, met_nb) -> None:
    """Proving over counts finds exactly the gaps and overlaps that enumerating vectors finds."""
    ids = [f"v{i}" for i in range(n)]
    by_counts = _soorten(bewijs(r, (), ids, met_nb=met_nb, bereikbaarheid=False))
    by_vectors = _soorten(bewijs(_AlsVector(r), (), ids, met_nb=met_nb, bereikbaarheid=False))
    assert by_counts == by_vectors
    mono_c = any(f.soort == "niet_monotoon" for f in bewijs(r, (), ids, met_nb=met_nb))
    mono_v = any(f.soort == "niet_monotoon" for f in bewijs(_AlsVector(r), (), ids,
                                                              met_nb=met_nb))
    assert mono_c == mono_v


@given(regel(), st.data())
def test_count_rules_are_permutation_invariant(r, data) -> None:
    """A count rule gives the same oordeel for any order of the same scores, every time."""
    vec = data.draw(scores(data.draw(st.integers(0, 6))))
    perm = data.draw(st.permutations(vec))
    a = r.beslis(Invoer(Telling.van_scores(vec)))
    b = r.beslis(Invoer(Telling.van_scores(perm)))
    assert a == b == r.beslis(Invoer(Telling.van_scores(vec)))


@given(regel(), st.integers(1, 6), st.sampled_from(SCHAAL.niveaus))
def test_plafonds_keep_monotone_rules_monotone(r, n, cap) -> None:
    """If a rule is monotone at size n, it stays monotone under any plafond."""
    ids = [f"v{i}" for i in range(n)]
    if any(f.soort == "niet_monotoon" for f in bewijs(r, (), ids)):
        return
    p = (Plafond("wachtlijst", True, cap, "wachtlijst"),)
    assert not any(f.soort == "niet_monotoon" for f in bewijs(r, p, ids))


@given(regel(), st.integers(0, 6), st.sampled_from(SCHAAL.niveaus))
def test_plafond_never_raises_and_always_caps(r, n, cap) -> None:
    """With the fact set the oordeel is at most the cap and never better than without it."""
    p = (Plafond("wachtlijst", True, cap, "wachtlijst"),)
    for g in telling_gevallen(n, met_nb=True):
        free = beslis(r, (), Invoer(g.telling), {}).oordeel
        capped = beslis(r, p, Invoer(g.telling), {"wachtlijst": True}).oordeel
        if free is None:
            assert capped is None
        else:
            assert SCHAAL.rang(capped) >= max(SCHAAL.rang(free), 0)
            assert SCHAAL.rang(capped) >= SCHAAL.rang(cap) or capped == free


@given(percentage_regel(), st.integers(1, 30), st.integers(0, 30))
def test_percentage_rules_read_shares_of_assessed(r, n, v) -> None:
    """Percentage rules depend on voldoende/beoordeeld only: niet beoordeeld never counts."""
    v = min(v, n)
    base = r.beslis(Invoer(Telling(v, n - v, 0)))
    with_nb = r.beslis(Invoer(Telling(v, n - v, 7)))
    assert (base.oordeel, base.clausule, base.passend) == (
        with_nb.oordeel, with_nb.clausule, with_nb.passend)


def test_niet_beoordeeld_never_counts_as_voldoende() -> None:
    """Vectors and counts agree on the counts: NB is neither voldoende nor onvoldoende."""
    for g in vector_gevallen(["a", "b", "c"], met_nb=True):
        t = g.telling
        assert t.voldoende == sum(1 for _, s in g.scores if s is Score.VOLDOENDE)
        assert t.niet_beoordeeld == sum(1 for _, s in g.scores if s is Score.NIET_BEOORDEELD)
    assert len(list(itertools.islice(vector_gevallen(["a", "b"], met_nb=True), 100))) == 9


def test_heel_procent_rounds_half_up() -> None:
    """'51% of meer' with afronding heel_procent: 26/51 (50.98%) rounds to 51; 1/200 to 1."""
    from kaderwerk.domain.afronding import heel_procent

    assert heel_procent(26, 51) == 51
    assert heel_procent(1, 200) == 1
    assert heel_procent(1, 201) == 0
    assert heel_procent(50, 100) == 50


def test_percentage_rounding_changes_the_51_percent_gap() -> None:
    """With exact comparison 26 of 51 is not voldoende; rounded to whole percent it is."""
    from kaderwerk.sources.manager import registry

    cls = registry().beslisregels["percentage"]
    clauses = [{"oordeel": "voldoende", "als": {"voldoende": {"min": 51}}},
               {"oordeel": "onvoldoende", "als": {"onvoldoende": {"min": 50}}}]
    exact = cls.from_mapping({"type": "percentage", "regels": clauses}, SCHAAL, None)
    rounded = cls.from_mapping({"type": "percentage", "regels": clauses,
                                "afronding": "heel_procent"}, SCHAAL, None)
    assert exact.beslis(Invoer(Telling(26, 25))).oordeel is None
    assert rounded.beslis(Invoer(Telling(26, 25))).oordeel == "voldoende"
