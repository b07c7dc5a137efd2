"""Builtin rule types: ``aantal`` (counts), ``percentage`` and ``handmatig``.

A builtin plugin like any other: it registers its classes through ``register_beslisregels``.
Count and percentage rules are lists of clauses with an inclusive range per count; their hit
policy is ``uniek`` (exactly one clause may apply) or ``eerste`` (the first that applies wins).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, ClassVar

import attrs
from kaderwerk.api import (
    HIT_POLICIES,
    Beslisregel,
    Beslissing,
    Bron,
    Clausule,
    Invoer,
    Lezing,
    Ongelijkheid,
    Oordeelschaal,
    Telling,
    buiten_schaal,
    heel_procent,
    hookimpl,
)

# The JSON Schema of each builtin type; kader.schema.json is their composition
# (docs/generate_reference.py writes it; a test keeps it so). "#/$defs/..." are the kader
# schema's shared definitions.
_TEKST = {"type": "string", "minLength": 1, "pattern": "\\S"}
_HIT = {"enum": list(HIT_POLICIES), "default": "uniek",
        "description": "uniek: exactly one clause may match (an overlap is an error); eerste: "
                       "the first matching clause wins."}
_ZONDER = {"type": ["string", "null"],
           "description": "The oordeel when no verwachting was assessed; null: no oordeel."}


def _clausules(tellingen: tuple[str, ...]) -> dict[str, Any]:
    """The ``regels`` list of a clause rule whose conditions range over ``tellingen``."""
    return {"type": "array", "minItems": 1, "items": {
        "type": "object", "additionalProperties": False, "required": ["oordeel", "als"],
        "properties": {
            "oordeel": {"type": "string",
                        "description": "The oordeel this clause gives (on the oordeelschaal)."},
            "tekst": _TEKST, "lezing": {"$ref": "#/$defs/lezing"},
            "als": {"type": "object", "additionalProperties": False, "minProperties": 1,
                    "description": "Conditions that must all hold.",
                    "properties": {t: {"$ref": "#/$defs/bereik"} for t in tellingen}}}}}


def _clause_schema(naam: str, extra: dict[str, Any], tellingen: tuple[str, ...],
                   description: str) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": ["type", "regels"],
            "properties": {"type": {"const": naam}, "hit": _HIT, "tekst": _TEKST,
                           "bron": {"$ref": "#/$defs/bron"}, "zonder_beoordeling": _ZONDER,
                           **extra, "regels": _clausules(tellingen)},
            "description": description}


@attrs.frozen
class Bereik:
    """An inclusive range on one number; ``gelijk`` is min == max."""

    naam: str
    min: Fraction | None = None
    max: Fraction | None = None

    @classmethod
    def from_mapping(cls, naam: str, data: Mapping[str, Any]) -> Bereik:
        if "gelijk" in data:
            g = Fraction(str(data["gelijk"]))
            return cls(naam, g, g)
        lo, hi = data.get("min"), data.get("max")
        return cls(naam, None if lo is None else Fraction(str(lo)),
                   None if hi is None else Fraction(str(hi)))

    def bevat(self, waarde: Fraction | int) -> bool:
        return (self.min is None or waarde >= self.min) and (self.max is None or waarde <= self.max)

    def __str__(self) -> str:
        if self.min is not None and self.min == self.max:
            return f"{self.naam} = {_num(self.min)}"
        parts = []
        if self.min is not None:
            parts.append(f"{self.naam} >= {_num(self.min)}")
        if self.max is not None:
            parts.append(f"{self.naam} <= {_num(self.max)}")
        return " en ".join(parts)


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else str(float(x))


class _ClauseRule(Beslisregel):
    """Shared machinery of clause lists over numbers derived from a Telling."""

    telt_alleen = True
    eenheid = "aantal"
    """What the conditions count: ``aantal`` (verwachtingen) or ``procent`` (of the assessed)."""

    def __init__(self, *, condities: tuple[tuple[Bereik, ...], ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.condities = condities
        self._zinnen: dict[int, str] = {}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], schaal: Oordeelschaal,
                     bron: Bron | None) -> Beslisregel:
        regels = data["regels"]
        return cls(
            tekst=data.get("tekst"), bron=bron, schaal=schaal,
            clausules=tuple(Clausule(r["oordeel"], r.get("tekst"),
                                     Lezing.from_mapping(r.get("lezing"))) for r in regels),
            condities=tuple(tuple(Bereik.from_mapping(k, v) for k, v in r["als"].items())
                            for r in regels),
            hit=data.get("hit", "uniek"),
            zonder_beoordeling=data.get("zonder_beoordeling"),
            **cls._extra(data),
        )

    @classmethod
    def _extra(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    @classmethod
    def controleer(cls, data: Mapping[str, Any],
                   schaal: Sequence[str]) -> Iterator[tuple[str, tuple[str | int, ...]]]:
        """Each clause's oordeel on the scale; no range with min above max."""
        for i, clause in enumerate(data.get("regels", [])):
            waar = ("regels", i)
            message = buiten_schaal(clause.get("oordeel"), schaal)
            if message:
                yield message, (*waar, "oordeel")
            for naam, bereik in clause.get("als", {}).items():
                lo, hi = bereik.get("min"), bereik.get("max")
                if lo is not None and hi is not None and lo > hi:
                    yield (f"condition on '{naam}': min {lo} is greater than max {hi}",
                           (*waar, "als", naam))
                yield from ((m, (*waar, "als", naam)) for m in cls._bereik_controle(naam, bereik))

    @classmethod
    def _bereik_controle(cls, naam: str, bereik: Mapping[str, Any]) -> Iterator[str]:
        return iter(())

    def waarde(self, naam: str, telling: Telling) -> Fraction | int:
        raise NotImplementedError

    def voorwaarden(self) -> tuple[tuple[Ongelijkheid, ...], ...] | None:
        return tuple(tuple(o for b in conds for o in self.ongelijkheden(b))
                     for conds in self.condities)

    def ongelijkheden(self, b: Bereik) -> list[Ongelijkheid]:
        """The range ``b`` as linear inequalities over the counts (valid for beoordeeld >= 1)."""
        raise NotImplementedError

    def passend(self, telling: Telling) -> tuple[int, ...]:
        """Indices of all clauses whose conditions hold."""
        return tuple(i for i, conds in enumerate(self.condities)
                     if all(b.bevat(self.waarde(b.naam, telling)) for b in conds))

    def beslis(self, invoer: Invoer) -> Beslissing:
        t = invoer.telling
        if t.beoordeeld == 0:
            z = self.zonder_beoordeling
            return Beslissing(z, None, "geen verwachting beoordeeld: " + (
                f"oordeel {z}" if z else "geen oordeel"))
        hits = self.passend(t)
        if not hits:
            return Beslissing(None, None, f"geen regel van toepassing bij {self.uitleg(t)}")
        if self.hit == "uniek" and len(hits) > 1:
            nrs = ", ".join(str(i + 1) for i in hits)
            return Beslissing(None, None, f"regels {nrs} zijn tegelijk van toepassing bij "
                              f"{self.uitleg(t)} (hit: uniek)", hits)
        first = hits[0]
        return Beslissing(self.clausules[first].oordeel, first, self.clausule_tekst(first), hits)

    def clausule_tekst(self, i: int) -> str:
        """The clause's published tekst, or else the sentence of its conditions."""
        c = self.clausules[i]
        if c.tekst:
            return c.tekst
        if i not in self._zinnen:
            from kaderwerk.api import zin

            self._zinnen[i] = zin(c.oordeel, self.condities[i], procent=self.eenheid == "procent",
                                  afronding=getattr(self, "afronding", "geen"))
        return self._zinnen[i]

    def uitleg(self, t: Telling) -> str:
        return str(t)

    def to_dict(self) -> dict[str, Any]:
        from kaderwerk.api import controles

        d = super().to_dict()
        for regel, conds, controle in zip(d["regels"], self.condities, controles(self),
                                          strict=True):
            regel["als"] = [str(b) for b in conds]
            regel["voorwaarden"] = controle.zin
            regel["lezing"] = None if controle.lezing is None else controle.lezing.to_dict()
            regel["tekstcontrole"] = controle.to_dict()
        return d


