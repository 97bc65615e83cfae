"""National scale: 32 entities × 3 plans × 15 commitments × 8 milestones × 6 reports.

The board, an entity page, a commitment page and the API run a bounded number of queries.
The data is built once (bulk_create) and the pages are checked in one test.
"""

from __future__ import annotations

import pytest

from cocrea.plans import scale
from cocrea.plans.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_pages_run_bounded_queries_at_national_scale(
    client, reference, django_assert_max_num_queries
):
    data = scale.build()
    assert data["reports"] == 32 * 3 * 15 * 8 * 6 == ProgressReport.objects.count()
    entity, commitment, plan = data["entity"], data["commitment"], data["plan"]

    with django_assert_max_num_queries(8):
        response = client.get("/seguimiento/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="pl-bar"') >= 32

    with django_assert_max_num_queries(8):
        response = client.get("/seguimiento/?valor=participacion&plan=2&estatus=en_proceso")
    assert response.status_code == 200

    with django_assert_max_num_queries(8):
        response = client.get(f"/seguimiento/{entity.slug}/")
    assert response.status_code == 200
    assert response.content.decode().count("/seguimiento/compromisos/") >= 45

    with django_assert_max_num_queries(10):
        response = client.get(commitment.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("pl-report-") >= 48

    with django_assert_max_num_queries(8):
        response = client.get(f"/seguimiento/planes/{plan.pk}/")
    assert response.status_code == 200

    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/plans").json()) == 96
    with django_assert_max_num_queries(6):
        assert len(client.get(f"/api/v1/commitments?entity={entity.code}").json()) == 45
    with django_assert_max_num_queries(6):
        detail = client.get(f"/api/v1/commitments/{commitment.pk}").json()
    assert len(detail["milestone_list"]) == 8
    with django_assert_max_num_queries(6):
        assert client.get("/seguimiento/descargas/compromisos.csv").status_code == 200


def test_scale_builder_counters_match_reports(reference):
    from cocrea.plans.services import recount_reports

    scale.build(plans=1, commitments=2, milestones=3, reports=4)
    assert recount_reports() == 0
