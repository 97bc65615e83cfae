"""Budget lines with the six CONAC moments, stored as Parquet snapshots switched atomically.

`cocrea money import-budget FILE.csv --source NAME` (or `cocrea money-import-budget`) reads a
CSV with the columns of `COLUMNS`, validates every row (all-or-nothing: any bad row and nothing
is imported, every problem is reported with its line and field), and writes a new snapshot of
the budget table: the lines of the other sources are kept, the lines of NAME are replaced.

The lines are a table of the money store (`cocrea.money.store`, registered as
``budget_lines``): each import writes ``snapshot-<n>/budget_lines/<source>.parquet`` in a new
store snapshot (the other sources' files and the contracting tables are carried over) and
switches ``CURRENT`` atomically, so an import that fails or is still running never shows half
its data. DuckDB aggregates the Parquet files directly.

`export_fiscal_data_package(dir)` writes ``datapackage.json`` + ``presupuesto.csv``
(Fiscal Data Package: a Tabular Data Package with a `model` of measures and dimensions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cocrea.core.csvimport import ImportFailed, RowError, open_text, read_rows

from ..store import snapshots

MOMENTS = ["aprobado", "modificado", "comprometido", "devengado", "ejercido", "pagado"]
MOMENT_LABELS = {
    "aprobado": "Aprobado",
    "modificado": "Modificado",
    "comprometido": "Comprometido",
    "devengado": "Devengado",
    "ejercido": "Ejercido",
    "pagado": "Pagado",
}
TEXT_COLUMNS = [
    "entidad",
    "ramo",
    "unidad_responsable",
    "programa",
    "clave_programa",
    "partida",
    "fuente_financiamiento",
]
COLUMNS = ["ciclo", *TEXT_COLUMNS, *MOMENTS]
# Optional: the INEGI key of the municipality whose budget the line is (a municipal
# programme); empty for the entity's own budget.
MUNICIPALITY = "municipio"
COLUMNS_DOC = ",".join(COLUMNS) + f" (opcional: {MUNICIPALITY})"
REQUIRED_TEXT = {"entidad", "programa", "clave_programa"}
TABLE_NAME = "budget_lines"

AMOUNT = pa.decimal128(18, 2)
SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("line", pa.int32()),
        ("ciclo", pa.int16()),
        *[(c, pa.string()) for c in TEXT_COLUMNS],
        *[(m, AMOUNT) for m in MOMENTS],
        (MUNICIPALITY, pa.string()),
    ]
)

snapshots.register_table(TABLE_NAME, SCHEMA)

_PLAIN = re.compile(r"-?\d+(\.\d{1,2})?")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d{1,2})?")
_CENT = Decimal("0.01")


def normalize_amount(text: str) -> str:
    """`1234.5`, `1,234.50`, `$ 1,234.50` → "1234.5", "1234.50"…; '' → "0". ValueError otherwise.

    Returns the digits without grouping commas (Arrow casts them to decimal in bulk)."""
    value = text.strip()
    if "$" in value or " " in value:
        value = value.replace("$", "").replace(" ", "")
    if value == "":
        return "0"
    if _PLAIN.fullmatch(value):
        pass
    elif _GROUPED.fullmatch(value):
        value = value.replace(",", "")
    else:
        raise ValueError(
            f"«{text}» no es un importe válido; use 1234.50 o 1,234.50 (punto decimal, "
            "coma para miles, hasta dos decimales)"
        )
    if value[0] == "-":
        raise ValueError("el importe no puede ser negativo")
    if len(value.partition(".")[0]) > 16:
        raise ValueError("el importe es demasiado grande")
    return value


def parse_amount(text: str) -> Decimal:
    """`1234.5`, `1,234.50`, `$ 1,234.50` → Decimal('1234.50'); '' → 0. ValueError otherwise."""
    return Decimal(normalize_amount(text)).quantize(_CENT)


def normalize_entity(text: str) -> str:
    """An INEGI entity code: '1'..'32' or '01'..'32' (or '00' for the federation)."""
    value = text.strip()
    if value.isdigit() and len(value) <= 2 and 0 <= int(value) <= 32:
        return value.zfill(2)
    raise ValueError(f"«{text}» no es una clave INEGI de entidad (01 a 32, 00 = federación)")


def normalize_municipality(text: str, entity: str, known: set[str]) -> str | None:
    """A municipality's five-digit INEGI key ('17007', or its three digits '007' within the
    line's entity); None when empty. ValueError for a key of another entity or unknown."""
    value = text.strip()
    if not value:
        return None
    if value.isdigit() and len(value) <= 3:
        value = entity + value.zfill(3)
    if not (value.isdigit() and len(value) == 5):
        raise ValueError(
            f"«{text}» no es una clave INEGI de municipio (cinco dígitos, p. ej. 17007)"
        )
    if value[:2] != entity:
        raise ValueError(
            f"el municipio {value} no pertenece a la entidad {entity} (sus dos primeros dígitos)"
        )
    if value not in known:
        raise ValueError(f"el municipio {value} no está en el catálogo de municipios cargado")
    return value


