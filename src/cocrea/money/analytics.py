"""DuckDB queries over the current Parquet snapshots: flows, concentration and checks.

Every function takes an open connection from `connect()` (views over the current budget and
flows snapshots, the per-party summary of the flows snapshot (`parties`), and the bids,
tenderers and parties of the contracting store; empty typed tables when there is no data
yet) and a `Scope` (entity, year and, for a programme, its claves and hand-linked OCIDs). Each page runs a fixed, small number of
queries whose results are bounded by LIMITs, whatever the size of the data.

Of the several names that a party (or a budget programme) may have, pages, lists, the search
and the downloads show the greatest (``max``), as the per-party summary does (`parties`):
``any_value`` would show whichever DuckDB's threads read first, and a page could change from
one request to the next.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pyarrow as pa
from django.utils.translation import gettext_lazy as _

from . import budget, facts, parties
from .parties import BID_TOTALS, SUPPLIER_NAMES
from .redflags import DISCLAIMER, EXPLANATIONS, GROUP_LABELS

ZERO = Decimal("0.00")
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


@dataclass
class Scope:
    entity: str | None = None
    year: int | None = None
    claves: list[str] | None = None  # a programme's claves (None = not a programme)
    ocids: list[str] = field(default_factory=list)  # hand-linked processes
    # A municipality: its own budget lines and the processes of the buyers tied to it.
    municipality: str | None = None
    buyers: list[str] = field(default_factory=list)

    @property
    def params(self) -> dict:
        return {
            "entity": self.entity,
            "municipality": self.municipality,
            "buyers": list(self.buyers) or [""],
            "year": self.year,
            "is_program": self.claves is not None,
            "claves": list(self.claves or []) or [""],
            "ocids": list(self.ocids) or [""],
        }


SCOPED = """
sp AS MATERIALIZED (
    SELECT * FROM processes
    WHERE ($entity IS NULL OR entity = $entity)
      AND ($municipality IS NULL OR list_contains($buyers, buyer_id))
      AND ($year IS NULL OR year = $year)
      AND (NOT $is_program OR list_contains($claves, project_id)
           OR list_contains($claves, project) OR list_contains($ocids, ocid))
)"""
SCOPED_BUDGET = """
sb AS MATERIALIZED (
    SELECT * FROM budget_lines
    WHERE ($entity IS NULL OR entidad = $entity)
      AND ($municipality IS NULL OR municipio = $municipality)
      AND ($year IS NULL OR ciclo = $year)
      AND (NOT $is_program OR list_contains($claves, clave_programa))
)"""


_local = threading.local()


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB cursor with read-only views over the current snapshots; close it when done.

    Reads never rebuild anything: the flows tables are derived by the writers
    (`cocrea money import`, `cocrea money sync-flows`, the demo loader). Opening a DuckDB
    database costs tens of milliseconds, so each thread keeps one in-memory database per set
    of snapshot files and hands out cursors (which share its views).
    """
    from . import store

    budget_files = tuple(str(f) for f in budget.current_files())
    flows = facts.current_snapshot()
    contracting = store.current_snapshot()
    key = (budget_files, str(flows), str(contracting))
    cached = getattr(_local, "database", None)
    if cached is None or cached[0] != key:
        if cached is not None:
            cached[1].close()
        _local.database = (key, _open(budget_files, flows, contracting))
    return _local.database[1].cursor()


# Tables of the contracting store (not derived into the flows tables) that the pages read:
# the bids and the tenderers of each process, and its parties (for the names of bidders).
STORE_TABLES = ("bids", "tenderers", "parties")


def _open(budget_files: tuple[str, ...], flows, contracting=None) -> duckdb.DuckDBPyConnection:
    from . import store

    con = duckdb.connect()
    for name in STORE_TABLES:
        files = sorted((contracting / name).glob("*.parquet")) if contracting else []
        if files:
            paths = ", ".join(f"'{_q(f)}'" for f in files)
            con.execute(
                f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{paths}], union_by_name=true)"
            )
        else:
            empty = store.TABLES[name].empty_table()  # noqa: F841 - read by DuckDB's scan
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
    if budget_files:
        con.execute(
            f"CREATE VIEW budget_lines AS SELECT * FROM {budget.read_parquet_sql(budget_files)}"
        )
    else:
        empty = budget.SCHEMA.empty_table()  # noqa: F841 - read by DuckDB's replacement scan
        con.execute("CREATE TABLE budget_lines AS SELECT * FROM empty")
    for name in facts.TABLES:
        path = flows / f"{name}.parquet" if flows is not None else None
        if path is not None and path.exists():
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_q(path)}')")
        else:
            empty = facts.SCHEMAS[name].empty_table()  # noqa: F841
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
    # The per-party summary and lists (`parties`): absent from snapshots written before they
    # existed, and then no view, so that the search and pages fall back to their old queries.
    for table, file in parties.TABLES:
        path = flows / file if flows is not None else None
        if path is not None and path.exists():
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{_q(path)}')")
    return con


def _q(path) -> str:
    return str(path).replace("'", "''")


