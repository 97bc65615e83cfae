"""CKAN's Action API v3 subset: envelope, errors as CKAN answers them, search filters,
sorting and paging (Django's test client; the live harvest with ckanapi is in
test_ckan_harvest.py)."""

from __future__ import annotations

import pytest

API = "/api/3/action/"


def _call(client, action, **params):
    response = client.get(API + action, params)
    body = response.json()
    assert set(body) >= {"help", "success"}
    assert body["help"].startswith("http")
    return response.status_code, body


@pytest.mark.django_db
def test_status_and_listings(demo_site, client):
    from cocrea.opendata.catalogue import entries
    from cocrea.territory.models import Entity

    status, body = _call(client, "status_show")
    assert status == 200 and body["success"] and body["result"]["ckan_version"].startswith("2.")
    _, body = _call(client, "package_list")
    assert body["result"] == sorted(e.id for e in entries())
    _, body = _call(client, "package_list", limit=5, offset=5)
    assert body["result"] == sorted(e.id for e in entries())[5:10]
    _, orgs = _call(client, "organization_list")
    assert len(orgs["result"]) == Entity.objects.count() + 1 == 33
    assert "nacional" in orgs["result"] and "morelos" in orgs["result"]
    _, org = _call(client, "organization_show", id="morelos", include_datasets="true")
    names = {p["name"] for p in org["result"]["packages"]}
    assert "compromisos-17" in names and org["result"]["package_count"] == len(names)
    assert all(p["organization"]["name"] == "morelos" for p in org["result"]["packages"])
    _, groups = _call(client, "group_list")
    assert {"plans", "participation", "money", "events"} <= set(groups["result"])
    _, group = _call(client, "group_show", id="plans")
    assert group["result"]["title"] == "Secretariados y planes de acción"


@pytest.mark.django_db
def test_package_and_resource_show(demo_site, client):
    _, body = _call(client, "package_show", id="compromisos-17")
    package = body["result"]
    assert package["license_url"] == "https://datos.gob.mx/libreusomx"
    assert package["license_title"] == "Términos de Libre Uso MX"
    assert package["organization"]["name"] == "morelos"
    assert package["metadata_modified"] and package["tags"] and package["resources"]
    by_uuid = _call(client, "package_show", id=package["id"])[1]["result"]
    assert by_uuid == package
    resource = package["resources"][0]
    _, found = _call(client, "resource_show", id=resource["id"])
    assert found["result"] == resource


@pytest.mark.django_db
def test_errors_look_like_ckan(demo_site, client):
    status, body = _call(client, "package_show", id="no-existe")
    assert status == 404 and body["success"] is False
    assert body["error"]["__type"] == "Not Found Error" and body["error"]["message"]
    status, body = _call(client, "package_show")
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    assert body["error"]["id"] == ["Missing value"]
    status, body = _call(client, "package_search", rows="muchos")
    assert status == 409 and body["error"]["rows"] == ["Invalid integer"]
    status, body = _call(client, "package_search", start="-1")
    assert status == 409 and "start" in body["error"]
    status, body = _call(client, "package_search", sort="tamaño desc")
    assert status == 409 and "sort" in body["error"]
    status, body = _call(client, "package_search", fq="color:rojo")
    assert status == 409 and body["error"]["__type"] == "Search Query Error"
    status, body = _call(client, "package_search", fq="metadata_modified:[ayer TO *]")
    assert status == 409 and body["error"]["__type"] == "Search Query Error"
    status, body = _call(client, "organization_show", id="atlantida")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"
    status, body = _call(client, "resource_show", id="nada")
    assert status == 404
    status, body = _call(client, "package_create")
    assert status == 400 and body["success"] is False
    response = client.post(
        API + "package_search", data="{no es json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["success"] is False


@pytest.mark.django_db
def test_search_filters_sorts_and_pages(demo_site, client):
    from cocrea.opendata.catalogue import entries

    everything = entries()
    _, body = _call(client, "package_search", rows=1000)
    assert body["result"]["count"] == len(everything) == len(body["result"]["results"])
    _, morelos = _call(client, "package_search", fq="organization:morelos", rows=1000)
    assert morelos["result"]["count"] == sum(e.organization == "morelos" for e in everything)
    assert all(p["organization"]["name"] == "morelos" for p in morelos["result"]["results"])
    # Text search folds case and accents.
    _, found = _call(client, "package_search", q="CONTRATACIÓN", rows=1000)
    assert "dinero-procesos" in {p["name"] for p in found["result"]["results"]}
    # Sorting by last modification, then paging through it without overlap.
    _, ordered = _call(client, "package_search", sort="metadata_modified asc", rows=1000)
    dates = [p["metadata_modified"] for p in ordered["result"]["results"]]
    assert dates == sorted(dates)
    pages, start = [], 0
    while True:
        _, page = _call(client, "package_search", sort="metadata_modified asc", rows=7, start=start)
        if not page["result"]["results"]:
            break
        pages += [p["name"] for p in page["result"]["results"]]
        start += 7
    assert pages == [p["name"] for p in ordered["result"]["results"]]
    # Incremental: only what changed since a date.
    middle = dates[len(dates) // 2]
    _, since = _call(client, "package_search", fq=f"metadata_modified:[{middle}Z TO *]", rows=1000)
    assert since["result"]["count"] == sum(d >= middle for d in dates)
    both = f"organization:morelos AND metadata_modified:[{middle}Z TO *]"
    _, narrowed = _call(client, "package_search", fq=both, rows=1000)
    assert {p["name"] for p in narrowed["result"]["results"]} == {
        p["name"] for p in morelos["result"]["results"] if p["metadata_modified"] >= middle
    }
