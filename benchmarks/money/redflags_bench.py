"""Benchmark of `cocrea redflags`: throughput (releases/s) and peak memory, as the file grows.

    uv run --frozen python benchmarks/money/redflags_bench.py [--sizes 10000,100000] [--keep DIR]

A deterministic generator (seeded) writes realistic compiled releases: buyers, procuring
entities, tender periods, procurement methods, bids (valid, disqualified, withdrawn), awards
with classified items, so that every indicator has work to do and some processes are flagged.
Each size is measured in a fresh child process, which reports its own wall time and peak
resident memory; the baseline is the time to read and parse the same lines with orjson alone.
On a shared machine wall time depends on the load: CPU time (and releases per CPU-second) much
less so.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

METHODS = [
    ("open", "Licitación Pública"),
    ("selective", "Invitación a cuando menos tres personas"),
    ("direct", "Adjudicación Directa"),
    ("open", "Licitación Pública Internacional"),
]
SEGMENTS = [f"{n:02d}" for n in range(10, 96)]


def generate(path: Path, n: int, seed: int = 2018, suppliers: int = 0, buyers: int = 0) -> None:
    """Write n compiled releases to path (same arguments give the same bytes).

    Without a number of suppliers (buyers), there is one for every 20 (200) processes.
    """
    rng = random.Random(seed)
    suppliers = [f"MX-RFC-PROV{i:06d}" for i in range(suppliers or max(50, n // 20))]
    # Each supplier has a few usual segments; some are heterogeneous.
    usual = {s: rng.sample(SEGMENTS, 12 if rng.random() < 0.03 else 2) for s in suppliers}
    buyers = [f"MX-UC-{i:05d}" for i in range(buyers or max(10, n // 200))]
    with path.open("wb") as out:
        for i in range(n):
            method, details = METHODS[rng.randrange(len(METHODS))]
            buyer = rng.choice(buyers)
            day = 1 + rng.randrange(27)
            days = rng.choice((3, 5, 10, 15, 20, 30))
            tender = {
                "id": f"T-{i}",
                "status": "cancelled" if rng.random() < 0.01 else "complete",
                "procurementMethod": method,
                "procurementMethodDetails": details,
                "procuringEntity": {"id": buyer, "name": "Unidad compradora"},
                "tenderPeriod": {
                    "startDate": f"2024-03-{day:02d}T09:00:00-06:00",
                    "endDate": f"2024-{3 + (day + days) // 28:02d}-{1 + (day + days) % 28:02d}T18:00:00-06:00",
                },
            }
            release = {
                "ocid": f"ocds-abc123-{i:08d}",
                "id": f"ocds-abc123-{i:08d}-compiled",
                "date": "2024-06-01T00:00:00Z",
                "tag": ["compiled"],
                "initiationType": "tender",
                "buyer": {"id": buyer, "name": "Secretaría"},
                "parties": [
                    {"id": buyer, "name": "Secretaría", "roles": ["buyer", "procuringEntity"]}
                ],
                "tender": tender,
            }
            if method != "direct":
                k = rng.choice((1, 2, 3, 3, 4, 5, 6))
                tenderers = rng.sample(suppliers, k)
                base = rng.randrange(50_000, 5_000_000)
                bids = []
                for j, tenderer in enumerate(tenderers):
                    r = rng.random()
                    status = "disqualified" if r < 0.15 else ("withdrawn" if r < 0.17 else "valid")
                    amount = round(base * (1 + rng.random() * 0.3), 2) if j else base
                    if rng.random() < 0.01 and j:
                        amount = bids[0]["value"]["amount"]  # identical prices
                    late = rng.random() < 0.02
                    end = tender["tenderPeriod"]["endDate"]
                    bids.append(
                        {
                            "id": f"B-{i}-{j}",
                            "date": "2024-12-31T00:00:00Z"
                            if late
                            else end[:10] + "T10:00:00-06:00",
                            "status": status,
                            "tenderers": [{"id": tenderer, "name": "Proveedor"}],
                            "value": {"amount": amount, "currency": "MXN"},
                        }
                    )
                tender["numberOfTenderers"] = k
                release["bids"] = {"details": bids}
                valid = [b for b in bids if b["status"] == "valid"]
                winner_bid = min(valid, key=lambda b: b["value"]["amount"]) if valid else None
                if winner_bid is not None and rng.random() < 0.1 and len(valid) > 1:
                    winner_bid = max(valid, key=lambda b: b["value"]["amount"])
                winner = winner_bid["tenderers"][0]["id"] if winner_bid else rng.choice(suppliers)
                amount = winner_bid["value"]["amount"] if winner_bid else base
            else:
                winner = rng.choice(suppliers)
                amount = rng.randrange(10_000, 500_000)
            items = [
                {
                    "id": str(m),
                    "description": "Bien o servicio",
                    "classification": {
                        "scheme": "UNSPSC",
                        "id": rng.choice(usual[winner]) + "101500",
                    },
                    "quantity": rng.randrange(1, 100),
                }
                for m in range(rng.randrange(1, 4))
            ]
            release["awards"] = [
                {
                    "id": f"A-{i}",
                    "status": "active",
                    "suppliers": [{"id": winner, "name": "Proveedor"}],
                    "value": {"amount": amount, "currency": "MXN"},
                    "items": items,
                }
            ]
            release["contracts"] = [
                {
                    "id": f"C-{i}",
                    "awardID": f"A-{i}",
                    "status": "active",
                    "value": {"amount": amount, "currency": "MXN"},
                    "dateSigned": "2024-05-01T00:00:00-06:00",
                }
            ]
            out.write(orjson.dumps(release) + b"\n")


def child(path: str, mode: str) -> None:
    """Measure one run in this process; print seconds and peak RSS (KiB) as JSON."""
    start = time.perf_counter()
    if mode == "parse":
        n = 0
        with open(path, "rb") as f:
            for line in f:
                orjson.loads(line)
                n += 1
        extra = {"releases": n}
    else:
        from cocrea.money.redflags import Settings, process

        class Counter:
            written = 0

            def write(self, data):
                self.written += len(data)

        # As the command does: stream the result (to a byte counter instead of stdout).
        engine = process(path, Settings.all_defaults())
        out = Counter()
        engine.write_json(out)
        extra = {
            "releases": engine.lines,
            "output_bytes": out.written,
            "results": engine.counts(),
        }
        engine.close()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kib": usage.ru_maxrss, **extra}))


def measure(path: Path, mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--mode", mode],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000", help="comma-separated numbers of releases"
    )
    parser.add_argument(
        "--suppliers", type=int, default=0, help="size of the supplier pool (default: n/20)"
    )
    parser.add_argument("--buyers", type=int, default=0, help="number of buyers (default: n/200)")
    parser.add_argument("--keep", default=None, help="folder to keep the generated files in")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="redflags", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.mode)
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="redflags-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        f"{'releases':>10} {'MB':>8} {'parse s':>8} {'redflags s':>10} {'releases/s':>11} "
        f"{'cpu s':>7} {'rel/cpu-s':>10} {'cpu×parse':>9} {'peak MiB':>9} {'parse peak':>10}"
        "  results"
    )
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"releases-{size}-{args.suppliers}-{args.buyers}.jsonl"
            if not path.exists():
                generate(path, size, suppliers=args.suppliers, buyers=args.buyers)
            mb = path.stat().st_size / 1e6
            parse = measure(path, "parse")
            flags = measure(path, "redflags")
            rate = flags["releases"] / flags["seconds"]
            print(
                f"{size:>10} {mb:>8.1f} {parse['seconds']:>8.2f} {flags['seconds']:>10.2f} "
                f"{rate:>11,.0f} {flags['cpu']:>7.1f} {flags['releases'] / flags['cpu']:>10,.0f} "
                f"{flags['cpu'] / parse['cpu']:>9.2f} "
                f"{flags['peak_kib'] / 1024:>9.1f} {parse['peak_kib'] / 1024:>10.1f}  "
                f"{json.dumps(flags['results'])}",
                flush=True,
            )
    finally:
        if not args.keep:
            for file in folder.glob("releases-*.jsonl"):
                file.unlink()
            folder.rmdir()


if __name__ == "__main__":
    main()
