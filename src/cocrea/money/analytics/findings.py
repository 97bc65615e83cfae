"""What the pages point out: the red flags (with their explanations) and the checks between
the budget moments and the contracting data, for a scope or one process."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..budget import moments
from ..redflags import DISCLAIMER, EXPLANATIONS, GROUP_LABELS
from .database import ACTIVE_AWARD, SCOPED, SCOPED_BUDGET, Scope, _rows, query

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
               {", ".join(f"sum({m}) AS {m}" for m in moments.MOMENTS)}
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
                            "detail": f"{moments.MOMENT_LABELS[later]} mayor que "
                            f"{moments.MOMENT_LABELS[earlier].lower()}",
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


def process_checks(con, ocid: str, entity: str | None) -> list[dict]:
    """The process-level checks (payments) restricted to one process."""
    scope = Scope(entity=entity, claves=[], ocids=[ocid])
    keep = {"pago_mayor", "pago_antes_firma", "beneficiario_distinto"}
    return [c for c in checks(con, scope, limit=10, only=keep) if c["findings"]]
