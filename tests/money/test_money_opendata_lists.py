"""Open-data lists of Sigue el Dinero: every table has a CSV download and a paginated JSON
list (/api/v1/money/budget, processes, awards, contracts, payments, flags) with the same rows,
filters, X-Total-Count and Link headers, 422 on malformed input, and no contact points of the
parties even when the releases carry them.
"""

from __future__ import annotations

import csv
import io
import json
import re

import orjson
import pytest
from money_demo_fixture import CONTACT, load_demo, load_demo_with_contact_points

from cocrea.money import demo
from cocrea.money.analytics import database

pytestmark = pytest.mark.django_db

LISTS = {
    # JSON endpoint: CSV download
    "budget": "presupuesto.csv",
    "processes": "procesos.csv",
    "awards": "adjudicaciones.csv",
    "contracts": "contratos.csv",
    "payments": "pagos.csv",
    "flags": "banderas.csv",
}
NEXT = re.compile(r'^<([^>]+)>; rel="next"$')


@pytest.fixture
def loaded(settings, tmp_path, reference):
    load_demo(settings, tmp_path, reference)


def _csv(client, name: str, **params) -> list[dict]:
    response = client.get(f"/sigue-el-dinero/descargas/{name}", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "UTF-8 with BOM"
    return list(csv.DictReader(io.StringIO(text[1:])))


def _all_pages(client, endpoint: str, limit: int, **params) -> tuple[list[dict], int, int]:
    """Every row following the Link headers; returns (rows, X-Total-Count, pages)."""
    url, query = f"/api/v1/money/{endpoint}", {**params, "limit": limit}
    rows, pages, total = [], 0, None
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        total = int(response["X-Total-Count"])
        page = response.json()
        assert isinstance(page, list) and len(page) <= limit
        rows += page
        pages += 1
        link = response.get("Link")
        url, query = (NEXT.match(link).group(1), None) if link else (None, None)
    return rows, total, pages


def _text(value) -> str:
    return "" if value is None else str(value)


def _connect_count(sql: str, params=None) -> int:
    con = database.connect()
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize(("endpoint", "download"), list(LISTS.items()))
def test_csv_holds_the_same_rows_as_the_json_pages(client, loaded, endpoint, download):
    csv_rows = _csv(client, download)
    rows, total, pages = _all_pages(client, endpoint, limit=37)
    assert total == len(rows) == len(csv_rows) > 0
    assert pages == -(-total // 37)
    assert list(csv_rows[0]) == list(rows[0])  # same columns, same order
    assert [{k: _text(v) for k, v in r.items()} for r in rows] == csv_rows


def test_table_sizes_match_the_snapshot(client, loaded):
    for endpoint, table in [("processes", "processes"), ("awards", "awards"),
                            ("contracts", "contracts"), ("payments", "transactions"),
                            ("flags", "flags"), ("budget", "budget_lines")]:  # fmt: skip
        response = client.get(f"/api/v1/money/{endpoint}", {"limit": 1})
        assert int(response["X-Total-Count"]) == _connect_count(f"SELECT count(*) FROM {table}")


def test_pagination_headers(client, loaded):
    response = client.get("/api/v1/money/processes", {"entity": "17", "limit": 10})
    total = int(response["X-Total-Count"])
    assert total > 20 and len(response.json()) == 10
    link = NEXT.match(response["Link"]).group(1)
    assert link.startswith("/api/v1/money/processes?")
    assert "entity=17" in link and "offset=10" in link and "limit=10" in link
    second = client.get(link).json()
    first = response.json()
    assert second[0]["ocid"] > first[-1]["ocid"]  # ordered by ocid, no overlap
    last = client.get("/api/v1/money/processes", {"entity": "17", "offset": total - 3})
    assert len(last.json()) == 3 and not last.has_header("Link")
    beyond = client.get("/api/v1/money/processes", {"offset": 10**6})
    assert beyond.status_code == 200 and beyond.json() == []
    assert int(beyond["X-Total-Count"]) > total
    # Default page of 1000 rows, at most 5000.
    budget = client.get("/api/v1/money/budget")
    assert len(budget.json()) == min(1000, int(budget["X-Total-Count"]))
    assert client.get("/api/v1/money/payments", {"limit": 5000}).status_code == 200


def test_budget_filters(client, loaded):
    lines = client.get("/api/v1/money/budget", {"entity": "17"}).json()
    assert lines and {r["entidad"] for r in lines} == {"17"}
    one = client.get("/api/v1/money/budget", {"entity": "17", "year": 2024, "program": "E012"})
    assert one.json() and all(
        (r["entidad"], r["ciclo"], r["clave_programa"]) == ("17", 2024, "E012") for r in one.json()
    )
    assert int(one["X-Total-Count"]) < len(lines)
    # A one-digit code is padded, like the other lists.
    assert client.get("/api/v1/money/budget", {"entity": "9"}).json() == []
    assert client.get("/api/v1/money/budget", {"program": "X999"}).json() == []


def test_process_filters(client, loaded):
    morelos = client.get("/api/v1/money/processes", {"entity": "17", "limit": 5000}).json()
    assert {p["entity"] for p in morelos} == {"17"}
    year = client.get("/api/v1/money/processes", {"entity": "17", "year": 2024}).json()
    assert year and {p["year"] for p in year} == {2024} and len(year) < len(morelos)
    buyer = morelos[0]["buyer_id"]
    by_buyer = client.get("/api/v1/money/processes", {"buyer": buyer}).json()
    assert by_buyer and {p["buyer_id"] for p in by_buyer} == {buyer}
    direct = client.get("/api/v1/money/processes", {"entity": "17", "method": "limited"}).json()
    assert direct and {p["method"] for p in direct} == {"limited"}
    e012 = client.get("/api/v1/money/processes", {"entity": "17", "program": "E012"}).json()
    assert e012 and all("E012" in (p["project_id"], p["project"]) for p in e012)
    ocid = morelos[3]["ocid"]
    assert client.get("/api/v1/money/processes", {"ocid": ocid}).json() == [morelos[3]]
    # Supplier: the processes with an award to it.
    award = client.get("/api/v1/money/awards", {"ocid": ocid}).json()[0]
    supplier = award["supplier_id"]
    by_supplier = client.get("/api/v1/money/processes", {"supplier": supplier}).json()
    awarded = client.get("/api/v1/money/awards", {"supplier": supplier}).json()
    assert {p["ocid"] for p in by_supplier} == {a["ocid"] for a in awarded} and ocid in {
        p["ocid"] for p in by_supplier
    }
    # The detail of one process stays where it was.
    assert client.get(f"/api/v1/money/processes/{ocid}").json()["ocid"] == ocid


def test_award_contract_payment_filters(client, loaded):
    jalisco = client.get("/api/v1/money/awards", {"entity": "14", "year": 2025}).json()
    assert jalisco and {(a["entity"], a["year"]) for a in jalisco} == {("14", 2025)}
    ocid = jalisco[0]["ocid"]
    for endpoint in ("awards", "contracts", "payments"):
        rows = client.get(f"/api/v1/money/{endpoint}", {"ocid": ocid}).json()
        assert rows and {r["ocid"] for r in rows} == {ocid}, endpoint
        assert {r["entity"] for r in rows} == {"14"}
    payee = client.get("/api/v1/money/payments", {"ocid": ocid}).json()[0]["payee_id"]
    paid = client.get("/api/v1/money/payments", {"payee": payee, "limit": 5000}).json()
    assert paid and {p["payee_id"] for p in paid} == {payee}
    assert len(paid) == _connect_count(
        "SELECT count(*) FROM transactions WHERE payee_id = ?", [payee]
    )


def test_flag_filters(client, loaded):
    flags = client.get("/api/v1/money/flags", {"limit": 5000}).json()
    assert {f["group"] for f in flags} >= {"OCID", "Buyer"}
    assert all(f["title"] and f["title"] != f["code"] for f in flags)
    process_flag = next(f for f in flags if f["group"] == "OCID")
    by_ocid = client.get("/api/v1/money/flags", {"ocid": process_flag["key"]}).json()
    assert process_flag in by_ocid and {f["key"] for f in by_ocid} == {process_flag["key"]}
    code = client.get("/api/v1/money/flags", {"code": process_flag["code"]}).json()
    assert {f["code"] for f in code} == {process_flag["code"]}
    buyers = client.get("/api/v1/money/flags", {"group": "Buyer"}).json()
    assert buyers and {f["group"] for f in buyers} == {"Buyer"}
    # Entity: the flags of its processes, its buyers and its bidders; none of another entity.
    morelos = client.get("/api/v1/money/flags", {"entity": "17"}).json()
    jalisco = client.get("/api/v1/money/flags", {"entity": "14"}).json()
    assert morelos and all(
        f["key"].startswith(f"{demo.PREFIX}-17-") for f in morelos if f["group"] == "OCID"
    )
    assert all(f["key"].startswith(f"{demo.PREFIX}-14-") for f in jalisco if f["group"] == "OCID")
    assert {f["key"] for f in morelos if f["group"] == "Buyer"} <= {
        p["buyer_id"] for p in client.get("/api/v1/money/processes", {"entity": "17"}).json()
    }
    in_2024 = client.get("/api/v1/money/flags", {"entity": "17", "year": 2024}).json()
    ocids_2024 = {
        p["ocid"]
        for p in client.get("/api/v1/money/processes", {"entity": "17", "year": 2024}).json()
    }
    assert {f["key"] for f in in_2024 if f["group"] == "OCID"} <= ocids_2024


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("budget", {"limit": 0}),
        ("budget", {"limit": 5001}),
        ("processes", {"offset": -1}),
        ("processes", {"entity": "abc"}),
        ("awards", {"entity": "33"}),
        ("contracts", {"year": "dos mil"}),
        ("payments", {"year": 20245}),
        ("flags", {"group": "Persona"}),
        ("budget", {"program": "x" * 51}),
    ],
)
def test_malformed_input_is_422(client, loaded, endpoint, params):
    assert client.get(f"/api/v1/money/{endpoint}", params).status_code == 422


