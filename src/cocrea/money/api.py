"""JSON API of Sigue el Dinero: programmes, processes, buyers and suppliers (pages, search and
directories) and the open-data lists behind the CSV downloads."""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from cocrea.api.pagination import PAGINATION, page_headers

from . import opendata, selectors
from .models import Program

router = Router(tags=["Sigue el Dinero"])
router_prefix = ""

NO_PERSONAL_DATA = (
    " Sin datos personales: compradores, proveedores y beneficiarios son organizaciones "
    "(identificador y nombre, nunca datos de contacto)."
)


class ProgramOut(Schema):
    id: int
    entity: str
    municipality: str | None = Field(None, description="Clave del municipio (nivel municipal)")
    name: str
    clave_programa: str
    year_start: int
    year_end: int | None
    description: str
    commitment_id: int | None
    commitment_title: str | None
    url: str


class Moment(Schema):
    moment: str
    label: str
    amount: Decimal


class Flow(Schema):
    source: str
    target: str
    amount: Decimal


class Finding(Schema):
    label: str
    detail: str
    amounts: list[Decimal]
    ocid: str | None = None
    entity: str | None = None  # INEGI code, for the budget moments and the December spike
    year: int | None = None


class Check(Schema):
    code: str
    title: str
    explanation: str
    findings: list[Finding]


class Supplier(Schema):
    supplier_id: str
    supplier_name: str | None
    awarded: Decimal | None
    share: float | None
    paid: Decimal | None
    processes: int


class Summary(Schema):
    processes: int
    direct: int
    direct_share: float | None
    awarded: Decimal
    contracted: Decimal
    paid: Decimal
    suppliers: int
    buyers: int


class MonthlyPayment(Schema):
    month: str
    amount: Decimal


class ProgramDetail(ProgramOut):
    year: int | None
    moments: list[Moment]
    summary: Summary
    hhi: float | None
    top_suppliers: list[Supplier]
    flows: list[Flow]
    payments_by_month: list[MonthlyPayment]
    checks: list[Check]


class Flag(Schema):
    group: str
    code: str
    value: float
    title: str
    description: str


class Award(Schema):
    award_id: str | None
    status: str | None
    date: str | None
    amount: Decimal | None
    supplier_id: str | None
    supplier_name: str | None


class Contract(Schema):
    contract_id: str | None
    award_id: str | None
    status: str | None
    date_signed: str | None
    amount: Decimal | None


class Payment(Schema):
    transaction_id: str | None
    contract_id: str | None
    date: str | None
    amount: Decimal | None
    payee_id: str | None
    payee_name: str | None


class ProcessOut(Schema):
    ocid: str
    entity: str | None
    title: str | None
    buyer_id: str | None
    buyer_name: str | None
    procurement_method: str | None
    procurement_method_details: str | None
    project_id: str | None
    tender_value: Decimal | None
    awarded: Decimal
    paid: Decimal
    awards: list[Award]
    contracts: list[Contract]
    payments: list[Payment]
    flags: list[Flag]
    checks: list[Check]
    programs: list[int]


class SupplierBid(Schema):
    ocid: str
    title: str | None
    buyer_id: str | None
    buyer_name: str | None
    date: str | None
    bids: int
    valid_bids: int
    disqualified_bids: int
    bid_amount: float | None
    result: str  # won, lost (awarded to others), disqualified (all its bids), pending


class SupplierOut(Schema):
    supplier_id: str
    name: str | None
    awarded_processes: int
    awarded: Decimal
    paid: Decimal
    bid_processes: int
    bids: int
    valid_bids: int
    disqualified_bids: int
    won: int
    lost: int
    disqualified: int
    pending: int
    flags: list[Flag]
    bid_list: list[SupplierBid]
    url: str


class BuyerSupplier(Schema):
    supplier_id: str
    supplier_name: str | None
    awarded: Decimal | None
    processes: int
    url: str | None


class BuyerProcess(Schema):
    ocid: str
    title: str | None
    method: str | None
    method_details: str | None
    date: str | None
    awarded: Decimal | None
    flags: int


class ProcessFlagCount(Schema):
    code: str
    title: str
    processes: int


class BuyerOut(Schema):
    buyer_id: str
    name: str | None
    entity: str | None
    processes: int
    direct: int
    suppliers: list[BuyerSupplier]
    process_list: list[BuyerProcess]
    flags: list[Flag]
    process_flags: list[ProcessFlagCount]
    url: str | None


class SearchBuyer(Schema):
    id: str
    name: str | None
    processes: int
    url: str | None = Field(description="Página del comprador en Sigue el Dinero")


class SearchSupplier(Schema):
    id: str
    name: str | None
    processes: int
    awarded: Decimal | None = Field(description="Valor adjudicado (adjudicaciones activas)")
    url: str | None = Field(description="Página del proveedor en Sigue el Dinero")


