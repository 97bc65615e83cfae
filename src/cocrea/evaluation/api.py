"""Evaluation ratings in OGP's commitments-data layout, as JSON and CSV (no personal data)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from ninja import Router, Schema

from . import scoring, selectors

router = Router(tags=["Evaluación independiente"])
router_prefix = "evaluation"

DESCRIPTION = (
    "Una fila por compromiso con revisión publicada (la versión vigente). Columnas del formato "
    "de datos de compromisos de OGP/IRM: `commitment_id`, `commitment_title`, "
    "`lead_institution`, los cuatro valores de gobierno abierto, `specificity`, "
    "`potential_impact`, `completion`, `did_it_open_government`, `starred`. " + scoring.STAR_RULE
)


class RatingOut(Schema):
    commitment_id: str
    commitment_title: str
    lead_institution: str
    access_to_information: str
    civic_participation: str
    public_accountability: str
    technology_and_innovation: str
    specificity: str
    potential_impact: str
    completion: str
    did_it_open_government: str
    starred: str
    entity_code: str
    entity: str
    municipality_code: str = ""
    plan_sequence: int
    verifiable: str
    potential_for_results: str
    design_review_version: int | str
    results_review_version: int | str


def _rows(entity: str | None):
    return selectors.export_rows(entity=entity.zfill(2) if entity else None)


@router.get("/ratings", response=list[RatingOut], summary="Calificaciones", description=DESCRIPTION)
def ratings(request, entity: str | None = None):
    return _rows(entity)


@router.get("/ratings.csv", summary="Calificaciones (CSV)", description=DESCRIPTION)
def ratings_csv(request, entity: str | None = None):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(selectors.EXPORT_COLUMNS)
    for row in _rows(entity):
        writer.writerow([row[c] for c in selectors.EXPORT_COLUMNS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="evaluacion-compromisos.csv"'
    return response