def test_unknown_downloads_and_processes_are_404(client, loaded):
    assert client.get("/sigue-el-dinero/descargas/personas.csv").status_code == 404
    assert client.get("/api/v1/money/processes/ocds-no-existe").status_code == 404
    assert client.get("/api/v1/money/processes", {"ocid": "ocds-no-existe"}).json() == []


def test_without_data(client, settings, tmp_path, reference):
    settings.COCREA_MONEY_DIR = tmp_path / "empty"
    for endpoint, download in LISTS.items():
        response = client.get(f"/api/v1/money/{endpoint}")
        assert response.status_code == 200 and response.json() == []
        assert response["X-Total-Count"] == "0" and not response.has_header("Link")
        assert client.get(f"/sigue-el-dinero/descargas/{download}").status_code == 404
    page = client.get("/sigue-el-dinero/descargas/").content.decode()
    assert "Adjudicaciones (CSV) <span" in page  # listed, without a link


def test_downloads_page_links_every_csv(client, loaded):
    page = client.get("/sigue-el-dinero/descargas/").content.decode()
    for download in LISTS.values():
        assert f'href="/sigue-el-dinero/descargas/{download}"' in page


def test_contact_points_never_appear(client, settings, tmp_path, reference):
    """Morelos's releases imported again with contact points on every party, the buyer, the
    procuring entity, the tenderers and the suppliers: no list and no CSV shows them."""
    morelos = load_demo_with_contact_points(settings, tmp_path, reference)
    # The import kept them in its private store, so the checks below mean something.
    from cocrea.money.store import snapshots

    kept = snapshots.query(
        "SELECT compiled_release FROM releases WHERE ocid = ?", [morelos[0]["ocid"]]
    )
    assert CONTACT["email"] in kept[0]["compiled_release"]
    # The published compiled releases (per process and the JSON Lines download) lose them.
    published = [
        client.get(f"/sigue-el-dinero/procesos/{morelos[0]['ocid']}/ocds.json").content,
        b"".join(client.get("/sigue-el-dinero/descargas/releases.jsonl").streaming_content),
    ]
    assert orjson.loads(published[0])["ocid"] == morelos[0]["ocid"]
    assert published[1].count(b"\n") >= len(morelos)
    for text in published:
        assert b"contactPoint" not in text
        for value in CONTACT.values():
            assert value.encode() not in text, value
    for endpoint, download in LISTS.items():
        texts = [b"".join(client.get(f"/sigue-el-dinero/descargas/{download}").streaming_content)]
        texts.append(client.get(f"/api/v1/money/{endpoint}", {"limit": 5000}).content)
        for text in texts:
            body = text.decode("utf-8")
            for value in CONTACT.values():
                assert value not in body, (endpoint, value)
                assert json.dumps(value)[1:-1] not in body, (endpoint, value)
            assert "@" not in body, endpoint
