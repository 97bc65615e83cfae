"""OCDS out: release packages and record packages of the contracting data in the store.

The store keeps each process's compiled release (original releases are compiled at import
and not kept), so a release package holds the stored compiled releases (tag ``compiled``)
and a record package one record per process whose ``releases`` link to that release in the
release package of the same slice and whose ``compiledRelease`` is the compilation of those
releases (`money.ocds.merge.Merger`, which gives what ``ocdskit compile`` gives: the same
release with the compiled release's ``id``, ``ocid-date``). Contact points (personal
data) are removed from every release (`money.ocds.privacy.public_json`).

Both are streamed: the releases are read from DuckDB in batches and written out one by one,
so memory stays constant whatever the number of processes. Filters: entity (INEGI code),
source (import name) and year (of the process's date); the package ``uri`` is the canonical
address of the slice, with its filters in a fixed order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import orjson

from cocrea.core.registry import LIBRE_USO_MX
from cocrea.money.ocds.merge import Merger
from cocrea.money.ocds.privacy import public_json
from cocrea.money.store import snapshots
from cocrea.money.web import catalogue

from .catalogue import PUBLISHER

BATCH = 500
ENTITY_RE = re.compile(r"^(0[1-9]|[12][0-9]|3[0-2])$")


class BadFilter(ValueError):
    pass


def check_filters(entity: str | None, source: str | None, year: int | None) -> dict:
    out = {}
    if entity:
        entity = entity.zfill(2) if entity.isdigit() else entity
        if not ENTITY_RE.match(entity):
            raise BadFilter(f"entity: clave INEGI de 01 a 32, no {entity!r}")
        out["entity"] = entity
    if source:
        if not snapshots.SOURCE_RE.match(source):
            raise BadFilter(f"source: nombre de fuente inválido {source!r}")
        out["source"] = source
    if year is not None:
        if not 1900 <= year <= 2100:
            raise BadFilter(f"year: año entre 1900 y 2100, no {year}")
        out["year"] = year
    return out


def package_uri(base: str, path: str, filters: dict) -> str:
    query = urlencode([(k, filters[k]) for k in ("entity", "source", "year") if k in filters])
    return f"{base}{path}" + (f"?{query}" if query else "")


def _sql(filters: dict) -> tuple[str, list]:
    clauses, params = [], []
    if "entity" in filters:
        clauses.append("r.entity = ?")
        params.append(filters["entity"])
    if "source" in filters:
        clauses.append("r.source = ?")
        params.append(filters["source"])
    if "year" in filters:
        clauses.append(
            "EXISTS (SELECT 1 FROM processes p WHERE p.source = r.source AND p.ocid = r.ocid "
            "AND year(p.date) = ?)"
        )
        params.append(filters["year"])
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    # No ORDER BY: the files are read in order (sources by name, each in import order), so
    # DuckDB never has to sort (and hold) the releases.
    return f"SELECT r.compiled_release FROM releases r{where}", params


def releases(filters: dict) -> Iterator[bytes]:
    """The public JSON text of each compiled release of the slice."""
    snapshot = snapshots.current_snapshot()
    if snapshot is None:
        return
    con = snapshots.connect(snapshot)
    try:
        con.execute("SET preserve_insertion_order = true")
        sql, params = _sql(filters)
        result = con.execute(sql, params)
        while batch := result.fetchmany(BATCH):
            for (text,) in batch:
                yield public_json(text.encode())
    finally:
        con.close()


def _header(uri: str, base: str) -> dict:
    modified = catalogue.contracting_coverage()[None].modified
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": (modified.isoformat(timespec="seconds") if modified else None),
        "publisher": {"name": PUBLISHER, "uri": base + "/"},
        "license": LIBRE_USO_MX["url"],
        "publicationPolicy": base + "/datos/",
    }


def _open(header: dict, key: str) -> bytes:
    if header["publishedDate"] is None:
        header = {k: v for k, v in header.items() if k != "publishedDate"}
    text = orjson.dumps(header)
    return text[:-1] + b',"' + key.encode() + b'":['


def release_package(base: str, path: str, filters: dict) -> Iterator[bytes]:
    yield _open(_header(package_uri(base, path, filters), base), "releases")
    first = True
    for text in releases(filters):
        yield text if first else b"," + text
        first = False
    yield b"]}"


def record_package(base: str, path: str, release_path: str, filters: dict) -> Iterator[bytes]:
    header = _header(package_uri(base, path, filters), base)
    releases_uri = package_uri(base, release_path, filters)
    header["packages"] = [releases_uri]
    yield _open(header, "records")
    first = True
    merger = Merger()
    for text in releases(filters):
        release = orjson.loads(text)
        record = {
            "ocid": release["ocid"],
            "releases": [
                {
                    "url": f"{releases_uri}#{release.get('id', '')}",
                    "date": release.get("date"),
                    "tag": release.get("tag") or ["compiled"],
                }
            ],
        }
        record["compiledRelease"] = merger.compile([release])
        chunk = orjson.dumps(record)
        yield chunk if first else b"," + chunk
        first = False
    yield b"]}"
