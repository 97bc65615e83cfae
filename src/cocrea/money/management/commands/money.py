"""`cocrea money import FILE ... --source NAME [--entity CODE] [--strict]`.

Imports OCDS data (release packages, record packages, JSON Lines of releases or compiled
releases, JSON arrays; .gz; UTF-8 or ISO-8859-1) into a new snapshot of the money store, with a
progress bar, and prints what it loaded. Invalid lines and releases are reported with their line
number and reason and skipped; with --strict the first one aborts the import. Nothing changes
when an import aborts.

`cocrea money status` prints the current snapshot and its sources. Other sub-commands are
delegated to the `money_<sub>` commands (e.g. `cocrea money import-budget` runs
`money_import_budget`).
"""

from __future__ import annotations

import sys

from django.core.management import execute_from_command_line
from django.core.management.base import BaseCommand, CommandError

from ...ocds.compile import DEFAULT_BUFFER_BYTES
from ...ocds.importer import ImportAborted, import_ocds
from ...store import snapshots


class Command(BaseCommand):
    help = "Sigue el Dinero: import OCDS data into the analytical store (`money import`)."
    # Django's system checks (URL configuration, models...) have nothing to say about an
    # import and cost more than half a second of start-up; `cocrea manage check` runs them.
    requires_system_checks = []

    def run_from_argv(self, argv):
        # argv: [prog, "money", sub, ...]
        if len(argv) > 2 and argv[2] not in ("import", "status", "-h", "--help"):
            sub = "money_" + argv[2].replace("-", "_")
            execute_from_command_line([argv[0], sub, *argv[3:]])
            return
        super().run_from_argv(argv)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import OCDS files into a new snapshot")
        imp.add_argument("files", nargs="+", help="input files (- for standard input)")
        imp.add_argument("--source", required=True, help="name of the data source")
        imp.add_argument("--entity", default=None, help="INEGI code of the entity (01..32)")
        imp.add_argument("--strict", action="store_true", help="abort at the first problem")
        imp.add_argument("--no-validate", action="store_true", help="skip schema validation")
        imp.add_argument("--encoding", default=None, help="utf-8 or iso-8859-1 (default: detect)")
        imp.add_argument("--no-progress", action="store_true", help="no progress bar")
        imp.add_argument(
            "--buffer-mb", type=int, default=DEFAULT_BUFFER_BYTES >> 20, help="grouping memory"
        )
        imp.add_argument(
            "--show-problems", type=int, default=20, help="how many skipped lines to list"
        )
        sub.add_parser("status", help="print the current snapshot and its sources")

    def handle(self, *args, action, **options):
        if action == "status":
            return self._status()
        return self._import(options)

    def _status(self) -> None:
        snapshot = snapshots.current_snapshot()
        if snapshot is None:
            self.stdout.write("no snapshot yet")
            return
        info = snapshots.manifest(snapshot)
        self.stdout.write(f"snapshot {snapshot}")
        for name, source in sorted(info["sources"].items()):
            counts = ", ".join(f"{k} {v}" for k, v in source.get("counts", {}).items())
            self.stdout.write(f"  {name} ({source.get('imported_at')}): {counts}")

    def _import(self, options) -> None:
        files = options["files"]
        show = not options["no_progress"] and sys.stderr.isatty()
        total = None
        if "-" not in files:
            from pathlib import Path

            try:
                total = sum(Path(f).stat().st_size for f in files)
            except OSError as e:
                raise CommandError(str(e)) from e
        progress_cm = None
        callback = None
        if show:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            progress_cm = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                transient=True,
            )
            progress_cm.start()
            task = progress_cm.add_task("Importando", total=total)

            def callback(done: int) -> None:
                progress_cm.update(task, completed=done)

        try:
            report = import_ocds(
                files,
                options["source"],
                entity=options["entity"],
                strict=options["strict"],
                validate=not options["no_validate"],
                encoding=options["encoding"],
                buffer_bytes=max(1, options["buffer_mb"]) << 20,
                progress=callback,
                # The pages read flows and red flags derived from the store: bring them up
                # to date now rather than on a visitor's request.
                flows=True,
            )
        except ImportAborted as e:
            for problem in e.problems[:50]:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"import aborted, nothing changed: {e}") from e
        finally:
            if progress_cm is not None:
                progress_cm.stop()

        shown = report.problems[: options["show_problems"]]
        for problem in shown:
            self.stderr.write(f"skipped {problem}")
        if report.skipped > len(shown):
            self.stderr.write(f"... and {report.skipped - len(shown)} more skipped")
        w = self.stdout.write
        w(f"source {report.source} -> {report.snapshot}")
        w(f"processes     {report.processes}")
        w(f"releases      {report.releases}")
        w(f"awards        {report.awards}")
        w(f"contracts     {report.contracts}")
        w(f"transactions  {report.transactions}")
        w(f"parties       {report.parties}")
        w(f"skipped       {report.skipped}")
        if report.duplicate_ocids:
            w(f"warning: {report.duplicate_ocids} ocids appear more than once")
        flows = report.flows
        if flows is not None:
            w(f"flows         {flows.processes} processes, {flows.flags} red flags")
