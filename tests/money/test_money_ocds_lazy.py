"""Releases parsed only when compiled, and one process per partition of the ocids.

`cocrea ocds compile` leaves the JSON lines that are surely releases unparsed until their
process is compiled (`reader.LAZY`), and with several jobs runs one process per partition of
the ocids (`compile.compile_files`). Both must give exactly what the plain path gives: the same
bytes in the same order, the same problems and the same counts, on awkward lines too.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cocrea.money.ocds import reader, synthetic, values
from cocrea.money.ocds.compile import Stats, compile_files, compile_items
from cocrea.money.ocds.merge import Merger
from cocrea.money.ocds.outputs import append_file
from cocrea.money.ocds.reader import Partition, Source, line_ocid, read_items, sample_pivots
from cocrea.money.ocds.values import Owner, first_ocid

AWKWARD_LINES = [
    b'{"ocid":"a","date":"2024-01-01","id":"a-1","tag":["tender"],"tender":{"id":"t"}}',
    b'{"ocid":"b","date":',  # broken JSON that looks like a release
    b'{"ocid":"c","id":"c-1"}',  # no date
    b"",
    b"   ",
    b'{"ocid":"d","id":"d-r","releases":[{"ocid":"d","id":"d-1","date":"2024-01-02"}]}',
    b'{"ocid":"e\\u00e9","date":"2024-01-01","id":"e-1"}',  # escaped ocid
    b'{"ocid":"f","rel\\u0065ases":[{"url":"x","date":"2024-01-01"}]}',  # disguised key
    b'{"date":"2024-02-01","ocid":"a","id":"a-2","tender":{"status":"active"}}',
    b'{"ocid":"g","date":"2024-01-01","id":"g-1","ocid":"h"}',  # repeated key
    b'{"uri":"p","releases":[{"ocid":"a","id":"a-3","date":"2024-03-01"},'
    b'{"ocid":"i","id":"i-1","date":"2024-01-01"}]}',  # a package among releases
    b'{"ocid":"j","date":null,"id":"j-1"}',
    b'{"ocid":"j","date":"2024-01-01","id":"j-2"}',
    b'{"ocid":"\xff\xfe","date":"2024-01-01","id":"k"}',  # not UTF-8
    b'{"ocid":"a","date":"2024-04-01","id":"a-4","awards":[{"id":"1","status":"active"}]}',
]


def awkward() -> bytes:
    releases = list(synthetic.releases(150, seed=3))
    body = b"".join(orjson.dumps(r) + b"\n" for r in releases)
    return b"\n".join(AWKWARD_LINES) + b"\n" + body + b"\n".join(AWKWARD_LINES[:3])


def compile_bytes(data: bytes, *, lazy: bool, buffer_bytes: int = 1 << 30, jobs: int = 1):
    stats = Stats()
    items = read_items(io.BufferedReader(io.BytesIO(data)), lazy=lazy)
    out = list(
        compile_items(
            items, Merger(), stats=stats, encode=True, buffer_bytes=buffer_bytes, jobs=jobs
        )
    )
    return out, stats


def summary(stats: Stats) -> tuple:
    problems = sorted((p.where, p.reason) for p in stats.problems)
    return stats.releases, stats.records, stats.processes, stats.problem_count, problems


def test_line_ocid_is_sure_or_none():
    assert line_ocid(AWKWARD_LINES[0]) == "a"
    assert line_ocid(AWKWARD_LINES[1]) is None  # broken JSON: read (and reported) at once
    for line in (AWKWARD_LINES[5], AWKWARD_LINES[6], AWKWARD_LINES[8], AWKWARD_LINES[9]):
        assert line_ocid(line) is None
    assert line_ocid(AWKWARD_LINES[10]) is None
    assert line_ocid(AWKWARD_LINES[13]) is None
    # Only the top-level keys count; any value of a package or record key rules the line out.
    assert line_ocid(b'{"ocid":"m","date":"2024-01-01","tender":{"ocid":"x"}}') == "m"
    assert line_ocid(b'{"ocid":"m","date":"2024-01-01","releases":null}') is None
    assert line_ocid(b'{"ocid":"m","date":"2024-01-01","compiledRelease":{}}') is None
    assert line_ocid(b'{"ocid":"m","date":"2024-01-01","ocid":7}') is None


def lazy_equals_plain(data: bytes, buffer_bytes: int) -> tuple[list, set]:
    """Compile ``data`` read lazily and read plainly; check both give the same; return the
    compiled lines and the reasons of the problems."""
    plain, plain_stats = compile_bytes(data, lazy=False, buffer_bytes=buffer_bytes)
    lazy, lazy_stats = compile_bytes(data, lazy=True, buffer_bytes=buffer_bytes)
    assert lazy == plain
    assert summary(lazy_stats) == summary(plain_stats)
    return plain, {p.reason for p in plain_stats.problems}


@pytest.mark.parametrize("buffer_bytes", [1 << 30, 16 << 10])
def test_lazy_lines_give_what_the_plain_reader_gives(buffer_bytes):
    plain, reasons = lazy_equals_plain(awkward(), buffer_bytes)
    assert any(r.startswith("invalid JSON") for r in reasons)
    assert "the release has no `date`" in reasons
    assert any("neither embedded releases nor a compiledRelease" in r for r in reasons)
    assert len(plain) > 150


def test_lazy_lines_with_worker_batches_and_iso_8859_1():
    data = awkward().replace(b"\xff\xfe", b"x")
    latin = data.decode("utf-8").replace("é", "é").encode("latin-1", errors="replace")
    for source in (data, latin):
        plain, plain_stats = compile_bytes(source, lazy=False)
        lazy, lazy_stats = compile_bytes(source, lazy=True, buffer_bytes=16 << 10, jobs=2)
        assert lazy == plain
        assert summary(lazy_stats) == summary(plain_stats)


def read_files(paths):
    def read(part=None):
        for path in paths:
            with Source(path) as source:
                for item in source.items(lazy=True, part=part):
                    if len(paths) > 1:
                        item.where = f"{path} {item.where}"
                    yield item

    return read


def compile_parts(paths, jobs, stats, pivots, buffer_bytes=32 << 10) -> list[bytes]:
    out = io.BytesIO()
    compile_files(
        read_files(paths),
        Merger(),
        out,
        jobs=jobs,
        stats=stats,
        buffer_bytes=buffer_bytes,
        pivots=pivots,
    )
    return out.getvalue().splitlines(keepends=True)


@pytest.mark.parametrize("jobs", [2, 3])
def test_one_process_per_partition_gives_the_same_bytes(tmp_path, jobs):
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    data = awkward()
    half = data.index(b"\n", len(data) // 2) + 1
    first.write_bytes(data[:half])
    second.write_bytes(data[half:])
    paths = [str(first), str(second)]

    serial_stats = Stats()
    items = read_files(paths)()
    serial = list(compile_items(items, Merger(), stats=serial_stats, encode=True))
    stats = Stats()
    pivots = sample_pivots(paths, jobs)
    assert pivots is not None and len(pivots) == jobs - 1
    assert compile_parts(paths, jobs, stats, pivots) == serial
    assert summary(stats) == summary(serial_stats)
    assert any(p.where.startswith(str(first)) for p in stats.problems)


def test_sampled_ranges_split_the_work():
    """Pivots from evenly spaced blocks give partitions of similar size, for lines of
    releases or of packages; gzip files cannot be sampled (None: one process reads them)."""
    import gzip
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.jsonl"
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in synthetic.releases(2000)))
        pivots = sample_pivots([str(path)], 2)
        sizes = [0, 0]
        for line in path.read_bytes().splitlines():
            sizes[Partition(0, 2, pivots).of(orjson.loads(line)["ocid"])] += 1
        assert min(sizes) > 0.35 * sum(sizes)
        packages = Path(tmp) / "p.jsonl"
        packages.write_bytes(
            b"".join(orjson.dumps(p) + b"\n" for p in synthetic.release_packages(200))
        )
        pivots = sample_pivots([str(packages)], 2)  # packages are sampled too
        sizes = [0, 0]
        for line in packages.read_bytes().splitlines():
            for release in orjson.loads(line)["releases"]:
                sizes[Partition(0, 2, pivots).of(release["ocid"])] += 1
        assert min(sizes) > 0.35 * sum(sizes)
        gz = Path(tmp) / "r.jsonl.gz"
        gz.write_bytes(gzip.compress(path.read_bytes()))
        assert sample_pivots([str(gz)], 2) is None


AWKWARD_PACKAGES = [
    b'{"uri":"p1","releases":[{"ocid":"a","id":"a-9","date":"2024-05-01"},null,7,'
    b'{"id":"x-1","date":"2024-01-01"},{"ocid":5,"id":"n-1","date":"2024-01-01"},'
    b'{"ocid":"q","id":"q-1"},{"ocid":"r","id":"r-1","date":"2024-01-01","releases":[]},'
    b'{"date":"2024-06-01","ocid":"a","id":"a-10","tender":{"id":"t2"}}]}',
    b'{"uri":"p2","releases":[{"ocid":"s","id":"s-1","date":"2024-01-01","title":"\xff"}]}',
    b'{"uri":"p3","date":"2024-01-01","ocid":"t","releases":[{"ocid":"t","date":"x"}]}',
    b'{"uri":"p4","releases":{"ocid":"u"}}',
    b'{"uri":"p5","releases":[]}',
    b'{"uri":"p6","releases":[{"ocid":"v","id":"v-1","date":"2024-01-01"}],"records":[]}',
    b'{"uri":"p7","rel\\u0065ases":[{"ocid":"w","id":"w-1","date":"2024-01-01"}]}',
]


def awkward_packages() -> bytes:
    # Over a MiB of packages first: the encoding is told from the first MiB (UTF-8 here).
    packages = synthetic.release_packages(300, seed=5)
    body = b"".join(orjson.dumps(p) + b"\n" for p in packages)
    return body + b"\n".join(AWKWARD_PACKAGES) + b"\n" + b"\n".join(AWKWARD_LINES) + b"\n"


@pytest.mark.parametrize("buffer_bytes", [1 << 30, 16 << 10])
def test_release_packages_read_lazily_give_what_the_plain_reader_gives(buffer_bytes):
    plain, reasons = lazy_equals_plain(awkward_packages(), buffer_bytes)
    assert "the release has no `date`" in reasons
    assert "a release is a int, not an object" in reasons
    assert "the `ocid` is not a string" in reasons
    assert any("invalid UTF-8" in r for r in reasons)
    assert len(plain) > 150


@pytest.mark.parametrize("chunk", [64, 4096])
def test_lines_longer_than_a_chunk(monkeypatch, chunk):
    """Package lines (and awkward lines) longer than a read chunk, ending in later chunks or
    at the end of the input without a line break, give what the plain reader gives."""
    from cocrea.money.ocds import reader

    monkeypatch.setattr(reader, "CHUNK_BYTES", chunk)
    data = awkward_packages()
    plain, _ = lazy_equals_plain(data, 1 << 30)
    assert len(plain) > 150
    lazy_equals_plain(data.rstrip(b"\n"), 1 << 30)


@pytest.mark.parametrize("jobs", [2, 3])
def test_release_packages_one_process_per_partition(tmp_path, jobs):
    path = tmp_path / "packages.jsonl"
    path.write_bytes(awkward_packages())
    serial_stats = Stats()
    serial = list(
        compile_items(read_files([str(path)])(), Merger(), stats=serial_stats, encode=True)
    )
    stats = Stats()
    pivots = sample_pivots([str(path)], jobs)
    assert pivots is not None
    assert compile_parts([str(path)], jobs, stats, pivots) == serial
    assert summary(stats) == summary(serial_stats)


def test_first_ocid_reads_heads_with_whitespace():
    """Pretty-printed documents and Python's json.dumps put whitespace between the tokens: the
    ocid is still told from the head, unless it has escapes."""
    assert first_ocid(b'{"ocid": "m", "date": "2024-01-01"}') == b"m"
    assert first_ocid(b'{\n  "ocid" :\t"m",\n  "date": "2024-01-01"\n}') == b"m"
    assert first_ocid(b'{ "ocid": "e\\u00e9", "date": "2024-01-01"}') is None
    assert first_ocid(b'{ "date": "2024-01-01", "ocid": "m"}') is None
    assert first_ocid(b'{ "ocid": 7}') is None
    assert line_ocid(b'{"ocid": "m", "date": "2024-01-01", "ocid": "n"}') is None
    assert line_ocid(b'{"ocid": "m", "date": "2024-01-01", "records": []}') is None


def spaced_lines() -> bytes:
    """JSON Lines as Python's json.dumps writes them (``", "`` and ``": "``), awkward ones too."""
    releases = list(synthetic.releases(150, seed=7))
    lines = [json.dumps(r).encode() for r in releases]
    lines[40:40] = [json.dumps(orjson.loads(line)).encode() for line in AWKWARD_LINES[:1]]
    lines[60:60] = [
        b'{"ocid": "g", "date": "2024-01-01", "id": "g-1", "ocid": "h"}',
        b'{"ocid": "d", "id": "d-r", "releases": [{"ocid": "d", "id": "d-1", "date": "2024"}]}',
        b'{"ocid": "c", "id": "c-1"}',
    ]
    return b"\n".join(lines) + b"\n"


