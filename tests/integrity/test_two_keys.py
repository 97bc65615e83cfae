"""Progress changes only through reports: each bypass found from outside, closed.

Each test here fails on the code before the integrity work: the back office accepted
66 → 100 % and «concluido» from the government liaison on a civil-society milestone, the
bulk import's `avance` wrote the validated figure, and a report needed no evidence.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from plans_helpers import EVIDENCE

from cocrea.core.models import AuditEntry
from cocrea.plans import services
from cocrea.plans.models import Milestone, MilestoneStatus, ProgressReport, ReportStatus

pytestmark = pytest.mark.django_db


def _form_fields(html: str) -> dict[str, str]:
    from html.parser import HTMLParser

    fields: dict[str, str] = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox"):
                fields[a["name"]] = a.get("value") or ""
            if tag == "select" and a.get("name"):
                self._select = a["name"]
                fields.setdefault(a["name"], "")
            if tag == "option" and "selected" in a and getattr(self, "_select", None):
                fields[self._select] = a.get("value") or ""

        def handle_endtag(self, tag):
            if tag == "select":
                self._select = None

    Parser().feed(html)
    return fields


def test_back_office_form_cannot_change_the_validated_figure(client, morelos):
    """The liaison of the government side posts 100 % «concluido» for a civil-society milestone."""
    m = morelos["cso_milestone"]
    client.force_login(morelos["gov_user"])
    url = f"/admin/plans/milestone/{m.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="progress"' not in page and 'name="status"' not in page
    data = _form_fields(page)
    data.update({"progress": "100", "status": MilestoneStatus.COMPLETE, "title": m.title})
    data.pop("csrfmiddlewaretoken", None)
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    m.refresh_from_db()
    assert m.progress == Decimal("66") and m.status != MilestoneStatus.COMPLETE


def test_service_refuses_official_figures_outside_reports(morelos, users):
    m = morelos["cso_milestone"]
    for actor in (morelos["gov_user"], morelos["cso_user"], users["coordinator"]):
        m = Milestone.objects.get(pk=m.pk)
        m.progress = Decimal("100")
        m.status = MilestoneStatus.COMPLETE
        with pytest.raises(ValidationError) as exc:
            services.save_milestone(m, actor=actor)
        assert {"progress", "status"} <= set(exc.value.message_dict)
    m = Milestone(commitment=morelos["commitment"], number=9, title="Nuevo", progress=50)
    with pytest.raises(ValidationError) as exc:
        services.save_milestone(m, actor=morelos["gov_user"])
    assert "progress" in exc.value.message_dict
    assert Milestone.objects.get(pk=morelos["cso_milestone"].pk).progress == Decimal("66")


def test_only_a_coordinator_corrects_and_the_reason_is_public(client, morelos, users):
    m = morelos["cso_milestone"]
    for actor in (morelos["gov_user"], morelos["cso_user"], users["evaluator"]):
        with pytest.raises(PermissionDenied):
            services.correct_milestone(
                m, actor=actor, progress=80, status="en_proceso", reason="Error de captura en 66"
            )
    with pytest.raises(ValidationError) as exc:
        services.correct_milestone(m, actor=users["coordinator"], progress=80,
                                   status="en_proceso", reason="")  # fmt: skip
    assert "reason" in exc.value.message_dict
    services.correct_milestone(
        m, actor=users["coordinator"], progress=80, status="en_proceso",
        reason="El acta de la sesión 3 registra 80 %; se capturó 66 % por error.",
    )  # fmt: skip
    m.refresh_from_db()
    assert m.progress == Decimal("80")
    entry = AuditEntry.objects.get(action="plans.correct_milestone")
    assert entry.before["progress"] == "66.00" and entry.after["progress"] == "80.00"
    page = client.get(morelos["commitment"].get_absolute_url()).content.decode()
    assert "Corrección de la coordinación nacional" in page
    assert "se capturó 66 % por error" in page
    # The correction form in the back office is the coordinator's only.
    client.force_login(morelos["gov_user"])
    assert client.get(f"/admin/plans/milestone/{m.pk}/corregir/").status_code == 403
    client.force_login(users["coordinator"])
    response = client.post(
        f"/admin/plans/milestone/{m.pk}/corregir/",
        {"progress": "90", "status": "en_proceso", "reason": "Segunda acta: 90 % verificado."},
    )
    assert response.status_code == 302
    assert Milestone.objects.get(pk=m.pk).progress == Decimal("90")


def _export_rows(entity_code="17") -> list[dict]:
    out = io.StringIO()
    services.export_milestones(out, entity=entity_code)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _csv(rows) -> io.StringIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out


def test_bulk_import_files_a_report_on_the_importers_side(morelos):
    rows = _export_rows()
    by_id = {r["id"]: r for r in rows}
    gov, cso = morelos["gov_milestone"], morelos["cso_milestone"]
    by_id[str(gov.pk)].update(avance="40", evidencia="https://documentos.example.org/c.pdf")
    services.import_milestones(_csv(rows), actor=morelos["gov_user"])
    gov.refresh_from_db()
    assert gov.progress is None and gov.reported_progress == Decimal("40")
    report = ProgressReport.objects.get(milestone=gov)
    assert report.status == ReportStatus.PENDING and report.side == "gobierno"
    assert report.evidence.count() == 1

    # The government side cannot report for (nor fix) the civil-society milestone.
    rows = _export_rows()
    next(r for r in rows if r["id"] == str(cso.pk)).update(
        avance="100", estatus="concluido", evidencia="https://documentos.example.org/c.pdf"
    )
    from cocrea.core.csvimport import ImportFailed

    with pytest.raises(ImportFailed) as exc:
        services.import_milestones(_csv(rows), actor=morelos["gov_user"])
    fields = {e.field for e in exc.value.errors}
    assert fields == {"avance", "estatus"}
    cso.refresh_from_db()
    assert cso.progress == Decimal("66") and cso.status != MilestoneStatus.COMPLETE


def test_bulk_import_needs_evidence_where_the_plan_asks_for_it(morelos):
    from cocrea.core.csvimport import ImportFailed

    rows = _export_rows()
    next(r for r in rows if r["id"] == str(morelos["gov_milestone"].pk))["avance"] = "30"
    with pytest.raises(ImportFailed) as exc:
        services.import_milestones(_csv(rows), actor=morelos["gov_user"])
    assert [(e.field, e.line) for e in exc.value.errors] == [("evidencia", 2)]
    assert not ProgressReport.objects.exists()


def test_a_report_needs_evidence_unless_the_plan_says_otherwise(client, morelos):
    m = morelos["gov_milestone"]
    with pytest.raises(ValidationError) as exc:
        services.submit_report(m, actor=morelos["gov_user"], text="Avance", progress=30)
    assert "evidence" in exc.value.message_dict
    client.force_login(morelos["gov_user"])
    response = client.post(
        f"/seguimiento/hitos/{m.pk}/reportar/", {"text": "Avance", "progress": "30"}
    )
    assert response.status_code == 400 and "exige evidencia" in response.content.decode()
    assert not ProgressReport.objects.exists()

    plan = morelos["plan"]
    plan.reports_require_evidence = False
    services.save_plan(plan, actor=morelos["gov_user"])
    services.submit_report(m, actor=morelos["gov_user"], text="Avance", progress=30)
    assert ProgressReport.objects.count() == 1


def test_the_counterpart_sees_the_evidence_before_validating(client, morelos):
    report = services.submit_report(
        morelos["gov_milestone"], actor=morelos["gov_user"], text="Contratos", progress=50,
        links=EVIDENCE,
    )  # fmt: skip
    client.force_login(morelos["cso_user"])
    page = client.get(morelos["commitment"].get_absolute_url()).content.decode()
    row = page[page.index(f"/seguimiento/reportes/{report.pk}/validar/") - 2000 :]
    evidence = report.evidence.get()
    assert evidence.get_absolute_url() in page
    assert "pl-report-evidence" in row
