"""Deterministic demo organisations: 80 authorities, 26 guarantor bodies, 123 CSOs.

The totals follow press release INAI/083/18; the names are invented for the demo.
"""

from __future__ import annotations

import random

from cocrea.territory.selectors import joined_adhesions

from .models import Organization, OrganizationType, Power

AUTHORITY_TEMPLATES = [
    ("Secretaría de la Contraloría del Estado de {e}", Power.EXECUTIVE),
    ("Congreso del Estado de {e}", Power.LEGISLATIVE),
    ("Tribunal Superior de Justicia de {e}", Power.JUDICIAL),
    ("Secretaría de Finanzas de {e}", Power.EXECUTIVE),
    ("Ayuntamiento de la capital de {e}", Power.MUNICIPAL),
    ("Fiscalía General del Estado de {e}", Power.AUTONOMOUS),
]
CSO_PREFIXES = [
    "Colectivo",
    "Observatorio Ciudadano",
    "Red",
    "Fundación",
    "Iniciativa",
    "Centro de Estudios",
    "Alianza",
    "Laboratorio Cívico",
]
CSO_THEMES = [
    "por la Transparencia",
    "de Datos Abiertos",
    "por la Rendición de Cuentas",
    "Mujeres y Gobierno Abierto",
    "de Contraloría Social",
    "por el Presupuesto Participativo",
    "Juventudes Cívicas",
    "por la Integridad Pública",
]


def _spread(total: int, buckets: int, rng: random.Random) -> list[int]:
    base = [total // buckets] * buckets
    for i in rng.sample(range(buckets), total % buckets):
        base[i] += 1
    return base


def load(seed: int) -> None:
    rng = random.Random(seed)
    entities = [a.entity for a in joined_adhesions()]
    if not entities:
        return
    authorities = _spread(80, len(entities), rng)
    csos = _spread(123, len(entities), rng)
    rows = []
    for i, entity in enumerate(entities):
        name = entity.common_name
        for template, power in rng.sample(AUTHORITY_TEMPLATES, authorities[i]):
            rows.append((entity, template.format(e=name), OrganizationType.AUTHORITY, power))
        rows.append(
            (entity, f"Instituto de Transparencia de {name}", OrganizationType.GUARANTOR, "")
        )
        used = set()
        while len(used) < csos[i]:
            used.add(f"{rng.choice(CSO_PREFIXES)} {rng.choice(CSO_THEMES)} ({name})")
        for org in sorted(used):
            rows.append((entity, org, OrganizationType.CIVIL_SOCIETY, ""))
        if i % 3 == 0:
            rows.append((entity, f"Universidad Autónoma de {name}", OrganizationType.ACADEMIA, ""))
    for entity, org_name, org_type, power in rows:
        Organization.objects.get_or_create(
            entity=entity,
            name=org_name,
            defaults={"type": org_type, "power": power, "extra": {"demo": True}},
        )
