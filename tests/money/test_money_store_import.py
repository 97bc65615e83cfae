"""`cocrea money import`: Parquet snapshots switched atomically, never half-written."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import orjson
import pytest
from django.core.management import CommandError, call_command

from cocrea.money.ocds import synthetic, tables
from cocrea.money.ocds.importer import ImportAborted, import_ocds
from cocrea.money.store import snapshots

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "fictional-example"
RELEASE_FILES = sorted(EXAMPLE.glob("ocds-213czf-000-00001-0*.json"))


def jsonl(values) -> bytes:
    return b"".join(orjson.dumps(v) + b"\n" for v in values)


@pytest.fixture
def money(tmp_path, settings):
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    return tmp_path / "money"


@pytest.fixture
def releases_file(tmp_path):
    path = tmp_path / "releases.jsonl"
    path.write_bytes(jsonl(synthetic.releases(60, seed=5, edge_cases=False)))
    return path


def state(root: Path) -> tuple:
    """What a reader could see: the CURRENT pointer and the directories."""
    current = (root / "CURRENT").read_text() if (root / "CURRENT").exists() else None
    names = sorted(p.name for p in root.iterdir()) if root.exists() else []
    return current, names


def test_query_before_any_import_sees_empty_tables(money):
    assert snapshots.current_snapshot() is None
    assert snapshots.query("SELECT count(*) AS n FROM processes") == [{"n": 0}]
    assert snapshots.query("SELECT * FROM transactions") == []


def test_import_fictional_example(money, capsys):
    call_command("money", "import", *map(str, RELEASE_FILES), "--source", "ficticio")
    out = capsys.readouterr().out
    assert "processes     1" in out
    assert "releases      6" in out
    assert "transactions  2" in out
    assert "parties       3" in out
    assert "skipped       0" in out
    snapshot = snapshots.current_snapshot()
    assert snapshot is not None and snapshot.name == "snapshot-000001"
    (process,) = snapshots.query("SELECT * FROM processes")
    assert process["ocid"] == "ocds-213czf-000-00001"
    assert process["buyer_name"] == "London Borough of Barnet"
    assert process["release_count"] == 6
    assert process["paid_amount"] == 60000.0
    suppliers = snapshots.query("SELECT supplier_name FROM award_suppliers")
    assert suppliers == [{"supplier_name": "AnyCorp Cycle Provision"}]
    # The stored compiled release is the compiled release.
    (row,) = snapshots.query("SELECT compiled_release FROM releases")
    compiled = orjson.loads(row["compiled_release"])
    assert compiled["tag"] == ["compiled"]
    assert compiled["id"] == "ocds-213czf-000-00001-2011-01-10T09:30:00Z"
    # Other engines read the same files.
    assert (snapshot / "processes" / "ficticio.parquet").exists()


def test_sources_are_replaced_one_at_a_time(money, releases_file):
    first = import_ocds([releases_file], "sintetico", entity="17")
    assert first.processes == 60 and first.skipped == 0
    import_ocds(RELEASE_FILES, "ficticio")
    rows = snapshots.query(
        "SELECT source, entity, count(*) AS n FROM processes GROUP BY ALL ORDER BY 1"
    )
    assert rows == [
        {"source": "ficticio", "entity": None, "n": 1},
        {"source": "sintetico", "entity": "17", "n": 60},
    ]
    # Re-importing a source replaces its rows only.
    small = releases_file.parent / "small.jsonl"
    small.write_bytes(jsonl(synthetic.releases(10, seed=9, edge_cases=False)))
    import_ocds([small], "sintetico", entity="14")
    rows = snapshots.query(
        "SELECT source, entity, count(*) AS n FROM processes GROUP BY ALL ORDER BY 1"
    )
    assert rows == [
        {"source": "ficticio", "entity": None, "n": 1},
        {"source": "sintetico", "entity": "14", "n": 10},
    ]
    info = snapshots.manifest()
    assert set(info["sources"]) == {"ficticio", "sintetico"}
    assert info["sources"]["sintetico"]["counts"]["processes"] == 10
    # Only the last snapshots are kept.
    kept = sorted(p.name for p in money.glob("snapshot-*"))
    assert kept == ["snapshot-000001", "snapshot-000002", "snapshot-000003"]
    import_ocds([small], "otra")
    kept = sorted(p.name for p in money.glob("snapshot-*"))
    assert kept == ["snapshot-000002", "snapshot-000003", "snapshot-000004"]


def test_readers_keep_their_snapshot_while_an_import_switches(money, releases_file):
    import_ocds(RELEASE_FILES, "ficticio")
    old = snapshots.connect()
    import_ocds([releases_file], "sintetico")
    assert old.execute("SELECT count(*) FROM processes").fetchone() == (1,)
    assert snapshots.query("SELECT count(*) AS n FROM processes") == [{"n": 61}]
    old.close()


def test_compiled_releases_records_packages_gzip_and_latin1(money, tmp_path, releases_file):
    from cocrea.money.ocds.compile import compile_items
    from cocrea.money.ocds.reader import Source

    with Source(releases_file) as source:
        compiled = list(compile_items(source.items()))
    expected = import_ocds([releases_file], "a").processes
    counts = snapshots.query("SELECT count(*) AS n, sum(paid_amount) AS paid FROM processes")[0]

    compiled_file = tmp_path / "compiled.jsonl.gz"
    compiled_file.write_bytes(gzip.compress(jsonl(compiled)))
    report = import_ocds([compiled_file], "a")
    assert report.processes == expected and report.compiled_releases == expected
    again = snapshots.query("SELECT count(*) AS n, sum(paid_amount) AS paid FROM processes")[0]
    assert again == counts

    packages = tmp_path / "packages.json"
    raw = [orjson.loads(line) for line in releases_file.read_bytes().splitlines()]
    packages.write_bytes(orjson.dumps(synthetic.package(raw), option=orjson.OPT_INDENT_2))
    assert import_ocds([packages], "a").processes == expected

    latin = tmp_path / "latin1.jsonl"
    latin.write_bytes(releases_file.read_bytes().decode().encode("iso-8859-1"))
    assert import_ocds([latin], "a").processes == expected
    names = snapshots.query(
        "SELECT DISTINCT buyer_name FROM processes WHERE buyer_name LIKE '%ía%'"
    )
    assert names  # "Secretaría de Educación Jalisco" decoded correctly

    record = EXAMPLE / "record" / "ocds-213czf-000-00001.json"
    report = import_ocds([record], "registro")
    assert report.records == 1 and report.processes == 1


# --- Malformed files: never a half-written snapshot ------------------------------------------


def broken_json(path: Path, good: bytes) -> None:
    path.write_bytes(good + b'{"ocid": "ocds-x", "date": "2024-01-0\n' + good)


def wrong_types(path: Path, good: bytes) -> None:
    bad = {"ocid": "ocds-x-1", "id": "1", "date": "2024-01-01T00:00:00Z", "tag": ["tender"]}
    bad["tender"] = {"id": "T", "value": {"amount": "mucho dinero"}}
    bad["awards"] = {"id": "not-an-array"}
    path.write_bytes(good + orjson.dumps(bad) + b"\n")


def wrong_encoding(path: Path, good: bytes) -> None:
    path.write_bytes(good.decode().encode("utf-16"))


def latin1_declared_utf8(path: Path, good: bytes) -> None:
    last = good.splitlines()[-1]
    path.write_bytes(good + last.decode().encode("iso-8859-1") + b"\n")


def empty(path: Path, good: bytes) -> None:
    path.write_bytes(b"")


def nothing_valid(path: Path, good: bytes) -> None:
    path.write_bytes(b"not json at all\n")


CASES = {
    # name: (writer, aborts without --strict, encoding)
    "broken_json": (broken_json, False, None),
    "wrong_types": (wrong_types, False, None),
    "wrong_encoding": (wrong_encoding, True, None),
    "latin1_declared_utf8": (latin1_declared_utf8, False, "utf-8"),
    "empty": (empty, True, None),
    "nothing_valid": (nothing_valid, True, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_files_never_leave_a_half_written_snapshot(
    case, money, tmp_path, releases_file, monkeypatch
):
    writer, always_aborts, encoding = CASES[case]
    import_ocds(RELEASE_FILES, "ficticio")
    before = state(money)
    # Batches are written to Parquet mid-import.
    monkeypatch.setattr(tables, "BATCH_BYTES", 20_000)
    bad = tmp_path / f"{case}.jsonl"
    writer(bad, releases_file.read_bytes())

    with pytest.raises(ImportAborted) as aborted:
        import_ocds([bad], "sintetico", strict=True, encoding=encoding)
    assert state(money) == before, "a failed import must not change anything"
    assert not list(money.glob(".tmp-*"))
    assert str(aborted.value)

    if always_aborts:
        with pytest.raises(ImportAborted):
            import_ocds([bad], "sintetico", encoding=encoding)
        assert state(money) == before
        assert not list(money.glob(".tmp-*"))
    else:
        report = import_ocds([bad], "sintetico", encoding=encoding)
        assert report.skipped >= 1
        assert all(p.where.startswith("line ") for p in report.problems)
        total = snapshots.query("SELECT count(*) AS n FROM processes WHERE source = 'sintetico'")
        assert total == [{"n": report.processes}]
        assert snapshots.current_snapshot().name != before[0].strip()


def test_strict_and_default_through_the_command(money, tmp_path, releases_file, capsys):
    bad = tmp_path / "bad.jsonl"
    broken_json(bad, releases_file.read_bytes())
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("money", "import", str(bad), "--source", "s", "--strict")
    assert snapshots.current_snapshot() is None
    call_command("money", "import", str(bad), "--source", "s")
    captured = capsys.readouterr()
    line = len(releases_file.read_bytes().splitlines()) + 1
    assert f"skipped line {line}: invalid JSON" in captured.err
    assert "skipped       1" in captured.out
    assert "processes     60" in captured.out


def test_bad_arguments(money, releases_file):
    with pytest.raises(ImportAborted, match="source"):
        import_ocds([releases_file], "Mi Fuente")
    with pytest.raises(ImportAborted, match="entity"):
        import_ocds([releases_file], "s", entity="99")
    with pytest.raises(ImportAborted, match="No such file"):
        import_ocds([releases_file.parent / "missing.json"], "s")
    assert snapshots.current_snapshot() is None


def test_stdin(money, releases_file, monkeypatch):
    import sys

    class Stdin:
        buffer = io.BytesIO(releases_file.read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert import_ocds(["-"], "stdin").processes == 60


def test_external_views_join_the_snapshot(money, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    import_ocds(RELEASE_FILES, "ficticio")
    lines = tmp_path / "lines.parquet"
    pq.write_table(pa.table({"ocid": ["ocds-213czf-000-00001"], "aprobado": [1.5]}), lines)
    snapshots.register_view("test_budget_lines", lambda: [lines])
    try:
        rows = snapshots.query(
            "SELECT p.buyer_name, b.aprobado FROM processes p JOIN test_budget_lines b USING (ocid)"
        )
        assert rows == [{"buyer_name": "London Borough of Barnet", "aprobado": 1.5}]
    finally:
        snapshots.EXTERNAL_VIEWS.pop("test_budget_lines")


def test_repeated_ocids_of_compiled_releases_are_counted_and_leave_no_files(
    money, tmp_path, capsys
):
    from cocrea.money.ocds.compile import compile_items
    from cocrea.money.ocds.merge import Merger
    from cocrea.money.ocds.reader import RELEASE, Item

    items = [
        Item(RELEASE, r, f"{i}")
        for i, r in enumerate(synthetic.releases(40, seed=9, edge_cases=False))
    ]
    compiled = list(compile_items(iter(items), Merger(), stats=None))
    # The first three processes again (another publisher's copy, say), one of them twice.
    path = tmp_path / "compiled.jsonl"
    path.write_bytes(jsonl([*compiled, *compiled[:3], compiled[0]]))
    report = import_ocds([path], "copias", base=money)
    assert report.processes == len(compiled) + 4
    assert report.duplicate_ocids == 4
    # The count spills to a directory of its own, removed afterwards.
    assert sorted(p.name for p in money.iterdir()) == [".lock", "CURRENT", report.snapshot]
    call_command("money", "import", str(path), "--source", "copias2")
    assert "warning: 4 ocids appear more than once" in capsys.readouterr().out
