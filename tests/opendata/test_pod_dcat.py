"""/data.json against the Project Open Data v1.1 JSON Schema; DCAT-AP in JSON-LD and
Turtle read back with rdflib."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

POD = Path(__file__).parent / "fixtures" / "pod-1.1"
US_ONLY = {"bureauCode", "programCode"}  # required for US federal agencies only


def pod_validator():
    schemas = {p.name: json.loads(p.read_text()) for p in POD.glob("*.json")}
    schemas["dataset.json"]["required"] = [
        f for f in schemas["dataset.json"]["required"] if f not in US_ONLY
    ]
    base = "https://project-open-data.cio.gov/v1.1/schema/"
    registry = Registry().with_resources(
        (base + name, Resource.from_contents(s, default_specification=DRAFT4))
        for name, s in schemas.items()
    )
    return jsonschema.Draft4Validator(
        schemas["catalog.json"], registry=registry, format_checker=jsonschema.FormatChecker()
    )


@pytest.mark.django_db
def test_data_json_is_valid_project_open_data(demo_site, client):
    from cocrea.opendata.catalogue import entries

    response = client.get("/data.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    catalog = response.json()
    errors = sorted(pod_validator().iter_errors(catalog), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:20])
    assert len(catalog["dataset"]) == len(entries())
    ids = [d["identifier"] for d in catalog["dataset"]]
    assert len(ids) == len(set(ids))
    for d in catalog["dataset"]:
        assert d["license"] == "https://datos.gob.mx/libreusomx"
        assert d["publisher"]["name"] and d["keyword"] and d["modified"] and d["issued"]
        assert d["distribution"], d["identifier"]
        assert d["spatial"]
    plans = next(d for d in catalog["dataset"] if d["identifier"].endswith("/planes/"))
    assert "temporal" in plans and "/" in plans["temporal"]


def test_the_schema_check_is_not_vacuous():
    validator = pod_validator()
    bad = {"conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
           "dataset": [{"title": "x", "modified": "ayer"}]}  # fmt: skip
    assert list(validator.iter_errors(bad))


def _check_graph(g: Graph, count: int):
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == count
    for ds in datasets:
        assert g.value(ds, DCTERMS.title), ds
        assert g.value(ds, DCTERMS.description), ds
        assert g.value(ds, DCTERMS.modified), ds
        distributions = list(g.objects(ds, DCAT.distribution))
        assert distributions, ds
        for dist in distributions:
            assert g.value(dist, DCAT.downloadURL), dist
            assert str(g.value(dist, DCTERMS.license)) == "https://datos.gob.mx/libreusomx"
        assert g.value(ds, DCTERMS.license)


@pytest.mark.django_db
def test_dcat_ap_jsonld_and_turtle_parse_with_rdflib(demo_site, client):
    from cocrea.opendata.catalogue import entries

    count = len(entries())
    jsonld = client.get("/catalogo.jsonld")
    assert jsonld["Content-Type"].startswith("application/ld+json")
    g = Graph().parse(data=jsonld.content.decode(), format="json-ld")
    _check_graph(g, count)
    ttl = client.get("/catalogo.ttl")
    assert ttl["Content-Type"].startswith("text/turtle")
    t = Graph().parse(data=ttl.content.decode(), format="turtle")
    _check_graph(t, count)
    assert len(g) == len(t)
