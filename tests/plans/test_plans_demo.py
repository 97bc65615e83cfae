"""Demo data: every joined entity gets a secretariat and plans; deterministic for a seed."""

from __future__ import annotations

import hashlib

import pytest

from cocrea.participants import demo as participants_demo
from cocrea.plans import demo
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Evidence,
    Milestone,
    ProgressReport,
    ReportStatus,
    Secretariat,
)
from cocrea.territory.selectors import joined_adhesions

pytestmark = pytest.mark.django_db


def _digest() -> str:
    rows = Milestone.objects.order_by(
        "commitment__plan__entity__code", "commitment__plan__sequence", "commitment__number", "number"
    ).values_list(
        "commitment__plan__entity__code", "commitment__plan__sequence", "commitment__title",
        "commitment__weight", "title", "weight", "progress", "reported_progress", "status",
    )  # fmt: skip
    reports = ProgressReport.objects.order_by(
        "milestone__commitment__plan__entity__code", "milestone__commitment__plan__sequence",
        "milestone__commitment__number", "milestone__number", "date", "id",
    ).values_list("date", "progress", "status")  # fmt: skip
    return hashlib.sha256(repr((list(rows), list(reports))).encode()).hexdigest()


def test_demo_covers_every_joined_entity_and_is_deterministic(reference, client):
    participants_demo.load(seed=2018)
    demo.load(seed=2018)
    joined = {a.entity_id for a in joined_adhesions()}
    assert set(Secretariat.objects.values_list("entity_id", flat=True)) == joined
    for entity_id in joined:
        plans = ActionPlan.objects.filter(entity_id=entity_id)
        assert 1 <= plans.count() <= 2
        for plan in plans:
            assert plan.commitments.filter(title__startswith="Sigue el Dinero").count() == 1
            assert plan.versions.count() == 1
    assert ProgressReport.objects.filter(status=ReportStatus.PENDING).exists()
    assert (
        ProgressReport.objects.filter(status=ReportStatus.RETURNED)
        .exclude(return_reason="")
        .exists()
    )
    assert Evidence.objects.filter(kind="enlace").exists()
    assert Milestone.objects.filter(progress__isnull=True).exists()  # some «sin reporte»
    first = _digest()

    # Pages render with the demo data.
    morelos = Commitment.objects.filter(plan__entity__code="17").first()
    assert client.get("/seguimiento/").status_code == 200
    assert client.get("/seguimiento/morelos/").status_code == 200
    assert client.get("/seguimiento/morelos/secretariado/").status_code == 200
    page = client.get(morelos.get_absolute_url()).content.decode()
    assert "Reporte validado" in page or "Avance reportado" in page
    assert (
        "@demo.cocrea.local"
        not in client.get("/seguimiento/morelos/secretariado/").content.decode()
    )

    Secretariat.objects.all().delete()
    ActionPlan.objects.all().delete()
    demo.load(seed=2018)
    assert _digest() == first
