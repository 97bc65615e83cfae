"""The demo runs on SQLite: capacity must hold there too under concurrent registrations.

pytest-django's SQLite test database is a shared-cache in-memory one, whose table locks
do not wait; so this test runs the concurrency benchmark in a separate process against
a real SQLite file, with the project's settings (BEGIN IMMEDIATE + busy timeout).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_file_never_oversells(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cocrea.settings_test",
    }
    env.pop("COCREA_TEST_REQUIRE_POSTGRES", None)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/events/bench_registrations.py"),
            "--people",
            "100",
            "--workers",
            "10",
            "--seats",
            "30",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "database: sqlite" in result.stdout
    assert "confirmed 30, waitlisted 70; invariants hold: True" in result.stdout
