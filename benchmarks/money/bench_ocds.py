"""Benchmark: `cocrea ocds compile` vs `ocdskit compile`, `cocrea money import` vs DuckDB.

Run from the repository root (not part of the test suite)::

    uv run --frozen python benchmarks/money/bench_ocds.py                 # a few minutes
    uv run --frozen python benchmarks/money/bench_ocds.py --sizes 100000,1000000 \\
        --ocdskit-max 100000 --workdir /big/disk/bench                     # 100k and 1M processes

For each size (number of contracting processes) it generates, deterministically
(`cocrea.money.ocds.synthetic`, ~6 releases per process, interleaved):

* ``releases.jsonl``  one release per line;
* ``packages.jsonl``  the same releases in release packages of 1,000 releases;
* ``compiled.jsonl``  the compiled releases (output of `cocrea ocds compile`).

and measures, each command in its own process (wall time, CPU time, peak RSS via `os.wait4`):

1. `ocdskit compile --schema release-schema.json` vs `cocrea ocds compile` on the releases and on
   the packages; checks the outputs are identical (JSON equality, line by line) and prints the
   speed ratio;
2. `cocrea money import compiled.jsonl` (with and without schema validation) vs DuckDB's bare
   ``read_json`` of the same file written to Parquet, and `cocrea money import releases.jsonl`
   (compile + validate + store);
3. peak memory of each as the file grows.

With ``--shape`` it compares compile only, on every packaging of the same releases (see
`SHAPES`), of small (~1.2 KB) or large (~20 KB) releases, at ``--scale`` processes, printing
one table of ratios (ocdskit / cocrea, wall and CPU) and whether each output is identical
(canonical JSON of every compiled release)::

    uv run --frozen python benchmarks/money/bench_ocds.py --shape all --size small,large \\
        --scale 20000 --ocdskit-cache /tmp/ocdskit-times.json

ocdskit's times and output digests can be kept in ``--ocdskit-cache`` (its 200k runs take
minutes): a later run with the same files measures ocdskit again only if asked (``--rerun-ocdskit``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from cocrea.money.ocds import synthetic  # noqa: E402
from cocrea.money.ocds.schema import RELEASE_SCHEMA  # noqa: E402

BIN = Path(sys.executable).parent


def run(cmd: list[str], stdin: Path | None = None, stdout: Path | None = None, env=None) -> dict:
    """Run ``cmd``; return wall seconds, CPU seconds and peak RSS (MiB) of that process."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115
    fout = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    # Not a pipe: ocdskit's warnings would fill it and block the child.
    ferr = tempfile.TemporaryFile()  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=ferr, env=env)
    # Peak RSS: the child's VmHWM, polled until it exits (ru_maxrss may report more than the
    # child itself used, e.g. the parent's RSS at fork).
    # Worker processes (`cocrea ocds compile --jobs`) count too: the figure is the sum of each
    # process's peak (an upper bound: forked workers share pages with their parent).
    hwm = 0
    workers: dict[int, int] = {}
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        hwm = max(hwm, _vm_hwm(proc.pid))
        for child in _children(proc.pid):
            workers[child] = max(workers.get(child, 0), _vm_hwm(child))
        time.sleep(0.02)
    hwm += sum(workers.values())
    wall = time.perf_counter() - start
    ferr.seek(0)
    err = ferr.read().decode(errors="replace")
    ferr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for f in (fin, fout):
        if hasattr(f, "close"):
            f.close()
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": (hwm or usage.ru_maxrss) / 1024,
    }


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def _vm_hwm(pid: int) -> int:
    """Peak resident set size of ``pid`` in KiB (0 if unavailable)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def same_output(a: Path, b: Path) -> tuple[bool, bool]:
    """(JSON-equal line by line, byte-identical), streaming (this process must stay small:
    Linux reports a child's peak RSS as at least its parent's RSS at fork)."""
    identical = True
    with open(a, "rb") as fa, open(b, "rb") as fb:
        for la, lb in zip(fa, fb, strict=False):
            if la != lb:
                identical = False
                if orjson.loads(la) != orjson.loads(lb):
                    return False, False
        return fa.read(1) == fb.read(1) == b"", identical


def generate(
    directory: Path, n: int, seed: int, packages: bool = True, reuse: bool = False
) -> dict[str, Path]:
    """Write the releases (and release packages) of ``n`` processes; with ``reuse``, keep
    files already there (written by an earlier run with the same size and seed)."""
    files = {"releases": directory / "releases.jsonl"}
    if packages:
        files["packages"] = directory / "packages.jsonl"
    stamp = directory / f"seed-{seed}"
    if reuse and stamp.exists() and all(f.exists() for f in files.values()):
        return files
    with open(files["releases"], "wb") as out:
        for r in synthetic.releases(n, seed=seed, edge_cases=True):
            out.write(orjson.dumps(r) + b"\n")
    if packages:
        with open(files["packages"], "wb") as out:
            for p in synthetic.release_packages(n, seed=seed, per_package=1000, edge_cases=True):
                out.write(orjson.dumps(p) + b"\n")
    stamp.touch()
    return files


def warm_up(directory: Path, env: dict, cocrea: list[str], ocdskit: list[str], seed: int) -> None:
    """Run every measured command once on a small input (not reported), so that start-up
    costs are those of a warm installation (bytecode caches written, files in the page cache)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = generate(directory, 20, seed)
    compiled = directory / "compiled.jsonl"
    run([*cocrea, "ocds", "compile", str(files["releases"]), "-o", str(compiled)], env=env)
    run([sys.executable, "-m", "cocrea.money.ocds", "compile", str(files["packages"])], env=env)
    run(ocdskit, stdin=files["releases"], env=env)
    money = {**env, "COCREA_MONEY_DIR": str(directory / "money")}
    run([*cocrea, "money", "import", str(compiled), "--source", "bench"], env=money)
    code = "import duckdb; duckdb.connect().execute('SELECT 1')"
    run([sys.executable, "-c", code], env=env)
    shutil.rmtree(directory, ignore_errors=True)