def pretty_documents() -> bytes:
    """Concatenated pretty-printed release packages, one with awkward releases."""
    packages = list(synthetic.release_packages(200, seed=9))
    odd = synthetic.package(
        [{"ocid": "g", "date": "2024-01-01", "id": "g-1"}, {"ocid": "z", "id": "z-1"}, 7]
    )
    packages.insert(1, odd)
    return b"\n".join(orjson.dumps(p, option=orjson.OPT_INDENT_2) for p in packages) + b"\n"


@pytest.mark.parametrize("shape", ["spaced-lines", "pretty-documents"])
@pytest.mark.parametrize("jobs", [2, 3])
def test_whitespace_between_tokens_one_process_per_partition(tmp_path, shape, jobs):
    """Such inputs are sampled and partitioned as compact ones are, with the same bytes."""
    path = tmp_path / f"{shape}.json"
    path.write_bytes(spaced_lines() if shape == "spaced-lines" else pretty_documents())
    serial_stats = Stats()
    serial = list(
        compile_items(read_files([str(path)])(), Merger(), stats=serial_stats, encode=True)
    )
    assert len(serial) > 150
    stats = Stats()
    pivots = sample_pivots([str(path)], jobs)
    assert pivots is not None and len(pivots) == jobs - 1
    assert compile_parts([str(path)], jobs, stats, pivots) == serial
    assert summary(stats) == summary(serial_stats)
    assert stats.problem_count > 0


