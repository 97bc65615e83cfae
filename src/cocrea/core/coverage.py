"""Coverage of a dataset computed from its rows: for `register_dataset(coverage=...)`.

`queryset_coverage` runs two aggregate queries (national, and grouped by entity), whatever
the number of rows or entities.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, F, Max, Min

from .registry import Coverage


def _day(value):
    if isinstance(value, datetime):
        return value.date()
    return value


def _coverage(row: dict) -> Coverage:
    issued, modified = row.get("issued"), row.get("modified")
    if issued is not None and modified is not None and _key(modified) < _key(issued):
        modified = issued
    return Coverage(
        issued=issued,
        modified=modified,
        start=_day(row.get("start")),
        end=_day(row.get("end")),
        records=row.get("records"),
    )


def _key(value):
    if isinstance(value, datetime):
        return value.date()
    return value


def queryset_coverage(
    qs,
    *,
    issued: str,
    modified: str,
    start: str | None = None,
    end: str | None = None,
    entity: str | None = None,
) -> dict:
    """{None: Coverage, code: Coverage, ...}: the earliest `issued`, the latest `modified`,
    the earliest `start` and latest `end` of the rows of `qs`, national and by `entity`
    (the lookup of the entity's INEGI code, e.g. "plan__entity__code")."""
    aggregates = {"issued": Min(issued), "modified": Max(modified), "records": Count("pk")}
    if start:
        aggregates["start"] = Min(start)
    if end:
        aggregates["end"] = Max(end)
    found = {None: _coverage(qs.aggregate(**aggregates))}
    if entity:
        grouped = qs.order_by().values(code=F(entity)).annotate(**aggregates)
        for row in grouped:
            code = row.pop("code")
            if code:
                found[code] = _coverage(row)
    return found


def merge(*coverages: dict) -> dict:
    """Several coverages as one: earliest issue and start, latest modification and end."""
    out: dict = {}
    for coverage in coverages:
        for key, c in coverage.items():
            old = out.get(key)
            if old is None:
                out[key] = c
                continue
            out[key] = Coverage(
                issued=_pick(min, old.issued, c.issued),
                modified=_pick(max, old.modified, c.modified),
                start=_pick(min, old.start, c.start),
                end=_pick(max, old.end, c.end),
                records=None if old.records is None or c.records is None
                else old.records + c.records,
            )  # fmt: skip
    return out


def _pick(fn, a, b):
    values = [v for v in (a, b) if v is not None]
    if not values:
        return None
    return fn(values, key=_key)


def as_datetime(value) -> datetime | None:
    """A date or datetime as an aware datetime (dates at midnight UTC)."""
    from datetime import UTC, time

    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=UTC)
    return None
