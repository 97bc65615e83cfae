"""The real client: ckanapi.RemoteCKAN against a live server harvests the whole catalogue
page by page, then incrementally by metadata_modified, and every dataset's page and every
resource URL answers 200 with its declared format and no personal data."""

from __future__ import annotations

import ckanapi
import pytest
from opendata_support import load_demo, personal_data

ROWS = 25


@pytest.fixture
def live_demo(live_server, tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        money_dir, private = load_demo(tmp_path / "money")
    yield live_server.url, private
    money_dir.disable()


def _harvest(ckan, fq=""):
    found, start = [], 0
    while True:
        page = ckan.action.package_search(
            q="*:*", fq=fq, rows=ROWS, start=start, sort="metadata_modified asc"
        )
        found += page["results"]
        start += ROWS
        if start >= page["count"]:
            assert len(found) == page["count"]
            return found


@pytest.mark.django_db(transaction=True)
def test_ckanapi_harvests_the_whole_catalogue(live_demo):
    import requests

    url, private = live_demo
    with ckanapi.RemoteCKAN(url, user_agent="cocrea-test-harvester") as ckan:
        assert ckan.action.status_show()["ckan_version"]
        names = ckan.action.package_list()
        harvested = _harvest(ckan)
        assert sorted(p["name"] for p in harvested) == sorted(names)
        assert len(names) > 100  # national datasets and their entities'
        orgs = ckan.action.organization_list()
        assert len(orgs) == 33
        for p in harvested[:3]:
            assert ckan.action.package_show(id=p["name"]) == p
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id="no-existe")
        with pytest.raises(ckanapi.ValidationError):
            ckan.action.package_search(rows="x")
        # Incremental: what changed since the median modification date.
        dates = sorted(p["metadata_modified"] for p in harvested)
        middle = dates[len(dates) // 2]
        since = _harvest(ckan, fq=f"metadata_modified:[{middle}Z TO *]")
        assert {p["name"] for p in since} == {
            p["name"] for p in harvested if p["metadata_modified"] >= middle
        }
        assert 0 < len(since) < len(harvested)
    session = requests.Session()
    problems, broken, checked = [], [], 0
    for p in harvested:
        page = session.get(p["url"])
        if page.status_code != 200:
            broken.append(f"{p['name']}: page {p['url']} → {page.status_code}")
        for r in p["resources"]:
            response = session.get(r["url"])
            checked += 1
            kind = response.headers.get("Content-Type", "")
            if response.status_code != 200:
                broken.append(f"{p['name']}: {r['url']} → {response.status_code}")
                continue
            if not kind.startswith(r["mimetype"]):
                broken.append(f"{p['name']}: {r['url']} is {kind}, declared {r['mimetype']}")
            if r["format"] in ("CSV", "JSON", "JSONL"):
                problems += personal_data(r["url"], response.content.decode(), private)
    assert checked > 300
    assert not broken, "\n".join(broken[:30])
    assert not problems, "\n".join(problems[:30])