def test_a_package_release_that_names_one_ocid_first_and_holds_another(tmp_path):
    """A release in a package that starts with one ocid and repeats the key with another: the
    partition of the first reads it, finds it belongs elsewhere, and the input is compiled
    again in one process."""
    pivots = ["m"]
    split = Partition(0, 2, pivots)
    other = next(f"x{i}" for i in range(100) if split.of(f"x{i}") != split.of("a"))
    package = (
        b'{"uri":"p9","releases":[{"ocid":"a","id":"a-20","date":"2024-08-01","ocid":"'
        + other.encode()
        + b'"},{"ocid":"a","id":"a-21"}]}'
    )
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(awkward_packages() + package + b"\n")
    assert_compiled_again_in_one_process(path, pivots, other)


def test_partition_errors_reach_the_caller(tmp_path):
    path = tmp_path / "not-json.txt"
    path.write_bytes(b"hello\n")

    def read(part):
        with Source(path) as source:
            yield from source.items(lazy=True, part=part)

    with pytest.raises(Exception, match="not JSON"):
        compile_files(read, Merger(), io.BytesIO(), jobs=2, stats=Stats(), pivots=["m"])


def test_command_with_jobs_equals_serial(tmp_path, monkeypatch):
    """Through the command line: big enough files go to one process per partition."""
    path = tmp_path / "releases.jsonl"
    path.write_bytes(awkward())
    env_src = str(Path(__file__).resolve().parents[2] / "src")
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}.jsonl"
        result = subprocess.run(
            [sys.executable, "-m", "cocrea.money.ocds", "compile", str(path), "-o", str(out)]
            + ["--jobs", jobs],
            capture_output=True,
            env={"PYTHONPATH": env_src, "COCREA_OCDS_PARALLEL_BYTES": "1"},
            check=True,
        )
        outputs[jobs] = (out.read_bytes(), sorted(result.stderr.decode().splitlines()))
    assert outputs["1"] == outputs["2"]
    assert outputs["1"][0].count(b"\n") > 150


