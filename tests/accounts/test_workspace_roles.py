"""*Mi espacio* by role: an evaluator's reviews and their deadlines, the secretariat's reply,
a citizen's event registrations and certificates; bounded queries whatever the data."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

HERE = Path(__file__).resolve().parent.parent
for folder in ("evaluation", "events", "participation"):
    sys.path.insert(0, str(HERE / folder))

from evaluation_helpers import build_plan, rated_review  # noqa: E402
from events_helpers import make_open_event, person  # noqa: E402
from participation_helpers import make_citizen  # noqa: E402

from cocrea.evaluation import services as evaluation  # noqa: E402
from cocrea.evaluation.models import Stage  # noqa: E402
from cocrea.events import services as events  # noqa: E402
from cocrea.events.models import Attendance  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _page(client, user):
    client.force_login(user)
    response = client.get("/mi-espacio/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reviews(users, reference):
    morelos = build_plan(reference["17"])["plan"]
    jalisco = build_plan(reference["14"])["plan"]
    coordinator, evaluator = users["coordinator"], users["evaluator"]
    evaluation.appoint(morelos, Stage.DESIGN, actor=coordinator, user=evaluator)
    evaluation.appoint(jalisco, Stage.DESIGN, actor=coordinator, user=evaluator)
    review = rated_review(morelos, Stage.DESIGN, evaluator)
    due = timezone.localdate() + timedelta(days=10)
    evaluation.send_for_comments(review, actor=evaluator, reply_due=due)
    return {"review": review, "due": due, "morelos": morelos, "jalisco": jalisco}


def test_the_evaluator_sees_reviews_in_progress_and_their_deadlines(client, users, reviews):
    html = _page(client, users["evaluator"])
    assert "Evaluaciones en curso" in html
    review = reviews["review"]
    assert f'href="/evaluacion/revisiones/{review.pk}/"' in html
    assert f"réplica hasta el {reviews['due']:%d/%m/%Y}" in html
    # Jalisco's appointment has no review yet: the note sends the evaluator to start it.
    assert "1 designaciones sin revisión iniciada" in html
    assert 'href="/evaluacion/trabajo/"' in html


def test_the_secretariat_sees_the_reviews_waiting_for_its_reply(client, users, reviews):
    html = _page(client, users["member"])
    assert "Evaluaciones que esperan la réplica del secretariado" in html
    assert f'href="/evaluacion/revisiones/{reviews["review"].pk}/"' in html
    assert "Evaluaciones en curso" not in html  # not an evaluator
    jalisco = _page(client, users["other_member"])
    assert "esperan la réplica" not in jalisco  # Morelos' review is not Jalisco's to answer


def test_coordination_sees_every_review_in_progress(client, users, reviews):
    html = _page(client, users["coordinator"])
    assert "Evaluaciones en curso" in html
    assert f"/evaluacion/revisiones/{reviews['review'].pk}/" in html
    assert "esperan la réplica" not in html


def test_a_verified_citizen_sees_their_registrations_and_certificates(client):
    citizen = make_citizen("marta", name="Marta")
    event = make_open_event()
    other = make_open_event(slug="otra-cumbre", days_ahead=30)
    registration = events.register(event, **person(1, email=citizen.email))
    events.register(other, **person(2, email="alguien@example.org"))
    Attendance.objects.create(registration=registration)
    html = _page(client, citizen)
    assert "Mis registros a eventos y constancias" in html
    assert event.title in html and "constancia disponible" in html
    assert f"/eventos/{event.slug}/" in html  # the registration's own management link
    assert "otra-cumbre" not in html  # someone else's registration


def test_an_unverified_address_shows_no_registration(client):
    citizen = make_citizen("tomas", verified=False)
    events.register(make_open_event(), **person(1, email=citizen.email))
    assert "Mis registros a eventos" not in _page(client, citizen)


def _queries(client, user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/mi-espacio/").status_code == 200
    return len(ctx.captured_queries)


def test_queries_stay_bounded_with_many_reviews_and_registrations(
    client, users, reference, reviews
):
    from cocrea.accounts.models import Role
    from people import make_user

    citizen = make_citizen("muchos")
    events.register(make_open_event(slug="evento-0"), **person(0, email=citizen.email))
    people = (users["coordinator"], users["evaluator"], users["member"], citizen)
    before = [_queries(client, user) for user in people]
    for code in ("01", "02", "03", "05", "06", "07"):
        plan = build_plan(reference[code], commitments=1)["plan"]
        evaluator = make_user(f"evaluadora-{code}", Role.EVALUATOR)
        evaluation.appoint(plan, Stage.DESIGN, actor=users["coordinator"], user=evaluator)
        rated_review(plan, Stage.DESIGN, evaluator)
        evaluation.appoint(plan, Stage.RESULTS, actor=users["coordinator"], user=users["evaluator"])
    for n in range(1, 12):
        registration = events.register(
            make_open_event(slug=f"evento-{n}"), **person(n, email=citizen.email)
        )
        Attendance.objects.create(registration=registration)
    after = [_queries(client, user) for user in people]
    assert after == before, (before, after)
    assert max(after) <= 30


def test_a_citizen_sees_the_proposals_they_supported_or_commented(client, reference):
    from participation_helpers import make_process

    from cocrea.participation.models import Comment, Proposal, Support

    author, citizen = make_citizen("autora"), make_citizen("vecino")
    process = make_process(reference["17"])

    def proposal(title):
        return Proposal.objects.create(process=process, author=author, kind="propuesta",
                                       theme="transparencia", title=title, body="b")  # fmt: skip

    supported, commented = proposal("Bancas"), proposal("Luminarias")
    proposal("Otra")
    Support.objects.create(proposal=supported, user=citizen)
    for body in ("Sí", "Y también en la colonia Centro"):
        Comment.objects.create(proposal=commented, author=citizen, body=body)
    html = _page(client, citizen)
    assert "Propuestas que apoyé o comenté" in html
    assert "Bancas" in html and "la apoyé" in html
    assert "Luminarias" in html and "2 comentarios míos" in html
    assert "Otra" not in html
    assert "Propuestas que apoyé" not in _page(client, author)  # their own are listed apart
