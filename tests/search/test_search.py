"""One search: Spanish-aware, accents ignored, typos forgiven, only public things, indexed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plans"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "participation"))

from participation_helpers import make_citizen, make_process  # noqa: E402
from plans_helpers import make_commitment, make_plan  # noqa: E402

from cocrea.core.registry import SEARCH_SOURCES  # noqa: E402
from cocrea.plans.models import PlanStatus  # noqa: E402
from cocrea.search import engine  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(reference):
    from django.utils import timezone

    from cocrea.participation.models import Proposal

    plan = make_plan(reference["17"])
    draft = make_plan(reference["14"], status=PlanStatus.DRAFT)
    make_commitment(plan, 1, title="Transparencia en los contratos de obra pública")
    make_commitment(plan, 2, title="Participación ciudadana en el presupuesto")
    make_commitment(draft, 1, title="Compromiso secreto de borrador sobre contratos")
    process = make_process(reference["17"])
    author = make_citizen("ana")
    Proposal.objects.create(
        process=process, author=author, kind="propuesta", theme="transparencia",
        title="Mesas de participación vecinal", body="Que los vecinos vigilen cada contrato.",
    )  # fmt: skip
    Proposal.objects.create(
        process=process, author=author, kind="propuesta", theme="transparencia",
        title="Propuesta oculta con contratos", body="x", hidden_at=timezone.now(),
    )  # fmt: skip
    Proposal.objects.create(
        process=process, author=author, kind="propuesta", theme="transparencia",
        title="<script>alert(1)</script> contratos abiertos", body="y",
    )  # fmt: skip
    return plan


def _titles(groups, kind):
    return [h.title for g in groups if g.kind == kind for h in g.hits]


def test_accents_are_ignored_and_words_are_stemmed(content):
    groups = engine.search("participacion")
    assert "Participación ciudadana en el presupuesto" in _titles(groups, "compromisos")
    assert "Mesas de participación vecinal" in _titles(groups, "propuestas")
    # «contratos» finds «contrato» (Spanish stems), in titles and bodies.
    found = _titles(engine.search("contratos"), "compromisos")
    assert found == ["Transparencia en los contratos de obra pública"]
    assert "Mesas de participación vecinal" in _titles(engine.search("contratos"), "propuestas")


def test_small_typos_are_forgiven(content):
    assert "Transparencia en los contratos de obra pública" in _titles(
        engine.search("tranparencia"), "compromisos"
    )
    assert "Morelos" in _titles(engine.search("morelso"), "entidades")


def test_only_public_things_are_found(content):
    everything = [h.title for g in engine.search("contratos") for h in g.hits]
    assert not any("borrador" in t for t in everything)
    assert not any("oculta" in t for t in everything)


def test_results_page_groups_highlights_and_escapes(content, client):
    html = client.get("/buscar/", {"q": "contratos"}).content.decode()
    assert 'id="resultados-compromisos"' in html and 'id="resultados-propuestas"' in html
    assert "<mark>contratos</mark>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "borrador" not in html
    empty = client.get("/buscar/", {"q": "zzzzqqq"}).content.decode()
    assert 'id="sin-resultados"' in empty
    assert "Escriba al menos dos letras" in client.get("/buscar/", {"q": "a"}).content.decode()
    # The header of every page carries the box.
    assert 'role="search"' in client.get("/").content.decode()


def test_one_kind_shows_more_results(content, client):
    html = client.get("/buscar/", {"q": "contratos", "tipo": "compromisos"}).content.decode()
    assert 'id="resultados-compromisos"' in html and 'id="resultados-propuestas"' not in html


def test_every_database_source_has_its_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE 'search_%'")
        indexes = cursor.fetchall()
    for source in SEARCH_SOURCES.values():
        if source.queryset is None:
            continue
        table = source.queryset().model._meta.db_table
        cols = engine.columns(source)
        defs = [d for t, d in indexes if t == table]
        assert any("gin" in d.lower() and "to_tsvector('cocrea_es'" in d
                   and all(c in d for c in cols) for d in defs), (table, defs)  # fmt: skip
        assert any("gin_trgm_ops" in d and cols[0] in d for d in defs), (table, defs)


def test_the_full_text_query_uses_its_index(content):
    source = SEARCH_SOURCES["compromisos"]
    table = source.queryset().model._meta.db_table
    vector = engine.vector_sql(engine.columns(source))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM {table} WHERE {vector} @@ "
            "websearch_to_tsquery('cocrea_es', 'contratos')"
        )
        plan = "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert f"search_{table}_fts" in plan, plan


def test_queries_are_bounded_whatever_the_data(content, client, django_assert_max_num_queries):
    from cocrea.plans.models import Commitment

    Commitment.objects.bulk_create(
        Commitment(plan=content, number=100 + i, title=f"Contratos abiertos número {i}")
        for i in range(300)
    )
    # At most two queries a database source (full text, then typos), one a store source.
    with django_assert_max_num_queries(2 * len(SEARCH_SOURCES) + 4):
        assert client.get("/buscar/", {"q": "contratos"}).status_code == 200
