"""The import read by worker processes (`cocrea.money.ocds.import_workers`) gives what the
importer's own thread gives: the same Parquet content, problems named by line and field."""

from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from cocrea.money.ocds import import_workers, synthetic
from cocrea.money.ocds.importer import ImportAborted, import_ocds


@pytest.fixture
def compiled_file(tmp_path, monkeypatch):
    """Compiled releases of 80 processes (compiled by the importer itself), in small blocks
    so that every file is read as many blocks, with lines cut across block boundaries."""
    monkeypatch.setattr(import_workers, "BLOCK_BYTES", 3000)
    releases = tmp_path / "releases.jsonl"
    releases.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in synthetic.releases(80, seed=3)))
    base = tmp_path / "compile"
    report = import_ocds([releases], "origen", base=base, workers=0)
    table = pq.read_table(base / report.snapshot / "releases" / "origen.parquet")
    path = tmp_path / "compiled.jsonl"
    path.write_bytes(b"".join(t.encode() + b"\n" for t in table["compiled_release"].to_pylist()))
    return path


def content(root: Path, snapshot: str) -> dict:
    return {
        str(p.relative_to(root / snapshot)): pq.read_table(p).to_pylist()
        for p in sorted((root / snapshot).rglob("*.parquet"))
    }


@pytest.mark.parametrize("validate", [True, False])
def test_one_and_two_workers_write_what_the_thread_writes(tmp_path, compiled_file, validate):
    assert import_workers.plan(compiled_file, None, forced=True) is not None  # read by workers
    found = {}
    for workers in (0, 1, 2):
        base = tmp_path / f"w{workers}"
        report = import_ocds(
            [compiled_file], "fuente", base=base, workers=workers, validate=validate
        )
        found[workers] = (
            report.processes,
            report.compiled_releases,
            content(base, report.snapshot),
        )
    assert found[0][0] == 80
    assert found[0][2]  # some tables
    assert found[1] == found[0]
    assert found[2] == found[0]


def test_an_invalid_release_names_its_line_and_field_and_writes_nothing(tmp_path, compiled_file):
    lines = compiled_file.read_bytes().splitlines(keepends=True)
    bad = orjson.loads(lines[56])
    bad["tender"]["status"] = 7  # not a string
    lines[56] = orjson.dumps(bad) + b"\n"
    compiled_file.write_bytes(b"".join(lines))
    problems = {}
    for workers in (0, 2):
        base = tmp_path / f"w{workers}"
        with pytest.raises(ImportAborted) as aborted:
            import_ocds([compiled_file], "fuente", base=base, workers=workers, strict=True)
        problems[workers] = [(p.where, p.reason) for p in aborted.value.problems]
        assert not base.exists() or not any(base.rglob("*.parquet"))
    assert problems[2] == problems[0]
    ((where, reason),) = problems[2]
    assert where == "line 57"
    assert "tender/status" in reason


def test_skipped_releases_are_the_same_problems_in_the_same_order(tmp_path, compiled_file):
    lines = compiled_file.read_bytes().splitlines(keepends=True)
    for n in (3, 40, 41, 77):
        lines[n] = b'{"ocid": 5, "tag": ["compiled"], "date": "2024-01-01"}\n'
    lines[20] = b"not json\n"
    compiled_file.write_bytes(b"".join(lines))
    reports = {}
    for workers in (0, 2):
        base = tmp_path / f"w{workers}"
        report = import_ocds([compiled_file], "fuente", base=base, workers=workers)
        reports[workers] = (
            [(p.where, p.reason) for p in report.problems],
            report.skipped,
            content(base, report.snapshot),
        )
    assert reports[2] == reports[0]
    assert [where for where, _ in reports[2][0]] == [
        "line 4",
        "line 21",
        "line 41",
        "line 42",
        "line 78",
    ]
