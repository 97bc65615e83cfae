"""JSON API of Sigue el Dinero: programmes, processes, buyers and suppliers (pages, search and
directories) and the open-data lists behind the CSV downloads."""

from __future__ import annotations

import inspect

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from cocrea.api.pagination import PAGINATION, page_headers

from .models import Program
from .web import opendata, selectors
from .web.api_schemas import (
    AwardFilters,
    AwardRowOut,
    BudgetFilters,
    BudgetLineOut,
    BuyerFilters,
    BuyerOut,
    BuyerProcess,
    BuyerRowOut,
    BuyerTerritoryOut,
    ContractRowOut,
    FlagFilters,
    FlagRowOut,
    PaymentFilters,
    PaymentRowOut,
    ProcessFilters,
    ProcessOut,
    ProcessRowOut,
    ProgramDetail,
    ProgramOut,
    ScopeFilters,
    SearchOut,
    SupplierBid,
    SupplierOut,
    SupplierRowOut,
)

router = Router(tags=["Sigue el Dinero"])
router_prefix = ""

NO_PERSONAL_DATA = (
    " Sin datos personales: compradores, proveedores y beneficiarios son organizaciones "
    "(identificador y nombre, nunca datos de contacto)."
)


def _flag_out(f: dict) -> dict:
    return {
        "group": f["grp"],
        "code": f["code"],
        "value": f["value"],
        "title": f["title"],
        "description": f["description"],
    }


