"""The shapes of the money API's answers and filters (`cocrea.money.api` registers the
endpoints; the schema names are those of the OpenAPI components)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema


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


class BuyerTerritoryOut(Schema):
    buyer_id: str
    name: str
    entity: str
    municipality: str | None
    url: str | None


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