def _known_municipalities() -> set[str]:
    from cocrea.territory.models import Municipality

    return set(Municipality.objects.values_list("code", flat=True))


@dataclass
class BudgetImport:
    source: str
    lines: int
    replaced: int
    total_lines: int
    snapshot: str
    totals: dict[str, Decimal]


def read_budget_csv(path_or_stream, source: str) -> pa.Table:
    """Validate the whole CSV; an Arrow table of its lines or ImportFailed with every problem."""
    errors: list[RowError] = []
    columns: dict[str, list] = {name: [] for name in SCHEMA.names}
    stream = open_text(path_or_stream)
    known: set[str] | None = None  # read from the catalogue at the first municipal line
    try:
        for line, row in read_rows(stream, COLUMNS):
            if "__extra__" in row:
                errors.append(RowError(line, "", "la fila tiene más campos que el encabezado"))
                continue
            problems: list[RowError] = []
            ciclo = row.get("ciclo", "")
            if not (ciclo.isdigit() and 1990 <= int(ciclo) <= 2100):
                problems.append(
                    RowError(line, "ciclo", f"«{ciclo}» no es un año válido (p. ej. 2025)")
                )
            entity = row.get("entidad", "")
            try:
                entity = normalize_entity(entity)
            except ValueError as exc:
                problems.append(RowError(line, "entidad", str(exc)))
            for name in REQUIRED_TEXT - {"entidad"}:
                if not row.get(name):
                    problems.append(RowError(line, name, "es obligatorio"))
            municipality = None
            if row.get(MUNICIPALITY) and not problems:
                known = _known_municipalities() if known is None else known
                try:
                    municipality = normalize_municipality(row[MUNICIPALITY], entity, known)
                except ValueError as exc:
                    problems.append(RowError(line, MUNICIPALITY, str(exc)))
            amounts = {}
            for moment in MOMENTS:
                try:
                    amounts[moment] = normalize_amount(row.get(moment, ""))
                except ValueError as exc:
                    problems.append(RowError(line, moment, str(exc)))
            if problems:
                errors.extend(problems)
                continue
            columns["source"].append(source)
            columns["line"].append(line)
            columns["ciclo"].append(int(ciclo))
            for name in TEXT_COLUMNS:
                columns[name].append(entity if name == "entidad" else row.get(name, ""))
            for moment in MOMENTS:
                columns[moment].append(amounts[moment])
            columns[MUNICIPALITY].append(municipality)
    finally:
        if isinstance(path_or_stream, str | Path):
            stream.close()
    if errors:
        raise ImportFailed(errors)
    if not columns["line"]:
        raise ImportFailed([RowError(0, "", "el archivo no tiene filas de presupuesto")])
    arrays = []
    for field in SCHEMA:
        if field.name in MOMENTS:
            arrays.append(pa.array(columns[field.name], pa.string()).cast(AMOUNT))
        else:
            arrays.append(pa.array(columns[field.name], field.type))
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def current_snapshot() -> Path | None:
    """The store snapshot holding the current budget lines (None before the first import)."""
    snap = snapshots.current_snapshot()
    if snap is None or not any((snap / TABLE_NAME).glob("*.parquet")):
        return None
    return snap


