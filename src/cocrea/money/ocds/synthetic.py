"""Deterministic, realistic synthetic OCDS releases (tests, benchmarks, demos).

`releases(n, seed)` yields the releases of ``n`` contracting processes of fictional Mexican
buyers: planning, tender, tender amendments, awards, contracts and payments, several releases per
process. With ``edge_cases=True`` some processes exercise the merge rules that are easy to get
wrong: releases with a ``null`` date (alone in their process), equal dates, ``wholeListMerge``
arrays that shrink, ``omitWhenMerged`` fields, objects without ``id`` in arrays, duplicate ids,
``null`` values over objects, an ``id`` that is ``1`` in one release and ``"1"`` in another,
and extension fields. Everything derives from ``random.Random(seed)``: same arguments, same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

PREFIX = "ocds-cocrea"
BUYERS = [
    ("MX-RFC-GEM850101AB1", "Gobierno del Estado de Morelos", "Morelos"),
    ("MX-RFC-GEJ850101CD2", "Gobierno del Estado de Jalisco", "Jalisco"),
    ("MX-RFC-SSA850101EF3", "Servicios de Salud de Morelos", "Morelos"),
    ("MX-RFC-SEJ850101GH4", "Secretaría de Educación Jalisco", "Jalisco"),
    ("MX-RFC-MCU850101IJ5", "Municipio de Cuernavaca", "Morelos"),
    ("MX-RFC-CEA850101KL6", "Comisión Estatal del Agua de Jalisco", "Jalisco"),
]
SUPPLIER_WORDS = ["Constructora", "Servicios", "Comercializadora", "Grupo", "Distribuidora"]
SUPPLIER_NAMES = ["del Centro", "Azteca", "Pacífico", "Tlaloc", "Anáhuac", "Sierra", "Lagos"]
ITEMS = [
    ("43211503", "Computadoras portátiles", "pieza"),
    ("42131606", "Guantes de examen", "caja"),
    ("72141003", "Pavimentación de calles", "m2"),
    ("50202306", "Agua potable en garrafón", "garrafón"),
    ("44121600", "Papelería escolar", "paquete"),
    ("80111600", "Servicios de personal temporal", "servicio"),
]
METHODS = [
    ("open", "Licitación pública"),
    ("selective", "Invitación a cuando menos tres personas"),
    ("limited", "Adjudicación directa"),
    ("limited", "Adjudicación directa por excepción"),
]


def _iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def _org(rng: random.Random, i: int) -> dict[str, Any]:
    name = f"{rng.choice(SUPPLIER_WORDS)} {rng.choice(SUPPLIER_NAMES)} {i} SA de CV"
    return {
        "id": f"MX-RFC-PRV{i:06d}",
        "name": name,
        "identifier": {"scheme": "MX-RFC", "id": f"PRV{i:06d}", "legalName": name},
        "address": {"region": rng.choice(["Morelos", "Jalisco", "CDMX"]), "countryName": "México"},
    }


def process_releases(
    n: int, rng: random.Random, edge_cases: bool = True, large: bool = False
) -> list[dict[str, Any]]:
    """The releases of process number ``n`` (in publication order); with ``large``, of about
    20 KB each (see `enlarge`)."""
    releases = _process_releases(n, rng, edge_cases)
    if large:
        enlarge(releases, n)
    return releases


def _process_releases(n: int, rng: random.Random, edge_cases: bool) -> list[dict[str, Any]]:
    ocid = f"{PREFIX}-{n:08d}"
    buyer_id, buyer_name, region = BUYERS[rng.randrange(len(BUYERS))]
    method, details = METHODS[rng.randrange(len(METHODS))]
    start = datetime(2023, 1, 1) + timedelta(days=rng.randrange(700), seconds=rng.randrange(86400))
    amount = round(rng.uniform(20_000, 30_000_000), 2)
    n_suppliers = 1 if method == "limited" else rng.randint(2, 5)
    suppliers = [_org(rng, rng.randrange(4000)) for _ in range(n_suppliers)]
    winner = suppliers[0]
    code, description, unit = ITEMS[rng.randrange(len(ITEMS))]
    quantity = rng.randint(1, 500)
    kind = rng.random()

    buyer_party = {
        "id": buyer_id,
        "name": buyer_name,
        "roles": ["buyer", "procuringEntity"],
        "identifier": {"scheme": "MX-RFC", "id": buyer_id[7:], "legalName": buyer_name},
        "address": {"region": region, "countryName": "México"},
        "additionalIdentifiers": [{"scheme": "MX-CLUNI", "id": f"C{n:05d}"}],
    }
    base = {"ocid": ocid, "language": "es", "initiationType": "tender"}
    releases: list[dict[str, Any]] = []

    def release(stage: str, tags: list[str], when: datetime, **fields) -> dict[str, Any]:
        r = {
            **base,
            "id": f"{ocid}-{stage}",
            "date": _iso(when),
            "tag": tags,
            "buyer": {"id": buyer_id, "name": buyer_name},
            # Every release has `parties`: ocdskit takes a release without it for OCDS 1.0.
            "parties": [{"id": buyer_id, "name": buyer_name}],
        }
        r.update(fields)
        releases.append(r)
        return r

    # A process published once, without a date: ocdskit compiles it as "<ocid>-None".
    if edge_cases and kind < 0.02:
        r = release("planning", ["planning"], start, parties=[buyer_party])
        r["date"] = None
        return releases

    release(
        "planning",
        ["planning"],
        start,
        parties=[buyer_party],
        planning={
            "rationale": f"Adquisición de {description.lower()}",
            "budget": {
                "id": f"PP-{n % 97:03d}",
                "description": "Programa presupuestario",
                "amount": {"amount": amount * 1.1, "currency": "MXN"},
                "project": f"Programa {n % 23}",
                "projectID": f"E{n % 23:03d}",
            },
        },
    )
    tender_start = start + timedelta(days=rng.randint(5, 40))
    tender = {
        "id": f"{ocid}-T1",
        "title": f"{details}: {description}",
        "status": "active",
        "procurementMethod": method,
        "procurementMethodDetails": details,
        "mainProcurementCategory": "goods" if code[0] == "4" else "services",
        "value": {"amount": amount, "currency": "MXN"},
        "submissionMethod": ["electronicSubmission", "written"],
        "tenderPeriod": {
            "startDate": _iso(tender_start),
            "endDate": _iso(tender_start + timedelta(days=15)),
        },
        "procuringEntity": {"id": buyer_id, "name": buyer_name},
        "items": [
            {
                "id": "1",
                "description": description,
                "classification": {"scheme": "UNSPSC", "id": code, "description": description},
                "additionalClassifications": [
                    {"scheme": "CUCOP", "id": f"{code[:5]}001"},
                    {"scheme": "PARTIDA", "id": "21101"},
                ],
                "quantity": quantity,
                "unit": {"name": unit, "value": {"amount": round(amount / quantity, 2)}},
            }
        ],
        "documents": [
            {"id": "convocatoria", "documentType": "tenderNotice", "url": f"https://x.mx/{n}/c"}
        ],
    }
    release(
        "tender",
        ["tender"],
        tender_start,
        parties=[buyer_party] + [{**s, "roles": ["tenderer"]} for s in suppliers],
        tender=tender,
    )
    last = tender_start
    if kind < 0.3:
        # A tender amendment: a wholeListMerge array shrinks, an item is added, a document
        # changes, and (sometimes) the amendment date equals the tender's.
        last = tender_start if kind < 0.1 else tender_start + timedelta(days=3)
        release(
            "tenderAmendment",
            ["tenderAmendment"],
            last,
            tender={
                "id": f"{ocid}-T1",
                "status": "active",
                "submissionMethod": ["electronicSubmission"],
                "items": [
                    {
                        "id": "1",
                        "quantity": quantity + 10,
                        "additionalClassifications": [{"scheme": "CUCOP", "id": "99999001"}],
                    },
                    {"id": "2", "description": "Entrega a domicilio", "quantity": 1},
                ],
                "documents": [{"id": "convocatoria", "title": "Convocatoria (modificada)"}],
                "amendments": [
                    {
                        "id": "A1",
                        "date": _iso(last),
                        "rationale": "Se amplía la cantidad",
                        "changes": [{"property": "items", "former_value": quantity}],
                    }
                ],
            },
        )
    award_date = last + timedelta(days=rng.randint(16, 60))
    award_amount = round(amount * rng.uniform(0.7, 1.05), 2)
    award = {
        "id": f"{ocid}-A1",
        "title": f"Adjudicación {description}",
        "status": "active",
        "date": _iso(award_date),
        "value": {"amount": award_amount, "currency": "MXN"},
        "suppliers": [{"id": winner["id"], "name": winner["name"]}],
        "items": [{"id": "1", "description": description, "quantity": quantity}],
    }
    winner_party = {**winner, "roles": ["tenderer", "supplier"]}
    release(
        "award",
        ["award"],
        award_date,
        parties=[winner_party],
        tender={"id": f"{ocid}-T1", "status": "complete"},
        awards=[award],
        bids={
            "details": [
                {
                    "id": f"B{i}",
                    "status": "valid",
                    "tenderers": [{"id": s["id"], "name": s["name"]}],
                    "value": {"amount": round(award_amount * (1 + 0.03 * i), 2), "currency": "MXN"},
                }
                for i, s in enumerate(suppliers)
            ]
        },
    )
    if kind > 0.85:
        return releases  # awarded, not contracted yet
    signed = award_date + timedelta(days=rng.randint(1, 20))
    contract = {
        "id": f"{ocid}-C1",
        "awardID": f"{ocid}-A1",
        "title": f"Contrato {description}",
        "status": "active",
        "dateSigned": _iso(signed),
        "period": {"startDate": _iso(signed), "endDate": _iso(signed + timedelta(days=180))},
        "value": {"amount": award_amount, "currency": "MXN"},
        "items": [{"id": "1", "description": description, "quantity": quantity}],
    }
    release(
        "contract",
        ["contract"],
        signed,
        awards=[{"id": f"{ocid}-A1", "status": "active"}],
        contracts=[contract],
    )
    payments = rng.randint(1, 4)
    paid = 0.0
    for p in range(payments):
        when = signed + timedelta(days=30 * (p + 1))
        value = round(award_amount / payments, 2)
        paid += value
        transaction = {
            "id": f"{ocid}-P{p + 1}",
            "source": "https://finanzas.example.mx",
            "date": _iso(when),
            "value": {"amount": value, "currency": "MXN"},
            "payer": {"id": buyer_id, "name": buyer_name},
            "payee": {"id": winner["id"], "name": winner["name"]},
            "uri": f"https://finanzas.example.mx/pagos/{n}/{p + 1}",
        }
        fields: dict[str, Any] = {
            "contracts": [
                {
                    "id": f"{ocid}-C1",
                    "awardID": f"{ocid}-A1",
                    "implementation": {"transactions": [transaction]},
                }
            ]
        }
        if edge_cases and kind < 0.03 and p == 0:
            # Objects without id are appended; an extension array of objects without id too.
            fields["contracts"][0]["implementation"]["milestones"] = [
                {"id": "M1", "title": "Primera entrega", "status": "met"}
            ]
            fields["contracts"][0]["implementation"]["documents"] = [
                {"documentType": "physicalProgressReport", "url": f"https://x.mx/{n}/r"}
            ]
            fields["cocreaNotes"] = [{"note": "revisión ciudadana"}, {"note": "sin hallazgos"}]
        if edge_cases and 0.5 <= kind < 0.53 and p == 0:
            # Duplicate ids in one array: ocdsmerge merges them into one object.
            fields["contracts"].append(
                {"id": f"{ocid}-C1", "awardID": f"{ocid}-A1", "description": "duplicado"}
            )
        release(f"implementation-{p + 1}", ["implementation"], when, **fields)
    if edge_cases and 0.55 <= kind < 0.58:
        # A later release sets an object to null (ocdsmerge keeps the earlier object),
        # clears a scalar and changes a wholeListMerge field of a party.
        release(
            "update",
            ["contractUpdate"],
            signed + timedelta(days=400),
            planning=None,
            contracts=[
                {
                    "id": f"{ocid}-C1",
                    "awardID": f"{ocid}-A1",
                    "status": "terminated",
                    "description": None,
                }
            ],
            parties=[{"id": buyer_id, "roles": ["buyer"]}],
        )
    if edge_cases and 0.6 <= kind < 0.62:
        # A type conflict: `value` is an object first, then null and then an object again.
        release(
            "conflict-1",
            ["awardUpdate"],
            award_date + timedelta(days=500),
            awards=[{"id": f"{ocid}-A1", "value": None}],
        )
        release(
            "conflict-2",
            ["awardUpdate"],
            award_date + timedelta(days=501),
            awards=[{"id": f"{ocid}-A1", "value": {"amount": 1.5, "currency": "MXN"}}],
        )
    if edge_cases and 0.62 <= kind < 0.63:
        # Integer and string ids that ocdsmerge treats as equal paths but distinct objects.
        release(
            "ids-1",
            ["awardUpdate"],
            award_date + timedelta(days=600),
            awards=[{"id": 7, "title": "entero"}],
        )
        release(
            "ids-2",
            ["awardUpdate"],
            award_date + timedelta(days=601),
            awards=[{"id": "7", "status": "pending"}, {"id": 7, "description": "x"}],
        )
    return releases


def releases(
    n: int, seed: int = 0, edge_cases: bool = True, large: bool = False
) -> Iterator[dict[str, Any]]:
    """The releases of ``n`` processes, interleaved across processes (publication order)."""
    for groups, rng in _windows(n, seed, edge_cases, large):
        yield from _interleave(groups, rng)


def _windows(
    n: int, seed: int, edge_cases: bool, large: bool
) -> Iterator[tuple[list[list[dict[str, Any]]], random.Random]]:
    """The releases of a few processes at a time, with the generator that interleaves them
    (it draws from the same one before the next processes are made)."""
    rng = random.Random(seed)
    pending: list[list[dict[str, Any]]] = []
    for i in range(n):
        pending.append(process_releases(i, rng, edge_cases, large))
        # Interleave: publish a few processes' releases round-robin, as a feed would.
        if len(pending) >= 8:
            yield pending, rng
            pending = []
    yield pending, rng


def enlarge(releases: list[dict[str, Any]], n: int) -> None:
    """Make the releases of process ``n`` about 20 KB each, as big national publishers' are:
    tens of items (the same ids in every release, so they are merged), documents added at
    each stage, and amendments. Draws from its own generator: the rest of the data stays the
    same as without it."""
    rng = random.Random(n)
    ocid = releases[0]["ocid"]
    for k, release in enumerate(releases):
        tender = release.get("tender")
        if not isinstance(tender, dict):
            tender = release["tender"] = {"id": f"{ocid}-T1"}
        code, description, unit = ITEMS[(n + k) % len(ITEMS)]
        tender["items"] = list(tender.get("items", [])) + [
            {
                "id": f"L{j}",
                "description": f"{description}, partida {j} ({unit})",
                "classification": {"scheme": "UNSPSC", "id": code, "description": description},
                "additionalClassifications": [{"scheme": "CUCOP", "id": f"{code[:5]}{j:03d}"}],
                "quantity": rng.randint(1, 900),
                "unit": {
                    "id": unit,
                    "name": unit,
                    "value": {"amount": round(rng.uniform(10, 90_000), 2), "currency": "MXN"},
                },
                "deliveryLocation": {"description": f"Almacén {j % 7}, {BUYERS[j % 6][2]}"},
            }
            for j in range(1, 36)
        ]
        tender["documents"] = list(tender.get("documents", [])) + [
            {
                "id": f"D{k}-{j}",
                "documentType": ("technicalSpecifications", "clarifications", "bidders")[j % 3],
                "title": f"Documento {j} de la etapa {k + 1} del procedimiento {ocid}",
                "description": "Versión pública conforme a la Ley de Transparencia",
                "url": f"https://compras.example.mx/{ocid}/etapa-{k + 1}/documento-{j}.pdf",
                "datePublished": release["date"],
                "format": "application/pdf",
                "language": "es",
            }
            for j in range(12)
        ]
        tender["amendments"] = list(tender.get("amendments", [])) + [
            {
                "id": f"E{k}-{j}",
                "date": release["date"],
                "rationale": f"Aclaración {j} derivada de la junta de aclaraciones {k + 1}",
                "description": "Se modifican las especificaciones técnicas de las partidas",
            }
            for j in range(3)
        ]


def _interleave(groups: list[list[dict[str, Any]]], rng: random.Random) -> Iterator[dict]:
    queues = [list(g) for g in groups]
    while queues:
        q = queues[rng.randrange(len(queues))]
        yield q.pop(0)
        if not q:
            queues.remove(q)


def release_packages(
    n: int, seed: int = 0, per_package: int = 1000, edge_cases: bool = True, large: bool = False
) -> Iterator[dict[str, Any]]:
    """The same releases wrapped in release packages of ``per_package`` releases."""
    batch: list[dict[str, Any]] = []
    for r in releases(n, seed, edge_cases, large):
        batch.append(r)
        if len(batch) >= per_package:
            yield package(batch)
            batch = []
    if batch:
        yield package(batch)


def record_packages(
    n: int, seed: int = 0, per_package: int = 1000, edge_cases: bool = True, large: bool = False
) -> Iterator[dict[str, Any]]:
    """The same releases as records with embedded releases (one per process, its releases in
    publication order), in record packages of ``per_package`` records."""
    records: list[dict[str, Any]] = []
    for groups, rng in _windows(n, seed, edge_cases, large):
        for _ in _interleave(groups, rng):  # the same draws as `releases`
            pass
        records.extend({"ocid": g[0]["ocid"], "releases": g} for g in groups)
        if len(records) >= per_package:
            yield record_package(records)
            records = []
    if records:
        yield record_package(records)


def package(batch: list[dict[str, Any]]) -> dict[str, Any]:
    return {**_PACKAGE, "releases": batch}


def record_package(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {**_PACKAGE, "records": records}


_PACKAGE = {
    "uri": "https://example.mx/ocds/paquete.json",
    "version": "1.1",
    "publishedDate": "2025-01-01T00:00:00Z",
    "publisher": {"name": "Cocrea (datos sintéticos)"},
}
