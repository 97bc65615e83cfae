"""Money in Mexican format and the «this commitment's money» include.

{% load money %}
{{ amount|mxn }}            → $1,234,567.89 MXN
{{ amount|mxn_short }}      → $1.2 mdp
{{ share|pct }}             → 42.5 %
{% commitment_money commitment %}   programmes, moments and checks of a plan commitment
"""

from __future__ import annotations

from django import template

from ..web import formatting, selectors

register = template.Library()


register.filter("mxn", formatting.mxn)
register.filter("mxn_short", formatting.mxn_short)


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
    return {"money": selectors.commitment_money(commitment)}
