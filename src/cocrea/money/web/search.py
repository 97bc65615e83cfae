"""Sigue el Dinero's part of the platform-wide search: suppliers and buyers by name or id.

They live in the Parquet store, not in the database, so they are offered as callables
(`core.registry.register_search_source(search=…)`) over `selectors.search`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import selectors


def _parties(kind: str, q: str, limit: int) -> list[tuple[str, str, str]]:
    try:
        found = selectors.search(q, limit=limit)
    except Exception:  # noqa: BLE001 - no snapshot yet (a fresh install): nothing to find
        return []
    rows = []
    for party in found.get(kind, [])[:limit]:
        url = selectors.party_url(kind, party["id"])
        if url:
            rows.append((party["name"], url, _("identificador %(id)s") % {"id": party["id"]}))
    return rows


def suppliers(q: str, limit: int):
    return _parties("suppliers", q, limit)


def buyers(q: str, limit: int):
    return _parties("buyers", q, limit)
