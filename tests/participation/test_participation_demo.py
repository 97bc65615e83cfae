"""The demo loader gives every joined entity a living co-creation process."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from cocrea.participation import demo
from cocrea.participation.models import Process, Response, Support
from cocrea.territory.models import Adhesion

pytestmark = pytest.mark.django_db


def test_every_joined_entity_has_a_process_with_activity(reference):
    from cocrea.accounts import demo as accounts_demo
    from cocrea.participants import demo as participants_demo

    participants_demo.load(2018)
    accounts_demo.load(2018)
    demo.load(2018)
    joined = set(Adhesion.objects.values_list("entity__code", flat=True))
    processes = Process.objects.annotate(
        n_proposals=Count("proposals", distinct=True),
        n_tables=Count("tables", distinct=True),
    ).select_related("entity")
    assert {p.entity.code for p in processes} == joined
    for process in processes:
        assert process.current_phase() is not None, process
        assert process.n_proposals > 0 and process.n_tables == 3, process
    assert Support.objects.exists()
    responses = Response.objects.aggregate(
        drafts=Count("id", filter=Q(published_at__isnull=True)),
        published=Count("id", filter=Q(published_at__isnull=False)),
    )
    assert 0 < responses["drafts"] < responses["published"]
    morelos = Process.objects.get(entity__code="17")
    assert morelos.current_phase().proposals_open
    # Loading again changes nothing.
    before = Process.objects.count()
    demo.load(2018)
    assert Process.objects.count() == before
