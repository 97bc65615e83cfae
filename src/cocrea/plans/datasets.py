"""The plans' datasets in the open-data catalogue: coverage from the data, validated
progress reports and the commitments in OGP's commitments-data columns.

No personal data: reports carry the milestone, date, progress and side, never who
reported or reviewed them.
"""

from __future__ import annotations

from collections.abc import Iterator

from cocrea.core.coverage import merge, queryset_coverage

from . import selectors
from .models import Milestone, PlanStatus, ProgressReport, ReportStatus


def plans_coverage() -> dict:
    return queryset_coverage(
        selectors.public_plans(),
        issued="created_at",
        modified="updated_at",
        start="period_start",
        end="period_end",
        entity="entity__code",
    )


def commitments_coverage() -> dict:
    return queryset_coverage(
        selectors.public_commitments(),
        issued="created_at",
        modified="updated_at",
        start="start_date",
        end="end_date",
        entity="plan__entity__code",
    )


def _public_milestones():
    return Milestone.objects.exclude(commitment__plan__status=PlanStatus.DRAFT)


def milestones_coverage() -> dict:
    return queryset_coverage(
        _public_milestones(),
        issued="created_at",
        modified="updated_at",
        start="start_date",
        end="end_date",
        entity="commitment__plan__entity__code",
    )


def validated_reports(entity: str | None = None):
    qs = (
        ProgressReport.objects.filter(status=ReportStatus.VALIDATED)
        .exclude(milestone__commitment__plan__status=PlanStatus.DRAFT)
        .select_related(
            "milestone__commitment__plan__entity", "milestone__commitment__plan__municipality"
        )
        .order_by("milestone__commitment__plan__entity__code", "date", "id")
    )
    if entity:
        qs = qs.filter(milestone__commitment__plan__entity__code=entity.zfill(2))
    return qs


def reports_coverage() -> dict:
    entity = "milestone__commitment__plan__entity__code"
    return merge(
        queryset_coverage(
            validated_reports(),
            issued="created_at",
            modified="created_at",
            start="date",
            end="date",
            entity=entity,
        ),
        queryset_coverage(
            validated_reports().filter(reviewed_at__isnull=False),
            issued="reviewed_at",
            modified="reviewed_at",
            entity=entity,
        ),
    )


REPORT_COLUMNS = (
    "id", "entidad", "municipio", "plan", "compromiso_id", "compromiso", "hito_id", "hito", "fecha",
    "avance", "lado", "fecha_validacion", "texto",
)  # fmt: skip


def report_dict(r) -> dict:
    m = r.milestone
    c = m.commitment
    return {
        "id": r.pk,
        "entity_code": c.plan.entity.code,
        "municipality_code": c.plan.municipality.code if c.plan.municipality_id else None,
        "plan_id": c.plan_id,
        "plan_sequence": c.plan.sequence,
        "commitment_id": c.pk,
        "commitment": c.title,
        "milestone_id": m.pk,
        "milestone": m.title,
        "date": r.date,
        "progress": float(r.progress),
        "side": r.side,
        "validated_at": r.reviewed_at,
        "text": r.text,
    }


def report_rows(entity: str | None = None) -> Iterator[list]:
    for r in validated_reports(entity).iterator(chunk_size=2000):
        d = report_dict(r)
        yield [
            d["id"], d["entity_code"], d["municipality_code"] or "", d["plan_sequence"], d["commitment_id"], d["commitment"],
            d["milestone_id"], d["milestone"], d["date"].isoformat(), f"{d['progress']:.2f}",
            d["side"], d["validated_at"].isoformat() if d["validated_at"] else "", d["text"],
        ]  # fmt: skip


# OGP's commitments data (the IRM's spreadsheet): one row per commitment. The evaluation
# columns come from the capability that rates commitments (`register_commitment_ratings`)
# and stay empty for commitments nobody has rated.
OGP_COLUMNS = (
    "commitment_id", "commitment_title", "lead_institution", "access_to_information",
    "civic_participation", "public_accountability", "technology_and_innovation",
    "specificity", "potential_impact", "completion", "did_it_open_government", "starred",
    "entity_code", "action_plan", "status",
)  # fmt: skip
EVALUATION_COLUMNS = (
    "specificity",
    "potential_impact",
    "completion",
    "did_it_open_government",
    "starred",
)


def ogp_commitment_id(place_code: str, plan_sequence: int, number: int) -> str:
    """A commitment's identifier in OGP's commitments data: `MX-<entity or municipality
    key>-<plan>-<commitment>`, e.g. MX-17-1-3 (Morelos) or MX-17007-1-3 (Cuernavaca)."""
    return f"MX-{place_code}-{plan_sequence}-{number}"


def ogp_commitments(entity: str | None = None) -> list[dict]:
    from cocrea.core.registry import COMMITMENT_RATINGS

    rows = selectors.commitments_api(entity)
    names = _organization_names(c for c, _ in rows)
    # The evaluation columns, from whichever capability rates commitments (evaluation).
    ratings: dict = {}
    for provider in COMMITMENT_RATINGS:
        ratings.update(provider(entity))
    out = []
    for c, _figures in rows:
        place = c.plan.municipality.code if c.plan.municipality_id else c.plan.entity.code
        out.append(
            {
                "commitment_id": ogp_commitment_id(place, c.plan.sequence, c.number),
                "commitment_title": c.title,
                "lead_institution": names.get(c.responsible_authority_id, ""),
                "access_to_information": c.value_access,
                "civic_participation": c.value_participation,
                "public_accountability": c.value_accountability,
                "technology_and_innovation": c.value_technology,
                **dict.fromkeys(EVALUATION_COLUMNS),
                **ratings.get(c.pk, {}),
                "entity_code": c.plan.entity.code,
                "action_plan": c.plan.sequence,
                "status": c.status,
            }
        )
    return out


def _organization_names(commitments) -> dict:
    from cocrea.participants.models import Organization

    ids = {c.responsible_authority_id for c in commitments} - {None}
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))


def _cell(value):
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return "" if value is None else value


def ogp_rows(entity: str | None = None) -> Iterator[list]:
    for row in ogp_commitments(entity):
        yield [_cell(row[c]) for c in OGP_COLUMNS]
