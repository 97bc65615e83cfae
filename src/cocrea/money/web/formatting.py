"""Amounts in Mexican format, for the templates (the `money` tag library) and the charts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def mxn(value) -> str:
    """`$1,234,567.89 MXN` (comma for thousands, point for decimals, as in Mexico)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f} MXN"


def mxn_short(value) -> str:
    """`$1.2 mdp` (millones de pesos) or `$350.0 mil`, for chart labels."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if abs(amount) >= 1_000_000:
        return f"${amount / 1_000_000:,.1f} mdp"
    if abs(amount) >= 1_000:
        return f"${amount / 1_000:,.1f} mil"
    return f"${amount:,.2f}"
