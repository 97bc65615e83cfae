"""Read-side queries about entities and the initiative's adhesion."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from cocrea.core.text import normalize

from .models import Adhesion, Entity, MunicipalAdhesion, Municipality


def entities_with_adhesion():
    return Entity.objects.select_related("adhesion").order_by("code")


def joined_adhesions():
    return Adhesion.objects.select_related("entity").order_by(
        "year", "source_order", "entity__code"
    )


def adhesions_by_year() -> OrderedDict[int, list[Entity]]:
    """{year: [entities in the order the source names them]} for joined entities."""
    result: OrderedDict[int, list[Entity]] = OrderedDict()
    for adhesion in joined_adhesions():
        result.setdefault(adhesion.year, []).append(adhesion.entity)
    return result


def entity_lookup() -> dict[str, Entity]:
    """Map every accepted spelling (code, official, common, aliases, slug) to its entity."""
    table: dict[str, Entity] = {}
    for entity in Entity.objects.all():
        keys = [entity.code, str(int(entity.code)), entity.name, entity.common_name, entity.slug]
        keys += list(entity.aliases or [])
        for key in keys:
            table.setdefault(normalize(key).replace("-", " "), entity)
    return table


def find_entity(value: str, table: dict[str, Entity] | None = None) -> Entity | None:
    table = table if table is not None else entity_lookup()
    key = normalize(value).replace("-", " ")
    return table.get(key)


@lru_cache(maxsize=1)
def map_shapes() -> dict:
    import json
    from pathlib import Path

    path = Path(__file__).parent / "data" / "mexico-map.json"
    return json.loads(path.read_text(encoding="utf-8"))


def national_stats() -> dict:
    """The national picture as the API publishes it."""
    from cocrea.participants.selectors import counts_by_type

    by_year = adhesions_by_year()
    municipal = municipal_adhesion_counts()
    return {
        "entities_total": Entity.objects.count(),
        "entities_joined": sum(len(v) for v in by_year.values()),
        "joined_by_year": {str(year): len(items) for year, items in by_year.items()},
        "participants": counts_by_type(),
        "municipalities_joined": sum(municipal["by_entity"].values()),
        "municipalities_joined_by_entity": municipal["by_entity"],
        "municipalities_joined_by_year": municipal["by_year"],
    }


def municipal_adhesion_counts() -> dict[str, dict[str, int]]:
    """Municipalities that joined, counted by entity code and by year (one grouped query)."""
    from django.db.models import Count

    by_entity: dict[str, int] = {}
    by_year: dict[str, int] = {}
    rows = (
        MunicipalAdhesion.objects.values_list("municipality__entity__code", "year")
        .annotate(n=Count("id"))
        .order_by("municipality__entity__code", "year")
    )
    for code, year, n in rows:
        by_entity[code] = by_entity.get(code, 0) + n
        by_year[str(year)] = by_year.get(str(year), 0) + n
    return {"by_entity": by_entity, "by_year": dict(sorted(by_year.items()))}


def municipalities(*, entity_code: str | None = None, joined: bool | None = None):
    """Municipalities with their adhesion (one query), optionally of one entity or joined."""
    qs = Municipality.objects.select_related("entity", "adhesion").order_by("code")
    if entity_code:
        qs = qs.filter(entity__code=entity_code.zfill(2))
    if joined is not None:
        qs = qs.filter(adhesion__isnull=not joined)
    return qs
