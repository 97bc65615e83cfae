"""The store tables made by DuckDB (SQL path) equal those of the Python path, row for row.

`cocrea.money.ocds.tables` turns compiled releases into rows with DuckDB when a release has
the shape its SQL reads exactly (`shape_validator`), and with the Python functions `rows` and
`flow_rows` otherwise; the Python functions define the semantics. Here both paths run on the
same releases (synthetic ones with the merge edge cases, the fictional example, the demo's
and many variants with odd values) and must give the same rows.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from json_paths import json_paths

from cocrea.money import demo
from cocrea.money.ocds import rows as python_rows
from cocrea.money.ocds import synthetic, tables
from cocrea.money.store.snapshots import TableWriter

EXAMPLE = Path(__file__).parent / "fixtures" / "fictional-example"

ODD_VALUES = [
    None, "", "x", 0, 7, -3, 1.5, 1e16, 2.5e-7, True, [], {}, ["x"], [{}], {"id": 1},
    "2024-01-01", "1,234.5", " 12 ", 12.345, 0.125, -0.005, 1.005, 1e15 + 0.125,
]  # fmt: skip
DATES = [
    "2024-01-01", "2024-01-01T10:00:00Z", "2024-01-01T10:00Z", "2024-01-01T10:00:00.123Z",
    "2024-01-01T10:00:00.1234567Z", "2024-01-01T23:30:00-06:00", "2024-01-01 10:00:00",
    "2024-01-01T10:00:00+0530", "2024-01-01T10:00:00+06", "2024-02-30", "2023-02-29",
    "2024-01-01T24:00:00Z", "2024-01-01T10:00:60Z", "0999-01-01", "20240101T100000Z",
    "2024-W01-1", "2024-01-01t10:00:00z", "2024-01-01T10", "9999-12-31T23:00:00-06:00",
    "2024-01-01T10:00:00,5Z", "ayer", "",
]  # fmt: skip
AMOUNTS = [
    0, 1, -1, 0.01, 0.005, 0.015, 0.025, 12.345, -12.345, 1.005, 0.285, 2.675, 1e-5, -1e-5,
    123456789.125, 9999999999999998.0, 1e16, 1e15 + 0.125, 14873143.91, 16360458.301,
    0.30000000000000004, 2**53, 7.0, 1234.5678, 99.995, -99.995,
]  # fmt: skip


def _get(release: dict, path: tuple):
    for part in path:
        release = release[part]
    return release


def _set(release: dict, path: tuple, value) -> dict:
    release = copy.deepcopy(release)
    parent = release
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return release


def _variants(release: dict, rng: random.Random, n: int) -> list[dict]:
    paths = [p for p in json_paths(release) if p and p != ("ocid",)]
    out = []
    for _ in range(n):
        path = rng.choice(paths)
        last = path[-1]
        if isinstance(last, str) and "date" in last.lower():
            value = rng.choice(DATES)
        elif last == "amount":
            value = rng.choice(AMOUNTS + ODD_VALUES[:6])
        else:
            value = copy.deepcopy(rng.choice(ODD_VALUES))
        out.append(_set(release, path, value))
    return out


def _releases() -> list[dict]:
    rng = random.Random(3)
    base = list(synthetic.releases(40, seed=4, edge_cases=True))
    from cocrea.money.ocds.compile import compile_items
    from cocrea.money.ocds.reader import Item

    compiled = list(compile_items(Item("release", r, f"line {i}") for i, r in enumerate(base)))
    for path in sorted(EXAMPLE.glob("ocds-213czf-000-00001-0*.json")):
        compiled += json.loads(path.read_text())["releases"]
    demo_releases, _budget = demo.build(5, [("17", "Morelos")])
    compiled += demo_releases[:20]
    out = []
    for release in compiled:
        if not isinstance(release.get("ocid"), str):
            continue
        out.append(release)
        out += [v for v in _variants(release, rng, 6) if isinstance(v.get("ocid"), str)]
    # Amounts and dates everywhere, and awards shared by several suppliers.
    for i, amount in enumerate(AMOUNTS):
        release = copy.deepcopy(compiled[i % len(compiled)])
        for path in list(json_paths(release)):
            if path and path[-1] == "amount" and not isinstance(_get(release, path), dict):
                release = _set(release, path, amount)
        for award in release.get("awards") or []:
            award["suppliers"] = [{"id": f"S{k}", "name": ""} for k in range(1 + i % 4)]
        out.append(release)
    for i, when in enumerate(DATES):
        release = copy.deepcopy(compiled[i % len(compiled)])
        for path in list(json_paths(release)):
            is_date = path and isinstance(path[-1], str) and "date" in path[-1].lower()
            if is_date and not isinstance(_get(release, path), dict | list):
                release = _set(release, path, when)
        out.append(release)
    return out


def _flatten(releases: list[dict], tmp_path: Path, plain_only: bool | None) -> dict[str, list]:
    """Rows of every table; ``plain_only=False`` forces the Python path for all releases."""
    writers = {}
    for name, schema in tables.SCHEMAS.items():
        (tmp_path / name).mkdir(parents=True)
        writers[name] = TableWriter(tmp_path / name / "t.parquet", schema)
    flattener = tables.Flattener(writers, "fuente", "17")
    if plain_only is False:
        flattener.shape = lambda release: False
    for release in releases:
        flattener.add(release, 3)
    flattener.close()
    out = {}
    for name, writer in writers.items():
        writer.close()
        table = pq.read_table(writer.path)
        # Timestamps as microseconds (year 10000 in UTC has no Python datetime).
        table = table.cast(
            pa.schema(
                [
                    pa.field(f.name, pa.int64()) if pa.types.is_timestamp(f.type) else f
                    for f in table.schema
                ]
            )
        )
        out[name] = table.to_pylist()
    return out


def _key(row: dict) -> str:
    return repr(sorted(row.items()))


def test_sql_and_python_paths_give_the_same_rows(tmp_path):
    releases = _releases()
    shape = tables.shape_validator()
    plain = sum(shape.is_valid(r) for r in releases)
    # Both paths are exercised.
    assert plain > 200 and len(releases) - plain > 100, (plain, len(releases))
    sql = _flatten(releases, tmp_path / "sql", None)
    python = _flatten(releases, tmp_path / "python", False)
    for name in tables.SCHEMAS:
        assert len(sql[name]) == len(python[name]), name
        if name == "releases":
            assert sql[name] == python[name]
            continue
        expected = sorted(python[name], key=_key)
        got = sorted(sql[name], key=_key)
        for a, b in zip(got, expected, strict=True):
            assert a == b, name
    assert sql["processes"] and sql["flow_awards"] and sql["items"]


def test_sql_keeps_the_python_order_of_rows(tmp_path):
    releases = [r for r in _releases() if tables.shape_validator().is_valid(r)][:200]
    sql = _flatten(releases, tmp_path / "sql", None)
    python = _flatten(releases, tmp_path / "python", False)
    for name in tables.SCHEMAS:
        assert sql[name] == python[name], name


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for macro in tables.MACROS:
        con.execute(macro)
    yield con
    con.close()


def test_dates_of_the_pattern_read_alike(con):
    import re

    pattern = re.compile(tables.DATE_PATTERN)
    matched = 0
    for text in DATES:
        if not pattern.search(text):
            continue
        matched += 1
        ts, day = con.execute("SELECT epoch_us(ts(?)), day(?)", [text, text]).fetchone()
        expected = python_rows._t(text)
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        assert ts == ((expected - epoch) // timedelta(microseconds=1) if expected else None), text
        assert day == python_rows._date(text), text
    assert matched >= 12


def test_cents_are_python_decimals_half_to_even(con):
    rng = random.Random(5)
    values = list(AMOUNTS)
    values += [rng.randrange(-(10**6), 10**6) / 1000 for _ in range(3000)]  # many ties
    values += [rng.uniform(-1e12, 1e12) for _ in range(1000)]
    values += [rng.randrange(10**15) / 8 for _ in range(300)]
    values = [float(v) for v in values]
    got = con.execute(
        "SELECT list_transform(?::DOUBLE[], lambda x: cents(x))", [values]
    ).fetchone()[0]
    for value, cents in zip(values, got, strict=True):
        assert cents == python_rows._amount({"amount": value}), value
    for amount in (Decimal("0.05"), Decimal("0.07"), Decimal("-0.05"), Decimal("100.01")):
        for n in (1, 2, 3, 4, 7):
            (share,) = con.execute("SELECT share(?::DECIMAL(18, 2), ?)", [amount, n]).fetchone()
            assert share == (amount / n).quantize(Decimal("0.01")), (amount, n)


def test_shape_types_are_those_of_the_struct():
    """Every field the SQL reads is declared in the shape (so the shape check covers it)."""
    shape = tables.SHAPE_SCHEMA
    structure = json.loads(tables.STRUCTURE)

    def walk(spec, schema):
        if isinstance(spec, str):
            assert "properties" not in schema
            return
        if isinstance(spec, list):
            walk(spec[0], schema["items"])
            return
        for key, value in spec.items():
            walk(value, schema["properties"][key])

    walk(structure, shape)
    assert isinstance(pa.schema(tables.SCHEMAS["flow_processes"]), pa.Schema)
    assert python_rows._date("2024-05-06T00:00:00-06:00") == date(2024, 5, 6)
    assert python_rows._t("2024-05-06") == datetime(2024, 5, 6, tzinfo=UTC)
