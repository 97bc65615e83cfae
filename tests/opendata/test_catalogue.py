"""One catalogue: every public dataset declared once in the registry, each with a page, a
JSON endpoint documented in the OpenAPI, a CSV, the Términos de Libre Uso MX, a publisher,
keywords, coverage and dates taken from the data; one entry per entity where the data is
per entity; nothing personal in any entry."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from opendata_support import personal_data

from cocrea.core import registry

# Issue 17's list: entities and adhesions, organisations, plans / commitments / milestones /
# validated reports, co-creation processes, proposals, responses, working tables and
# agreements, budget (Fiscal Data Package), contracting (OCDS), red flags, the programme.
REQUIRED = {
    "entidades", "participantes", "planes", "compromisos", "hitos", "reportes",
    "cocreacion-procesos", "cocreacion-propuestas", "cocreacion-respuestas", "cocreacion-mesas",
    "cocreacion-acuerdos", "dinero-presupuesto", "dinero-procesos", "dinero-banderas",
    "eventos-programa", "compromisos-ogp",
}  # fmt: skip
LICENCE_URL = "https://datos.gob.mx/libreusomx"


def test_every_required_dataset_is_registered_with_its_metadata():
    assert set(registry.DATASETS) >= REQUIRED
    for d in registry.DATASETS.values():
        assert d.json_url and d.json_url.startswith("/api/v1/"), d.name
        assert d.csv_url, f"{d.name} has no CSV"
        assert d.page_url, d.name
        assert d.keywords, f"{d.name} has no keywords"
        assert d.coverage is not None, f"{d.name} has no coverage from its data"
        assert d.licence_info["url"] == LICENCE_URL
        assert d.licence_info["title"] == "Términos de Libre Uso MX"
    budget = registry.DATASETS["dinero-presupuesto"]
    assert "Fiscal Data Package" in {str(f.label) for f in budget.other_formats}
    contracting = {str(f.label) for f in registry.DATASETS["dinero-procesos"].other_formats}
    assert {"OCDS: paquete de entregas", "OCDS: paquete de registros"} <= contracting


@pytest.mark.django_db
def test_entries_have_pages_dates_from_the_data_and_entities(demo_site, client):
    from cocrea.opendata.catalogue import entries

    found = entries()
    by_id = {e.id: e for e in found}
    assert set(by_id) >= REQUIRED, REQUIRED - set(by_id)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for e in found:
        assert e.modified and e.issued and e.issued <= e.modified, e.id
        assert e.modified <= timezone.now(), e.id
        assert e.keywords and e.licence["url"] == LICENCE_URL, e.id
        formats = {d.format for d in e.distributions}
        assert "JSON" in formats, e.id
        json_path = next(d.url for d in e.distributions if d.format == "JSON")
        assert urlsplit(json_path).path in paths, e.id
        if e.entity is None or e.dataset.entity_csv_param:
            assert "CSV" in formats, e.id
    # Per entity where the data is per entity: Morelos (17) has plans and contracting data.
    for name in ("planes", "compromisos", "hitos", "reportes", "dinero-procesos"):
        morelos = by_id[f"{name}-17"]
        assert morelos.entity.code == "17" and morelos.organization == morelos.entity.slug
        assert all("entity=17" in d.url or "entidad=17" in d.url for d in morelos.distributions)
    assert not any(e.id.startswith("entidades-") for e in found)  # national by nature
    # The temporal coverage of the plans is their periods.
    from cocrea.plans.selectors import public_plans

    plans = list(public_plans())
    start = min(p.period_start for p in plans if p.period_start)
    assert by_id["planes"].temporal[0] == start


@pytest.mark.django_db
def test_modified_follows_the_data_not_the_request(demo_site):
    from cocrea.opendata.catalogue import entries
    from cocrea.plans.models import Commitment
    from cocrea.plans.selectors import public_commitments

    before = {e.id: e.modified for e in entries()}
    again = {e.id: e.modified for e in entries()}
    assert before == again  # asking again changes nothing
    latest = max(c.updated_at for c in public_commitments())
    assert before["compromisos"] == latest
    commitment = public_commitments().filter(plan__entity__code="17").first()
    Commitment.objects.filter(pk=commitment.pk).update(updated_at=latest + dt.timedelta(days=1))
    after = {e.id: e.modified for e in entries()}
    assert after["compromisos"] == latest + dt.timedelta(days=1)
    assert after["compromisos-17"] == latest + dt.timedelta(days=1)
    assert after["compromisos-14"] == before["compromisos-14"]
    assert after["planes"] == before["planes"]
    Commitment.objects.filter(pk=commitment.pk).update(updated_at=commitment.updated_at)


@pytest.mark.django_db
def test_catalogue_documents_carry_no_personal_data(demo_site, client):
    assert all(demo_site[k] for k in ("emails", "registrants", "proposers"))
    problems = []
    for url in ("/data.json", "/catalogo.jsonld", "/catalogo.ttl", "/datos/",
                "/api/3/action/package_search?rows=1000",
                "/api/3/action/organization_list?all_fields=true"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        problems += personal_data(url, response.content.decode(), demo_site)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.django_db
def test_dataset_pages(demo_site, client):
    html = client.get("/datos/conjuntos/compromisos/").content.decode()
    assert "Términos de Libre Uso MX" in html and LICENCE_URL in html
    assert "/datos/conjuntos/compromisos/17/" in html  # its entities' pages
    morelos = client.get("/datos/conjuntos/compromisos/17/")
    assert morelos.status_code == 200
    assert "/api/v1/commitments?entity=17" in morelos.content.decode()
    assert client.get("/datos/conjuntos/no-existe/").status_code == 404
    assert client.get("/datos/conjuntos/entidades/17/").status_code == 404  # national only


@pytest.mark.django_db
def test_new_datasets_answer_json_and_csv_per_entity(demo_site, client):
    for name in ("reportes", "cocreacion-respuestas", "cocreacion-mesas", "cocreacion-acuerdos",
                 "compromisos-ogp"):  # fmt: skip
        d = registry.DATASETS[name]
        rows = client.get(d.json_url).json()
        assert rows, name
        code = rows[-1]["entity_code"]
        mine = client.get(f"{d.json_url}?entity={code}").json()
        assert mine and all(r["entity_code"] == code for r in mine), name
        assert len(mine) == sum(r["entity_code"] == code for r in rows), name
        body = b"".join(client.get(f"{d.csv_url}?entity={code}").streaming_content).decode()
        lines = body.lstrip("\ufeff").strip().splitlines()
        assert lines[0] == ",".join(d.columns)
        assert len(lines) - 1 == len(mine), name
    json.dumps(rows)


@pytest.mark.django_db
def test_money_csv_per_entity(demo_site, client):
    import csv
    import io

    for name in ("dinero-procesos", "dinero-adjudicaciones", "dinero-pagos", "dinero-presupuesto"):
        d = registry.DATASETS[name]
        assert d.entity_csv_param == "entity"
        whole = b"".join(client.get(d.csv_url).streaming_content).decode().lstrip("\ufeff")
        rows = list(csv.DictReader(io.StringIO(whole)))
        column = "entidad" if name == "dinero-presupuesto" else "entity"
        url = f"{d.csv_url}?entity=17"
        mine = b"".join(client.get(url).streaming_content).decode().lstrip("\ufeff")
        kept = list(csv.DictReader(io.StringIO(mine)))
        assert kept and all(r[column] == "17" for r in kept), name
        assert len(kept) == sum(r[column] == "17" for r in rows), name