def _program_out(p: Program) -> dict:
    return {
        "id": p.pk,
        "entity": p.entity.code,
        "municipality": p.municipality.code if p.municipality_id else None,
        "name": p.name,
        "clave_programa": p.clave_programa,
        "year_start": p.year_start,
        "year_end": p.year_end,
        "description": p.description,
        "commitment_id": p.commitment_id,
        "commitment_title": p.commitment.title if p.commitment_id else None,
        "url": p.get_absolute_url(),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


@router.get(
    "/money/programs",
    response=list[ProgramOut],
    summary="Programas presupuestarios (filtro opcional por entidad, clave INEGI)",
)
def list_programs(request, entity: str | None = None, municipio: str | None = None):
    code = entity.zfill(2) if entity and entity.isdigit() else entity
    return [_program_out(p) for p in selectors.programs_of(code, municipio)[:1000]]


@router.get(
    "/money/buyer-territories",
    response=list[BuyerTerritoryOut],
    summary="Compradores vinculados a una entidad o a un municipio (filtros entity, municipio)",
)
def list_buyer_territories(request, entity: str | None = None, municipio: str | None = None):
    code = entity.zfill(2) if entity and entity.isdigit() else entity
    return [
        {
            "buyer_id": t.buyer_id,
            "name": t.name,
            "entity": t.entity.code,
            "municipality": t.municipality.code if t.municipality_id else None,
            "url": selectors.party_url("buyers", t.buyer_id),
        }
        for t in selectors.buyer_territories(entity_code=code, municipality_code=municipio)[:1000]
    ]


@router.get(
    "/money/programs/{program_id}",
    response=ProgramDetail,
    summary="Un programa: momentos del presupuesto, flujos, proveedores y verificaciones",
)
def get_program(request, program_id: int, year: int | None = None):
    program = get_object_or_404(
        Program.objects.select_related("entity", "commitment"), pk=program_id
    )
    money = selectors.program_money(program, year)
    return {
        **_program_out(program),
        "year": year,
        "moments": money["funnel"],
        "summary": money["summary"],
        "hhi": money["hhi"],
        "top_suppliers": money["suppliers"],
        "flows": [{"source": s[2:], "target": t[2:], "amount": v} for s, t, v in money["flows"]],
        "payments_by_month": [
            {"month": r["month"].strftime("%Y-%m"), "amount": r["amount"]}
            for r in money["payments"]
        ],
        "checks": money["checks"],
    }


def _found(page: dict | None, message: str) -> dict:
    """The data of a page, or a 404 with ``message`` when the selector found nothing."""
    if page is None:
        raise Http404(message)
    return page


@router.get(
    "/money/processes/{path:ocid}",
    response=ProcessOut,
    summary="Un proceso de contratación con sus pagos, banderas rojas y verificaciones",
)
def get_process(request, ocid: str):
    p = _found(selectors.process_page(ocid), "proceso no encontrado")
    return {
        "ocid": p["ocid"],
        "entity": p["entity"],
        "title": p["title"],
        "buyer_id": p["buyer_id"],
        "buyer_name": p["buyer_name"],
        "procurement_method": p["method"],
        "procurement_method_details": p["method_details"],
        "project_id": p["project_id"],
        "tender_value": p["tender_value"],
        "awarded": p["awarded"],
        "paid": p["paid"],
        "awards": [{**a, "date": _iso(a["date"])} for a in p["awards"]],
        "contracts": [{**c, "date_signed": _iso(c["date_signed"])} for c in p["contracts"]],
        "payments": [{**t, "date": _iso(t["date"])} for t in p["transactions"]],
        "flags": [_flag_out(f) for f in p["flags"]],
        "checks": p["checks"],
        "programs": [prog.pk for prog in p["programs"]],
    }


@router.get(
    "/money/suppliers/{path:supplier_id}",
    response=SupplierOut,
    summary="Un proveedor o licitante: adjudicaciones, pagos, ofertas y banderas rojas",
)
def get_supplier(request, supplier_id: str):
    """Any party that was awarded, bid, was listed as a tenderer, was paid or has a red flag
    as a tenderer; 404 for identifiers that appear nowhere. `bid_list` has at most 50
    processes (the most recent)."""
    from django.urls import reverse

    s = _found(selectors.supplier_page(supplier_id), "proveedor no encontrado")
    return {
        **{k: s[k] for k in SupplierOut.model_fields if k in s and k != "bid_list"},
        "awarded_processes": s["processes"],
        "flags": [_flag_out(f) for f in s["flags"]],
        "bid_list": [
            {
                **{k: b[k] for k in SupplierBid.model_fields if k != "date"},
                "date": _iso(b["date"]),
            }
            for b in s["bid_list"]
        ],
        "url": reverse("money:supplier", args=[supplier_id]),
    }


@router.get(
    "/money/buyers/{path:buyer_id}",
    response=BuyerOut,
    summary="Un comprador: sus proveedores, procesos y banderas rojas",
    description=(
        "Los datos de la página del comprador: entidad, número de procesos y de "
        "adjudicaciones directas, sus 20 proveedores con mayor valor adjudicado, sus 50 "
        "procesos más recientes, las banderas rojas del comprador y cuántos de sus procesos "
        "tienen cada bandera. 404 si el identificador no es el de ningún comprador."
    ),
)
def get_buyer(request, buyer_id: str):
    b = _found(selectors.buyer_page(buyer_id), "comprador no encontrado")
    return {
        "buyer_id": b["buyer_id"],
        "name": b["name"],
        "entity": b["entity"],
        "processes": b["processes"],
        "direct": b["direct"],
        "suppliers": [
            {**s, "url": selectors.party_url("suppliers", s["supplier_id"])} for s in b["suppliers"]
        ],
        "process_list": [
            {**{k: p[k] for k in BuyerProcess.model_fields if k != "date"}, "date": _iso(p["date"])}
            for p in b["process_list"]
        ],
        "flags": [_flag_out(f) for f in b["flags"]],
        "process_flags": [
            {"code": f["code"], "title": str(f["title"]), "processes": f["n"]}
            for f in b["process_flags"]
        ],
        "url": selectors.party_url("buyers", buyer_id),
    }


@router.get(
    "/money/search",
    response=SearchOut,
    summary="Buscar proveedores y compradores por nombre o identificador",
    description=(
        "Los compradores y los proveedores (adjudicados, licitantes o beneficiarios de pagos) "
        "cuyo nombre (sin importar mayúsculas ni acentos) o identificador contiene `q`, los "
        "mismos resultados que la página /sigue-el-dinero/buscar/: ordenados por número de "
        "procesos (de mayor a menor) e identificador. `limit` (1 a 100) resultados de cada "
        "lista a partir del `offset` (hasta 10000); `more_buyers` y `more_suppliers` dicen si "
        "hay más. `q` necesita al menos dos caracteres que no sean espacios." + NO_PERSONAL_DATA
    ),
)
def search(
    request,
    q: str = Query(
        ...,
        min_length=2,
        max_length=100,
        pattern=r"\S[\s\S]*\S",
        description="Texto a buscar (al menos dos caracteres)",
    ),
    limit: int = Query(20, ge=1, le=100, description="Resultados de cada lista"),
    offset: int = Query(
        0,
        ge=0,
        le=selectors.SEARCH_MAX_OFFSET,
        description="Resultados de cada lista que se saltan",
    ),
):
    text = q.strip()
    found = selectors.search_pages(text, {"buyers": offset, "suppliers": offset}, limit)
    return {
        "q": text,
        "limit": limit,
        "offset": offset,
        "buyers": found["buyers"]["items"],
        "suppliers": found["suppliers"]["items"],
        "more_buyers": found["buyers"]["more"],
        "more_suppliers": found["suppliers"]["more"],
    }


# --- Open-data lists: the rows of the CSV downloads, paginated -------------------------------


def _page(request, response: HttpResponse, name: str, filters: Schema | None, limit, offset):
    values = filters.model_dump() if filters is not None else {}
    if values.get("entity"):
        values["entity"] = values["entity"].zfill(2)
    total, rows = opendata.page(name, values, limit, offset)
    page_headers(request, response, total, limit, offset)
    return rows


def _limit(what: str):
    return Query(1000, ge=1, le=opendata.MAX_LIMIT, description=f"{what} por página")


def _offset(what: str):
    return Query(0, ge=0, description=f"{what} que se saltan")


def _list_endpoint(
    path: str,
    name: str,
    row: type[Schema],
    filters: type[Schema] | None,
    what: str,
    *,
    summary: str,
    description: str,
) -> None:
    """Register ``GET path``: the rows of the open-data table ``name`` (`opendata.page`, the
    rows of its CSV download) filtered by the query parameters of ``filters``, ``limit`` and
    ``offset`` (``what`` names the rows in their descriptions), with the pagination headers."""

    def view(request, response, limit, offset, filters=None):
        return _page(request, response, name, filters, limit, offset)

    # The signature that ninja reads: its parameters and the types of the query.
    keyword = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter("request", keyword),
        inspect.Parameter("response", keyword, annotation=HttpResponse),
        inspect.Parameter("limit", keyword, default=_limit(what), annotation=int),
        inspect.Parameter("offset", keyword, default=_offset(what), annotation=int),
    ]
    if filters is not None:
        parameters.insert(2, inspect.Parameter("filters", keyword, annotation=Query[filters]))
    view.__signature__ = inspect.Signature(parameters)
    view.__name__ = view.__qualname__ = f"list_{path.rsplit('/', 1)[1]}"  # the operationId
    router.get(path, response=list[row], summary=summary, description=description)(view)


