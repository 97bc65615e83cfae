"""Bulk edit: export → edit → import, all-or-nothing, idempotent, audited."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from plans_helpers import cso_user, make_commitment, make_milestone, make_plan

from cocrea.core.models import AuditEntry
from cocrea.plans.models import (
    BulkJob,
    JobStatus,
    Milestone,
    PlanVersion,
    ProgressReport,
    ReportStatus,
)
from cocrea.plans.services import validate_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_plans(reference):
    plan = make_plan(reference["17"])
    c1 = make_commitment(plan, 1, weight="2")
    c2 = make_commitment(plan, 2, weight="1")
    for c in (c1, c2):
        for k in range(1, 4):
            make_milestone(c, k, weight="1", progress=10 * k)
    other = make_plan(reference["14"])
    make_milestone(make_commitment(other, 1), 1, progress=50)
    from cocrea.plans.services import refresh_plan_version

    refresh_plan_version(plan)
    return plan


def _export(entity="17") -> list[dict]:
    out = io.StringIO()
    call_command("export", "milestones", entity=entity, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)


def _rollup_from_file(rows, commitment_weights):
    by_c: dict[str, list] = {}
    for r in rows:
        if r["estatus"] == "cancelado":
            continue
        by_c.setdefault(r["compromiso_id"], []).append(
            (Decimal(r["peso"]), Decimal(r["avance"] or 0))
        )
    progress = {
        cid: float(sum(w * a for w, a in ms) / sum(w for w, _ in ms)) for cid, ms in by_c.items()
    }
    total_w = sum(commitment_weights[cid] for cid in progress)
    plan = sum(commitment_weights[cid] * progress[cid] for cid in progress) / total_w
    return progress, plan


ACTA = "https://documentos.example.org/acta.pdf"


def test_export_edit_import_reports_then_validation_matches_api(client, two_plans, tmp_path):
    """The import proposes figures as pending reports; validated, they are the official ones."""
    rows = _export("17")
    assert len(rows) == 6
    assert set(rows[0]) >= {"id", "compromiso_id", "compromiso", "titulo", "peso", "avance",
                             "estatus", "fecha_inicio", "fecha_fin", "evidencia"}  # fmt: skip
    official = {r["id"]: Decimal(r["avance"]) for r in rows}
    rows[0]["avance"] = "75"
    rows[1]["peso"] = "3"
    rows[3]["avance"] = "100"
    rows[4]["peso"] = "0.5"
    for row in rows:
        row["evidencia"] = ACTA
    path = tmp_path / "hitos.csv"
    _write(path, rows)
    out = io.StringIO()
    call_command("import", "milestones", str(path), stdout=out)
    assert "4 actualizadas" in out.getvalue()

    # Nothing official moved: two reports wait for the counterpart, with their evidence.
    for m in Milestone.objects.filter(commitment__plan=two_plans):
        assert m.progress == official[str(m.pk)]
    pending = ProgressReport.objects.filter(status=ReportStatus.PENDING).order_by("progress")
    assert [r.progress for r in pending] == [Decimal("75.00"), Decimal("100.00")]
    assert all(r.evidence.get().url == ACTA for r in pending)

    validator = cso_user(two_plans.entity)
    for report in pending:
        validate_report(report, actor=validator)
    assert Milestone.objects.get(pk=rows[3]["id"]).status == "concluido"

    weights = {str(c.pk): float(c.weight) for c in two_plans.commitments.all()}
    expected, expected_plan = _rollup_from_file(rows, weights)
    for cid, value in expected.items():
        api = client.get(f"/api/v1/commitments/{cid}").json()
        assert api["progress"] == pytest.approx(value, abs=1e-3)
    plan_api = client.get(f"/api/v1/plans/{two_plans.pk}").json()
    assert plan_api["progress"] == pytest.approx(expected_plan, abs=1e-3)

    # Weight changes are audited and made a new plan version with what changed.
    entries = AuditEntry.objects.filter(action="plans.import_change_milestone")
    assert entries.count() == 2
    version = PlanVersion.objects.filter(plan=two_plans).order_by("-number").first()
    assert version.number == 2
    assert {ch["campo"] for ch in version.changes} == {"weight"}

    # Re-import the same file: nothing changes, nothing new in the audit log.
    rows[3]["estatus"] = "concluido"
    _write(path, rows)
    before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("import", "milestones", str(path), stdout=out)
    assert "0 nuevas, 0 actualizadas, 6 sin cambios" in out.getvalue()
    assert AuditEntry.objects.count() == before


def test_bad_row_changes_nothing_and_names_it(two_plans, tmp_path):
    rows = _export("17")
    snapshot = list(
        Milestone.objects.order_by("pk").values_list("pk", "weight", "progress", "status")
    )
    rows[0]["avance"] = "55"  # a good change that must not be applied
    rows[0]["evidencia"] = ACTA
    rows[2]["peso"] = "-1"
    rows[4]["estatus"] = "volando"
    rows[5]["fecha_fin"] = "2027-31-12"
    new = dict(rows[0], id="", titulo="Hito nuevo", avance="5", estatus="en_proceso")
    rows.append(new)
    path = tmp_path / "malo.csv"
    _write(path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 error"):
        call_command("import", "milestones", str(path), stderr=err)
    text = err.getvalue()
    assert "línea 4, campo «peso»" in text
    assert "línea 6, campo «estatus»" in text
    assert "línea 7, campo «fecha_fin»" in text
    assert (
        list(Milestone.objects.order_by("pk").values_list("pk", "weight", "progress", "status"))
        == snapshot
    )
    assert not AuditEntry.objects.filter(action__startswith="plans.import").exists()
    assert not ProgressReport.objects.exists()


def test_rows_without_id_create_once(two_plans, tmp_path):
    rows = _export("17")
    new = dict(rows[0], id="", numero="", titulo="Informe final", peso="2", avance="")
    path = tmp_path / "nuevo.csv"
    _write(path, [*rows, new])
    call_command("import", "milestones", str(path), stdout=io.StringIO())
    call_command("import", "milestones", str(path), stdout=io.StringIO())
    created = Milestone.objects.filter(title="Informe final")
    assert created.count() == 1
    assert created.get().number == 4 and created.get().progress is None


def test_member_cannot_import_other_entity(two_plans, users, tmp_path):
    from cocrea.core.csvimport import ImportFailed
    from cocrea.plans.services import import_milestones

    rows = _export("14")
    path = tmp_path / "jalisco.csv"
    _write(path, rows)
    with pytest.raises(ImportFailed) as exc:
        import_milestones(str(path), actor=users["member"])
    assert exc.value.errors[0].line == 2 and exc.value.errors[0].field == "compromiso_id"


def test_admin_background_import_and_export(client, two_plans, users, tmp_path):
    client.force_login(users["member"])
    response = client.post("/admin/plans/milestone/exportar/", {"entity": two_plans.entity_id})
    job = BulkJob.objects.get(kind="exportar")
    assert response.status_code == 302 and response.url.endswith(f"/trabajos/{job.pk}/")
    assert job.status == JobStatus.DONE and job.done == 6
    download = client.get(f"/admin/plans/milestone/trabajos/{job.pk}/descargar/")
    assert download["Content-Disposition"].startswith("attachment")
    content = b"".join(download.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    rows[0]["avance"] = "90"
    rows[0]["evidencia"] = ACTA
    body = io.StringIO()
    writer = csv.DictWriter(body, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("h.csv", body.getvalue().encode(), content_type="text/csv")
    response = client.post("/admin/plans/milestone/importar/", {"file": upload})
    job = BulkJob.objects.get(kind="importar")
    assert job.status == JobStatus.DONE, job.errors
    assert job.summary == {"nuevos": 0, "actualizados": 1, "sin_cambios": 5}
    # The member's figure is a report on their side, not the official figure.
    changed = Milestone.objects.get(pk=rows[0]["id"])
    assert changed.progress == 10 and changed.reported_progress == 90
    assert changed.reports.get().status == ReportStatus.PENDING
    status = client.get(f"/admin/plans/milestone/trabajos/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b"Terminado" in status.content and b"hx-get" not in status.content

    rows[1]["peso"] = "cero"
    body = io.StringIO()
    writer = csv.DictWriter(body, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("h.csv", body.getvalue().encode(), content_type="text/csv")
    client.post("/admin/plans/milestone/importar/", {"file": upload})
    failed = BulkJob.objects.filter(kind="importar").order_by("-pk").first()
    assert failed.status == JobStatus.FAILED
    assert failed.errors == ["línea 3, campo «peso»: «cero» debe ser un número mayor que 0"]
    page = client.get(f"/admin/plans/milestone/trabajos/{failed.pk}/")
    assert "línea 3" in page.content.decode()


def test_public_csv_downloads_have_no_personal_data(client, two_plans, users):
    for url in ("/seguimiento/descargas/planes.csv", "/seguimiento/descargas/compromisos.csv",
                "/seguimiento/descargas/hitos.csv?entidad=17"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "@" not in response.content.decode()