class SearchOut(Schema):
    q: str
    limit: int
    offset: int
    buyers: list[SearchBuyer]
    suppliers: list[SearchSupplier]
    more_buyers: bool = Field(description="Hay más compradores después de esta página")
    more_suppliers: bool = Field(description="Hay más proveedores después de esta página")


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


class BuyerTerritoryOut(Schema):
    buyer_id: str
    name: str
    entity: str
    municipality: str | None
    url: str | None


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

ENTITY = r"^(0?[1-9]|[12][0-9]|3[0-2])$"


class ScopeFilters(Schema):
    entity: str | None = Field(
        None, pattern=ENTITY, description="Clave INEGI de la entidad, p. ej. 17"
    )
    year: int | None = Field(None, ge=1900, le=2100, description="Ejercicio (año) del proceso")
    ocid: str | None = Field(None, max_length=200, description="OCID del proceso")


class BudgetFilters(Schema):
    entity: str | None = Field(
        None, pattern=ENTITY, description="Clave INEGI de la entidad, p. ej. 17"
    )
    year: int | None = Field(None, ge=1900, le=2100, description="Ciclo presupuestario")
    program: str | None = Field(
        None, max_length=50, description="Clave del programa presupuestario, p. ej. E012"
    )
    municipio: str | None = Field(
        None, pattern=r"^\d{5}$", description="Clave INEGI del municipio, p. ej. 17007"
    )


class ProcessFilters(ScopeFilters):
    buyer: str | None = Field(None, max_length=200, description="Identificador del comprador")
    supplier: str | None = Field(
        None, max_length=200, description="Identificador de un proveedor adjudicado"
    )
    method: str | None = Field(
        None, max_length=50, description="Procedimiento OCDS: open, selective, limited, direct"
    )
    program: str | None = Field(
        None,
        max_length=50,
        description="Clave del programa presupuestario (projectID o project del presupuesto)",
    )


class AwardFilters(ScopeFilters):
    supplier: str | None = Field(None, max_length=200, description="Identificador del proveedor")


class PaymentFilters(ScopeFilters):
    payee: str | None = Field(None, max_length=200, description="Identificador del beneficiario")


class FlagFilters(ScopeFilters):
    ocid: str | None = Field(
        None, max_length=200, description="OCID: solo las banderas de ese proceso"
    )
    group: str | None = Field(
        None,
        pattern=r"^(OCID|Buyer|ProcuringEntity|Tenderer)$",
        description="A qué se refiere: OCID, Buyer, ProcuringEntity o Tenderer",
    )
    code: str | None = Field(None, max_length=20, description="Código del indicador, p. ej. R035")


class BudgetLineOut(Schema):
    source: str
    ciclo: int
    entidad: str
    ramo: str | None
    unidad_responsable: str | None
    programa: str
    clave_programa: str
    partida: str | None
    fuente_financiamiento: str | None
    aprobado: Decimal
    modificado: Decimal
    comprometido: Decimal
    devengado: Decimal
    ejercido: Decimal
    pagado: Decimal
    municipio: str | None = Field(None, description="Clave INEGI del municipio (nivel municipal)")


class ProcessRowOut(Schema):
    ocid: str
    entity: str | None
    buyer_id: str | None
    buyer_name: str | None
    title: str | None
    method: str | None
    method_details: str | None
    project_id: str | None
    project: str | None
    tender_value: Decimal | None
    date: date | None
    year: int | None


class AwardRowOut(Schema):
    ocid: str
    entity: str | None
    year: int | None
    award_id: str | None
    status: str | None
    date: date | None
    amount: Decimal | None
    supplier_id: str | None
    supplier_name: str | None


class ContractRowOut(Schema):
    ocid: str
    entity: str | None
    year: int | None
    contract_id: str | None
    award_id: str | None
    status: str | None
    date_signed: date | None
    amount: Decimal | None


class PaymentRowOut(Schema):
    ocid: str
    entity: str | None
    year: int | None
    contract_id: str | None
    transaction_id: str | None
    date: date | None
    amount: Decimal | None
    payee_id: str | None
    payee_name: str | None


class FlagRowOut(Schema):
    group: str
    key: str
    code: str
    value: float | None
    title: str


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


class BuyerFilters(Schema):
    entity: str | None = Field(
        None, pattern=ENTITY, description="Clave INEGI de la entidad del comprador, p. ej. 17"
    )


class SupplierRowOut(Schema):
    supplier_id: str
    name: str | None
    processes: int
    award_processes: int
    awarded: Decimal
    paid: Decimal
    payments: int
    bid_processes: int
    bids: int
    valid_bids: int
    disqualified_bids: int
    won: int
    lost: int
    disqualified: int
    pending: int
    flags: int


class BuyerRowOut(Schema):
    buyer_id: str
    name: str | None
    entity: str | None
    processes: int
    direct: int
    flags: int


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