def fmt(m: dict) -> str:
    return f"{m['wall']:7.2f}s wall {m['cpu']:7.2f}s cpu {m['rss']:7.0f} MiB"


def main() -> None:
    if "--shape" in sys.argv:
        shapes_main()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="processes per run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ocdskit-max", type=int, default=20000, help="skip ocdskit above")
    parser.add_argument("--workdir", default=None, help="where to write the data (temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--packages-max", type=int, default=None, help="skip the release packages above"
    )
    parser.add_argument(
        "--bare-max", type=int, default=None, help="skip `python -m cocrea.money.ocds` above"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the files generated in --workdir"
    )
    parser.add_argument(
        "--import-releases-max",
        type=int,
        default=None,
        help="skip `cocrea money import releases.jsonl` (compile + validate + store) above",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="write the files (in --workdir) and stop"
    )
    args = parser.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="cocrea-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "COCREA_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cocrea.settings"}
    # Measure with bytecode caches, as installed software runs: if this environment forbids
    # writing them (PYTHONDONTWRITEBYTECODE), keep them under the work directory instead.
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cocrea = [str(BIN / "cocrea")]
    ocdskit = [str(BIN / "ocdskit"), "compile", "--schema", str(RELEASE_SCHEMA)]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, data in {work}")
    summary = []
    try:
        warm_up(work / "warm-up", env, cocrea, ocdskit, args.seed)
        for n in [int(s) for s in args.sizes.split(",")]:
            d = work / f"n{n}"
            d.mkdir(exist_ok=True)
            t = time.perf_counter()
            with_packages = args.packages_max is None or n <= args.packages_max
            files = generate(d, n, args.seed, packages=with_packages, reuse=args.reuse)
            if args.generate_only:
                print(f"{n}: {', '.join(str(f) for f in files.values())}")
                continue
            with open(files["releases"], "rb") as f:
                nrel = sum(1 for _ in f)
            size = files["releases"].stat().st_size / 2**20
            packages_mib = (
                f"{files['packages'].stat().st_size / 2**20:.0f} MiB" if with_packages else "-"
            )
            print(
                f"\n== {n} processes, {nrel} releases, releases.jsonl {size:.0f} MiB, "
                f"packages.jsonl {packages_mib} "
                f"(generated in {time.perf_counter() - t:.1f}s)"
            )
            row = {"n": n, "releases": nrel, "mib": size}
            for kind in files:
                ours_out = d / f"compiled-{kind}.cocrea.jsonl"
                ours = run(
                    [*cocrea, "ocds", "compile", str(files[kind]), "-o", str(ours_out)], env=env
                )
                print(f"cocrea ocds compile  {kind:9s} {fmt(ours)}")
                row[f"cocrea_compile_{kind}"] = ours
                # The same code without Django's start-up (all apps' models and ready()).
                bare = ours
                if args.bare_max is None or n <= args.bare_max:
                    bare = run(
                        [sys.executable, "-m", "cocrea.money.ocds", "compile", str(files[kind])],
                        stdout=d / "bare.jsonl",
                        env=env,
                    )
                    print(f"python -m cocrea.money.ocds compile {kind[:3]} {fmt(bare)}")
                    identical, _ = same_output(d / "bare.jsonl", ours_out)
                    assert identical, "python -m and cocrea compile differ"
                    (d / "bare.jsonl").unlink()
                row[f"bare_compile_{kind}"] = bare
                if n <= args.ocdskit_max:
                    kit_out = d / f"compiled-{kind}.ocdskit.jsonl"
                    kit = run(ocdskit, stdin=files[kind], stdout=kit_out, env=env)
                    equal, identical = same_output(ours_out, kit_out)
                    print(f"ocdskit compile      {kind:9s} {fmt(kit)}")
                    print(
                        f"  -> cocrea ocds compile {kit['wall'] / ours['wall']:.1f}x faster "
                        f"(wall), {kit['cpu'] / ours['cpu']:.1f}x less CPU; without Django "
                        f"start-up {kit['wall'] / bare['wall']:.1f}x (wall), "
                        f"{kit['cpu'] / bare['cpu']:.1f}x (CPU); output "
                        f"{'IDENTICAL' if equal else 'DIFFERENT'}"
                        f"{' (byte for byte)' if identical else ''}"
                    )
                    row[f"ocdskit_compile_{kind}"] = kit
                    row[f"equal_{kind}"] = equal
                    kit_out.unlink()
                if kind == "releases":
                    compiled = d / "compiled.jsonl"
                    ours_out.rename(compiled)
                else:
                    ours_out.unlink()

            compiled = d / "compiled.jsonl"
            imports = [
                ("import compiled (validate)", [], compiled),
                ("import compiled (--no-validate)", ["--no-validate"], compiled),
            ]
            if args.import_releases_max is None or n <= args.import_releases_max:
                imports.append(("import releases (validate)", [], files["releases"]))
            for label, extra, infile in imports:
                money = d / "money"
                shutil.rmtree(money, ignore_errors=True)
                m = run(
                    [*cocrea, "money", "import", str(infile), "--source", "bench", *extra],
                    env={**env, "COCREA_MONEY_DIR": str(money)},
                )
                print(f"cocrea money {label:31s} {fmt(m)}")
                row[label] = m
            flags = run([*cocrea, "redflags", str(compiled)], env=env)
            print(
                f"cocrea redflags compiled.jsonl                {fmt(flags)}  "
                f"{nrel and (n / flags['wall']):,.0f} processes/s"
            )
            row["redflags"] = flags
            parquet = d / "duckdb.parquet"
            code = (
                'import duckdb, sys; con = duckdb.connect(); con.execute("COPY (SELECT * FROM '
                "read_json($1, format='newline_delimited', maximum_object_size=104857600)) "
                'TO \'" + sys.argv[2] + "\' (FORMAT parquet)", [sys.argv[1]])'
            )
            duck = run([sys.executable, "-c", code, str(compiled), str(parquet)], env=env)
            print(f"duckdb read_json(compiled) -> parquet     {fmt(duck)}")
            row["duckdb"] = duck
            imp = row["import compiled (--no-validate)"]
            print(
                f"  -> import (--no-validate) / duckdb = {imp['wall'] / duck['wall']:.1f}x; "
                f"with validation {row['import compiled (validate)']['wall'] / duck['wall']:.1f}x"
            )
            summary.append(row)
            if not args.keep:
                shutil.rmtree(d, ignore_errors=True)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    print(
        "\nsummary: wall seconds / peak MiB; compile ratio = ocdskit / cocrea ocds compile "
        "(wall, CPU); import ratio = cocrea money import (validating) / DuckDB read_json (wall)"
    )
    print(
        "processes releases   MiB  cocrea-compile    ocdskit  ratio wall/cpu  "
        "import-compiled  duckdb  ratio  redflags"
    )
    for r in summary:
        ours = r["cocrea_compile_releases"]
        kit = r.get("ocdskit_compile_releases")
        ratio = (
            f"{kit['wall'] / ours['wall']:5.1f}/{kit['cpu'] / ours['cpu']:4.1f}x"
            if kit
            else "      -    "
        )
        kit_s = f"{kit['wall']:6.1f}/{kit['rss']:4.0f}" if kit else "      -    "
        imp = r["import compiled (validate)"]
        duck = r["duckdb"]
        flags = r["redflags"]
        print(
            f"{r['n']:9d} {r['releases']:8d} {r['mib']:5.0f}  "
            f"{ours['wall']:7.1f}/{ours['rss']:5.0f}  {kit_s}  {ratio:>13s}  "
            f"{imp['wall']:8.1f}/{imp['rss']:5.0f}  {duck['wall']:5.1f}  "
            f"{imp['wall'] / duck['wall']:4.1f}x  {flags['wall']:6.1f}/{flags['rss']:4.0f}"
        )