class AantalRegel(_ClauseRule):
    """Clauses over counts: voldoende, onvoldoende, niet_beoordeeld, beoordeeld, totaal."""

    type = "aantal"
    SCHEMA = _clause_schema(
        "aantal", {}, ("voldoende", "onvoldoende", "niet_beoordeeld", "beoordeeld", "totaal"),
        "Clauses over the counts of a criterium's verwachtingen.")

    def waarde(self, naam: str, telling: Telling) -> int:
        return telling.get(naam)

    def ongelijkheden(self, b: Bereik) -> list[Ongelijkheid]:
        uit = []
        if b.min is not None:
            uit.append(Ongelijkheid(((b.naam, 1),), math.ceil(b.min)))
        if b.max is not None:
            uit.append(Ongelijkheid(((b.naam, -1),), -math.floor(b.max)))
        return uit


class PercentageRegel(_ClauseRule):
    """Clauses over voldoende / onvoldoende as a percentage of the assessed verwachtingen.

    ``afronding: geen`` compares the exact fraction (26 of 51 = 50.98% is not "51% of meer");
    ``heel_procent`` rounds half up to a whole percent first (50.98% -> 51%).
    """

    type = "percentage"
    eenheid = "procent"
    VELDEN = ("afronding",)
    SCHEMA = _clause_schema(
        "percentage", {"afronding": {
            "enum": ["geen", "heel_procent"], "default": "geen",
            "description": "geen: compare the exact fraction; heel_procent: round the "
                           "percentage half up to a whole percent first."}},
        ("voldoende", "onvoldoende"),
        "Clauses over voldoende or onvoldoende as a percentage of the assessed verwachtingen.")

    def __init__(self, *, afronding: str = "geen", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.afronding = afronding

    @classmethod
    def _extra(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        return {"afronding": data.get("afronding", "geen")}

    @classmethod
    def _bereik_controle(cls, naam: str, bereik: Mapping[str, Any]) -> Iterator[str]:
        if any(x is not None and x > 100
               for x in (bereik.get("min"), bereik.get("max"), bereik.get("gelijk"))):
            yield f"condition on '{naam}' is a percentage: at most 100"

    def waarde(self, naam: str, telling: Telling) -> Fraction | int:
        teller = telling.get(naam)
        if telling.beoordeeld == 0:
            return Fraction(0)
        if self.afronding == "heel_procent":
            return heel_procent(teller, telling.beoordeeld)
        return Fraction(100 * teller, telling.beoordeeld)

    def ongelijkheden(self, b: Bereik) -> list[Ongelijkheid]:
        # t = the count named, n = beoordeeld >= 1. Exact: 100t/n >= m <=> 100t*den >= num*n.
        # heel_procent: q = (200t + n) // 2n is an integer, so q >= m <=> q >= ceil(m)
        # <=> 200t + n >= 2n*ceil(m), and q <= m <=> q <= floor(m) <=> 200t + n < 2n*(floor(m)+1).
        uit = []
        for grens, teken in ((b.min, 1), (b.max, -1)):
            if grens is None:
                continue
            if self.afronding == "heel_procent":
                k = math.ceil(grens) if teken == 1 else math.floor(grens) + 1
                termen = {b.naam: 200 * teken}
                termen["beoordeeld"] = termen.get("beoordeeld", 0) + teken * (1 - 2 * k)
                uit.append(Ongelijkheid(tuple(termen.items()), 0 if teken == 1 else 1))
            else:
                termen = {b.naam: 100 * grens.denominator * teken}
                termen["beoordeeld"] = (termen.get("beoordeeld", 0)
                                        - teken * grens.numerator)
                uit.append(Ongelijkheid(tuple(termen.items()), 0))
        return uit

    def uitleg(self, t: Telling) -> str:
        pv = self.waarde("voldoende", t)
        procent = f"{float(pv):.1f}".replace(".", ",")
        return f"{t} ({procent}% voldoende)"

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {"afronding": self.afronding}


class HandmatigRegel(Beslisregel):
    """The inspector supplies the oordeel (with onderbouwing) in the beoordeling."""

    type = "handmatig"
    handmatig = True
    SCHEMA: ClassVar[Mapping[str, Any]] = {
        "type": "object", "additionalProperties": False, "required": ["type"],
        "description": "The inspector supplies the oordeel, with onderbouwing.",
        "properties": {"type": {"const": "handmatig"}, "tekst": _TEKST,
                       "bron": {"$ref": "#/$defs/bron"}}}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], schaal: Oordeelschaal,
                     bron: Bron | None) -> Beslisregel:
        return cls(tekst=data.get("tekst"), bron=bron, schaal=schaal,
                   clausules=tuple(Clausule(o, "oordeel van de inspecteur") for o in schaal),
                   hit="eerste")

    def beslis(self, invoer: Invoer) -> Beslissing:
        h = invoer.handmatig
        if h is None:
            return Beslissing(None, None, "geen oordeel van de inspecteur opgegeven")
        i = self.schaal.rang(h.oordeel)
        uitleg = "oordeel van de inspecteur" + (f": {h.onderbouwing}" if h.onderbouwing else "")
        return Beslissing(h.oordeel, i, uitleg, (i,))

    def beschrijving(self) -> str:
        return self.tekst or "Het oordeel wordt door de inspecteur gegeven, met onderbouwing."


@hookimpl
def register_beslisregels(register: Callable[[str, type], None]) -> None:
    register("aantal", AantalRegel)
    register("percentage", PercentageRegel)
    register("handmatig", HandmatigRegel)
