"""Compiled releases to analytical rows: the OCDS tables of the money store.

Every table has ``source`` (the import's name), ``entity`` (INEGI code or null) and ``ocid``,
so tables join on ``(source, ocid)``. Amounts are float64 in their currency; dates are UTC
timestamps. Extraction is defensive (wrong types become nulls), because ``--no-validate``
imports may hold anything; validated releases never lose data here.

The ``flow_*`` tables are the rows of the flows tables (`cocrea.money.facts`) of each source,
derived at import time so that rebuilding the flows never parses JSON again: amounts in
cents (decimal), dates as the calendar date written in the release, the buyer's region (for
imports without ``--entity``), and ``idx``, the release's position in its import (its row in
``releases/<source>.parquet``), which tells duplicated ocids apart.

How rows are made (`Flattener`): the compiled releases are batched as JSON text and DuckDB
turns each batch into every table (``from_json`` with the typed structure `SPEC`, then SQL),
in a worker thread, while the importer reads, validates and encodes the next releases. That
is exact when a release has the shape `SPEC` describes (`shape_validator`: the fields read
have the expected JSON types, dates are ISO 8601 as DuckDB and Python read them alike); the
few releases that do not are turned into rows by the Python functions `rows` and
`flow_rows`, which define the semantics (tests/money/test_money_store_tables.py checks that
both paths agree).
"""

from __future__ import annotations

import queue
import threading
from array import array
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import accumulate
from typing import Any

import orjson
import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
STR = pa.string()
F64 = pa.float64()
I64 = pa.int64()
LIST_STR = pa.list_(pa.string())
AMOUNT = pa.decimal128(18, 2)
DATE = pa.date32()

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
    # The rows of the flows tables, per source (see the module's docstring).
    "flow_processes": _schema(
        ("idx", I64),
        ("buyer_region", STR),
        ("buyer_id", STR),
        ("buyer_name", STR),
        ("title", STR),
        ("method", STR),
        ("method_details", STR),
        ("project_id", STR),
        ("project", STR),
        ("budget_amount", AMOUNT),
        ("tender_value", AMOUNT),
        ("date", DATE),
        ("year", pa.int16()),
    ),
    "flow_awards": _schema(
        ("idx", I64),
        ("award_id", STR),
        ("status", STR),
        ("date", DATE),
        ("amount", AMOUNT),
        ("supplier_id", STR),
        ("supplier_name", STR),
    ),
    "flow_contracts": _schema(
        ("idx", I64),
        ("contract_id", STR),
        ("award_id", STR),
        ("status", STR),
        ("date_signed", DATE),
        ("amount", AMOUNT),
    ),
    "flow_transactions": _schema(
        ("idx", I64),
        ("contract_id", STR),
        ("transaction_id", STR),
        ("date", DATE),
        ("amount", AMOUNT),
        ("payee_id", STR),
        ("payee_name", STR),
    ),
}
FLOW_TABLES = [name for name in SCHEMAS if name.startswith("flow_")]


# --- The shape that DuckDB reads exactly ----------------------------------------------------
#
# Every field the tables read, with its DuckDB type: VARCHAR for texts and identifiers (a JSON
# string, or an integer, whose text is Python's), DOUBLE for amounts, BIGINT for counts, DATE
# for ISO 8601 dates (read as VARCHAR), [ {...} ] for arrays of objects.

