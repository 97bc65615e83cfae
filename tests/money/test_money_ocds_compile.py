"""`cocrea ocds compile` must equal `ocdskit compile --schema release-schema.json`."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import warnings
from pathlib import Path

import orjson
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from cocrea.money.ocds import merge, synthetic
from cocrea.money.ocds.compile import Stats, Stop, compile_items
from cocrea.money.ocds.merge import Merger
from cocrea.money.ocds.reader import Source, read_items
from cocrea.money.ocds.schema import RELEASE_SCHEMA, merge_rules

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "fictional-example"
RELEASE_FILES = sorted(EXAMPLE.glob("ocds-213czf-000-00001-0*.json"))


def ocdskit_compile(items: list) -> list[dict]:
    """The reference: ocdskit's Python API, as its `compile` command calls it."""
    from ocdskit.combine import merge

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(merge(items, schema=str(RELEASE_SCHEMA)))


def ours(path_or_bytes, **kwargs) -> list[dict]:
    if isinstance(path_or_bytes, bytes):
        items = read_items(io.BufferedReader(io.BytesIO(path_or_bytes)))
        return list(compile_items(items, Merger(), **kwargs))
    with Source(path_or_bytes) as source:
        return list(compile_items(source.items(), Merger(), **kwargs))


def jsonl(values) -> bytes:
    return b"".join(orjson.dumps(v) + b"\n" for v in values)


def test_merge_rules_equal_ocdsmerge():
    from ocdsmerge.rules import get_merge_rules

    assert merge_rules() == get_merge_rules(str(RELEASE_SCHEMA))


def test_fictional_example_equals_ocdskit(tmp_path):
    packages = [json.loads(p.read_text()) for p in RELEASE_FILES]
    expected = ocdskit_compile(packages)
    assert len(expected) == 1
    concatenated = b"".join(p.read_bytes() for p in RELEASE_FILES)  # pretty-printed documents
    assert ours(concatenated) == expected
    # The same packages as JSON Lines, as a JSON array, and gzip-compressed.
    assert ours(jsonl(packages)) == expected
    assert ours(orjson.dumps(packages)) == expected
    gz = tmp_path / "packages.json.gz"
    gz.write_bytes(gzip.compress(jsonl(packages)))
    assert ours(gz) == expected


def test_record_packages():
    # Linked releases: the record's compiledRelease is compiled (ocdskit rejects records).
    path = EXAMPLE / "record" / "ocds-213czf-000-00001.json"
    record = json.loads(path.read_text())["records"][0]
    assert ours(path) == ocdskit_compile([record["compiledRelease"]])
    # Embedded releases are compiled as ocdskit compiles a record's releases.
    with_versions = EXAMPLE / "record" / "ocds-213czf-000-00001-withversions.json"
    embedded = json.loads(with_versions.read_text())["records"][0]
    if all("ocid" in r for r in embedded["releases"]):
        assert ours(with_versions) == ocdskit_compile(embedded["releases"])


@pytest.fixture(scope="module")
def generated():
    releases = list(synthetic.releases(600, seed=7))
    return releases, ocdskit_compile(releases)


def test_generated_releases_equal_ocdskit(generated):
    releases, expected = generated
    # The data set exercises the cases that matter.
    dates = {}
    for r in releases:
        dates.setdefault(r["ocid"], []).append(r["date"])
    assert any(d == [None] for d in dates.values())  # a release without date
    assert any(len(d) != len(set(d)) for d in dates.values())  # equal dates
    assert sum(len(d) >= 5 for d in dates.values()) > 100  # many releases per process
    assert any(c["id"].endswith("-None") for c in expected)

    calls = []
    # The module of the merger in use: the compiled copy of merge.py, when it is built.
    merge_module = sys.modules[merge.Merger.__module__]
    original = merge_module.reference_compile

    def spy(*args):
        calls.append(args)
        return original(*args)

    merge_module.reference_compile = spy
    try:
        result = ours(jsonl(releases))
    finally:
        merge_module.reference_compile = original
    assert calls  # the type-conflict processes went through the exact slow path
    assert len(result) == len(expected) == 600
    assert [c["ocid"] for c in result] == [c["ocid"] for c in expected]
    assert result == expected
    # Key order aside, even the bytes match.
    assert jsonl(result) == jsonl(expected)
    # A JSON array of the same releases (streamed entry by entry).
    assert ours(orjson.dumps(releases)) == expected


