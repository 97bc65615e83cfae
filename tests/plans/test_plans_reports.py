"""Two keys: the responsible side reports, the counterpart validates or returns it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from plans_helpers import EVIDENCE

from cocrea.core.models import AuditEntry
from cocrea.notifications.models import Follow
from cocrea.plans import services
from cocrea.plans.models import Milestone, ReportStatus

pytestmark = pytest.mark.django_db


def test_report_validation_public_figure(
    client, morelos, users, django_capture_on_commit_callbacks
):
    """report → validation → public figure on the page and in the API."""
    c = morelos["commitment"]
    gov_m = morelos["gov_milestone"]
    Follow.objects.create(kind="compromiso", target=str(c.pk), user=users["citizen"])

    client.force_login(morelos["gov_user"])
    response = client.post(
        f"/seguimiento/hitos/{gov_m.pk}/reportar/",
        {"text": "Se publicaron los contratos del primer trimestre.", "progress": "60",
         "link_title": "Contratos", "link_url": "https://datos.example.org/contratos.csv"},
    )  # fmt: skip
    assert response.status_code == 302
    report = gov_m.reports.get()
    assert report.status == ReportStatus.PENDING
    api = client.get(f"/api/v1/commitments/{c.pk}").json()
    assert api["progress"] == 0  # nothing validated yet
    assert api["reported_progress"] == pytest.approx(40.0)  # (2*60 + 1*0) / 3
    page = client.get(c.get_absolute_url()).content.decode()
    assert "Pendiente de validación" in page

    # The reporter cannot validate their own report; the same side cannot either.
    with pytest.raises(PermissionDenied):
        services.validate_report(report, actor=morelos["gov_user"])

    client.force_login(morelos["cso_user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/seguimiento/reportes/{report.pk}/validar/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    assert "Colectivo ciudadano de Morelos" in report.reviewer_label

    client.logout()
    api = client.get(f"/api/v1/commitments/{c.pk}").json()
    assert api["progress"] == pytest.approx(40.0)
    plan_api = client.get(f"/api/v1/plans/{morelos['plan'].pk}").json()
    assert plan_api["progress"] == pytest.approx(40.0)
    page = client.get(c.get_absolute_url()).content.decode()
    assert "40.0 %" in page or "40,0 %" in page
    assert "Reporte validado" in page  # the timeline
    assert "enlace17" not in page and "@example.org" not in page  # no personal data
    assert "datos.example.org/contratos.csv" in page  # evidence link

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ciudadano@example.org"]
    assert "Sigue el Dinero en Morelos" in mail.outbox[0].body


def test_return_needs_reason_and_keeps_official_figure(morelos):
    cso_m = morelos["cso_milestone"]
    report = services.submit_report(
        cso_m, actor=morelos["cso_user"], text="Taller", progress=30, links=EVIDENCE
    )
    with pytest.raises(PermissionDenied):  # civil society reported: government validates
        services.return_report(report, actor=morelos["cso_user"], reason="no")
    with pytest.raises(ValidationError):
        services.return_report(report, actor=morelos["gov_user"], reason="  ")
    services.return_report(report, actor=morelos["gov_user"], reason="Falta la lista de asistencia")
    cso_m.refresh_from_db()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "Falta la lista de asistencia"
    assert cso_m.progress is None and cso_m.reported_progress is None
    with pytest.raises(ValidationError):  # already reviewed
        services.validate_report(report, actor=morelos["gov_user"])
    actions = set(
        AuditEntry.objects.filter(
            object_type="plans.progressreport", object_id=str(report.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {"plans.report", "plans.return"}


def test_wrong_side_cannot_report(morelos, users):
    with pytest.raises(PermissionDenied):
        services.submit_report(
            morelos["gov_milestone"],
            actor=morelos["cso_user"],
            text="x",
            progress=10,
            links=EVIDENCE,
        )
    with pytest.raises(PermissionDenied):
        services.submit_report(
            morelos["gov_milestone"],
            actor=users["other_member"],
            text="x",
            progress=10,
            links=EVIDENCE,
        )
    with pytest.raises(PermissionDenied):
        services.submit_report(
            morelos["gov_milestone"],
            actor=users["coordinator"],
            text="x",
            progress=10,
            links=EVIDENCE,
        )
    with pytest.raises(ValidationError):
        services.submit_report(
            morelos["gov_milestone"],
            actor=morelos["gov_user"],
            text="x",
            progress=101,
            links=EVIDENCE,
        )


def test_validating_to_100_completes_and_audits(morelos):
    m = morelos["gov_milestone"]
    r = services.submit_report(
        m, actor=morelos["gov_user"], text="Listo", progress=100, links=EVIDENCE
    )
    services.validate_report(r, actor=morelos["cso_user"])
    m = Milestone.objects.get(pk=m.pk)
    assert m.progress == 100 and m.status == "concluido"
    entry = AuditEntry.objects.filter(
        object_type="plans.milestone", action="plans.change_milestone"
    ).first()
    assert entry.after["progress"] == "100.00"
    assert "(" in entry.actor_label and "osc17" not in entry.actor_label


def test_follow_and_unfollow(client, morelos, users):
    c = morelos["commitment"]
    client.force_login(users["citizen"])
    client.post(f"/avisos/seguir/compromiso/{c.pk}/")
    assert Follow.objects.filter(
        kind="compromiso", target=str(c.pk), user=users["citizen"]
    ).exists()
    client.post(f"/avisos/seguir/compromiso/{c.pk}/", {"seguir": "0"})
    assert not Follow.objects.filter(kind="compromiso", target=str(c.pk)).exists()


def test_report_counters_follow_the_reports(morelos):
    from cocrea.plans.services import recount_reports

    m = morelos["gov_milestone"]
    a = services.submit_report(m, actor=morelos["gov_user"], text="a", progress=10, links=EVIDENCE)
    b = services.submit_report(m, actor=morelos["gov_user"], text="b", progress=20, links=EVIDENCE)
    services.submit_report(m, actor=morelos["gov_user"], text="c", progress=30, links=EVIDENCE)
    services.validate_report(a, actor=morelos["cso_user"])
    services.return_report(b, actor=morelos["cso_user"], reason="sin evidencia")
    m.refresh_from_db()
    assert (m.reports_total, m.reports_validated, m.reports_pending, m.reports_returned) == (
        3,
        1,
        1,
        1,
    )
    assert recount_reports() == 0  # the services kept them exact
    from cocrea.plans import selectors

    row = selectors.board().rows[0]
    assert (row.reports, row.validated, row.pending, row.returned) == (3, 1, 1, 1)
    assert row.validated_share == pytest.approx(100 / 3)


def test_commitment_page_offers_each_key_only_its_action(client, morelos):
    m = morelos["gov_milestone"]
    report = services.submit_report(
        m, actor=morelos["gov_user"], text="Avance", progress=20, links=EVIDENCE
    )
    url = morelos["commitment"].get_absolute_url()
    client.force_login(morelos["gov_user"])
    assert client.get(f"/seguimiento/hitos/{m.pk}/reportar/").status_code == 200
    page = client.get(url).content.decode()
    assert f"/seguimiento/hitos/{m.pk}/reportar/" in page
    assert f"/seguimiento/reportes/{report.pk}/validar/" not in page
    client.force_login(morelos["cso_user"])
    page = client.get(url).content.decode()
    assert f"/seguimiento/hitos/{m.pk}/reportar/" not in page
    assert f"/seguimiento/reportes/{report.pk}/validar/" in page
    assert f"/seguimiento/hitos/{morelos['cso_milestone'].pk}/reportar/" in page
    bad = client.post(
        f"/seguimiento/hitos/{morelos['cso_milestone'].pk}/reportar/",
        {"text": "", "progress": "500"},
    )
    assert bad.status_code == 400
