"""Plans and commitments API: progress figures follow the published rollup rule."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from cocrea.api.pagination import PAGINATION, page_headers

from . import datasets, rollup, selectors
from .models import Milestone, MilestoneStatus, ReportStatus

router = Router(tags=["Planes de acción local"])
router_prefix = ""

RULE = (
    "**Regla de agregación.** `progress` es el avance validado (cifra oficial) y "
    "`reported_progress` el último avance reportado. " + rollup.RULE_TEXT
)


class PlanOut(Schema):
    id: int
    entity_code: str
    entity: str
    municipality_code: str | None = Field(
        None, description="Clave geoestadística del municipio; vacío para un plan de la entidad"
    )
    sequence: int
    title: str
    status: str
    period_start: date | None
    period_end: date | None
    version: int
    commitments: int
    milestones: int
    overdue_milestones: int
    progress: float
    reported_progress: float
    url: str


class CommitmentOut(Schema):
    id: int
    plan_id: int
    entity_code: str
    number: int
    title: str
    values: list[str]
    start_date: date | None
    end_date: date | None
    weight: float
    status: str
    milestones: int
    milestones_without_report: int
    overdue_milestones: int
    progress: float
    reported_progress: float
    url: str


class MilestoneOut(Schema):
    id: int
    number: int
    title: str
    responsible_organization: str | None
    responsible_side: str
    start_date: date | None
    end_date: date | None
    weight: float
    status: str
    progress: float | None
    reported_progress: float | None
    overdue: bool
    reports: int
    reports_validated: int
    reports_pending: int


class MilestoneRowOut(Schema):
    """One milestone of the open-data list: the columns of hitos.csv, plus its responsible."""

    id: int
    entity_code: str = Field(description="Clave INEGI de la entidad (columna `entidad`)")
    plan_id: int
    plan_sequence: int = Field(description="Número del plan en la entidad (columna `plan`)")
    commitment_id: int
    commitment: str = Field(description="Título del compromiso")
    number: int
    title: str
    weight: float
    progress: float | None = Field(description="Avance validado (0-100); null: sin reporte")
    reported_progress: float | None = Field(description="Último avance reportado (0-100)")
    status: str = Field(description=", ".join(MilestoneStatus.values))
    start_date: date | None
    end_date: date | None
    responsible_organization: str | None = Field(description="Organización, nunca una persona")
    responsible_side: str
    overdue: bool
    reports: int
    reports_validated: int
    reports_pending: int
    url: str


class CommitmentDetailOut(CommitmentOut):
    problem: str
    objective: str
    description: str
    responsible_authority: str | None
    co_responsible: str | None
    milestone_list: list[MilestoneOut]


def _r(x: float) -> float:
    return round(float(x), 4)


def _plan(p, g) -> dict:
    return {
        "id": p.pk,
        "entity_code": p.entity.code,
        "entity": p.entity.common_name,
        "municipality_code": p.municipality.code if p.municipality_id else None,
        "sequence": p.sequence,
        "title": p.title,
        "status": p.status,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "version": p.version,
        "commitments": g.commitments,
        "milestones": g.milestones,
        "overdue_milestones": g.overdue,
        "progress": _r(g.progress),
        "reported_progress": _r(g.reported),
        "url": p.get_absolute_url(),
    }


def _commitment(c, f) -> dict:
    return {
        "id": c.pk,
        "plan_id": c.plan_id,
        "entity_code": c.plan.entity.code,
        "number": c.number,
        "title": c.title,
        "values": c.values,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "weight": float(c.weight),
        "status": c.status,
        "milestones": f.milestones,
        "milestones_without_report": f.no_report,
        "overdue_milestones": f.overdue,
        "progress": _r(f.progress),
        "reported_progress": _r(f.reported),
        "url": c.get_absolute_url(),
    }


@router.get(
    "/plans", response=list[PlanOut], summary="Planes de acción local publicados", description=RULE
)
def list_plans(request, entity: str | None = None, municipio: str | None = None):
    """`entity`: clave INEGI (p. ej. 17); `municipio`: clave de cinco dígitos (p. ej. 17007)."""
    _check_municipio(municipio)
    return [_plan(p, g) for p, g in selectors.plans_api(entity, municipio)]


def _check_municipio(value: str | None) -> None:
    if value is not None and not (len(value) == 5 and value.isdigit()):
        from ninja.errors import HttpError

        raise HttpError(400, "municipio: use la clave geoestadística de cinco dígitos")


@router.get("/plans/{plan_id}", response=PlanOut, summary="Un plan con su avance", description=RULE)
def get_plan(request, plan_id: int):
    plan = get_object_or_404(selectors.public_plans(), pk=plan_id)
    municipality = plan.municipality.code if plan.municipality_id else None
    for p, g in selectors.plans_api(plan.entity.code, municipality):
        if p.pk == plan.pk:
            return _plan(p, g)
    return _plan(plan, rollup.Group())


@router.get(
    "/commitments",
    response=list[CommitmentOut],
    summary="Compromisos de los planes publicados",
    description=RULE,
)
def list_commitments(request, entity: str | None = None, municipio: str | None = None):
    _check_municipio(municipio)
    return [_commitment(c, f) for c, f in selectors.commitments_api(entity, municipio)]


MAX_LIMIT = 5000


class MilestoneFilters(Schema):
    entity: str | None = Field(None, description="Clave INEGI de la entidad, p. ej. 17")
    plan: int | None = Field(None, description="Id del plan (`plan_id`)")
    commitment: int | None = Field(None, description="Id del compromiso (`commitment_id`)")
    status: MilestoneStatus | None = Field(None, description="Estatus del hito")
    overdue: bool | None = Field(
        None,
        description="true: solo hitos vencidos (término pasado, sin concluir); false: los demás",
    )


def paginate(request, response: HttpResponse, qs, limit: int, offset: int) -> list:
    """A slice of `qs` with `X-Total-Count` and, when more rows follow, a `Link: rel=next`."""
    total = qs.count()
    page_headers(request, response, total, limit, offset)
    return list(qs[offset : offset + limit]) if offset < total else []


@router.get(
    "/milestones",
    response=list[MilestoneRowOut],
    summary="Hitos de los planes publicados (los datos de hitos.csv)",
    description=(
        "Los mismos hitos y columnas que la descarga `hitos.csv`, en el mismo orden. Filtros: "
        "`entity` (clave INEGI), `plan` (id del plan), `commitment` (id del compromiso), "
        "`status` y `overdue`. " + PAGINATION + " Sin datos personales: el responsable es "
        "una organización."
    ),
)
def list_milestones(
    request,
    response: HttpResponse,
    filters: Query[MilestoneFilters],
    limit: int = Query(1000, ge=1, le=MAX_LIMIT, description="Hitos por página"),
    offset: int = Query(0, ge=0, description="Hitos que se saltan"),
):
    today = timezone.localdate()
    qs = selectors.milestones_api(
        entity=filters.entity,
        plan=filters.plan,
        commitment=filters.commitment,
        status=filters.status.value if filters.status else None,
        overdue=filters.overdue,
        today=today,
    )
    return [_milestone_row(m, today) for m in paginate(request, response, qs, limit, offset)]


def _opt(x) -> float | None:
    return None if x is None else float(x)


def _milestone_row(m, today) -> dict:
    c = m.commitment
    return {
        "id": m.pk,
        "entity_code": c.plan.entity.code,
        "plan_id": c.plan_id,
        "plan_sequence": c.plan.sequence,
        "commitment_id": c.pk,
        "commitment": c.title,
        "number": m.number,
        "title": m.title,
        "weight": float(m.weight),
        "progress": _opt(m.progress),
        "reported_progress": _opt(m.reported_progress),
        "status": m.status,
        "start_date": m.start_date,
        "end_date": m.end_date,
        "responsible_organization": m.responsible_organization.name
        if m.responsible_organization_id
        else None,
        "responsible_side": m.responsible_side,
        "overdue": m.is_overdue(today),
        "reports": m.reports_total,
        "reports_validated": m.reports_validated,
        "reports_pending": m.reports_pending,
        "url": m.get_absolute_url(),
    }


@router.get(
    "/commitments/{commitment_id}",
    response=CommitmentDetailOut,
    summary="Un compromiso con sus hitos y su avance",
    description=RULE,
)
def get_commitment(request, commitment_id: int):
    from django.db.models import Count, Q
    from django.utils import timezone

    commitment = get_object_or_404(
        selectors.public_commitments().select_related(
            "plan__entity", "responsible_authority", "co_responsible"
        ),
        pk=commitment_id,
    )
    milestones = list(
        Milestone.objects.filter(commitment=commitment)
        .select_related("responsible_organization")
        .annotate(
            n_reports=Count("reports"),
            n_validated=Count("reports", filter=Q(reports__status=ReportStatus.VALIDATED)),
            n_pending=Count("reports", filter=Q(reports__status=ReportStatus.PENDING)),
        )
        .order_by("number", "id")
    )
    figures = rollup.compute_milestones(milestones)
    today = timezone.localdate()
    data = _commitment(commitment, figures)
    data.update(
        problem=commitment.problem,
        objective=commitment.objective,
        description=commitment.description,
        responsible_authority=str(commitment.responsible_authority or "") or None,
        co_responsible=str(commitment.co_responsible or "") or None,
        milestone_list=[
            {
                "id": m.pk,
                "number": m.number,
                "title": m.title,
                "responsible_organization": str(m.responsible_organization or "") or None,
                "responsible_side": m.responsible_side,
                "start_date": m.start_date,
                "end_date": m.end_date,
                "weight": float(m.weight),
                "status": m.status,
                "progress": float(m.progress) if m.progress is not None else None,
                "reported_progress": (
                    float(m.reported_progress) if m.reported_progress is not None else None
                ),
                "overdue": m.is_overdue(today),
                "reports": m.n_reports,
                "reports_validated": m.n_validated,
                "reports_pending": m.n_pending,
            }
            for m in milestones
        ],
    )
    return data


class ReportOut(Schema):
    id: int
    entity_code: str
    plan_id: int
    plan_sequence: int
    commitment_id: int
    commitment: str
    milestone_id: int
    milestone: str
    date: date
    progress: float
    side: str
    validated_at: datetime | None
    text: str


@router.get(
    "/reports",
    response=list[ReportOut],
    summary="Reportes de avance validados",
    description="Reportes validados de los hitos de planes publicados; sin quién reporta ni "
    "quién valida. Filtro: `entity` (clave INEGI).",
)
def list_reports(request, entity: str | None = None):
    return [datasets.report_dict(r) for r in datasets.validated_reports(entity)]


class OgpCommitmentOut(Schema):
    commitment_id: str
    commitment_title: str
    lead_institution: str
    access_to_information: bool
    civic_participation: bool
    public_accountability: bool
    technology_and_innovation: bool
    specificity: str | None
    potential_impact: str | None
    completion: str | None
    did_it_open_government: str | None
    starred: bool | None
    entity_code: str
    action_plan: int
    status: str


@router.get(
    "/ogp-commitments",
    response=list[OgpCommitmentOut],
    summary="Compromisos en las columnas de datos de compromisos de OGP",
    description="Un renglón por compromiso con los valores de gobierno abierto; las columnas "
    "de evaluación (especificidad, impacto potencial, cumplimiento, ¿abrió el gobierno?, "
    "estelar) quedan vacías hasta que exista una evaluación. Filtro: `entity`.",
)
def list_ogp_commitments(request, entity: str | None = None):
    return datasets.ogp_commitments(entity)
