"""The bound of a ``check``: how many cases each part of a proof will try, counted before any is
tried, and the refusal of a job past ``MAX_GEVALLEN`` at the part to narrow first.

Apart from ``verify`` so the proof reads as the proof; the count itself follows from the cases
``kaderwerk.domain.gevallen`` makes. ``op_plek`` lives here too: every step that runs a rule's
code, the count included, locates a plugin's failure at its criterium.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from kaderwerk.domain.beslisregel import Beslisregel
from kaderwerk.domain.errors import KaderwerkError, PluginFailed, Problem
from kaderwerk.domain.gevallen import GEWICHT_VECTOR, MAX_Z3_CLAUSULES, aantal_gevallen
from kaderwerk.domain.model import Criterium, Kader
from kaderwerk.domain.woorden import aantal

MAX_GEVALLEN = 500_000
"""Most cases (count states or vectors) one check may try:
about 12 s and 330 MB of count states on the project's machine."""

class TeGrootError(KaderwerkError):
    """A proof job past ``MAX_GEVALLEN``: refused before it starts, with its size."""


def symbolisch(regel: Beslisregel, methode: str = "symbolisch") -> bool:
    """True when this rule is proven by z3 under ``methode`` (nothing is enumerated then)."""
    if methode != "symbolisch":
        return False
    from kaderwerk.domain.symbolisch import ondersteund

    return ondersteund(regel)


def gewicht(regel: Beslisregel, n: int, open_n: int, methode: str = "tellingen") -> int:
    """What ``gevallen_voor`` costs, in count states, for ``n`` assessed, ``open_n`` open;
    0 for a builtin rule proven symbolically (its cost does not grow with n)."""
    if symbolisch(regel, methode):
        from kaderwerk.domain.symbolisch import vertrouwd

        if vertrouwd(regel):
            if len(regel.clausules) > MAX_Z3_CLAUSULES:  # walked: each state costs per clause
                return aantal_gevallen(regel, n, open_n) * len(regel.clausules)
            return 0
        return aantal_gevallen(regel, n, open_n)  # a plugin's voorwaarden are checked per state
    aantal = aantal_gevallen(regel, n, open_n)
    return aantal if regel.telt_alleen or regel.handmatig else aantal * GEWICHT_VECTOR


def ruimte_van(c: Criterium) -> tuple[list[str], list[str], list[str]]:
    """The assessed ids, the ids not assessed, and the ids that may be niet beoordeeld."""
    ids = [v.id for v in c.beoordeelde]
    vast = [v.id for v in c.verwachtingen if not v.beoordeeld]
    return ids, vast, [] if c.score_verplicht else ids


def organisatie_ruimte(kader: Kader) -> tuple[list[str], list[str], list[str]]:
    ids = [v.id for v in kader.verwachtingen if v.beoordeeld]
    vast = [v.id for v in kader.verwachtingen if not v.beoordeeld]
    open_ids = [v.id for c in kader.criteria if not c.score_verplicht for v in c.beoordeelde]
    return ids, vast, open_ids


def omvang(kader: Kader, groottes: range | None = None,
           methode: str = "symbolisch") -> list[tuple[str, int]]:
    """The cases each part of ``check_kader`` will try, before trying any (for the bound)."""
    delen: list[tuple[str, int]] = []
    for c in kader.criteria:
        with op_plek(kader, c.id):
            delen.extend(_omvang_van(c, groottes, methode))
    if kader.organisatie is not None:
        ids, _, open_ids = organisatie_ruimte(kader)
        with op_plek(kader, "organisatie"):
            delen.append((f"organisatie ({aantal(len(ids), 'verwachting')})",
                          gewicht(kader.organisatie.beslisregel, len(ids), len(open_ids),
                                  methode)))
    return delen


def _omvang_van(c: Criterium, groottes: range | None, methode: str) -> list[tuple[str, int]]:
    delen: list[tuple[str, int]] = []
    ids, _, open_ids = ruimte_van(c)
    delen.append((f"criterium {c.id} ({aantal(len(ids), 'verwachting')}"
                  f"{'' if open_ids else ', score_verplicht'})",
                  gewicht(c.beslisregel, len(ids), len(open_ids), methode)))
    if groottes is not None and not c.beslisregel.handmatig:
        extra = sum(gewicht(c.beslisregel, m, m if open_ids else 0, methode)
                    for m in groottes if m != len(ids))
        delen.append((f"criterium {c.id} at --sizes {groottes.start}-{groottes.stop - 1}",
                      extra))
    return delen


def bewaak(kader: Kader, delen: Sequence[tuple[str, int]]) -> int:
    """The total of ``delen``; past ``MAX_GEVALLEN``, ``TeGrootError`` at the largest part."""
    totaal = sum(n for _, n in delen)
    if totaal > MAX_GEVALLEN:
        grootste = sorted(delen, key=lambda d: -d[1])[:3]
        # located at the largest part: the criterium (or organisatie) to narrow first
        wat = grootste[0][0].split(" (")[0].split(" at --sizes")[0]
        regel, kolom = kader.positie(wat.removeprefix("criterium "))
        raise TeGrootError.at(
            f"{kader.ref}: check would try {totaal:,} cases, more than its limit of "
            f"{MAX_GEVALLEN:,} (largest: " + "; ".join(f"{w}: {n:,}" for w, n in grootste)
            + "). Narrow it: give a smaller --sizes range, declare score_verplicht where every "
            "assessed verwachting is always scored (no niet beoordeeld: n+1 cases instead of "
            "about n²/2), or split a very large criterium" + (
                f"; a rule of more than {MAX_Z3_CLAUSULES} clauses costs a case per clause "
                "for each count state: use fewer clauses" if _veel_clausules(kader) else ""),
            kader.pad, regel, kolom)
    return totaal


@contextlib.contextmanager
def op_plek(kader: Kader, doel: str) -> Iterator[None]:
    """A plugin's failure inside, located at criterium ``doel`` (or ``organisatie``) in the
    kader file, for the terminal and SARIF: every step of ``check`` that runs a rule's code
    (the bound, the proof, the sizes, the text check) runs in one."""
    try:
        yield
    except PluginFailed as exc:
        wie = "organisatie" if doel == "organisatie" else f"criterium {doel}"
        raise exc.plaats(Problem("", kader.pad, *kader.positie(doel)), f"{wie}: "
                         ) from exc.__cause__


def _veel_clausules(kader: Kader) -> bool:
    regels = [c.beslisregel for c in kader.criteria] + (
        [kader.organisatie.beslisregel] if kader.organisatie is not None else [])
    return any(len(r.clausules) > MAX_Z3_CLAUSULES for r in regels)
