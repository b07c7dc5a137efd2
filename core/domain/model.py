"""The domain model: a kader and its parts as immutable value objects.

Kader > Thema > Criterium > Verwachting, an ordered Oordeelschaal, Scores, Bron (provenance),
Feiten and Plafonds. Objects are built by named constructors (``Kader.from_mapping``) only after
the loader has validated the file, so the constructors trust their input and stay dumb.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from kaderwerk.domain.beslisregel import Beslisregel

    RegelMaker = Callable[[Mapping[str, Any], "Oordeelschaal", "Bron | None", tuple[Any, ...]],
                          Beslisregel]


class Score(enum.Enum):
    """The score of one verwachting."""

    VOLDOENDE = "voldoende"
    ONVOLDOENDE = "onvoldoende"
    NIET_BEOORDEELD = "niet beoordeeld"

    # Enum hashes its name in Python; members are singletons, so identity is the same
    # equality at C speed (scores are dictionary keys once per organisation and criterium).
    __hash__ = object.__hash__

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Oordeelschaal:
    """The ordered oordelen of a kader, best first (``voldoende > matig > onvoldoende``)."""

    niveaus: tuple[str, ...]

    def __iter__(self) -> Iterator[str]:
        return iter(self.niveaus)

    def __len__(self) -> int:
        return len(self.niveaus)

    def __contains__(self, oordeel: object) -> bool:
        return oordeel in self.niveaus

    def rang(self, oordeel: str) -> int:
        """0 for the best oordeel, higher is worse."""
        return self.niveaus.index(oordeel)

    def slechter(self, a: str, b: str) -> bool:
        """True when ``a`` is a worse oordeel than ``b``."""
        return self.rang(a) > self.rang(b)

    def begrens(self, oordeel: str, maximum: str) -> str:
        """``oordeel`` capped at ``maximum`` (a plafond never raises an oordeel)."""
        return maximum if self.rang(oordeel) < self.rang(maximum) else oordeel


@attrs.frozen
class Bron:
    """Provenance: which document and section an element comes from, and how faithfully."""

    document: str | None = None
    sectie: str | None = None
    pagina: int | str | None = None
    url: str | None = None
    volledig: bool | None = None
    reconstructie: bool = False
    toelichting: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, erf: Bron | None = None) -> Bron | None:
        """A Bron from a kader file; missing fields are inherited from the parent's bron."""
        if data is None:
            return attrs.evolve(erf, volledig=None) if erf else None
        basis = erf or Bron()
        other_document = "document" in data and data["document"] != basis.document
        return cls(
            document=data.get("document", basis.document),
            sectie=data.get("sectie", None if other_document else basis.sectie),
            pagina=data.get("pagina"),
            url=data.get("url", None if other_document else basis.url),
            volledig=data.get("volledig"),
            reconstructie=bool(data.get("reconstructie", False)),
            toelichting=data.get("toelichting"),
        )

    def citeer(self) -> str:
        """A short citation: ``document, sectie, p. N``."""
        parts = [p for p in (self.document, self.sectie) if p]
        if self.pagina is not None:
            parts.append(f"p. {self.pagina}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in attrs.asdict(self).items() if v is not None}
        d["reconstructie"] = self.reconstructie
        return d


@attrs.frozen
class Feit:
    """A fact a beoordeling may carry besides scores (e.g. ``wachtlijst``)."""

    id: str
    type: str = "boolean"
    omschrijving: str | None = None


@attrs.frozen
class Plafond:
    """A cap: when fact ``feit`` has ``waarde``, the oordeel is at most ``max``."""

    feit: str
    waarde: Any
    max: str
    reden: str
    bron: Bron | None = None

    def geldt(self, feiten: Mapping[str, Any]) -> bool:
        return bool(feiten.get(self.feit) == self.waarde)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], erf: Bron | None) -> Plafond:
        return cls(data["feit"], data["waarde"], data["max"], data["reden"],
                   Bron.from_mapping(data.get("bron"), erf))


@attrs.frozen
class Verwachting:
    """What is scored: voldoende / onvoldoende / niet beoordeeld."""

    id: str
    tekst: str
    beoordeeld: bool = True
    soort: str = "verwachting"
    noten: tuple[str, ...] = ()
    bron: Bron | None = None
    operationalisering: str | None = None
    aangepast: bool = False