_V = {"amount": "DOUBLE", "currency": "VARCHAR"}
_ORG = {"id": "VARCHAR", "name": "VARCHAR"}
_ITEM = {
    "id": "VARCHAR",
    "description": "VARCHAR",
    "classification": {"scheme": "VARCHAR", "id": "VARCHAR"},
    "quantity": "DOUBLE",
    "unit": {"name": "VARCHAR", "value": {"amount": "DOUBLE"}},
}
_PERIOD = {"startDate": "DATE", "endDate": "DATE"}
SPEC: dict[str, Any] = {
    "date": "DATE",
    "buyer": _ORG,
    "planning": {
        "rationale": "VARCHAR",
        "budget": {"id": "VARCHAR", "project": "VARCHAR", "projectID": "VARCHAR", "amount": _V},
    },
    "tender": {
        "id": "VARCHAR",
        "title": "VARCHAR",
        "description": "VARCHAR",
        "status": "VARCHAR",
        "procurementMethod": "VARCHAR",
        "procurementMethodDetails": "VARCHAR",
        "mainProcurementCategory": "VARCHAR",
        "value": _V,
        "tenderPeriod": _PERIOD,
        "numberOfTenderers": "BIGINT",
        "procuringEntity": _ORG,
        "tenderers": [_ORG],
        "items": [_ITEM],
    },
    "parties": [
        {
            "id": "VARCHAR",
            "name": "VARCHAR",
            "roles": ["STRING"],
            "identifier": {"scheme": "VARCHAR", "id": "VARCHAR", "legalName": "VARCHAR"},
            "address": {"region": "VARCHAR", "locality": "VARCHAR", "countryName": "VARCHAR"},
        }
    ],
    "bids": {
        "details": [
            {
                "id": "VARCHAR",
                "date": "DATE",
                "status": "VARCHAR",
                "value": _V,
                "tenderers": [{"id": "VARCHAR"}],
            }
        ]
    },
    "awards": [
        {
            "id": "VARCHAR",
            "title": "VARCHAR",
            "status": "VARCHAR",
            "date": "DATE",
            "value": _V,
            "suppliers": [_ORG],
            "items": [_ITEM],
        }
    ],
    "contracts": [
        {
            "id": "VARCHAR",
            "awardID": "VARCHAR",
            "title": "VARCHAR",
            "status": "VARCHAR",
            "dateSigned": "DATE",
            "period": _PERIOD,
            "value": _V,
            "items": [_ITEM],
            "implementation": {
                "transactions": [
                    {
                        "id": "VARCHAR",
                        "date": "DATE",
                        "value": _V,
                        "amount": _V,  # OCDS 1.0's `amount`, deprecated in 1.1
                        "payer": _ORG,
                        "payee": _ORG,
                        "source": "VARCHAR",
                    }
                ]
            },
        }
    ],
}

# Dates that DuckDB's TIMESTAMPTZ/DATE casts and Python's `datetime.fromisoformat` read alike
# (checked in the tests): years 1000-9999, hours 00-23, optional seconds and fraction,
# optional Z or offset. Others (week dates, hour 24, ...) go the Python way.
DATE_PATTERN = (
    r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}"
    r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?"
    r"(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?$"
)
_SHAPES = {
    "VARCHAR": {"type": ["string", "integer", "null"]},
    "STRING": {"type": "string"},
    "DOUBLE": {"type": ["number", "null"]},
    "BIGINT": {"type": ["integer", "null"]},
    "DATE": {"type": ["string", "null"], "pattern": DATE_PATTERN},
}


def _shape(spec: Any) -> dict[str, Any]:
    if isinstance(spec, str):
        return _SHAPES[spec]
    if isinstance(spec, list):
        item = _shape(spec[0])
        if "properties" in item:
            item = {**item, "type": "object"}  # entries are objects, never null
        return {"type": ["array", "null"], "items": item}
    return {"type": ["object", "null"], "properties": {k: _shape(v) for k, v in spec.items()}}


def _struct(spec: Any) -> Any:
    if isinstance(spec, str):
        return {"DATE": "VARCHAR", "STRING": "VARCHAR"}.get(spec, spec)
    if isinstance(spec, list):
        return [_struct(spec[0])]
    return {k: _struct(v) for k, v in spec.items()}


SHAPE_SCHEMA = {**_shape(SPEC), "type": "object"}
STRUCTURE = orjson.dumps(_struct(SPEC)).decode()


@cache
def shape_validator():
    """``is_valid(release)``: True when the SQL path reads ``release`` exactly."""
    import jsonschema_rs

    return jsonschema_rs.Draft4Validator(SHAPE_SCHEMA, offline=True)


