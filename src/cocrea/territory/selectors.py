"""Read-side queries about entities and the initiative's adhesion."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from cocrea.core.text import normalize

from .models import Adhesion, Entity


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
    return {
        "entities_total": Entity.objects.count(),
        "entities_joined": sum(len(v) for v in by_year.values()),
        "joined_by_year": {str(year): len(items) for year, items in by_year.items()},
        "participants": counts_by_type(),
    }
