"""What the red-flag engine reads of a release: members, bids as tuples, RFC 3339 dates."""

from __future__ import annotations

import datetime
import re
from typing import Any

import msgspec
import orjson

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
MAP_KEYS = (
    "ocid_buyer_r038",
    "ocid_procuringentity_r038",
    "ocid_tenderer",
    "ocid_tenderer_r024",
    "ocid_tenderer_r028",
    "ocid_tenderer_r030",
    "ocid_tenderer_r035",
    "ocid_tenderer_r058",
)
_NOT_SUBMITTED = frozenset({"invited", "withdrawn"})


class InputError(ValueError):
    """A line that is not JSON text, with its line number."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"línea {line}: JSON no válido ({reason})")
        self.line = line
        self.reason = reason


# A bid, read once a release: (status, tenderer ids, single tenderer id, amount, currency, date).
# status: the status if a string, else None. ids: the string ids of `tenderers` if it is an
# array, else None. single: the id if `tenderers` has exactly one entry and it has a string id.
# amount and currency: set together, if `value` has a number amount and a string currency.
# date: the `date` if a string.
STATUS, IDS, SINGLE, AMOUNT, CURRENCY, DATE = range(6)


class ReadMembers(msgspec.Struct):
    """The members of a release that the indicators read (`Engine.feed` and its steps; a
    test checks that they read no other). Decoding only these skips the rest of the text
    (parties, planning, contracts...) without building it: about half the parsing."""

    ocid: Any = None
    tender: Any = None
    bids: Any = None
    awards: Any = None
    buyer: Any = None


_decode_read_members = msgspec.json.Decoder(ReadMembers).decode
READ_MEMBERS = ReadMembers.__struct_fields__


def release_of(line: bytes):
    """The release on ``line`` as the engine reads it: a dict of `READ_MEMBERS` (absent
    members are None, which ``get`` gives for them too), or what ``orjson`` gives when the
    line is no JSON object. Only for text that orjson has read already, or wrote: msgspec
    checks the syntax of the skipped members but not all that orjson rejects (invalid UTF-8,
    numbers out of range); of repeated keys, both keep the last."""
    try:
        members = _decode_read_members(line)
    except msgspec.ValidationError:  # not an object
        return orjson.loads(line)
    return {name: getattr(members, name) for name in READ_MEMBERS}


def _digest_bids(release: dict):
    """The bids of a release as tuples (see above), or None without a `bids.details` array."""
    bids = release.get("bids")
    if type(bids) is not dict:
        return None
    details = bids.get("details")
    if type(details) is not list:
        return None
    out = []
    append = out.append
    for bid in details:
        if type(bid) is not dict:
            continue
        status = bid.get("status")
        if type(status) is not str:
            status = None
        tenderers = bid.get("tenderers")
        ids = single = None
        if type(tenderers) is list:
            ids = []
            for tenderer in tenderers:
                if type(tenderer) is dict:
                    tenderer_id = tenderer.get("id")
                    if type(tenderer_id) is str:
                        ids.append(tenderer_id)
            if len(tenderers) == 1 and ids:
                single = ids[0]
        amount = currency = None
        value = bid.get("value")
        if type(value) is dict:
            raw = value.get("amount")
            raw_currency = value.get("currency")
            if (type(raw) is int or type(raw) is float) and type(raw_currency) is str:
                amount = float(raw)
                currency = raw_currency
        date = bid.get("date")
        append((status, ids, single, amount, currency, date if type(date) is str else None))
    return out


def _submitted(digest) -> list:
    """Bids whose status is a string other than invited or withdrawn."""
    if not digest:
        return []
    return [bid for bid in digest if bid[0] is not None and bid[0] not in _NOT_SUBMITTED]


def _complete_awards(release: dict, digest):
    """The active awards, if there are awards and bids and no award is pending, else None.

    Awards whose status is not a string are ignored; a status other than active,
    cancelled or unsuccessful means the awards are not final.
    """
    if digest is None:
        return None
    awards = release.get("awards")
    if type(awards) is not list:
        return None
    complete = []
    for award in awards:
        if type(award) is dict:
            status = award.get("status")
            if type(status) is str:
                if status == "active":
                    complete.append(award)
                elif status != "cancelled" and status != "unsuccessful":
                    return None
    return complete


def _single_supplier_id(award: dict):
    suppliers = award.get("suppliers")
    if type(suppliers) is list and len(suppliers) == 1:
        supplier = suppliers[0]
        if type(supplier) is dict:
            supplier_id = supplier.get("id")
            if type(supplier_id) is str:
                return supplier_id
    return None


def _ids(objects) -> list:
    out = []
    if type(objects) is list:
        for obj in objects:
            if type(obj) is dict:
                value = obj.get("id")
                if type(value) is str:
                    out.append(value)
    return out


_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))"
)


_DAY_ONE = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
_NS_CACHE: dict[str, int | None] = {}
_NS_CACHE_SIZE = 1 << 16
_MISSING = object()


def _parse_rfc3339_ns(text: str) -> int | None:
    """Nanoseconds since 0001-01-01 UTC for an RFC 3339 date-time, or None if not one.

    Dates repeat (midnights, a buyer's usual deadlines): the results of the last texts are
    kept in a dict, emptied when full (cheaper than an LRU's bookkeeping when most miss).
    """
    ns = _NS_CACHE.get(text, _MISSING)
    if ns is _MISSING:
        if len(_NS_CACHE) >= _NS_CACHE_SIZE:
            _NS_CACHE.clear()
        ns = _NS_CACHE[text] = _rfc3339_ns(text)
    return ns


def _rfc3339_ns(text: str) -> int | None:
    match = _RFC3339.fullmatch(text)
    if match is None or not text.isascii():
        return None
    fraction, om = match.group(7, 11)
    # At most microseconds: through the C parser, which refuses what the exact way refuses
    # (and leap seconds, which the exact way then reads), except offsets of 60 minutes or more.
    if (fraction is None or len(fraction) <= 6) and (om is None or om < "60"):
        try:
            when = datetime.datetime.fromisoformat(text) - _DAY_ONE
        except (ValueError, OverflowError):
            pass
        else:
            seconds = when.days * 86400 + when.seconds + 86400
            return seconds * 1_000_000_000 + when.microseconds * 1000
    return _rfc3339_ns_exact(match)


def _rfc3339_ns_exact(match: re.Match) -> int | None:
    """`_parse_rfc3339_ns` from the groups of a match (any fraction, leap seconds...)."""
    year, month, day, hour, minute, second, fraction, zulu, sign, oh, om = match.groups()
    hour, minute, second = int(hour), int(minute), int(second)
    if hour > 23 or minute > 59 or second > 60:
        return None
    offset = 0
    if zulu is None:
        oh, om = int(oh), int(om)
        if oh > 23 or om > 59:
            return None
        offset = (oh * 3600 + om * 60) * (1 if sign == "+" else -1)
    try:
        ordinal = datetime.date(int(year), int(month), int(day)).toordinal()
    except ValueError:
        return None
    nanos = int(fraction[:9].ljust(9, "0")) if fraction else 0
    seconds = ordinal * 86400 + hour * 3600 + minute * 60 + second - offset
    return seconds * 1_000_000_000 + nanos


def _whole_days(start_ns: int, end_ns: int) -> int:
    """Whole days between two instants, truncated toward zero."""
    delta = end_ns - start_ns
    days = abs(delta) // 86_400_000_000_000
    return days if delta >= 0 else -days


def dumps(result: dict) -> bytes:
    """The result as one line of JSON (NaN and infinities become null, as in Cardinal)."""
    return orjson.dumps(result) + b"\n"