def current_files() -> list[Path]:
    """The Parquet files of the current budget lines (one per source)."""
    snap = snapshots.current_snapshot()
    return sorted((snap / TABLE_NAME).glob("*.parquet")) if snap else []


def read_parquet_sql(files: list[Path] | None = None) -> str | None:
    """`read_parquet([...])` over the current budget files, for DuckDB (None if none)."""
    files = current_files() if files is None else files
    if not files:
        return None
    paths = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    source = f"read_parquet([{paths}], union_by_name=true)"
    if all(MUNICIPALITY not in pq.read_schema(f).names for f in files):
        # Files written before the municipal level: every line is the entity's own.
        return f"(SELECT *, CAST(NULL AS VARCHAR) AS {MUNICIPALITY} FROM {source})"
    return source


def write_snapshot(new_lines: pa.Table, source: str) -> tuple[str, int, int]:
    """A new store snapshot where the budget lines of `source` are `new_lines`.

    The store hard-links every other file (other sources, contracting tables) from the
    current snapshot and switches `CURRENT` atomically. Returns (snapshot name, lines
    replaced from `source`, total budget lines).
    """
    previous = {f.stem: f for f in current_files()}
    replaced = pq.ParquetFile(previous[source]).metadata.num_rows if source in previous else 0
    ordered = new_lines.sort_by(
        [("entidad", "ascending"), ("ciclo", "ascending"), ("clave_programa", "ascending"),
         ("line", "ascending")]
    )  # fmt: skip
    with snapshots.SnapshotBuilder(source, tables=[TABLE_NAME]) as builder:
        writer = builder.writers[TABLE_NAME]
        if hasattr(writer, "writer") and hasattr(writer, "count"):
            # The whole Arrow table at once (the row-by-row `add` would convert every
            # decimal back and forth through Python objects).
            writer.writer.write_table(ordered, row_group_size=256 * 1024)
            writer.count += ordered.num_rows
        else:  # pragma: no cover - another store writer: the public row API
            columns = [ordered.column(name).to_pylist() for name in SCHEMA.names]
            for row in zip(*columns, strict=True):
                builder.add(TABLE_NAME, row)
        path = builder.commit({"kind": "budget", "lines": ordered.num_rows})
    total = sum(
        pq.ParquetFile(f).metadata.num_rows for f in sorted((path / TABLE_NAME).glob("*.parquet"))
    )
    return path.name, replaced, total


def totals_of(table: pa.Table) -> dict[str, Decimal]:
    import pyarrow.compute as pc

    return {m: (pc.sum(table.column(m)).as_py() or Decimal("0")).quantize(_CENT) for m in MOMENTS}


def import_budget(path_or_stream, source: str) -> BudgetImport:
    """Validate and import a budget CSV (all-or-nothing). Raises ImportFailed."""
    source = (source or "").strip()
    if not source:
        raise ImportFailed([RowError(0, "", "indique el nombre de la fuente (--source)")])
    if not snapshots.SOURCE_RE.match(source):
        raise ImportFailed(
            [
                RowError(
                    0,
                    "",
                    f"nombre de fuente no válido «{source}»: use minúsculas, dígitos, '.', '_' "
                    "o '-' (hasta 64 caracteres)",
                )
            ]
        )
    table = read_budget_csv(path_or_stream, source)
    name, replaced, total = write_snapshot(table, source)
    return BudgetImport(
        source=source,
        lines=table.num_rows,
        replaced=replaced,
        total_lines=total,
        snapshot=name,
        totals=totals_of(table),
    )
