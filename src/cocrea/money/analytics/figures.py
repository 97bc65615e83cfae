"""A scope's figures: the budget funnel and lines, contracting totals, concentration, payments
by month, processes and the Sankey of flows (DuckDB over `database.connect()`)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..budget import moments
from .database import (
    ACTIVE_AWARD,
    MONTHS,
    SCOPED,
    SCOPED_BUDGET,
    ZERO,
    Scope,
    _rows,
    _used,
    query,
)


def funnel(con, scope: Scope) -> list[dict]:
    """The six CONAC moments, summed, with their share of the approved budget."""
    sql = (
        f"WITH {SCOPED_BUDGET} SELECT "
        + ", ".join(f"coalesce(sum({m}), 0) AS {m}" for m in moments.MOMENTS)
        + " FROM sb"
    )
    row = query(con, sql, scope)[0]
    top = max(row.values()) or Decimal(1)
    return [
        {
            "moment": m,
            "label": moments.MOMENT_LABELS[m],
            "amount": row[m],
            "share": float(row[m] / top) if top else 0.0,
        }
        for m in moments.MOMENTS
    ]


def budget_by_program(con, scope: Scope, limit: int = 50) -> list[dict]:
    sql = f"""WITH {SCOPED_BUDGET}
    SELECT entidad, clave_programa, max(programa) AS programa,
           {", ".join(f"sum({m}) AS {m}" for m in moments.MOMENTS)}
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
