"""The red-flag engine: compiled releases in, Cardinal-compatible results out.

One pass over the lines does all the per-process work and accumulates, per organization,
the counts that the outlier indicators need. Only R024 and R058 (price close to / far from
the winning bid) need to know, for a process, whether its ratio is beyond a fence computed
from all processes: the first pass keeps just the ratio and the byte offset of its line
(16 bytes a process), and a short second pass re-reads only the lines beyond the fence.
Standard input is spooled to a temporary file for that second pass, when it is needed.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import sys
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO

import msgspec
import orjson

from . import stats
from .settings import CODES, Settings, split_pipes

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


# --- The engine ---------------------------------------------------------------------------


class Engine:
    """Accumulates indicator state release by release; `finish()` returns the results."""

    def __init__(self, settings: Settings, *, map: bool = False):
        self.settings = settings
        self.map = map
        enabled = settings.enabled
        self.enabled = enabled
        self.results: dict[str, dict[str, dict[str, float]]] = {g: {} for g in GROUPS}
        self.meta: dict[str, dict[str, float]] = {}
        self.maps: dict[str, dict] = {key: {} for key in MAP_KEYS}
        self.currency: str | None = None
        self.lines = 0
        self.releases = 0
        self.skipped_not_object = 0

        self.exclude_pmd = split_pipes(settings.exclusions.get("procurement_method_details"))
        self.price_include = split_pipes(settings.price_comparison_procurement_methods)
        self.price_exclude = split_pipes(settings.no_price_comparison_procurement_methods)

        get = settings.get
        self.r003_threshold = get("R003", "threshold", 15)
        self.r003_methods = split_pipes(get("R003", "procurement_methods"))
        self.r003_details = settings.r003_procurement_method_details
        r018_methods = get("R018", "procurement_methods")
        self.r018_methods = split_pipes("open|selective" if r018_methods is None else r018_methods)
        self.r024_threshold = get("R024", "threshold")
        self.r025_percentile = get("R025", "percentile", 75)
        self.r025_threshold = get("R025", "threshold")
        self.r058_threshold = get("R058", "threshold")
        self.r035_threshold = max(get("R035", "threshold", 1), 1)
        self.r038_threshold = get("R038", "threshold")
        self.r038_min_bids = get("R038", "minimum_submitted_bids", 2)
        self.r038_min_processes = get("R038", "minimum_contracting_processes", 2)
        self.r048_digits = get("R048", "digits", 2)
        self.r048_threshold = get("R048", "threshold")
        self.r048_min_processes = get("R048", "minimum_contracting_processes", 20)

        # Accumulators.
        self.ratio_values = array("d")  # R024/R058: (second-lowest - winner) / winner
        self.ratio_offsets = array("q")  # byte offset of the line of each ratio
        # Without lines to re-read (releases given as objects): (ocid, winner, runner-up).
        self.ratio_keys: list[tuple[str, str, str]] = []
        self.r025: dict[str, list[int]] = {}  # tenderer -> [wins, valid bids]
        self.r038_buyer: dict[str, list[int]] = {}  # -> [disqualified, submitted]
        self.r038_procuring_entity: dict[str, list[int]] = {}
        self.r038_tenderer: dict[str, list[int]] = {}
        self.r048: dict[str, list] = {}  # supplier -> [processes, set of codes]

        # The per-release steps, in Cardinal's order.
        steps = []
        if map and enabled & {"R025", "R038", "R048"}:
            steps.append(self._map_tenderers)
        self.needs_ratios = bool(enabled & {"R024", "R058"})
        if self.needs_ratios:
            steps.append(self._second_lowest_bid_ratio)
        for code in CODES:
            if code in enabled:
                method = getattr(self, f"_fold_{code.lower()}", None)
                if method is not None:
                    steps.append(method)
        self.steps = steps
        self.need_submitted = bool(enabled & {"R028", "R036", "R038"}) or (
            map and bool(enabled & {"R025", "R038", "R048"})
        )
        self.need_complete = bool(enabled & {"R024", "R058", "R025", "R035"})
        self.need_bids = self.need_submitted or self.need_complete or "R030" in enabled
        self._digest = None
        self._pending: dict[str, float] = {}  # OCID results of the current release
        self._ocid_spool = None
        self._ocid_spooled = 0
        self._submitted: list = []
        self._complete = None
        self._sole_supplier = None
        self.need_price = bool(enabled & {"R024", "R058", "R028", "R036"})
        self._price_ok = True

    # -- bookkeeping

    def _set(self, group: str, key: str, code: str, value: float) -> None:
        entry = self.results[group].get(key)
        if entry is None:
            self.results[group][key] = {code: value}
        else:
            entry[code] = value

    def _map_add(self, name: str, ocid: str, tenderer_id: str) -> None:
        self.maps[name].setdefault(ocid, set()).add(tenderer_id)

    def _price_comparable(self, tender) -> bool:
        """Cardinal's rule for `[no_]price_comparison_procurement_methods`."""
        details = tender.get("procurementMethodDetails") if type(tender) is dict else None
        if type(details) is str:
            if not self.price_include:
                return details not in self.price_exclude
            return details in self.price_include
        return not self.price_include

    def _currency_matches(self, currency: str) -> bool:
        if self.currency is None:
            self.currency = (
                self.settings.currency if self.settings.currency is not None else currency
            )
        return currency == self.currency

    # -- input

    def feed_line(self, line: bytes, number: int, offset: int = -1) -> None:
        """Process one line of input (blank lines are skipped, as Cardinal does)."""
        self.lines = number
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            if not line.strip():
                return
            raise InputError(number, str(exc)) from None
        if type(value) is not dict:
            self.skipped_not_object += 1
            return
        self.feed(value, offset)

    def feed(self, release: dict, offset: int = -1) -> None:
        ocid = release.get("ocid")
        if type(ocid) is not str:
            return
        tender = release.get("tender")
        if type(tender) is dict:
            if tender.get("status") == "cancelled":
                return
            if self.exclude_pmd:
                details = tender.get("procurementMethodDetails")
                if type(details) is str and details in self.exclude_pmd:
                    return
        self.releases += 1
        # What several indicators read, read once a release.
        if self.need_bids:
            digest = self._digest = _digest_bids(release)
            if self.need_submitted:
                self._submitted = _submitted(digest)
            if self.need_complete:
                complete = self._complete = _complete_awards(release, digest)
                # The sole supplier of the sole active award (R024, R058, R025).
                self._sole_supplier = (
                    _single_supplier_id(complete[0])
                    if complete is not None and len(complete) == 1
                    else None
                )
        if self.need_price:
            self._price_ok = self._price_comparable(tender)
        for step in self.steps:
            step(release, ocid, tender, offset)
        if self._pending:
            self._spool_ocid(ocid)

    def _spool_ocid(self, ocid: str) -> None:
        """Keep a process's results on disk, so memory does not grow with flagged processes."""
        if self._ocid_spool is None:
            self._ocid_spool = tempfile.TemporaryFile()  # noqa: SIM115
        self._ocid_spool.write(orjson.dumps((ocid, self._pending)) + b"\n")
        self._ocid_spooled += 1
        self._pending = {}

    # -- shared steps

    def _map_tenderers(self, release, ocid, tender, offset) -> None:
        for bid in self._submitted:
            if bid[IDS]:
                for tenderer_id in bid[IDS]:
                    self._map_add("ocid_tenderer", ocid, tenderer_id)

    def _winner_and_runner_up(self, release, tender, digest=False, supplier_id=None):
        """(ratio, winner, lowest non-winner) if the winning bid is the lowest valid bid.

        Without `digest`, reads the release (second pass); with it, `supplier_id` is the sole
        supplier of the sole active award, and price comparison was already checked.
        """
        if digest is False:
            if not self._price_comparable(tender):
                return None
            digest = _digest_bids(release)
            complete = _complete_awards(release, digest)
            if complete is None or len(complete) != 1:
                return None
            supplier_id = _single_supplier_id(complete[0])
        if supplier_id is None:
            return None
        winner = winner_amount = loser = loser_amount = None
        for status, _, tenderer_id, amount, currency, _ in digest:
            if status != "valid" or amount is None or tenderer_id is None:
                continue
            if not self._currency_matches(currency):
                continue
            if tenderer_id == supplier_id:
                # If the winner submitted several bids, its lowest counts.
                if winner_amount is None or amount < winner_amount:
                    winner, winner_amount = tenderer_id, amount
            elif loser_amount is None or amount < loser_amount:
                loser, loser_amount = tenderer_id, amount
        if winner is None or loser is None or not loser_amount >= winner_amount:
            return None
        return stats.divide(loser_amount - winner_amount, winner_amount), winner, loser

    def _second_lowest_bid_ratio(self, release, ocid, tender, offset) -> None:
        if not self._price_ok:
            return
        found = self._winner_and_runner_up(release, tender, self._digest, self._sole_supplier)
        if found is not None:
            self.ratio_values.append(found[0])
            if offset >= 0:
                self.ratio_offsets.append(offset)
            else:
                self.ratio_keys.append((ocid, found[1], found[2]))

    # -- indicators computed release by release

    def _fold_r003(self, release, ocid, tender, offset) -> None:
        if type(tender) is not dict:
            return
        if self.r003_methods:
            method = tender.get("procurementMethod")
            if type(method) is not str or method not in self.r003_methods:
                return
        period = tender.get("tenderPeriod")
        if type(period) is not dict:
            return
        start, end = period.get("startDate"), period.get("endDate")
        if type(start) is not str or type(end) is not str:
            return
        start_ns, end_ns = _parse_rfc3339_ns(start), _parse_rfc3339_ns(end)
        if start_ns is None or end_ns is None:
            return
        details = tender.get("procurementMethodDetails")
        threshold = self.r003_threshold
        if type(details) is str and details in self.r003_details:
            threshold = self.r003_details[details]
        if _whole_days(start_ns, end_ns) < threshold:
            self._pending["R003"] = 1.0

    def _fold_r018(self, release, ocid, tender, offset) -> None:
        if type(tender) is not dict:
            return
        if self.r018_methods:
            method = tender.get("procurementMethod")
            if type(method) is not str or method not in self.r018_methods:
                return
        number = tender.get("numberOfTenderers")
        if type(number) is int and number == 1:
            self._pending["R018"] = 1.0

    def _fold_r025(self, release, ocid, tender, offset) -> None:
        supplier_id = self._sole_supplier
        if supplier_id is None:
            return
        # Each tenderer counts once a process, whatever its number of valid bids.
        valid = {bid[SINGLE] for bid in self._digest if bid[STATUS] == "valid" and bid[SINGLE]}
        table = self.r025
        for tenderer_id in valid:
            counts = table.get(tenderer_id)
            if counts is None:
                table[tenderer_id] = counts = [0, 0]
            if tenderer_id == supplier_id:
                counts[0] += 1
            counts[1] += 1

    def _fold_r028(self, release, ocid, tender, offset) -> None:
        if not self._price_ok:
            return
        prices: dict = {}
        for _, ids, _, amount, currency, _ in self._submitted:
            if not ids or amount is None:
                continue
            ids = frozenset(ids)
            price = (amount, currency)
            other = prices.get(price)
            # A tenderer may submit several bids at the same price.
            if other is not None and ids != other:
                self._pending["R028"] = 1.0
                for tenderer_id in (*ids, *other):
                    self._set("Tenderer", tenderer_id, "R028", 1.0)
                    if self.map:
                        self._map_add("ocid_tenderer_r028", ocid, tenderer_id)
            prices[price] = ids

    def _fold_r030(self, release, ocid, tender, offset) -> None:
        digest = self._digest
        if digest is None or type(tender) is not dict:
            return
        period = tender.get("tenderPeriod")
        if type(period) is not dict:
            return
        end_date = period.get("endDate")
        awards = release.get("awards")
        if type(end_date) is not str or type(awards) is not list:
            return
        suppliers = None
        for status, ids, _, _, _, date in digest:
            if status != "valid" or ids is None or date is None or not date > end_date:
                continue
            if suppliers is None:
                suppliers = set()
                for award in awards:
                    if type(award) is dict and award.get("status") == "active":
                        suppliers.update(_ids(award.get("suppliers")))
            for tenderer_id in ids:
                if tenderer_id in suppliers:
                    self._pending["R030"] = 1.0
                    self._set("Tenderer", tenderer_id, "R030", 1.0)
                    if self.map:
                        self._map_add("ocid_tenderer_r030", ocid, tenderer_id)

    def _fold_r035(self, release, ocid, tender, offset) -> None:
        complete = self._complete
        if complete is None:
            return
        valid, disqualified = set(), set()
        for status, ids, _, _, _, _ in self._digest:
            if ids is None:
                continue
            if status == "valid":
                valid.update(ids)
            elif status == "disqualified":
                disqualified.update(ids)
        if len(valid) != 1:
            return
        suppliers = set()
        for award in complete:
            suppliers.update(_ids(award.get("suppliers")))
        if valid == suppliers:
            difference = len(disqualified - valid)
            if difference >= self.r035_threshold:
                self._pending["R035"] = float(difference)
                (winner,) = valid
                self._set("Tenderer", winner, "R035", 0.0)
                if self.map:
                    self._map_add("ocid_tenderer_r035", ocid, winner)

    def _fold_r036(self, release, ocid, tender, offset) -> None:
        if not self._submitted or not self._price_ok:
            return
        awards = release.get("awards")
        if type(awards) is not list:
            return
        if not any(type(a) is dict and a.get("status") == "active" for a in awards):
            return
        lowest = None
        lowest_disqualified = False
        has_valid = False
        for status, _, _, amount, currency, _ in self._submitted:
            if amount is None or not self._currency_matches(currency):
                continue
            if lowest is None or amount < lowest:
                lowest = amount
                lowest_disqualified = status == "disqualified"
            if status == "valid":
                has_valid = True
        if has_valid and lowest_disqualified:
            self._pending["R036"] = 1.0

    def _fold_r038(self, release, ocid, tender, offset) -> None:
        submitted = self._submitted
        if not submitted:
            return
        disqualified = 0
        table = self.r038_tenderer
        for status, ids, _, _, _, _ in submitted:
            increment = 1 if status == "disqualified" else 0
            disqualified += increment
            if ids:
                for tenderer_id in ids:
                    counts = table.get(tenderer_id)
                    if counts is None:
                        table[tenderer_id] = [increment, 1]
                    else:
                        counts[0] += increment
                        counts[1] += 1
        count = len(submitted)
        buyer = release.get("buyer")
        if type(buyer) is dict:
            buyer_id = buyer.get("id")
            if type(buyer_id) is str:
                counts = self.r038_buyer.get(buyer_id)
                if counts is None:
                    self.r038_buyer[buyer_id] = [disqualified, count]
                else:
                    counts[0] += disqualified
                    counts[1] += count
                if self.map and disqualified:
                    self.maps["ocid_buyer_r038"][ocid] = buyer_id
        if type(tender) is dict:
            entity = tender.get("procuringEntity")
            if type(entity) is dict:
                entity_id = entity.get("id")
                if type(entity_id) is str:
                    counts = self.r038_procuring_entity.get(entity_id)
                    if counts is None:
                        self.r038_procuring_entity[entity_id] = [disqualified, count]
                    else:
                        counts[0] += disqualified
                        counts[1] += count
                    if self.map and disqualified:
                        self.maps["ocid_procuringentity_r038"][ocid] = entity_id

    def _fold_r048(self, release, ocid, tender, offset) -> None:
        awards = release.get("awards")
        if type(awards) is not list:
            return
        observed = set()
        digits = self.r048_digits
        table = self.r048
        for award in awards:
            if type(award) is not dict or award.get("status") != "active":
                continue
            items = award.get("items")
            if type(items) is not list:
                continue
            supplier_id = _single_supplier_id(award)
            if supplier_id is None:
                continue
            for item in items:
                if type(item) is not dict:
                    continue
                classification = item.get("classification")
                if type(classification) is not dict:
                    continue
                code = classification.get("id")
                if type(code) is not str:
                    continue
                entry = table.get(supplier_id)
                if entry is None:
                    table[supplier_id] = entry = [0, set()]
                # A supplier counts once per contracting process.
                if supplier_id not in observed:
                    observed.add(supplier_id)
                    entry[0] += 1
                entry[1].add(code[:digits])

    # -- finalization

    def _set_meta(self, code: str, key: str, value: float) -> None:
        self.meta.setdefault(code, {})[key] = value

    def finish(self, reread=None) -> None:
        """Compute the outlier indicators. `reread(offset)` returns the line at that offset."""
        enabled = self.enabled
        if "R024" in enabled or "R058" in enabled:
            self._finish_ratios(reread)
        if "R025" in enabled:
            self._finish_r025()
        if "R038" in enabled:
            self._finish_r038()
        if "R048" in enabled:
            self._finish_r048()

    def _finish_ratios(self, reread) -> None:
        values = self.ratio_values
        flagged: dict[int, list[str]] = {}  # index -> codes
        q1 = q3 = None
        if ("R024" in self.enabled and self.r024_threshold is None) or (
            "R058" in self.enabled and self.r058_threshold is None
        ):
            q1, q3 = stats.quartiles(values)  # sorts a copy: no extra list
        if "R024" in self.enabled:
            if self.r024_threshold is None:
                self._set_meta("R024", "q1", q1)
                self._set_meta("R024", "q3", q3)
                fence, guard = stats.lower_fence(q1, q3), q1
            else:
                fence, guard = float(self.r024_threshold), 1.0
            self._set_meta("R024", "lower_fence", fence)
            # Skip if most processes have no difference; otherwise most would be flagged.
            if guard > 0.0 and fence > 0.0:
                for index, ratio in enumerate(values):
                    if ratio <= fence:
                        flagged.setdefault(index, []).append("R024")
        if "R058" in self.enabled:
            if self.r058_threshold is None:
                self._set_meta("R058", "q1", q1)
                self._set_meta("R058", "q3", q3)
                fence = stats.upper_fence(q1, q3)
            else:
                fence = float(self.r058_threshold)
            self._set_meta("R058", "upper_fence", fence)
            if fence > 0.0:
                for index, ratio in enumerate(values):
                    if ratio >= fence:
                        flagged.setdefault(index, []).append("R058")
        if not flagged:
            return
        for index, codes in flagged.items():
            ratio = values[index]
            if self.ratio_keys:
                ocid, winner, loser = self.ratio_keys[index]
            else:
                # The first pass read this line with orjson: its members suffice.
                release = release_of(reread(self.ratio_offsets[index]))
                ocid = release["ocid"]
                _, winner, loser = self._winner_and_runner_up(release, release.get("tender"))
            for code in codes:
                self._set("OCID", ocid, code, ratio)
                tenderers = (winner, loser) if code == "R024" else (winner,)
                for tenderer_id in tenderers:
                    self._set("Tenderer", tenderer_id, code, 0.0)
                    if self.map:
                        self._map_add(f"ocid_tenderer_{code.lower()}", ocid, tenderer_id)

    def _finish_r025(self) -> None:
        table = self.r025
        upper = stats.quantile([float(c[1]) for c in table.values()], self.r025_percentile / 100.0)
        if self.r025_threshold is None:
            q1, q3 = stats.quartiles([c[0] / c[1] for c in table.values()])
            self._set_meta("R025", "q1", q1)
            self._set_meta("R025", "q3", q3)
            lower, guard = stats.lower_fence(q1, q3), q1
        else:
            lower, guard = float(self.r025_threshold), 1.0
        self._set_meta("R025", "upper_fence", upper)
        self._set_meta("R025", "lower_fence", lower)
        # Skip if most tenderers never win; otherwise most top tenderers would be flagged.
        if guard > 0.0 and lower > 0.0:
            for tenderer_id, (wins, bids) in table.items():
                ratio = wins / bids
                if bids >= upper and ratio <= lower:
                    self._set("Tenderer", tenderer_id, "R025", ratio)

    def _finish_r038(self) -> None:
        for group, table, minimum in (
            ("Buyer", self.r038_buyer, self.r038_min_processes),
            ("ProcuringEntity", self.r038_procuring_entity, self.r038_min_processes),
            ("Tenderer", self.r038_tenderer, self.r038_min_bids),
        ):
            # Cardinal compares both minimums with the number of submitted bids.
            ratios = {key: d / n for key, (d, n) in table.items() if n >= minimum}
            if not ratios:
                continue
            if self.r038_threshold is None:
                q1, q3 = stats.quartiles(list(ratios.values()))
                self._set_meta("R038", f"{group}_q1", q1)
                self._set_meta("R038", f"{group}_q3", q3)
                fence = stats.upper_fence(q1, q3)
            else:
                fence = float(self.r038_threshold)
            self._set_meta("R038", f"{group}_upper_fence", fence)
            # Skip if most have no disqualified bids; otherwise most would be flagged.
            if fence > 0.0:
                for key, ratio in ratios.items():
                    if ratio >= fence:
                        self._set(group, key, "R038", ratio)

    def _finish_r048(self) -> None:
        varieties = {
            key: float(len(codes))
            for key, (count, codes) in self.r048.items()
            if count >= self.r048_min_processes
        }
        if self.r048_threshold is None:
            q1, q3 = stats.quartiles(list(varieties.values()))
            self._set_meta("R048", "q1", q1)
            self._set_meta("R048", "q3", q3)
            fence = stats.upper_fence(q1, q3)
        else:
            fence = float(self.r048_threshold)
        self._set_meta("R048", "upper_fence", fence)
        for key, variety in varieties.items():
            if variety >= fence:
                self._set("Tenderer", key, "R048", variety)

    # -- output

    def iter_ocid_results(self):
        """(ocid, {code: value}) for each flagged process: those kept on disk, then the rest."""
        late = dict(self.results["OCID"])
        if self._ocid_spool is not None:
            self._ocid_spool.flush()
            self._ocid_spool.seek(0)
            for line in self._ocid_spool:
                ocid, codes = orjson.loads(line)
                extra = late.pop(ocid, None)
                if extra:
                    codes.update(extra)
                yield ocid, codes
        yield from late.items()

    def iter_rows(self):
        """(group, key, code, value) for every result, streaming the OCID group from disk.

        For loading flags into a table without holding them all in memory.
        """
        for ocid, codes in self.iter_ocid_results():
            for code in sorted(codes):
                yield "OCID", ocid, code, codes[code]
        for group in GROUPS[1:]:
            for key, codes in self.results[group].items():
                for code in sorted(codes):
                    yield group, key, code, codes[code]

    def _has_ocid_results(self) -> bool:
        return bool(self._ocid_spooled or self.results["OCID"])

    def _meta(self) -> dict:
        return {
            code: {key: stats.round4(value) for key, value in values.items()}
            for code, values in sorted(self.meta.items())
        }

    def _maps(self) -> dict:
        return {
            name: (
                {ocid: sorted(ids) for ocid, ids in table.items()}
                if name.startswith("ocid_tenderer")
                else dict(table)
            )
            for name, table in self.maps.items()
        }

    def output(self, *, meta: bool = True) -> dict:
        """The result object (the OCID group is built in memory: see write_json)."""
        out: dict = {}
        for group in GROUPS:
            if group == "OCID":
                if self._has_ocid_results():
                    out[group] = {o: dict(sorted(c.items())) for o, c in self.iter_ocid_results()}
                continue
            entries = self.results[group]
            if entries:
                out[group] = {key: dict(sorted(codes.items())) for key, codes in entries.items()}
        if meta:
            out["Meta"] = self._meta()
        if self.map:
            out["Maps"] = self._maps()
        return out

    def write_json(self, stream: BinaryIO, *, meta: bool = True) -> None:
        """Write the result object as one line, streaming the OCID group from disk."""
        first = True

        def key(name: str) -> bytes:
            nonlocal first
            prefix = b"{" if first else b","
            first = False
            return prefix + orjson.dumps(name) + b":"

        write = stream.write
        if self._has_ocid_results():
            write(key("OCID") + b"{")
            separator = b""
            for ocid, codes in self.iter_ocid_results():
                write(
                    separator
                    + orjson.dumps(ocid)
                    + b":"
                    + orjson.dumps(dict(sorted(codes.items())))
                )
                separator = b","
            write(b"}")
        for group in GROUPS[1:]:
            entries = self.results[group]
            if entries:
                body = {k: dict(sorted(codes.items())) for k, codes in entries.items()}
                write(key(group) + orjson.dumps(body))
        if meta:
            write(key("Meta") + orjson.dumps(self._meta()))
        if self.map:
            write(key("Maps") + orjson.dumps(self._maps()))
        write(b"{}\n" if first else b"}\n")

    def counts(self) -> dict[str, int]:
        """The number of results per group (each ocid assumed once in the input, as Cardinal)."""
        out = {}
        for group in GROUPS:
            if group == "OCID":
                late_only = set(self.results["OCID"])
                if late_only and self._ocid_spool is not None:
                    for ocid, _ in self.iter_ocid_results():
                        late_only.discard(ocid)
                number = self._ocid_spooled + len(late_only)
            else:
                number = len(self.results[group])
            if number:
                out[group] = number
        return out

    def close(self) -> None:
        if self._ocid_spool is not None:
            self._ocid_spool.close()
            self._ocid_spool = None