@cache
def valid_and_shaped_validator():
    """``is_valid(release)``: valid against the OCDS 1.1 release schema (formats not asserted)
    and of the shape of `shape_validator`, in one pass over the release."""
    import jsonschema_rs

    from .schema import load_schema

    schema = {**load_schema(), "allOf": [SHAPE_SCHEMA]}
    return jsonschema_rs.Draft4Validator(schema, validate_formats=False, offline=True)


# --- The Python path (the reference semantics) ----------------------------------------------


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
    """Yield ``(table, row tuple)`` for one compiled release (row in the table's column order),
    for the store tables but ``releases`` and the ``flow_*`` ones (see `flow_rows`)."""
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


# The flows' own reading of a release (names, amounts and dates as the pages show them).

_CENT = Decimal("0.01")
_MAX = Decimal("1e16")


def _obj(value) -> dict:
    return value if type(value) is dict else {}


def _list(value) -> list:
    return [v for v in value if type(v) is dict] if type(value) is list else []


def _str(value) -> str | None:
    if value is None:
        return None
    if type(value) in (str, int):
        return str(value)
    return None


def _amount(value) -> Decimal | None:
    amount = _obj(value).get("amount")
    if type(amount) not in (int, float) or amount != amount:
        return None
    try:
        result = Decimal(str(amount)).quantize(_CENT)
    except InvalidOperation:
        return None
    return result if abs(result) < _MAX else None


def _date(value) -> date | None:
    if type(value) is not str or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def flow_rows(
    release: dict, source: str, entity: str | None, idx: int
) -> Iterator[tuple[str, tuple]]:
    """Yield ``(table, row tuple)`` of the ``flow_*`` tables for one compiled release."""
    ocid = release.get("ocid")
    if type(ocid) is not str:
        return
    key = (source, entity, ocid, idx)
    parties = {_str(p.get("id")): p for p in _list(release.get("parties"))}
    buyer = _obj(release.get("buyer"))
    buyer_id = _str(buyer.get("id"))
    buyer_party = parties.get(buyer_id, {})
    tender = _obj(release.get("tender"))
    planning = _obj(release.get("planning"))
    budget = _obj(planning.get("budget"))
    awards = _list(release.get("awards"))
    contracts = _list(release.get("contracts"))
    signed = [d for d in (_date(c.get("dateSigned")) for c in contracts) if d]
    awarded = [d for d in (_date(a.get("date")) for a in awards) if d]
    tender_date = _date(_obj(tender.get("tenderPeriod")).get("startDate"))
    when = min(signed or awarded or [d for d in [tender_date, _date(release.get("date"))] if d]
               or [None], key=lambda d: d or date.max)  # fmt: skip
    yield (
        "flow_processes",
        (
            *key,
            _str(_obj(buyer_party.get("address")).get("region")),
            buyer_id,
            _str(buyer.get("name")) or _str(buyer_party.get("name")),
            _str(tender.get("title")) or _str(planning.get("rationale")),
            _str(tender.get("procurementMethod")),
            _str(tender.get("procurementMethodDetails")),
            _str(budget.get("projectID")),
            _str(budget.get("project")),
            _amount(budget.get("amount")),
            _amount(tender.get("value")),
            when,
            when.year if when else None,
        ),
    )
    for award in awards:
        award_id = _str(award.get("id"))
        suppliers = _list(award.get("suppliers")) or [{}]
        amount = _amount(award.get("value"))
        share = (amount / len(suppliers)).quantize(_CENT) if amount is not None else None
        for supplier in suppliers:
            sid = _str(supplier.get("id"))
            yield (
                "flow_awards",
                (
                    *key,
                    award_id,
                    _str(award.get("status")),
                    _date(award.get("date")),
                    share,
                    sid,
                    _str(supplier.get("name")) or _str(parties.get(sid, {}).get("name")),
                ),
            )
    for contract in contracts:
        contract_id = _str(contract.get("id"))
        yield (
            "flow_contracts",
            (
                *key,
                contract_id,
                _str(contract.get("awardID")),
                _str(contract.get("status")),
                _date(contract.get("dateSigned")),
                _amount(contract.get("value")),
            ),
        )
        implementation = _obj(contract.get("implementation"))
        for tx in _list(implementation.get("transactions")):
            payee = _obj(tx.get("payee"))
            pid = _str(payee.get("id"))
            yield (
                "flow_transactions",
                (
                    *key,
                    contract_id,
                    _str(tx.get("id")),
                    _date(tx.get("date")),
                    _amount(tx.get("value")) or _amount(tx.get("amount")),
                    pid,
                    _str(payee.get("name")) or _str(parties.get(pid, {}).get("name")),
                ),
            )


