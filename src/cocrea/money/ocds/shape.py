"""The shape of a compiled release that DuckDB reads exactly (`SPEC`), and its validators.

`cocrea.money.ocds.tables` turns releases of this shape into rows with SQL (`sql.py`); the
others go through the Python functions of `rows.py`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson

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
