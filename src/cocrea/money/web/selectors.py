"""Read side of Sigue el Dinero: programmes from PostgreSQL, money from DuckDB/Parquet.

Each page function opens one DuckDB connection over the current snapshots, runs a fixed set of
bounded queries (see `analytics`) and closes it; Django queries are a handful per page.
"""

from __future__ import annotations

from contextlib import contextmanager

from cocrea.territory.models import Entity

from ..analytics import database, figures, findings, flows_snapshot, pages, party_search
from ..analytics.database import Scope
from ..budget import moments
from ..models import Program, ProgramProcess
from . import charts


@contextmanager
def connection():
    con = database.connect()
    try:
        yield con
    finally:
        con.close()


def has_data() -> dict[str, bool]:
    return {
        "budget": moments.current_snapshot() is not None,
        "contracting": flows_snapshot.current_snapshot() is not None,
    }


def programs_of(entity_code: str | None = None, municipality_code: str | None = None):
    qs = Program.objects.select_related("entity", "municipality", "commitment", "commitment__plan")
    if entity_code:
        qs = qs.filter(entity__code=entity_code)
    if municipality_code:
        qs = qs.filter(municipality__code=municipality_code)
    return qs.order_by("entity__code", "clave_programa")


def buyer_territories(*, entity_code: str | None = None, municipality_code: str | None = None):
    """Buyers tied to an entity or a municipality (one query)."""
    from ..models import BuyerTerritory

    qs = BuyerTerritory.objects.select_related("entity", "municipality")
    if entity_code:
        qs = qs.filter(entity__code=entity_code)
    if municipality_code:
        qs = qs.filter(municipality__code=municipality_code)
    return qs


def program_scope(program: Program, year: int | None = None) -> Scope:
    ocids = list(
        ProgramProcess.objects.filter(program=program).values_list("ocid", flat=True)[:500]
    )
    return Scope(
        entity=program.entity.code, year=year, claves=[program.clave_programa], ocids=ocids
    )


def _panels(con, scope: Scope, *, sankey_title: str) -> dict:
    funnel = figures.funnel(con, scope)
    suppliers, hhi = figures.top_suppliers(con, scope)
    payments = figures.payments_by_month(con, scope)
    return {
        "funnel": funnel,
        "funnel_svg": charts.funnel(funnel),
        "summary": figures.summary(con, scope),
        "suppliers": suppliers,
        "hhi": hhi,
        "hhi_label": figures.hhi_label(hhi),
        "payments": payments,
        "payments_svg": charts.bars(payments, "Pagos por mes"),
        "sankey_svg": charts.sankey(figures.sankey_flows(con, scope), sankey_title),
        "checks": findings.checks(con, scope),
        "flag_summary": findings.flag_summary(con, scope),
        "processes": figures.processes(con, scope),
    }


def overview() -> dict:
    entities = {e.code: e for e in Entity.objects.all()}
    with connection() as con:
        rows = figures.entities_overview(con)
        scope = Scope()
        data = {
            "entities": [{**r, "obj": entities.get(r["entity"])} for r in rows],
            "summary": figures.summary(con, scope),
            "funnel": figures.funnel(con, scope),
            "flag_summary": findings.flag_summary(con, scope),
        }
    data["funnel_svg"] = charts.funnel(data["funnel"])
    data["programs"] = list(programs_of()[:100])
    return data


def entity_page(entity: Entity, year: int | None) -> dict:
    scope = Scope(entity=entity.code, year=year)
    with connection() as con:
        data = _panels(con, scope, sankey_title=f"Flujo del dinero en {entity.common_name}")
        data["years"] = figures.budget_years(con, entity.code)
        data["budget_programs"] = figures.budget_by_program(con, scope)
        data["buyers"] = figures.top_buyers(con, scope)
    data["programs"] = list(programs_of(entity.code))
    known = {p.clave_programa: p for p in data["programs"]}
    for row in data["budget_programs"]:
        row["program"] = known.get(row["clave_programa"])
    return data


def municipality_page(place, year: int | None) -> dict:
    """A municipality's money: its own budget lines (the `municipio` column), the processes
    of the buyers tied to it (`BuyerTerritory`) and their red flags, and its programmes."""
    ties = list(buyer_territories(municipality_code=place.code)[:200])
    scope = Scope(
        entity=place.entity.code,
        municipality=place.code,
        buyers=[t.buyer_id for t in ties],
        year=year,
    )
    with connection() as con:
        data = _panels(con, scope, sankey_title=f"Flujo del dinero en {place.name}")
        data["years"] = figures.budget_years(con, place.entity.code, scope)
        data["budget_programs"] = figures.budget_by_program(con, scope)
        data["buyers"] = figures.top_buyers(con, scope)
    data["ties"] = ties
    data["programs"] = list(programs_of(municipality_code=place.code))
    known = {p.clave_programa: p for p in data["programs"]}
    for row in data["budget_programs"]:
        row["program"] = known.get(row["clave_programa"])
    return data


def flagged_processes(entity_code: str, buyer_ids: list[str]) -> tuple[int, int]:
    """(processes, processes with at least one red flag) of these buyers in the entity."""
    if not buyer_ids or flows_snapshot.current_snapshot() is None:
        return 0, 0
    with connection() as con:
        row = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE ocid IN "
            "(SELECT key FROM flags WHERE grp = 'OCID')) FROM processes "
            "WHERE entity = $entity AND list_contains($buyers, buyer_id)",
            {"entity": entity_code, "buyers": buyer_ids},
        ).fetchone()
    return int(row[0]), int(row[1])


