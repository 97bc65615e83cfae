"""The red flags child of the flows rebuild (`cocrea.money.redflags.feed`): the first release of
each ocid only, and the same flags as `redflags.run` over the kept releases."""

from __future__ import annotations

import io

import orjson

from cocrea.money import demo
from cocrea.money.redflags import Settings, run
from cocrea.money.redflags.engine import READ_MEMBERS, Engine, release_of
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


class _Recorded(dict):
    """A release that remembers which of its members were read."""

    read: set = set()

    def get(self, key, default=None):
        _Recorded.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        _Recorded.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _Recorded.read.add(key)
        return super().__contains__(key)


def _demonstration_releases():
    from test_money_redflags_demos import DEMOS, FIXTURES

    for demonstration in DEMOS.values():
        for line in (FIXTURES / demonstration["input"]).read_bytes().splitlines():
            if line.strip():
                yield orjson.loads(line)


def test_the_indicators_read_only_the_decoded_members():
    """The child decodes only `READ_MEMBERS` of each release: every indicator, over every
    demonstration and the demo data, reads no other member of a release."""
    releases, _budget = demo.build(7, [("17", "Morelos")])
    recorded = [_Recorded(r) for r in [*_demonstration_releases(), *releases]]
    _Recorded.read = set()
    engine = Engine(Settings.all_defaults())
    kept = {}
    for release in recorded:
        engine.feed(release)
        kept.setdefault(release.get("ocid"), release)
    ratio_texts = {i: orjson.dumps(r) for i, r in enumerate(recorded)}
    engine.finish(lambda offset: ratio_texts[offset])
    assert engine.releases > 100
    assert _Recorded.read and _Recorded.read <= set(READ_MEMBERS)


def test_release_of_reads_what_orjson_reads():
    for release in [*_demonstration_releases(), {"ocid": None}, {}]:
        text = orjson.dumps(release)
        expected = orjson.loads(text)
        assert release_of(text) == {name: expected.get(name) for name in READ_MEMBERS}
    for text in (b"[1, 2]", b'"a"', b"3", b"null"):
        assert release_of(text) == orjson.loads(text)
    # A line that the command's first pass read with orjson may repeat a key: the last wins.
    repeated = b'{"ocid": "a", "tender": {"id": 1, "id": 2}, "ocid": "b", "tender": null}'
    assert release_of(repeated) == {name: orjson.loads(repeated).get(name) for name in READ_MEMBERS}
    repeated = b'{"ocid": "a", "tender": {"id": 1, "id": 2}}'
    assert release_of(repeated)["tender"] == {"id": 2}


def test_feed_over_every_demonstration_equals_run(tmp_path):
    """The child's partial decoding gives the same flags as `redflags.run`'s whole parse."""
    lines = [orjson.dumps(r) + b"\n" for r in _demonstration_releases()]
    out = tmp_path / "compiled.jsonl"
    printed = io.BytesIO()
    feed(io.BytesIO(b"".join(lines)), str(out), printed)
    rows = [orjson.loads(line) for line in printed.getvalue().splitlines()]
    expected, _engine = run(out, Settings.all_defaults(), meta=False)
    assert rows and rows == [
        [group, key, code, float(value)]
        for group, entries in expected.items()
        for key, codes in entries.items()
        for code, value in codes.items()
    ]