# --- Running over a file ---------------------------------------------------------------------


CHUNK_BYTES = 1 << 20


def lines_of(stream: BinaryIO) -> Iterator[bytes]:
    """The lines of ``stream`` with their line breaks, as iterating it gives them, read a MiB
    at a time (BytesIO finds the breaks with memchr: faster than a buffered file's lines)."""
    read = stream.read
    tail = b""
    while chunk := read(CHUNK_BYTES):
        lines = io.BytesIO(tail + chunk).readlines()
        tail = lines.pop() if not lines[-1].endswith(b"\n") else b""
        yield from lines
    if tail:
        yield tail


def _iter_lines(stream: BinaryIO, spool: IO[bytes] | None) -> Iterable[tuple[bytes, int]]:
    offset = 0
    for line in lines_of(stream):
        if spool is not None:
            spool.write(line)
        yield line, offset
        offset += len(line)


def process(
    source: str | os.PathLike | BinaryIO, settings: Settings, *, map: bool = False
) -> Engine:
    """Run the enabled indicators over a file of compiled releases (one JSON object a line).

    `source` is a path, "-" for standard input, or a binary file object. Returns the finished
    engine: call `output()` or `write_json()`, then `close()`.
    """
    engine = Engine(settings, map=map)
    close = None
    if isinstance(source, str | os.PathLike) and str(source) != "-":
        stream = close = open(source, "rb")  # noqa: SIM115
    elif isinstance(source, str | os.PathLike):
        stream = sys.stdin.buffer
    else:
        stream = source
    spool = None
    try:
        seekable = False
        try:
            seekable = stream.seekable() and stream.tell() == 0
        except (AttributeError, OSError, ValueError):
            seekable = False
        if engine.needs_ratios and not seekable:
            spool = tempfile.TemporaryFile()  # noqa: SIM115
        feed = engine.feed_line
        for number, (line, offset) in enumerate(_iter_lines(stream, spool), start=1):
            feed(line, number, offset)
        reread_stream = stream if spool is None else spool
        if spool is not None:
            spool.flush()

        def reread(offset: int) -> bytes:
            reread_stream.seek(offset)
            return reread_stream.readline()

        engine.finish(reread)
    except BaseException:
        engine.close()
        raise
    finally:
        if spool is not None:
            spool.close()
        if close is not None:
            close.close()
    return engine


def run(
    source: str | os.PathLike | BinaryIO,
    settings: Settings,
    *,
    map: bool = False,
    meta: bool = True,
) -> tuple[dict, Engine]:
    """The Cardinal-compatible result object (built in memory) and the engine (for counts)."""
    engine = process(source, settings, map=map)
    try:
        return engine.output(meta=meta), engine
    finally:
        engine.close()


def compute(
    releases: Iterable[dict],
    settings: Settings | None = None,
    *,
    map: bool = False,
    meta: bool = True,
) -> dict:
    """The result object for compiled releases already in memory (e.g. one buyer's processes).

    Keeps the ocid, winner and runner-up of each price-compared process in memory; for whole
    files, `process()` and `run()` keep 16 bytes a process instead.
    """
    engine = Engine(settings if settings is not None else Settings.all_defaults(), map=map)
    try:
        for release in releases:
            if type(release) is dict:
                engine.feed(release)
        engine.finish()
        return engine.output(meta=meta)
    finally:
        engine.close()


def dumps(result: dict) -> bytes:
    """The result as one line of JSON (NaN and infinities become null, as in Cardinal)."""
    return orjson.dumps(result) + b"\n"
