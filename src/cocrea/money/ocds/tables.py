"""Compiled releases to analytical rows: the OCDS tables of the money store.

Every table has ``source`` (the import's name), ``entity`` (INEGI code or null) and ``ocid``,
so tables join on ``(source, ocid)``. Amounts are float64 in their currency; dates are UTC
timestamps. Extraction is defensive (wrong types become nulls), because ``--no-validate``
imports may hold anything; validated releases never lose data here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
STR = pa.string()
F64 = pa.float64()
I64 = pa.int64()
LIST_STR = pa.list_(pa.string())

_KEYS = [("source", STR), ("entity", STR), ("ocid", STR)]


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in (*_KEYS, *fields)])


SCHEMAS: dict[str, pa.Schema] = {
    "processes": _schema(
        ("date", TS),
        ("release_count", I64),
        ("buyer_id", STR),
        ("buyer_name", STR),
        ("title", STR),
        ("description", STR),
        ("status", STR),
        ("procurement_method", STR),
        ("procurement_method_details", STR),
        ("main_procurement_category", STR),
        ("value_amount", F64),
        ("value_currency", STR),
        ("tender_start", TS),
        ("tender_end", TS),
        ("number_of_tenderers", I64),
        ("award_count", I64),
        ("contract_count", I64),
        ("awarded_amount", F64),
        ("contracted_amount", F64),
        ("paid_amount", F64),
        ("budget_id", STR),
        ("budget_project", STR),
        ("budget_project_id", STR),
        ("budget_amount", F64),
        ("budget_currency", STR),
    ),
    "parties": _schema(
        ("party_id", STR),
        ("name", STR),
        ("roles", LIST_STR),
        ("identifier_scheme", STR),
        ("identifier_id", STR),
        ("legal_name", STR),
        ("region", STR),
        ("locality", STR),
        ("country_name", STR),
    ),
    "tender": _schema(
        ("tender_id", STR),
        ("title", STR),
        ("status", STR),
        ("procurement_method", STR),
        ("procurement_method_details", STR),
        ("main_procurement_category", STR),
        ("value_amount", F64),
        ("value_currency", STR),
        ("tender_start", TS),
        ("tender_end", TS),
        ("number_of_tenderers", I64),
        ("procuring_entity_id", STR),
        ("procuring_entity_name", STR),
    ),
    "tenderers": _schema(("party_id", STR), ("name", STR)),
    "bids": _schema(
        ("bid_id", STR),
        ("date", TS),
        ("status", STR),
        ("value_amount", F64),
        ("value_currency", STR),
        ("tenderer_ids", LIST_STR),
    ),
    "awards": _schema(
        ("award_id", STR),
        ("title", STR),
        ("status", STR),
        ("date", TS),
        ("value_amount", F64),
        ("value_currency", STR),
        ("supplier_ids", LIST_STR),
        ("supplier_names", LIST_STR),
    ),
    "award_suppliers": _schema(("award_id", STR), ("supplier_id", STR), ("supplier_name", STR)),
    "contracts": _schema(
        ("contract_id", STR),
        ("award_id", STR),
        ("title", STR),
        ("status", STR),
        ("date_signed", TS),
        ("period_start", TS),
        ("period_end", TS),
        ("value_amount", F64),
        ("value_currency", STR),
    ),
    "transactions": _schema(
        ("contract_id", STR),
        ("transaction_id", STR),
        ("date", TS),
        ("amount", F64),
        ("currency", STR),
        ("payer_id", STR),
        ("payer_name", STR),
        ("payee_id", STR),
        ("payee_name", STR),
        ("source_uri", STR),
    ),
    "items": _schema(
        ("stage", STR),
        ("parent_id", STR),
        ("item_id", STR),
        ("description", STR),
        ("classification_scheme", STR),
        ("classification_id", STR),
        ("quantity", F64),
        ("unit_name", STR),
        ("unit_amount", F64),
    ),
    # The compiled release itself (JSON text), for downloads and for red flags.
    "releases": _schema(("compiled_release", STR)),
}


def _d(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _s(value: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    if type(value) in (int, float):
        return str(value)
    return None


def _f(value: Any) -> float | None:
    kind = type(value)
    if kind is float or kind is int:
        return float(value)
    if kind is str:
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    return None


def _i(value: Any) -> int | None:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


def _t(value: Any) -> datetime | None:
    if type(value) is not str or len(value) < 10:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed


def _strs(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [v for v in values if type(v) is str]


def _value(obj: dict) -> tuple[float | None, str | None]:
    value = _d(obj.get("value"))
    return _f(value.get("amount")), _s(value.get("currency"))


def _sum(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def rows(
    compiled: dict[str, Any], source: str, entity: str | None, release_count: int | None
) -> Iterator[tuple[str, tuple]]:
    """Yield ``(table, row tuple)`` for one compiled release (row in the table's column order)."""
    ocid = _s(compiled.get("ocid"))
    key = (source, entity, ocid)
    buyer = _d(compiled.get("buyer"))
    tender = _d(compiled.get("tender"))
    planning = _d(compiled.get("planning"))
    budget = _d(planning.get("budget"))
    budget_amount = _d(budget.get("amount"))
    tender_period = _d(tender.get("tenderPeriod"))
    tender_amount, tender_currency = _value(tender)
    procuring = _d(tender.get("procuringEntity"))

    for party in _l(compiled.get("parties")):
        identifier = _d(party.get("identifier"))
        address = _d(party.get("address"))
        yield (
            "parties",
            (
                *key,
                _s(party.get("id")),
                _s(party.get("name")),
                _strs(party.get("roles")),
                _s(identifier.get("scheme")),
                _s(identifier.get("id")),
                _s(identifier.get("legalName")),
                _s(address.get("region")),
                _s(address.get("locality")),
                _s(address.get("countryName")),
            ),
        )

    tenderers = _l(tender.get("tenderers"))
    number_of_tenderers = _i(tender.get("numberOfTenderers"))
    if tender:
        yield (
            "tender",
            (
                *key,
                _s(tender.get("id")),
                _s(tender.get("title")),
                _s(tender.get("status")),
                _s(tender.get("procurementMethod")),
                _s(tender.get("procurementMethodDetails")),
                _s(tender.get("mainProcurementCategory")),
                tender_amount,
                tender_currency,
                _t(tender_period.get("startDate")),
                _t(tender_period.get("endDate")),
                number_of_tenderers,
                _s(procuring.get("id")),
                _s(procuring.get("name")),
            ),
        )
    for tenderer in tenderers:
        yield "tenderers", (*key, _s(tenderer.get("id")), _s(tenderer.get("name")))
    for item in _l(tender.get("items")):
        yield "items", _item(key, "tender", _s(tender.get("id")), item)

    for bid in _l(_d(compiled.get("bids")).get("details")):
        amount, currency = _value(bid)
        yield (
            "bids",
            (
                *key,
                _s(bid.get("id")),
                _t(bid.get("date")),
                _s(bid.get("status")),
                amount,
                currency,
                [i for t in _l(bid.get("tenderers")) if (i := _s(t.get("id"))) is not None],
            ),
        )

    awards = _l(compiled.get("awards"))
    award_amounts = []
    for award in awards:
        amount, currency = _value(award)
        award_amounts.append(amount)
        suppliers = _l(award.get("suppliers"))
        award_id = _s(award.get("id"))
        yield (
            "awards",
            (
                *key,
                award_id,
                _s(award.get("title")),
                _s(award.get("status")),
                _t(award.get("date")),
                amount,
                currency,
                [_s(s.get("id")) or "" for s in suppliers],
                [_s(s.get("name")) or "" for s in suppliers],
            ),
        )
        for supplier in suppliers:
            yield (
                "award_suppliers",
                (*key, award_id, _s(supplier.get("id")), _s(supplier.get("name"))),
            )
        for item in _l(award.get("items")):
            yield "items", _item(key, "award", award_id, item)

    contracts = _l(compiled.get("contracts"))
    contract_amounts = []
    paid = []
    for contract in contracts:
        amount, currency = _value(contract)
        contract_amounts.append(amount)
        period = _d(contract.get("period"))
        contract_id = _s(contract.get("id"))
        yield (
            "contracts",
            (
                *key,
                contract_id,
                _s(contract.get("awardID")),
                _s(contract.get("title")),
                _s(contract.get("status")),
                _t(contract.get("dateSigned")),
                _t(period.get("startDate")),
                _t(period.get("endDate")),
                amount,
                currency,
            ),
        )
        for item in _l(contract.get("items")):
            yield "items", _item(key, "contract", contract_id, item)
        implementation = _d(contract.get("implementation"))
        for transaction in _l(implementation.get("transactions")):
            value = transaction.get("value")
            if not isinstance(value, dict):  # OCDS 1.0's `amount`, deprecated in 1.1
                value = transaction.get("amount")
            value = _d(value)
            amount = _f(value.get("amount"))
            paid.append(amount)
            payer = _d(transaction.get("payer"))
            payee = _d(transaction.get("payee"))
            yield (
                "transactions",
                (
                    *key,
                    contract_id,
                    _s(transaction.get("id")),
                    _t(transaction.get("date")),
                    amount,
                    _s(value.get("currency")),
                    _s(payer.get("id")),
                    _s(payer.get("name")),
                    _s(payee.get("id")),
                    _s(payee.get("name")),
                    _s(transaction.get("source")),
                ),
            )

    if number_of_tenderers is None and tenderers:
        number_of_tenderers = len(tenderers)
    yield (
        "processes",
        (
            *key,
            _t(compiled.get("date")),
            release_count,
            _s(buyer.get("id")),
            _s(buyer.get("name")),
            _s(tender.get("title")),
            _s(tender.get("description")),
            _s(tender.get("status")),
            _s(tender.get("procurementMethod")),
            _s(tender.get("procurementMethodDetails")),
            _s(tender.get("mainProcurementCategory")),
            tender_amount,
            tender_currency,
            _t(tender_period.get("startDate")),
            _t(tender_period.get("endDate")),
            number_of_tenderers,
            len(awards),
            len(contracts),
            _sum(award_amounts),
            _sum(contract_amounts),
            _sum(paid),
            _s(budget.get("id")),
            _s(budget.get("project")),
            _s(budget.get("projectID")),
            _f(budget_amount.get("amount")),
            _s(budget_amount.get("currency")),
        ),
    )
    yield "releases", (*key, orjson.dumps(compiled).decode())


def _item(key: tuple, stage: str, parent_id: str | None, item: dict) -> tuple:
    classification = _d(item.get("classification"))
    unit = _d(item.get("unit"))
    unit_value = _d(unit.get("value"))
    return (
        *key,
        stage,
        parent_id,
        _s(item.get("id")),
        _s(item.get("description")),
        _s(classification.get("scheme")),
        _s(classification.get("id")),
        _f(item.get("quantity")),
        _s(unit.get("name")),
        _f(unit_value.get("amount")),
    )