# --- The SQL path ---------------------------------------------------------------------------

MACROS = [
    "CREATE OR REPLACE TEMP MACRO ts(v) AS TRY_CAST(v AS TIMESTAMPTZ)",
    "CREATE OR REPLACE TEMP MACRO day(v) AS TRY_CAST(left(v, 10) AS DATE)",
    # The party of a release with this id (the last one, as a dict keyed by id would keep).
    "CREATE OR REPLACE TEMP MACRO party(parties, id) AS "
    "list_filter(parties, lambda p: p.id IS NOT DISTINCT FROM id)[-1]",
    # Python's `a or b` for texts, looking b up only when needed.
    "CREATE OR REPLACE TEMP MACRO orelse(a, b) AS CASE WHEN a <> '' THEN a ELSE b END",
    # Decimal(str(x)).quantize(Decimal("0.01")) (half to even), None when |x| >= 1e16. Far
    # from a tie (x * 100 not within its rounding error of n + 0.5) the double rounds as its
    # decimal text does; otherwise the text (DuckDB's is Python's shortest one) is rounded,
    # a tie being a text that ends in a third decimal 5.
    "CREATE OR REPLACE TEMP MACRO cents(x) AS CASE "
    "WHEN x IS NULL OR isnan(x) OR abs(x) >= 1e16 THEN NULL "
    "WHEN abs(x * 100 - floor(x * 100) - 0.5) > abs(x) * 1e-12 + 1e-9 THEN "
    "  (round(x * 100)::BIGINT::DECIMAL(18, 0) * 0.01)::DECIMAL(18, 2) "
    "WHEN contains(x::VARCHAR, 'e') THEN 0::DECIMAL(18, 2) "
    "WHEN regexp_full_match(x::VARCHAR, '-?[0-9]+\\.[0-9][0-9]5') THEN "
    "  (left(x::VARCHAR, -1)::DECIMAL(18, 2) + CASE "
    "    WHEN (x::VARCHAR)[-2]::INTEGER % 2 = 0 THEN 0.00 WHEN x > 0 THEN 0.01 ELSE -0.01 END"
    "  )::DECIMAL(18, 2) "
    "ELSE round(x::VARCHAR::DECIMAL(38, 22), 2)::DECIMAL(18, 2) END",
    # (amount / n).quantize(Decimal("0.01")) for an amount with two decimals: half to even.
    "CREATE OR REPLACE TEMP MACRO share_cents(c, n) AS "
    "sign(c) * (abs(c) // n + CASE WHEN 2 * (abs(c) % n) > n THEN 1 "
    "WHEN 2 * (abs(c) % n) < n THEN 0 ELSE (abs(c) // n) % 2 END)",
    "CREATE OR REPLACE TEMP MACRO share(amount, n) AS CASE WHEN n = 1 THEN amount ELSE "
    "(share_cents((amount::DECIMAL(38, 2) * 100)::HUGEINT, n)::DECIMAL(38, 0) * 0.01)"
    "::DECIMAL(18, 2) END",
    "CREATE OR REPLACE TEMP MACRO tx_value(x) AS "
    "CASE WHEN x.value IS NOT NULL THEN x.value ELSE x.amount END",
]

