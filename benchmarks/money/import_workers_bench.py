"""The store import (`import_ocds`, validating, without the flows rebuild) with 0 (the
importer's thread), 1 and 2 worker processes, beside DuckDB's bare ``read_json`` -> Parquet of
the same file, in one run (wall, CPU seconds, peak MiB of each process and its workers).

    uv run --frozen python benchmarks/money/import_workers_bench.py --sizes 50000 [--workdir D]

With ``--full``, also the whole command a user runs, ``cocrea money import FILE`` (the store
import, then the flows tables and red flags that the pages read), and ``cocrea redflags FILE``
(Cardinal's indicators alone) over the same file.

Compiled releases come from `cocrea.money.ocds.synthetic` compiled by
``python -m cocrea.money.ocds compile`` (as `bench_ocds.py` makes them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ocds import BIN, fmt, generate, run  # noqa: E402

IMPORT = (
    "import sys; from cocrea.money.ocds.importer import import_ocds; "
    "import_ocds([sys.argv[1]], 'bench', base=sys.argv[2], workers=int(sys.argv[3]))"
)
DUCKDB = (
    'import duckdb, sys; con = duckdb.connect(); con.execute("COPY (SELECT * FROM '
    "read_json($1, format='newline_delimited', maximum_object_size=104857600)) "
    'TO \'" + sys.argv[2] + "\' (FORMAT parquet)", [sys.argv[1]])'
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50000")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--workers", default="0,1,2")
    parser.add_argument("--full", action="store_true", help="also `cocrea money import`, redflags")
    args = parser.parse_args()
    env = {**os.environ, "COCREA_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cocrea.settings"}
    work = Path(args.workdir or tempfile.mkdtemp(prefix="import-workers-"))
    for n in map(int, args.sizes.split(",")):
        d = work / f"n{n}"
        d.mkdir(parents=True, exist_ok=True)
        compiled = d / "compiled.jsonl"
        if not compiled.exists():
            files = generate(d, n, seed=2018, packages=False, reuse=True)
            py = [sys.executable, "-m", "cocrea.money.ocds", "compile"]
            run([*py, str(files["releases"])], stdout=compiled)
        mib = compiled.stat().st_size / 2**20
        duck = run([sys.executable, "-c", DUCKDB, str(compiled), str(d / "duck.parquet")])
        print(f"{n} processes, {mib:.0f} MiB: duckdb read_json -> parquet {fmt(duck)}")
        for workers in map(int, args.workers.split(",")):
            shutil.rmtree(d / "money", ignore_errors=True)
            m = run([sys.executable, "-c", IMPORT, str(compiled), str(d / "money"), str(workers)])
            print(
                f"  import, workers={workers}: {fmt(m)}  "
                f"{m['wall'] / duck['wall']:.2f}x duckdb (wall)"
            )
        if args.full:
            shutil.rmtree(d / "money", ignore_errors=True)
            command = [str(BIN / "cocrea"), "money", "import", str(compiled), "--source", "bench"]
            m = run(command, env={**env, "COCREA_MONEY_DIR": str(d / "money")})
            print(
                f"  cocrea money import (store, flows, red flags): {fmt(m)}  "
                f"{m['wall'] / duck['wall']:.2f}x duckdb (wall)"
            )
            flags = run([str(BIN / "cocrea"), "redflags", str(compiled)], env=env)
            print(f"  cocrea redflags: {fmt(flags)}")
        shutil.rmtree(d / "money", ignore_errors=True)


if __name__ == "__main__":
    main()
