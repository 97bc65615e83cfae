"""OCDS out: release and record packages of the store's contracting data, per entity,
source and year, streamed; valid against the OCDS 1.1 schemas (offline), checked by OCP's
libcoveocds with no errors, and `ocdskit compile` of our release package gives our records'
compiled releases."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

import cocrea.money.ocds
from cocrea.money.store import snapshots

SCHEMA = Path(cocrea.money.ocds.__file__).parent / "schema"
RELEASES = "/api/v1/ocds/release-package"
RECORDS = "/api/v1/ocds/record-package"


def _validator(name: str):
    schemas = {p.name: json.loads(p.read_text()) for p in SCHEMA.glob("*.json")}
    registry = Registry().with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT4)) for s in schemas.values()
    )
    return jsonschema.Draft4Validator(
        schemas[name], registry=registry, format_checker=jsonschema.FormatChecker()
    )


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming, f"{url} is not streamed"
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def _errors(validator, data) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ][:20]


@pytest.mark.django_db
def test_packages_are_valid_ocds_with_publisher_licence_and_stable_uri(demo_site, client):
    from cocrea.money.store import snapshots

    package = _get(client, RELEASES)
    assert not _errors(_validator("release-package-schema.json"), package)
    count = snapshots.query("SELECT count(*) AS n FROM releases")[0]["n"]
    assert len(package["releases"]) == count > 0
    assert package["publisher"]["name"] and package["license"] == "https://datos.gob.mx/libreusomx"
    assert package["uri"] == "http://testserver/api/v1/ocds/release-package"
    assert _get(client, RELEASES) == package  # the same data, the same package
    records = _get(client, RECORDS)
    assert not _errors(_validator("record-package-schema.json"), records)
    assert [r["ocid"] for r in records["records"]] == [r["ocid"] for r in package["releases"]]
    for record, release in zip(records["records"], package["releases"], strict=True):
        compiled = record["compiledRelease"]
        assert compiled["ocid"] == release["ocid"] and compiled["tag"] == ["compiled"]
        assert compiled["id"] == f"{release['ocid']}-{release['date']}"
        assert {k: v for k, v in compiled.items() if k != "id"} == {
            k: v for k, v in release.items() if k != "id"
        }
        assert record["releases"][0]["url"] == f"{package['uri']}#{release['id']}"
    assert "contactPoint" not in json.dumps(package)


@pytest.mark.django_db
def test_slices_by_entity_source_and_year(demo_site, client):

    rows = snapshots.query(
        "SELECT r.entity, r.source, year(p.date) AS year, count(*) AS n FROM releases r "
        "JOIN processes p USING (source, ocid) GROUP BY ALL ORDER BY n DESC"
    )
    top = rows[0]
    entity = client.get(RELEASES, {"entity": top["entity"]})
    entity = json.loads(b"".join(entity.streaming_content))
    expected = sum(r["n"] for r in rows if r["entity"] == top["entity"])
    assert len(entity["releases"]) == expected
    assert entity["uri"].endswith(f"?entity={top['entity']}")
    source = _get(client, f"{RELEASES}?source={top['source']}")
    assert len(source["releases"]) == sum(r["n"] for r in rows if r["source"] == top["source"])
    year = _get(client, f"{RECORDS}?year={top['year']}&entity={top['entity']}")
    assert year["uri"].endswith(f"?entity={top['entity']}&year={top['year']}")
    assert len(year["records"]) == sum(
        r["n"] for r in rows if r["year"] == top["year"] and r["entity"] == top["entity"]
    )
    for bad in ("entity=99", "source=No%20Vale", "year=10"):
        response = client.get(f"{RELEASES}?{bad}")
        assert response.status_code in (400, 422), bad
        assert response.json()["detail"], bad


def _standard_zip() -> bytes:
    """The OCDS 1.1.5 schema folder as the standard's ZIP, so that libcoveocds runs offline;
    the versioned release schema (not in the folder) is made by OCP's own
    ocdsextensionregistry from the release schema, as the standard's build does."""
    from ocdsextensionregistry.versioned_release_schema import get_versioned_release_schema

    release = json.loads((SCHEMA / "release-schema.json").read_text())
    versioned = get_versioned_release_schema(release, "1__1__5")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("standard-1__1__5/", "")
        for path in sorted(SCHEMA.rglob("*")):
            if path.is_file():
                z.write(path, f"standard-1__1__5/schema/{path.relative_to(SCHEMA)}")
        z.writestr(
            "standard-1__1__5/schema/versioned-release-validation-schema.json",
            json.dumps(versioned),
        )
    return buffer.getvalue()


def _offline_schemas(monkeypatch):
    """jsonref (which libcoveocds uses to dereference the record package schema) fetches
    the standard's schemas by URL: serve them from the ZIP's files instead of the network."""
    import jsonref
    import requests

    files = {n.rsplit("/", 1)[-1]: z for n, z in _schema_files().items()}
    real_get = requests.get

    def get(url, *args, **kwargs):
        name = url.rsplit("/", 1)[-1]
        if url.startswith("https://standard.open-contracting.org/") and name in files:
            response = requests.Response()
            response.status_code, response._content, response.url = 200, files[name], url
            return response
        return real_get(url, *args, **kwargs)

    monkeypatch.setattr(jsonref.requests, "get", get)


def _schema_files() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(_standard_zip())) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".json")}


@pytest.mark.django_db
def test_libcoveocds_finds_no_errors(demo_site, client, tmp_path, monkeypatch):
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    _offline_schemas(monkeypatch)
    config = LibCoveOCDSConfig({"standard_zip": _standard_zip(), "context": "api"})
    for url in (RELEASES, RECORDS):
        data = _get(client, url)
        result = ocds_json_output(
            str(tmp_path), json_data=data, schema_version="1.1", lib_cove_ocds_config=config
        )
        assert result["validation_errors"] == [], (url, result["validation_errors"][:5])
        assert not result.get("structure_warnings"), result.get("structure_warnings")
        key = "releases" if url == RELEASES else "records"
        assert result.get("count", 0) == len(data[key])


@pytest.mark.django_db
def test_ocdskit_compile_gives_our_records(demo_site, client):
    package = _get(client, RELEASES)
    records = _get(client, RECORDS)
    ocdskit = Path(sys.executable).parent / "ocdskit"
    out = subprocess.run(
        [str(ocdskit), "compile", "--schema", str(SCHEMA / "release-schema.json")],
        input=json.dumps(package),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    compiled = [json.loads(line) for line in out.splitlines() if line.strip()]
    ours = {r["ocid"]: r["compiledRelease"] for r in records["records"]}
    assert {c["ocid"]: c for c in compiled} == ours