def test_spilling_to_disk_gives_the_same_output(generated):
    releases, expected = generated
    stats = Stats()
    items = read_items(io.BufferedReader(io.BytesIO(jsonl(releases))))
    result = list(compile_items(items, Merger(), stats=stats, buffer_bytes=256 << 10))
    assert result == expected
    assert stats.releases == len(releases)


def test_release_packages_and_pretty_documents(generated, tmp_path):
    releases, expected = generated
    packages = [synthetic.package(releases[i : i + 500]) for i in range(0, len(releases), 500)]
    assert ours(jsonl(packages)) == expected
    pretty = b"\n".join(orjson.dumps(p, option=orjson.OPT_INDENT_2) for p in packages)
    assert ours(pretty) == expected
    path = tmp_path / "package.json.gz"
    path.write_bytes(gzip.compress(orjson.dumps(packages[0], option=orjson.OPT_INDENT_2)))
    assert ours(path) == ocdskit_compile([packages[0]])


def test_iso_8859_1_input_equals_ocdskit(tmp_path):
    releases = list(synthetic.releases(40, seed=3))
    text = jsonl(releases).decode()
    assert "í" in text
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(text.encode("iso-8859-1"))
    cmd = [sys.executable, "-m", "ocdskit", "--encoding", "iso-8859-1", "compile"]
    cmd += ["--schema", str(RELEASE_SCHEMA)]
    proc = subprocess.run(cmd, stdin=path.open("rb"), capture_output=True, check=True)
    expected = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert ours(path) == expected
    out = tmp_path / "out.jsonl"
    call_command("ocds", "compile", str(path), "--encoding", "iso-8859-1", "--output", str(out))
    assert [orjson.loads(line) for line in out.read_bytes().splitlines()] == expected


def test_command_compiles_files_in_one_stream(tmp_path):
    out = tmp_path / "out.jsonl"
    call_command("ocds", "compile", *map(str, RELEASE_FILES), "--output", str(out))
    packages = [json.loads(p.read_text()) for p in RELEASE_FILES]
    assert [orjson.loads(x) for x in out.read_bytes().splitlines()] == ocdskit_compile(packages)


