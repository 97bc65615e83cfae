"""Open data on co-creation: processes and proposals, without personal data."""

from __future__ import annotations

from ninja import Router, Schema

from . import datasets
from .exports import process_rows, proposal_rows

router = Router(tags=["Cocreación"])
router_prefix = ""


class PhaseOut(Schema):
    kind: str
    name: str
    starts_on: str
    ends_on: str


class CocreationProcessOut(Schema):
    id: int
    entity_code: str
    entity: str
    municipality_code: str | None = None
    municipality_name: str | None = None
    cycle: str
    title: str
    current_phase: str | None
    current_phase_name: str | None
    proposals_open: bool
    proposals: int
    answered: int
    answered_share: float
    median_answer_days: float | None
    phases: list[PhaseOut]


class ProposalOut(Schema):
    id: int
    process_id: int
    entity_code: str
    process_municipality_code: str | None = None
    cycle: str
    kind: str
    title: str
    theme: str
    municipality: str
    affected_population: str
    created_at: str
    status: str
    response: str | None
    answered_at: str | None
    supports: int
    comments: int
    hidden: bool
    commitment_id: int | None


@router.get(
    "/processes",
    response=list[CocreationProcessOut],
    summary="Procesos de cocreación con su fase actual y la proporción de respuestas",
)
def list_processes(request, entity: str | None = None):
    """`entity`: clave INEGI (por ejemplo 17). Sin datos personales."""
    return list(process_rows(entity))


@router.get(
    "/proposals",
    response=list[ProposalOut],
    summary="Propuestas y problemas públicos con su respuesta razonada (sin datos personales)",
)
def list_proposals(request, entity: str | None = None, process: int | None = None):
    """`status` es el estado público; `response` la respuesta publicada; `supports` los apoyos;
    `commitment_id` el compromiso al que se incorporó. Sin autor ni correo."""
    return list(proposal_rows(entity, process))


class ResponseOut(Schema):
    id: int
    proposal_id: int
    proposal: str
    process_id: int
    entity_code: str
    cycle: str
    status: str
    reason: str
    commitment_id: int | None
    published_at: str
    updated_at: str


@router.get(
    "/responses",
    response=list[ResponseOut],
    summary="Respuestas razonadas publicadas",
    description="Respuestas publicadas a las propuestas visibles; sin autor de la propuesta ni "
    "quién redactó la respuesta. Filtro: `entity` (clave INEGI).",
)
def list_responses(request, entity: str | None = None):
    return [datasets.response_dict(r) for r in datasets.published_responses(entity)]


class WorkingTableOut(Schema):
    id: int
    process_id: int
    entity_code: str
    municipality_code: str | None = None
    cycle: str
    title: str
    starts_at: str
    place: str
    capacity: int
    registered: int
    agreements: int
    documents_published_at: str | None
    minutes: str


@router.get(
    "/working-tables",
    response=list[WorkingTableOut],
    summary="Mesas de trabajo de los procesos de cocreación",
    description="Fecha, lugar, cupo, número de registros y de acuerdos, y la minuta cuando "
    "sus documentos se publicaron; sin quién se registró. Filtro: `entity`.",
)
def list_working_tables(request, entity: str | None = None):
    return [datasets.table_dict(t) for t in datasets.working_tables(entity)]


class AgreementOut(Schema):
    id: int
    table_id: int
    table: str
    entity_code: str
    cycle: str
    date: str
    order: int
    text: str
    commitment_id: int | None


@router.get(
    "/agreements",
    response=list[AgreementOut],
    summary="Acuerdos de las mesas de trabajo",
    description="Cada acuerdo con su mesa y el compromiso al que dio lugar. Filtro: `entity`.",
)
def list_agreements(request, entity: str | None = None):
    return [datasets.agreement_dict(a) for a in datasets.agreements(entity)]
