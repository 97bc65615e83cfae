"""Participants import: validate every row, then upsert all of them or none."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.db import transaction

from cocrea.accounts.permissions import can, require
from cocrea.core import audit
from cocrea.core.csvimport import ImportFailed, ImportResult, RowError, open_text, read_rows
from cocrea.core.text import normalize, normalize_name
from cocrea.territory.selectors import entity_lookup, find_entity

from .models import Organization, OrganizationType, Power

REQUIRED_COLUMNS = ["entidad", "organizacion", "tipo"]
KNOWN_COLUMNS = {"entidad", "organizacion", "tipo", "poder"}

_TYPE_ALIASES = {normalize(c.value): c.value for c in OrganizationType} | {
    normalize(str(c.label)): c.value for c in OrganizationType
}
_TYPE_ALIASES.update(
    {
        "organismo garante": OrganizationType.GUARANTOR,
        "garante": OrganizationType.GUARANTOR,
        "sociedad civil": OrganizationType.CIVIL_SOCIETY,
        "osc": OrganizationType.CIVIL_SOCIETY,
    }
)
_POWER_ALIASES = {normalize(c.value): c.value for c in Power} | {
    normalize(str(c.label)): c.value for c in Power
}


def _parse(stream: IO[str], actor=None) -> tuple[list[dict], list[RowError]]:
    table = entity_lookup()
    errors: list[RowError] = []
    parsed: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_rows(stream, REQUIRED_COLUMNS):
        if row.get("__extra__"):
            errors.append(RowError(line, "", "la fila tiene más columnas que el encabezado"))
            continue
        row_errors: list[RowError] = []
        entity = find_entity(row.get("entidad", ""), table)
        if not row.get("entidad"):
            row_errors.append(RowError(line, "entidad", "está vacío"))
        elif entity is None:
            row_errors.append(
                RowError(line, "entidad", f"«{row['entidad']}» no es una entidad federativa")
            )
        elif not can(actor, "participants.change_organization", Organization(entity=entity)):
            # The entity boundary: a member imports only their own entities' organisations.
            row_errors.append(
                RowError(line, "entidad", f"no puede importar organizaciones de {entity.name}")
            )
        name = " ".join(row.get("organizacion", "").split())
        if not name:
            row_errors.append(RowError(line, "organizacion", "está vacío"))
        elif len(name) > 300:
            row_errors.append(RowError(line, "organizacion", "tiene más de 300 caracteres"))
        org_type = _TYPE_ALIASES.get(normalize(row.get("tipo", "")))
        if org_type is None:
            allowed = ", ".join(c.value for c in OrganizationType)
            row_errors.append(
                RowError(line, "tipo", f"«{row.get('tipo', '')}» no es válido (use: {allowed})")
            )
        power_raw = row.get("poder", "")
        power = _POWER_ALIASES.get(normalize(power_raw)) if power_raw else ""
        if power is None:
            allowed = ", ".join(c.value for c in Power)
            row_errors.append(
                RowError(line, "poder", f"«{power_raw}» no es válido (use: {allowed})")
            )
        elif org_type == OrganizationType.AUTHORITY and not power:
            row_errors.append(RowError(line, "poder", "es obligatorio para una autoridad"))
        elif org_type and org_type != OrganizationType.AUTHORITY and power:
            row_errors.append(RowError(line, "poder", "solo aplica a autoridades"))
        if not row_errors and entity is not None:
            key = (entity.code, normalize_name(name))
            if key in seen:
                row_errors.append(
                    RowError(
                        line, "organizacion", f"repite la organización de la línea {seen[key]}"
                    )
                )
            else:
                seen[key] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        extra = {k: v for k, v in row.items() if k not in KNOWN_COLUMNS and v}
        parsed.append(
            {"entity": entity, "name": name, "type": org_type, "power": power, "extra": extra}
        )
    return parsed, errors


def import_participants(source: str | Path | IO, *, actor=None) -> ImportResult:
    """Import organisations from CSV `entidad,organizacion,tipo,poder`; all rows or none."""
    require(actor, "participants.import_organizations")
    with open_text(source) as stream:
        parsed, errors = _parse(stream, actor)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    with transaction.atomic():
        existing = {
            (o.entity_id, o.normalized_name): o
            for o in Organization.objects.select_for_update().filter(
                entity__in={p["entity"] for p in parsed}
            )
        }
        for item in parsed:
            key = (item["entity"].pk, normalize_name(item["name"]))
            current = existing.get(key)
            if current is None:
                org = Organization(**item)
                org.save()
                audit.record(
                    actor=actor,
                    action="participants.organization.create",
                    obj=org,
                    entity_code=item["entity"].code,
                    after=audit.snapshot(org, ["name", "type", "power", "extra"]),
                )
                result.created += 1
                continue
            fields = ["name", "type", "power", "extra"]
            before = audit.snapshot(current, fields)
            if all(getattr(current, f) == item[f] for f in fields):
                result.unchanged += 1
                continue
            for f in fields:
                setattr(current, f, item[f])
            current.save()
            audit.record(
                actor=actor,
                action="participants.organization.update",
                obj=current,
                entity_code=item["entity"].code,
                before=before,
                after=audit.snapshot(current, fields),
            )
            result.updated += 1
    return result


_ORG_FIELDS = ["entity_id", "name", "type", "power", "extra"]


@transaction.atomic
def save_organization(org: Organization, *, actor) -> Organization:
    """Create or change one organisation (back office), checking the entity's permission."""
    creating = org.pk is None
    require(
        actor,
        "participants.add_organization" if creating else "participants.change_organization",
        org,
    )
    before = None
    if not creating:
        previous = Organization.objects.select_for_update().get(pk=org.pk)
        require(actor, "participants.change_organization", previous)
        before = audit.snapshot(previous, _ORG_FIELDS)
    org.save()
    audit.record(
        actor=actor,
        action="participants.organization." + ("create" if creating else "update"),
        obj=org,
        entity_code=org.entity.code,
        before=before,
        after=audit.snapshot(org, _ORG_FIELDS),
    )
    return org


@transaction.atomic
def delete_organization(org: Organization, *, actor) -> None:
    require(actor, "participants.delete_organization", org)
    before = audit.snapshot(org, _ORG_FIELDS)
    audit.record(
        actor=actor,
        action="participants.organization.delete",
        obj=org,
        entity_code=org.entity.code,
        before=before,
    )
    org.delete()
