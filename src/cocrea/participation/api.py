"""Open data on co-creation: processes and proposals, without personal data."""

from __future__ import annotations

from ninja import Router, Schema

from .exports import process_rows, proposal_rows

router = Router(tags=["Cocreación"])
router_prefix = ""


class PhaseOut(Schema):
    kind: str
    name: str
    starts_on: str
    ends_on: str


class ProcessOut(Schema):
    id: int
    entity_code: str
    entity: str
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
    response=list[ProcessOut],
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
