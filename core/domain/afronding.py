"""Small arithmetic shared by core and plugins: rounding percentages as reports print them,
and the one decimal context kaderwerk computes with."""

from __future__ import annotations

import decimal

DECIMAAL = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN, Emin=-999999,
                           Emax=999999, capitals=1, clamp=0, flags=[],
                           traps=[decimal.InvalidOperation, decimal.DivisionByZero,
                                  decimal.Overflow])
"""Passed to every Decimal operation that rounds, rather than the global context: plugin code
may change ``decimal.getcontext()`` (or ``DefaultContext``), which must not change a result."""


def heel_procent(teller: int, noemer: int) -> int:
    """``100 * teller / noemer`` rounded half up to a whole percent, in exact arithmetic."""
    return (200 * teller + noemer) // (2 * noemer)
