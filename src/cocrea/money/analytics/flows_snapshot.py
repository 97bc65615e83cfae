"""The flows snapshot: where it lives (``COCREA_MONEY_DIR/flows/CURRENT``) and the tables it
holds, the flows tables (`SCHEMAS`) and the per-party summary and lists written with them.

Readers (`database`) and writers (`flows`, `parties`) share this layout, so neither imports
the other for it."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from django.conf import settings

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

# The per-party summary and lists (`parties`), written into each snapshot after the flows
# tables.
SUMMARY_TABLE = "party_summary"
SUMMARY_FILE = f"{SUMMARY_TABLE}.parquet"
SEARCH_TABLE = "party_search"
SEARCH_FILE = f"{SEARCH_TABLE}.parquet"
BIDS_TABLE = "party_bids"
BIDS_FILE = f"{BIDS_TABLE}.parquet"
LINKS_TABLE = "party_links"
LINKS_FILE = f"{LINKS_TABLE}.parquet"
PROCESSES_TABLE = "party_processes"
PROCESSES_FILE = f"{PROCESSES_TABLE}.parquet"
FLAGS_TABLE = "party_flags"
FLAGS_FILE = f"{FLAGS_TABLE}.parquet"
# Every table of a complete snapshot (view name, file): a snapshot without one of them is
# rebuilt by the next `cocrea money sync-flows` (`flows._up_to_date`).
PARTY_TABLES = (
    (SUMMARY_TABLE, SUMMARY_FILE),
    (SEARCH_TABLE, SEARCH_FILE),
    (BIDS_TABLE, BIDS_FILE),
    (LINKS_TABLE, LINKS_FILE),
    (PROCESSES_TABLE, PROCESSES_FILE),
    (FLAGS_TABLE, FLAGS_FILE),
)


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


def derived_from() -> str | None:
    snap = current_snapshot()
    if snap is None:
        return None
    try:
        return (snap / "STORE").read_text().strip() or None
    except FileNotFoundError:
        return None