def assert_partitions_give_one_process(path, pivots: list[str]) -> list[bytes]:
    """Two partitions of ``path`` give what one process gives (returned)."""
    serial_stats = Stats()
    serial = list(
        compile_items(read_files([str(path)])(), Merger(), stats=serial_stats, encode=True)
    )
    stats = Stats()
    assert compile_parts([str(path)], 2, stats, pivots, buffer_bytes=1 << 30) == serial
    assert summary(stats) == summary(serial_stats)
    return serial


def assert_compiled_again_in_one_process(path, pivots: list[str], other: str) -> None:
    """Partitions of ``path`` give what one process gives, ``other``'s release included."""
    serial = assert_partitions_give_one_process(path, pivots)
    assert any(orjson.loads(line)["ocid"] == other for line in serial)


def test_a_line_that_names_one_ocid_first_and_holds_another(tmp_path):
    """A record whose embedded releases are of another process: read by the partition of the
    first ocid, it belongs elsewhere, so the input is compiled again in one process."""
    pivots = ["m"]
    split = Partition(0, 2, pivots)
    other = next(f"x{i}" for i in range(100) if split.of(f"x{i}") != split.of("a"))
    record = {
        "ocid": "a",
        "releases": [{"ocid": other, "id": "r-1", "date": "2024-05-01", "tag": ["award"]}],
    }
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(awkward() + b"\n" + orjson.dumps(record) + b"\n")
    assert_compiled_again_in_one_process(path, pivots, other)


