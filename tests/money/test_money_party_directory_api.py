"""Directories of suppliers and buyers: proveedores.csv and compradores.csv (downloads page)
and their paginated JSON lists (GET /api/v1/money/suppliers, /api/v1/money/buyers), read from
the per-party summary. The same rows in both, the figures of the party pages, organisation
identifiers and names only (no contact points even when the releases carry them), and
unavailable, never an error, in snapshots without the summary or without data.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from money_demo_fixture import CONTACT, load_demo, load_demo_with_contact_points

from cocrea.money.analytics import database, flows_snapshot
from cocrea.money.web import selectors

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'^<([^>]+)>; rel="next"$')
SUPPLIER_COLUMNS = [
    "supplier_id", "name", "processes", "award_processes", "awarded", "paid", "payments",
    "bid_processes", "bids", "valid_bids", "disqualified_bids", "won", "lost", "disqualified",
    "pending", "flags",
]  # fmt: skip
BUYER_COLUMNS = ["buyer_id", "name", "entity", "processes", "direct", "flags"]
LISTS = {"suppliers": "proveedores.csv", "buyers": "compradores.csv"}


@pytest.fixture
def loaded(settings, tmp_path, reference):
    load_demo(settings, tmp_path, reference)


def _csv_text(client, name: str) -> str:
    response = client.get(f"/sigue-el-dinero/descargas/{name}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return text[1:]


def _csv(client, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_csv_text(client, name))))


def _all_pages(client, endpoint: str, limit: int, **params) -> tuple[list[dict], int]:
    url, query = f"/api/v1/money/{endpoint}", {**params, "limit": limit}
    rows, total = [], None
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        total = int(response["X-Total-Count"])
        rows += response.json()
        link = response.get("Link")
        url, query = (NEXT.match(link).group(1), None) if link else (None, None)
    return rows, total


def _text(value) -> str:
    return "" if value is None else str(value)


def _count(sql: str) -> int:
    con = database.connect()
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_csv_headers(client, loaded):
    for name, columns in (
        ("proveedores.csv", SUPPLIER_COLUMNS),
        ("compradores.csv", BUYER_COLUMNS),
    ):
        header = next(csv.reader(io.StringIO(_csv_text(client, name))))
        assert header == columns, name


@pytest.mark.parametrize(("endpoint", "download"), list(LISTS.items()))
def test_csv_holds_the_same_rows_as_the_json_pages(client, loaded, endpoint, download):
    csv_rows = _csv(client, download)
    rows, total = _all_pages(client, endpoint, limit=4)
    assert total == len(rows) == len(csv_rows) > 0
    assert list(csv_rows[0]) == list(rows[0])
    assert [{k: _text(v) for k, v in r.items()} for r in rows] == csv_rows
    key = "supplier_id" if endpoint == "suppliers" else "buyer_id"
    ids = [r[key] for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)  # one row each, in a total order


def test_one_row_per_party_of_the_summary(client, loaded):
    suppliers = client.get("/api/v1/money/suppliers", {"limit": 1})
    buyers = client.get("/api/v1/money/buyers", {"limit": 1})
    assert int(suppliers["X-Total-Count"]) == _count(
        f"SELECT count(*) FROM {flows_snapshot.SUMMARY_TABLE} WHERE kind = 'supplier'"
    )
    assert int(buyers["X-Total-Count"]) == _count(
        "SELECT count(DISTINCT buyer_id) FROM processes WHERE buyer_id IS NOT NULL"
    )


def test_supplier_figures_are_those_of_its_page(client, loaded):
    rows, _total = _all_pages(client, "suppliers", limit=5000)
    assert any(r["bid_processes"] for r in rows) and any(r["award_processes"] for r in rows)
    for row in rows[:: max(1, len(rows) // 8)] + [max(rows, key=lambda r: r["bids"])]:
        page = selectors.supplier_page(row["supplier_id"])
        assert page is not None
        for column in ("processes", "bid_processes", "bids", "valid_bids", "won", "lost",
                       "disqualified", "pending", "payments"):  # fmt: skip
            expected = page["processes"] if column == "processes" else page[column]
            if column == "processes":
                assert row["award_processes"] == expected, row["supplier_id"]
            else:
                assert row[column] == expected, (row["supplier_id"], column)
        assert float(row["awarded"]) == float(page["awarded"])
        assert float(row["paid"]) == float(page["paid"] or 0)
        assert row["flags"] == len(page["flags"])
        assert row["name"] == page["name"]
    # `processes` is what the search counts.
    found = selectors.search("MX-RFC", 100, 0)["suppliers"]
    by_id = {r["supplier_id"]: r for r in rows}
    assert found and all(by_id[s["id"]]["processes"] == s["processes"] for s in found)


def test_buyer_figures_are_those_of_its_page(client, loaded):
    rows, _total = _all_pages(client, "buyers", limit=5000)
    assert any(r["flags"] for r in rows) and all(r["processes"] for r in rows)
    for row in rows:
        page = selectors.buyer_page(row["buyer_id"])
        for column in ("name", "entity", "processes", "direct"):
            assert row[column] == page[column], (row["buyer_id"], column)
        assert row["flags"] == len(page["flags"])
        # The JSON of one buyer agrees.
        one = client.get(f"/api/v1/money/buyers/{row['buyer_id']}").json()
        assert (one["processes"], one["direct"]) == (row["processes"], row["direct"])


def test_buyers_by_entity(client, loaded):
    morelos = client.get("/api/v1/money/buyers", {"entity": "17"}).json()
    jalisco = client.get("/api/v1/money/buyers", {"entity": "14"}).json()
    assert morelos and {b["entity"] for b in morelos} == {"17"}
    assert jalisco and {b["entity"] for b in jalisco} == {"14"}
    everyone = client.get("/api/v1/money/buyers").json()
    assert len(everyone) == len(morelos) + len(jalisco)
    assert client.get("/api/v1/money/buyers", {"entity": "9"}).json() == []


def test_pagination(client, loaded):
    first = client.get("/api/v1/money/suppliers", {"limit": 10})
    total = int(first["X-Total-Count"])
    assert total > 20 and len(first.json()) == 10
    link = NEXT.match(first["Link"]).group(1)
    assert "offset=10" in link and "limit=10" in link
    second = client.get(link).json()
    assert second != first.json() and second[0]["supplier_id"] > first.json()[-1]["supplier_id"]
    assert second == client.get("/api/v1/money/suppliers", {"limit": 10, "offset": 10}).json()
    last = client.get("/api/v1/money/suppliers", {"offset": total - 2})
    assert len(last.json()) == 2 and not last.has_header("Link")
    assert client.get("/api/v1/money/buyers", {"offset": 10**6}).json() == []


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("suppliers", {"limit": 0}),
        ("suppliers", {"limit": 5001}),
        ("suppliers", {"offset": -1}),
        ("buyers", {"entity": "33"}),
        ("buyers", {"entity": "morelos"}),
        ("buyers", {"limit": "diez"}),
    ],
)
def test_malformed_input_is_422(client, loaded, endpoint, params):
    assert client.get(f"/api/v1/money/{endpoint}", params).status_code == 422


def test_downloads_page_links_them(client, loaded):
    page = client.get("/sigue-el-dinero/descargas/").content.decode()
    for download in LISTS.values():
        assert f'href="/sigue-el-dinero/descargas/{download}"' in page


def test_snapshot_without_the_summary(client, loaded):
    """A snapshot written before the per-party summary existed: the directories are
    unavailable (listed without a link, no download, empty lists), the search and the
    buyer's JSON still answer (their old queries)."""
    snap = flows_snapshot.current_snapshot()
    expected = client.get("/api/v1/money/search", {"q": "MX-RFC"}).json()
    buyer = expected["buyers"][0]["id"]
    one = client.get(f"/api/v1/money/buyers/{buyer}").json()
    old = snap.parent / "20000101T000000-oldstyle"
    shutil.copytree(snap, old)
    for name in old.glob("party_*.parquet"):  # every table of the per-party summary
        name.unlink()
    assert not (old / flows_snapshot.SUMMARY_FILE).exists()
    (snap.parent / "CURRENT").write_text(old.name + "\n")
    assert flows_snapshot.current_snapshot() == old
    for endpoint, download in LISTS.items():
        assert client.get(f"/sigue-el-dinero/descargas/{download}").status_code == 404
        response = client.get(f"/api/v1/money/{endpoint}")
        assert response.status_code == 200 and response.json() == []
        assert response["X-Total-Count"] == "0"
    page = client.get("/sigue-el-dinero/descargas/").content.decode()
    assert "Proveedores (CSV) <span" in page and "Compradores (CSV) <span" in page
    assert 'href="/sigue-el-dinero/descargas/procesos.csv"' in page  # the others still are
    assert client.get("/api/v1/money/search", {"q": "MX-RFC"}).json() == expected
    assert client.get(f"/api/v1/money/buyers/{buyer}").json() == one


