"""A supplier or buyer named differently in different processes shows the greatest of its
names everywhere: the lists of the entity page, its own page and the other party's, the
search and the directory (they used to show any of them, as DuckDB's threads found them
first, or another rule in each place)."""

from __future__ import annotations

from collections import Counter

import pytest
from money_demo_fixture import load_demo_reimporting_morelos

from cocrea.money.web import selectors


def _rename(release: dict, party_id: str, name: str) -> None:
    """Give ``party_id`` the name ``name`` wherever the release names it."""
    orgs = [release["buyer"], *release.get("parties", []), *release["tender"].get("tenderers", [])]
    for award in release.get("awards", []):
        orgs += award.get("suppliers", [])
    for contract in release.get("contracts", []):
        for transaction in contract.get("implementation", {}).get("transactions", []):
            orgs += [transaction.get("payee") or {}]
    for org in orgs:
        if org.get("id") == party_id:
            org["name"] = name


def _two_names(morelos: list[dict]) -> tuple[str, str]:
    """Give Morelos's supplier with the greatest awarded value, and the buyer of its first
    process, the name ``ZZZ …`` in that process and ``AAA …`` in their other processes;
    return the two ids."""
    awarded = Counter()
    for release in morelos:
        for award in release.get("awards", []):
            if award.get("status") == "active":
                for supplier in award.get("suppliers", []):
                    awarded[supplier["id"]] += award.get("value", {}).get("amount") or 0
    supplier_id = awarded.most_common(1)[0][0]
    first = next(
        r for r in morelos
        if supplier_id in {s["id"] for a in r.get("awards", []) for s in a.get("suppliers", [])}
    )  # fmt: skip
    buyer_id = first["buyer"]["id"]
    renamed = Counter()
    for release in morelos:
        prefix = "ZZZ" if release is first else "AAA"
        _rename(release, supplier_id, f"{prefix} Proveedor")
        _rename(release, buyer_id, f"{prefix} Comprador")
        renamed[release["buyer"]["id"] == buyer_id] += 1
    assert renamed[True] > 1
    return supplier_id, buyer_id


@pytest.mark.django_db
def test_a_party_shows_the_greatest_of_its_names_everywhere(client, settings, tmp_path, reference):
    found = {}

    def change(morelos):
        found["ids"] = _two_names(morelos)
        return morelos

    load_demo_reimporting_morelos(settings, tmp_path, reference, change)
    supplier_id, buyer_id = found["ids"]
    supplier_name, buyer_name = "ZZZ Proveedor", "ZZZ Comprador"
    page = selectors.entity_page(reference["17"], None)
    assert {s["supplier_id"]: s["supplier_name"] for s in page["suppliers"]}[supplier_id] == (
        supplier_name
    )
    assert {b["buyer_id"]: b["buyer_name"] for b in page["buyers"]}[buyer_id] == buyer_name

    buyer = selectors.buyer_page(buyer_id)
    assert buyer["name"] == buyer_name
    listed = {s["supplier_id"]: s["supplier_name"] for s in buyer["suppliers"]}
    assert listed[supplier_id] == supplier_name
    supplier = selectors.supplier_page(supplier_id)
    assert supplier["name"] == supplier_name
    assert {b["buyer_id"]: b["buyer_name"] for b in supplier["buyers"]}[buyer_id] == buyer_name

    found = selectors.search("Proveedor", limit=100)
    assert {s["id"]: s["name"] for s in found["suppliers"]}[supplier_id] == supplier_name
    found = selectors.search("Comprador", limit=100)
    assert {b["id"]: b["name"] for b in found["buyers"]}[buyer_id] == buyer_name
    for path, key, party_id, name in (
        ("suppliers", "supplier_id", supplier_id, supplier_name),
        ("buyers", "buyer_id", buyer_id, buyer_name),
    ):
        rows = client.get(f"/api/v1/money/{path}", {"limit": 1000}).json()
        assert {r[key]: r["name"] for r in rows}[party_id] == name