AWKWARD_RECORDS = [
    # Embedded releases of two processes, one without a date, one of them repeated.
    b'{"ocid":"m","releases":[{"ocid":"m","id":"m-1","date":"2024-01-01"},'
    b'{"ocid":"zz","id":"zz-1","date":"2024-01-02"},{"ocid":"m","id":"m-2"}]}',
    b'{"ocid":"n","releases":[{"ocid":"n","id":"n-1","date":"2024-01-01"},null]}',
    b'{"ocid":"o","releases":[],"compiledRelease":{"ocid":"o","id":"o-c","date":"2024-01-01"}}',
    b'{"ocid":"p","releases":[{"id":"p-1","date":"2024-01-01"}]}',  # no ocid: not embedded
    b'{"ocid":"q","releases":[{"date":"2024-01-01","ocid":"q","id":"q-1"}]}',
    b'{"ocid":"r","releases":[{"ocid":"r","id":"r-1","date":"2024-01-01","records":[]}]}',
    b'{"ocid":"s","releases":{"ocid":"s"}}',
    b"7",
]


def awkward_records() -> bytes:
    records = [r for p in synthetic.record_packages(300, seed=5) for r in p["records"]]
    body = b",".join(orjson.dumps(r) for r in records)
    return b'{"uri":"x","records":[' + body + b"," + b",".join(AWKWARD_RECORDS) + b"]}"


def test_record_packages_read_lazily_give_what_the_plain_reader_gives():
    plain, reasons = lazy_equals_plain(awkward_records(), 1 << 30)
    assert "the release has no `date`" in reasons
    assert len(plain) > 300


@pytest.mark.parametrize("jobs", [2, 3])
def test_record_packages_one_process_per_partition(tmp_path, jobs):
    path = tmp_path / "records.json"
    path.write_bytes(awkward_records())
    serial_stats = Stats()
    serial = list(
        compile_items(read_files([str(path)])(), Merger(), stats=serial_stats, encode=True)
    )
    plain, _ = compile_bytes(path.read_bytes(), lazy=False)
    assert serial == plain
    stats = Stats()
    pivots = sample_pivots([str(path)], jobs)
    assert pivots is not None
    assert compile_parts([str(path)], jobs, stats, pivots) == serial
    assert summary(stats) == summary(serial_stats)


@pytest.mark.parametrize("lazy", [False, True])
def test_json_lines_whose_first_line_is_longer_than_the_sniffed_head(lazy):
    """A first line of several MiB (a package of large releases) is still JSON Lines: the
    next lines are read as lines and their problems say their line numbers."""
    from cocrea.money.ocds.reader import SNIFF_BYTES

    package = orjson.dumps(synthetic.package(list(synthetic.releases(40, seed=2, large=True))))
    assert len(package) > 2 * SNIFF_BYTES
    data = package + b"\n" + b'{"ocid":"b","date":' + b"\n" + AWKWARD_LINES[0] + b"\n"
    stats = Stats()
    items = read_items(io.BufferedReader(io.BytesIO(data)), lazy=lazy)
    out = list(compile_items(items, Merger(), stats=stats, encode=True))
    assert len(out) == 41
    assert [p.where for p in stats.problems] == ["line 2"]


