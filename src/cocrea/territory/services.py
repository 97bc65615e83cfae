"""Loading the versioned reference data: entities and adhesion to the initiative."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from cocrea.core import audit
from cocrea.core.csvimport import ImportFailed, RowError

from .models import Adhesion, Entity
from .selectors import entity_lookup, find_entity

DATA_DIR = Path(__file__).parent / "data"


def _rows(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        yield from enumerate(csv.DictReader(fh), start=2)


@transaction.atomic
def load_reference(data_dir: Path = DATA_DIR, *, actor=None) -> dict[str, int]:
    """Upsert the 32 entities and the adhesions; safe to run again."""
    seen = set()
    changed = 0
    for _line, row in _rows(data_dir / "entidades.csv"):
        values = {
            "name": row["nombre_oficial"].strip(),
            "common_name": row["nombre_comun"].strip(),
            "aliases": [a.strip() for a in row["otros_nombres"].split("|") if a.strip()],
            "slug": row["slug"].strip(),
            "map_id": row["mapa_id"].strip(),
        }
        entity, created = Entity.objects.get_or_create(code=row["codigo"].strip(), defaults=values)
        if not created and any(getattr(entity, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(entity, key, value)
            entity.save()
            changed += 1
        changed += created
        seen.add(entity.code)
    if len(seen) != 32:
        raise ImportFailed([RowError(0, "codigo", f"se esperaban 32 entidades, hay {len(seen)}")])

    table = entity_lookup()
    errors: list[RowError] = []
    wanted: dict[str, dict] = {}
    for line, row in _rows(data_dir / "adhesiones.csv"):
        entity = find_entity(row["entidad"], table)
        if entity is None:
            errors.append(RowError(line, "entidad", f"entidad desconocida «{row['entidad']}»"))
            continue
        date = dt.date.fromisoformat(row["fecha"]) if row.get("fecha") else None
        wanted[entity.code] = {
            "year": int(row["anio"]),
            "date": date,
            "source_order": int(row.get("orden_en_fuente") or 0),
            "source": row.get("fuente", "").strip(),
            "entity": entity,
        }
    if errors:
        raise ImportFailed(errors)
    adhesions = 0
    for values in wanted.values():
        entity = values.pop("entity")
        Adhesion.objects.update_or_create(entity=entity, defaults=values)
        adhesions += 1
    removed, _ = Adhesion.objects.exclude(entity__code__in=wanted).delete()
    if changed or removed:
        audit.record(
            actor=actor,
            action="territory.load_reference",
            object_type="territory.reference",
            after={"entities": len(seen), "adhesions": adhesions},
        )
    from .municipalities import DEMO_CATALOGUE, load_municipalities

    municipalities = load_municipalities(DEMO_CATALOGUE, actor=actor)
    return {"entities": len(seen), "adhesions": adhesions, "municipalities": municipalities.total}