def program_page(program: Program, year: int | None) -> dict:
    scope = program_scope(program, year)
    with connection() as con:
        data = _panels(con, scope, sankey_title=f"Flujo del dinero de {program.name}")
        data["years"] = figures.budget_years(con, program.entity.code)
    data["links"] = list(program.processes.all()[:200])
    return data


def process_page(ocid: str) -> dict | None:
    with connection() as con:
        detail = pages.process_detail(con, ocid)
        if detail is None:
            return None
        detail["checks"] = findings.process_checks(con, ocid, None)
    claves = [c for c in (detail.get("project_id"), detail.get("project")) if c]
    from django.db.models import Q

    detail["programs"] = list(
        Program.objects.select_related("entity")
        .filter(
            Q(entity__code=detail["entity"], clave_programa__in=claves) | Q(processes__ocid=ocid)
        )
        .distinct()
    )
    detail["entity_obj"] = Entity.objects.filter(code=detail["entity"]).first()
    return detail


def buyer_page(buyer_id: str) -> dict | None:
    with connection() as con:
        return pages.buyer_detail(con, buyer_id)


def supplier_page(supplier_id: str) -> dict | None:
    with connection() as con:
        return pages.supplier_detail(con, supplier_id)


def search(q: str, limit: int = 20, offset: int = 0) -> dict:
    """Buyers and suppliers whose name or identifier contains `q`: two queries over the
    per-party summary of the flows snapshot (`party_search.search`)."""
    if len(q.strip()) < 2:
        return {"buyers": [], "suppliers": []}
    with connection() as con:
        return party_search.search(con, q, limit=limit, offset=offset)


SEARCH_MAX_OFFSET = 10_000  # the search's deepest page (API and page) starts here
# The party pages of the search results: the kind of result -> the URL name of its page.
PARTY_PAGES = {"buyers": "money:buyer", "suppliers": "money:supplier"}


def party_url(kind: str, party_id: str) -> str | None:
    """The page of a buyer or supplier of the search (None for an identifier that no page
    address can hold, such as an empty one)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(PARTY_PAGES[kind], args=[party_id])
    except NoReverseMatch:
        return None


def search_pages(q: str, offsets: dict[str, int], limit: int = 20) -> dict:
    """`search` with a page of each list: `offsets` gives the first result of the buyers and of
    the suppliers. Each list gets at most `limit` results, whether more follow (`more`) and
    each result its page (`url`). Each list is read once, from its own first result (with
    `limit + 1` results, to know whether more follow)."""
    kinds = ("buyers", "suppliers")
    if len(q.strip()) < 2:
        return {
            kind: {"items": [], "offset": offsets.get(kind, 0), "more": False} for kind in kinds
        }
    out = {}
    with connection() as con:
        for kind in kinds:
            offset = offsets.get(kind, 0)
            found = party_search.search(con, q, limit + 1, offset, kinds=(kind,))[kind]
            items = [{**item, "url": party_url(kind, item["id"])} for item in found]
            out[kind] = {"items": items[:limit], "offset": offset, "more": len(items) > limit}
    return out


def program_money(program: Program, year: int | None = None) -> dict:
    """Moments, flows and checks of a programme (the API and the commitment include)."""
    scope = program_scope(program, year)
    with connection() as con:
        funnel = figures.funnel(con, scope)
        summary = figures.summary(con, scope)
        suppliers, hhi = figures.top_suppliers(con, scope)
        checks = findings.checks(con, scope)
        flows = figures.sankey_flows(con, scope)
        payments = figures.payments_by_month(con, scope)
    return {
        "funnel": funnel,
        "summary": summary,
        "suppliers": suppliers,
        "hhi": hhi,
        "checks": checks,
        "flows": flows,
        "payments": payments,
    }


def commitment_money(commitment) -> dict:
    programs = list(Program.objects.filter(commitment=commitment).select_related("entity"))
    items = []
    for program in programs[:5]:
        scope = program_scope(program)
        with connection() as con:
            funnel = figures.funnel(con, scope)
            summary = figures.summary(con, scope)
            checks = [c for c in findings.checks(con, scope, limit=5) if c["findings"]]
        items.append(
            {
                "program": program,
                "funnel": funnel,
                "summary": summary,
                "checks": checks,
                "funnel_svg": charts.funnel(funnel, f"Momentos del presupuesto de {program}"),
            }
        )
    return {"commitment": commitment, "programs": items}


PARTY_FLAG_GROUPS = {"supplier": ["Tenderer"], "buyer": ["Buyer", "ProcuringEntity"]}


def party_flags(role: str, party_ids: list[str]) -> dict[str, list[dict]]:
    """The red flags of each supplier or buyer (`role`), as the party pages show them
    (none while there is no flows snapshot)."""
    if flows_snapshot.current_snapshot() is None:
        return {pid: [] for pid in party_ids}
    groups = PARTY_FLAG_GROUPS[role]
    with connection() as con:
        return {pid: findings.flags_for(con, groups, pid) for pid in party_ids}
