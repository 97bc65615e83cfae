"""Compiled releases to rows in Python: the reference semantics of the store's tables.

The SQL path (`sql.py`) gives the same rows for releases of the shape of `shape.SPEC`; these
functions handle every other release (tests/money/test_money_store_tables.py compares both).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


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
