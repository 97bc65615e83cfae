"""The red-flag engine's second half: the outlier indicators at the end, and the results."""

from __future__ import annotations

from typing import BinaryIO

import orjson

from . import stats
from .reading import GROUPS, release_of


class Outcome:
    """Finishing and output of `cocrea.money.redflags.engine.Engine` (a mixin: the state is
    the engine's)."""

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
