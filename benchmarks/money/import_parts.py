"""Where `cocrea money import` of compiled releases spends its CPU, part by part.

    uv run --frozen python benchmarks/money/import_parts.py COMPILED.jsonl [--batches 4000,20000]

Runs each part of the import alone, in this process, over the same file (e.g. the
`compiled.jsonl` that `bench_ocds.py --keep` leaves), and prints its CPU seconds: reading and
cutting the lines, parsing them (orjson), validating them against the OCDS schema with the
shape check (jsonschema-rs, as the import's one pass), encoding them again, writing the texts
to Parquet, and DuckDB's flattening (`tables.Flattener` queries) in one thread with batches
of each size given. The sum says what the import cannot go below on this machine; compare
it with DuckDB's bare `read_json` in `bench_ocds.py`. The cyclic garbage collector is off, as
in the import.
"""

from __future__ import annotations

import argparse
import gc
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

import orjson  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from cocrea.money.ocds import tables  # noqa: E402


class _Discard:
    """A table writer that keeps nothing (the flattening alone is measured)."""

    def write(self, table) -> None:
        pass

    def add(self, row) -> None:
        pass


def timed(label: str, work):
    start = time.process_time()
    result = work()
    print(f"{label:44s} {time.process_time() - start:7.2f} s CPU", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("compiled", help="compiled releases, one per line")
    parser.add_argument("--batches", default="4000,20000", help="releases per DuckDB batch")
    args = parser.parse_args()
    gc.disable()

    def read():
        with open(args.compiled, "rb") as f:
            return [line.rstrip(b"\n") for line in io.BytesIO(f.read()).readlines()]

    lines = timed("read and cut the lines", read)
    releases = timed("parse (orjson)", lambda: [orjson.loads(line) for line in lines])
    valid = tables.valid_and_shaped_validator().is_valid
    timed("validate + shape (jsonschema-rs, one pass)", lambda: [valid(r) for r in releases])
    texts = timed("encode again (orjson)", lambda: [orjson.dumps(r) for r in releases])
    ocids = [r["ocid"] for r in releases]

    def parquet():
        strings = tables._strings(texts)
        schema = pa.schema([("compiled_release", pa.string())])
        with (
            tempfile.TemporaryDirectory() as tmp,
            pq.ParquetWriter(
                f"{tmp}/t.parquet", schema, compression="zstd", use_dictionary=False
            ) as writer,
        ):
            for start in range(0, len(strings), 8192):
                writer.write_table(pa.table({"compiled_release": strings[start:][:8192]}))

    timed("texts to Parquet (zstd)", parquet)
    flattener = tables.Flattener({name: _Discard() for name in tables.SCHEMAS}, "bench", None)
    flattener.abort()  # its threads are not used: `_rows` runs here, one batch at a time
    con = flattener._connect()
    for size in (int(s) for s in args.batches.split(",")):

        def flatten(size=size):
            for start in range(0, len(texts), size):
                n = len(texts[start : start + size])
                flattener._rows(
                    con, start, ocids[start : start + size], texts[start : start + size],
                    [None] * n, [True] * n, [True] * n, [],
                )  # fmt: skip

        timed(f"DuckDB flattening, batches of {size:,}", flatten)
    con.close()


if __name__ == "__main__":
    main()
