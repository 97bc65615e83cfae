"""JSON API of Sigue el Dinero: programmes (moments, flows, checks) and processes (flags)."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import selectors
from .models import Program

router = Router(tags=["Sigue el Dinero"])
router_prefix = ""


class ProgramOut(Schema):
    id: int
    entity: str
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
def list_programs(request, entity: str | None = None):
    code = entity.zfill(2) if entity and entity.isdigit() else entity
    return [_program_out(p) for p in selectors.programs_of(code)[:1000]]


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


@router.get(
    "/money/processes/{ocid}",
    response=ProcessOut,
    summary="Un proceso de contratación con sus pagos, banderas rojas y verificaciones",
)
def get_process(request, ocid: str):
    from django.http import Http404

    p = selectors.process_page(ocid)
    if p is None:
        raise Http404("proceso no encontrado")
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
    "/money/suppliers/{supplier_id}",
    response=SupplierOut,
    summary="Un proveedor o licitante: adjudicaciones, pagos, ofertas y banderas rojas",
)
def get_supplier(request, supplier_id: str):
    """Any party that was awarded, bid, was listed as a tenderer, was paid or has a red flag
    as a tenderer; 404 for identifiers that appear nowhere. `bid_list` has at most 50
    processes (the most recent)."""
    from django.http import Http404
    from django.urls import reverse

    s = selectors.supplier_page(supplier_id)
    if s is None:
        raise Http404("proveedor no encontrado")
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