@pytest.mark.parametrize("target", ["file", "pipe", "memory"])
def test_partition_outputs_are_appended_whole_to_files_pipes_and_buffers(tmp_path, target):
    """`append_file` copies in the kernel where it can (a file, a pipe) and through Python
    otherwise, after what the output already holds (buffered, not yet written)."""
    source = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the test
    body = b"".join(b'{"ocid":"ocds-%06d"}\n' % i for i in range(50_000))  # > one pipe buffer
    source.write(body)
    source.seek(0)
    if target == "pipe":
        read_end, write_end = os.pipe()
        out = os.fdopen(write_end, "wb", buffering=1 << 16)
        chunks = []
        reader = threading.Thread(target=lambda: chunks.append(os.fdopen(read_end, "rb").read()))
        reader.start()
    elif target == "file":
        out = open(tmp_path / "out.jsonl", "wb", buffering=1 << 16)  # noqa: SIM115
    else:
        out = io.BytesIO()
    out.write(b"first\n")
    append_file(source, out)
    out.write(b"last\n")
    if target == "memory":
        written = out.getvalue()
    else:
        out.close()
        if target == "pipe":
            reader.join()
            written = chunks[0]
        else:
            written = (tmp_path / "out.jsonl").read_bytes()
    assert written == b"first\n" + body + b"last\n"


@pytest.mark.parametrize("first_break", ["none", "after the limit", "before the limit"])
def test_long_first_lines_are_told_from_the_memory_map_as_when_read(
    tmp_path, monkeypatch, first_break
):
    """A file whose first line runs past `LINE_BYTES` is a document, found without reading
    the line (the memory map is searched); the items are those the stream alone gives."""
    monkeypatch.setattr(reader, "LINE_BYTES", 2 << 20)  # past the first MiB, which is sniffed
    package = orjson.dumps(synthetic.package(list(synthetic.releases(500, seed=11))))
    assert len(package) > (3 << 20)
    small = orjson.dumps(synthetic.package(list(synthetic.releases(1, seed=12))))
    data = {
        "none": package,
        "after the limit": package + b"\n",
        "before the limit": small + b"\n" + package + b"\n",
    }[first_break]
    path = tmp_path / "input.json"
    path.write_bytes(data)
    with Source(path) as source:
        mapped = [(i.kind, i.value, i.where) for i in source.items(lazy=True)]
    plain = read_items(io.BufferedReader(io.BytesIO(data), 1 << 20), lazy=True)
    assert mapped == [(i.kind, i.value, i.where) for i in plain]
    assert sum(len(value) for kind, value, _ in mapped if kind == "lazy") >= 500


@given(
    pivots=st.lists(st.binary(max_size=6), min_size=1, max_size=4, unique=True),
    ocids=st.lists(st.binary(max_size=8), max_size=30),
)
def test_a_partition_owns_the_ocids_of_its_range(pivots, ocids):
    """The one-comparison tests of the first and last partitions agree with the ranges."""
    texts = sorted(p.decode("latin-1").encode().decode() for p in pivots)
    parts = len(texts) + 1
    partitions = [Partition(i, parts, texts) for i in range(parts)]
    for ocid in [*ocids, *partitions[0].pivot_bytes]:
        owners = [p.index for p in partitions if p.owns_bytes(ocid)]
        assert owners == [partitions[0].of_bytes(ocid)]


