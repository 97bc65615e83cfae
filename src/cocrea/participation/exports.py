"""Public CSV downloads and the rows the API shares: never a name, e-mail or account id."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from . import selectors
from .models import Response


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: list[str]
    rows: object


class _Echo:
    def write(self, value):
        return value


def process_rows(entity: str | None = None) -> Iterator[dict]:
    for p in selectors.processes(entity):
        phase = p.current_phase()
        stats = selectors.answer_stats(p)
        yield {
            "id": p.pk,
            "entity_code": p.entity.code,
            "entity": p.entity.common_name,
            "municipality_code": p.municipality.code if p.municipality_id else None,
            "municipality_name": p.municipality.name if p.municipality_id else None,
            "cycle": p.cycle,
            "title": p.title,
            "current_phase": phase.kind if phase else None,
            "current_phase_name": phase.name if phase else None,
            "proposals_open": bool(phase and phase.proposals_open),
            "proposals": stats.total,
            "answered": stats.answered,
            "answered_share": round(stats.share, 4),
            "median_answer_days": stats.median_days,
            "phases": [
                {
                    "kind": ph.kind,
                    "name": ph.name,
                    "starts_on": ph.starts_on.isoformat(),
                    "ends_on": ph.ends_on.isoformat(),
                }
                for ph in p.phases.all()
            ],
        }


def proposal_rows(entity: str | None = None, process_id: int | None = None) -> Iterator[dict]:
    fields = ["proposal_id", "status", "published_at", "commitment_id"]
    responses = Response.objects.filter(published_at__isnull=False)
    if entity:
        responses = responses.filter(proposal__process__entity__code=entity.zfill(2))
    if process_id:
        responses = responses.filter(proposal__process_id=process_id)
    published = {r["proposal_id"]: r for r in responses.values(*fields)}
    qs = selectors.proposals(entity_code=entity).order_by("id")
    if process_id:
        qs = qs.filter(process_id=process_id)
    for p in qs.iterator(chunk_size=2000):
        r = published.get(p.pk)
        hidden = p.hidden_at is not None
        yield {
            "id": p.pk,
            "process_id": p.process_id,
            "entity_code": p.process.entity.code,
            "process_municipality_code": (
                p.process.municipality.code if p.process.municipality_id else None
            ),
            "cycle": p.process.cycle,
            "kind": p.kind,
            "title": "" if hidden else p.title,
            "theme": p.theme,
            "municipality": "" if hidden else p.municipality,
            "affected_population": "" if hidden else p.affected_population,
            "created_at": p.created_at.isoformat(),
            "status": p.status,
            "response": r["status"] if r else None,
            "answered_at": p.answered_at.isoformat() if p.answered_at else None,
            "supports": p.support_count,
            "comments": p.comment_count,
            "hidden": hidden,
            "commitment_id": r["commitment_id"] if r else None,
        }


PROCESS_COLUMNS = [
    "id", "entity_code", "entity", "municipality_code", "municipality_name", "cycle", "title", "current_phase", "current_phase_name",
    "proposals_open", "proposals", "answered", "answered_share", "median_answer_days",
]  # fmt: skip
PROPOSAL_COLUMNS = [
    "id", "process_id", "entity_code", "process_municipality_code", "cycle", "kind", "title", "theme", "municipality",
    "affected_population", "created_at", "status", "response", "answered_at", "supports",
    "comments", "hidden", "commitment_id",
]  # fmt: skip

DATASETS = {
    "procesos": Dataset("procesos", PROCESS_COLUMNS, process_rows),
    "propuestas": Dataset("propuestas", PROPOSAL_COLUMNS, proposal_rows),
}


def stream_csv(dataset: Dataset, entity: str | None = None) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(dataset.columns)
    for row in dataset.rows(entity):
        yield writer.writerow(["" if row[c] is None else row[c] for c in dataset.columns])


def write_csv(stdout, entity: str | None = None, name: str = "propuestas") -> None:
    for chunk in stream_csv(DATASETS[name], entity):
        stdout.write(chunk)
