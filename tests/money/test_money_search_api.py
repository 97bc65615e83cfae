"""Search of suppliers and buyers in JSON (GET /api/v1/money/search), a buyer in JSON
(GET /api/v1/money/buyers/{buyer_id}) and the pages of the search page (each list with its
own "Anteriores/Siguientes" links, plain links that htmx swaps in place).

The results are the selectors' (the same as the page), over the demo data.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from money_demo_fixture import load_demo

from cocrea.money.web import selectors, views

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/money/search"
PAGE = "/sigue-el-dinero/buscar/"


@pytest.fixture
def loaded(settings, tmp_path, reference):
    load_demo(settings, tmp_path, reference)


def _with_urls(found: dict) -> dict:
    """The selector's results as the API gives them: with each party's page."""
    out = {}
    for kind, prefix in (("buyers", "compradores"), ("suppliers", "proveedores")):
        out[kind] = []
        for item in found[kind]:
            row = {**item, "url": f"/sigue-el-dinero/{prefix}/{item['id']}/"}
            if "awarded" in row and row["awarded"] is not None:
                row["awarded"] = str(row["awarded"])
            out[kind].append(row)
    return out


def _common_query(minimum: int) -> str:
    """A text that finds more than `minimum` suppliers and more than `minimum` buyers (the
    demo has six buyers and 38 suppliers, all with RFC identifiers)."""
    q = "MX-RFC"
    found = selectors.search(q, minimum + 1, 0)
    assert all(len(found[kind]) > minimum for kind in ("buyers", "suppliers"))
    return q


@pytest.mark.parametrize("q", ["agua", "MX-RFC", "sa de cv", "Comisión", "D17000007"])
def test_search_equals_the_selector(client, loaded, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    data = response.json()
    expected = _with_urls(selectors.search(q, 20, 0))
    assert data["buyers"] == expected["buyers"]
    assert data["suppliers"] == expected["suppliers"]
    assert (data["q"], data["limit"], data["offset"]) == (q, 20, 0)
    assert data["more_buyers"] == (len(selectors.search(q, 21, 0)["buyers"]) > 20)
    assert data["more_suppliers"] == (len(selectors.search(q, 21, 0)["suppliers"]) > 20)


def test_search_finds_something_and_links_work(client, loaded):
    data = client.get(SEARCH, {"q": "MX-RFC"}).json()
    assert data["suppliers"], "the demo's suppliers have RFC identifiers"
    first = data["suppliers"][0]
    assert set(first) == {"id", "name", "processes", "awarded", "url"}
    assert client.get(first["url"]).status_code == 200
    buyers = client.get(SEARCH, {"q": _common_query(1)}).json()["buyers"]
    assert set(buyers[0]) == {"id", "name", "processes", "url"}
    assert client.get(buyers[0]["url"]).status_code == 200


def test_search_pages(client, loaded):
    q = _common_query(4)
    first = client.get(SEARCH, {"q": q, "limit": 2}).json()
    second = client.get(SEARCH, {"q": q, "limit": 2, "offset": 2}).json()
    assert first["more_buyers"] and first["more_suppliers"]
    for kind in ("buyers", "suppliers"):
        assert len(first[kind]) == len(second[kind]) == 2
        assert first[kind] != second[kind]
        assert not {r["id"] for r in first[kind]} & {r["id"] for r in second[kind]}
        assert second[kind] == _with_urls(selectors.search(q, 2, 2))[kind]
        # Two pages of two are the first four.
        assert first[kind] + second[kind] == _with_urls(selectors.search(q, 4, 0))[kind]
    # The last page says that nothing follows.
    buyers = len(selectors.search(q, 100, 0)["buyers"])
    last = client.get(SEARCH, {"q": q, "limit": 2, "offset": buyers - 2}).json()
    assert len(last["buyers"]) == 2 and not last["more_buyers"] and last["more_suppliers"]
    beyond = client.get(SEARCH, {"q": q, "offset": 10_000}).json()
    assert beyond["buyers"] == beyond["suppliers"] == []
    assert not beyond["more_buyers"] and not beyond["more_suppliers"]


def test_search_without_results(client, loaded):
    data = client.get(SEARCH, {"q": "nadie-en-absoluto"}).json()
    assert data["buyers"] == data["suppliers"] == []
    assert not data["more_buyers"] and not data["more_suppliers"]
    # Surrounding spaces do not count.
    spaced = client.get(SEARCH, {"q": "  MX-RFC  "}).json()
    assert spaced["q"] == "MX-RFC"
    assert spaced["suppliers"] == client.get(SEARCH, {"q": "MX-RFC"}).json()["suppliers"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "a"},
        {"q": "  a  "},
        {"q": "   "},
        {"q": "x" * 101},
        {"q": "agua", "limit": 0},
        {"q": "agua", "limit": 101},
        {"q": "agua", "limit": "veinte"},
        {"q": "agua", "offset": -1},
        {"q": "agua", "offset": 10_001},
    ],
)
def test_malformed_search_is_422(client, loaded, params):
    assert client.get(SEARCH, params).status_code == 422


def test_search_limits_are_accepted(client, loaded):
    for params in ({"limit": 1}, {"limit": 100}, {"offset": 10_000}, {"offset": 0}):
        assert client.get(SEARCH, {"q": "ag", **params}).status_code == 200, params


def _a_buyer() -> str:
    return selectors.search(_common_query(1), 1, 0)["buyers"][0]["id"]


def test_buyer_equals_the_page(client, loaded):
    buyer_id = _a_buyer()
    expected = selectors.buyer_page(buyer_id)
    response = client.get(f"/api/v1/money/buyers/{buyer_id}")
    assert response.status_code == 200
    data = response.json()
    assert data["buyer_id"] == buyer_id
    for key in ("name", "entity", "processes", "direct"):
        assert data[key] == expected[key], key
    assert data["processes"] > 0
    assert data["url"] == f"/sigue-el-dinero/compradores/{buyer_id}/"
    assert [s["supplier_id"] for s in data["suppliers"]] == [
        s["supplier_id"] for s in expected["suppliers"]
    ]
    assert [s["processes"] for s in data["suppliers"]] == [
        s["processes"] for s in expected["suppliers"]
    ]
    assert all(s["url"].startswith("/sigue-el-dinero/proveedores/") for s in data["suppliers"])
    assert [p["ocid"] for p in data["process_list"]] == [
        p["ocid"] for p in expected["process_list"]
    ]
    assert [p["flags"] for p in data["process_list"]] == [
        p["flags"] for p in expected["process_list"]
    ]
    first = data["process_list"][0]
    assert first["date"] == (
        expected["process_list"][0]["date"].isoformat()
        if expected["process_list"][0]["date"]
        else None
    )
    assert [(f["code"], f["value"]) for f in data["flags"]] == [
        (f["code"], f["value"]) for f in expected["flags"]
    ]
    assert [(f["code"], f["processes"]) for f in data["process_flags"]] == [
        (f["code"], f["n"]) for f in expected["process_flags"]
    ]
    # The page shows the same buyer.
    page = client.get(data["url"]).content.decode()
    assert buyer_id in page


def test_a_buyer_with_flags(client, loaded):
    """Some buyer of the demo has red flags as a buyer; they are in its JSON with titles."""
    flagged = client.get("/api/v1/money/flags", {"group": "Buyer", "limit": 1}).json()
    assert flagged
    data = client.get(f"/api/v1/money/buyers/{flagged[0]['key']}").json()
    assert data["flags"] and all(
        f["title"] and f["group"] in {"Buyer", "ProcuringEntity"} for f in data["flags"]
    )


def test_unknown_buyer_is_404(client, loaded):
    assert client.get("/api/v1/money/buyers/MX-NADIE-000").status_code == 404
    supplier = selectors.search("MX-RFC", 1, 0)["suppliers"][0]["id"]
    # A supplier is no buyer.
    assert client.get(f"/api/v1/money/buyers/{supplier}").status_code == 404


def test_without_data(client, settings, tmp_path, reference):
    settings.COCREA_MONEY_DIR = tmp_path / "empty"
    data = client.get(SEARCH, {"q": "agua"}).json()
    assert data["buyers"] == data["suppliers"] == []
    assert client.get("/api/v1/money/buyers/MX-NADIE-000").status_code == 404
    assert client.get(PAGE, {"q": "agua"}).status_code == 200


def test_documented_in_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/money/search",
        "/api/v1/money/buyers/{buyer_id}",
        "/api/v1/money/suppliers/{supplier_id}",
        "/api/v1/money/buyers",
        "/api/v1/money/suppliers",
    ):
        operation = paths[path]["get"]
        assert operation["summary"] and operation["tags"] == ["Sigue el Dinero"], path
    search = paths["/api/v1/money/search"]["get"]
    assert "Buscar" in search["summary"] and "proveedores" in search["description"]
    params = {p["name"]: p for p in search["parameters"]}
    assert params["q"]["required"] and params["q"]["schema"]["minLength"] == 2
    assert params["limit"]["schema"]["maximum"] == 100
    assert params["offset"]["schema"]["maximum"] == 10_000
    assert "404" in paths["/api/v1/money/buyers/{buyer_id}"]["get"]["description"]


# --- The search page ------------------------------------------------------------------------


def _links(html: str, section: str) -> dict[str, str]:
    """The rel=prev/next links of one list of the page (its section by id)."""
    start = html.index(f'id="{section}"')
    end = html.index("</section>", start)
    part = html[start:end]
    return {
        rel: href.replace("&amp;", "&")
        for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', part)
    }


def _names(html: str, section: str) -> list[str]:
    start = html.index(f'id="{section}"')
    end = html.index("</section>", start)
    return re.findall(r'<li><a href="([^"]+)"', html[start:end])


def test_search_page_turns_each_list(client, loaded, django_assert_max_num_queries, monkeypatch):
    """Pages of five results (the demo has six buyers): each list turns on its own."""
    monkeypatch.setattr(views, "SEARCH_PAGE", 5)
    q = _common_query(5)
    with django_assert_max_num_queries(6):
        first = client.get(PAGE, {"q": q}).content.decode()
    suppliers = _links(first, "resultados-proveedores")
    buyers = _links(first, "resultados-compradores")
    assert set(suppliers) == {"next"} and set(buyers) == {"next"}
    assert "Siguientes" in first and "Anteriores" not in first
    # Plain links (without JavaScript) that htmx also follows, swapping the results alone.
    assert 'hx-select="#resultados"' in first and 'hx-push-url="true"' in first
    query = parse_qs(urlsplit(suppliers["next"]).query)
    assert query == {"q": [q], "pp": ["2"]}
    with django_assert_max_num_queries(6):
        second = client.get(PAGE + suppliers["next"]).content.decode()
    expected = selectors.search(q, 5, 5)["suppliers"]
    assert _names(second, "resultados-proveedores") == [
        f"/sigue-el-dinero/proveedores/{s['id']}/" for s in expected
    ]
    assert _names(second, "resultados-proveedores") != _names(first, "resultados-proveedores")
    # The buyers stay on their first page.
    assert _names(second, "resultados-compradores") == _names(first, "resultados-compradores")
    turned = _links(second, "resultados-proveedores")
    assert parse_qs(urlsplit(turned["prev"]).query) == {"q": [q]}
    assert parse_qs(urlsplit(turned["next"]).query) == {"q": [q], "pp": ["3"]}
    # Then the buyers' next page keeps the suppliers' page.
    buyers_next = _links(second, "resultados-compradores")["next"]
    assert parse_qs(urlsplit(buyers_next).query) == {"q": [q], "pc": ["2"], "pp": ["2"]}
    with django_assert_max_num_queries(6):
        both = client.get(PAGE + buyers_next).content.decode()
    assert _names(both, "resultados-compradores") == [
        f"/sigue-el-dinero/compradores/{b['id']}/" for b in selectors.search(q, 5, 5)["buyers"]
    ]
    assert _names(both, "resultados-proveedores") == _names(second, "resultados-proveedores")
    assert "Página 2" in both
    # The buyers' last page: no next link, a previous one.
    assert set(_links(both, "resultados-compradores")) == {"prev"}


def test_search_page_last_and_odd_pages(client, loaded):
    q = "nadie-en-absoluto"
    html = client.get(PAGE, {"q": q}).content.decode()
    assert "Sin resultados." in html and 'rel="next"' not in html
    # Out-of-range or malformed page numbers never fail.
    for pp in ("0", "-1", "abc", "99999999999", "400"):
        response = client.get(PAGE, {"q": "MX-RFC", "pp": pp, "pc": pp})
        assert response.status_code == 200, pp
    beyond = client.get(PAGE, {"q": "MX-RFC", "pp": "400"}).content.decode()
    assert 'rel="next"' not in beyond.split('id="resultados-compradores"')[0]
    assert 'rel="prev"' in beyond and "Sin resultados." in beyond


def test_search_page_in_english(client, loaded, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_PAGE", 5)
    q = _common_query(5)
    html = client.get("/en/sigue-el-dinero/buscar/", {"q": q, "pp": 2}).content.decode()
    assert 'rel="next" ' in html and ">Next</a>" in html and ">Previous</a>" in html
    assert "Page 2" in html and 'aria-label="Result pages"' in html
    assert "Siguientes" not in html and "Página" not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_pages_in_chromium(live_server, page, settings, tmp_path):
    """htmx swaps the results in place (no new page load) and pushes the address."""
    from cocrea.territory.models import Entity
    from cocrea.territory.services import load_reference

    load_reference()
    load_demo(settings, tmp_path, {e.code: e for e in Entity.objects.all()})
    page.goto(live_server.url + "/sigue-el-dinero/buscar/?q=MX-RFC")
    suppliers = page.locator("#resultados-proveedores li a")
    assert suppliers.count() == 20
    first = suppliers.first.get_attribute("href")
    page.evaluate("window.__sameDocument = true")
    page.locator("#resultados-proveedores").get_by_role("link", name="Siguientes").click()
    page.wait_for_url("**/buscar/?q=MX-RFC&pp=2")
    page.wait_for_function(
        "href => document.querySelector('#resultados-proveedores li a')"
        ".getAttribute('href') !== href",
        arg=first,
    )
    assert page.evaluate("window.__sameDocument === true")  # swapped, not reloaded
    expected = selectors.search("MX-RFC", 20, 20)["suppliers"]
    assert suppliers.count() == len(expected) > 0
    assert (
        suppliers.first.get_attribute("href")
        == f"/sigue-el-dinero/proveedores/{expected[0]['id']}/"
    )
    assert "Página 2" in page.locator("#resultados-proveedores").inner_text()