_list_endpoint(
    "/money/budget",
    "presupuesto",
    BudgetLineOut,
    BudgetFilters,
    "Líneas",
    summary="Líneas de presupuesto con sus seis momentos (los datos de presupuesto.csv)",
    description="Las mismas líneas y columnas que la descarga `presupuesto.csv`, en el mismo orden. "
    "Filtros: `entity` (clave INEGI), `year` (ciclo), `program` (clave del programa) y "
    "`municipio` (clave INEGI de cinco dígitos: el presupuesto de ese municipio). " + PAGINATION,
)


_list_endpoint(
    "/money/processes",
    "procesos",
    ProcessRowOut,
    ProcessFilters,
    "Procesos",
    summary="Procesos de contratación (los datos de procesos.csv)",
    description="Un renglón por proceso, con las columnas de `procesos.csv`, ordenados por OCID. "
    "Filtros: `entity`, `year`, `ocid`, `buyer`, `supplier` (proveedor adjudicado), "
    "`method` y `program` (clave del programa presupuestario). El detalle de un proceso "
    "está en `/api/v1/money/processes/{ocid}`. " + PAGINATION + NO_PERSONAL_DATA,
)


_list_endpoint(
    "/money/awards",
    "adjudicaciones",
    AwardRowOut,
    AwardFilters,
    "Adjudicaciones",
    summary="Adjudicaciones: un renglón por proveedor adjudicado (adjudicaciones.csv)",
    description="Las columnas de `adjudicaciones.csv`, con la entidad y el año del proceso. Filtros: "
    "`entity`, `year`, `ocid` y `supplier`. " + PAGINATION + NO_PERSONAL_DATA,
)


