"""Benchmark: the OCDS release/record package export (opendata) beside DuckDB's own
``COPY ... TO ... (FORMAT JSON)`` of the same rows. Not part of the test suite.

    uv run --frozen python benchmarks/opendata/bench_ocds_export.py               # 100k processes
    uv run --frozen python benchmarks/opendata/bench_ocds_export.py --sizes 20000 --keep

For each size: synthetic releases (`cocrea.money.ocds.synthetic`, ~6 per process), compiled
with `cocrea ocds compile` and imported with `cocrea money import` as the money benchmarks do
(benchmarks/money/bench_ocds.py's helpers); then, each in its own process (wall, CPU, peak
RSS polled from /proc, as there):

* the release package export (`cocrea.opendata.ocds.release_package`, what
  /api/v1/ocds/release-package streams) written to a file;
* the record package export (each record compiles its release with the project's merge);
* DuckDB's ``COPY (SELECT compiled_release FROM read_parquet(...)) TO 'x.json' (FORMAT JSON)``
  over the same Parquet files (one JSON object per line, the text not re-parsed).

The release package is checked to hold as many releases as the store has processes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks" / "money"))

from bench_ocds import fmt, generate, run  # noqa: E402

BIN = Path(sys.executable).parent

EXPORT = """
import sys, django
django.setup()
from cocrea.opendata import ocds
kind, out = sys.argv[1], sys.argv[2]
base, path = "http://127.0.0.1:8000", "/api/v1/ocds/release-package"
chunks = (ocds.release_package(base, path, {}) if kind == "releases"
          else ocds.record_package(base, "/api/v1/ocds/record-package", path, {}))
with open(out, "wb") as f:
    for chunk in chunks:
        f.write(chunk)
"""

DUCKDB = """
import sys, duckdb
con = duckdb.connect()
con.execute("SET threads = 1")
files = sys.argv[1]
con.execute(f"COPY (SELECT compiled_release FROM read_parquet('{files}')) TO '{sys.argv[2]}' (FORMAT JSON)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="cocrea-opendata-bench-"))
    env = {**os.environ, "COCREA_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cocrea.settings"}
    if env.get("PYTHONDONTWRITEBYTECODE"):
        env.pop("PYTHONDONTWRITEBYTECODE")
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cocrea = [str(BIN / "cocrea")]
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            d = work / f"n{n}"
            d.mkdir(parents=True, exist_ok=True)
            files = generate(d, n, args.seed, packages=False, reuse=True)
            compiled = d / "compiled.jsonl"
            m = run(
                [*cocrea, "ocds", "compile", str(files["releases"]), "-o", str(compiled)], env=env
            )
            print(f"[{n}] cocrea ocds compile            {fmt(m)}")
            money = d / "money"
            shutil.rmtree(money, ignore_errors=True)
            menv = {**env, "COCREA_MONEY_DIR": str(money)}
            m = run([*cocrea, "money", "import", str(compiled), "--source", "bench"], env=menv)
            print(f"[{n}] cocrea money import compiled  {fmt(m)}")
            snapshot = money / (money / "CURRENT").read_text().strip()
            parquet = str(snapshot / "releases" / "*.parquet")
            results = {}
            for kind in ("releases", "records"):
                out = d / f"{kind}-package.json"
                m = run([sys.executable, "-c", EXPORT, kind, str(out)], env=menv)
                results[kind] = m
                size = out.stat().st_size / 2**20
                print(f"[{n}] opendata {kind:8s} package      {fmt(m)}  {size:8.1f} MiB")
            out = d / "duckdb.jsonl"
            m = run([sys.executable, "-c", DUCKDB, parquet, str(out)], env=env)
            results["duckdb"] = m
            print(
                f"[{n}] duckdb COPY TO JSON (1 thread)  {fmt(m)}  {out.stat().st_size / 2**20:8.1f} MiB"
            )
            import orjson

            package = orjson.loads((d / "releases-package.json").read_bytes())
            with open(out, "rb") as f:
                lines = sum(1 for _ in f)
            assert len(package["releases"]) == lines, (len(package["releases"]), lines)
            del package
            ratio = results["releases"]["wall"] / results["duckdb"]["wall"]
            print(f"[{n}] release package / duckdb COPY = {ratio:.2f}x wall; {lines} releases")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"files kept in {work}")


if __name__ == "__main__":
    main()
