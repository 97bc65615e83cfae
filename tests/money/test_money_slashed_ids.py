"""OCIDs and organisation identifiers with slashes (publishers' local ids such as
"1303/2019"): every page and API address that holds one works, and the pages that link to
them render (a converter that refuses slashes would fail to build their links)."""

from __future__ import annotations

import orjson
import pytest
from money_demo_fixture import load_demo_reimporting_morelos

pytestmark = pytest.mark.django_db

BUYER = "MX-RFC-CEA170101AA1"
SUPPLIER = "MX-RFC-D17000006"


def with_slashes(morelos):
    """The first process's ocid, its buyer's and a supplier's identifiers with slashes."""
    first = morelos[0]
    assert BUYER in orjson.dumps(first).decode() and SUPPLIER in orjson.dumps(first).decode()
    text = orjson.dumps(first).decode()
    text = text.replace(first["ocid"], f"{first['ocid']}/2024").replace(BUYER, f"{BUYER}/UC-01")
    text = text.replace(SUPPLIER, f"{SUPPLIER}/A")
    return [orjson.loads(text), *morelos[1:]]


@pytest.fixture
def slashed(settings, tmp_path, reference):
    return load_demo_reimporting_morelos(settings, tmp_path, reference, with_slashes)[0]


def test_pages_and_api_with_slashed_ids(client, slashed, reference):
    ocid = slashed["ocid"]
    assert "/" in ocid
    page = client.get(f"/sigue-el-dinero/procesos/{ocid}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ocid in html
    assert f'href="/sigue-el-dinero/compradores/{BUYER}/UC-01/"' in html
    assert f'href="/sigue-el-dinero/proveedores/{SUPPLIER}/A/"' in html
    assert f'href="/sigue-el-dinero/procesos/{ocid}/ocds.json"' in html
    compiled = client.get(f"/sigue-el-dinero/procesos/{ocid}/ocds.json")
    assert compiled.status_code == 200 and orjson.loads(compiled.content)["ocid"] == ocid

    buyer = client.get(f"/sigue-el-dinero/compradores/{BUYER}/UC-01/")
    assert buyer.status_code == 200
    assert f'href="/sigue-el-dinero/procesos/{ocid}/"' in buyer.content.decode()
    supplier = client.get(f"/sigue-el-dinero/proveedores/{SUPPLIER}/A/")
    assert supplier.status_code == 200
    assert f'href="/sigue-el-dinero/procesos/{ocid}/"' in supplier.content.decode()
    # The entity page and the search link to them too.
    assert client.get(f"/sigue-el-dinero/{reference['17'].slug}/").status_code == 200
    search = client.get("/api/v1/money/search", {"q": f"{BUYER}/UC"}).json()
    assert [b["url"] for b in search["buyers"]] == [f"/sigue-el-dinero/compradores/{BUYER}/UC-01/"]

    process = client.get(f"/api/v1/money/processes/{ocid}")
    assert process.status_code == 200 and process.json()["buyer_id"] == f"{BUYER}/UC-01"
    assert client.get(f"/api/v1/money/buyers/{BUYER}/UC-01").json()["buyer_id"] == (
        f"{BUYER}/UC-01"
    )
    assert client.get(f"/api/v1/money/suppliers/{SUPPLIER}/A").json()["supplier_id"] == (
        f"{SUPPLIER}/A"
    )
    # The ocid without its suffix is no process now (its source was imported again).
    assert client.get(f"/sigue-el-dinero/procesos/{ocid.rsplit('/', 1)[0]}/").status_code == 404
