"""Comparing computed outcomes with the figures a source published about the same data.

A deviation is a finding to report, never a reason to change a beslisregel. Each published
item compares only the keys it gives (a chart that shows only "23 voldoende" is encoded as
that). Counts are compared exactly. A percentage is compared the way the source rounds: half up
(the default), truncated, or loosely (either value next to the exact share), as the dataset or
the figure declares with ``afronding``, at the decimals the figure is written with; each
deviation names the rounding it applied, so "80 procent" for 21 of 26 (80.8%) is no deviation
in a source that truncates or rounds loosely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kaderwerk.domain.afronding import DECIMAAL, heel_procent
from kaderwerk.domain.model import Bron, Kader

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


def decimalen(gepubliceerd: Any) -> int:
    """How many decimals a published figure is written with: 80 and 80.0 whole, 33.3 one.

    YAML keeps no trailing zero of a number, so 33.0 counts as whole."""
    if isinstance(gepubliceerd, bool) or not isinstance(gepubliceerd, int | float):
        return 0
    exponent = Decimal(repr(gepubliceerd)).normalize(DECIMAAL).as_tuple().exponent
    return min(max(0, -exponent), MAX_DECIMALEN) if isinstance(exponent, int) else 0


MAX_DECIMALEN = 6
"""Beyond this a float no longer holds the decimals as written."""


def toegestaan(teller: int, noemer: int, wijze: str, decimalen: int = 0) -> list[Fraction]:
    """The percentages a source rounding ``wijze`` to ``decimalen`` decimals (0: whole percents)
    may print for ``teller`` of ``noemer``, in exact arithmetic."""
    schaal = 10 ** decimalen
    exact = Fraction(100 * teller * schaal, noemer)
    onder = exact.numerator // exact.denominator
    if wijze == "afgekapt":
        waarden = [onder]
    elif wijze == "boven_of_beneden":
        waarden = [onder] if exact.denominator == 1 else [onder, onder + 1]
    else:
        waarden = [heel_procent(100 * teller * schaal, 100 * noemer)]
    return [Fraction(w, schaal) for w in waarden]


def _als_getal(x: Fraction) -> int | float:
    return x.numerator if x.denominator == 1 else float(x)


def _komma(x: object) -> str:
    """A number as the reports write it: with a decimal comma."""
    return str(x).replace(".", ",")


def _wijze_tekst(wijze: str, d: int) -> str:
    if d == 0:
        return AFRONDINGEN[wijze]
    eenheid = "decimaal" if d == 1 else "decimalen"
    return AFRONDINGEN[wijze].replace("heel procent", f"{d} {eenheid}")


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
        past = {k: _exact(v) in toegestaan(delen[k], n, wijze, decimalen(v))
                if k in delen and n else (k not in delen and berekend.get(k) == v)
                for k, v in waarden.items()}
        for k, teller in delen.items():
            berekend[k] = _getoond(teller, n, wijze, decimalen(waarden[k]))
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


def _exact(gepubliceerd: Any) -> Fraction | None:
    if isinstance(gepubliceerd, bool) or not isinstance(gepubliceerd, int | float):
        return None
    return Fraction(Decimal(repr(gepubliceerd)))


def _getoond(teller: int, noemer: int, wijze: str, d: int) -> int | float | None:
    """The computed percentage as the comparison shows it: at the figure's precision under a
    fixed rounding, to one more decimal when the source may round either way."""
    if not noemer:
        return None
    if wijze == "boven_of_beneden":
        return round(100 * teller / noemer, d + 1)
    return _als_getal(toegestaan(teller, noemer, wijze, d)[0])


def _verschil(gepubliceerd: Mapping[str, Any], berekend: Mapping[str, Any],
              past: Mapping[str, bool], delen: Mapping[str, int], n: int, wijze: str) -> str:
    parts = []
    for k, v in gepubliceerd.items():
        b = berekend.get(k)
        if past[k]:
            continue
        if k in delen and n:
            d = decimalen(v)
            mag = " of ".join(_komma(_als_getal(x)) for x in toegestaan(delen[k], n, wijze, d))
            parts.append(f"{k}: gepubliceerd {_komma(v)}, "
                         f"berekend {_komma(f'{100 * delen[k] / n:.{d + 1}f}')}% "
                         f"({_wijze_tekst(wijze, d)}: {mag})")
        elif k == "volgorde":
            first = next((i for i, (x, y) in enumerate(zip(v, b, strict=False)) if x != y),
                         min(len(v), len(b)))
            parts.append(f"volgorde verschilt vanaf plaats {first + 1}")
        else:
            parts.append(f"{k}: gepubliceerd {v}, berekend {b}")
    return "; ".join(parts)