_K = "$source::VARCHAR AS source, $entity::VARCHAR AS entity, ocid"
# Rows of nested arrays, in order: one level of unnest per subquery (cheaper than lambdas).
_AWARDS = "(SELECT ocid, idx, r.parties AS parties, unnest(r.awards) AS a FROM parsed)"
_CONTRACTS = "(SELECT ocid, idx, r.parties AS parties, unnest(r.contracts) AS c FROM parsed)"
_TRANSACTIONS = f"(SELECT ocid, idx, parties, c.id AS contract_id, unnest(c.implementation.transactions) AS x FROM {_CONTRACTS})"  # noqa: E501
# (table or tables, SQL): rows of each table for the batch in ``parsed``.
QUERIES: dict[str | tuple[str, ...], str] = {
    "parties": f"""
        SELECT {_K}, p.id, p.name, coalesce(p.roles, []), p.identifier.scheme, p.identifier.id,
               p.identifier.legalName, p.address.region, p.address.locality,
               p.address.countryName
        FROM (SELECT ocid, unnest(r.parties) AS p FROM parsed)""",
    "tender": f"""
        SELECT {_K}, r.tender.id, r.tender.title, r.tender.status, r.tender.procurementMethod,
               r.tender.procurementMethodDetails, r.tender.mainProcurementCategory,
               r.tender.value.amount, r.tender.value.currency,
               ts(r.tender.tenderPeriod.startDate), ts(r.tender.tenderPeriod.endDate),
               r.tender.numberOfTenderers, r.tender.procuringEntity.id,
               r.tender.procuringEntity.name
        FROM parsed WHERE has_tender""",
    "tenderers": f"""
        SELECT {_K}, t.id, t.name FROM (SELECT ocid, unnest(r.tender.tenderers) AS t FROM parsed)""",
    # In the order of the Python path: per release, the tender's, awards' and contracts' items.
    "items": f"""
        SELECT {_K}, stage, parent_id, it.id, it.description, it.classification.scheme,
               it.classification.id, it.quantity, it.unit.name, it.unit.value.amount
        FROM (
            SELECT ocid, idx, 0 AS s, 0 AS p, 'tender' AS stage, r.tender.id AS parent_id,
                   unnest(r.tender.items) AS it, generate_subscripts(r.tender.items, 1) AS i
            FROM parsed
            UNION ALL
            SELECT ocid, idx, 1, p, 'award', a.id, unnest(a.items), generate_subscripts(a.items, 1)
            FROM (SELECT ocid, idx, unnest(r.awards) AS a, generate_subscripts(r.awards, 1) AS p
                  FROM parsed)
            UNION ALL
            SELECT ocid, idx, 2, p, 'contract', c.id, unnest(c.items),
                   generate_subscripts(c.items, 1)
            FROM (SELECT ocid, idx, unnest(r.contracts) AS c,
                         generate_subscripts(r.contracts, 1) AS p FROM parsed)
        ) ORDER BY idx, s, p, i""",
    "bids": f"""
        SELECT {_K}, b.id, ts(b.date), b.status, b.value.amount, b.value.currency,
               list_filter(list_transform(coalesce(b.tenderers, []), lambda t: t.id),
                           lambda i: i IS NOT NULL)
        FROM (SELECT ocid, unnest(r.bids.details) AS b FROM parsed)""",
    "awards": f"""
        SELECT {_K}, a.id, a.title, a.status, ts(a.date), a.value.amount, a.value.currency,
               list_transform(coalesce(a.suppliers, []), lambda s: coalesce(s.id, '')),
               list_transform(coalesce(a.suppliers, []), lambda s: coalesce(s.name, ''))
        FROM {_AWARDS}""",
    "award_suppliers": f"""
        SELECT {_K}, a.id, s.id, s.name
        FROM (SELECT ocid, a, unnest(a.suppliers) AS s FROM {_AWARDS})""",
    # Rows of two tables from one query when they have the same rows (split by columns).
    ("contracts", "flow_contracts"): f"""
        SELECT {_K}, c.id, c.awardID, c.title, c.status, ts(c.dateSigned),
               ts(c.period.startDate), ts(c.period.endDate), c.value.amount, c.value.currency,
               {_K}, idx, c.id, c.awardID, c.status, day(c.dateSigned), cents(c.value.amount)
        FROM {_CONTRACTS}""",
    ("transactions", "flow_transactions"): f"""
        SELECT {_K}, contract_id, x.id, ts(x.date), tx_value(x).amount, tx_value(x).currency,
               x.payer.id, x.payer.name, x.payee.id, x.payee.name, x.source,
               {_K}, idx, contract_id, x.id, day(x.date),
               CASE WHEN value <> 0 THEN value ELSE amount END, x.payee.id,
               orelse(x.payee.name, party(parties, x.payee.id).name)
        FROM (SELECT *, cents(x.value.amount) AS value, cents(x.amount.amount) AS amount
              FROM {_TRANSACTIONS})""",
    ("processes", "flow_processes"): f"""
        SELECT {_K}, ts(r.date), release_count, r.buyer.id, r.buyer.name, r.tender.title,
               r.tender.description, r.tender.status, r.tender.procurementMethod,
               r.tender.procurementMethodDetails, r.tender.mainProcurementCategory,
               r.tender.value.amount, r.tender.value.currency,
               ts(r.tender.tenderPeriod.startDate), ts(r.tender.tenderPeriod.endDate),
               coalesce(r.tender.numberOfTenderers,
                        nullif(len(coalesce(r.tender.tenderers, [])), 0)),
               len(coalesce(r.awards, [])), len(coalesce(r.contracts, [])),
               list_sum(list_transform(r.awards, lambda a: a.value.amount)),
               list_sum(list_transform(r.contracts, lambda c: c.value.amount)),
               list_sum(flatten(list_transform(r.contracts, lambda c: list_transform(
                   c.implementation.transactions, lambda x: tx_value(x).amount)))),
               r.planning.budget.id, r.planning.budget.project, r.planning.budget.projectID,
               r.planning.budget.amount.amount, r.planning.budget.amount.currency,
               {_K}, idx, bp.address.region, r.buyer.id, orelse(r.buyer.name, bp.name),
               orelse(r.tender.title, r.planning.rationale), r.tender.procurementMethod,
               r.tender.procurementMethodDetails, r.planning.budget.projectID,
               r.planning.budget.project, cents(r.planning.budget.amount.amount),
               cents(r.tender.value.amount), day_when, year(day_when)::SMALLINT
        FROM (SELECT *, party(r.parties, r.buyer.id) AS bp, coalesce(
                list_min(list_transform(r.contracts, lambda c: day(c.dateSigned))),
                list_min(list_transform(r.awards, lambda a: day(a.date))),
                least(day(r.tender.tenderPeriod.startDate), day(r.date))) AS day_when
              FROM parsed)""",
    # Macros nest (share of cents): amounts are computed in a subquery first, so that each
    # appears once in the plan (planning nested macros costs more than running them).
    "flow_awards": f"""
        SELECT source, entity, ocid, idx, award_id, status, date, share(amount, n),
               supplier_id, supplier_name
        FROM (SELECT {_K}, idx, a.id AS award_id, a.status, day(a.date) AS date,
                     cents(a.value.amount) AS amount,
                     greatest(len(coalesce(a.suppliers, [])), 1) AS n, s.id AS supplier_id,
                     orelse(s.name, party(parties, s.id).name) AS supplier_name
              FROM (SELECT ocid, idx, parties, a, unnest(
                      CASE WHEN len(coalesce(a.suppliers, [])) = 0 THEN [NULL]
                      ELSE a.suppliers END) AS s FROM {_AWARDS}))""",
}


