"""`cocrea money import` computes the red flags while it reads the file (`flows.LiveFlows`).

The flows snapshot it leaves must be the one a plain rebuild (`flows.sync_from_store`) makes:
same tables, same red flags, same kept releases (the first of each ocid by source).
"""

from __future__ import annotations

import copy

import orjson
import pyarrow.parquet as pq
import pytest

from cocrea.money import demo
from cocrea.money.analytics import flows, flows_snapshot
from cocrea.money.ocds.importer import ImportAborted, import_ocds


@pytest.fixture
def money(tmp_path, settings):
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    return tmp_path / "money"


def _write(path, releases):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in releases))
    return path


def _flows() -> dict:
    snapshot = flows_snapshot.current_snapshot()
    out = {}
    for table in flows_snapshot.TABLES:
        rows = pq.read_table(snapshot / f"{table}.parquet").to_pylist()
        out[table] = sorted(rows, key=repr)
    out["compiled"] = sorted((snapshot / flows_snapshot.COMPILED).read_bytes().splitlines())
    return out


@pytest.fixture(scope="module")
def releases():
    found, _budget = demo.build(7, [("17", "Morelos"), ("14", "Jalisco")])
    return found


def test_live_red_flags_equal_a_rebuild(money, tmp_path, releases):
    n = len(releases)
    a = _write(tmp_path / "a.jsonl", releases[: n // 2])
    # b repeats ocids of a (kept from a, the first source) and one of its own, out of order.
    b_releases = releases[n // 3 : 2 * n // 3][::-1]
    b = _write(tmp_path / "b.jsonl", [*b_releases, copy.deepcopy(b_releases[0])])
    c = _write(tmp_path / "c.jsonl", releases[n // 2 :])
    for path, source in ((a, "a"), (c, "c"), (b, "b")):
        report = import_ocds([path], source, flows=True)
        assert report.flows is not None and report.flows.live, source
    live = _flows()
    assert report.flows.processes == n
    assert report.flows.skipped == len(b_releases) + 1
    assert report.flows.flags > 0
    rebuilt = flows.sync_from_store(force=True)
    assert not rebuilt.live
    assert (rebuilt.processes, rebuilt.flags) == (report.flows.processes, report.flows.flags)
    assert _flows() == live
    assert not list((money / "flows").glob(".tmp-*"))


def test_several_currencies_are_flagged_in_ocid_order(money, tmp_path, releases):
    changed = copy.deepcopy(releases)
    for release in changed[::3]:
        for bid in (release.get("bids") or {}).get("details") or []:
            if isinstance(bid.get("value"), dict):
                bid["value"]["currency"] = "USD"
    path = _write(tmp_path / "usd.jsonl", changed[::-1])
    report = import_ocds([path], "usd", flows=True)
    assert not report.flows.live  # computed again, in (source, ocid) order
    live = _flows()
    rebuilt = flows.sync_from_store(force=True)
    assert _flows() == live
    assert rebuilt.flags == report.flows.flags


def test_an_aborted_import_leaves_the_flows_as_they_were(money, tmp_path, releases):
    good = _write(tmp_path / "good.jsonl", releases)
    import_ocds([good], "good", flows=True)
    before = (money / "flows" / "CURRENT").read_text()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(good.read_bytes() + b'{"ocid": broken\n')
    with pytest.raises(ImportAborted):
        import_ocds([bad], "bad", strict=True, flows=True)
    assert (money / "flows" / "CURRENT").read_text() == before
    assert not list((money / "flows").glob(".tmp-*"))
    lock = flows._lock(blocking=False)  # released
    assert lock is not None
    flows._unlock(lock)
