"""Comparing computed outcomes with the figures a source published about the same data.

A deviation is a finding to report, never a reason to change a beslisregel. Each published
item compares only the keys it gives (a chart that shows only "23 voldoende" is encoded as
that). Counts are compared exactly. A percentage is compared the way the source rounds: half up
to a whole percent (the default), truncated, or loosely (either whole percent next to the exact
share), as the dataset or the figure declares with ``afronding``; each deviation names the
rounding it applied, so "80 procent" for 21 of 26 (80.8%) is no deviation in a source that
truncates or rounds loosely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kaderwerk.model import Bron, Kader
from kaderwerk.procent import heel_procent

AFRONDINGEN = {
    "half_omhoog": "half omhoog afgerond tot heel procent",
    "afgekapt": "afgekapt tot heel procent",
    "boven_of_beneden": "naar boven of beneden afgerond tot heel procent",
}
"""How a source may round a published percentage; the key is the dataset's ``afronding``."""
STANDAARD_AFRONDING = "half_omhoog"


def afronding_van(item: Mapping[str, Any], standaard: Any = None) -> str:
    """The rounding a published item declares (string or {wijze: ...}), else the dataset's."""
    waarde = item.get("afronding", standaard)
    if isinstance(waarde, Mapping):
        waarde = waarde.get("wijze")
    return str(waarde) if waarde in AFRONDINGEN else STANDAARD_AFRONDING


def toegestaan(teller: int, noemer: int, wijze: str) -> list[int]:
    """The whole percents a source rounding ``wijze`` may print for ``teller`` of ``noemer``."""
    onder = 100 * teller // noemer
    if wijze == "afgekapt":
        return [onder]
    if wijze == "boven_of_beneden":
        return [onder] if 100 * teller % noemer == 0 else [onder, onder + 1]
    return [heel_procent(teller, noemer)]


def vergelijk(kader: Kader, organisaties: Sequence[Mapping[str, Any]],
              beeld: Mapping[str, Any],
              gepubliceerd: Sequence[Mapping[str, Any]], afronding: Any = None,
              ) -> tuple[list[dict[str, Any]], int, dict[str, int]]:
    """The afwijkingen, how many published figures were checked, and per rounding how many
    figures with a percentage were compared under it (``afronding``: the dataset's default)."""
    afwijkingen = []
    gebruikt: dict[str, int] = {}
    n = len(organisaties)
    per_naam = {o["naam"]: o for o in organisaties}
    gecontroleerd = 0
    for item in gepubliceerd:
        soort, ident, waarden = item["soort"], item.get("id"), item["waarden"]
        berekend: dict[str, Any] = {}
        delen: dict[str, int] = {}  # percentage keys: the count, of n organisations
        wijze = afronding_van(item, afronding)
        probleem = None
        if soort == "criterium":
            row = beeld["criteria"].get(ident)
            if row is None:
                probleem = f"criterium {ident} is not in kader {kader.ref}"
            else:
                for k in waarden:
                    if k == "niet_voldoende_procent":
                        delen[k] = n - row.get("voldoende", 0)
                    elif k.endswith("_procent"):
                        delen[k] = row.get(k[:-8], 0)
                    else:
                        berekend[k] = row.get(k, 0)
        elif soort == "verwachting":
            row = beeld["verwachtingen"].get(ident)
            if row is None:
                probleem = f"verwachting {ident} is not in kader {kader.ref}"
            else:
                for k in waarden:
                    if k.endswith("_procent"):
                        base = k[:-8]
                        if base == "niet_voldoende":
                            delen[k] = n - row["voldoende"]
                        else:
                            delen[k] = row.get(base, 0)
                    else:
                        berekend[k] = row.get(k, 0)
        elif soort == "organisatie":
            org = per_naam.get(ident)
            if org is None:
                probleem = f"organisation '{ident}' is not in the beoordelingen"
            else:
                for k in waarden:
                    if k == "aantal_voldoende":
                        berekend[k] = org["aantal_voldoende"]
                    elif k == "oordeel":
                        berekend[k] = (org["oordeel"] or {}).get("oordeel")
                    else:
                        berekend[k] = (org["criteria"].get(k) or {}).get("oordeel")
        elif soort == "rangorde":
            berekend["volgorde"] = list(beeld["rangorde"])
        elif soort == "organisatie_oordeel":
            row = beeld.get("organisatie") or {}
            for k in waarden:
                berekend[k] = row.get(k, 0) if row else None
        gecontroleerd += 1
        past = {k: v in toegestaan(delen[k], n, wijze) if k in delen and n else
                (k not in delen and berekend.get(k) == v) for k, v in waarden.items()}
        for k, teller in delen.items():
            berekend[k] = _getoond(teller, n, wijze)
        if delen:
            gebruikt[wijze] = gebruikt.get(wijze, 0) + 1
        wijkt_af = probleem is not None or not all(past.values())
        if wijkt_af:
            bron = item.get("bron") or {}
            afwijkingen.append({
                "soort": soort, "id": ident,
                "gepubliceerd": dict(waarden), "berekend": berekend,
                "verschil": (_verschil(waarden, berekend, past, delen, n, wijze)
                             if probleem is None else probleem),
                "bron": Bron(**{k: v for k, v in bron.items()
                                if k in ("document", "sectie", "pagina")}).citeer(),
                "toelichting": item.get("toelichting"),
            } | ({"afronding": wijze} if delen else {}))
    return afwijkingen, gecontroleerd, gebruikt


def _getoond(teller: int, noemer: int, wijze: str) -> int | float | None:
    """The computed percentage as the comparison shows it: whole under a fixed rounding, to
    one decimal when the source may round either way."""
    if not noemer:
        return None
    if wijze == "boven_of_beneden":
        return round(100 * teller / noemer, 1)
    return toegestaan(teller, noemer, wijze)[0]


def _verschil(gepubliceerd: Mapping[str, Any], berekend: Mapping[str, Any],
              past: Mapping[str, bool], delen: Mapping[str, int], n: int, wijze: str) -> str:
    parts = []
    for k, v in gepubliceerd.items():
        b = berekend.get(k)
        if past[k]:
            continue
        if k in delen and n:
            mag = " of ".join(str(x) for x in toegestaan(delen[k], n, wijze))
            parts.append(f"{k}: gepubliceerd {v}, berekend {100 * delen[k] / n:.1f}% "
                         f"({AFRONDINGEN[wijze]}: {mag})")
        elif k == "volgorde":
            first = next((i for i, (x, y) in enumerate(zip(v, b, strict=False)) if x != y),
                         min(len(v), len(b)))
            parts.append(f"volgorde verschilt vanaf plaats {first + 1}")
        else:
            parts.append(f"{k}: gepubliceerd {v}, berekend {b}")
    return "; ".join(parts)
