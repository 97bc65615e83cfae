"""The red flags of a flows rebuild, computed in a child process
(``python -m cocrea.money.redflags.feed``) that is fed the compiled releases and also writes
them to ``compiled.jsonl``."""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from .flows_snapshot import SCHEMAS

FEED_BATCH_ROWS = 2048  # compiled releases sent to the red flags at a time (a few MiB)
FLAG_BATCH_ROWS = 65536  # red flags written to Parquet at a time


def _lines(strings: pa.Array) -> bytes:
    """The texts of a string array, one a line, without making Python strings of them."""
    import pyarrow.compute as pc

    if len(strings) == 0:
        return b""
    joined = pc.binary_join_element_wise(strings.cast(pa.string()), "", "\n")
    if joined.null_count or joined.offset:
        return "".join(joined.to_pylist()).encode()
    offsets = joined.buffers()[1]
    end = int.from_bytes(offsets[4 * len(joined) : 4 * len(joined) + 4], "little")
    return joined.buffers()[2][:end].to_pybytes()


class _FlagsJob:
    """The red flags of the kept releases, computed by a child process that also writes them
    to ``compiled.jsonl``; fed through a pipe by a thread of this process."""

    def __init__(self, compiled: Path):
        self.err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in wait/kill
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cocrea.money.redflags.feed", str(compiled)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.err,
        )
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        # A bigger pipe: fewer switches between this process and the child.
        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(self.proc.stdin.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)

    def send(self, texts: list[bytes] | pa.Array) -> None:
        """Compiled releases (JSON texts: UTF-8 bytes or an Arrow string array), in order."""
        if isinstance(texts, pa.Array):
            texts = _lines(texts)
        elif texts:
            texts = b"\n".join(texts) + b"\n"
        if texts:
            self.proc.stdin.write(texts)

    def close_input(self) -> None:
        self.proc.stdin.close()

    def feed_from(self, cursor, sql: str) -> None:
        """Send the texts that ``sql`` returns (one column), in a thread."""

        def batches():
            yield from cursor.sql(sql).to_arrow_reader(FEED_BATCH_ROWS)

        self._feed_in_thread(batches)

    def feed_files(self, paths: list[Path]) -> None:
        """Send the compiled releases of these ``releases`` files, in order, in a thread."""

        def batches():
            for path in paths:
                yield from pq.ParquetFile(path).iter_batches(
                    columns=["compiled_release"], batch_size=FEED_BATCH_ROWS
                )

        self._feed_in_thread(batches)

    def _feed_in_thread(self, batches) -> None:
        def run():
            try:
                for batch in batches():
                    self.send(batch.column(0))
                self.close_input()
            except BaseException as e:  # noqa: BLE001 - raised by wait()
                self.error = e
                self.proc.kill()

        self.thread = threading.Thread(target=run, name="flags-feed", daemon=True)
        self.thread.start()

    def wait(self, path: Path) -> int:
        """Write the red flags to ``path`` (Parquet, `SCHEMAS` ``flags``) as the child prints
        them (one ``[group, key, code, value]`` a line); return how many."""
        if self.thread is not None:
            self.thread.join()
        count = 0
        try:
            with pq.ParquetWriter(path, SCHEMAS["flags"]) as writer:
                rows = []
                for line in self.proc.stdout:
                    rows.append(orjson.loads(line))
                    if len(rows) >= FLAG_BATCH_ROWS:
                        writer.write_table(_flags_table(rows))
                        count += len(rows)
                        rows = []
                writer.write_table(_flags_table(rows))
                count += len(rows)
        finally:
            code = self.proc.wait()
            self.err.seek(0)
            err = self.err.read().decode(errors="replace")
            self.err.close()
        if self.error is not None:
            raise self.error
        if code != 0:
            raise RuntimeError(f"red flags failed ({code}): {err[-2000:]}")
        return count

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        if self.thread is not None:
            self.thread.join()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.err):
            if f is not None and not f.closed:
                with contextlib.suppress(OSError, ValueError):
                    f.close()


def _flags_table(rows: list[list]) -> pa.Table:
    return pa.Table.from_arrays(
        [
            pa.array([r[0] for r in rows], pa.string()),
            pa.array([r[1] for r in rows], pa.string()),
            pa.array([r[2] for r in rows], pa.string()),
            pa.array([r[3] for r in rows], pa.float64()),
        ],
        schema=SCHEMAS["flags"],
    )