@attrs.frozen
class Criterium:
    """What is judged: its verwachtingen, its beslisregel and plafonds."""

    id: str
    titel: str
    verwachtingen: tuple[Verwachting, ...]
    beslisregel: Beslisregel = attrs.field(eq=False)
    plafonds: tuple[Plafond, ...] = ()
    ratio: str | None = None
    operationalisering: str | None = None
    bron: Bron | None = None
    noten: tuple[str, ...] = ()
    aangepast: bool = False
    score_verplicht: bool = False
    """Whether assess refuses niet beoordeeld for an assessed verwachting (and check skips it)."""
    score_verplicht_bron: Bron | None = None
    regel_van_thema: bool = attrs.field(default=False, eq=False)
    """True when the beslisregel is the thema's, shared with the thema's other criteria."""

    @property
    def beoordeelde(self) -> tuple[Verwachting, ...]:
        """The verwachtingen that are actually assessed."""
        return tuple(v for v in self.verwachtingen if v.beoordeeld)


@attrs.frozen
class Thema:
    """A group of criteria with its norm sentence."""

    id: str
    titel: str
    criteria: tuple[Criterium, ...]
    norm: str | None = None
    bron: Bron | None = None
    noten: tuple[str, ...] = ()


@attrs.frozen
class OrganisatieOordeel:
    """How the organisation-level oordeel is formed, if the kader defines one."""

    beslisregel: Beslisregel = attrs.field(eq=False)
    plafonds: tuple[Plafond, ...] = ()


@attrs.frozen
class Kader:
    """A toetsingskader / toezichtkader: one version of one framework."""

    id: str
    versie: str
    titel: str
    oordeelschaal: Oordeelschaal
    themas: tuple[Thema, ...]
    bron: Bron | None = None
    geldig_vanaf: str | None = None
    inleiding: str | None = None
    feiten: tuple[Feit, ...] = ()
    organisatie: OrganisatieOordeel | None = None
    noten: tuple[str, ...] = ()
    basis: str | None = None
    pad: str | None = attrs.field(default=None, eq=False)
    posities: Mapping[str, tuple[int, int]] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def ref(self) -> str:
        """``id@versie``."""
        return f"{self.id}@{self.versie}"

    @property
    def criteria(self) -> tuple[Criterium, ...]:
        return tuple(c for t in self.themas for c in t.criteria)

    @property
    def verwachtingen(self) -> tuple[Verwachting, ...]:
        return tuple(v for c in self.criteria for v in c.verwachtingen)

    def thema_van(self, criterium: Criterium) -> Thema:
        return next(t for t in self.themas if criterium in t.criteria)

    def feit(self, naam: str) -> Feit | None:
        return next((f for f in self.feiten if f.id == naam), None)

    def positie(self, element_id: str) -> tuple[int | None, int | None]:
        """The (line, column) of an element in the kader file, when known."""
        return self.posities.get(element_id, (None, None))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], maak_regel: RegelMaker, *,
                     pad: str | None = None,
                     posities: Mapping[str, tuple[int, int]] | None = None) -> Kader:
        """Build a kader from a validated (and, for overlays, resolved) mapping."""
        schaal = Oordeelschaal(tuple(data["oordeelschaal"]))
        bron = Bron.from_mapping(data.get("bron"))
        themas = []
        k_verplicht = _score_verplicht(data.get("score_verplicht"), (False, None), bron)
        for ti, t in enumerate(data["themas"]):
            tbron = Bron.from_mapping(t.get("bron"), bron)
            tpad = ("themas", ti)
            tregel = t.get("beslisregel")
            tplafonds = tuple(Plafond.from_mapping(p, tbron) for p in t.get("plafonds", ()))
            criteria = []
            t_verplicht = _score_verplicht(t.get("score_verplicht"), k_verplicht, tbron)
            for ci, c in enumerate(t["criteria"]):
                cbron = Bron.from_mapping(c.get("bron"), tbron)
                verplicht, verplicht_bron = _score_verplicht(c.get("score_verplicht"),
                                                             t_verplicht, cbron)
                cpad: tuple[Any, ...] = (*tpad, "criteria", ci)
                regel_pad: tuple[Any, ...]
                if "beslisregel" in c:
                    regel_data, regel_pad = c["beslisregel"], (*cpad, "beslisregel")
                else:
                    regel_data, regel_pad = tregel, (*tpad, "beslisregel")
                regel = maak_regel(regel_data, schaal,
                                   Bron.from_mapping(regel_data.get("bron"), cbron), regel_pad)
                criteria.append(Criterium(
                    id=c["id"], titel=c["titel"],
                    verwachtingen=tuple(_verwachting(v, cbron) for v in c["verwachtingen"]),
                    beslisregel=regel,
                    plafonds=tplafonds + tuple(
                        Plafond.from_mapping(p, cbron) for p in c.get("plafonds", ())),
                    ratio=c.get("ratio"), operationalisering=c.get("operationalisering"),
                    bron=cbron, noten=tuple(c.get("noten", ())),
                    aangepast=bool(c.get("_aangepast")),
                    score_verplicht=verplicht, score_verplicht_bron=verplicht_bron,
                    regel_van_thema="beslisregel" not in c,
                ))
            themas.append(Thema(t["id"], t["titel"], tuple(criteria), t.get("norm"), tbron,
                                tuple(t.get("noten", ()))))
        organisatie = None
        if "organisatie" in data:
            o = data["organisatie"]
            organisatie = OrganisatieOordeel(
                maak_regel(o["beslisregel"], schaal,
                           Bron.from_mapping(o["beslisregel"].get("bron"), bron),
                           ("organisatie", "beslisregel")),
                tuple(Plafond.from_mapping(p, bron) for p in o.get("plafonds", ())))
        basis = data.get("basis")
        return cls(
            id=data["id"], versie=str(data["versie"]), titel=data["titel"], oordeelschaal=schaal,
            themas=tuple(themas), bron=bron, geldig_vanaf=data.get("geldig_vanaf"),
            inleiding=data.get("inleiding"),
            feiten=tuple(Feit(f["id"], f.get("type", "boolean"), f.get("omschrijving"))
                         for f in data.get("feiten", ())),
            organisatie=organisatie, noten=tuple(data.get("noten", ())),
            basis=f"{basis['kader']}@{basis['versie']}" if basis else None,
            pad=pad, posities=dict(posities or {}),
        )


