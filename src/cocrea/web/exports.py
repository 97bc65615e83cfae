"""Public CSV downloads. Only public columns: no personal data ever appears here."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cocrea.participants.selectors import organizations
from cocrea.territory.selectors import entities_with_adhesion


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: list[str]
    rows: Callable[[], Iterator[list]]
    api_path: str


class _Echo:
    def write(self, value):
        return value


def stream_csv(dataset: Dataset) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM so spreadsheet programs read the accents as UTF-8
    yield writer.writerow(dataset.columns)
    for row in dataset.rows():
        yield writer.writerow(row)


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


def _participant_rows():
    for o in organizations().iterator(chunk_size=2000):
        yield [o.entity.code, o.entity.common_name, o.name, o.type, o.power]


DATASETS: dict[str, Dataset] = {
    "entidades": Dataset(
        "entidades",
        "Entidades federativas y adhesión",
        "Las 32 entidades federativas con clave INEGI y su año de adhesión a la iniciativa.",
        ["codigo", "nombre_oficial", "nombre_comun", "slug", "adherida", "anio_adhesion", "fecha"],
        _entity_rows,
        "/api/v1/entities",
    ),
    "participantes": Dataset(
        "participantes",
        "Organizaciones participantes",
        "Autoridades, organismos garantes, sociedad civil y academia en cada secretariado.",
        ["entidad", "entidad_nombre", "organizacion", "tipo", "poder"],
        _participant_rows,
        "/api/v1/participants",
    ),
}