# --- Compile on every shape of data (--shape) -------------------------------------------------

# shape: (what it is, the file ocdskit reads for the same releases)
SHAPES = {
    "release-package": ("one JSON document with a `releases` array", "release-package"),
    "record-package": ("one JSON document of records with embedded releases", "release-package"),
    "jsonl": ("JSON Lines, one release per line", "jsonl"),
    "packages-jsonl": ("JSON Lines, one release package of 1,000 releases per line", "jsonl"),
    "array": ("one JSON array of releases", "array"),
    "concatenated": ("pretty-printed release packages of 1,000, concatenated", "concatenated"),
}


def write_shapes(directory: Path, n: int, seed: int, large: bool, shapes: list[str]) -> dict:
    """Write the releases of ``n`` processes in each of ``shapes`` (and the files ocdskit reads
    for them), streaming; files of an earlier run with the same arguments are kept."""
    needed = set(shapes) | {SHAPES[s][1] for s in shapes}
    files = {s: directory / f"{s}.json" for s in needed}
    stamp = directory / f"seed-{seed}-{'large' if large else 'small'}"
    if stamp.exists() and all(f.exists() for f in files.values()):
        return files
    head = orjson.dumps(synthetic.package([]))[: -len(b"]}")]
    streams = {s: open(files[s], "wb") for s in needed - {"record-package"}}  # noqa: SIM115
    for s, out in streams.items():
        out.write({"release-package": head, "array": b"["}.get(s, b""))
    batch: list = []
    for i, release in enumerate(synthetic.releases(n, seed=seed, large=large)):
        text = orjson.dumps(release)
        for s in ("release-package", "array"):
            if s in streams:
                streams[s].write(b"," + text if i else text)
        if "jsonl" in streams:
            streams["jsonl"].write(text + b"\n")
        batch.append(release)
        if len(batch) == 1000:
            _write_packages(streams, batch)
            batch = []
    if batch:
        _write_packages(streams, batch)
    for s, out in streams.items():
        out.write({"release-package": b"]}", "array": b"]"}.get(s, b""))
        out.close()
    if "record-package" in needed:
        with open(files["record-package"], "wb") as out:
            out.write(orjson.dumps(synthetic.record_package([]))[: -len(b"]}")])
            first = True
            for package in synthetic.record_packages(n, seed=seed, large=large):
                for record in package["records"]:
                    out.write(orjson.dumps(record) if first else b"," + orjson.dumps(record))
                    first = False
            out.write(b"]}")
    stamp.touch()
    return files


