"""The red-flag engine's date parsing: the fast way (Python's ISO parser for the usual forms)
gives what the exact reading of the RFC 3339 pattern gives, for every text the pattern takes;
and the chunked line reader gives the lines that iterating the stream gives."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from cocrea.money.redflags import files
from cocrea.money.redflags import reading as engine


def exact(text: str) -> int | None:
    match = engine._RFC3339.fullmatch(text)
    if match is None or not text.isascii():
        return None
    return engine._rfc3339_ns_exact(match)


def two(lo: int, hi: int):
    return st.integers(lo, hi).map(lambda n: f"{n:02d}")


dates = st.builds(
    lambda y, mo, d, sep, h, mi, s, frac, zone: f"{y:04d}-{mo}-{d}{sep}{h}:{mi}:{s}{frac}{zone}",
    st.integers(0, 9999),
    two(0, 13),
    two(0, 32),
    st.sampled_from(["T", "t", " "]),
    two(0, 25),
    two(0, 60),
    two(0, 61),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=12).map(".".__add__)),
    st.one_of(
        st.sampled_from(["Z", "z"]),
        st.builds(lambda sg, h, m: f"{sg}{h}:{m}", st.sampled_from("+-"), two(0, 25), two(0, 60)),
    ),
)


@settings(max_examples=3000, deadline=None)
@given(dates)
def test_fast_date_parsing_equals_the_exact_reading(text):
    assert engine._rfc3339_ns(text) == exact(text)
    assert engine._parse_rfc3339_ns(text) == exact(text)  # and through the cache


def test_dates_known_values():
    day = 86_400 * 1_000_000_000
    assert engine._parse_rfc3339_ns("0001-01-01T00:00:00Z") == day  # ordinal 1
    assert engine._parse_rfc3339_ns("0001-01-02T00:00:00.5+00:00") == 2 * day + 500_000_000
    # Nanoseconds beyond microseconds, a leap second and lower-case letters: the exact way.
    assert engine._parse_rfc3339_ns("2020-01-01T00:00:00.123456789Z") % 1_000_000_000 == (
        123_456_789
    )
    assert engine._parse_rfc3339_ns("2016-12-31t23:59:60z") == engine._parse_rfc3339_ns(
        "2017-01-01T00:00:00Z"
    )
    assert engine._parse_rfc3339_ns("2020-01-01T06:00:00-06:00") == engine._parse_rfc3339_ns(
        "2020-01-01T12:00:00Z"
    )
    for bad in ("2020-01-01", "2020-02-30T00:00:00Z", "2020-01-01T24:00:00Z", "2020-01-01T00:00:00+24:00",
                "2020-01-01T00:00:00"):  # fmt: skip
        assert engine._parse_rfc3339_ns(bad) is None, bad


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
       st.booleans(), st.integers(1, 64))  # fmt: skip
def test_chunked_lines_equal_the_stream_lines(lines, final_break, chunk):
    data = b"\n".join(lines) + (b"\n" if final_break else b"")
    old = files.CHUNK_BYTES
    files.CHUNK_BYTES = chunk  # small chunks: lines cross chunk boundaries
    try:
        assert list(files.lines_of(io.BytesIO(data))) == list(io.BytesIO(data))
    finally:
        files.CHUNK_BYTES = old