_list_endpoint(
    "/money/contracts",
    "contratos",
    ContractRowOut,
    ScopeFilters,
    "Contratos",
    summary="Contratos firmados (contratos.csv)",
    description="Las columnas de `contratos.csv`, con la entidad y el año del proceso. Filtros: "
    "`entity`, `year` y `ocid`. " + PAGINATION,
)


_list_endpoint(
    "/money/payments",
    "pagos",
    PaymentRowOut,
    PaymentFilters,
    "Pagos",
    summary="Pagos: transacciones de la ejecución de los contratos (pagos.csv)",
    description="Las columnas de `pagos.csv`, con la entidad y el año del proceso. Filtros: "
    "`entity`, `year`, `ocid` y `payee` (beneficiario). " + PAGINATION + NO_PERSONAL_DATA,
)


_list_endpoint(
    "/money/flags",
    "banderas",
    FlagRowOut,
    FlagFilters,
    "Banderas",
    summary="Banderas rojas por proceso, comprador y licitante (banderas.csv)",
    description="El resultado de cada indicador: `group` dice si `key` es un proceso (OCID), un "
    "comprador (Buyer, ProcuringEntity) o un licitante (Tenderer); `title` es el nombre "
    "del indicador. Filtros: `entity` y `year` (banderas de los procesos, compradores y "
    "licitantes de ese ámbito), `ocid`, `group` y `code`. " + PAGINATION,
)


PARTY_SUMMARY = (
    " Las cifras vienen del resumen por parte que se escribe con cada corte de los datos; "
    "un corte anterior a ese resumen da una lista vacía hasta el siguiente "
    "`cocrea money sync-flows`."
)


_list_endpoint(
    "/money/suppliers",
    "proveedores",
    SupplierRowOut,
    None,
    "Proveedores",
    summary="Directorio de proveedores y licitantes con sus cifras (proveedores.csv)",
    description="Un renglón por proveedor adjudicado, licitante, beneficiario de pagos o licitante con "
    "banderas rojas (cada uno tiene su página), ordenados por identificador: procesos en "
    "que participa, procesos adjudicados y valor adjudicado (adjudicaciones activas), "
    "pagado y número de pagos, procesos en que ofertó, ofertas (válidas y "
    "descalificadas), procesos ganados, perdidos, descalificados y sin adjudicar, y "
    "banderas rojas como licitante. El detalle de uno está en "
    "`/api/v1/money/suppliers/{supplier_id}`. " + PAGINATION + NO_PERSONAL_DATA + PARTY_SUMMARY,
)


_list_endpoint(
    "/money/buyers",
    "compradores",
    BuyerRowOut,
    BuyerFilters,
    "Compradores",
    summary="Directorio de compradores con sus cifras (compradores.csv)",
    description="Un renglón por comprador (unidad compradora), ordenados por identificador: entidad, "
    "procesos, adjudicaciones directas y banderas rojas del comprador. Filtro: `entity` "
    "(clave INEGI). El detalle de uno está en `/api/v1/money/buyers/{buyer_id}`. "
    + PAGINATION
    + NO_PERSONAL_DATA
    + PARTY_SUMMARY,
)