def trusted_lines(count: int = 400) -> bytes:
    """JSON Lines of plain releases, enough for every partition to trust the heads."""
    releases = list(synthetic.releases(count // 3, seed=11))[:count]
    assert len(releases) > 2 * Owner.CAREFUL
    return b"".join(orjson.dumps(r) + b"\n" for r in releases)


def test_an_owner_trusts_heads_after_careful_values_only():
    owner = Owner(lambda ocid: True)
    sure = b'{"ocid":"a","id":"1","date":"2024-01-01"}'
    for _ in range(Owner.CAREFUL - 1):
        assert owner.ocid(sure, b"a") == "a"
    assert not owner.trusted
    assert owner.ocid(sure, b"a") == "a"
    assert owner.trusted
    # Trusted: the head is taken as it is, the parsing checks it.
    assert owner.ocid(b'{"ocid":"a","releases":[]}', b"a") == "a"

    careful = Owner(lambda ocid: True)
    assert careful.ocid(b'{"ocid":"a","releases":[]}', b"a") is None  # a record, say
    for _ in range(2 * Owner.CAREFUL):
        assert careful.ocid(sure, b"a") == "a"
    assert not careful.trusted


LATE_VALUES = [
    # A record among releases: its embedded releases, not the record, are compiled.
    b'{"ocid":"OCID","releases":[{"ocid":"OCID","id":"r-9","date":"2024-05-01"}]}',
    # The key repeated with another ocid: the last one counts, as for ocdskit.
    b'{"ocid":"OCID","id":"r-8","date":"2024-05-01","ocid":"zz-other"}',
    # Surely a release, with no date: a problem, as in one process.
    b'{"ocid":"OCID","id":"r-7"}',
]


@pytest.mark.parametrize(
    ("shape", "late"),
    [("lines", late) for late in LATE_VALUES]
    + [("lines", b'{"ocid":"OCID","id":"r-6",')]  # not JSON after its head
    + [(shape, late) for shape in ("packages", "document", "array") for late in LATE_VALUES],
)
def test_trusted_heads_give_what_one_process_gives(tmp_path, late, shape):
    """Past the careful first values a partition trusts the ocid a value starts with; a later
    value that is something else is found when parsed, and the result is one process's."""
    data = trusted_lines()
    ocid = orjson.loads(data.splitlines()[-1])["ocid"]
    late = late.replace(b"OCID", ocid.encode())
    releases = [orjson.loads(line) for line in data.splitlines()]
    if shape == "lines":
        text = data + late + b"\n" + data.splitlines(keepends=True)[0]
    elif shape == "packages":  # JSON Lines of one package
        head = orjson.dumps(synthetic.package(releases))[: -len(b"]}")]
        text = head + b"," + late + b"]}\n"
    else:  # one document over several lines: a release package or an array
        value = synthetic.package(releases) if shape == "document" else releases
        pretty = json.dumps(value, indent=1, ensure_ascii=False).encode()
        end = pretty.rindex(b"]")
        text = pretty[:end] + b"," + late + pretty[end:]
    path = tmp_path / "late.jsonl"
    path.write_bytes(text)
    assert_partitions_give_one_process(path, sample_pivots([str(path)], 2))


@pytest.mark.parametrize("shape", ["lines", "packages"])
def test_trusting_partitions_skim_only_their_first_values(tmp_path, monkeypatch, shape):
    """Each partition checks the keys of its first `Owner.CAREFUL` values only."""
    path = tmp_path / "plain.jsonl"
    data = trusted_lines(1200)
    if shape == "packages":
        releases = [orjson.loads(line) for line in data.splitlines()]
        data = orjson.dumps(synthetic.package(releases)) + b"\n"
    path.write_bytes(data)
    calls = []
    real = values.decode_head
    monkeypatch.setattr(values, "decode_head", lambda text: calls.append(1) or real(text))
    pivots = sample_pivots([str(path)], 2)
    for index in range(2):
        calls.clear()
        items = list(read_files([str(path)])(Partition(index, 2, pivots)))
        assert sum(len(item.value) for item in items if item.kind == reader.LAZY) > 400
        assert len(calls) == Owner.CAREFUL


@pytest.mark.parametrize("where", [0.4, 0.6, 0.9])  # past the first MiB, which sniffs the encoding
@pytest.mark.parametrize("shape", ["package-line", "document"])
def test_each_partition_checks_its_share_of_the_utf8(tmp_path, where, shape):
    """Every partition checks the UTF-8 of its share of a package line or document only; a
    bad byte in any share gives what one process gives (the compile starts over)."""
    releases = [orjson.loads(line) for line in trusted_lines(4000).splitlines()]
    text = orjson.dumps(synthetic.package(releases))
    at = text.index(b'"title":"', int(len(text) * where)) + len(b'"title":"')
    bad = text[:at] + b"\xff" + text[at:]
    path = tmp_path / "bad.json"
    for data in (text, bad):
        path.write_bytes(data + b"\n" if shape == "package-line" else data)
        serial = assert_partitions_give_one_process(path, sample_pivots([str(path)], 2))
        assert (len(serial) > 500) is (data is text), len(serial)


def test_a_utf8_share_starts_at_a_character(monkeypatch):
    """Shares are cut where a character starts, so a whole file of accents is UTF-8 in every
    share, and a stray byte is found in the share that holds it."""
    text = "áé€𝄞ñ".encode() * 1000
    for parts in (2, 3, 7):
        for index in range(parts):
            Owner(lambda ocid: True, index, parts).check_utf8(text)  # no error
    broken = text[:2500] + b"\x80" + text[2500:]
    found = []
    for index in range(3):
        try:
            Owner(lambda ocid: True, index, 3).check_utf8(broken)
        except values.Misrouted:
            found.append(index)
    assert found == [0]
