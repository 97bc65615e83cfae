"""`cocrea ocds compile|validate [FILE ...]`: OCDS tools that need no database.

cocrea ocds compile [FILE ...] [--strict] [--validate] [--encoding E] [--buffer-mb N]
    One compiled release per line, sorted by ocid; equal to
    `ocdskit compile --schema release-schema.json` on the same input. Standard input when
    no FILE or `-`.
cocrea ocds validate [FILE ...] [--strict]
    Check each release against the OCDS 1.1 schema; print the invalid ones with their
    line number and reason.
"""

from __future__ import annotations

import sys

import orjson
from django.core.management.base import BaseCommand, CommandError

from cocrea.money.ocds.compile import DEFAULT_BUFFER_BYTES, Stats, Stop, compile_items
from cocrea.money.ocds.merge import Merger
from cocrea.money.ocds.reader import ERROR, RELEASE, InputError, Source
from cocrea.money.ocds.schema import validation_errors


def _items(paths: list[str], encoding: str | None):
    for path in paths or ["-"]:
        try:
            source = Source(path, encoding)
        except (OSError, InputError) as e:
            raise CommandError(f"{path}: {e}") from e
        with source:
            try:
                for item in source.items():
                    if len(paths) > 1:
                        item.where = f"{path} {item.where}"
                    yield item
            except InputError as e:
                raise CommandError(f"{path}: {e}") from e


class Command(BaseCommand):
    help = "OCDS tools: compile releases into compiled releases, validate releases."

    def add_arguments(self, parser):
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

    def handle(self, *args, action, files, encoding, strict, **options):
        if action == "compile":
            return self._compile(files, encoding, strict, options)
        return self._validate(files, encoding, strict)

    def _report(self, stats: Stats) -> None:
        for problem in stats.problems:
            self.stderr.write(f"skipped {problem}")
        if stats.problem_count > len(stats.problems):
            self.stderr.write(f"... and {stats.problem_count - len(stats.problems)} more")

    def _compile(self, files, encoding, strict, options) -> None:
        stats = Stats()
        out = open(options["output"], "wb") if options["output"] else sys.stdout.buffer  # noqa: SIM115
        try:
            compiled = compile_items(
                _items(files, encoding),
                Merger(),
                strict=strict,
                validate=validation_errors if options["validate"] else None,
                stats=stats,
                buffer_bytes=max(1, options["buffer_mb"]) << 20,
            )
            dumps = orjson.dumps
            for release in compiled:
                out.write(dumps(release) + b"\n")
            out.flush()
        except Stop as e:
            raise CommandError(str(e)) from e
        finally:
            if options["output"]:
                out.close()
        self._report(stats)
        if stats.problem_count:
            self.stderr.write(
                f"{stats.processes} compiled releases; {stats.problem_count} problems skipped"
            )

    def _validate(self, files, encoding, strict) -> None:
        valid = invalid = 0
        for item in _items(files, encoding):
            if item.kind == ERROR:
                reasons = [item.value]
            elif item.kind == RELEASE:
                reasons = validation_errors(item.value)
            else:
                reasons = validation_errors(item.value["compiledRelease"])
            if reasons:
                invalid += 1
                message = f"{item.where}: {'; '.join(reasons)}"
                if strict:
                    raise CommandError(message)
                self.stdout.write(message)
            else:
                valid += 1
        self.stderr.write(f"{valid} valid, {invalid} invalid")
        if invalid:
            sys.exit(1)