def _strings(texts: list[bytes]) -> pa.Array:
    """A string array of UTF-8 texts, built from their concatenation (much faster than
    `pyarrow.array` on a list of long texts)."""
    offsets = array("i", [0])
    offsets.extend(accumulate(map(len, texts)))
    data = pa.py_buffer(b"".join(texts))
    strings = pa.StringArray.from_buffers(len(texts), pa.py_buffer(offsets), data)
    strings.validate(full=True)  # UTF-8
    return strings


# --- Batches --------------------------------------------------------------------------------

# Batches of JSON text: the first ones small (the worker starts soon), then bigger (each
# batch costs DuckDB some planning), at most BATCH_BYTES (memory).
FIRST_BATCH_BYTES = 4 << 20
BATCH_BYTES = 16 << 20
TEXTS_CHUNK_BYTES = 1 << 20  # of JSON text handed to ``on_texts`` at a time
WORKERS = 2  # DuckDB connections turning batches into tables


class Flattener:
    """Write the rows of compiled releases into ``writers`` ({table: writer}; a writer has
    ``write(pyarrow.Table)`` and ``add(row tuple)``, see `cocrea.money.store.TableWriter`).

    `add` is called from one thread; batches are turned into Arrow tables by DuckDB in
    `WORKERS` threads and written in order by another (a few batches in flight at most, so
    memory stays bounded). Call `close` at the end (it raises a worker's error, if any) or
    `abort`. ``on_texts(texts)``, if given, is called
    by the thread that calls `add` with the JSON texts of the releases, in order, about a
    MiB at a time (the red flags).
    """

    def __init__(
        self, writers: dict, source: str, entity: str | None, threads: int = 1, on_texts=None
    ):
        self.writers = writers
        self.on_texts = on_texts
        self._out: list[bytes] = []
        self._out_bytes = 0
        self.limit = min(FIRST_BATCH_BYTES, BATCH_BYTES)
        self.source = source
        self.entity = entity
        self.threads = threads
        self.shape = shape_validator().is_valid
        self.idx = 0
        self.error: BaseException | None = None
        self._stop = False
        self._new_batch()
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._batches = 0
        self._ready: dict[int, list | None] = {}  # batch number -> its tables, to write
        self._done = threading.Condition()
        self._running = WORKERS
        self._workers = [
            threading.Thread(target=self._work, name=f"flattener-{i}", daemon=True)
            for i in range(WORKERS)
        ]
        for thread in self._workers:
            thread.start()
        self._writer = threading.Thread(target=self._write, name="flattener-writer", daemon=True)
        self._writer.start()

    def _new_batch(self) -> None:
        self.start = self.idx
        self.ocids: list[str] = []
        self.texts: list[bytes] = []
        self.release_counts: list[int | None] = []
        self.tenders: list[bool] = []
        self.plain: list[bool] = []
        self.slow: list[tuple[int, bytes, int | None]] = []
        self.bytes = 0

    def add(
        self,
        compiled: dict,
        release_count: int | None = None,
        text: bytes | None = None,
        plain: bool | None = None,
    ):
        """One compiled release (its ``ocid`` a string); ``text`` its JSON (UTF-8), and
        ``plain`` whether it has the shape of `shape_validator`, if known."""
        if text is None:
            text = orjson.dumps(compiled)
        if plain is None:
            plain = self.shape(compiled)
        if not plain:
            self.slow.append((self.idx, text, release_count))
        tender = compiled.get("tender")
        self.ocids.append(compiled["ocid"])
        self.texts.append(text)
        self.release_counts.append(release_count)
        self.tenders.append(isinstance(tender, dict) and len(tender) > 0)
        self.plain.append(plain)
        self.idx += 1
        self.bytes += len(text)
        if self.on_texts is not None:
            self._out.append(text)
            self._out_bytes += len(text)
            if self._out_bytes >= TEXTS_CHUNK_BYTES:
                self._flush_texts()
        if self.bytes >= self.limit:
            self.limit = min(self.limit * 2, BATCH_BYTES)
            self._submit()

    def _flush_texts(self) -> None:
        if self._out:
            self.on_texts(self._out)
        self._out = []
        self._out_bytes = 0

    def _submit(self) -> None:
        if self.error is not None:
            raise self.error
        if self.ocids:
            batch = (
                self.start,
                self.ocids,
                self.texts,
                self.release_counts,
                self.tenders,
                self.plain,
                self.slow,
            )
            self._queue.put((self._batches, batch))
            self._batches += 1
        self._new_batch()

    def close(self) -> None:
        """Write what is left and wait for the workers; raise their error, if any."""
        try:
            if self.on_texts is not None:
                self._flush_texts()
            self._submit()
        finally:
            self._join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        with self._done:
            self._stop = True
            self._done.notify_all()
        self._new_batch()
        self._join()

    def _join(self) -> None:
        for _ in self._workers:
            self._queue.put(None)
        for thread in self._workers:
            thread.join()
        self._writer.join()

    # -- workers: DuckDB turns batches into Arrow tables (two at a time, so that the last
    # ones use both cores); writer: Parquet, in the order of the batches

    def _work(self) -> None:
        con = None
        try:
            while True:
                with self._done:
                    # Not too far ahead of the writer: memory stays bounded.
                    while len(self._ready) >= WORKERS and self.error is None and not self._stop:
                        self._done.wait()
                item = self._queue.get()
                if item is None:
                    break
                number, batch = item
                results = None
                if not self._stop and self.error is None:
                    try:
                        if con is None:
                            con = self._connect()
                        results = self._rows(con, *batch)
                    except BaseException as e:  # noqa: BLE001 - handed to the caller
                        self.error = e
                with self._done:
                    self._ready[number] = results
                    self._done.notify_all()
        finally:
            with self._done:
                self._running -= 1
                self._done.notify_all()
            if con is not None:
                con.close()

    def _write(self) -> None:
        writers = self.writers
        number = 0
        while True:
            with self._done:
                while number not in self._ready and self._running > 0:
                    self._done.wait()
                if number not in self._ready:
                    return
                results = self._ready.pop(number)
                self._done.notify_all()
            number += 1
            if results is None or self._stop or self.error is not None:
                continue
            try:
                for name, data in results:
                    if isinstance(data, pa.Table):
                        writers[name].write(data)
                    else:
                        for row in data:
                            writers[name].add(row)
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                self.error = e

    def _connect(self):
        import duckdb

        con = duckdb.connect(":memory:")
        con.execute(f"SET threads = {int(self.threads)}")
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        for macro in MACROS:
            con.execute(macro)
        return con

    def _rows(self, con, start, ocids, texts, release_counts, tenders, plain, slow) -> list:
        """[(table, Arrow table or row tuples)] for one batch."""
        n = len(ocids)
        writers = self.writers
        out: list = []
        keys = {
            "source": pa.array([self.source] * n, STR),
            "entity": pa.array([self.entity] * n, STR),
            "ocid": pa.array(ocids, STR),
        }
        compiled = _strings(texts)
        if "releases" in writers:
            out.append(("releases", pa.table({**keys, "compiled_release": compiled})))
        batch = pa.table(
            {
                "idx": pa.array(range(start, start + n), I64),
                "ocid": keys["ocid"],
                "release_count": pa.array(release_counts, I64),
                "has_tender": pa.array(tenders, pa.bool_()),
                "plain": pa.array(plain, pa.bool_()),
                "compiled_release": compiled,
            }
        )
        con.register("batch", batch)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE parsed AS SELECT idx, ocid, release_count, "
            f"has_tender, from_json(compiled_release, '{STRUCTURE}') AS r FROM batch "
            "WHERE plain"
        )
        con.unregister("batch")
        params = {"source": self.source, "entity": self.entity}
        for names, sql in QUERIES.items():
            if isinstance(names, str):
                names = (names,)
            if not any(name in writers for name in names):
                continue
            result = con.sql(sql, params=params).to_arrow_table()
            at = 0
            for name in names:
                width = len(SCHEMAS[name])
                if name in writers:
                    columns = result.columns[at : at + width]
                    out.append((name, pa.Table.from_arrays(columns, names=SCHEMAS[name].names)))
                at += width
        python: dict[str, list[tuple]] = {}
        for idx, text, release_count in slow:
            # As stored: the JSON text (in memory, compiled releases may hold list subclasses).
            release = orjson.loads(text)
            for name, row in rows(release, self.source, self.entity, release_count):
                python.setdefault(name, []).append(row)
            for name, row in flow_rows(release, self.source, self.entity, idx):
                python.setdefault(name, []).append(row)
        out += [(name, found) for name, found in python.items() if name in writers]
        return out
