"""Public pages of Sigue el Dinero (/sigue-el-dinero/): thin views over `selectors`."""

from __future__ import annotations

import csv
from decimal import Decimal
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from cocrea.territory.models import Entity, Municipality

from ..analytics import flows_snapshot, pages
from ..budget import fiscal, moments
from ..models import Program
from ..redflags import DISCLAIMER
from . import opendata, selectors

DOWNLOADS = {
    # name: (table, label, description)
    "presupuesto.csv": ("budget-csv", "Presupuesto (CSV)", "Líneas de presupuesto con los seis "
                        "momentos contables, una fila por línea."),
    "datapackage.json": ("fdp", "Fiscal Data Package (datapackage.json)", "Descriptor del "
                         "presupuesto como Fiscal Data Package; acompaña a presupuesto.csv."),
    "presupuesto.parquet": ("budget", "Presupuesto (Parquet)", "Las mismas líneas en Parquet."),
    "procesos.csv": ("processes-csv", "Procesos de contratación (CSV)", "Un renglón por proceso."),
    "procesos.parquet": ("processes", "Procesos de contratación (Parquet)", ""),
    "adjudicaciones.csv": ("adjudicaciones", "Adjudicaciones (CSV)", "Un renglón por proveedor "
                           "adjudicado, con la entidad y el año del proceso."),
    "adjudicaciones.parquet": ("awards", "Adjudicaciones (Parquet)", "Un renglón por proveedor "
                               "adjudicado."),
    "contratos.csv": ("contratos", "Contratos (CSV)", "Un renglón por contrato firmado."),
    "contratos.parquet": ("contracts", "Contratos (Parquet)", ""),
    "pagos.csv": ("pagos", "Pagos (CSV)", "Transacciones de la ejecución."),
    "pagos.parquet": ("transactions", "Pagos (Parquet)", "Transacciones de la ejecución."),
    "banderas.csv": ("banderas", "Banderas rojas (CSV)", "Resultado de los indicadores por "
                     "proceso, comprador y licitante, con el nombre del indicador."),
    "banderas.parquet": ("flags", "Banderas rojas (Parquet)", "Resultado de los indicadores por "
                         "proceso, comprador y licitante."),
    "proveedores.csv": ("proveedores", "Proveedores (CSV)", "Un renglón por proveedor, "
                        "licitante o beneficiario de pagos: procesos, adjudicado, pagado, "
                        "ofertas y banderas rojas."),
    "compradores.csv": ("compradores", "Compradores (CSV)", "Un renglón por comprador: "
                        "entidad, procesos, adjudicaciones directas y banderas rojas."),
    "programas.csv": ("programs-csv", "Programas y sus vínculos (CSV)", "Programas "
                      "presupuestarios con su compromiso del plan de acción y los procesos "
                      "vinculados a mano."),
    "releases.jsonl": ("compiled", "Entregas compiladas OCDS (JSON Lines)", "Una entrega "
                       "compilada (compiled release) por línea."),
}  # fmt: skip


def _year(request) -> int | None:
    value = request.GET.get("ciclo", "").strip()
    return int(value) if value.isdigit() and len(value) == 4 else None


def index(request):
    return render(
        request,
        "money/index.html",
        {"data": selectors.overview(), "has_data": selectors.has_data(), "disclaimer": DISCLAIMER},
    )


def entity(request, slug: str):
    obj = get_object_or_404(Entity, slug=slug)
    year = _year(request)
    return render(
        request,
        "money/entity.html",
        {
            "entity": obj,
            "year": year,
            "data": selectors.entity_page(obj, year),
            "disclaimer": DISCLAIMER,
        },
    )


def municipality(request, slug: str, municipality: str):
    place = get_object_or_404(
        Municipality.objects.select_related("entity"), entity__slug=slug, slug=municipality
    )
    year = _year(request)
    return render(
        request,
        "money/municipality.html",
        {
            "entity": place.entity,
            "municipality": place,
            "year": year,
            "data": selectors.municipality_page(place, year),
            "disclaimer": DISCLAIMER,
        },
    )


