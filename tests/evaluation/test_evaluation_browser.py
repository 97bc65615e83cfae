"""An evaluator walks a design review from the first rating to publication (Debian's
Chromium via Playwright); the secretariat's replies come through the service in between."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from evaluation_helpers import build_plan, reply_all

from cocrea.accounts.models import Role
from cocrea.evaluation import services
from cocrea.evaluation.models import Review, ReviewStatus, Stage
from people import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-de-prueba-1"


def _rate(page, a, verifiable="si"):
    form = page.locator(f'form[data-commitment="{a.commitment.number}"]')
    p = f"a{a.pk}-"
    form.locator(f'[name="{p}verifiable"]').select_option(verifiable)
    form.locator(f'[name="{p}verifiable_why"]').fill("Entregables con fecha y documento público.")
    form.locator(f'[name="{p}relevant_access"]').check()
    form.locator(f'[name="{p}relevance_why"]').fill("Abre la información del gasto.")
    form.locator(f'[name="{p}potential"]').select_option("sustancial")
    form.locator(f'[name="{p}potential_why"]').fill("Cambia la práctica de publicación.")
    form.locator(f'[name="{p}promising"]').select_option("si")
    form.locator(f'[name="{p}promising_why"]').fill("Tiene contraparte ciudadana.")
    form.locator(f'[name="{p}specificity"]').select_option("alta")
    form.locator(f'[name="{p}specificity_why"]').fill("Metas trimestrales.")
    form.locator(f'[name="{p}impact"]').select_option("moderado")
    form.locator(f'[name="{p}impact_why"]').fill("Mejora el acceso a la información presupuestal.")
    form.locator(f'[name="{p}links"]').fill("https://documentos.example.org/evidencia.pdf")
    form.get_by_role("button", name="Guardar valoración").click()
    page.wait_for_load_state()
    assert "Valoración guardada." in page.locator("main").inner_text()


def test_evaluator_design_review_to_publication(live_server, page, reference):
    member = make_user("enlace17", Role.SECRETARIAT_MEMBER, reference["17"])
    coordinator = make_user("coordinadora", Role.NATIONAL_COORDINATOR)
    evaluator = make_user("evaluadora", Role.EVALUATOR)
    data = build_plan(reference["17"], commitments=2)
    services.appoint(data["plan"], Stage.DESIGN, actor=coordinator, user=evaluator,
                     public_name="Evaluadora independiente")  # fmt: skip

    page.goto(live_server.url + "/admin/login/?next=/evaluacion/trabajo/")
    page.fill("#id_username", "evaluadora")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/evaluacion/trabajo/")
    page.get_by_role("button", name="Iniciar revisión del diseño").click()
    page.wait_for_url("**/evaluacion/revisiones/*/")
    review = Review.objects.get(plan=data["plan"], stage=Stage.DESIGN)
    for a in review.assessments.select_related("commitment").order_by("commitment__number"):
        _rate(page, a)

    due = timezone.localdate() + datetime.timedelta(days=10)
    page.fill('[name="reply_due"]', due.isoformat())
    page.get_by_role("button", name="Enviar para réplica").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Enviada al secretariado para su réplica." in main
    assert "Faltan 12 réplicas del secretariado." in main

    # Too early: the reply period runs and nothing has been answered.
    page.get_by_role("button", name="Publicar revisión").click()
    page.wait_for_load_state()
    assert "no se puede publicar todavía" in page.locator("main").inner_text()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.COMMENTS

    review.refresh_from_db()
    reply_all(review, member)  # the secretariat answers every rating in writing
    page.reload()
    page.get_by_role("button", name="Publicar revisión").click()
    page.wait_for_load_state()
    assert "Revisión publicada." in page.locator("main").inner_text()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED

    # Anyone now reads it on the plan's evaluation page, with the secretariat's replies.
    anonymous = page.context.browser.new_context(locale="es-MX")
    public = anonymous.new_page()
    public.goto(f"{live_server.url}/evaluacion/planes/{data['plan'].pk}/")
    text = public.locator("main").inner_text()
    assert "Metas trimestrales." in text and "Respuesta del secretariado." in text
    assert "Evaluadora independiente" in text and "evaluadora@example.org" not in public.content()
    anonymous.close()
