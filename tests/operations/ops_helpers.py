"""Helpers for the operations tests: a worker subprocess against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database the test runs on (pytest-django's test_<name>)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def worker_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """A minimal production-like environment: no debug, the real database task backend."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "cocrea.settings",
        "SECRET_KEY": "worker-test-secret",
        "DATABASE_URL": database_url(),
        "COCREA_VAR_DIR": str(var_dir),
        "COCREA_MEDIA_DIR": str(settings.MEDIA_ROOT),
        "COCREA_LOG_LEVEL": "INFO",
    }
    env.update(extra)
    return env


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cocrea.cli", "worker", "--no-startup-delay", *args]


def run_batch(env: dict[str, str]) -> subprocess.CompletedProcess:
    """One worker that runs every queued task (recovering lost ones first), then exits."""
    return subprocess.run(
        worker_command("--batch"), env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