def program(request, pk: int):
    obj = get_object_or_404(
        Program.objects.select_related("entity", "commitment", "commitment__plan"), pk=pk
    )
    year = _year(request)
    return render(
        request,
        "money/program.html",
        {
            "program": obj,
            "entity": obj.entity,
            "year": year,
            "data": selectors.program_page(obj, year),
            "disclaimer": DISCLAIMER,
        },
    )


def process(request, ocid: str):
    detail = selectors.process_page(ocid)
    if detail is None:
        raise Http404("proceso no encontrado")
    return render(request, "money/process.html", {"p": detail, "disclaimer": DISCLAIMER})


def process_ocds(request, ocid: str):
    """The compiled release of the process, as published (OCDS JSON)."""
    data = pages.compiled_release(ocid)
    if data is None:
        raise Http404("proceso no encontrado")
    response = HttpResponse(data, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{ocid}.json"'
    return response


def buyer(request, buyer_id: str):
    detail = selectors.buyer_page(buyer_id)
    if detail is None:
        raise Http404("comprador no encontrado")
    return render(request, "money/buyer.html", {"b": detail, "disclaimer": DISCLAIMER})


def supplier(request, supplier_id: str):
    detail = selectors.supplier_page(supplier_id)
    if detail is None:
        raise Http404("proveedor no encontrado")
    return render(request, "money/supplier.html", {"s": detail, "disclaimer": DISCLAIMER})


SEARCH_PAGE = 20  # results of each list per page
# Query parameters of the search page: the page of each list, turned independently.
SEARCH_PAGES = {"buyers": "pc", "suppliers": "pp"}


def _page_number(request, key: str) -> int:
    value = request.GET.get(key, "")
    number = int(value) if value.isdigit() and len(value) < 7 else 1
    return max(1, min(number, selectors.SEARCH_MAX_OFFSET // SEARCH_PAGE + 1))


def search(request):
    """Buyers and suppliers whose name or identifier contains `q`, each list with its own
    pages (`pc` for buyers, `pp` for suppliers, up to the result `SEARCH_MAX_OFFSET`): plain
    links, which htmx follows to swap the results alone (and push the address)."""
    q = request.GET.get("q", "").strip()[:100]
    numbers = {kind: _page_number(request, key) for kind, key in SEARCH_PAGES.items()}
    offsets = {kind: (n - 1) * SEARCH_PAGE for kind, n in numbers.items()}
    results = selectors.search_pages(q, offsets, SEARCH_PAGE)

    def link(kind: str, number: int) -> str:
        wanted = {**numbers, kind: number}
        return "?" + urlencode({"q": q} | {SEARCH_PAGES[k]: n for k, n in wanted.items() if n > 1})

    for kind, data in results.items():
        number = numbers[kind]
        data["number"] = number
        data["previous"] = link(kind, number - 1) if number > 1 else None
        data["next"] = link(kind, number + 1) if data["more"] else None
    return render(request, "money/search.html", {"q": q, "results": results})


def downloads(request):
    available = {}
    for name, (table, _label, _d) in DOWNLOADS.items():
        if table in {"budget-csv", "fdp", "budget"}:
            available[name] = moments.current_snapshot() is not None
        elif table == "processes-csv" or table in CONTRACTING_CSV:
            available[name] = flows_snapshot.current_snapshot() is not None
        elif table == "programs-csv":
            available[name] = True
        elif table in opendata.PARTY_TABLES:
            available[name] = opendata.available(table)
        else:
            available[name] = flows_snapshot.table_path(table) is not None
    items = [
        {"name": n, "label": label, "description": d, "available": available[n]}
        for n, (_t, label, d) in DOWNLOADS.items()
    ]
    return render(request, "money/downloads.html", {"items": items})


class _Echo:
    def write(self, value):
        return value


def _csv_stream(header, rows):
    """CSV text in UTF-8 with a BOM (spreadsheet programs then read the accents right)."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(
            ["" if v is None else (f"{v:.2f}" if isinstance(v, Decimal) else v) for v in row]
        )


PARQUET = "application/vnd.apache.parquet"
# CSV downloads of the contracting tables, read in batches from the current flows snapshot.
CONTRACTING_CSV = {"adjudicaciones", "contratos", "pagos", "banderas"}
PROGRAM_COLUMNS = [
    "id", "entidad", "clave_programa", "programa", "primer_ciclo", "ultimo_ciclo",
    "compromiso_id", "compromiso", "procesos_vinculados",
]  # fmt: skip


def _program_rows():
    programs = Program.objects.select_related("entity", "commitment").prefetch_related("processes")
    for p in programs.order_by("entity__code", "clave_programa"):
        yield [
            p.pk,
            p.entity.code,
            p.clave_programa,
            p.name,
            p.year_start,
            p.year_end,
            p.commitment_id,
            p.commitment.title if p.commitment_id else "",
            ";".join(link.ocid for link in p.processes.all()),
        ]


def _budget_parquet(source_sql: str):
    """All sources' budget lines as one Parquet file, opened for reading and already unlinked
    (DuckDB writes a new file at the path, so the file is opened only once it is written)."""
    import os
    import tempfile

    import duckdb

    fd, path = tempfile.mkstemp(suffix=".parquet", prefix="cocrea-budget-")
    os.close(fd)
    try:
        con = duckdb.connect()
        try:
            con.execute(
                f"COPY (SELECT * FROM {source_sql} ORDER BY entidad, ciclo, clave_programa, "
                f"source, line) TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
            )
        finally:
            con.close()
        return open(path, "rb")  # noqa: SIM115 - closed by Django's FileResponse
    finally:
        os.unlink(path)  # the open file stays readable


def _table_csv(name: str, entity: str | None = None) -> StreamingHttpResponse:
    """One open-data table (`opendata.TABLES`) as streamed CSV: the rows of its JSON list
    (with `entity`, an INEGI code, that entity's rows, for the tables that have one)."""
    table = opendata.TABLES[name]
    filters = {}
    if entity and ("entity" in table.filters or table is opendata.FLAGS):
        filters["entity"] = entity
    return StreamingHttpResponse(
        _csv_stream(table.columns, opendata.stream(name, filters)),
        content_type="text/csv; charset=utf-8",
    )


def _entity_param(request) -> str | None:
    code = request.GET.get("entity", "").strip()
    return code.zfill(2) if code.isdigit() and len(code) <= 2 else None


def download(request, name: str):
    if name not in DOWNLOADS:
        raise Http404
    table = DOWNLOADS[name][0]
    entity = _entity_param(request)
    if table == "budget-csv":
        if moments.current_snapshot() is None:
            raise Http404
        response = _table_csv("presupuesto", entity)
    elif table == "fdp":
        import json

        descriptor = fiscal.datapackage_descriptor()
        descriptor.pop("fiscalPeriod")
        response = StreamingHttpResponse(
            [json.dumps(descriptor, ensure_ascii=False, indent=2)],
            content_type="application/json",
        )
    elif table == "programs-csv":
        response = StreamingHttpResponse(
            _csv_stream(PROGRAM_COLUMNS, _program_rows()), content_type="text/csv; charset=utf-8"
        )
    elif table == "processes-csv":
        if flows_snapshot.current_snapshot() is None:
            raise Http404
        response = _table_csv("procesos", entity)
    elif table in CONTRACTING_CSV:
        if flows_snapshot.current_snapshot() is None:
            raise Http404
        response = _table_csv(table, entity)
    elif table in opendata.PARTY_TABLES:
        if not opendata.available(table):
            raise Http404
        response = _table_csv(table, entity)
    elif table == "budget":
        source_sql = moments.read_parquet_sql()
        if source_sql is None:
            raise Http404
        response = FileResponse(_budget_parquet(source_sql), content_type=PARQUET)
    else:
        path = flows_snapshot.table_path(table)
        if path is None:
            raise Http404
        content_type = "application/x-ndjson" if name.endswith(".jsonl") else PARQUET
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
