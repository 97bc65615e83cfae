"""Draft → reply period → published, the right of reply, and corrections as new versions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from evaluation_helpers import DESIGN, TODAY, rated_review, reply_all

from cocrea.core.models import AuditEntry
from cocrea.evaluation import selectors, services
from cocrea.evaluation.models import Reply, Review, ReviewStatus, Stage, Variable

pytestmark = pytest.mark.django_db
DUE = TODAY + datetime.timedelta(days=15)


@pytest.fixture
def appointed(users, morelos, evaluator):
    services.appoint(morelos["plan"], Stage.DESIGN, actor=users["coordinator"], user=evaluator)
    return morelos["plan"]


@pytest.fixture
def sent(appointed, evaluator):
    review = rated_review(appointed, Stage.DESIGN, evaluator)
    return services.send_for_comments(review, actor=evaluator, reply_due=DUE, today=TODAY)


def test_only_the_appointed_evaluator_starts_and_rates(users, appointed, evaluator):
    with pytest.raises(PermissionDenied):
        services.start_review(appointed, Stage.DESIGN, actor=users["evaluator"])
    with pytest.raises(PermissionDenied):  # appointed for design, not for results
        services.start_review(appointed, Stage.RESULTS, actor=evaluator)
    review = services.start_review(appointed, Stage.DESIGN, actor=evaluator)
    assert review.assessments.count() == 3 and review.status == ReviewStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.save_assessment(review.assessments.first(), actor=users["member"], verifiable="si")


def test_send_needs_every_rating_justified_and_a_future_due_date(appointed, evaluator):
    review = services.start_review(appointed, Stage.DESIGN, actor=evaluator)
    first = review.assessments.order_by("commitment__number").first()
    services.save_assessment(first, actor=evaluator, **{**DESIGN, "impact_why": ""})
    with pytest.raises(ValidationError) as exc:
        services.send_for_comments(review, actor=evaluator, reply_due=DUE, today=TODAY)
    messages = exc.value.messages
    assert "Compromiso 1: falta «Impacto potencial» o su justificación." in messages
    assert any(m.startswith("Compromiso 2:") for m in messages)
    for a in review.assessments.all():
        services.save_assessment(a, actor=evaluator, **DESIGN)
    with pytest.raises(ValidationError):
        services.send_for_comments(review, actor=evaluator, reply_due=TODAY, today=TODAY)
    services.send_for_comments(review, actor=evaluator, reply_due=DUE, today=TODAY)
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMMENTS and review.reply_due == DUE
    with pytest.raises(PermissionDenied):  # the draft is closed while the secretariat replies
        services.save_assessment(first, actor=evaluator, verifiable="no")


def test_no_publication_before_the_period_ends_with_ratings_unanswered(sent, evaluator, users):
    a = sent.assessments.first()
    services.reply(a, Variable.VERIFIABLE, "De acuerdo.", actor=users["member"])
    with pytest.raises(ValidationError) as exc:
        services.publish(sent, actor=evaluator, today=DUE)
    assert "faltan 17 réplicas" in exc.value.messages[0]
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.COMMENTS
    # The day after the due date it may be published, answered or not.
    services.publish(sent, actor=evaluator, today=DUE + datetime.timedelta(days=1))
    assert Review.objects.get(pk=sent.pk).status == ReviewStatus.PUBLISHED


def test_every_rating_answered_publishes_before_the_due_date(sent, evaluator, users):
    reply_all(sent, users["member"])
    assert services.unanswered(sent) == 0
    services.publish(sent, actor=evaluator, today=TODAY)
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.PUBLISHED and sent.published_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"evaluation.start_review", "evaluation.rate", "evaluation.send_for_comments",
            "evaluation.reply", "evaluation.publish"} <= actions  # fmt: skip


def test_only_seat_holders_of_the_entity_reply_signed_by_organisation(sent, users, evaluator):
    a = sent.assessments.first()
    for who in ("other_member", "citizen", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.reply(a, Variable.VERIFIABLE, "No.", actor=users[who])
    with pytest.raises(PermissionDenied):
        services.reply(a, Variable.VERIFIABLE, "No.", actor=evaluator)
    reply = services.reply(a, Variable.VERIFIABLE, "Aclaramos el alcance.", actor=users["member"])
    assert reply.author_label == "Organismo garante de Morelos (Gobierno)"
    with pytest.raises(ValidationError):  # a results rating in a design review
        services.reply(a, Variable.COMPLETION, "x", actor=users["member"])


def test_publish_needs_the_reply_period_first(appointed, evaluator):
    review = rated_review(appointed, Stage.DESIGN, evaluator)
    with pytest.raises(PermissionDenied):
        services.publish(review, actor=evaluator, today=TODAY)


def test_a_correction_is_a_new_version_and_the_earlier_stays_public(sent, evaluator, users, client):
    reply_all(sent, users["member"])
    services.publish(sent, actor=evaluator, today=TODAY)
    with pytest.raises(ValidationError):
        services.start_correction(sent, actor=evaluator, note="  ")
    v2 = services.start_correction(sent, actor=evaluator, note="Se corrige la especificidad.")
    assert (v2.version, v2.status, v2.previous_id) == (2, ReviewStatus.DRAFT, sent.pk)
    assert Reply.objects.filter(assessment__review=v2).count() == 18  # carried over
    first = v2.assessments.order_by("commitment__number").first()
    services.save_assessment(first, actor=evaluator, specificity="media",
                             specificity_why="Las metas no tienen línea base.")  # fmt: skip
    # The changed rating loses its reply; the others keep theirs.
    assert not first.replies.filter(variable=Variable.SPECIFICITY).exists()
    assert services.unanswered(v2) == 1
    # While the correction is a draft, v1 is the public version.
    assert selectors.plan_evaluation(sent.plan).design.pk == sent.pk
    services.send_for_comments(v2, actor=evaluator, reply_due=DUE, today=TODAY)
    services.reply(first, Variable.SPECIFICITY, "Aceptamos.", actor=users["member"])
    services.publish(v2, actor=evaluator, today=TODAY)
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.SUPERSEDED
    evaluation = selectors.plan_evaluation(sent.plan)
    assert evaluation.design.pk == v2.pk
    assert [r.version for r in evaluation.versions] == [2, 1]
    old_page = client.get(sent.get_absolute_url())
    assert old_page.status_code == 200
    assert "sustituida por una corrección" in old_page.content.decode()
    plan_page = client.get(f"/evaluacion/planes/{sent.plan_id}/").content.decode()
    assert "Se corrige la especificidad." in plan_page and "versión 1" in plan_page


def test_drafts_and_reply_periods_are_not_public(appointed, evaluator, users, client):
    review = rated_review(appointed, Stage.DESIGN, evaluator)
    assert client.get(review.get_absolute_url()).status_code == 404
    services.send_for_comments(review, actor=evaluator, reply_due=DUE, today=TODAY)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.get(f"/evaluacion/revisiones/{review.pk}/informe.pdf").status_code == 404
    client.force_login(users["member"])  # the secretariat sees it to reply
    page = client.get(review.get_absolute_url())
    assert page.status_code == 200 and "Responder" in page.content.decode()
    client.force_login(users["other_member"])
    assert client.get(review.get_absolute_url()).status_code == 404


def test_one_correction_at_a_time(sent, evaluator, users):
    reply_all(sent, users["member"])
    services.publish(sent, actor=evaluator, today=TODAY)
    services.start_correction(sent, actor=evaluator, note="Primera corrección.")
    with pytest.raises(ValidationError) as exc:
        services.start_correction(sent, actor=evaluator, note="Otra más.")
    assert "corrección en curso" in exc.value.messages[0]


def test_reply_and_correction_through_the_pages(sent, evaluator, users, client):
    a = sent.assessments.order_by("commitment__number").first()
    client.force_login(users["other_member"])
    response = client.post(f"/evaluacion/valoraciones/{a.pk}/replica/",
                           {"variable": "verificable", "text": "Intruso."})  # fmt: skip
    assert response.status_code == 403 and not Reply.objects.exists()
    client.force_login(users["member"])
    client.post(f"/evaluacion/valoraciones/{a.pk}/replica/",
                {"variable": "verificable", "text": "Lo aclaramos por escrito."})  # fmt: skip
    assert Reply.objects.get().text == "Lo aclaramos por escrito."
    reply_all(sent, users["member"])
    client.force_login(evaluator)
    client.post(f"/evaluacion/revisiones/{sent.pk}/publicar/")
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.PUBLISHED
    response = client.post(f"/evaluacion/revisiones/{sent.pk}/corregir/", {"note": "Errata."})
    new = Review.objects.get(previous=sent)
    assert response["Location"] == new.get_absolute_url() and new.correction_note == "Errata."
