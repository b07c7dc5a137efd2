"""Small arithmetic shared by core and plugins: rounding percentages as reports print them."""

from __future__ import annotations


def heel_procent(teller: int, noemer: int) -> int:
    """``100 * teller / noemer`` rounded half up to a whole percent, in exact arithmetic."""
    return (200 * teller + noemer) // (2 * noemer)
