"""Red flags of a stream of compiled releases, in a process of its own (no Django, no DuckDB).

    python -m cocrea.money.redflags.feed OUT.jsonl < compiled releases, one per line

Keeps the first release of each ocid, writes the kept lines to OUT.jsonl (the flows'
``compiled.jsonl``, published: without contact points) and runs every indicator with its defaults over them, exactly as
`cocrea.money.redflags.run(OUT.jsonl, Settings.all_defaults(), meta=False)` would; then prints
the flags as one JSON array of ``[group, key, code, value]``. The flows rebuild
(`cocrea.money.facts`) runs it next to its own DuckDB work, so both cores are busy.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

import orjson

from ..ocds.privacy import _CONTACT_TEXT, without_contact_points
from .engine import GROUPS, Engine
from .settings import Settings


def flag_rows(engine: Engine) -> list[list]:
    rows = []
    for group, entries in engine.output(meta=False).items():
        if group not in GROUPS:
            continue
        for key, codes in entries.items():
            for code, value in codes.items():
                rows.append([group, key, code, float(value)])
    return rows


def run(stream, out_path: str) -> list[list]:
    engine = Engine(Settings.all_defaults())
    seen: set[str] = set()
    offset = 0
    number = 0
    try:
        with open(out_path, "w+b", buffering=1 << 20) as out:
            write = out.write
            feed = engine.feed
            for line in stream:
                if not line.strip():
                    continue
                release = orjson.loads(line)  # what Engine.feed_line does, parsing once
                if type(release) is not dict:
                    engine.skipped_not_object += 1
                    continue
                ocid = release.get("ocid")
                if ocid in seen:
                    continue
                seen.add(ocid)
                if _CONTACT_TEXT in line:  # published: no personal data (see ocds.privacy)
                    line = orjson.dumps(without_contact_points(release))
                if not line.endswith(b"\n"):
                    line += b"\n"
                write(line)
                number += 1
                engine.lines = number
                feed(release, offset)
                offset += len(line)
            out.flush()

            def reread(at: int) -> bytes:
                out.seek(at)
                return out.readline()

            engine.finish(reread)
        return flag_rows(engine)
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # A short-lived process whose objects (parsed releases) hold no cycles: the cyclic
    # garbage collector would only slow it down.
    gc.disable()
    # Behind the import that feeds it, whose worker threads then get the cores first; it
    # catches up at the end, when they have less to do.
    with contextlib.suppress(OSError):
        os.nice(5)
    with open(sys.stdin.fileno(), "rb", buffering=1 << 20, closefd=False) as stream:
        rows = run(stream, argv[0])
    sys.stdout.buffer.write(orjson.dumps(rows))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
