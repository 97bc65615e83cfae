"""FollowTheMoney out: the contracting data as FtM entities, one JSON object per line.

Buyers are `PublicBody`; suppliers and payees `Company` when their RFC is a company's
(persona moral: 12 characters) or their name carries a company's legal form (S.A. de C.V.,
S. de R.L., ...), `Organization` otherwise; the identifier of the ``MX-RFC`` scheme is their
`taxNumber`; each contracting process is a `Contract` (the tender, by the buyer), each signed
contract another `Contract`; awards are `ContractAward` (supplier → the signed contract of
the award, else the process) and payments `Payment` (the buyer pays the payee). Entities are
built with the followthemoney library; references point to entities of the same output.
Organisations only: no contact points, no people's data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson
from followthemoney import model

from cocrea.money.web import opendata

DATASET = "cocrea"
RFC_MORAL = re.compile(r"^[A-ZÑ&]{3}\d{6}[A-Z\d]{3}$")
LEGAL_FORM = re.compile(
    r"\b(S\.?\s?A\.?(\s?P\.?\s?I\.?)?(\s?de\s?C\.?\s?V\.?)?|S\.?\s?de\s?R\.?\s?L\.?|S\.?\s?C\.?)\s*$",
    re.IGNORECASE,
)


def _rfc(party_id: str | None) -> str | None:
    """The RFC in an identifier of the MX-RFC scheme ("MX-RFC-<RFC>")."""
    if not party_id or not party_id.startswith("MX-RFC-"):
        return None
    return party_id.removeprefix("MX-RFC-").upper() or None


def _supplier_schema(party_id: str, name: str | None) -> str:
    rfc = _rfc(party_id)
    if (rfc and RFC_MORAL.match(rfc)) or (name and LEGAL_FORM.search(name)):
        return "Company"
    return "Organization"


def _id(kind: str, *keys) -> str:
    entity = model.make_entity("Thing")
    entity.make_id(DATASET, kind, *[str(k) for k in keys])
    return entity.id


def _line(entity) -> bytes:
    return orjson.dumps(entity.to_dict()) + b"\n"


def _amount(value) -> str | None:
    return None if value is None else f"{value}"


def _party(schema: str, party_id: str, name: str | None):
    entity = model.make_entity(schema)
    entity.id = _id("party", party_id)
    entity.add("name", name or party_id)
    entity.add("country", "mx")
    entity.add("registrationNumber", party_id)
    rfc = _rfc(party_id)
    if rfc:
        entity.add("taxNumber", rfc)
    return entity


def entities(filters: dict | None = None) -> Iterator:
    """Every FtM entity of the slice (filters: entity, year), parties last."""
    filters = filters or {}
    buyers: dict[str, str | None] = {}
    suppliers: dict[str, str | None] = {}
    process_buyer: dict[str, str] = {}
    process_ids = set()
    for row in opendata.stream("procesos", filters):
        p = dict(zip(opendata.PROCESSES.columns, row, strict=True))
        if p["ocid"] in process_ids:
            continue
        contract = model.make_entity("Contract")
        contract.id = _id("process", p["ocid"])
        contract.add("title", p["title"] or p["ocid"])
        contract.add("procedureNumber", p["ocid"])
        contract.add("method", p["method_details"] or p["method"])
        contract.add("amount", _amount(p["tender_value"]))
        contract.add("contractDate", p["date"])
        contract.add("country", "mx")
        if p["buyer_id"]:
            buyers.setdefault(p["buyer_id"], p["buyer_name"])
            contract.add("authority", _id("party", p["buyer_id"]))
            process_buyer[p["ocid"]] = p["buyer_id"]
        process_ids.add(p["ocid"])
        yield contract
    award_contract: dict[tuple[str, str], str] = {}
    signed: set[tuple[str, str]] = set()
    for row in opendata.stream("contratos", filters):
        c = dict(zip(opendata.CONTRACTS.columns, row, strict=True))
        if c["ocid"] not in process_ids or (c["ocid"], c["contract_id"]) in signed:
            continue
        contract = model.make_entity("Contract")
        contract.id = _id("contract", c["ocid"], c["contract_id"])
        contract.add("title", f"{c['contract_id']} ({c['ocid']})")
        contract.add("procedureNumber", c["ocid"])
        contract.add("status", c["status"])
        contract.add("contractDate", c["date_signed"])
        contract.add("amount", _amount(c["amount"]))
        contract.add("country", "mx")
        buyer = process_buyer.get(c["ocid"])
        if buyer:
            contract.add("authority", _id("party", buyer))
        signed.add((c["ocid"], c["contract_id"]))
        if c["award_id"]:
            award_contract.setdefault((c["ocid"], c["award_id"]), contract.id)
        yield contract
    for row in opendata.stream("adjudicaciones", filters):
        a = dict(zip(opendata.AWARDS.columns, row, strict=True))
        if not a["supplier_id"] or a["ocid"] not in process_ids:
            continue
        suppliers.setdefault(a["supplier_id"], a["supplier_name"])
        award = model.make_entity("ContractAward")
        award.id = _id("award", a["ocid"], a["award_id"], a["supplier_id"])
        award.add("supplier", _id("party", a["supplier_id"]))
        target = award_contract.get((a["ocid"], a["award_id"])) or _id("process", a["ocid"])
        award.add("contract", target)
        award.add("amount", _amount(a["amount"]))
        award.add("date", a["date"])
        award.add("status", a["status"])
        award.add("documentNumber", a["award_id"])
        yield award
    for row in opendata.stream("pagos", filters):
        t = dict(zip(opendata.PAYMENTS.columns, row, strict=True))
        buyer = process_buyer.get(t["ocid"])
        if not buyer or not t["payee_id"] or t["ocid"] not in process_ids:
            continue
        suppliers.setdefault(t["payee_id"], t["payee_name"])
        payment = model.make_entity("Payment")
        payment.id = _id("payment", t["ocid"], t["contract_id"], t["transaction_id"])
        payment.add("payer", _id("party", buyer))
        payment.add("beneficiary", _id("party", t["payee_id"]))
        payment.add("amount", _amount(t["amount"]))
        payment.add("date", t["date"])
        key = (t["ocid"], t["contract_id"])
        signed_id = _id("contract", *key) if key in signed else _id("process", t["ocid"])
        payment.add("contract", signed_id)
        yield payment
    for party_id, name in buyers.items():
        yield _party("PublicBody", party_id, name)
    for party_id, name in suppliers.items():
        if party_id in buyers:
            continue
        yield _party(_supplier_schema(party_id, name), party_id, name)


def lines(filters: dict | None = None) -> Iterator[bytes]:
    for entity in entities(filters):
        yield _line(entity)