def _rows(con, sql: str, params: dict | list | None = None) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _used(sql: str, params: dict) -> dict:
    """Only the named parameters that the statement uses (DuckDB rejects unused ones)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def query(con, sql: str, scope: Scope) -> list[dict]:
    return _rows(con, sql, _used(sql, scope.params))


# --- Budget ----------------------------------------------------------------------------------


def funnel(con, scope: Scope) -> list[dict]:
    """The six CONAC moments, summed, with their share of the approved budget."""
    sql = (
        f"WITH {SCOPED_BUDGET} SELECT "
        + ", ".join(f"coalesce(sum({m}), 0) AS {m}" for m in budget.MOMENTS)
        + " FROM sb"
    )
    row = query(con, sql, scope)[0]
    top = max(row.values()) or Decimal(1)
    return [
        {
            "moment": m,
            "label": budget.MOMENT_LABELS[m],
            "amount": row[m],
            "share": float(row[m] / top) if top else 0.0,
        }
        for m in budget.MOMENTS
    ]


def budget_by_program(con, scope: Scope, limit: int = 50) -> list[dict]:
    sql = f"""WITH {SCOPED_BUDGET}
    SELECT entidad, clave_programa, max(programa) AS programa,
           {", ".join(f"sum({m}) AS {m}" for m in budget.MOMENTS)}
    FROM sb GROUP BY entidad, clave_programa ORDER BY aprobado DESC, clave_programa LIMIT {limit}"""
    return query(con, sql, scope)


def budget_years(con, entity: str | None, scope: Scope | None = None) -> list[int]:
    """The years with budget lines or processes of the entity (or of `scope`'s municipality)."""
    scope = scope or Scope(entity=entity)
    params = {k: scope.params[k] for k in ("entity", "municipality", "buyers")}
    sql = (
        "SELECT DISTINCT ciclo FROM budget_lines WHERE ($entity IS NULL OR entidad = $entity) "
        "AND ($municipality IS NULL OR municipio = $municipality)"
    )
    sql2 = (
        "SELECT DISTINCT year FROM processes WHERE ($entity IS NULL OR entity = $entity) "
        "AND ($municipality IS NULL OR list_contains($buyers, buyer_id))"
    )
    years = {r[0] for r in con.execute(sql, _used(sql, params)).fetchall()}
    years |= {r[0] for r in con.execute(sql2, _used(sql2, params)).fetchall()}
    return sorted((y for y in years if y), reverse=True)


# --- Contracting ------------------------------------------------------------------------------

ACTIVE_AWARD = "coalesce(a.status, 'active') NOT IN ('cancelled', 'unsuccessful', 'pending')"


def summary(con, scope: Scope) -> dict:
    sql = f"""WITH {SCOPED},
    p AS (SELECT count(*) AS processes, count(*) FILTER (WHERE method = 'limited') AS direct,
                 count(method) AS with_method, count(DISTINCT buyer_id) AS buyers FROM sp),
    aw AS (SELECT coalesce(sum(a.amount), 0) AS awarded,
                  coalesce(sum(a.amount) FILTER (WHERE sp.method = 'limited'), 0)
                    AS awarded_direct,
                  count(DISTINCT a.supplier_id) AS suppliers
           FROM awards a JOIN sp USING (ocid) WHERE {ACTIVE_AWARD}),
    c AS (SELECT coalesce(sum(c.amount), 0) AS contracted FROM contracts c JOIN sp USING (ocid)),
    t AS (SELECT coalesce(sum(t.amount), 0) AS paid FROM transactions t JOIN sp USING (ocid))
    SELECT * FROM p, aw, c, t"""
    row = query(con, sql, scope)[0]
    row["direct_share"] = row["direct"] / row["with_method"] if row["with_method"] else None
    row["direct_amount_share"] = (
        float(row["awarded_direct"] / row["awarded"]) if row["awarded"] else None
    )
    return row


def top_suppliers(con, scope: Scope, limit: int = 10) -> tuple[list[dict], float | None]:
    """The suppliers with the largest awarded value, and the HHI of all of them (0–10,000)."""
    sql = f"""WITH {SCOPED},
    s AS (
      SELECT a.supplier_id, max(a.supplier_name) AS supplier_name,
             sum(a.amount) AS awarded, count(DISTINCT a.ocid) AS processes,
             count(DISTINCT a.ocid) FILTER (WHERE sp.method = 'limited') AS direct
      FROM awards a JOIN sp USING (ocid)
      WHERE {ACTIVE_AWARD} AND a.supplier_id IS NOT NULL GROUP BY a.supplier_id
    ),
    paid AS (
      SELECT t.payee_id AS supplier_id, sum(t.amount) AS paid
      FROM transactions t JOIN sp USING (ocid) GROUP BY t.payee_id
    ),
    total AS (SELECT sum(awarded) AS total FROM s)
    SELECT s.*, coalesce(paid.paid, 0) AS paid,
           CASE WHEN total.total > 0 THEN s.awarded / total.total END AS share,
           (SELECT sum(power(100.0 * awarded / total.total, 2)) FROM s) AS hhi
    FROM s CROSS JOIN total LEFT JOIN paid USING (supplier_id)
    ORDER BY s.awarded DESC NULLS LAST, s.supplier_id LIMIT {limit}"""
    rows = query(con, sql, scope)
    hhi = float(rows[0]["hhi"]) if rows and rows[0]["hhi"] is not None else None
    for r in rows:
        r["share"] = float(r["share"]) if r["share"] is not None else None
    return rows, hhi


def hhi_label(hhi: float | None) -> str:
    if hhi is None:
        return "sin datos"
    if hhi < 1500:
        return "mercado poco concentrado"
    if hhi < 2500:
        return "concentración moderada"
    return "concentración alta"


def top_buyers(con, scope: Scope, limit: int = 10) -> list[dict]:
    sql = f"""WITH {SCOPED}
    SELECT sp.buyer_id, max(sp.buyer_name) AS buyer_name, count(*) AS processes,
           (SELECT coalesce(sum(a.amount), 0) FROM awards a
              WHERE a.ocid IN (SELECT ocid FROM sp s2 WHERE s2.buyer_id = sp.buyer_id)) AS awarded
    FROM sp WHERE sp.buyer_id IS NOT NULL GROUP BY sp.buyer_id
    ORDER BY awarded DESC, sp.buyer_id LIMIT {limit}"""
    return query(con, sql, scope)


def payments_by_month(con, scope: Scope, limit: int = 60) -> list[dict]:
    sql = f"""WITH {SCOPED}
    SELECT date_trunc('month', t.date)::DATE AS month, sum(t.amount) AS amount, count(*) AS n
    FROM transactions t JOIN sp USING (ocid) WHERE t.date IS NOT NULL
    GROUP BY 1 ORDER BY 1 DESC LIMIT {limit}"""
    rows = query(con, sql, scope)
    rows.reverse()
    for r in rows:
        r["label"] = f"{MONTHS[r['month'].month - 1]} {r['month'].year}"
    return rows


def processes(con, scope: Scope, limit: int = 50, order: str = "amount") -> list[dict]:
    sql = f"""WITH {SCOPED},
    aw AS (SELECT ocid, sum(amount) AS awarded, string_agg(DISTINCT supplier_name, '; ')
             AS suppliers FROM awards a WHERE {ACTIVE_AWARD} GROUP BY ocid),
    pay AS (SELECT ocid, sum(amount) AS paid FROM transactions GROUP BY ocid),
    fl AS (SELECT key AS ocid, count(*) AS flags FROM flags WHERE grp = 'OCID' GROUP BY key)
    SELECT sp.ocid, sp.title, sp.buyer_id, sp.buyer_name, sp.method, sp.method_details,
           sp.project_id, sp.date, aw.awarded, aw.suppliers, coalesce(pay.paid, 0) AS paid,
           coalesce(fl.flags, 0) AS flags
    FROM sp LEFT JOIN aw USING (ocid) LEFT JOIN pay USING (ocid) LEFT JOIN fl USING (ocid)
    ORDER BY {"aw.awarded DESC NULLS LAST" if order == "amount" else "sp.date DESC NULLS LAST"},
             sp.ocid LIMIT {limit}"""
    return query(con, sql, scope)


# --- Sankey -----------------------------------------------------------------------------------


def sankey_flows(con, scope: Scope, top: int = 6) -> list[tuple[str, str, Decimal]]:
    """Links (source node, target node, amount) of fuente → programa → comprador → proveedor →
    pagos. The budget side uses the modified budget; the contracting side the awarded value and
    the payments. Small nodes are grouped as «Otros» so the diagram stays legible."""
    links: list[tuple[str, str, Decimal]] = []
    sql = f"""WITH {SCOPED_BUDGET}
    SELECT coalesce(nullif(fuente_financiamiento, ''), 'Sin fuente') AS fuente,
           clave_programa, max(programa) AS programa,
           sum(CASE WHEN modificado > 0 THEN modificado ELSE aprobado END) AS amount
    FROM sb GROUP BY 1, 2 HAVING amount > 0 ORDER BY amount DESC"""
    budget_rows = query(con, sql, scope)
    programs = _top_names(
        [(f"{r['clave_programa']} {r['programa']}", r["amount"]) for r in budget_rows], top
    )
    fuentes = _top_names([(r["fuente"], r["amount"]) for r in budget_rows], top)
    agg: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for r in budget_rows:
        src = "F:" + fuentes(r["fuente"])
        dst = "P:" + programs(f"{r['clave_programa']} {r['programa']}")
        agg[(src, dst)] += r["amount"]
    links += [(s, d, v) for (s, d), v in agg.items()]

    sql = f"""WITH {SCOPED}
    SELECT coalesce(sp.project_id, sp.project, 'Sin programa') AS clave,
           coalesce(sp.buyer_name, sp.buyer_id, 'Sin comprador') AS buyer,
           coalesce(a.supplier_name, a.supplier_id, 'Sin proveedor') AS supplier,
           a.supplier_id, sum(a.amount) AS amount
    FROM awards a JOIN sp USING (ocid) WHERE {ACTIVE_AWARD} AND a.amount > 0
    GROUP BY 1, 2, 3, 4 ORDER BY amount DESC"""
    award_rows = query(con, sql, scope)
    names_by_clave = {r["clave_programa"]: f"{r['clave_programa']} {r['programa']}"
                      for r in budget_rows}  # fmt: skip
    buyers = _top_names([(r["buyer"], r["amount"]) for r in award_rows], top)
    suppliers = _top_names([(r["supplier"], r["amount"]) for r in award_rows], top)
    agg = defaultdict(lambda: ZERO)
    for r in award_rows:
        program = "P:" + programs(names_by_clave.get(r["clave"], r["clave"]))
        agg[(program, "B:" + buyers(r["buyer"]))] += r["amount"]
        agg[("B:" + buyers(r["buyer"]), "S:" + suppliers(r["supplier"]))] += r["amount"]
    links += [(s, d, v) for (s, d), v in agg.items()]

    sql = f"""WITH {SCOPED}
    SELECT coalesce(t.payee_name, t.payee_id, 'Sin beneficiario') AS supplier,
           sum(t.amount) AS amount
    FROM transactions t JOIN sp USING (ocid) WHERE t.amount > 0 GROUP BY 1"""
    agg = defaultdict(lambda: ZERO)
    for r in query(con, sql, scope):
        agg[("S:" + suppliers(r["supplier"]), "T:Pagado")] += r["amount"]
    links += [(s, d, v) for (s, d), v in agg.items()]
    return links


def _top_names(pairs: list[tuple[str, Decimal]], top: int):
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for name, amount in pairs:
        totals[name] += amount or ZERO
    keep = {n for n, _v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}

    def name_of(name: str) -> str:
        return name if name in keep else "Otros"

    return name_of


# --- Flags -----------------------------------------------------------------------------------


def flags_for(con, group: str | list[str], key: str) -> list[dict]:
    groups = [group] if isinstance(group, str) else group
    rows = _rows(
        con,
        "SELECT grp, code, value FROM flags WHERE list_contains($groups, grp) AND key = $key "
        "ORDER BY code, grp",
        {"groups": groups, "key": key},
    )
    return [explain_flag(r) for r in rows]


def explain_flag(row: dict) -> dict:
    info = EXPLANATIONS.get(row["code"], {"title": row["code"], "description": "", "value": ""})
    return {
        **row,
        "group_label": GROUP_LABELS.get(row["grp"], row["grp"]),
        "title": info["title"],
        "description": info["description"],
        "value_help": info.get("value", ""),
    }


def flag_summary(con, scope: Scope) -> list[dict]:
    """How many processes of the scope have each flag."""
    sql = f"""WITH {SCOPED}
    SELECT f.code, count(DISTINCT f.key) AS processes,
           list(DISTINCT f.key ORDER BY f.key)[1:5] AS ocids
    FROM flags f JOIN sp ON f.key = sp.ocid
    WHERE f.grp = 'OCID' GROUP BY f.code ORDER BY f.code"""
    return [
        {**r, "title": EXPLANATIONS.get(r["code"], {}).get("title", r["code"])}
        for r in query(con, sql, scope)
    ]


FLAG_DISCLAIMER = DISCLAIMER


# --- Checks ----------------------------------------------------------------------------------

CHECKS = {
    "momentos": {
        "title": _("Un momento contable posterior supera a uno anterior"),
        "explanation": _(
            "El presupuesto avanza por momentos: lo pagado no debería superar lo ejercido, lo "
            "ejercido a lo devengado, lo devengado a lo comprometido ni lo comprometido a lo "
            "modificado. Si un momento posterior es mayor, hay un error de registro o un gasto "
            "que no pasó por las etapas previas."
        ),
    },
    "pago_mayor": {
        "title": _("Pagos mayores que el valor del contrato"),
        "explanation": _(
            "La suma de los pagos registrados de un contrato supera el valor pactado. Puede "
            "deberse a un convenio modificatorio no publicado o a pagos indebidos."
        ),
    },
    "pago_antes_firma": {
        "title": _("Pago antes de la firma del contrato"),
        "explanation": _(
            "Hay un pago con fecha anterior a la firma del contrato que lo ampara. Pagar sin "
            "contrato firmado va contra las reglas de la contratación pública, salvo anticipos "
            "documentados."
        ),
    },
    "beneficiario_distinto": {
        "title": _("Pago a alguien distinto del proveedor adjudicado"),
        "explanation": _(
            "El beneficiario de un pago no es el proveedor al que se adjudicó el contrato. "
            "Puede tratarse de una cesión de derechos documentada o de un desvío de recursos."
        ),
    },
    "directas_concentradas": {
        "title": _("Adjudicaciones directas concentradas en un proveedor"),
        "explanation": _(
            "Un mismo proveedor recibe más de la mitad del monto que un comprador asigna por "
            "adjudicación directa (con al menos tres adjudicaciones directas). La excepción a "
            "la licitación se estaría usando para favorecer a una sola empresa."
        ),
    },
    "pico_diciembre": {
        "title": _("Pico de gasto en diciembre"),
        "explanation": _(
            "Lo pagado en diciembre es al menos el doble del promedio mensual de enero a "
            "noviembre y al menos la quinta parte del año. Gastar de prisa al cierre del "
            "ejercicio para no devolver recursos suele ir con menos planeación y control."
        ),
    },
}


def _entity_names(codes: set[str]) -> dict[str, str]:
    """Common names of the entities of findings (labels of scopes with several entities)."""
    codes = {c for c in codes if c}
    if not codes:
        return {}
    from cocrea.territory.models import Entity

    return dict(Entity.objects.filter(code__in=codes).values_list("code", "common_name"))


MOMENT_PAIRS = [
    ("modificado", "comprometido"),
    ("comprometido", "devengado"),
    ("devengado", "ejercido"),
    ("ejercido", "pagado"),
]


def checks(con, scope: Scope, limit: int = 20, only: set[str] | None = None) -> list[dict]:
    """Every consistency check for the scope (or `only` those codes), with its findings (at
    most `limit` each)."""
    wanted = set(CHECKS) if only is None else set(only)
    found = {code: [] for code in CHECKS}

    if "momentos" in wanted:
        # Budget moments are compared per entity, year and programme: summing the lines of
        # the same programme key across entities would let one entity's surplus hide another
        # entity's excess.
        sql = f"""WITH {SCOPED_BUDGET}
        SELECT entidad, ciclo, clave_programa, max(programa) AS programa,
               {", ".join(f"sum({m}) AS {m}" for m in budget.MOMENTS)}
        FROM sb GROUP BY entidad, ciclo, clave_programa
        HAVING {" OR ".join(f"sum({b}) > sum({a})" for a, b in MOMENT_PAIRS)}
        ORDER BY ciclo DESC, entidad, clave_programa LIMIT {limit}"""
        budget_rows = query(con, sql, scope)
        names = _entity_names({r["entidad"] for r in budget_rows}) if scope.entity is None else {}
        for r in budget_rows:
            where = f"{names.get(r['entidad'], r['entidad'])}: " if scope.entity is None else ""
            label = f"{where}{r['clave_programa']} {r['programa']} ({r['ciclo']})"
            for earlier, later in MOMENT_PAIRS:
                if r[later] > r[earlier]:
                    found["momentos"].append(
                        {
                            "label": label,
                            "detail": f"{budget.MOMENT_LABELS[later]} mayor que "
                            f"{budget.MOMENT_LABELS[earlier].lower()}",
                            "amounts": [r[earlier], r[later]],
                            "clave": r["clave_programa"],
                            "entity": r["entidad"],
                            "year": r["ciclo"],
                        }
                    )

    sql = f"""WITH {SCOPED},
    paid AS (SELECT ocid, contract_id, sum(amount) AS paid FROM transactions
             GROUP BY ocid, contract_id)
    SELECT c.ocid, c.contract_id, c.amount, paid.paid, sp.title
    FROM contracts c JOIN sp USING (ocid) JOIN paid USING (ocid, contract_id)
    WHERE c.amount IS NOT NULL AND paid.paid > c.amount + 1
    ORDER BY paid.paid - c.amount DESC LIMIT {limit}"""
    for r in query(con, sql, scope):
        found["pago_mayor"].append(
            {
                "label": r["title"] or r["ocid"],
                "ocid": r["ocid"],
                "detail": "pagado contra valor del contrato",
                "amounts": [r["paid"], r["amount"]],
            }
        )

    sql = f"""WITH {SCOPED}
    SELECT t.ocid, t.transaction_id, t.date, c.date_signed, t.amount, sp.title
    FROM transactions t JOIN sp USING (ocid)
    JOIN contracts c ON c.ocid = t.ocid AND c.contract_id = t.contract_id
    WHERE t.date < c.date_signed ORDER BY t.date DESC LIMIT {limit}"""
    for r in query(con, sql, scope):
        found["pago_antes_firma"].append(
            {
                "label": r["title"] or r["ocid"],
                "ocid": r["ocid"],
                "detail": f"pago del {r['date']:%d/%m/%Y}; firma del {r['date_signed']:%d/%m/%Y}",
                "amounts": [r["amount"]],
            }
        )

    sql = f"""WITH {SCOPED}
    SELECT t.ocid, t.payee_id, max(t.payee_name) AS payee_name, sum(t.amount) AS amount,
           count(*) AS n, any_value(sp.title) AS title,
           (SELECT string_agg(DISTINCT a.supplier_name, '; ') FROM awards a
             WHERE a.ocid = t.ocid) AS suppliers
    FROM transactions t JOIN sp USING (ocid)
    LEFT JOIN contracts c ON c.ocid = t.ocid AND c.contract_id = t.contract_id
    WHERE t.payee_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM awards a WHERE a.ocid = t.ocid AND a.supplier_id IS NOT NULL)
      AND NOT EXISTS (
        SELECT 1 FROM awards a WHERE a.ocid = t.ocid AND a.supplier_id = t.payee_id
          AND (c.award_id IS NULL OR a.award_id = c.award_id))
    GROUP BY t.ocid, t.payee_id ORDER BY amount DESC NULLS LAST, t.ocid LIMIT {limit}"""
    for r in query(con, sql, scope):
        found["beneficiario_distinto"].append(
            {
                "label": r["title"] or r["ocid"],
                "ocid": r["ocid"],
                "detail": f"{r['n']} pago(s) a {r['payee_name'] or r['payee_id']}; "
                f"adjudicado a {r['suppliers']}",
                "amounts": [r["amount"]],
            }
        )

    if "directas_concentradas" in wanted:
        sql = f"""WITH {SCOPED},
        d AS (SELECT sp.buyer_id, max(sp.buyer_name) OVER (PARTITION BY sp.buyer_id) AS
                buyer_name, a.supplier_id, a.supplier_name, a.amount, a.ocid
              FROM awards a JOIN sp USING (ocid) WHERE sp.method = 'limited' AND {ACTIVE_AWARD}),
        per AS (SELECT buyer_id, max(buyer_name) AS buyer_name, supplier_id,
                  max(supplier_name) AS supplier_name, sum(amount) AS amount,
                  count(DISTINCT ocid) AS n FROM d GROUP BY buyer_id, supplier_id),
        tot AS (SELECT buyer_id, sum(amount) AS total, count(DISTINCT ocid) AS n FROM d
                GROUP BY buyer_id)
        SELECT per.*, tot.total, tot.n AS buyer_n FROM per JOIN tot USING (buyer_id)
        WHERE tot.n >= 3 AND tot.total > 0 AND per.amount > tot.total / 2
        ORDER BY per.amount DESC LIMIT {limit}"""
        for r in query(con, sql, scope):
            share = float(r["amount"] / r["total"])
            found["directas_concentradas"].append(
                {
                    "label": f"{r['buyer_name'] or r['buyer_id']} → "
                    f"{r['supplier_name'] or r['supplier_id']}",
                    "buyer_id": r["buyer_id"],
                    "supplier_id": r["supplier_id"],
                    "detail": f"{share:.0%} del monto de {r['buyer_n']} adjudicaciones directas "
                    f"({r['n']} a este proveedor)",
                    "amounts": [r["amount"], r["total"]],
                }
            )

    if "pico_diciembre" in wanted:
        # Per entity and year, like the budget moments: one entity's spike is its own.
        sql = f"""WITH {SCOPED},
        m AS (SELECT sp.entity, year(t.date) AS y, month(t.date) AS mo, sum(t.amount) AS amount
              FROM transactions t JOIN sp USING (ocid) WHERE t.date IS NOT NULL GROUP BY 1, 2, 3)
        SELECT entity, y, sum(amount) FILTER (WHERE mo = 12) AS dec,
               coalesce(sum(amount) FILTER (WHERE mo < 12), 0) AS rest, sum(amount) AS total
        FROM m GROUP BY entity, y HAVING dec > 0 ORDER BY y DESC, entity LIMIT {limit}"""
        spikes = []
        for r in query(con, sql, scope):
            average = r["rest"] / 11
            if r["dec"] >= 2 * average and r["dec"] * 5 >= r["total"]:
                spikes.append((r, average))
        names = _entity_names({r["entity"] for r, _a in spikes}) if scope.entity is None else {}
        for r, average in spikes:
            where = (
                f"{names.get(r['entity'], r['entity'] or '—')}: " if scope.entity is None else ""
            )
            found["pico_diciembre"].append(
                {
                    "label": f"{where}{r['y']}",
                    "entity": r["entity"],
                    "year": r["y"],
                    "detail": f"diciembre: {float(r['dec'] / r['total']):.0%} de lo pagado en el "
                    "año",
                    "amounts": [r["dec"], average.quantize(Decimal("0.01"))],
                }
            )

    # str() resolves the lazy texts in the language of the current request.
    return [
        {
            "code": code,
            "title": str(CHECKS[code]["title"]),
            "explanation": str(CHECKS[code]["explanation"]),
            "findings": found[code][:limit],
        }
        for code in CHECKS
        if code in wanted
    ]


# --- Process, buyer and supplier --------------------------------------------------------------


def process_detail(con, ocid: str) -> dict | None:
    rows = _rows(con, "SELECT * FROM processes WHERE ocid = $ocid", {"ocid": ocid})
    if not rows:
        return None
    detail = rows[0]
    params = {"ocid": ocid}
    detail["awards"] = _rows(
        con, "SELECT * FROM awards WHERE ocid = $ocid ORDER BY award_id, supplier_id", params
    )
    detail["contracts"] = _rows(
        con, "SELECT * FROM contracts WHERE ocid = $ocid ORDER BY contract_id", params
    )
    detail["transactions"] = _rows(
        con,
        "SELECT * FROM transactions WHERE ocid = $ocid ORDER BY date, transaction_id LIMIT 500",
        params,
    )
    detail["bids"] = _rows(
        con,
        """WITH b AS (
            SELECT bid_id, status, value_amount, value_currency,
                   unnest(CASE WHEN len(tenderer_ids) > 0 THEN tenderer_ids
                               ELSE [NULL::VARCHAR] END) AS tenderer_id
            FROM bids WHERE ocid = $ocid),
        n AS (SELECT party_id, max(name) AS name FROM parties
              WHERE ocid = $ocid GROUP BY party_id)
        SELECT b.*, n.name AS tenderer_name FROM b LEFT JOIN n ON n.party_id = b.tenderer_id
        ORDER BY b.value_amount NULLS LAST, b.bid_id, b.tenderer_id LIMIT 500""",
        params,
    )
    detail["flags"] = flags_for(con, "OCID", ocid)
    detail["paid"] = sum((t["amount"] or ZERO for t in detail["transactions"]), ZERO)
    detail["awarded"] = sum((a["amount"] or ZERO for a in detail["awards"]), ZERO)
    return detail


def process_checks(con, ocid: str, entity: str | None) -> list[dict]:
    """The process-level checks (payments) restricted to one process."""
    scope = Scope(entity=entity, claves=[], ocids=[ocid])
    keep = {"pago_mayor", "pago_antes_firma", "beneficiario_distinto"}
    return [c for c in checks(con, scope, limit=10, only=keep) if c["findings"]]


def compiled_release(ocid: str) -> bytes | None:
    """The compiled release of a process as stored by `cocrea money import` (JSON bytes),
    without contact points (personal data, see `ocds.privacy`)."""
    from . import store
    from .ocds.privacy import public_json

    if store.current_snapshot() is None:
        return None
    rows = store.query(
        "SELECT compiled_release FROM releases WHERE ocid = ? ORDER BY source LIMIT 1", [ocid]
    )
    return public_json(rows[0]["compiled_release"].encode()) if rows else None


def _summary_row(con, kind: str, party_id: str, columns: str) -> dict | None | bool:
    """The party's row of the per-party summary (`parties`): None when it has none, False
    when the snapshot has no summary (written before it existed)."""
    try:
        rows = _rows(
            con,
            f"SELECT {columns} FROM {parties.TABLE} WHERE kind = $kind AND party_id = $id",
            {"kind": kind, "id": party_id},
        )
    except duckdb.CatalogException:
        return False
    return rows[0] if rows else None


def buyer_detail(con, buyer_id: str, limit: int = 50) -> dict | None:
    """A buyer: its header from the per-party summary (or, in older snapshots, counted from
    the processes), its suppliers, processes and red flags.

    The lists (its 20 suppliers with most awarded, its `limit` most recent processes and its
    processes' red flags by code) are the buyer's rows of the per-party lists (`parties`:
    ``party_links``, ``party_processes``, ``party_flags``), a few row groups each; snapshots
    without them query the awards, processes and flags as before (`_party_links`,
    `_process_list`, `_party_flags`). Five bounded queries whatever the size of the data."""
    header = _summary_row(
        con, "buyer", buyer_id, "party_id AS buyer_id, name, entity, processes, direct"
    )
    if header is False:
        rows = _rows(
            con,
            "SELECT buyer_id, max(buyer_name) AS name, any_value(entity) AS entity, "
            "count(*) AS processes, count(*) FILTER (WHERE method = 'limited') AS direct "
            "FROM processes WHERE buyer_id = $id GROUP BY buyer_id",
            {"id": buyer_id},
        )
    else:
        rows = [header] if header else []
    if not rows:
        return None
    detail = rows[0]
    detail["suppliers"] = _party_links(con, "buyer", buyer_id)
    detail["process_list"] = _process_list(con, "buyer", buyer_id, limit)
    detail["flags"] = flags_for(con, ["Buyer", "ProcuringEntity"], buyer_id)
    detail["process_flags"] = _party_flags(con, buyer_id)
    for f in detail["process_flags"]:
        f["title"] = EXPLANATIONS.get(f["code"], {}).get("title", f["code"])
    return detail


# The processes in which a party took part as a bidder (its bids, or its name in the tender's
# list of tenderers), each with the result for it: "won" (supplier of an active award),
# "disqualified" (all its bids disqualified), "lost" (the process was awarded to others) or
# "pending" (no active award yet).
PARTY_BIDS = f"""
mine AS (
    SELECT ocid, count(*) AS bids,
           count(*) FILTER (WHERE status = 'disqualified') AS disqualified_bids,
           count(*) FILTER (WHERE status = 'valid') AS valid_bids,
           sum(value_amount) FILTER (WHERE coalesce(value_currency, 'MXN') = 'MXN') AS bid_amount
    FROM bids WHERE list_contains(tenderer_ids, $id) GROUP BY ocid
),
listed AS (SELECT ocid, max(name) AS name FROM tenderers WHERE party_id = $id GROUP BY ocid),
o AS (SELECT ocid FROM mine UNION SELECT ocid FROM listed),
won AS (SELECT DISTINCT ocid FROM awards a WHERE a.supplier_id = $id AND {ACTIVE_AWARD}),
decided AS (SELECT DISTINCT a.ocid FROM awards a JOIN o USING (ocid) WHERE {ACTIVE_AWARD}),
bp AS (
    SELECT o.ocid, coalesce(mine.bids, 0) AS bids,
           coalesce(mine.disqualified_bids, 0) AS disqualified_bids,
           coalesce(mine.valid_bids, 0) AS valid_bids, mine.bid_amount, listed.name,
           CASE WHEN won.ocid IS NOT NULL THEN 'won'
                WHEN mine.bids > 0 AND mine.disqualified_bids = mine.bids THEN 'disqualified'
                WHEN decided.ocid IS NOT NULL THEN 'lost'
                ELSE 'pending' END AS result
    FROM o LEFT JOIN mine USING (ocid) LEFT JOIN listed USING (ocid)
    LEFT JOIN won USING (ocid) LEFT JOIN decided USING (ocid)
)"""
BID_RESULTS = {
    "won": _("ganada"),
    "lost": _("perdida"),
    "disqualified": _("descalificada"),
    "pending": _("sin adjudicar"),
}


# The name: the greatest of all its names (as the search shows it), else those of its awards,
# payments, bids or parties.
SUPPLIER_HEADER = """party_id AS supplier_id, coalesce(name, award_name, payee_name) AS name,
    award_processes AS processes, coalesce(awarded, 0) AS awarded, award_rows, paid, payments,
    flag_rows, bid_processes, bids, valid_bids, disqualified_bids, won, lost, disqualified,
    pending, tenderer_name, party_name"""


def supplier_detail(con, supplier_id: str, limit: int = 50) -> dict | None:
    """A supplier or bidder: any party that was awarded, bid, was listed as a tenderer, was
    paid or has a tenderer red flag (None when the identifier appears nowhere).

    Its awards, payments and buyers, its bids with their results (the `limit` most recent
    processes), and its red flags. The header's figures (awards, payments, flags and the
    totals of its bids) are one row of the per-party summary (`parties`); then only what the
    party has is queried: its bids (the summary's bids of each party), its buyers and
    processes (if awarded: its rows of the per-party lists ``party_links`` and
    ``party_processes``, see `_finish_supplier`) and its flags (if any). Snapshots without
    the summary count them as before (`_supplier_detail_scan`). At most five bounded
    queries (six without the summary), whatever the size of the data."""
    params = {"id": supplier_id}
    found = _summary_row(con, "supplier", supplier_id, SUPPLIER_HEADER)
    if found is False:
        return _supplier_detail_scan(con, supplier_id, limit)
    if found is None:
        return None
    detail = found
    name = detail.pop("tenderer_name")
    party_name = detail.pop("party_name")
    detail["name"] = detail["name"] or name
    if detail["name"] is None:
        detail["name"] = party_name
    bid_rows = _party_bids(con, params, limit) if detail["bid_processes"] else []
    for row in bid_rows:
        row.setdefault("tenderer_name", name)  # as the rows of `_bid_rows` have it
    _finish_supplier(con, detail, bid_rows, params, limit)
    return detail


def _party_bids(con, params: dict, limit: int) -> list[dict]:
    """The party's bids in its most recent processes, from the per-party bids of the summary
    (sorted by party: one small read), or scanned from the store's bids without them."""
    try:
        return _rows(
            con,
            f"""SELECT ocid, bids, disqualified_bids, valid_bids, bid_amount, name, result,
                   title, buyer_id, buyer_name, method, method_details, date
            FROM {parties.BIDS_TABLE} WHERE party_id = $id
            ORDER BY date DESC NULLS LAST, ocid LIMIT {int(limit)}""",
            params,
        )
    except duckdb.CatalogException:
        return _bid_rows(con, params, limit)


def _bid_rows(con, params: dict, limit: int) -> list[dict]:
    """The party's bids: the rows of the most recent processes, and window totals over all
    of them."""
    return _rows(
        con,
        f"""WITH {PARTY_BIDS}
        SELECT bp.*, p.title, p.buyer_id, p.buyer_name, p.method, p.method_details, p.date,
               count(*) OVER () AS bid_processes, sum(bp.bids) OVER () AS total_bids,
               sum(bp.valid_bids) OVER () AS total_valid_bids,
               sum(bp.disqualified_bids) OVER () AS total_disqualified_bids,
               count(*) FILTER (WHERE result = 'won') OVER () AS total_won,
               count(*) FILTER (WHERE result = 'lost') OVER () AS total_lost,
               count(*) FILTER (WHERE result = 'disqualified') OVER () AS total_disqualified,
               count(*) FILTER (WHERE result = 'pending') OVER () AS total_pending,
               max(bp.name) OVER () AS tenderer_name
        FROM bp LEFT JOIN processes p USING (ocid)
        ORDER BY p.date DESC NULLS LAST, bp.ocid LIMIT {limit}""",
        params,
    )


def _finish_supplier(con, detail: dict, bid_rows: list[dict], params: dict, limit: int) -> None:
    """The lists of a supplier page: bids, buyers, awarded processes and red flags (the
    queries of the lists it cannot have are skipped). Its buyers and processes are its rows
    of the per-party lists (`_party_links`, `_process_list`), or, in snapshots without them,
    aggregated from the awards and processes as before."""
    detail["bid_list"] = [
        {k: v for k, v in b.items() if not k.startswith("total_") and k != "bid_processes"}
        | {"result_label": str(BID_RESULTS[b["result"]])}
        for b in bid_rows
    ]
    if detail["award_rows"]:
        detail["buyers"] = _party_links(con, "supplier", params["id"])
        detail["process_list"] = _process_list(con, "supplier", params["id"], limit)
    else:
        detail["buyers"] = []
        detail["process_list"] = []
    detail["flags"] = flags_for(con, "Tenderer", params["id"]) if detail["flag_rows"] else []


def _supplier_detail_scan(con, supplier_id: str, limit: int = 50) -> dict | None:
    """`supplier_detail` over a snapshot without the per-party summary: the header counted
    from the awards, payments, flags and bids (the lists, by `_finish_supplier`, from the
    per-party lists if the snapshot has them, else from the awards and processes)."""
    params = {"id": supplier_id}
    detail = _rows(
        con,
        f"""WITH
        aw AS (SELECT count(DISTINCT ocid) FILTER (WHERE {ACTIVE_AWARD}) AS processes,
                      coalesce(sum(amount) FILTER (WHERE {ACTIVE_AWARD}), 0) AS awarded,
                      count(*) AS award_rows, max(supplier_name) AS name
               FROM awards a WHERE a.supplier_id = $id),
        pay AS (SELECT coalesce(sum(amount), 0) AS paid, count(*) AS payments,
                       max(payee_name) AS name FROM transactions WHERE payee_id = $id),
        fl AS (SELECT count(*) AS flag_rows FROM flags WHERE grp = 'Tenderer' AND key = $id),
        nm AS (SELECT max(name) AS name FROM ({SUPPLIER_NAMES}) WHERE id = $id)
        SELECT $id AS supplier_id, coalesce(nm.name, aw.name, pay.name) AS name, aw.processes,
               aw.awarded, aw.award_rows, pay.paid, pay.payments, fl.flag_rows
        FROM aw, pay, fl, nm""",
        params,
    )[0]
    bid_rows = _bid_rows(con, params, limit)
    first = bid_rows[0] if bid_rows else {}
    for key in BID_TOTALS:
        total = first.get(key if key == "bid_processes" else f"total_{key}")
        detail[key] = int(total or 0)
    if not (
        detail["award_rows"] or detail["payments"] or detail["flag_rows"] or detail["bid_processes"]
    ):
        return None
    detail["name"] = detail["name"] or first.get("tenderer_name")
    if detail["name"] is None:
        # A bidder named only in the parties of its processes.
        found = con.execute(
            "SELECT max(name) FROM parties WHERE party_id = $id AND name IS NOT NULL",
            params,
        ).fetchone()
        detail["name"] = found[0] if found else None
    _finish_supplier(con, detail, bid_rows, params, limit)
    return detail


# The other party of the lists of a page: a supplier's buyers, a buyer's suppliers.
OTHER = {"supplier": "buyer", "buyer": "supplier"}
# Without the per-party lists: a supplier's buyers and a buyer's suppliers, from the awards
# (active ones) and the processes. Of several names, the greatest; ties of the awarded value in
# the order of the other party's identifier (NULL last), as `parties` sorts them.
LINKS_SCAN = {
    "supplier": f"""SELECT p.buyer_id, max(p.buyer_name) AS buyer_name,
        sum(a.amount) AS awarded, count(DISTINCT a.ocid) AS processes
    FROM awards a JOIN processes p USING (ocid) WHERE a.supplier_id = $id AND {ACTIVE_AWARD}
    GROUP BY p.buyer_id ORDER BY awarded DESC NULLS LAST, p.buyer_id NULLS LAST LIMIT 20""",
    "buyer": f"""SELECT a.supplier_id, max(a.supplier_name) AS supplier_name,
        sum(a.amount) AS awarded, count(DISTINCT a.ocid) AS processes
    FROM awards a JOIN processes p USING (ocid) WHERE p.buyer_id = $id AND {ACTIVE_AWARD}
    GROUP BY a.supplier_id ORDER BY awarded DESC NULLS LAST, a.supplier_id NULLS LAST
    LIMIT 20""",
}
# Without the per-party lists: which processes are a party's.
PROCESSES_SCAN = {
    "supplier": "p.ocid IN (SELECT ocid FROM awards WHERE supplier_id = $id)",
    "buyer": "p.buyer_id = $id",
}


def _party_links(con, kind: str, party_id: str) -> list[dict]:
    """A supplier's buyers or a buyer's suppliers (kind is the party's), the 20 with most
    awarded (active awards): its rows of ``party_links`` (sorted by party: one small read),
    or aggregated from the awards without them."""
    other = OTHER[kind]
    params = {"kind": kind, "id": party_id}
    try:
        return _rows(
            con,
            f"""SELECT other_id AS {other}_id, other_name AS {other}_name, awarded, processes
            FROM {parties.LINKS_TABLE} WHERE kind = $kind AND party_id = $id
            ORDER BY awarded DESC NULLS LAST, other_id NULLS LAST LIMIT 20""",
            params,
        )
    except duckdb.CatalogException:
        return _rows(con, LINKS_SCAN[kind], {"id": party_id})


def _process_list(con, kind: str, party_id: str, limit: int) -> list[dict]:
    """A supplier's processes (any award to it) or a buyer's, the `limit` most recent, each
    with the sum of its awards and its count of red flags: its rows of ``party_processes``,
    or queried from the processes, awards and flags without them."""
    params = {"kind": kind, "id": party_id}
    try:
        return _rows(
            con,
            f"""SELECT ocid, title, method, method_details, date, buyer_name, awarded, flags
            FROM {parties.PROCESSES_TABLE} WHERE kind = $kind AND party_id = $id
            ORDER BY date DESC NULLS LAST, ocid LIMIT {int(limit)}""",
            params,
        )
    except duckdb.CatalogException:
        pass
    return _rows(
        con,
        f"""SELECT p.ocid, p.title, p.method, p.method_details, p.date, p.buyer_name,
               (SELECT sum(amount) FROM awards a WHERE a.ocid = p.ocid) AS awarded,
               (SELECT count(*) FROM flags f WHERE f.grp = 'OCID' AND f.key = p.ocid) AS flags
        FROM processes p WHERE {PROCESSES_SCAN[kind]}
        ORDER BY p.date DESC NULLS LAST, p.ocid LIMIT {int(limit)}""",
        {"id": party_id},
    )


def _party_flags(con, buyer_id: str) -> list[dict]:
    """The red flags of a buyer's processes, counted by code: its rows of ``party_flags``,
    or counted from the flags and processes without them."""
    try:
        return _rows(
            con,
            f"SELECT code, n FROM {parties.FLAGS_TABLE} WHERE party_id = $id "
            "ORDER BY code NULLS LAST",
            {"id": buyer_id},
        )
    except duckdb.CatalogException:
        return _rows(
            con,
            "SELECT f.code, count(*) AS n FROM flags f JOIN processes p ON f.key = p.ocid "
            "WHERE f.grp = 'OCID' AND p.buyer_id = $id GROUP BY f.code "
            "ORDER BY f.code NULLS LAST",
            {"id": buyer_id},
        )


# The search over the per-party summary (its projection `party_search`): the same matches (a
# name, without accents and in any case, or the identifier, contains the text), figures and
# order as `search_scan`. Suppliers: every process of a supplier that matches; the table is in
# the order of the results, so the scan stops at the last row of the page. Buyers: the
# processes whose buyer's name (or identifier) matches, with the name of the first of them.
# A text without LIKE's wildcards is looked for with `contains` in the lower-case columns
# (what ILIKE does, but faster); otherwise with ILIKE, as before. The suppliers' inner LIMIT
# without ORDER BY keeps the first matches in the table's order because DuckDB preserves
# insertion order (`preserve_insertion_order`, true by default: never turn it off here).
MATCH = {
    "contains": """(contains(s.id_norm, lower($q)) OR (contains(s.norm, lower(strip_accents($q)))
      AND (s.names IS NULL
           OR len(list_filter(s.names, lambda n: contains(n, lower(strip_accents($q))))) > 0)))""",
    "like": """(s.party_id ILIKE $p OR (s.norm ILIKE strip_accents($p) AND (s.names IS NULL
      OR len(list_filter(s.names, lambda n: n ILIKE strip_accents($p))) > 0)))""",
}
SEARCH_SUPPLIERS = """SELECT * FROM (
    SELECT s.party_id AS id, s.name, s.processes, s.awarded FROM {table} s
    WHERE s.kind = 'supplier' AND {match} LIMIT $end)
ORDER BY processes DESC, id LIMIT $n OFFSET $o"""
SEARCH_BUYERS = """SELECT s.party_id AS id, max(s.name) AS name,
       sum(s.processes)::BIGINT AS processes
FROM {table} s WHERE s.kind = 'buyer_name' AND {match}
GROUP BY s.party_id ORDER BY processes DESC, id LIMIT $n OFFSET $o"""


def search(
    con, q: str, limit: int = 20, offset: int = 0, kinds=("buyers", "suppliers")
) -> dict[str, list[dict]]:
    """Buyers and suppliers (the lists named in `kinds`) whose name or identifier contains
    `q` (case and accents aside), the `limit` with most processes after the first `offset`:
    one query a list over the per-party summary (`parties`), whose cost depends on the
    number of parties, not of processes. Snapshots without the summary are searched as
    before (`search_scan`)."""
    text = q.strip()
    if any(c in text for c in "%_\\"):
        how, params = "like", {"p": f"%{text}%"}
    else:
        how, params = "contains", {"q": text}
    params |= {"n": limit, "o": offset}
    sql = {"table": parties.SEARCH_TABLE, "match": MATCH[how]}
    queries = {
        "buyers": (SEARCH_BUYERS, params),
        "suppliers": (SEARCH_SUPPLIERS, params | {"end": limit + offset}),
    }
    try:
        return {
            kind: _rows(con, queries[kind][0].format(**sql), queries[kind][1]) for kind in kinds
        }
    except duckdb.CatalogException:
        found = search_scan(con, q, limit, offset)
        return {kind: found[kind] for kind in kinds}


def search_scan(con, q: str, limit: int = 20, offset: int = 0) -> dict[str, list[dict]]:
    """`search` without the per-party summary: aggregated from the flows and store tables."""
    pattern = f"%{q.strip()}%"
    buyers = _rows(
        con,
        """SELECT buyer_id AS id, max(buyer_name) AS name, count(*) AS processes
        FROM processes WHERE buyer_id IS NOT NULL
          AND (strip_accents(buyer_name) ILIKE strip_accents($p) OR buyer_id ILIKE $p)
        GROUP BY buyer_id ORDER BY processes DESC, buyer_id LIMIT $n OFFSET $o""",
        {"p": pattern, "n": limit, "o": offset},
    )
    # Suppliers and bidders: awarded suppliers, tenderers (named in the tender's tenderers or
    # in the parties, or only identified in the bids) and payees. Names are matched once per
    # distinct (identifier, name); the processes are counted for the matches only.
    suppliers = _rows(
        con,
        f"""WITH named AS ({SUPPLIER_NAMES}),
        bid AS (SELECT ocid, unnest(tenderer_ids) AS id FROM bids),
        m AS (SELECT id FROM named
              WHERE strip_accents(name) ILIKE strip_accents($p) OR id ILIKE $p
              UNION SELECT id FROM bid WHERE id ILIKE $p),
        u AS (SELECT supplier_id AS id, ocid FROM awards WHERE supplier_id IN (SELECT id FROM m)
              UNION ALL SELECT party_id, ocid FROM tenderers WHERE party_id IN (SELECT id FROM m)
              UNION ALL SELECT id, ocid FROM bid WHERE id IN (SELECT id FROM m)
              UNION ALL SELECT payee_id, ocid FROM transactions
                        WHERE payee_id IN (SELECT id FROM m)),
        aw AS (SELECT a.supplier_id AS id, sum(a.amount) AS awarded FROM awards a
               WHERE a.supplier_id IN (SELECT id FROM m) AND {ACTIVE_AWARD} GROUP BY 1),
        nm AS (SELECT id, max(name) AS name FROM named WHERE id IN (SELECT id FROM m) GROUP BY 1)
        SELECT u.id, any_value(nm.name) AS name, count(DISTINCT u.ocid) AS processes,
               any_value(aw.awarded) AS awarded
        FROM u LEFT JOIN aw USING (id) LEFT JOIN nm USING (id)
        GROUP BY u.id ORDER BY processes DESC, u.id LIMIT $n OFFSET $o""",
        {"p": pattern, "n": limit, "o": offset},
    )
    return {"buyers": buyers, "suppliers": suppliers}


def entities_overview(con) -> list[dict]:
    """Per entity: approved and paid budget, processes, awarded value and payments."""
    b = _rows(
        con,
        "SELECT entidad AS entity, sum(aprobado) AS aprobado, sum(pagado) AS pagado "
        "FROM budget_lines GROUP BY entidad",
    )
    p = _rows(
        con,
        """SELECT p.entity, count(*) AS processes,
               (SELECT coalesce(sum(a.amount), 0) FROM awards a JOIN processes q USING (ocid)
                 WHERE q.entity = p.entity) AS awarded,
               (SELECT coalesce(sum(t.amount), 0) FROM transactions t JOIN processes q
                 USING (ocid) WHERE q.entity = p.entity) AS paid
        FROM processes p WHERE p.entity IS NOT NULL GROUP BY p.entity""",
    )
    out: dict[str, dict] = {}
    for r in b:
        out.setdefault(r["entity"], {"entity": r["entity"]}).update(r)
    for r in p:
        out.setdefault(r["entity"], {"entity": r["entity"]}).update(r)
    return [out[k] for k in sorted(out)]


def empty_arrow(name: str) -> pa.Table:
    return facts.SCHEMAS[name].empty_table()
