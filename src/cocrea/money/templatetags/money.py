"""Money in Mexican format and the «this commitment's money» include.

{% load money %}
{{ amount|mxn }}            → $1,234,567.89 MXN
{{ amount|mxn_short }}      → $1.2 mdp
{{ share|pct }}             → 42.5 %
{% commitment_money commitment %}   programmes, moments and checks of a plan commitment
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def mxn(value) -> str:
    """`$1,234,567.89 MXN` (comma for thousands, point for decimals, as in Mexico)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f} MXN"


@register.filter
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


@register.filter
def pct(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:.{int(digits)}f} %"


OCDS_STATUS = {
    "planning": "en planeación",
    "planned": "planeado",
    "active": "activo",
    "pending": "pendiente",
    "complete": "concluido",
    "cancelled": "cancelado",
    "unsuccessful": "desierto",
    "terminated": "terminado",
    "withdrawn": "retirado",
    "valid": "válida",
    "disqualified": "descalificada",
    "invited": "invitado",
}
METHODS = {
    "open": "Abierto",
    "selective": "Selectivo (invitación)",
    "limited": "Limitado (adjudicación directa)",
    "direct": "Directo",
}


@register.filter
def ocds_status(value) -> str:
    """An OCDS status code in Spanish (unknown codes as they are)."""
    return OCDS_STATUS.get(value, value) if value else "—"


@register.filter
def ocds_method(value) -> str:
    return METHODS.get(value, value) if value else "—"


@register.inclusion_tag("money/_commitment_money.html")
def commitment_money(commitment):
    """The programmes linked to a commitment with their funnel, totals and checks."""
    from cocrea.money import selectors

    return {"money": selectors.commitment_money(commitment)}
