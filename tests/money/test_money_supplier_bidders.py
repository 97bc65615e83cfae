"""Supplier pages for every party that took part: a bidder that never won (flagged R025 or
R038) has its page with its bids, their results and its flags; a payee too; unknown
identifiers are 404. The figures are checked against the releases themselves.

The demo gives the cover bidder (R025) one win and the firm whose bids are all disqualified
(R038) one direct purchase; here Morelos's releases are imported again without those two
processes, so both are bidders without any award.
"""

from __future__ import annotations

import pytest
from django.utils.html import escape
from money_demo_fixture import load_demo_reimporting_morelos

from cocrea.money import demo
from cocrea.money.analytics import database, findings, pages
from cocrea.money.redflags import EXPLANATIONS, GROUP_LABELS

pytestmark = pytest.mark.django_db

COVER = f"MX-RFC-D17{demo.COVER:06d}"
DISQUALIFIED = f"MX-RFC-D17{demo.DISQUALIFIED:06d}"
PAGE = "/sigue-el-dinero/proveedores/{}/"


def _suppliers(release: dict) -> set[str]:
    return {
        s["id"]
        for a in release.get("awards", [])
        if a.get("status", "active") == "active"
        for s in a.get("suppliers", [])
    }


def _expected(releases: list[dict], party: str) -> dict:
    """Bids and results of a party, counted from the compiled releases."""
    out = {"bids": 0, "disqualified_bids": 0, "won": 0, "lost": 0, "disqualified": 0}
    out["ocids"] = set()
    for r in releases:
        mine = [
            b
            for b in r.get("bids", {}).get("details", [])
            if party in {t["id"] for t in b.get("tenderers", [])}
        ]
        if not mine:
            continue
        out["ocids"].add(r["ocid"])
        out["bids"] += len(mine)
        disqualified = sum(b["status"] == "disqualified" for b in mine)
        out["disqualified_bids"] += disqualified
        if party in _suppliers(r):
            out["won"] += 1
        elif disqualified == len(mine):
            out["disqualified"] += 1
        elif _suppliers(r):
            out["lost"] += 1
    return out


@pytest.fixture
def bidders(settings, tmp_path, reference):
    """The demo, with Morelos's releases imported again without the processes the cover
    bidder and the disqualified firm were awarded; returns those releases."""

    def without_their_awards(morelos):
        kept = [r for r in morelos if not _suppliers(r) & {COVER, DISQUALIFIED}]
        assert len(morelos) - len(kept) == 2
        return kept

    return load_demo_reimporting_morelos(settings, tmp_path, reference, without_their_awards)


def _awards_of(party: str) -> int:
    con = database.connect()
    try:
        return con.execute("SELECT count(*) FROM awards WHERE supplier_id = ?", [party]).fetchone()[
            0
        ]
    finally:
        con.close()


@pytest.mark.parametrize(("party", "code"), [(COVER, "R025"), (DISQUALIFIED, "R038")])
def test_bidder_without_awards_has_its_page(
    client, bidders, party, code, django_assert_max_num_queries
):
    assert _awards_of(party) == 0
    expected = _expected(bidders, party)
    assert expected["won"] == 0 and expected["bids"] >= 8

    con = database.connect()
    try:
        detail = pages.supplier_detail(con, party)
    finally:
        con.close()
    assert detail is not None
    assert detail["processes"] == 0 and detail["awarded"] == 0 and detail["process_list"] == []
    for key in ("bids", "disqualified_bids", "won", "lost", "disqualified"):
        assert detail[key] == expected[key], key
    assert detail["bid_processes"] == len(expected["ocids"])
    assert {b["ocid"] for b in detail["bid_list"]} == expected["ocids"]
    assert detail["name"].startswith(demo.EXTRA_NAMES[int(party[-6:])])
    assert [f["code"] for f in detail["flags"]] == [code]

    with django_assert_max_num_queries(10):
        response = client.get(PAGE.format(party))
    assert response.status_code == 200
    text = response.content.decode()
    info = EXPLANATIONS[code]
    assert f'<span class="tag">{code}</span> {escape(info["title"])}' in text
    assert escape(info["description"]) in text
    assert escape(str(GROUP_LABELS["Tenderer"])) in text
    assert escape(detail["name"]) in text
    assert 'id="ofertas-resumen"' in text
    for label, key in (
        ("Ganadas", "won"),
        ("Perdidas", "lost"),
        ("Descalificadas", "disqualified"),
    ):
        assert f"<dt>{label}</dt><dd>{expected[key]}</dd>" in text
    assert f"<dt>Ofertas presentadas</dt><dd>{expected['bids']}</dd>" in text
    for ocid in expected["ocids"]:
        assert f'href="/sigue-el-dinero/procesos/{ocid}/"' in text
    if code == "R038":  # every bid disqualified
        assert expected["disqualified"] == len(expected["ocids"]) and expected["lost"] == 0
        assert text.count('<tr class="mo-bid-disqualified">') == len(expected["ocids"])
    else:  # a cover bidder loses
        assert expected["lost"] == len(expected["ocids"])
        assert text.count('<tr class="mo-bid-lost">') == len(expected["ocids"])

    # Its process pages list its bids, linked to its page.
    ocid = sorted(expected["ocids"])[0]
    text = client.get(f"/sigue-el-dinero/procesos/{ocid}/").content.decode()
    assert f'href="{PAGE.format(party)}"' in text

    # The API counterpart.
    data = client.get(f"/api/v1/money/suppliers/{party}").json()
    assert data["supplier_id"] == party and data["awarded_processes"] == 0
    assert [f["code"] for f in data["flags"]] == [code]
    assert data["flags"][0]["description"] == info["description"]
    assert (data["bids"], data["won"], data["lost"], data["disqualified"]) == (
        expected["bids"],
        0,
        expected["lost"],
        expected["disqualified"],
    )
    assert {b["ocid"] for b in data["bid_list"]} == expected["ocids"]


def test_unknown_ids_search_and_payees(client, bidders, django_assert_max_num_queries):
    for unknown in ("MX-RFC-NADIE000000", "MX-RFC-SE170101AA1"):  # nobody; a buyer
        assert client.get(PAGE.format(unknown)).status_code == 404
        assert client.get(f"/api/v1/money/suppliers/{unknown}").status_code == 404

    # Search finds the bidders without awards, by name and by identifier.
    con = database.connect()
    try:
        name = con.execute(
            "SELECT any_value(name) FROM parties WHERE party_id = ?", [DISQUALIFIED]
        ).fetchone()[0]
    finally:
        con.close()
    assert name
    with django_assert_max_num_queries(10):
        text = client.get("/sigue-el-dinero/buscar/", {"q": name[:12]}).content.decode()
    assert f'href="{PAGE.format(DISQUALIFIED)}"' in text
    text = client.get("/sigue-el-dinero/buscar/", {"q": COVER}).content.decode()
    assert f'href="{PAGE.format(COVER)}"' in text

    # A payee other than the awarded supplier (the check links it) has a page, too.
    con = database.connect()
    try:
        checks = {c["code"]: c for c in findings.checks(con, database.Scope(entity="17"))}
        payee = con.execute(
            "SELECT t.payee_id FROM transactions t WHERE t.ocid = ? AND NOT EXISTS "
            "(SELECT 1 FROM awards a WHERE a.ocid = t.ocid AND a.supplier_id = t.payee_id)",
            [checks["beneficiario_distinto"]["findings"][0]["ocid"]],
        ).fetchone()[0]
    finally:
        con.close()
    response = client.get(PAGE.format(payee))
    assert response.status_code == 200
