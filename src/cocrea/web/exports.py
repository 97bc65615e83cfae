"""Public CSV downloads. Only public columns: no personal data ever appears here."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from cocrea.core.coverage import queryset_coverage
from cocrea.core.registry import PublicDataset, register_dataset
from cocrea.participants.selectors import organizations
from cocrea.territory.selectors import entities_with_adhesion


class _Echo:
    def write(self, value):
        return value


def stream_csv(dataset: PublicDataset, entity: str | None = None) -> Iterator[str]:
    """A registered dataset's `columns` and `rows()` as CSV (UTF-8 with BOM); with `entity`
    (an INEGI code, for datasets that take one), that entity's rows only."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM so spreadsheet programs read the accents as UTF-8
    yield writer.writerow(dataset.columns)
    rows = dataset.rows(entity) if entity else dataset.rows()
    for row in rows:
        yield writer.writerow(["" if value is None else value for value in row])


def _entity_rows():
    for e in entities_with_adhesion():
        adhesion = getattr(e, "adhesion", None)
        yield [
            e.code,
            e.name,
            e.common_name,
            e.slug,
            "si" if adhesion else "no",
            adhesion.year if adhesion else "",
            adhesion.date.isoformat() if adhesion and adhesion.date else "",
        ]


def _participant_rows(entity: str | None = None):
    qs = organizations()
    if entity:
        qs = qs.filter(entity__code=entity)
    for o in qs.iterator(chunk_size=2000):
        yield [o.entity.code, o.entity.common_name, o.name, o.type, o.power]


ENTITY_COLUMNS = [
    "codigo",
    "nombre_oficial",
    "nombre_comun",
    "slug",
    "adherida",
    "anio_adhesion",
    "fecha",
]
PARTICIPANT_COLUMNS = ["entidad", "entidad_nombre", "organizacion", "tipo", "poder"]


def register_datasets() -> None:
    """The foundation's datasets in the open-data catalogue (called from WebConfig.ready)."""
    register_dataset(
        "entidades",
        _("Entidades federativas y adhesión"),
        _("Las 32 entidades federativas con clave INEGI y su año de adhesión a la iniciativa."),
        group="territory",
        json_url="/api/v1/entities",
        page_url="web:dashboard",
        columns=ENTITY_COLUMNS,
        rows=_entity_rows,
        order=10,
        keywords=[_("entidades federativas"), _("INEGI"), _("adhesión"), _("gobierno abierto")],
        coverage=_adhesion_coverage,
    )
    register_dataset(
        "participantes",
        _("Organizaciones participantes"),
        _("Autoridades, organismos garantes, sociedad civil y academia en cada secretariado."),
        group="participants",
        json_url="/api/v1/participants",
        page_url="web:dashboard",
        columns=PARTICIPANT_COLUMNS,
        rows=_participant_rows,
        order=20,
        keywords=[_("secretariado técnico local"), _("sociedad civil"), _("autoridades")],
        coverage=_participant_coverage,
        per_entity=True,
        entity_csv_param="entity",
    )


def _adhesion_coverage() -> dict:
    """The adhesions' dates (or, when only the year is known, that year's first day)."""
    from datetime import date

    from cocrea.core.registry import Coverage
    from cocrea.territory.models import Adhesion

    days = [a.date or date(a.year, 1, 1) for a in Adhesion.objects.only("date", "year")]
    if not days:
        return {None: Coverage()}
    years = [d.year for d in days]
    return {
        None: Coverage(
            issued=min(days),
            modified=max(days),
            start=date(min(years), 1, 1),
            end=date(max(years), 12, 31),
        )
    }


def _participant_coverage() -> dict:
    return queryset_coverage(
        organizations(),
        issued="created_at",
        modified="updated_at",
        entity="entity__code",
    )
