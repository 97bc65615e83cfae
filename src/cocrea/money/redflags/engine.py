"""The red-flag engine: compiled releases in, Cardinal-compatible results out.

One pass over the lines does all the per-process work and accumulates, per organization,
the counts that the outlier indicators need. Only R024 and R058 (price close to / far from
the winning bid) need to know, for a process, whether its ratio is beyond a fence computed
from all processes: the first pass keeps just the ratio and the byte offset of its line
(16 bytes a process), and a short second pass re-reads only the lines beyond the fence.
Standard input is spooled to a temporary file for that second pass, when it is needed.
"""

from __future__ import annotations

import tempfile
from array import array

import orjson

from . import stats
from .outcome import Outcome
from .reading import (  # noqa: F401 - the engine's reading, imported from here too
    GROUPS,
    IDS,
    MAP_KEYS,
    READ_MEMBERS,
    SINGLE,
    STATUS,
    InputError,
    _complete_awards,
    _digest_bids,
    _ids,
    _parse_rfc3339_ns,
    _single_supplier_id,
    _submitted,
    _whole_days,
    dumps,
    release_of,
)
from .settings import CODES, Settings, split_pipes

# --- The engine ---------------------------------------------------------------------------


class Engine(Outcome):
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
