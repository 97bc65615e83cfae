"""The `ocds` command line, usable without Django (``python -m cocrea.money.ocds``).

    compile [FILE ...] [--strict] [--validate] [--encoding E] [--buffer-mb N] [--jobs N]
            [-o FILE]
        One compiled release per line, sorted by ocid; equal to
        `ocdskit compile --schema release-schema.json` on the same input. Standard input when
        no FILE or `-`.
    validate [FILE ...] [--strict]
        Check each release against the OCDS 1.1 schema; print the invalid ones with their
        line number and reason (exit status 1 if any).

`cocrea ocds ...` (the Django management command) runs the same code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from .compile import (
    DEFAULT_BUFFER_BYTES,
    Stats,
    Stop,
    compile_files,
    compile_items,
    no_cyclic_gc,
)
from .merge import Merger
from .reader import ERROR, RELEASE, InputError, Item, Source, sample_pivots
from .schema import validation_errors


class CliError(Exception):
    """A fatal error, printed on standard error with exit status 1."""


class InvalidData(Exception):
    """`validate` found invalid releases (exit status 1)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    compile_ = sub.add_parser("compile", help="print one compiled release per line")
    validate = sub.add_parser("validate", help="validate releases against OCDS 1.1")
    for p in (compile_, validate):
        p.add_argument("files", nargs="*", help="input files (standard input if none or -)")
        p.add_argument("--encoding", default=None, help="utf-8 or iso-8859-1 (default: detect)")
        p.add_argument("--strict", action="store_true", help="stop at the first problem")
    compile_.add_argument("--validate", action="store_true", help="skip invalid releases")
    compile_.add_argument("--output", "-o", default=None, help="write to FILE, not stdout")
    compile_.add_argument(
        "--buffer-mb",
        type=int,
        default=DEFAULT_BUFFER_BYTES >> 20,
        help="memory for grouping releases before spilling sorted runs to disk",
    )
    compile_.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="processes compiling big input files (default: CPUs available)",
    )


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def items(
    paths: list[str],
    encoding: str | None,
    lazy: bool = False,
    part: tuple[int, int] | None = None,
) -> Iterator[Item]:
    for path in paths or ["-"]:
        try:
            source = Source(path, encoding)
        except (OSError, InputError) as e:
            raise CliError(f"{path}: {e}") from e
        with source:
            try:
                for item in source.items(lazy, part):
                    if len(paths) > 1:
                        item.where = f"{path} {item.where}"
                    yield item
            except InputError as e:
                raise CliError(f"{path}: {e}") from e


def _input_bytes(paths: list[str]) -> int:
    """The size of the input files; 0 if one is standard input or not a regular file (it
    cannot be read once per process)."""
    total = 0
    for path in paths:
        if path == "-" or not os.path.isfile(path):
            return 0
        total += os.path.getsize(path)
    return total


def run(options: dict, stdout: TextIO, stderr: TextIO) -> None:
    """Run ``compile`` or ``validate`` with parsed ``options``; raise `CliError` on failure."""
    if options["action"] == "compile":
        with no_cyclic_gc():
            _compile(options, stderr)
    else:
        _validate(options, stdout, stderr)


# Inputs from this size on are compiled by one process per partition of the ocids
# (COCREA_OCDS_PARALLEL_BYTES overrides it, e.g. in tests).
PARALLEL_BYTES = 8 << 20


def _compile(options: dict, stderr: TextIO) -> None:
    stats = Stats()
    output = options.get("output")
    files = options["files"]
    encoding = options.get("encoding")
    strict = options.get("strict", False)
    validate = validation_errors if options.get("validate") else None
    buffer_bytes = max(1, options.get("buffer_mb") or DEFAULT_BUFFER_BYTES >> 20) << 20
    jobs = max(1, options.get("jobs") or default_jobs())
    # Releases are parsed when compiled (once), unless each must be checked as it is read.
    lazy = not strict and validate is None
    out = open(output, "wb", buffering=1 << 20) if output else sys.stdout.buffer  # noqa: SIM115
    try:
        parallel_bytes = int(os.environ.get("COCREA_OCDS_PARALLEL_BYTES", PARALLEL_BYTES))
        pivots = None
        if lazy and jobs > 1 and _input_bytes(files) >= parallel_bytes:
            # Partitions by ranges of ocids for JSON lines of releases or release packages
            # (sampled from the files); gzip files and standard input cannot be sampled.
            pivots = sample_pivots(files, jobs)
        if pivots is not None:
            # Stdout's buffer is flushed first: the forked processes must not inherit it.
            out.flush()
            compile_files(
                lambda part: items(files, encoding, lazy=True, part=part),
                Merger(),
                out,
                jobs=jobs,
                stats=stats,
                buffer_bytes=buffer_bytes,
                pivots=pivots,
            )
        else:
            write = out.write
            for release in compile_items(
                items(files, encoding, lazy=lazy),
                Merger(),
                strict=strict,
                validate=validate,
                stats=stats,
                buffer_bytes=buffer_bytes,
                encode=True,
                jobs=jobs,
            ):
                write(release)  # a JSON line
        out.flush()
    except Stop as e:
        raise CliError(str(e)) from e
    finally:
        if output:
            out.close()
    for problem in stats.problems:
        stderr.write(f"skipped {problem}\n")
    if stats.problem_count > len(stats.problems):
        stderr.write(f"... and {stats.problem_count - len(stats.problems)} more\n")
    if stats.problem_count:
        stderr.write(
            f"{stats.processes} compiled releases; {stats.problem_count} problems skipped\n"
        )


def _validate(options: dict, stdout: TextIO, stderr: TextIO) -> None:
    valid = invalid = 0
    for item in items(options["files"], options.get("encoding")):
        if item.kind == ERROR:
            reasons = [item.value]
        elif item.kind == RELEASE:
            reasons = validation_errors(item.value)
        else:
            reasons = validation_errors(item.value["compiledRelease"])
        if reasons:
            invalid += 1
            message = f"{item.where}: {'; '.join(reasons)}"
            if options.get("strict"):
                raise CliError(message)
            stdout.write(message + "\n")
        else:
            valid += 1
    stderr.write(f"{valid} valid, {invalid} invalid\n")
    if invalid:
        raise InvalidData(f"{invalid} invalid")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cocrea.money.ocds", description=__doc__)
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        run(options, sys.stdout, sys.stderr)
    except CliError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except InvalidData:
        return 1
    except BrokenPipeError:
        return 1
    return 0
