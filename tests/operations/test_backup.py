"""`cocrea backup DIR` / `cocrea restore DIR`: database, money store and media, with checksums.

On PostgreSQL (pg_dump/pg_restore) a backup of the test database is restored into a new,
empty database and everything is found there; a second restore onto it refuses unless
--force. On SQLite the same round trip goes through SQLite's backup API.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection  # noqa: F401 - used by the skipif condition
from ops_helpers import ROOT, database_url

from cocrea.participants.models import Organization, OrganizationType

pytestmark = pytest.mark.django_db(transaction=True)


def cocrea(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cocrea.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def env_for(url: str, tmp: Path, name: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "LANG": "C.UTF-8",
        "SECRET_KEY": "backup-test-secret",
        "DATABASE_URL": url,
        "COCREA_VAR_DIR": str(tmp / name),
        "COCREA_MEDIA_DIR": str(tmp / name / "media"),
        "COCREA_MONEY_DIR": str(tmp / name / "money"),
    }


def _files(tmp: Path, name: str) -> None:
    (tmp / name / "media" / "evidencias").mkdir(parents=True)
    (tmp / name / "media" / "evidencias" / "acta.pdf").write_bytes(b"%PDF-1.4 acta")
    (tmp / name / "money" / "snapshots" / "0001").mkdir(parents=True)
    (tmp / name / "money" / "snapshots" / "0001" / "releases.parquet").write_bytes(b"PAR1...")


def _check_files(tmp: Path, name: str) -> None:
    assert (tmp / name / "media" / "evidencias" / "acta.pdf").read_bytes() == b"%PDF-1.4 acta"
    money = tmp / name / "money" / "snapshots" / "0001" / "releases.parquet"
    assert money.read_bytes() == b"PAR1..."


@pytest.fixture
def data(reference):
    Organization.objects.create(
        entity=reference["17"],
        name="Red Ciudadana de Respaldo",
        type=OrganizationType.CIVIL_SOCIETY,
    )


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump needs PostgreSQL")
def test_postgresql_backup_restores_into_an_empty_database(data, tmp_path):
    _files(tmp_path, "origen")
    source = env_for(database_url(), tmp_path, "origen")
    done = cocrea("backup", str(tmp_path / "respaldo"), env=source)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "respaldo" / "manifest.json").read_text())
    assert manifest["database"] == {"vendor": "postgresql", "file": "database.dump"}
    assert {"media/evidencias/acta.pdf", "money/snapshots/0001/releases.parquet"} <= set(
        manifest["files"]
    )
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())

    name = f"restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(database_url(), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    target_url = database_url().rsplit("/", 1)[0] + f"/{name}"
    try:
        target = env_for(target_url, tmp_path, "destino")
        done = cocrea("restore", str(tmp_path / "respaldo"), env=target)
        assert done.returncode == 0, done.stderr
        _check_files(tmp_path, "destino")
        with psycopg.connect(target_url) as restored:
            count = restored.execute("SELECT count(*) FROM territory_entity").fetchone()[0]
            org = restored.execute(
                "SELECT count(*) FROM participants_organization WHERE name = %s",
                ["Red Ciudadana de Respaldo"],
            ).fetchone()[0]
            actions = [
                r[0] for r in restored.execute("SELECT action FROM core_auditentry").fetchall()
            ]
        assert count == 32 and org == 1
        assert "operations.restore" in actions

        again = cocrea("restore", str(tmp_path / "respaldo"), env=target)
        assert again.returncode != 0 and "--force" in again.stderr
        forced = cocrea("restore", str(tmp_path / "respaldo"), "--force", env=target)
        assert forced.returncode == 0, forced.stderr
        _check_files(tmp_path, "destino")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_sqlite_round_trip_and_a_tampered_backup_is_refused(tmp_path):
    origin = env_for(f"sqlite:///{tmp_path / 'origen.sqlite3'}", tmp_path, "origen")
    origin["COCREA_DEBUG"] = "1"
    assert cocrea("demo", "--no-demo-data", "--no-serve", env=origin).returncode == 0
    _files(tmp_path, "origen")
    done = cocrea("backup", str(tmp_path / "respaldo"), env=origin)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "respaldo" / "database.sqlite3").is_file()

    target = env_for(f"sqlite:///{tmp_path / 'destino.sqlite3'}", tmp_path, "destino")
    done = cocrea("restore", str(tmp_path / "respaldo"), env=target)
    assert done.returncode == 0, done.stderr
    _check_files(tmp_path, "destino")
    script = "from cocrea.territory.models import Entity; print(Entity.objects.count())"
    shell = cocrea("manage", "shell", "-c", script, env=target)
    assert shell.stdout.strip().splitlines()[-1] == "32", shell.stderr
    refused = cocrea("restore", str(tmp_path / "respaldo"), env=target)
    assert refused.returncode != 0 and "--force" in refused.stderr

    (tmp_path / "respaldo" / "media" / "evidencias" / "acta.pdf").write_bytes(b"otro")
    tampered = cocrea("restore", str(tmp_path / "respaldo"), "--force", env=target)
    assert tampered.returncode != 0 and "alterados" in tampered.stderr
    assert "acta.pdf" in tampered.stderr


def test_backup_needs_an_empty_folder(tmp_path, db):
    from cocrea.operations.backup import BackupError, backup

    (tmp_path / "ocupada").mkdir()
    (tmp_path / "ocupada" / "x").write_text("x")
    with pytest.raises(BackupError, match="no está vacía"):
        backup(tmp_path / "ocupada")
