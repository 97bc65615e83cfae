"""The red flags child of the flows rebuild (`cocrea.money.redflags.feed`): the first release of
each ocid only, and the same flags as `redflags.run` over the kept releases."""

from __future__ import annotations

import io

import orjson

from cocrea.money import demo
from cocrea.money.redflags import Settings, run
from cocrea.money.redflags.feed import SeenOcids
from cocrea.money.redflags.feed import run as feed


def test_seen_ocids_tells_equal_hashes_apart():
    lines = {}

    def line_at(offset):
        return lines[offset]

    seen = SeenOcids(line_at, capacity=4)
    assert hash(-1) == hash(-2)  # CPython: distinct values, one hash
    offset = 0
    for ocid in (-1, -2, "a", "b", *[f"ocds-{i}" for i in range(5000)]):
        assert seen.add(ocid, offset)
        lines[offset] = orjson.dumps({"ocid": ocid}) + b"\n"
        offset += 100
    assert len(seen.slots) >= 2 * seen.size  # grew, at most half full
    assert seen.overflow is None
    for ocid in (-2, -1, "b", "ocds-0", "ocds-4999"):
        assert not seen.add(ocid, offset)
    assert seen.add(-3, offset)
    assert seen.size == 5005


def test_seen_ocids_past_its_capacity():
    lines = {}
    seen = SeenOcids(lambda offset: lines[offset], capacity=4, max_capacity=16)
    ocids = [f"ocds-{i}" for i in range(100)]
    for offset, ocid in enumerate(ocids):
        assert seen.add(ocid, offset)
        lines[offset] = orjson.dumps({"ocid": ocid})
    assert len(seen.slots) == 16 and seen.size == 12  # three quarters full, then a set
    assert len(seen.overflow) == 88
    assert not any(seen.add(ocid, 1000) for ocid in reversed(ocids))
    assert seen.add("ocds-new", 1000)


def test_feed_keeps_the_first_release_of_each_ocid(tmp_path):
    releases, _budget = demo.build(7, [("17", "Morelos")])
    first = [orjson.dumps(r) + b"\n" for r in releases]
    changed = [dict(r, date="1999-01-01T00:00:00Z") for r in releases[::2]]
    stream = io.BytesIO(
        b"".join(first) + b"\n" + b"".join(orjson.dumps(r) + b"\n" for r in changed)
    )
    out = tmp_path / "compiled.jsonl"
    printed = io.BytesIO()
    count = feed(stream, str(out), printed)
    kept = out.read_bytes().splitlines()
    assert [orjson.loads(k)["ocid"] for k in kept] == [r["ocid"] for r in releases]
    assert all(orjson.loads(k)["date"] != "1999-01-01T00:00:00Z" for k in kept)
    rows = [orjson.loads(line) for line in printed.getvalue().splitlines()]
    assert len(rows) == count > 0
    expected, _engine = run(out, Settings.all_defaults(), meta=False)
    assert rows == [
        [group, key, code, float(value)]
        for group, entries in expected.items()
        for key, codes in entries.items()
        for code, value in codes.items()
    ]
