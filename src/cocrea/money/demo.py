"""Deterministic demo data of Sigue el Dinero: budget lines, compiled releases, programmes.

For a few demo entities (those with a «Sigue el Dinero» commitment in the plans demo, or
Morelos, Jalisco and Oaxaca when there is none), three programmes each with two fiscal years
of budget lines (the six CONAC moments) and contracting processes as OCDS compiled releases
(planning, tender, bids, awards, contracts, payments). A few processes are built to trigger
each consistency check and several red flags. Everything derives from `random.Random(seed)`
and fixed dates, and is loaded through the same services as real data: the budget CSV goes
through `services.import_budget`, the compiled releases through `facts.import_compiled`
(and the contracting store's import when it is available).
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from typing import Any

PREFIX = "ocds-c0crea"
SOURCE = "demostracion"
YEARS = [2024, 2025]
FALLBACK_ENTITIES = ["17", "14", "20"]
PROGRAMS = [
    (
        "E012",
        "Abasto de agua potable y saneamiento",
        "Comisión Estatal del Agua",
        "CEA",
        ("72141003", "Rehabilitación de redes de agua potable", "obra"),
        "works",
    ),
    (
        "S045",
        "Útiles y uniformes escolares",
        "Secretaría de Educación",
        "SE",
        ("44121600", "Paquetes de útiles escolares", "paquete"),
        "goods",
    ),
    (
        "E031",
        "Atención médica de primer nivel",
        "Servicios de Salud",
        "SS",
        ("42131606", "Material de curación y guantes de examen", "caja"),
        "goods",
    ),
]
FUENTES = ["Recursos estatales", "Participaciones federales", "FAIS", "FONE", "FASSA"]
FUENTE_OF = {"E012": ["FAIS", "Recursos estatales"], "S045": ["FONE", "Recursos estatales"],
             "E031": ["FASSA", "Participaciones federales"]}  # fmt: skip
PARTIDAS = {"works": ["61401", "62201"], "goods": ["21101", "25401", "27101"]}
SUPPLIER_WORDS = ["Constructora", "Comercializadora", "Grupo", "Distribuidora", "Servicios"]
SUPPLIER_NAMES = ["del Valle", "Azteca", "Tlaloc", "Anáhuac", "Sierra Madre", "Los Lagos",
                  "Xochitl", "Popocatépetl", "Mezquital", "Tonantzin"]  # fmt: skip
METHODS = [
    ("open", "Licitación pública"),
    ("open", "Licitación pública"),
    ("selective", "Invitación a cuando menos tres personas"),
    ("limited", "Adjudicación directa"),
]


def _iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc(prefix: str, n: int) -> str:
    return f"{prefix}{n:06d}"


class _Builder:
    def __init__(self, seed: int, code: str, entity_name: str):
        self.rng = random.Random(f"{seed}-{code}")
        self.code = code
        self.entity_name = entity_name
        self.suppliers = []
        for i in range(12):
            name = (
                f"{SUPPLIER_WORDS[(i + int(code)) % len(SUPPLIER_WORDS)]} "
                f"{SUPPLIER_NAMES[(i * 3 + int(code)) % len(SUPPLIER_NAMES)]} {code}{i:02d} "
                "SA de CV"
            )
            rfc = _rfc(f"D{code}", i)
            self.suppliers.append(
                {
                    "id": f"MX-RFC-{rfc}",
                    "name": name,
                    "identifier": {"scheme": "MX-RFC", "id": rfc, "legalName": name},
                    "address": {"region": entity_name, "countryName": "México"},
                }
            )
        self.n = 0
        self.releases: list[dict] = []
        self.budget_rows: list[list] = []

    def buyer(self, prefix: str, office: str) -> dict:
        name = f"{office} de {self.entity_name}"
        rfc = f"{prefix}{self.code}0101AA1"
        return {
            "id": f"MX-RFC-{rfc}",
            "name": name,
            "identifier": {"scheme": "MX-RFC", "id": rfc, "legalName": name},
            "address": {"region": self.entity_name, "countryName": "México"},
        }

    def budget(self, year: int, clave: str, programa: str, office: str, kind: str, scale: float):
        rng = self.rng
        for fuente in FUENTE_OF[clave]:
            for partida in PARTIDAS[kind][:2]:
                aprobado = round(rng.uniform(8, 30) * scale * 1_000_000, 2)
                modificado = round(aprobado * rng.uniform(0.95, 1.12), 2)
                comprometido = round(modificado * rng.uniform(0.85, 0.98), 2)
                devengado = round(comprometido * rng.uniform(0.88, 0.99), 2)
                ejercido = round(devengado * rng.uniform(0.9, 1.0), 2)
                pagado = round(ejercido * rng.uniform(0.9, 1.0), 2)
                self.budget_rows.append(
                    [year, self.code, "Gobierno del Estado", office, programa, clave, partida,
                     fuente, aprobado, modificado, comprometido, devengado, ejercido, pagado]
                )  # fmt: skip

    def process(
        self,
        *,
        year: int,
        clave: str,
        programa: str,
        buyer: dict,
        item: tuple,
        category: str,
        method: tuple[str, str],
        winner: int,
        others: list[int],
        amount: float,
        start: datetime,
        tender_days: int = 20,
        bid_quirk: str | None = None,
        payments: list[tuple[int, float]] | None = None,
        payee: int | None = None,
        sign_days: int = 10,
    ) -> dict:
        self.n += 1
        ocid = f"{PREFIX}-{self.code}-{year}-{self.n:04d}"
        code, description, unit = item
        procurement_method, details = method
        winner_party = self.suppliers[winner]
        tenderers = [winner_party] + [self.suppliers[i] for i in others]
        tender_start = start
        tender_end = tender_start + timedelta(days=tender_days)
        award_date = tender_end + timedelta(days=self.rng.randint(7, 20))
        signed = award_date + timedelta(days=sign_days)
        award_amount = round(amount * self.rng.uniform(0.82, 0.98), 2)
        parties = [
            {**buyer, "roles": ["buyer", "procuringEntity", "payer"]},
        ]
        for i, t in enumerate(tenderers):
            roles = ["tenderer", "supplier", "payee"] if i == 0 else ["tenderer"]
            parties.append({**t, "roles": roles})
        bids = []
        if procurement_method != "limited":
            for i, t in enumerate(tenderers):
                value = round(award_amount * (1 + 0.04 * i + self.rng.uniform(0.0, 0.03) * i), 2)
                bid = {
                    "id": f"{ocid}-B{i + 1}",
                    "date": _iso(tender_end - timedelta(days=1)),
                    "status": "valid",
                    "tenderers": [{"id": t["id"], "name": t["name"]}],
                    "value": {"amount": value, "currency": "MXN"},
                }
                bids.append(bid)
            bids[0]["value"]["amount"] = award_amount
            if bid_quirk is None and len(bids) > 2 and self.rng.random() < 0.4:
                # Disqualifying the most expensive bid is common and harmless.
                bids[-1]["status"] = "disqualified"
            if bid_quirk == "close":
                bids[1]["value"]["amount"] = round(award_amount * 1.0005, 2)
            elif bid_quirk == "identical" and len(bids) > 2:
                bids[2]["value"]["amount"] = bids[1]["value"]["amount"]
            elif bid_quirk == "late":
                bids[0]["date"] = _iso(tender_end + timedelta(days=2))
            elif bid_quirk == "disqualified_others":
                for bid in bids[1:]:
                    bid["status"] = "disqualified"
            elif bid_quirk == "lowest_disqualified" and len(bids) > 1:
                bids[1]["value"]["amount"] = round(award_amount * 0.9, 2)
                bids[1]["status"] = "disqualified"
        payee_party = self.suppliers[payee] if payee is not None else winner_party
        if payee is not None:
            parties.append({**payee_party, "roles": ["payee"]})
        if payments is None:
            n = self.rng.randint(2, 4)
            payments = [(30 * (k + 1), round(award_amount / n, 2)) for k in range(n)]
        transactions = []
        for k, (days, value) in enumerate(payments):
            when = signed + timedelta(days=days)
            transactions.append(
                {
                    "id": f"{ocid}-P{k + 1}",
                    "source": "https://finanzas.example.gob.mx/pagos",
                    "date": _iso(when),
                    "value": {"amount": value, "currency": "MXN"},
                    "payer": {"id": buyer["id"], "name": buyer["name"]},
                    "payee": {"id": payee_party["id"], "name": payee_party["name"]},
                }
            )
        last = max([signed] + [signed + timedelta(days=d) for d, _v in payments])
        tender: dict[str, Any] = {
            "id": f"{ocid}-T1",
            "title": f"{description} para el programa {clave}",
            "status": "complete",
            "procurementMethod": procurement_method,
            "procurementMethodDetails": details,
            "mainProcurementCategory": category,
            "value": {"amount": amount, "currency": "MXN"},
            "tenderPeriod": {"startDate": _iso(tender_start), "endDate": _iso(tender_end)},
            "procuringEntity": {"id": buyer["id"], "name": buyer["name"]},
            "numberOfTenderers": len(tenderers) if procurement_method != "limited" else 1,
            "tenderers": [{"id": t["id"], "name": t["name"]} for t in tenderers],
            "items": [
                {
                    "id": "1",
                    "description": description,
                    "classification": {"scheme": "UNSPSC", "id": code, "description": description},
                    "quantity": 1,
                    "unit": {"name": unit},
                }
            ],
        }
        release = {
            "ocid": ocid,
            "id": f"{ocid}-{_iso(last)[:10]}",
            "date": _iso(last),
            "tag": ["compiled"],
            "initiationType": "tender",
            "language": "es",
            "parties": parties,
            "buyer": {"id": buyer["id"], "name": buyer["name"]},
            "planning": {
                "rationale": f"{programa}: {description.lower()}",
                "budget": {
                    "id": f"{clave}-{year}",
                    "description": programa,
                    "amount": {"amount": round(amount * 1.05, 2), "currency": "MXN"},
                    "project": programa,
                    "projectID": clave,
                },
            },
            "tender": tender,
            "awards": [
                {
                    "id": f"{ocid}-A1",
                    "title": f"Adjudicación: {description}",
                    "status": "active",
                    "date": _iso(award_date),
                    "value": {"amount": award_amount, "currency": "MXN"},
                    "suppliers": [{"id": winner_party["id"], "name": winner_party["name"]}],
                }
            ],
            "contracts": [
                {
                    "id": f"{ocid}-C1",
                    "awardID": f"{ocid}-A1",
                    "title": f"Contrato: {description}",
                    "status": "active",
                    "dateSigned": _iso(signed),
                    "period": {
                        "startDate": _iso(signed),
                        "endDate": _iso(signed + timedelta(days=240)),
                    },
                    "value": {"amount": award_amount, "currency": "MXN"},
                    "implementation": {"transactions": transactions},
                }
            ],
        }
        if bids:
            release["bids"] = {"details": bids}
        self.releases.append(release)
        return release


def build(seed: int, entities: list[tuple[str, str]]) -> tuple[list[dict], str]:
    """(compiled releases, budget CSV text) for the given (code, common name) entities."""
    releases: list[dict] = []
    rows: list[list] = []
    for position, (code, name) in enumerate(entities):
        b = _Builder(seed, code, name)
        rng = b.rng
        for p_index, (clave, programa, office, prefix, item, category) in enumerate(PROGRAMS):
            buyer = b.buyer(prefix, office)
            kind = "works" if category == "works" else "goods"
            for year in YEARS:
                b.budget(year, clave, programa, office, kind, 1.0 + 0.3 * position)
                for k in range(5):
                    method = METHODS[(k + p_index + year) % len(METHODS)]
                    start = datetime(year, 2 + 2 * k, 3 + rng.randrange(20), 10, 0, 0)
                    winner = rng.randrange(len(b.suppliers))
                    others = (
                        []
                        if method[0] == "limited"
                        else rng.sample([i for i in range(12) if i != winner], 3)
                    )
                    b.process(
                        year=year, clave=clave, programa=programa, buyer=buyer, item=item,
                        category=category, method=method, winner=winner, others=others,
                        amount=round(rng.uniform(0.8, 6.0) * 1_000_000, 2), start=start,
                    )  # fmt: skip
        # Processes built to show each check and several red flags (first entity: all of them;
        # the others: a few, so that every page has something to explain).
        water, school, health = (
            (clave, programa, b.buyer(prefix, office), item, category)
            for clave, programa, office, prefix, item, category in PROGRAMS
        )

        def special(program, year, month, b=b, **kwargs):
            clave, programa, buyer, item, category = program
            defaults = {
                "method": METHODS[0],
                "winner": 1,
                "others": [2, 3, 4],
                "amount": 2_500_000.0,
            }
            defaults.update(kwargs)
            return b.process(
                year=year, clave=clave, programa=programa, buyer=buyer, item=item,
                category=category, start=datetime(year, month, 5, 10), **defaults,
            )  # fmt: skip

        # Payments above the contract value.
        r = special(water, 2025, 3, payments=[(30, 1_500_000.0), (60, 1_500_000.0)])
        r["contracts"][0]["value"]["amount"] = 2_400_000.0
        # A payment before the contract was signed.
        special(water, 2025, 5, payments=[(-12, 400_000.0), (45, 1_600_000.0)])
        # A payee other than the awarded supplier.
        special(health, 2025, 4, payee=9)
        if position == 0:
            # Direct awards concentrated on one supplier (four of five to supplier 7).
            for k, supplier in enumerate([7, 7, 7, 7, 8]):
                special(
                    school, 2025, 1 + k, method=METHODS[3], winner=supplier, others=[],
                    amount=4_000_000.0 + 50_000 * k,
                )  # fmt: skip
            # A December spending spike: large payments dated in December 2024.
            for k in range(3):
                special(
                    school, 2024, 6 + k, payments=[(0, 0.0)], amount=4_000_000.0,
                    sign_days=5,
                )  # fmt: skip
                last = b.releases[-1]
                signed = datetime.fromisoformat(last["contracts"][0]["dateSigned"].replace("Z", ""))
                dec = datetime(2024, 12, 10 + k, 12)
                last["contracts"][0]["implementation"]["transactions"] = [
                    {
                        **last["contracts"][0]["implementation"]["transactions"][0],
                        "date": _iso(dec),
                        "value": {
                            "amount": last["contracts"][0]["value"]["amount"],
                            "currency": "MXN",
                        },
                    }
                ]
                assert dec > signed
            # A later moment above an earlier one: paid more than exercised.
            for row in b.budget_rows:
                if row[0] == 2025 and row[5] == "E031":
                    row[13] = round(row[12] * 1.03, 2)
            # Red flags: short tender period (R003), a single bidder (R018), identical
            # prices (R028), a late winning bid (R030), competitors disqualified (R035, and
            # R038 for that buyer), the lowest bid disqualified (R036).
            special(health, 2025, 6, tender_days=4)
            r = special(health, 2025, 7, others=[])
            r["tender"]["numberOfTenderers"] = 1
            special(health, 2025, 8, bid_quirk="identical")
            special(water, 2025, 8, bid_quirk="late")
            special(water, 2025, 9, bid_quirk="disqualified_others")
            special(school, 2025, 9, bid_quirk="lowest_disqualified")
            # A runner-up within 0.05 % of the winner (R024).
            special(school, 2025, 10, bid_quirk="close")
        releases += b.releases
        rows += b.budget_rows
    out = io.StringIO()
    from .budget import COLUMNS

    out.write(",".join(COLUMNS) + "\n")
    for row in rows:
        out.write(",".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row) + "\n")
    return releases, out.getvalue()


def _entities_and_commitments():
    from cocrea.plans.models import Commitment
    from cocrea.territory.models import Entity

    commitments = {}
    for c in (
        Commitment.objects.filter(title__icontains="Sigue el Dinero")
        .select_related("plan__entity")
        .order_by("plan__entity__code", "-plan__sequence", "number")
    ):
        commitments.setdefault(c.plan.entity.code, c)
    # Morelos and Jalisco (the demo accounts' entities) first, then the lowest codes.
    codes = sorted(
        commitments or FALLBACK_ENTITIES, key=lambda c: (c not in ("17", "14"), c != "17", c)
    )
    codes = codes[:4]
    entities = {e.code: e for e in Entity.objects.filter(code__in=codes)}
    return [entities[c] for c in codes if c in entities], commitments


def load(seed: int) -> None:
    from . import facts, services

    entities, commitments = _entities_and_commitments()
    if not entities:
        return
    releases, budget_csv = build(seed, [(e.code, e.common_name) for e in entities])
    services.import_budget(None, io.BytesIO(budget_csv.encode("utf-8")), SOURCE)
    for entity in entities:
        mine = [r for r in releases if r["ocid"].startswith(f"{PREFIX}-{entity.code}-")]
        if not _store_import(mine, entity.code):
            facts.import_compiled(mine, f"{SOURCE}-{entity.code}", entity=entity.code)
        for clave, programa, office, _prefix, item, _category in PROGRAMS:
            program = services.create_program(
                None,
                entity=entity,
                name=programa,
                clave_programa=clave,
                year_start=YEARS[0],
                year_end=YEARS[-1],
                description=f"Programa presupuestario a cargo de {office} de "
                f"{entity.common_name}: {item[1].lower()}.",
                commitment=commitments.get(entity.code) if clave != "E031" else None,
            )
            if clave == "E012":
                # One process of another programme linked by hand.
                other = next(
                    r["ocid"] for r in mine if r["planning"]["budget"]["projectID"] == "E031"
                )
                services.link_process(None, program, other, "Obra complementaria de salud")
    facts.sync_from_store(force=True)


def _store_import(releases: list[dict], entity: str) -> bool:
    """Load the compiled releases into the contracting store (as `cocrea money import` does).

    Returns False when the store's importer is not available (the flows tables are then
    written directly)."""
    try:
        from .ocds.importer import import_ocds
    except ImportError:  # pragma: no cover - the store is part of the app
        return False
    import tempfile

    import orjson

    with tempfile.TemporaryDirectory(prefix="cocrea-demo-") as tmp:
        path = f"{tmp}/releases.jsonl"
        with open(path, "wb") as f:
            for release in releases:
                f.write(orjson.dumps(release) + b"\n")
        import_ocds([path], f"{SOURCE}-{entity}", entity=entity, strict=True)
    return True
