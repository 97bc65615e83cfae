"""Evidence files: size limit, allowed types checked by content, random names, safe download."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cocrea.plans import services
from cocrea.plans.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_upload_and_download_pdf(client, morelos):
    client.force_login(morelos["cso_user"])
    m = morelos["gov_milestone"]
    upload = SimpleUploadedFile("Minuta firmada <script>.pdf", PDF, content_type="text/html")
    response = client.post(
        f"/seguimiento/hitos/{m.pk}/evidencias/", {"title": "Minuta", "file": upload}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == "archivo" and evidence.content_type == "application/pdf"
    assert "Minuta" not in evidence.file.name and evidence.file.name.endswith(".pdf")
    client.logout()
    response = client.get(f"/seguimiento/evidencias/{evidence.pk}/descargar/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="evidencia-{evidence.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    page = client.get(morelos["commitment"].get_absolute_url()).content.decode()
    assert f"/seguimiento/evidencias/{evidence.pk}/descargar/" in page


@pytest.mark.parametrize(
    "name,content",
    [
        ("informe.html", b"<html><script>alert(1)</script></html>"),
        ("informe.pdf", b"<html><script>alert(1)</script></html>"),  # disguised
        ("programa.exe", b"MZ\x90\x00"),
        ("datos.csv", b"a,b\x00\x01\x02"),
        ("vacio.pdf", b""),
    ],
)
def test_rejected_files(morelos, name, content):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError):
        services.add_evidence(
            morelos["gov_milestone"], actor=morelos["gov_user"], title="x", upload=upload
        )
    assert not Evidence.objects.exists()


def test_size_limit(morelos, monkeypatch):
    upload = SimpleUploadedFile("grande.pdf", PDF + b"0" * (services.MAX_EVIDENCE_BYTES + 1))
    with pytest.raises(ValidationError, match="10 MB"):
        services.add_evidence(
            morelos["gov_milestone"], actor=morelos["gov_user"], title="x", upload=upload
        )


def test_links_only_http(morelos):
    with pytest.raises(ValidationError):
        services.add_evidence(morelos["gov_milestone"], actor=morelos["gov_user"], title="x",
                              url="javascript:alert(1)")  # fmt: skip
    e = services.add_evidence(morelos["gov_milestone"], actor=morelos["gov_user"], title="Datos",
                              url="https://datos.example.org/x.csv")  # fmt: skip
    assert e.get_absolute_url() == "https://datos.example.org/x.csv"


def test_documents_download_as_attachments(client, morelos, users):
    from cocrea.plans.models import Secretariat

    client.force_login(users["member"])
    bad = SimpleUploadedFile("acta.pdf", b"<html>no</html>")
    response = client.post(
        "/admin/plans/secretariat/add/",
        {"entity": morelos["entity"].pk, "installed_on": "2025-03-01", "installation_act": bad,
         "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200 and not Secretariat.objects.exists()
    good = SimpleUploadedFile("acta.pdf", PDF)
    response = client.post(
        "/admin/plans/secretariat/add/",
        {"entity": morelos["entity"].pk, "installed_on": "2025-03-01", "installation_act": good,
         "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 302
    sec = Secretariat.objects.get()
    client.logout()
    page = client.get("/seguimiento/morelos/secretariado/").content.decode()
    assert f"/seguimiento/documentos/acta/{sec.pk}/" in page
    response = client.get(f"/seguimiento/documentos/acta/{sec.pk}/")
    assert response["Content-Disposition"] == f'attachment; filename="acta-{sec.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/seguimiento/documentos/otro/1/").status_code == 404