def test_without_data(client, settings, tmp_path, reference):
    settings.COCREA_MONEY_DIR = tmp_path / "empty"
    for endpoint, download in LISTS.items():
        response = client.get(f"/api/v1/money/{endpoint}")
        assert response.status_code == 200 and response.json() == []
        assert response["X-Total-Count"] == "0" and not response.has_header("Link")
        assert client.get(f"/sigue-el-dinero/descargas/{download}").status_code == 404
    page = client.get("/sigue-el-dinero/descargas/").content.decode()
    assert "Proveedores (CSV) <span" in page


def test_contact_points_never_appear(client, settings, tmp_path, reference):
    """Morelos's releases imported again with contact points on every organisation: neither
    directory, in CSV or JSON, nor the search or a buyer's JSON shows them."""
    load_demo_with_contact_points(settings, tmp_path, reference)
    buyer = client.get("/api/v1/money/buyers", {"entity": "17"}).json()[0]["buyer_id"]
    texts = [
        _csv_text(client, "proveedores.csv"),
        _csv_text(client, "compradores.csv"),
        client.get("/api/v1/money/suppliers", {"limit": 5000}).content.decode(),
        client.get("/api/v1/money/buyers", {"limit": 5000}).content.decode(),
        client.get("/api/v1/money/search", {"q": "MX-RFC", "limit": 100}).content.decode(),
        client.get(f"/api/v1/money/buyers/{buyer}").content.decode(),
    ]
    assert "MX-RFC" in texts[0] and buyer in texts[1]
    for text in texts:
        for value in CONTACT.values():
            assert value not in text, value
            assert json.dumps(value)[1:-1] not in text, value
        assert "@" not in text
