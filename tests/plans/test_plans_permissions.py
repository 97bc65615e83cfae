"""Permission matrix: every write view and endpoint, for each role.

Roles: national coordinator, member of the entity (government key), civil-society member of
the entity (the other key), member of another entity, evaluator, citizen, anonymous.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from plans_helpers import EVIDENCE

from cocrea.notifications.models import Follow
from cocrea.plans import services
from cocrea.plans.models import Commitment, Evidence, ProgressReport, ReportStatus

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "member", "cso_member", "other_member", "evaluator", "citizen", "anonymous"]


def _login(client, users, morelos, role):
    if role == "anonymous":
        return None
    user = morelos["cso_user"] if role == "cso_member" else users[role]
    client.force_login(user)
    return user


LOGIN = "/cuenta/entrar/"  # the public log-in (settings.LOGIN_URL)


def _ok(response):
    return response.status_code in (200, 302) and LOGIN not in response.get("Location", "")


# role -> may do it (gov milestone: government reports, civil society validates)
REPORT = {"member": True}
REVIEW = {"cso_member": True}
ADD_EVIDENCE = {"member": True, "cso_member": True}
FOLLOW = {r: True for r in ROLES if r != "anonymous"}
BULK = {"coordinator": True, "member": True, "cso_member": True, "other_member": True}
EDIT_COMMITMENT = {"coordinator": True, "member": True, "cso_member": True}


@pytest.mark.parametrize("role", ROLES)
def test_report_view(client, users, morelos, role):
    _login(client, users, morelos, role)
    m = morelos["gov_milestone"]
    response = client.post(
        f"/seguimiento/hitos/{m.pk}/reportar/",
        {"text": "Avance", "progress": "20", "link_url": "https://documentos.example.org/a.pdf"},
    )
    assert _ok(response) is REPORT.get(role, False), response.status_code
    assert m.reports.exists() is REPORT.get(role, False)
    if role == "anonymous":
        assert response.status_code == 302 and LOGIN in response["Location"]
    elif not REPORT.get(role):
        assert response.status_code == 403


@pytest.mark.parametrize("decision", ["validar", "devolver"])
@pytest.mark.parametrize("role", ROLES)
def test_review_view(client, users, morelos, role, decision):
    report = services.submit_report(
        morelos["gov_milestone"], actor=morelos["gov_user"], text="x", progress=20, links=EVIDENCE
    )
    _login(client, users, morelos, role)
    response = client.post(
        f"/seguimiento/reportes/{report.pk}/{decision}/", {"reason": "Falta evidencia"}
    )
    allowed = REVIEW.get(role, False)
    assert _ok(response) is allowed
    report.refresh_from_db()
    assert (report.status != ReportStatus.PENDING) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_evidence_view(client, users, morelos, role):
    _login(client, users, morelos, role)
    m = morelos["gov_milestone"]
    upload = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        f"/seguimiento/hitos/{m.pk}/evidencias/", {"title": "Acta", "file": upload}
    )
    assert _ok(response) is ADD_EVIDENCE.get(role, False)
    assert Evidence.objects.exists() is ADD_EVIDENCE.get(role, False)


@pytest.mark.parametrize("role", ROLES)
def test_follow_view(client, users, morelos, role):
    _login(client, users, morelos, role)
    response = client.post(f"/avisos/seguir/compromiso/{morelos['commitment'].pk}/")
    assert _ok(response) is FOLLOW.get(role, False)
    assert Follow.objects.exists() is FOLLOW.get(role, False)


@pytest.mark.parametrize("role", ROLES)
def test_admin_bulk_views(client, users, morelos, role):
    _login(client, users, morelos, role)
    for url in ("/admin/plans/milestone/importar/", "/admin/plans/milestone/exportar/"):
        response = client.get(url)
        allowed = BULK.get(role, False)
        assert (response.status_code == 200) is allowed, (url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_admin_commitment_change(client, users, morelos, role):
    _login(client, users, morelos, role)
    c = morelos["commitment"]
    data = {
        "plan": c.plan_id, "number": 1, "title": "Título corregido", "weight": "2",
        "status": "en_proceso", "start_date": "2025-01-01", "end_date": "2027-12-31",
    }  # fmt: skip
    response = client.post(f"/admin/plans/commitment/{c.pk}/change/", data)
    allowed = EDIT_COMMITMENT.get(role, False)
    c.refresh_from_db()
    assert (c.title == "Título corregido") is allowed, response.status_code
    if allowed:
        from cocrea.core.models import AuditEntry

        entry = AuditEntry.objects.get(action="plans.change_commitment")
        assert entry.after["title"] == "Título corregido" and entry.before["weight"] == "1.00"


@pytest.mark.parametrize("role", ROLES)
def test_api_is_read_only_and_public(client, users, morelos, role):
    _login(client, users, morelos, role)
    c = morelos["commitment"]
    assert client.get(f"/api/v1/commitments/{c.pk}").status_code == 200
    assert client.post(f"/api/v1/commitments/{c.pk}", {}).status_code == 405
    assert Commitment.objects.count() == 1 and ProgressReport.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_admin_change_forms_only_for_the_entity(client, users, morelos, role):
    """Back-office change forms: editable (a save button) only by the entity and coordinators."""
    from cocrea.plans.models import Secretariat

    sec = Secretariat.objects.create(entity=morelos["entity"])
    _login(client, users, morelos, role)
    urls = [
        f"/admin/plans/actionplan/{morelos['plan'].pk}/change/",
        f"/admin/plans/milestone/{morelos['gov_milestone'].pk}/change/",
        f"/admin/plans/secretariat/{sec.pk}/change/",
    ]
    for url in urls:
        response = client.get(url)
        editable = response.status_code == 200 and 'name="_save"' in response.content.decode()
        assert editable is EDIT_COMMITMENT.get(role, False), (url, response.status_code)
