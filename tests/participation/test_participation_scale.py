"""10,000 proposals and 100,000 comments in one process: pages keep a bounded query count."""

from __future__ import annotations

import pytest

from cocrea.participation.scale import build_large_process, remove_large_process

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def large(django_db_setup, django_db_blocker):
    from cocrea.territory.models import Entity
    from cocrea.territory.services import load_reference

    with django_db_blocker.unblock():
        had_entities = Entity.objects.exists()
        load_reference()
        data = build_large_process(Entity.objects.get(code="17"))
    yield data
    with django_db_blocker.unblock():
        remove_large_process(data["process"])
        if not had_entities:
            from cocrea.territory.models import Municipality

            Municipality.objects.all().delete()
            Entity.objects.all().delete()


def test_dataset_has_the_promised_size(large):
    from cocrea.participation.models import Comment, Proposal

    process = large["process"]
    assert Proposal.objects.filter(process=process).count() == 10_000
    assert Comment.objects.filter(proposal__process=process).count() == 100_000


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?orden=recientes",
        "?orden=apoyos&pagina=250",
        "?tema=salud&estado=aceptada",
        "?q=Propuesta 99",
    ],
)
def test_proposal_list_query_count_is_bounded(client, large, django_assert_max_num_queries, query):
    process = large["process"]
    client.force_login(large["users"][3])
    with django_assert_max_num_queries(12):
        response = client.get(process.get_absolute_url() + "propuestas/" + query)
    assert response.status_code == 200
    assert len(response.context["proposals"]) <= 20
    if not query:
        assert response.context["page"].paginator.count == 10_000
        assert len(response.context["proposals"]) == 20


def test_busiest_proposal_page_query_count_is_bounded(client, large, django_assert_max_num_queries):
    client.force_login(large["users"][5])
    busy = large["busy"]
    # 14 for the page, 1 for the header's unread-notifications count of a signed-in person.
    with django_assert_max_num_queries(15):
        response = client.get(busy.get_absolute_url())
    with django_assert_max_num_queries(15):
        last = client.get(busy.get_absolute_url() + "?comentarios=20")
    assert len(last.context["comments"]) == 50
    assert response.status_code == 200
    flat = response.context["comments"]
    assert response.context["comment_page"].paginator.count == 1_000  # threads
    assert sum(1 for _c, depth in flat if depth == 0) == 50
    assert sum(1 for _c, depth in flat if depth == 1) == 500  # 50 of the 100 replied threads
    assert busy.comment_count == 2_000
    assert response.context["has_supported"] is True


def test_quiet_proposal_and_process_page_are_bounded(client, large, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert client.get(large["quiet"].get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(large["process"].get_absolute_url())
    assert response.context["stats"].total == 10_000
    assert response.context["stats"].answered == 3_334
