"""Demo data: three entities with published reviews (one corrected), one in its reply period."""

from __future__ import annotations

import pytest

from cocrea.accounts.models import User
from cocrea.core.registry import DEMO_LOADERS
from cocrea.evaluation import demo, selectors
from cocrea.evaluation.models import Appointment, Review, ReviewStatus

pytestmark = pytest.mark.django_db


def test_demo_shows_every_state(reference, client):
    # Every loader that runs before this one in `cocrea demo`, in the same order.
    for loader in DEMO_LOADERS:
        if loader.name == "evaluacion":
            break
        loader.run(seed=2018)
    demo.load(seed=2018)
    published = Review.objects.filter(status=ReviewStatus.PUBLISHED)
    assert set(published.values_list("plan__entity__code", flat=True)) == {"17", "14", "20"}
    old = Review.objects.get(status=ReviewStatus.SUPERSEDED)
    assert old.plan.entity.code == "17" and old.correction.status == ReviewStatus.PUBLISHED
    in_reply = Review.objects.get(status=ReviewStatus.COMMENTS)
    assert in_reply.plan.entity.code == "10"
    assert len(selectors.national().rows) == 3
    evaluator = User.objects.get(username="evaluadora")
    assert evaluator.is_evaluator
    assert Appointment.objects.filter(user=evaluator).count() == 8
    # Nobody of an evaluated secretariat was appointed.
    for a in Appointment.objects.select_related("plan__entity", "organization"):
        assert a.organization is None or a.organization.entity_id != a.plan.entity_id
    assert client.get(f"/evaluacion/revisiones/{old.pk}/").status_code == 200
    assert client.get(f"/evaluacion/revisiones/{in_reply.pk}/").status_code == 404
    demo.load(seed=2018)  # a second run changes nothing
    assert Review.objects.count() == 8