def test_problems_are_reported_or_fatal_with_strict(tmp_path):
    good = {"ocid": "ocds-x-1", "id": "1", "date": "2024-01-01T00:00:00Z", "parties": []}
    lines = [
        orjson.dumps(good),
        b'{"ocid": "ocds-x-2", "id": "1", "date": "2024-01-0',  # broken JSON
        orjson.dumps({"ocid": "ocds-x-3", "id": "1"}),  # no date
        orjson.dumps({"id": "1", "date": "2024-01-01"}),  # no ocid
        orjson.dumps({"ocid": "ocds-x-4", "id": "1", "date": None}),
        orjson.dumps({"ocid": "ocds-x-4", "id": "2", "date": "2024-01-02"}),  # null + string
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    stats = Stats()
    result = ours(path, stats=stats)
    assert [c["ocid"] for c in result] == ["ocds-x-1"]
    reasons = {p.where: p.reason for p in stats.problems}
    assert reasons["line 2"].startswith("invalid JSON")
    assert reasons["line 3"] == "the release has no `date`"
    assert reasons["line 4"] == "the release has no `ocid`"
    assert "null" in reasons["ocid ocds-x-4"]
    with pytest.raises(Stop, match="line 2: invalid JSON"):
        ours(path, strict=True)
    with pytest.raises(CommandError, match="line 2"):
        call_command("ocds", "compile", str(path), "--strict", "--output", str(tmp_path / "o"))


def test_validate_option_skips_invalid_releases(tmp_path):
    releases = list(synthetic.releases(5, seed=1, edge_cases=False))
    releases[0]["tender"] = {"id": "T", "value": {"amount": "mucho"}}
    stats = Stats()
    from cocrea.money.ocds.schema import validation_errors

    result = ours(jsonl(releases), validate=validation_errors, stats=stats)
    assert stats.problem_count == 1
    assert "tender/value/amount" in stats.problems[0].reason
    assert len(result) == 5  # the process still compiles from its other releases


def test_parallel_workers_give_the_same_bytes_in_the_same_order(generated, monkeypatch):
    """`--jobs 2` (spilled input compiled by forked workers) equals the serial path."""
    from cocrea.money.ocds import compile as compile_module

    releases, expected = generated
    monkeypatch.setattr(compile_module, "BATCH_BYTES", 64 << 10)  # several batches in flight

    def run(jobs):
        stats = Stats()
        items = read_items(io.BufferedReader(io.BytesIO(jsonl(releases))))
        out = list(
            compile_items(
                items, Merger(), stats=stats, buffer_bytes=256 << 10, encode=True, jobs=jobs
            )
        )
        return out, stats

    serial, _ = run(1)
    parallel, stats = run(2)
    assert parallel == serial
    assert [orjson.loads(line) for line in parallel] == expected
    assert stats.processes == len(expected)


def test_concatenated_documents_split_where_each_ends():
    """Concatenated documents are cut where msgspec says each ends: brackets and line breaks
    inside strings, arrays after packages, no white space between documents, white space at
    the end; the documents read as the streaming reader reads them."""
    from cocrea.money.ocds.documents import split_document, stream_document

    release = {"ocid": "x}\n{", "id": "1", "date": "2024-01-01", "title": "] [ }{"}
    other = {"ocid": "y", "id": "2", "date": "2024-01-02"}
    package = {"uri": "p", "releases": [release, other]}
    for data in (
        orjson.dumps(package) + orjson.dumps(package),
        orjson.dumps(package, option=orjson.OPT_INDENT_2) + b"\n \n" + orjson.dumps(package),
        orjson.dumps(package) + b"\n" + orjson.dumps({"uri": "q", "releases": []}) + b"\n\n",
    ):
        values = split_document(memoryview(data), "releases.item")
        assert values is not None and len(values) == 2
        streamed = list(stream_document(io.BytesIO(data), data, "releases.item"))
        assert [i.value for i in read_items(io.BufferedReader(io.BytesIO(data)))] == [
            i.value for i in streamed
        ]
    arrays = orjson.dumps([release]) + b" " + orjson.dumps([other, release])
    assert len(split_document(memoryview(arrays), "item")) == 2
    # Broken after the first document: left to the streaming reader (which reports it).
    assert split_document(memoryview(orjson.dumps(package) + b'{"uri": '), "releases.item") is None


def _documents_by_python(data: bytes) -> list:
    """The concatenated documents of ``data``, cut by Python's own decoder."""
    decoder = json.JSONDecoder()
    text = data.decode()
    documents, at = [], 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        value, at = decoder.raw_decode(text, at)
        documents.append(value)
    return documents


_FORMATS = {
    "compact": lambda v: orjson.dumps(v),
    "pretty": lambda v: orjson.dumps(v, option=orjson.OPT_INDENT_2),
    # Objects closed at the start of lines inside the document (not where it ends).
    "odd": lambda v: json.dumps(v, indent=0).encode(),
}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 6),
            st.sampled_from(sorted(_FORMATS)),
            st.sampled_from([b"", b"\n", b"\r\n", b" \n \n"]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([b"", b"\n", b"\n\n  "]),
)
def test_concatenated_documents_of_any_sizes_and_layouts_split_as_python_does(docs, end):
    """A document tried up to a line-start ``}`` near where one as long as the one before
    would end is cut there only if it is whole: the same documents as Python's decoder."""
    from cocrea.money.ocds.documents import split_document

    data = b""
    for i, (count, layout, separator) in enumerate(docs):
        releases = [
            {"ocid": f"o{i}-{k}", "id": str(k), "date": "2024-01-01", "tag": ["tender"]}
            for k in range(count)
        ]
        data += (separator if i else b"") + _FORMATS[layout]({"uri": f"p{i}", "releases": releases})
    data += end
    values = split_document(memoryview(data), "releases.item")
    assert values is not None
    expected = _documents_by_python(data)
    assert [[orjson.loads(bytes(r)) for r in v.releases] for v in values] == [
        d["releases"] for d in expected
    ]


def test_documents_of_one_size_are_decoded_once_each_after_the_first(monkeypatch):
    from cocrea.money.ocds import documents

    package = synthetic.package(list(synthetic.releases(20, seed=3)))
    data = b"\n".join([orjson.dumps(package, option=orjson.OPT_INDENT_2)] * 5) + b"\n"
    calls = []
    decode = documents._DECODERS["releases.item"]
    monkeypatch.setitem(
        documents._DECODERS, "releases.item", lambda d: calls.append(len(d)) or decode(d)
    )
    values = documents.split_document(memoryview(data), "releases.item")
    assert [len(v.releases) for v in values] == [len(package["releases"])] * 5
    assert len(calls) == 2 + 4  # the first document twice (to find its end), the others once
