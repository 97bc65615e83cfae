"""FollowTheMoney entities of the contracting data (checked with the followthemoney
library), OGP's commitments-data columns, and the Atom feeds."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from followthemoney import model
from followthemoney.exc import InvalidData

ATOM = "{http://www.w3.org/2005/Atom}"


def _ftm(client, url="/api/v1/ftm/entities"):
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.django_db
def test_ftm_entities_are_valid_and_every_reference_resolves(demo_site, client):
    from cocrea.money.web import opendata

    data = _ftm(client)
    proxies = []
    for item in data:
        proxy = model.get_proxy(item, cleaned=False)  # parses and checks each property
        try:
            proxy.schema.validate(item)  # required properties, property types
        except InvalidData as e:
            pytest.fail(f"{item['schema']} {item['id']}: {e}")
        proxies.append(proxy)
    ids = [p.id for p in proxies]
    assert len(ids) == len(set(ids)), "an entity id repeats"
    known = set(ids)
    unresolved = []
    for proxy in proxies:
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity" and value not in known:
                unresolved.append(f"{proxy.schema.name}.{prop.name} → {value}")
    assert not unresolved, unresolved[:10]
    schemata = {p.schema.name for p in proxies}
    assert {"PublicBody", "Contract", "ContractAward", "Payment"} <= schemata
    assert schemata & {"Company", "Organization"}
    processes = opendata.page("procesos", {}, 1, 0)[0]
    contracts = opendata.page("contratos", {}, 1, 0)[0]
    assert sum(p.schema.name == "Contract" for p in proxies) == processes + contracts
    suppliers = [p for p in proxies if p.schema.name in ("Company", "Organization")]
    for p in suppliers:
        (identifier,) = p.get("registrationNumber")
        if identifier.startswith("MX-RFC-"):
            assert p.get("taxNumber") == [identifier.removeprefix("MX-RFC-")]
    companies = [p for p in suppliers if p.schema.name == "Company"]
    legal_form = re.compile(r"\bS\.?\s?A\.?\b|\bR\.?\s?L\.?$")
    assert companies and all(legal_form.search(p.caption) for p in companies)
    assert not any(legal_form.search(p.caption) for p in suppliers if p not in companies)
    assert any(p.get("taxNumber") for p in companies), "suppliers carry their RFC"
    assert "contactPoint" not in json.dumps(data) and "email" not in json.dumps(data)


@pytest.mark.django_db
def test_ftm_per_entity(demo_site, client):
    everything = _ftm(client)
    morelos = _ftm(client, "/api/v1/ftm/entities?entity=17")
    assert 0 < len(morelos) < len(everything)
    contracts = [e for e in morelos if e["schema"] == "Contract"]
    assert all("-17-" in e["properties"]["procedureNumber"][0] for e in contracts)
    assert client.get("/api/v1/ftm/entities?entity=40").status_code == 400


@pytest.mark.django_db
def test_ogp_commitments_columns(demo_site, client):
    from cocrea.plans.selectors import public_commitments

    body = b"".join(client.get("/datos/compromisos-ogp.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert list(rows[0])[:12] == [
        "commitment_id", "commitment_title", "lead_institution", "access_to_information",
        "civic_participation", "public_accountability", "technology_and_innovation",
        "specificity", "potential_impact", "completion", "did_it_open_government", "starred",
    ]  # fmt: skip
    assert len(rows) == public_commitments().count()
    assert len({r["commitment_id"] for r in rows}) == len(rows)
    for row in rows:
        for value in ("access_to_information", "civic_participation", "public_accountability",
                      "technology_and_innovation"):  # fmt: skip
            assert row[value] in ("Yes", "No")
    # The evaluation columns are the published ratings (the evaluation app), empty elsewhere.
    rated = {r["commitment_id"]: r for r in client.get("/api/v1/evaluation/ratings").json()}
    assert rated, "the demo has published reviews"
    for row in rows:
        mine = rated.get(row["commitment_id"])
        for evaluation in ("specificity", "potential_impact", "completion",
                           "did_it_open_government"):  # fmt: skip
            assert row[evaluation] == (mine[evaluation] if mine else ""), row["commitment_id"]
        assert row["starred"] == ({"Sí": "Yes", "No": "No"}[mine["starred"]] if mine else "")
    c = public_commitments().select_related("plan__entity").first()
    mine = next(r for r in rows if r["commitment_title"] == c.title)
    assert mine["access_to_information"] == ("Yes" if c.value_access else "No")


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


@pytest.mark.django_db
def test_atom_feeds_national_and_per_entity(demo_site, client):
    from cocrea.plans.models import Commitment

    for slug in ("compromisos", "reportes", "respuestas", "banderas"):
        national = _feed(client, f"/datos/avisos/{slug}.atom")
        entries = national.findall(f"{ATOM}entry")
        assert entries, slug
        for entry in entries:
            assert entry.find(f"{ATOM}title").text and entry.find(f"{ATOM}updated").text
            assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    morelos = _feed(client, "/datos/avisos/compromisos/17.atom")
    assert "Morelos" in morelos.find(f"{ATOM}title").text
    assert all(
        e.find(f"{ATOM}title").text.startswith("Morelos") for e in morelos.findall(f"{ATOM}entry")
    )
    # A commitment that changes comes first in the feed of changes.
    c = Commitment.objects.filter(plan__entity__code="17").exclude(plan__status="borrador").last()
    c.save()
    first = _feed(client, "/datos/avisos/compromisos/17.atom").find(f"{ATOM}entry")
    assert c.title in first.find(f"{ATOM}title").text
    assert client.get("/datos/avisos/compromisos/99.atom").status_code == 404