def _write_packages(streams: dict, batch: list) -> None:
    package = synthetic.package(batch)
    if "packages-jsonl" in streams:
        streams["packages-jsonl"].write(orjson.dumps(package) + b"\n")
    if "concatenated" in streams:
        streams["concatenated"].write(orjson.dumps(package, option=orjson.OPT_INDENT_2) + b"\n")


def canonical_digest(path: Path) -> tuple[str, int, str]:
    """A digest of the canonical JSON (sorted keys) of every line, the number of lines, and a
    digest of the bytes."""
    digest = hashlib.sha256()
    raw = hashlib.sha256()
    count = 0
    with open(path, "rb") as f:
        for line in f:
            raw.update(line)
            digest.update(orjson.dumps(orjson.loads(line), option=orjson.OPT_SORT_KEYS))
            digest.update(b"\n")
            count += 1
    return digest.hexdigest(), count, raw.hexdigest()


def shapes_main() -> None:
    parser = argparse.ArgumentParser(description="cocrea ocds compile vs ocdskit, every shape")
    parser.add_argument("--shape", default="all", help=f"all or some of {','.join(SHAPES)}")
    parser.add_argument("--size", default="small", help="small (~1.2 KB releases), large (~20 KB)")
    parser.add_argument("--scale", default="20000", help="processes, e.g. 20000,200000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=None, help="where to write the data (kept)")
    parser.add_argument("--ocdskit-cache", default=None, help="JSON file of ocdskit's results")
    parser.add_argument("--rerun-ocdskit", action="store_true", help="ignore the cache")
    parser.add_argument("--ocdskit-max", type=int, default=None, help="skip ocdskit above")
    args = parser.parse_args()
    shapes = list(SHAPES) if args.shape == "all" else args.shape.split(",")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="cocrea-shapes-"))
    env = {**os.environ, "COCREA_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cocrea.settings"}
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cocrea = [str(BIN / "cocrea"), "ocds", "compile"]
    ocdskit = [str(BIN / "ocdskit"), "compile", "--schema", str(RELEASE_SCHEMA)]
    cache_path = Path(args.ocdskit_cache) if args.ocdskit_cache else None
    cache = orjson.loads(cache_path.read_bytes()) if cache_path and cache_path.exists() else {}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, data in {work}")
    warm = work / "warm-up"
    warm.mkdir(parents=True, exist_ok=True)
    tiny = write_shapes(warm, 20, args.seed, False, ["jsonl"])
    run([*cocrea, str(tiny["jsonl"]), "-o", str(warm / "out.jsonl")], env=env)
    run(ocdskit, stdin=tiny["jsonl"], env=env)
    rows = []
    for n in [int(x) for x in args.scale.split(",")]:
        for size in args.size.split(","):
            d = work / f"{size}-{n}"
            d.mkdir(parents=True, exist_ok=True)
            t = time.perf_counter()
            files = write_shapes(d, n, args.seed, size == "large", shapes)
            print(
                f"\n== {n} processes, {size} releases (files ready in {time.perf_counter() - t:.0f}s)"
            )
            for shape in shapes:
                out = d / f"{shape}.cocrea.jsonl"
                ours = run([*cocrea, str(files[shape]), "-o", str(out)], env=env)
                mib = files[shape].stat().st_size / 2**20
                digest, count, raw = canonical_digest(out)
                out.unlink()
                print(f"cocrea  {shape:15s} {mib:7.0f} MiB {fmt(ours)}")
                kit_file = files[SHAPES[shape][1]]
                key = f"{kit_file.name}:{size}:{n}:{args.seed}"
                kit = None if args.rerun_ocdskit else cache.get(key)
                if kit is None and (args.ocdskit_max is None or n <= args.ocdskit_max):
                    kit_out = d / f"{shape}.ocdskit.jsonl"
                    kit = run(ocdskit, stdin=kit_file, stdout=kit_out, env=env)
                    kit["digest"], kit["count"], kit["raw"] = canonical_digest(kit_out)
                    kit_out.unlink()
                    cache[key] = kit
                    if cache_path:
                        cache_path.write_bytes(orjson.dumps(cache, option=orjson.OPT_INDENT_2))
                    print(f"ocdskit {SHAPES[shape][1]:15s} {'':11s} {fmt(kit)}")
                elif kit is not None:
                    print(f"ocdskit {SHAPES[shape][1]:15s} {'':11s} {fmt(kit)} (cached)")
                same = kit and kit["digest"] == digest
                if same and kit.get("raw") == raw:
                    same = "bytes"
                rows.append((n, size, shape, mib, ours, kit, same))
    print(
        "\nsummary: wall seconds; ratio = ocdskit / cocrea ocds compile (wall, CPU); identical ="
        " the canonical JSON of every compiled release is the same (byte for byte: the files too)"
    )
    print("processes size  shape            MiB   cocrea  ocdskit  ratio wall  ratio cpu  output")
    for n, size, shape, mib, ours, kit, same in rows:
        ratio = (
            f"{kit['wall'] / ours['wall']:9.1f}x {kit['cpu'] / ours['cpu']:9.1f}x"
            if kit
            else f"{'-':>10s} {'-':>10s}"
        )
        kit_wall = f"{kit['wall']:7.1f}" if kit else f"{'-':>7s}"
        verdict = "IDENTICAL" if same else ("DIFFERENT" if kit else "-")
        if same == "bytes":
            verdict += " (byte for byte)"
        print(
            f"{n:9d} {size:5s} {shape:15s} {mib:6.0f} {ours['wall']:7.2f}  {kit_wall}  "
            f"{ratio}  {verdict}"
        )


if __name__ == "__main__":
    main()
