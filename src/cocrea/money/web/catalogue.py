"""Coverage of Sigue el Dinero's datasets for the open-data catalogue, from the data.

Issue and last-modification dates are the import dates recorded in the store's manifest
(the first and the latest import of the sources that hold the table); the temporal coverage
is the span of the processes' dates (contracting) or of the fiscal years (budget). Per
entity: the sources imported for that entity or for several entities, and that entity's
rows. Two DuckDB queries at most, whatever the data.
"""

from __future__ import annotations

from datetime import date, datetime

from cocrea.core.coverage import queryset_coverage
from cocrea.core.registry import Coverage

from ..analytics import database
from ..budget import moments
from ..store import snapshots


def _imports(table: str) -> list[tuple[str | None, datetime]]:
    found = []
    for info in snapshots.manifest().get("sources", {}).values():
        if not info.get("counts", {}).get(table):
            continue
        try:
            when = datetime.fromisoformat(info["imported_at"])
        except (KeyError, ValueError):
            continue
        found.append((info.get("entity"), when))
    return found


def _coverage(table: str, spans: dict) -> dict:
    imports = _imports(table)
    if not imports:
        return {None: Coverage()}
    dates = [when for _, when in imports]
    out = {None: Coverage(min(dates), max(dates), *spans.get(None, (None, None)))}
    for code, (start, end) in spans.items():
        if code is None:
            continue
        mine = [when for entity, when in imports if entity in (None, code)]
        if mine:
            out[code] = Coverage(min(mine), max(mine), start, end)
    return out


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def _spans(sql: str) -> dict:
    con = database.connect()
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    spans: dict = {}
    for code, start, end in rows:
        spans[code] = (_day(start), _day(end))
    lows = [s for s, _ in spans.values() if s is not None]
    highs = [e for _, e in spans.values() if e is not None]
    spans[None] = (min(lows, default=None), max(highs, default=None))
    return spans


def contracting_coverage() -> dict:
    """The contracting tables (processes, awards, contracts, payments, red flags)."""
    spans = _spans(
        "SELECT entity, min(date), max(date) FROM processes WHERE entity IS NOT NULL "
        "GROUP BY entity"
    )
    return _coverage("processes", spans)


def budget_coverage() -> dict:
    if moments.current_snapshot() is None:
        return {None: Coverage()}
    con = database.connect()
    try:
        rows = con.execute(
            "SELECT entidad, min(ciclo), max(ciclo) FROM budget_lines GROUP BY entidad"
        ).fetchall()
    finally:
        con.close()
    spans: dict = {}
    for code, low, high in rows:
        spans[code] = (date(int(low), 1, 1), date(int(high), 12, 31))
    spans[None] = (
        min((s for s, _ in spans.values()), default=None),
        max((e for _, e in spans.values()), default=None),
    )
    return _coverage(moments.TABLE_NAME, spans)


def programs_coverage() -> dict:
    from ..models import Program

    return queryset_coverage(
        Program.objects.all(), issued="created_at", modified="updated_at", entity="entity__code"
    )


def recent_flags(entity: str | None = None, limit: int = 50) -> list[dict]:
    """The red flags of contracting processes, latest processes first (for the feeds):
    ocid, entity, buyer, title, process date, indicator code and value."""
    where = "WHERE f.grp = 'OCID'" + (" AND p.entity = $entity" if entity else "")
    sql = (
        "SELECT f.key AS ocid, p.entity, p.buyer_name, p.title, p.date, f.code, f.value "
        "FROM flags f JOIN processes p ON p.ocid = f.key "
        f"{where} ORDER BY p.date DESC NULLS LAST, f.key, f.code LIMIT {int(limit)}"
    )
    con = database.connect()
    try:
        cur = con.execute(sql, {"entity": entity} if entity else None)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def flags_updated() -> datetime | None:
    """When the contracting data (and so its red flags) last changed."""
    return contracting_coverage()[None].modified
