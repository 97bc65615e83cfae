"""Co-creation datasets of the open-data catalogue: coverage from the data, published
reasoned responses, working tables and their agreements.

No personal data: responses carry the proposal's id, never its author nor who drafted the
response; working tables their counts of registrations, never who registered.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils import timezone

from cocrea.core.coverage import merge, queryset_coverage

from .models import Agreement, Process, Proposal, Response, WorkingTable


def processes_coverage() -> dict:
    return merge(
        queryset_coverage(
            Process.objects.all(), issued="created_at", modified="created_at", entity="entity__code"
        ),
        queryset_coverage(
            Process.objects.filter(phases__isnull=False),
            issued="created_at",
            modified="created_at",
            start="phases__starts_on",
            end="phases__ends_on",
            entity="entity__code",
        ),
    )


def proposals_coverage() -> dict:
    return merge(
        queryset_coverage(
            Proposal.objects.all(),
            issued="created_at",
            modified="created_at",
            start="created_at",
            end="created_at",
            entity="process__entity__code",
        ),
        queryset_coverage(
            Proposal.objects.filter(answered_at__isnull=False),
            issued="answered_at",
            modified="answered_at",
            entity="process__entity__code",
        ),
    )


def published_responses(entity: str | None = None):
    qs = (
        Response.objects.filter(published_at__isnull=False, proposal__hidden_at__isnull=True)
        .select_related("proposal__process__entity")
        .order_by("proposal__process__entity__code", "published_at", "id")
    )
    if entity:
        qs = qs.filter(proposal__process__entity__code=entity.zfill(2))
    return qs


def responses_coverage() -> dict:
    return queryset_coverage(
        published_responses(),
        issued="published_at",
        modified="updated_at",
        start="published_at",
        end="published_at",
        entity="proposal__process__entity__code",
    )


def response_dict(r) -> dict:
    p = r.proposal
    return {
        "id": r.pk,
        "proposal_id": p.pk,
        "proposal": p.title,
        "process_id": p.process_id,
        "entity_code": p.process.entity.code,
        "cycle": p.process.cycle,
        "status": r.status,
        "reason": r.reason,
        "commitment_id": r.commitment_id,
        "published_at": r.published_at.isoformat(),
        "updated_at": r.updated_at.isoformat(),
    }


RESPONSE_COLUMNS = (
    "id", "proposal_id", "proposal", "process_id", "entity_code", "cycle", "status", "reason",
    "commitment_id", "published_at", "updated_at",
)  # fmt: skip


def response_rows(entity: str | None = None) -> Iterator[list]:
    for r in published_responses(entity).iterator(chunk_size=2000):
        d = response_dict(r)
        yield [d[c] for c in RESPONSE_COLUMNS]


def working_tables(entity: str | None = None):
    qs = (
        WorkingTable.objects.select_related("process__entity", "process__municipality")
        .annotate(registered=Count("registrations", distinct=True))
        .annotate(agreement_count=Count("agreements", distinct=True))
        .order_by("process__entity__code", "starts_at", "id")
    )
    if entity:
        qs = qs.filter(process__entity__code=entity.zfill(2))
    return qs


def tables_coverage() -> dict:
    """Issued and modified when the tables' documents were published (a table is announced
    before it meets, so its date may lie ahead); the period is the tables' dates."""
    return merge(
        queryset_coverage(
            WorkingTable.objects.filter(documents_published_at__lte=timezone.now()),
            issued="documents_published_at",
            modified="documents_published_at",
            entity="process__entity__code",
        ),
        _span(WorkingTable.objects.all(), "starts_at", "process__entity__code"),
    )


def _span(qs, field: str, entity: str) -> dict:
    """Only the period (start, end) of `field`, for entities that have dates already."""
    from cocrea.core.registry import Coverage

    found = queryset_coverage(
        qs, issued=field, modified=field, start=field, end=field, entity=entity
    )
    return {k: Coverage(start=c.start, end=c.end) for k, c in found.items()}


def table_dict(t) -> dict:
    published = t.documents_published_at is not None and t.documents_published_at <= timezone.now()
    return {
        "id": t.pk,
        "process_id": t.process_id,
        "entity_code": t.process.entity.code,
        "municipality_code": t.process.municipality.code if t.process.municipality_id else None,
        "cycle": t.process.cycle,
        "title": t.title,
        "starts_at": t.starts_at.isoformat(),
        "place": t.place,
        "capacity": t.capacity,
        "registered": t.registered,
        "agreements": t.agreement_count,
        "documents_published_at": t.documents_published_at.isoformat() if published else None,
        "minutes": t.minutes if published else "",
    }


TABLE_COLUMNS = (
    "id", "process_id", "entity_code", "municipality_code", "cycle", "title", "starts_at",
    "place", "capacity",
    "registered", "agreements", "documents_published_at", "minutes",
)  # fmt: skip


def table_rows(entity: str | None = None) -> Iterator[list]:
    for t in working_tables(entity):
        d = table_dict(t)
        yield [d[c] for c in TABLE_COLUMNS]


def agreements(entity: str | None = None):
    qs = Agreement.objects.select_related("table__process__entity").order_by(
        "table__process__entity__code", "table__starts_at", "table_id", "order", "id"
    )
    if entity:
        qs = qs.filter(table__process__entity__code=entity.zfill(2))
    return qs


def agreements_coverage() -> dict:
    return merge(
        queryset_coverage(
            Agreement.objects.filter(table__documents_published_at__lte=timezone.now()),
            issued="table__documents_published_at",
            modified="table__documents_published_at",
            entity="table__process__entity__code",
        ),
        _span(Agreement.objects.all(), "table__starts_at", "table__process__entity__code"),
    )


def agreement_dict(a) -> dict:
    t = a.table
    return {
        "id": a.pk,
        "table_id": t.pk,
        "table": t.title,
        "entity_code": t.process.entity.code,
        "cycle": t.process.cycle,
        "date": t.starts_at.date().isoformat(),
        "order": a.order,
        "text": a.text,
        "commitment_id": a.commitment_id,
    }


AGREEMENT_COLUMNS = (
    "id", "table_id", "table", "entity_code", "cycle", "date", "order", "text", "commitment_id",
)  # fmt: skip


def agreement_rows(entity: str | None = None) -> Iterator[list]:
    for a in agreements(entity).iterator(chunk_size=2000):
        d = agreement_dict(a)
        yield [d[c] for c in AGREEMENT_COLUMNS]
