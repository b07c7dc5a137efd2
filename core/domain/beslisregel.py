"""The Beslisregel interface: what every rule type (builtin or third-party) provides.

A beslisregel turns the scores of one criterium into an oordeel. Core knows only this
interface; the rule types themselves (``aantal``, ``percentage``, ``handmatig``, ...) are plugins
registered through the ``register_beslisregels`` hook. The engine and the consistency proof
(``verify``) talk to rules exclusively through ``Beslisregel.beslis``.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import attrs
from kaderwerk.domain.model import Bron, Oordeelschaal, Score


@attrs.frozen
class Telling:
    """The counts a count-based rule sees for one criterium."""

    voldoende: int
    onvoldoende: int
    niet_beoordeeld: int = 0

    @property
    def beoordeeld(self) -> int:
        return self.voldoende + self.onvoldoende

    @property
    def totaal(self) -> int:
        return self.beoordeeld + self.niet_beoordeeld

    def get(self, naam: str) -> int:
        """The count named as in a kader file (``beoordeeld``, ``totaal`` included)."""
        return int(getattr(self, naam))

    @classmethod
    def van_scores(cls, scores: Iterable[Score]) -> Telling:
        v = o = nb = 0
        for s in scores:
            if s is Score.VOLDOENDE:
                v += 1
            elif s is Score.ONVOLDOENDE:
                o += 1
            else:
                nb += 1
        return cls(v, o, nb)

    def to_dict(self) -> dict[str, int]:
        return {
            "voldoende": self.voldoende,
            "onvoldoende": self.onvoldoende,
            "niet_beoordeeld": self.niet_beoordeeld,
            "beoordeeld": self.beoordeeld,
            "totaal": self.totaal,
        }

    def __str__(self) -> str:
        return (f"{self.voldoende} voldoende, {self.onvoldoende} onvoldoende, "
                f"{self.niet_beoordeeld} niet beoordeeld")


@attrs.frozen
class Handmatig:
    """An oordeel the inspector supplied, with its onderbouwing."""

    oordeel: str
    onderbouwing: str | None = None


@attrs.frozen
class Invoer:
    """Everything a rule may look at for one criterium (or the organisation)."""

    telling: Telling
    scores: tuple[tuple[str, Score], ...] | None = None
    handmatig: Handmatig | None = None


@attrs.frozen
class Lezing:
    """How the encoding reads words of a clause's published tekst, and why (``lezing`` key)."""

    woorden: str
    gelezen_als: str
    reden: str

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Lezing | None:
        if not data:
            return None
        return cls(data["woorden"], data["gelezen_als"], data["reden"])

    def to_dict(self) -> dict[str, str]:
        return {"woorden": self.woorden, "gelezen_als": self.gelezen_als, "reden": self.reden}


@attrs.frozen
class Clausule:
    """One clause of a rule as a reader sees it: the oordeel it gives and its published words."""

    oordeel: str
    tekst: str | None = None
    lezing: Lezing | None = None


@attrs.frozen
class Ongelijkheid:
    """A linear condition on the counts: ``sum(factor * count) >= minimum``, in integers.

    The counts are named as in a kader file (``voldoende``, ``onvoldoende``,
    ``niet_beoordeeld``, ``beoordeeld``, ``totaal``); ``count <= c`` is written with negated
    factors, ``-count >= -c``.
    """

    termen: tuple[tuple[str, int], ...]
    minimum: int

    def geldt(self, telling: Telling) -> bool:
        return sum(f * telling.get(naam) for naam, f in self.termen) >= self.minimum


@attrs.frozen
class Beslissing:
    """The outcome of a rule: the oordeel (None when no clause applies) and why."""

    oordeel: str | None
    clausule: int | None
    toelichting: str
    passend: tuple[int, ...] = ()


