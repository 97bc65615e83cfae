"""The budget lines out: the CSV download and the Fiscal Data Package (``datapackage.json``
+ ``presupuesto.csv``, a Tabular Data Package with a `model` of measures and dimensions)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb

from .moments import (
    COLUMNS,
    MOMENT_LABELS,
    MOMENTS,
    MUNICIPALITY,
    read_parquet_sql,
)

CSV_NAME = "presupuesto.csv"
# The municipality comes last: the columns before it keep their places for existing readers.
EXPORT_COLUMNS = ["source", *COLUMNS, MUNICIPALITY]
FIELD_DESCRIPTIONS = {
    "source": "Fuente de los datos (nombre dado al importar)",
    "ciclo": "Ejercicio fiscal",
    "entidad": "Clave INEGI de la entidad federativa (00 = federación)",
    MUNICIPALITY: "Clave geoestadística INEGI del municipio (vacía: presupuesto de la entidad)",
    "ramo": "Ramo o sector",
    "unidad_responsable": "Unidad responsable del gasto",
    "programa": "Nombre del programa presupuestario",
    "clave_programa": "Clave del programa presupuestario",
    "partida": "Partida del clasificador por objeto del gasto",
    "fuente_financiamiento": "Fuente de financiamiento",
    "aprobado": "Momento contable: presupuesto aprobado (MXN)",
    "modificado": "Momento contable: presupuesto modificado (MXN)",
    "comprometido": "Momento contable: comprometido (MXN)",
    "devengado": "Momento contable: devengado (MXN)",
    "ejercido": "Momento contable: ejercido (MXN)",
    "pagado": "Momento contable: pagado (MXN)",
}


def datapackage_descriptor(rows: int | None = None) -> dict:
    fields = []
    for name in EXPORT_COLUMNS:
        if name in MOMENTS:
            field = {"name": name, "type": "number", "decimalChar": ".", "groupChar": ""}
        elif name == "ciclo":
            field = {"name": name, "type": "year"}
        else:
            field = {"name": name, "type": "string"}
        field["description"] = FIELD_DESCRIPTIONS[name]
        if name in {"source", "ciclo", "entidad", "programa", "clave_programa"}:
            field["constraints"] = {"required": True}
        fields.append(field)
    resource = {
        "name": "presupuesto",
        "title": "Líneas de presupuesto con los momentos contables del CONAC",
        "path": CSV_NAME,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields},
    }
    return {
        "name": "cocrea-presupuesto",
        "title": "Sigue el Dinero: presupuesto por programa",
        "description": (
            "Líneas de presupuesto por entidad, ciclo, programa, partida y fuente de "
            "financiamiento, con los seis momentos contables del CONAC (aprobado, modificado, "
            "comprometido, devengado, ejercido y pagado) en pesos mexicanos."
        ),
        "profile": "tabular-data-package",
        "fiscalPeriod": None,
        "countryCode": "MX",
        "resources": [resource],
        "model": {
            "measures": {
                m: {"source": m, "currency": "MXN", "title": MOMENT_LABELS[m]} for m in MOMENTS
            },
            "dimensions": {
                "ciclo": {
                    "attributes": {"ciclo": {"source": "ciclo"}},
                    "primaryKey": "ciclo",
                    "dimensionType": "datetime",
                },
                "entidad": {
                    "attributes": {"entidad": {"source": "entidad"}},
                    "primaryKey": "entidad",
                    "dimensionType": "location",
                },
                "programa": {
                    "attributes": {
                        "clave_programa": {"source": "clave_programa"},
                        "programa": {"source": "programa", "labelfor": "clave_programa"},
                    },
                    "primaryKey": "clave_programa",
                    "dimensionType": "activity",
                },
                "administrativa": {
                    "attributes": {
                        "ramo": {"source": "ramo"},
                        "unidad_responsable": {"source": "unidad_responsable"},
                    },
                    "primaryKey": ["ramo", "unidad_responsable"],
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                },
                "partida": {
                    "attributes": {"partida": {"source": "partida"}},
                    "primaryKey": "partida",
                    "dimensionType": "classification",
                    "classificationType": "economic",
                },
                "fuente": {
                    "attributes": {"fuente_financiamiento": {"source": "fuente_financiamiento"}},
                    "primaryKey": "fuente_financiamiento",
                    "dimensionType": "fact",
                },
            },
        },
    }


def _filters(
    entity: str | None, year: int | None, clave: str | None, municipality: str | None = None
) -> tuple[str, list]:
    where, params = [], []
    if entity:
        where.append("entidad = ?")
        params.append(entity)
    if municipality:
        where.append(f"{MUNICIPALITY} = ?")
        params.append(municipality)
    if year:
        where.append("ciclo = ?")
        params.append(int(year))
    if clave:
        where.append("clave_programa = ?")
        params.append(clave)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def write_budget_csv(
    out, *, entity: str | None = None, year: int | None = None, municipality: str | None = None
) -> int:
    """Write the current budget lines as CSV (EXPORT_COLUMNS) to a text stream."""
    source_sql = read_parquet_sql()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    if source_sql is None:
        return 0
    where, params = _filters(entity, year, None, municipality)
    con = duckdb.connect()
    count = 0
    try:
        cur = con.execute(
            f"SELECT {', '.join(EXPORT_COLUMNS)} FROM {source_sql}{where} "
            "ORDER BY entidad, ciclo, clave_programa, source, line",
            params,
        )
        while batch := cur.fetchmany(10_000):
            for row in batch:
                writer.writerow(
                    [
                        "" if v is None else (f"{v:.2f}" if isinstance(v, Decimal) else v)
                        for v in row
                    ]
                )
            count += len(batch)
    finally:
        con.close()
    return count


def export_fiscal_data_package(directory: str | Path, **filters) -> Path:
    """Write datapackage.json + presupuesto.csv into `directory`; returns the descriptor path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / CSV_NAME, "w", encoding="utf-8", newline="") as out:
        rows = write_budget_csv(out, **filters)
    descriptor = datapackage_descriptor(rows)
    descriptor.pop("fiscalPeriod")
    path = directory / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def export_budget(stdout, entity: str | None = None, **_ignored) -> None:
    """`cocrea export budget [--entity CODE]`: the budget lines as CSV."""
    write_budget_csv(stdout, entity=entity)