def _score_verplicht(waarde: Any, erf: tuple[bool, Bron | None],
                     bron: Bron | None) -> tuple[bool, Bron | None]:
    """``score_verplicht`` of an element: its own (bool or {waarde, bron}), else its parent's."""
    if waarde is None:
        return erf
    if isinstance(waarde, Mapping):
        return bool(waarde["waarde"]), Bron.from_mapping(waarde.get("bron"), bron)
    return bool(waarde), None


def _verwachting(v: Mapping[str, Any], erf: Bron | None) -> Verwachting:
    return Verwachting(
        id=v["id"], tekst=v["tekst"], beoordeeld=v.get("beoordeeld", True),
        soort=v.get("soort", "verwachting"), noten=tuple(v.get("noten", ())),
        bron=Bron.from_mapping(v.get("bron"), erf),
        operationalisering=v.get("operationalisering"), aangepast=bool(v.get("_aangepast")),
    )


def regel_sleutel(pad: Sequence[Any], clausule: int | None = None) -> str:
    """The key of ``Kader.posities`` under which a beslisregel (or its clause's tekst) is."""
    sleutel = "beslisregel " + "/".join(str(p) for p in pad)
    return sleutel if clausule is None else f"{sleutel} regel {clausule}"


def beslisregel_plek(thema: str) -> str:
    """The key of a thema's shared beslisregel in ``Kader.posities`` (ids never hold '/')."""
    return f"{thema}/beslisregel"


def kader_to_dict(kader: Kader) -> dict[str, Any]:
    """The kader as JSON data (``kaderwerk show --format json``)."""

    def bron(b: Bron | None) -> dict[str, Any] | None:
        return b.to_dict() if b else None

    def plafonds(ps: Sequence[Plafond]) -> list[dict[str, Any]]:
        return [{"feit": p.feit, "waarde": p.waarde, "max": p.max, "reden": p.reden,
                 "bron": bron(p.bron)} for p in ps]

    return {
        "id": kader.id, "versie": kader.versie, "titel": kader.titel,
        "geldig_vanaf": kader.geldig_vanaf, "basis": kader.basis,
        "bron": bron(kader.bron), "inleiding": kader.inleiding, "noten": list(kader.noten),
        "oordeelschaal": list(kader.oordeelschaal),
        "feiten": [attrs.asdict(f) for f in kader.feiten],
        "organisatie": None if kader.organisatie is None else {
            "beslisregel": kader.organisatie.beslisregel.to_dict(),
            "plafonds": plafonds(kader.organisatie.plafonds)},
        "themas": [{
            "id": t.id, "titel": t.titel, "norm": t.norm, "bron": bron(t.bron),
            "noten": list(t.noten),
            "criteria": [{
                "id": c.id, "titel": c.titel, "ratio": c.ratio,
                "operationalisering": c.operationalisering, "aangepast": c.aangepast,
                "bron": bron(c.bron), "noten": list(c.noten),
                "beslisregel": c.beslisregel.to_dict(), "plafonds": plafonds(c.plafonds),
                "score_verplicht": c.score_verplicht,
                "score_verplicht_bron": bron(c.score_verplicht_bron),
                "verwachtingen": [{
                    "id": v.id, "tekst": v.tekst, "beoordeeld": v.beoordeeld, "soort": v.soort,
                    "noten": list(v.noten), "operationalisering": v.operationalisering,
                    "aangepast": v.aangepast, "bron": bron(v.bron),
                } for v in c.verwachtingen],
            } for c in t.criteria],
        } for t in kader.themas],
    }