HIT_POLICIES: tuple[str, ...] = ("uniek", "eerste")
"""The values of a rule's ``hit``: with ``uniek`` exactly one clause may match (an overlap is
an error), with ``eerste`` the first matching clause wins. The proofs know only these two."""


def buiten_schaal(oordeel: Any, schaal: Sequence[str]) -> str | None:
    """The problem with an oordeel that is not on the oordeelschaal, or None."""
    if oordeel is not None and oordeel not in schaal:
        return f"oordeel '{oordeel}' is not on the oordeelschaal ({', '.join(schaal)})"
    return None


class Beslisregel(abc.ABC):
    """Base class of rule types.

    ``telt_alleen`` is True when ``beslis`` depends on the counts only; the proof then works
    over counts instead of enumerating score vectors. ``handmatig`` marks rules whose input is
    an oordeel supplied by the inspector.
    """

    type: ClassVar[str]
    telt_alleen: ClassVar[bool] = False
    handmatig: ClassVar[bool] = False
    VELDEN: ClassVar[tuple[str, ...]] = ()
    """Fields of ``to_dict()`` this type adds, in the order ``diff`` reports their changes."""
    SCHEMA: ClassVar[Mapping[str, Any] | None] = None
    """JSON Schema of the rule's mapping in a kader file, composed into the kader schema
    (``schema.kader_schema``); it may refer to the kader schema's ``#/$defs/...``."""

    def __init__(self, *, tekst: str | None, bron: Bron | None, schaal: Oordeelschaal,
                 clausules: tuple[Clausule, ...], hit: str = "uniek",
                 zonder_beoordeling: str | None = None) -> None:
        self.tekst = tekst
        self.bron = bron
        self.schaal = schaal
        self.clausules = clausules
        self.hit = hit
        self.zonder_beoordeling = zonder_beoordeling

    @classmethod
    @abc.abstractmethod
    def from_mapping(cls, data: Mapping[str, Any], schaal: Oordeelschaal,
                     bron: Bron | None) -> Beslisregel:
        """Build the rule from its (schema-validated) mapping in a kader file."""

    @classmethod
    def controleer(cls, data: Mapping[str, Any],
                   schaal: Sequence[str]) -> Iterator[tuple[str, tuple[str | int, ...]]]:
        """Problems of a (schema-valid) mapping the schema cannot see: ``(message, path)``.

        ``path`` leads from the beslisregel mapping to the key at fault, so the loader can
        report it at its FILE:LINE:COL. Nothing by default.
        """
        return iter(())

    @abc.abstractmethod
    def beslis(self, invoer: Invoer) -> Beslissing:
        """The oordeel for this input, with the clause that fired."""

    def voorwaarden(self) -> tuple[tuple[Ongelijkheid, ...], ...] | None:
        """Each clause's conditions as linear inequalities over the counts, or None.

        A rule type that returns them opts in to the symbolic proof (``symbolisch``):
        its ``beslis`` must then be the clause list these describe, for every count where
        ``beoordeeld >= 1`` (a clause applies when all its inequalities hold; ``hit`` picks
        among them), and ``zonder_beoordeling`` when nothing is assessed. For a plugin's rule
        type the proof checks this against ``beslis`` at every count state of the size proven
        (``symbolisch.toets_voorwaarden``), so a rule that breaks the promise is an error.
        """
        return None

    def beschrijving(self) -> str:
        """The rule in words, for reports and ``kaderwerk render``."""
        if self.tekst:
            return self.tekst
        return "; ".join(f"{c.oordeel}: {c.tekst}" for c in self.clausules if c.tekst)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly description (what ``show --format json`` prints)."""
        return {
            "type": self.type,
            "hit": self.hit,
            "tekst": self.tekst,
            "zonder_beoordeling": self.zonder_beoordeling,
            "regels": [{"oordeel": c.oordeel, "tekst": c.tekst} for c in self.clausules],
            "bron": self.bron.to_dict() if self.bron else None,
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.type} {[c.oordeel for c in self.clausules]}>"
