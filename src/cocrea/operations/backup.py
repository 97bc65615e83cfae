"""Backups: the database, the Parquet snapshots of *Sigue el Dinero* and the uploaded files.

`cocrea backup DIR` writes into DIR (which must be empty or new):

    manifest.json     what is inside, with a sha256 of every file
    database.dump     PostgreSQL: `pg_dump --format=custom`
    database.sqlite3  SQLite: a copy made with SQLite's online backup API
    money/…           COCREA_MONEY_DIR
    media/…           MEDIA_ROOT

`cocrea restore DIR` checks every checksum first, then loads the database (`pg_restore`, or
SQLite's backup API) and copies the folders back. It refuses a database that already has
tables, or non-empty folders, unless `force=True` (`--force`), which replaces them.
Both run as the system (command line): they record an audit entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
PG_BIN_DIRS = ["/usr/lib/postgresql/15/bin"]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (in Spanish)."""


@dataclass
class Summary:
    directory: Path
    files: int
    bytes: int
    vendor: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in PG_BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    raise BackupError(f"no se encontró {name} (instale postgresql-client)")


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} falló: {done.stderr.strip()[-2000:]}")


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=False, dirs_exist_ok=True)


def _folders() -> dict[str, Path]:
    return {"money": Path(settings.COCREA_MONEY_DIR), "media": Path(settings.MEDIA_ROOT)}


def backup(directory: Path) -> Summary:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} no está vacía")
    directory.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        database = "database.dump"
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(directory / database)],
            _pg_env(),
        )  # fmt: skip
    elif vendor == "sqlite":
        database = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(directory / database)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"base de datos no soportada: {vendor}")
    for name, source in _folders().items():
        _copy_tree(source, directory / name)
    files = {}
    total = 0
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory).as_posix()
        files[relative] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
        total += path.stat().st_size
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": database},
        "folders": list(_folders()),
        "files": files,
    }
    (directory / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    _audit("operations.backup", {"directory": str(directory), "files": len(files)})
    return Summary(directory, len(files), total, vendor)


def read_manifest(directory: Path) -> dict:
    """The manifest, after checking every file it names (and that none is missing)."""
    path = Path(directory) / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{directory} no tiene manifest.json")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"formato de respaldo desconocido: {manifest.get('format')}")
    bad = [
        relative
        for relative, info in manifest["files"].items()
        if not (Path(directory) / relative).is_file()
        or _sha256(Path(directory) / relative) != info["sha256"]
    ]
    if bad:
        raise BackupError("archivos ausentes o alterados: " + ", ".join(bad[:20]))
    return manifest


def _database_has_tables() -> bool:
    return bool(connection.introspection.table_names())


def _non_empty_folders() -> list[str]:
    return [str(path) for path in _folders().values() if path.is_dir() and any(path.iterdir())]


def restore(directory: Path, force: bool = False) -> Summary:
    directory = Path(directory)
    manifest = read_manifest(directory)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"el respaldo es de {vendor}; la base de datos es {connection.vendor}")
    occupied = ["la base de datos tiene tablas"] if _database_has_tables() else []
    occupied += [f"{p} no está vacía" for p in _non_empty_folders()]
    if occupied and not force:
        raise BackupError("; ".join(occupied) + " (use --force para reemplazar)")
    source = directory / manifest["database"]["file"]
    if vendor == "postgresql":
        if force:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        connection.close()
        _run(
            [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             "--dbname", str(settings.DATABASES["default"]["NAME"]), str(source)],
            _pg_env(),
        )  # fmt: skip
    else:
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    for name, target in _folders().items():
        if force and target.is_dir():
            shutil.rmtree(target)
        _copy_tree(directory / name, target)
    _audit("operations.restore", {"directory": str(directory), "force": force})
    total = sum(info["bytes"] for info in manifest["files"].values())
    return Summary(directory, len(manifest["files"]), total, vendor)


def _audit(action: str, after: dict) -> None:
    from cocrea.core import audit

    audit.record(actor=None, action=action, object_type="operations.backup", after=after)
