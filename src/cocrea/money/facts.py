"""Flat analytic tables of contracting processes, for flows, checks and pages.

From compiled releases (one JSON object a line) this module derives five narrow Parquet tables
that the analytical queries of `analytics.py` need, plus the red flags of each process, buyer
and supplier computed by the Cardinal-compatible engine (`cocrea.money.redflags`):

    processes     ocid, source, entity, buyer_id, buyer_name, title, method, method_details,
                  project_id, project, budget_amount, tender_value, date, year
    awards        ocid, award_id, status, date, amount, supplier_id, supplier_name
    contracts     ocid, contract_id, award_id, status, date_signed, amount
    transactions  ocid, contract_id, transaction_id, date, amount, payee_id, payee_name
    flags         grp, key, code, value      (grp = OCID, Buyer, ProcuringEntity, Tenderer)

and keeps the compiled releases as ``compiled.jsonl`` for downloads. Like the budget, each
import writes a new snapshot under ``COCREA_MONEY_DIR/flows/<id>/`` and switches
``flows/CURRENT`` to it atomically; the lines of the same `source` are replaced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from .redflags import Settings as FlagSettings
from .redflags import run as run_flags

AMOUNT = pa.decimal128(18, 2)
SCHEMAS = {
    "processes": pa.schema(
        [
            ("ocid", pa.string()),
            ("source", pa.string()),
            ("entity", pa.string()),
            ("buyer_id", pa.string()),
            ("buyer_name", pa.string()),
            ("title", pa.string()),
            ("method", pa.string()),
            ("method_details", pa.string()),
            ("project_id", pa.string()),
            ("project", pa.string()),
            ("budget_amount", AMOUNT),
            ("tender_value", AMOUNT),
            ("date", pa.date32()),
            ("year", pa.int16()),
        ]
    ),
    "awards": pa.schema(
        [
            ("ocid", pa.string()),
            ("award_id", pa.string()),
            ("status", pa.string()),
            ("date", pa.date32()),
            ("amount", AMOUNT),
            ("supplier_id", pa.string()),
            ("supplier_name", pa.string()),
        ]
    ),
    "contracts": pa.schema(
        [
            ("ocid", pa.string()),
            ("contract_id", pa.string()),
            ("award_id", pa.string()),
            ("status", pa.string()),
            ("date_signed", pa.date32()),
            ("amount", AMOUNT),
        ]
    ),
    "transactions": pa.schema(
        [
            ("ocid", pa.string()),
            ("contract_id", pa.string()),
            ("transaction_id", pa.string()),
            ("date", pa.date32()),
            ("amount", AMOUNT),
            ("payee_id", pa.string()),
            ("payee_name", pa.string()),
        ]
    ),
    "flags": pa.schema(
        [
            ("grp", pa.string()),
            ("key", pa.string()),
            ("code", pa.string()),
            ("value", pa.float64()),
        ]
    ),
}
TABLES = list(SCHEMAS)
COMPILED = "compiled.jsonl"
KEEP_SNAPSHOTS = 3
_CENT = Decimal("0.01")
_MAX = Decimal("1e16")


def flows_dir() -> Path:
    return Path(settings.COCREA_MONEY_DIR) / "flows"


def current_snapshot() -> Path | None:
    base = flows_dir()
    try:
        name = (base / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None
    path = base / name
    return path if (path / "processes.parquet").exists() else None


def table_path(name: str) -> Path | None:
    snap = current_snapshot()
    if snap is None:
        return None
    path = snap / (COMPILED if name == "compiled" else f"{name}.parquet")
    return path if path.exists() else None


# --- Flattening ------------------------------------------------------------------------------


def _obj(value) -> dict:
    return value if type(value) is dict else {}


def _list(value) -> list:
    return [v for v in value if type(v) is dict] if type(value) is list else []


def _str(value) -> str | None:
    if value is None:
        return None
    if type(value) in (str, int):
        return str(value)
    return None


def _amount(value) -> Decimal | None:
    amount = _obj(value).get("amount")
    if type(amount) not in (int, float) or amount != amount:
        return None
    try:
        result = Decimal(str(amount)).quantize(_CENT)
    except InvalidOperation:
        return None
    return result if abs(result) < _MAX else None


def _date(value) -> date | None:
    if type(value) is not str or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def flatten(release: dict, source: str, entity: str | None, regions: dict[str, str]) -> dict:
    """The rows of each table for one compiled release."""
    ocid = release.get("ocid")
    rows: dict[str, list[dict]] = {name: [] for name in TABLES if name != "flags"}
    if type(ocid) is not str:
        return rows
    parties = {_str(p.get("id")): p for p in _list(release.get("parties"))}
    buyer = _obj(release.get("buyer"))
    buyer_id = _str(buyer.get("id"))
    buyer_party = parties.get(buyer_id, {})
    buyer_name = _str(buyer.get("name")) or _str(buyer_party.get("name"))
    tender = _obj(release.get("tender"))
    planning = _obj(release.get("planning"))
    budget = _obj(planning.get("budget"))
    if entity is None:
        region = _str(_obj(buyer_party.get("address")).get("region"))
        entity = regions.get((region or "").strip().lower())

    awards = _list(release.get("awards"))
    contracts = _list(release.get("contracts"))
    signed = [d for d in (_date(c.get("dateSigned")) for c in contracts) if d]
    awarded = [d for d in (_date(a.get("date")) for a in awards) if d]
    tender_date = _date(_obj(tender.get("tenderPeriod")).get("startDate"))
    when = min(signed or awarded or [d for d in [tender_date, _date(release.get("date"))] if d]
               or [None], key=lambda d: d or date.max)  # fmt: skip
    rows["processes"].append(
        {
            "ocid": ocid,
            "source": source,
            "entity": entity,
            "buyer_id": buyer_id,
            "buyer_name": buyer_name,
            "title": _str(tender.get("title")) or _str(planning.get("rationale")),
            "method": _str(tender.get("procurementMethod")),
            "method_details": _str(tender.get("procurementMethodDetails")),
            "project_id": _str(budget.get("projectID")),
            "project": _str(budget.get("project")),
            "budget_amount": _amount(budget.get("amount")),
            "tender_value": _amount(tender.get("value")),
            "date": when,
            "year": when.year if when else None,
        }
    )
    for award in awards:
        award_id = _str(award.get("id"))
        suppliers = _list(award.get("suppliers")) or [{}]
        amount = _amount(award.get("value"))
        share = (amount / len(suppliers)).quantize(_CENT) if amount is not None else None
        for supplier in suppliers:
            sid = _str(supplier.get("id"))
            rows["awards"].append(
                {
                    "ocid": ocid,
                    "award_id": award_id,
                    "status": _str(award.get("status")),
                    "date": _date(award.get("date")),
                    "amount": share,
                    "supplier_id": sid,
                    "supplier_name": _str(supplier.get("name"))
                    or _str(parties.get(sid, {}).get("name")),
                }
            )
    for contract in contracts:
        contract_id = _str(contract.get("id"))
        rows["contracts"].append(
            {
                "ocid": ocid,
                "contract_id": contract_id,
                "award_id": _str(contract.get("awardID")),
                "status": _str(contract.get("status")),
                "date_signed": _date(contract.get("dateSigned")),
                "amount": _amount(contract.get("value")),
            }
        )
        implementation = _obj(contract.get("implementation"))
        for tx in _list(implementation.get("transactions")):
            payee = _obj(tx.get("payee"))
            pid = _str(payee.get("id"))
            rows["transactions"].append(
                {
                    "ocid": ocid,
                    "contract_id": contract_id,
                    "transaction_id": _str(tx.get("id")),
                    "date": _date(tx.get("date")),
                    "amount": _amount(tx.get("value")) or _amount(tx.get("amount")),
                    "payee_id": pid,
                    "payee_name": _str(payee.get("name")) or _str(parties.get(pid, {}).get("name")),
                }
            )
    return rows


def _region_map() -> dict[str, str]:
    """Entity names (official and common, lower case) → INEGI code, from the database."""
    try:
        from cocrea.territory.models import Entity

        mapping: dict[str, str] = {}
        for code, name, common in Entity.objects.values_list("code", "name", "common_name"):
            mapping[name.lower()] = code
            mapping[common.lower()] = code
        mapping.setdefault("cdmx", "09")
        return mapping
    except Exception:  # noqa: BLE001 - no database (pure tools): no mapping
        return {}


# --- Snapshots -------------------------------------------------------------------------------


class FlowsImport:
    def __init__(self):
        self.processes = 0
        self.awards = 0
        self.contracts = 0
        self.transactions = 0
        self.flags = 0
        self.skipped = 0
        self.snapshot = ""


def _switch(base: Path, name: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=base, prefix=".CURRENT-")
    with os.fdopen(fd, "w") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, base / "CURRENT")


def _prune(base: Path, keep: str) -> None:
    snaps = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in snaps[:-KEEP_SNAPSHOTS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def import_compiled(
    releases: Iterable[dict | bytes | tuple],
    source: str,
    *,
    entity: str | None = None,
    batch_size: int = 20_000,
    replace_all: bool = False,
    derived_from: str | None = None,
) -> FlowsImport:
    """Write a new snapshot with the processes of `source` replaced by `releases`; switch to it.

    `releases` are compiled releases (dicts or JSON bytes), or (release, entity code) pairs.
    Memory stays bounded: rows are written in batches with a Parquet writer; the compiled
    releases are streamed to disk. `replace_all` drops every previous process (a full
    rebuild); `derived_from` records the store snapshot the rebuild comes from.
    """
    result = FlowsImport()
    base = flows_dir()
    base.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
    tmp = base / f".tmp-{name}"
    tmp.mkdir()
    regions = _region_map() if entity is None else {}
    try:
        new_dir = tmp / "new"
        new_dir.mkdir()
        writers = {
            t: pq.ParquetWriter(new_dir / f"{t}.parquet", SCHEMAS[t])
            for t in TABLES
            if t != "flags"
        }
        buffers: dict[str, list[dict]] = {t: [] for t in writers}
        compiled_path = new_dir / COMPILED
        seen: set[str] = set()

        def flush():
            for t, rows in buffers.items():
                if rows:
                    writers[t].write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[t]))
                    rows.clear()

        with open(compiled_path, "wb") as compiled:
            for item in releases:
                item_entity = entity
                if isinstance(item, tuple):
                    item, item_entity = item
                if isinstance(item, bytes | bytearray):
                    try:
                        release = orjson.loads(item)
                    except orjson.JSONDecodeError:
                        result.skipped += 1
                        continue
                    data = bytes(item).rstrip(b"\r\n")
                else:
                    release, data = item, orjson.dumps(item)
                if type(release) is not dict or type(release.get("ocid")) is not str:
                    result.skipped += 1
                    continue
                if release["ocid"] in seen:
                    result.skipped += 1
                    continue
                seen.add(release["ocid"])
                compiled.write(data + b"\n")
                rows = flatten(release, source, item_entity, regions)
                for t, table_rows in rows.items():
                    buffers[t].extend(table_rows)
                result.processes += 1
                if len(buffers["processes"]) >= batch_size:
                    flush()
            flush()
        for w in writers.values():
            w.close()

        previous = None if replace_all else current_snapshot()
        final_tmp = tmp / "out"
        final_tmp.mkdir()
        con = duckdb.connect()
        try:
            _merge_tables(con, previous, new_dir, final_tmp, source)
            _merge_compiled(con, previous, new_dir, final_tmp, source)
            _compute_flags(final_tmp)
            counts = {
                t: con.execute(
                    f"SELECT count(*) FROM read_parquet('{final_tmp / (t + '.parquet')}')"
                ).fetchone()[0]
                for t in TABLES
            }
            result.awards = counts["awards"]
            result.contracts = counts["contracts"]
            result.transactions = counts["transactions"]
            result.flags = counts["flags"]
        finally:
            con.close()
        if derived_from:
            (final_tmp / "STORE").write_text(derived_from + "\n")
        final = base / name
        os.rename(final_tmp, final)
        shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _switch(base, name)
    _prune(base, name)
    result.snapshot = name
    return result


def _merge_tables(con, previous: Path | None, new_dir: Path, out: Path, source: str) -> None:
    for t in TABLES:
        if t == "flags":
            continue
        new = str(new_dir / f"{t}.parquet")
        target = str(out / f"{t}.parquet")
        # Processes clustered by entity and year: pages filter on them, and DuckDB skips
        # the row groups whose min/max exclude the entity.
        order = "entity, year, ocid" if t == "processes" else "ocid"
        if previous is not None and (previous / f"{t}.parquet").exists():
            old = str(previous / f"{t}.parquet")
            old_processes = str(previous / "processes.parquet")
            keep = (
                f"SELECT * FROM read_parquet('{old}') WHERE source <> $source"
                if t == "processes"
                else f"SELECT o.* FROM read_parquet('{old}') o WHERE o.ocid IN "
                f"(SELECT ocid FROM read_parquet('{old_processes}') WHERE source <> $source)"
            )
            query = (
                f"SELECT * FROM ({keep}) k WHERE k.ocid NOT IN "
                f"(SELECT ocid FROM read_parquet('{new}')) "
                f"UNION ALL SELECT * FROM read_parquet('{new}')"
            )
            con.execute(
                f"COPY ({query} ORDER BY {order}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)",
                {"source": source},
            )
        else:
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{new}') ORDER BY {order}) TO '{target}' "
                "(FORMAT parquet, COMPRESSION zstd)"
            )


def _merge_compiled(con, previous: Path | None, new_dir: Path, out: Path, source: str) -> None:
    """compiled.jsonl of the kept processes of other sources + the new ones."""
    target = out / COMPILED
    new = new_dir / COMPILED
    if previous is None or not (previous / COMPILED).exists():
        shutil.move(new, target)
        return
    kept = {
        row[0]
        for row in con.execute(
            f"SELECT ocid FROM read_parquet('{out / 'processes.parquet'}')"
        ).fetchall()
    }
    with open(new, "rb") as src:
        new_ocids = {orjson.loads(line)["ocid"] for line in src}
    with open(target, "wb") as dst:
        with open(previous / COMPILED, "rb") as src:
            for line in src:
                ocid = orjson.loads(line).get("ocid")
                if ocid in kept and ocid not in new_ocids:
                    dst.write(line)
        with open(new, "rb") as src:
            shutil.copyfileobj(src, dst)


def _compute_flags(out: Path) -> None:
    result, _engine = run_flags(out / COMPILED, FlagSettings.all_defaults(), meta=False)
    rows = []
    for grp, entries in result.items():
        if grp in {"Meta", "Maps"}:
            continue
        for key, codes in entries.items():
            for code, value in codes.items():
                rows.append({"grp": grp, "key": key, "code": code, "value": float(value)})
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS["flags"]), out / "flags.parquet")


# --- Derived from the contracting store ------------------------------------------------------


def store_signature() -> tuple[Path, str] | None:
    """The current store snapshot and a signature of its compiled releases' files.

    The store hard-links the files of unchanged sources into each new snapshot, so the
    signature (file names, inodes and sizes) changes only when compiled releases change —
    not when, say, budget lines are imported.
    """
    from . import store

    snap = store.current_snapshot()
    if snap is None:
        return None
    files = sorted((snap / "releases").glob("*.parquet"))
    if not files:
        return None
    text = "\n".join(f"{f.name}:{f.stat().st_ino}:{f.stat().st_size}" for f in files)
    return snap, hashlib.sha1(text.encode()).hexdigest()[:16]


def derived_from() -> str | None:
    snap = current_snapshot()
    if snap is None:
        return None
    try:
        return (snap / "STORE").read_text().strip() or None
    except FileNotFoundError:
        return None


def store_processes(snapshot: Path) -> int:
    """How many processes the store snapshot holds (from its manifest)."""
    from . import store

    sources = store.manifest(snapshot).get("sources", {})
    return sum(int(info.get("counts", {}).get("processes", 0)) for info in sources.values())


def sync_from_store(force: bool = False, max_processes: int | None = None) -> FlowsImport | None:
    """Rebuild the flows snapshot from the store's compiled releases when they changed.

    The store keeps every compiled release with its source and entity (`releases` table);
    the flows tables and red flags are derived from them. Returns None when up to date, when
    another process is already rebuilding (readers keep the current flows meanwhile), or when
    the store holds more than `max_processes` (web requests leave big rebuilds to
    `cocrea money sync-flows`, run after each import).
    """
    found = store_signature()
    if found is None or (not force and derived_from() == found[1]):
        return None
    if not force and max_processes is not None and store_processes(found[0]) > max_processes:
        return None
    import fcntl

    base = flows_dir()
    base.mkdir(parents=True, exist_ok=True)
    lock = open(base / ".sync-lock", "a+")  # noqa: SIM115 - closed below
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | (0 if force else fcntl.LOCK_NB))
    except BlockingIOError:
        lock.close()
        return None
    try:
        found = store_signature()
        if found is None or (not force and derived_from() == found[1]):
            return None
        return _rebuild(*found)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _rebuild(snapshot: Path, signature: str) -> FlowsImport:
    from . import store

    con = store.connect(snapshot)

    def items():
        cur = con.execute("SELECT entity, compiled_release FROM releases ORDER BY source, ocid")
        while batch := cur.fetchmany(2000):
            for entity, text in batch:
                yield (text.encode(), entity)

    try:
        return import_compiled(items(), "store", replace_all=True, derived_from=signature)
    finally:
        con.close()


def read_jsonl(path) -> Iterable[bytes]:
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield line
