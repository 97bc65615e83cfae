"""A supplier or buyer named differently in different processes: the lists of an entity's
page show the least of its names in the page's processes, the same every time (they used to
show any of them, as DuckDB's threads found them first)."""

from __future__ import annotations

from collections import Counter

import pytest
from money_demo_fixture import load_demo_reimporting_morelos

from cocrea.money import selectors


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
    """Rename Morelos's supplier with the greatest awarded value ``ZZZ Proveedor`` in its
    first process and ``AAA Proveedor`` in the others, and the buyer of that process
    likewise in its own processes; return the two ids."""
    awarded = Counter()
    for release in morelos:
        for award in release.get("awards", []):
            if award.get("status") == "active":
                for supplier in award.get("suppliers", []):
                    awarded[supplier["id"]] += award.get("value", {}).get("amount") or 0
    supplier_id = awarded.most_common(1)[0][0]
    buyer_id = None
    seen = {"supplier": 0, "buyer": 0}
    for release in morelos:
        suppliers = {s["id"] for a in release.get("awards", []) for s in a.get("suppliers", [])}
        if supplier_id in suppliers:
            buyer_id = buyer_id or release["buyer"]["id"]
            _rename(release, supplier_id, "AAA Proveedor" if seen["supplier"] else "ZZZ Proveedor")
            seen["supplier"] += 1
    for release in morelos:
        if release["buyer"]["id"] == buyer_id:
            _rename(release, buyer_id, "AAA Comprador" if seen["buyer"] else "ZZZ Comprador")
            seen["buyer"] += 1
    assert seen["supplier"] > 1 and seen["buyer"] > 1
    return supplier_id, buyer_id


@pytest.mark.django_db
def test_entity_lists_show_the_least_of_a_partys_names(settings, tmp_path, reference):
    found = {}

    def change(morelos):
        found["ids"] = _two_names(morelos)
        return morelos

    load_demo_reimporting_morelos(settings, tmp_path, reference, change)
    supplier_id, buyer_id = found["ids"]
    for _ in range(3):  # the same every time
        page = selectors.entity_page(reference["17"], None)
        suppliers = {s["supplier_id"]: s["supplier_name"] for s in page["suppliers"]}
        assert suppliers[supplier_id] == "AAA Proveedor"
        buyers = {b["buyer_id"]: b["buyer_name"] for b in page["buyers"]}
        assert buyers[buyer_id] == "AAA Comprador"
