"""Municipalities: INEGI's catalogue, registration when one joins, and adhesion by year.

`load_municipalities` reads the catalogue of geostatistical areas as INEGI publishes it
(columns `CVE_ENT`, `NOM_ENT`, `CVE_MUN`, `NOM_MUN`, optionally `CVEGEO` and the rest,
which are ignored), in UTF-8 or ISO-8859-1 / Windows-1252. It checks every line first and
writes all of them or none; loading the same file again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocrea.accounts.permissions import require
from cocrea.core import audit
from cocrea.core.csvimport import (
    ImportFailed,
    ImportResult,
    RowError,
    open_text_any_encoding,
    read_rows,
)
from cocrea.core.text import normalize

from .models import Entity, MunicipalAdhesion, Municipality

REQUIRED = ["cve_ent", "nom_ent", "cve_mun", "nom_mun"]
DEMO_CATALOGUE = Path(__file__).parent / "data" / "municipios.csv"


def _unique_slug(entity_id: int, name: str, taken: dict[tuple[int, str], str], code: str) -> str:
    base = slugify(name)[:110] or code
    slug = base
    if taken.get((entity_id, slug), code) != code:
        slug = f"{base}-{code[2:]}"
    taken[(entity_id, slug)] = code
    return slug


def load_municipalities(source, *, actor=None, progress=None) -> ImportResult:
    """Upsert municipalities from INEGI's catalogue (all or nothing)."""
    require(actor, "territory.add_municipality")
    stream, _encoding = open_text_any_encoding(source)
    entities = {e.code: e for e in Entity.objects.all()}
    existing = {m.code: m for m in Municipality.objects.all()}
    taken = {(m.entity_id, m.slug): m.code for m in existing.values()}
    errors: list[RowError] = []
    planned: list[tuple[str, Entity, str]] = []
    seen: dict[str, int] = {}
    for line, row in read_rows(stream, REQUIRED):
        if row.get("__extra__"):
            errors.append(RowError(line, "", "la fila tiene más columnas que el encabezado"))
            continue
        row_errors = []
        cve_ent, cve_mun = row.get("cve_ent", ""), row.get("cve_mun", "")
        if len(cve_ent) == 1 and cve_ent.isdigit():
            cve_ent = "0" + cve_ent  # a spreadsheet dropped the leading zero
        if cve_mun.isdigit() and len(cve_mun) < 3:
            cve_mun = cve_mun.zfill(3)
        entity = entities.get(cve_ent)
        if entity is None:
            row_errors.append(
                RowError(line, "CVE_ENT", f"«{cve_ent}» no es una clave de entidad (01 a 32)")
            )
        elif normalize(row.get("nom_ent", "")) not in {
            normalize(entity.name), normalize(entity.common_name),
            *(normalize(a) for a in entity.aliases or []),
        }:  # fmt: skip
            row_errors.append(
                RowError(
                    line,
                    "NOM_ENT",
                    f"«{row.get('nom_ent')}» no es el nombre de la entidad {cve_ent} ({entity.name})",
                )
            )
        mun_ok = len(cve_mun) == 3 and cve_mun.isdigit() and cve_mun != "000"
        if not mun_ok:
            row_errors.append(
                RowError(line, "CVE_MUN", f"«{cve_mun}» no es una clave municipal de tres dígitos")
            )
        code = cve_ent + cve_mun
        cvegeo = row.get("cvegeo", "")
        if cvegeo and mun_ok and entity is not None and cvegeo.zfill(5) != code:
            row_errors.append(
                RowError(
                    line,
                    "CVEGEO",
                    f"«{cvegeo}» no coincide con CVE_ENT + CVE_MUN ({code}): los dos primeros dígitos son la entidad",
                )
            )
        name = " ".join(row.get("nom_mun", "").split())
        if not name:
            row_errors.append(RowError(line, "NOM_MUN", "está vacío"))
        elif len(name) > 120:
            row_errors.append(RowError(line, "NOM_MUN", "tiene más de 120 caracteres"))
        if not row_errors and code in seen:
            row_errors.append(
                RowError(line, "CVE_MUN", f"clave {code} repetida (línea {seen[code]})")
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        seen[code] = line
        planned.append((code, entity, name))
    if errors:
        raise ImportFailed(errors)

    result = ImportResult()
    with transaction.atomic():
        new = []
        for index, (code, entity, name) in enumerate(planned, start=1):
            current = existing.get(code)
            if current is None:
                slug = _unique_slug(entity.pk, name, taken, code)
                new.append(Municipality(entity=entity, code=code, name=name, slug=slug))
                result.created += 1
            elif current.name != name or current.entity_id != entity.pk:
                before = audit.snapshot(current, ["name", "entity"])
                current.name, current.entity = name, entity
                current.save(update_fields=["name", "entity"])
                audit.record(actor=actor, action="territory.change_municipality", obj=current,
                             entity_code=entity.code, before=before,
                             after=audit.snapshot(current, ["name", "entity"]))  # fmt: skip
                result.updated += 1
            else:
                result.unchanged += 1
            if progress and index % 500 == 0:
                progress(index, len(planned))
        Municipality.objects.bulk_create(new, batch_size=1000)
        if new:
            audit.record(
                actor=actor, action="territory.load_municipalities", object_type="territory.municipality",
                after={"creados": len(new), "actualizados": result.updated},
            )  # fmt: skip
    return result


@transaction.atomic
def register_municipality(entity: Entity, *, actor, code: str, name: str) -> Municipality:
    """A national coordinator registers a municipality when it joins (its key is checked)."""
    require(actor, "territory.add_municipality")
    code = (code or "").strip()
    name = " ".join((name or "").split())
    errors = {}
    if not (len(code) == 5 and code.isdigit()):
        errors["code"] = _("La clave geoestadística tiene cinco dígitos (entidad y municipio).")
    elif code[:2] != entity.code:
        errors["code"] = _(
            "La clave %(code)s empieza con %(got)s, pero %(entity)s es la entidad %(want)s."
        ) % {"code": code, "got": code[:2], "entity": entity.common_name, "want": entity.code}
    elif Municipality.objects.filter(code=code).exists():
        errors["code"] = _("Ya existe un municipio con la clave %(code)s.") % {"code": code}
    if not name:
        errors["name"] = _("Indique el nombre del municipio.")
    if errors:
        raise ValidationError(errors)
    taken = {
        (entity.pk, slug): other
        for slug, other in Municipality.objects.filter(entity=entity).values_list("slug", "code")
    }
    municipality = Municipality.objects.create(
        entity=entity, code=code, name=name, slug=_unique_slug(entity.pk, name, taken, code)
    )
    audit.record(actor=actor, action="territory.register_municipality", obj=municipality,
                 entity_code=entity.code, after={"code": code, "name": name})  # fmt: skip
    return municipality


@transaction.atomic
def record_adhesion(municipality: Municipality, *, actor, year: int, date=None, source: str = ""):
    """A municipality joins the initiative in `year` (re-recording updates it)."""
    require(actor, "territory.add_municipaladhesion")
    if not 2015 <= int(year) <= 2100:
        raise ValidationError({"year": _("Año de adhesión fuera de rango.")})
    adhesion, created = MunicipalAdhesion.objects.update_or_create(
        municipality=municipality, defaults={"year": int(year), "date": date, "source": source}
    )
    audit.record(
        actor=actor,
        action="territory.municipal_adhesion",
        obj=adhesion,
        entity_code=municipality.entity.code,
        after={"municipality": municipality.code, "year": int(year), "created": created},
    )
    return adhesion
