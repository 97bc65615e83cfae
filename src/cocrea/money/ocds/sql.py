"""The SQL path: DuckDB macros and the queries that turn a batch of parsed releases into
the store's tables (one query may fill two tables with the same rows, split by columns)."""

from __future__ import annotations

MACROS = [
    "CREATE OR REPLACE TEMP MACRO ts(v) AS TRY_CAST(v AS TIMESTAMPTZ)",
    "CREATE OR REPLACE TEMP MACRO day(v) AS TRY_CAST(left(v, 10) AS DATE)",
    # The party of a release with this id (the last one, as a dict keyed by id would keep).
    "CREATE OR REPLACE TEMP MACRO party(parties, id) AS "
    "list_filter(parties, lambda p: p.id IS NOT DISTINCT FROM id)[-1]",
    # Python's `a or b` for texts, looking b up only when needed.
    "CREATE OR REPLACE TEMP MACRO orelse(a, b) AS CASE WHEN a <> '' THEN a ELSE b END",
    # Decimal(str(x)).quantize(Decimal("0.01")) (half to even), None when |x| >= 1e16. Far
    # from a tie (x * 100 not within its rounding error of n + 0.5) the double rounds as its
    # decimal text does; otherwise the text (DuckDB's is Python's shortest one) is rounded,
    # a tie being a text that ends in a third decimal 5.
    "CREATE OR REPLACE TEMP MACRO cents(x) AS CASE "
    "WHEN x IS NULL OR isnan(x) OR abs(x) >= 1e16 THEN NULL "
    "WHEN abs(x * 100 - floor(x * 100) - 0.5) > abs(x) * 1e-12 + 1e-9 THEN "
    "  (round(x * 100)::BIGINT::DECIMAL(18, 0) * 0.01)::DECIMAL(18, 2) "
    "WHEN contains(x::VARCHAR, 'e') THEN 0::DECIMAL(18, 2) "
    "WHEN regexp_full_match(x::VARCHAR, '-?[0-9]+\\.[0-9][0-9]5') THEN "
    "  (left(x::VARCHAR, -1)::DECIMAL(18, 2) + CASE "
    "    WHEN (x::VARCHAR)[-2]::INTEGER % 2 = 0 THEN 0.00 WHEN x > 0 THEN 0.01 ELSE -0.01 END"
    "  )::DECIMAL(18, 2) "
    "ELSE round(x::VARCHAR::DECIMAL(38, 22), 2)::DECIMAL(18, 2) END",
    # (amount / n).quantize(Decimal("0.01")) for an amount with two decimals: half to even.
    "CREATE OR REPLACE TEMP MACRO share_cents(c, n) AS "
    "sign(c) * (abs(c) // n + CASE WHEN 2 * (abs(c) % n) > n THEN 1 "
    "WHEN 2 * (abs(c) % n) < n THEN 0 ELSE (abs(c) // n) % 2 END)",
    "CREATE OR REPLACE TEMP MACRO share(amount, n) AS CASE WHEN n = 1 THEN amount ELSE "
    "(share_cents((amount::DECIMAL(38, 2) * 100)::HUGEINT, n)::DECIMAL(38, 0) * 0.01)"
    "::DECIMAL(18, 2) END",
    "CREATE OR REPLACE TEMP MACRO tx_value(x) AS "
    "CASE WHEN x.value IS NOT NULL THEN x.value ELSE x.amount END",
]

