"""A break set in words: the parts of the sizes at which a rule breaks, for every n.

``kaderwerk.domain.breuken`` computes the set (``check --sizes all``); this module holds it as
data (``Deel``, ``Breuk``) and words it, once for every output: in English for findings and the
reports ("2-3 and every n ≥ 6", ``regels``), in Dutch for the ``--sizes all`` table
(``nederlands``). It needs no z3.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from kaderwerk.domain.verify import SOORTEN, bereiken

BREUK_SOORTEN = ("niet_uitputtend", "overlap", "niet_monotoon", "buiten_schaal")
"""The kinds of finding ``--sizes`` reports per size."""


@attrs.frozen
class Deel:
    """One part of a break set: sizes ``van``..``tot`` (``tot`` None: no end), every
    ``stap``-th from ``van`` (``stap`` 1: all), with one counterexample at size ``van``."""

    van: int
    tot: int | None
    stap: int
    voorbeeld: dict[str, int]

    def bevat(self, n: int) -> bool:
        return n >= self.van and (self.tot is None or n <= self.tot) \
            and (n - self.van) % self.stap == 0

    def tekst(self) -> str:
        if self.tot is not None:
            return str(self.van) if self.tot == self.van else f"{self.van}-{self.tot}"
        if self.stap == 1:
            return f"every n ≥ {self.van}"
        if self.stap == 2:
            return f"every {'odd' if self.van % 2 else 'even'} n ≥ {self.van}"
        return f"every n ≥ {self.van} with n mod {self.stap} = {self.van % self.stap}"

    def to_dict(self) -> dict[str, Any]:
        return {"tekst": self.tekst(), "van": self.van, "tot": self.tot, "stap": self.stap,
                "tegenvoorbeeld": dict(self.voorbeeld)}


@attrs.frozen
class Breuk:
    """The exact set of sizes at which a rule shows one kind of finding, for all n."""

    soort: str
    delen: tuple[Deel, ...]

    def bevat(self, n: int) -> bool:
        return any(d.bevat(n) for d in self.delen)

    def tekst(self) -> str:
        stukken: list[str] = []
        eindig = [n for d in self.delen if d.tot is not None for n in range(d.van, d.tot + 1)]
        if eindig:
            stukken.append(bereiken(eindig))
        stukken += [d.tekst() for d in self.delen if d.tot is None]
        if not stukken:
            return "never"
        if len(stukken) == 1:
            return stukken[0]
        los = " and " if len(stukken) == 2 and not stukken[0].startswith("every") else ", and "
        return ", ".join(stukken[:-1]) + los + stukken[-1]

    def to_dict(self) -> dict[str, Any]:
        return {"tekst": self.tekst(), "delen": [d.to_dict() for d in self.delen]}


NEDERLANDS = (("every odd n", "elke oneven n"), ("every even n", "elke even n"),
              ("every n", "elke n"), (" with n mod ", " met n mod "), (", and ", ", en "),
              (" and ", " en "))
"""The closed form's words in Dutch, for the ``check --sizes all`` table (tables are Dutch)."""


def nederlands(tekst: str) -> str:
    """A closed form as ``Breuk.tekst`` words it, in Dutch ('never' becomes '-')."""
    if tekst == "never":
        return "-"
    for en, nl in NEDERLANDS:
        tekst = tekst.replace(en, nl)
    return tekst


def regels(rapport_breuken: Mapping[str, Mapping[str, Any]]
           ) -> list[tuple[str, str, str]]:
    """One line per criterium and kind of finding (or clause) that breaks at some size:
    (criterium, kind, the closed form worded with a counterexample per part), as text and the
    reports show it."""
    uit = []
    for cid, per in rapport_breuken.items():
        if not per.get("bewezen"):
            uit.append((cid, "", f"sizes not proven for every n: {per.get('reden')}"))
            continue
        for soort in BREUK_SOORTEN:
            b = per[soort]
            if not b["delen"]:
                continue
            voorbeelden = "; ".join(
                f"n={d['tegenvoorbeeld']['grootte']}: {d['tegenvoorbeeld']['voldoende']} "
                f"voldoende, {d['tegenvoorbeeld']['onvoldoende']} onvoldoende, "
                f"{d['tegenvoorbeeld']['niet_beoordeeld']} niet beoordeeld"
                for d in b["delen"])
            uit.append((cid, soort, f"{SOORTEN[soort]} at {b['tekst']} (e.g. {voorbeelden})"))
        for c in per.get("clausules", ()):
            naam = f"clause {c['regel']} ('{c['tekst'] or c['oordeel']}')"
            if c["onbereikbaar"]["delen"]:
                uit.append((cid, "onbereikbaar",
                            f"{naam} never applies at {c['onbereikbaar']['tekst']}"))
            if c["overschaduwd"]["delen"]:
                voorbeelden = "; ".join(
                    f"n={d['tegenvoorbeeld']['grootte']}: {d['tegenvoorbeeld']['voldoende']} "
                    f"voldoende, {d['tegenvoorbeeld']['onvoldoende']} onvoldoende, "
                    f"{d['tegenvoorbeeld']['niet_beoordeeld']} niet beoordeeld"
                    for d in c["overschaduwd"]["delen"])
                uit.append((cid, "overschaduwd", f"{naam} never decides at "
                            f"{c['overschaduwd']['tekst']} (it applies only where another "
                            f"clause applies too, e.g. {voorbeelden})"))
    return uit