_K = "$source::VARCHAR AS source, $entity::VARCHAR AS entity, ocid"
# Rows of nested arrays, in order: one level of unnest per subquery (cheaper than lambdas).
_AWARDS = "(SELECT ocid, idx, r.parties AS parties, unnest(r.awards) AS a FROM parsed)"
_CONTRACTS = "(SELECT ocid, idx, r.parties AS parties, unnest(r.contracts) AS c FROM parsed)"
_TRANSACTIONS = f"(SELECT ocid, idx, parties, c.id AS contract_id, unnest(c.implementation.transactions) AS x FROM {_CONTRACTS})"  # noqa: E501
# (table or tables, SQL): rows of each table for the batch in ``parsed``.
QUERIES: dict[str | tuple[str, ...], str] = {
    "parties": f"""
        SELECT {_K}, p.id, p.name, coalesce(p.roles, []), p.identifier.scheme, p.identifier.id,
               p.identifier.legalName, p.address.region, p.address.locality,
               p.address.countryName
        FROM (SELECT ocid, unnest(r.parties) AS p FROM parsed)""",
    "tender": f"""
        SELECT {_K}, r.tender.id, r.tender.title, r.tender.status, r.tender.procurementMethod,
               r.tender.procurementMethodDetails, r.tender.mainProcurementCategory,
               r.tender.value.amount, r.tender.value.currency,
               ts(r.tender.tenderPeriod.startDate), ts(r.tender.tenderPeriod.endDate),
               r.tender.numberOfTenderers, r.tender.procuringEntity.id,
               r.tender.procuringEntity.name
        FROM parsed WHERE has_tender""",
    "tenderers": f"""
        SELECT {_K}, t.id, t.name FROM (SELECT ocid, unnest(r.tender.tenderers) AS t FROM parsed)""",
    # In the order of the Python path: per release, the tender's, awards' and contracts' items.
    "items": f"""
        SELECT {_K}, stage, parent_id, it.id, it.description, it.classification.scheme,
               it.classification.id, it.quantity, it.unit.name, it.unit.value.amount
        FROM (
            SELECT ocid, idx, 0 AS s, 0 AS p, 'tender' AS stage, r.tender.id AS parent_id,
                   unnest(r.tender.items) AS it, generate_subscripts(r.tender.items, 1) AS i
            FROM parsed
            UNION ALL
            SELECT ocid, idx, 1, p, 'award', a.id, unnest(a.items), generate_subscripts(a.items, 1)
            FROM (SELECT ocid, idx, unnest(r.awards) AS a, generate_subscripts(r.awards, 1) AS p
                  FROM parsed)
            UNION ALL
            SELECT ocid, idx, 2, p, 'contract', c.id, unnest(c.items),
                   generate_subscripts(c.items, 1)
            FROM (SELECT ocid, idx, unnest(r.contracts) AS c,
                         generate_subscripts(r.contracts, 1) AS p FROM parsed)
        ) ORDER BY idx, s, p, i""",
    "bids": f"""
        SELECT {_K}, b.id, ts(b.date), b.status, b.value.amount, b.value.currency,
               list_filter(list_transform(coalesce(b.tenderers, []), lambda t: t.id),
                           lambda i: i IS NOT NULL)
        FROM (SELECT ocid, unnest(r.bids.details) AS b FROM parsed)""",
    "awards": f"""
        SELECT {_K}, a.id, a.title, a.status, ts(a.date), a.value.amount, a.value.currency,
               list_transform(coalesce(a.suppliers, []), lambda s: coalesce(s.id, '')),
               list_transform(coalesce(a.suppliers, []), lambda s: coalesce(s.name, ''))
        FROM {_AWARDS}""",
    "award_suppliers": f"""
        SELECT {_K}, a.id, s.id, s.name
        FROM (SELECT ocid, a, unnest(a.suppliers) AS s FROM {_AWARDS})""",
    # Rows of two tables from one query when they have the same rows (split by columns).
    ("contracts", "flow_contracts"): f"""
        SELECT {_K}, c.id, c.awardID, c.title, c.status, ts(c.dateSigned),
               ts(c.period.startDate), ts(c.period.endDate), c.value.amount, c.value.currency,
               {_K}, idx, c.id, c.awardID, c.status, day(c.dateSigned), cents(c.value.amount)
        FROM {_CONTRACTS}""",
    ("transactions", "flow_transactions"): f"""
        SELECT {_K}, contract_id, x.id, ts(x.date), tx_value(x).amount, tx_value(x).currency,
               x.payer.id, x.payer.name, x.payee.id, x.payee.name, x.source,
               {_K}, idx, contract_id, x.id, day(x.date),
               CASE WHEN value <> 0 THEN value ELSE amount END, x.payee.id,
               orelse(x.payee.name, party(parties, x.payee.id).name)
        FROM (SELECT *, cents(x.value.amount) AS value, cents(x.amount.amount) AS amount
              FROM {_TRANSACTIONS})""",
    ("processes", "flow_processes"): f"""
        SELECT {_K}, ts(r.date), release_count, r.buyer.id, r.buyer.name, r.tender.title,
               r.tender.description, r.tender.status, r.tender.procurementMethod,
               r.tender.procurementMethodDetails, r.tender.mainProcurementCategory,
               r.tender.value.amount, r.tender.value.currency,
               ts(r.tender.tenderPeriod.startDate), ts(r.tender.tenderPeriod.endDate),
               coalesce(r.tender.numberOfTenderers,
                        nullif(len(coalesce(r.tender.tenderers, [])), 0)),
               len(coalesce(r.awards, [])), len(coalesce(r.contracts, [])),
               list_sum(list_transform(r.awards, lambda a: a.value.amount)),
               list_sum(list_transform(r.contracts, lambda c: c.value.amount)),
               list_sum(flatten(list_transform(r.contracts, lambda c: list_transform(
                   c.implementation.transactions, lambda x: tx_value(x).amount)))),
               r.planning.budget.id, r.planning.budget.project, r.planning.budget.projectID,
               r.planning.budget.amount.amount, r.planning.budget.amount.currency,
               {_K}, idx, bp.address.region, r.buyer.id, orelse(r.buyer.name, bp.name),
               orelse(r.tender.title, r.planning.rationale), r.tender.procurementMethod,
               r.tender.procurementMethodDetails, r.planning.budget.projectID,
               r.planning.budget.project, cents(r.planning.budget.amount.amount),
               cents(r.tender.value.amount), day_when, year(day_when)::SMALLINT
        FROM (SELECT *, party(r.parties, r.buyer.id) AS bp, coalesce(
                list_min(list_transform(r.contracts, lambda c: day(c.dateSigned))),
                list_min(list_transform(r.awards, lambda a: day(a.date))),
                least(day(r.tender.tenderPeriod.startDate), day(r.date))) AS day_when
              FROM parsed)""",
    # Macros nest (share of cents): amounts are computed in a subquery first, so that each
    # appears once in the plan (planning nested macros costs more than running them).
    "flow_awards": f"""
        SELECT source, entity, ocid, idx, award_id, status, date, share(amount, n),
               supplier_id, supplier_name
        FROM (SELECT {_K}, idx, a.id AS award_id, a.status, day(a.date) AS date,
                     cents(a.value.amount) AS amount,
                     greatest(len(coalesce(a.suppliers, [])), 1) AS n, s.id AS supplier_id,
                     orelse(s.name, party(parties, s.id).name) AS supplier_name
              FROM (SELECT ocid, idx, parties, a, unnest(
                      CASE WHEN len(coalesce(a.suppliers, [])) = 0 THEN [NULL]
                      ELSE a.suppliers END) AS s FROM {_AWARDS}))""",
}
