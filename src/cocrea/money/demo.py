"""Long because it is one story told in data: each red flag and check needs its own cast.

Deterministic demo data of Sigue el Dinero: budget lines, compiled releases, programmes.
For a few demo entities (those with a «Sigue el Dinero» commitment in the plans demo, offered
through `core.registry.demo_program_commitments`, or
Morelos, Jalisco and Oaxaca when there is none), three programmes each with two fiscal years
of budget lines (the six CONAC moments) and contracting processes as OCDS compiled releases
(planning, tender, bids, awards with their items, contracts, payments), plus small direct
purchases from a few distributors. A few processes, buyers and suppliers are built to trigger
each consistency check and each of the 11 red flags with the engine's default settings
(R025, R038 and R048 compare organizations with each other: see the notes above `REGULAR`;
R038 for a buyer needs at least two entities, three buyers being too few for an outlier).
Everything derives from `random.Random(seed)` and fixed dates, and is loaded through the
same services as real data: the budget CSV goes through `services.import_budget`, the
compiled releases through the contracting store's import (`cocrea money import`), from which
the flows tables and red flags are derived.
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
# Typical unit price (MXN) of each programme's main item, for the quantities of goods.
UNIT_PRICE = {"S045": 420.0, "E031": 365.0}
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
DIRECT = METHODS[3]

# The suppliers of each entity: twelve firms (0-11) that compete for the programmes' tenders,
# and a few more with a part in the story. In the first entity, one firm bids in many tenders
# of education and health and wins just one (R025: a cover bidder), and the bids of another
# to the water commission are always disqualified (R038, for the firm and for the commission,
# which disqualifies two of every five bids). In every entity, six distributors make small
# direct sales (at least 20 each: R048 compares suppliers awarded in 20 processes or more);
# one of them sells whatever is asked, from gloves to desks (R048).
REGULAR = 12
COVER = 12
DISQUALIFIED = 13
EXTRA_NAMES = {
    COVER: "Proveedora Integral del Centro",
    DISQUALIFIED: "Hidráulica y Edificaciones del Sur",
    14: "Distribuidora Médica del Pacífico",
    15: "Farmacéutica de Especialidades",
    16: "Tubos y Conexiones Hidráulicas",
    17: "Insumos Hospitalarios y Farmacia",
    18: "Papelería y Uniformes Escolares",
    19: "Comercializadora Multiservicios del Bajío",
}
# Small purchases: UNSPSC commodity, description, unit, programme, unit price range (MXN).
CATALOGUE = {
    "guantes": ("42132203", "Guantes de látex para examen", "caja", "E031", (180, 320)),
    "jeringas": ("42142609", "Jeringas desechables de 5 ml", "caja", "E031", (240, 420)),
    "vendas": ("42311505", "Vendas elásticas", "paquete", "E031", (90, 160)),
    "paracetamol": ("51142001", "Paracetamol, tabletas de 500 mg", "caja", "E031", (35, 70)),
    "antiseptico": (
        "51102710",
        "Solución antiséptica de clorhexidina",
        "litro",
        "E031",
        (95, 180),
    ),  # fmt: skip
    "limpieza": (
        "47131810",
        "Desinfectante para superficies hospitalarias",
        "garrafa",
        "E031",
        (210, 380),
    ),  # fmt: skip
    "alimentos": ("50192100", "Alimentos preparados para pacientes", "ración", "E031", (55, 95)),
    "tuberia": (
        "40171526",
        "Tubería de PVC hidráulico de 4 pulgadas",
        "tramo",
        "E012",
        (650, 1100),
    ),  # fmt: skip
    "valvulas": (
        "40141607",
        "Válvulas de compuerta de 4 pulgadas",
        "pieza",
        "E012",
        (2800, 5200),
    ),  # fmt: skip
    "utiles": ("44121706", "Lápices y bolígrafos escolares", "caja", "S045", (85, 160)),
    "uniformes": ("53102710", "Uniformes escolares", "juego", "S045", (320, 560)),
    "mobiliario": ("56121502", "Pupitres escolares", "pieza", "S045", (1400, 2300)),
}
# (supplier, what it sells, number of direct purchases over the two years).
PURCHASES = [
    (14, ["guantes", "jeringas", "vendas"], 20),
    (15, ["paracetamol", "antiseptico"], 21),
    (16, ["tuberia", "valvulas"], 20),
    (17, ["guantes", "paracetamol"], 20),
    (18, ["utiles", "uniformes"], 22),
    (19, ["guantes", "limpieza", "alimentos", "utiles", "uniformes", "mobiliario", "tuberia"],
     21),
]  # fmt: skip


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
        for i in range(REGULAR + len(EXTRA_NAMES)):
            base = EXTRA_NAMES.get(i) or (
                f"{SUPPLIER_WORDS[(i + int(code)) % len(SUPPLIER_WORDS)]} "
                f"{SUPPLIER_NAMES[(i * 3 + int(code)) % len(SUPPLIER_NAMES)]}"
            )
            name = f"{base} {code}{i:02d} SA de CV"
            rfc = _rfc(f"D{code}", i)
            self.suppliers.append(
                {
                    "id": f"MX-RFC-{rfc}",
                    "name": name,
                    "identifier": {"scheme": "MX-RFC", "id": rfc, "legalName": name},
                    "address": {"region": entity_name, "countryName": "México"},
                }
            )
        # Valid bids and wins of each firm so far: tenders go to the firms that bid least,
        # won by the one that won least, so that most firms win about one bid in four.
        self.valid_bids = [0] * len(self.suppliers)
        self.wins = [0] * len(self.suppliers)
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

    def pick(self, n: int) -> tuple[int, list[int]]:
        """The winner and the other tenderers of a competitive tender among the twelve firms."""
        rng = self.rng
        ranked = sorted(range(REGULAR), key=lambda i: (self.valid_bids[i] + 2 * rng.random(), i))
        chosen = ranked[:n]
        winner = min(
            chosen,
            key=lambda i: (
                (self.wins[i] + 0.5) / (self.valid_bids[i] + 2) + 0.05 * rng.random(),
                i,
            ),
        )
        return winner, [i for i in chosen if i != winner]

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
        tender_days: int | None = 20,
        bid_quirk: str | None = None,
        payments: list[tuple[int, float | None]] | None = None,
        payee: int | None = None,
        sign_days: int = 10,
        unit_price: float | None = None,
    ) -> dict:
        """One compiled release. `tender_days` None: no tender period (small direct purchases);
        a payment amount None pays the whole contract."""
        rng = self.rng
        self.n += 1
        ocid = f"{PREFIX}-{self.code}-{year}-{self.n:04d}"
        code, description, unit = item
        procurement_method, details = method
        winner_party = self.suppliers[winner]
        tenderers = [winner, *others]
        if tender_days is None:
            tender_end = None
            award_date = start + timedelta(days=rng.randint(3, 10))
        else:
            tender_end = start + timedelta(days=tender_days)
            award_date = tender_end + timedelta(days=rng.randint(7, 20))
        signed = award_date + timedelta(days=sign_days)
        award_amount = round(amount * rng.uniform(0.82, 0.98), 2)
        if unit_price is None:
            unit_price = UNIT_PRICE.get(clave)
        quantity = max(1, round(amount / unit_price)) if unit_price else 1
        classification = {"scheme": "UNSPSC", "id": code, "description": description}
        parties = [
            {**buyer, "roles": ["buyer", "procuringEntity", "payer"]},
        ]
        for i, t in enumerate(tenderers):
            roles = ["tenderer", "supplier", "payee"] if i == 0 else ["tenderer"]
            parties.append({**self.suppliers[t], "roles": roles})
        bids = []
        if procurement_method != "limited":
            for i, t in enumerate(tenderers):
                party = self.suppliers[t]
                value = round(award_amount * (1 + 0.04 * i + rng.uniform(0.0, 0.03) * i), 2)
                bid = {
                    "id": f"{ocid}-B{i + 1}",
                    "date": _iso(tender_end - timedelta(days=1)),
                    "status": "valid",
                    "tenderers": [{"id": party["id"], "name": party["name"]}],
                    "value": {"amount": value, "currency": "MXN"},
                }
                bids.append(bid)
            bids[0]["value"]["amount"] = award_amount
            if bid_quirk is None and len(bids) > 2 and rng.random() < 0.4:
                # Disqualifying the most expensive bid is common and harmless.
                last = len(bids) - 1 if tenderers[-1] != COVER else len(bids) - 2
                bids[last]["status"] = "disqualified"
            if bid_quirk == "close":
                bids[1]["value"]["amount"] = round(award_amount * 1.0005, 2)
            elif bid_quirk == "far":
                for i, bid in enumerate(bids[1:], start=1):
                    bid["value"]["amount"] = round(award_amount * (1.42 + 0.05 * i), 2)
            elif bid_quirk == "identical" and len(bids) > 2:
                bids[2]["value"]["amount"] = bids[1]["value"]["amount"]
            elif bid_quirk == "late":
                bids[0]["date"] = _iso(tender_end + timedelta(days=2))
            elif bid_quirk == "disqualified_others":
                for bid in bids[1:]:
                    bid["status"] = "disqualified"
            elif bid_quirk == "purge":
                for bid in bids[-2:]:
                    bid["status"] = "disqualified"
            elif bid_quirk == "lowest_disqualified" and len(bids) > 1:
                bids[-1]["value"]["amount"] = round(award_amount * 0.9, 2)
                bids[-1]["status"] = "disqualified"
            for t, bid in zip(tenderers, bids, strict=True):
                if bid["status"] == "valid":
                    self.valid_bids[t] += 1
            if bids[0]["status"] == "valid":
                self.wins[winner] += 1
        payee_party = self.suppliers[payee] if payee is not None else winner_party
        if payee is not None:
            parties.append({**payee_party, "roles": ["payee"]})
        if payments is None:
            n = rng.randint(2, 4)
            payments = [(30 * (k + 1), round(award_amount / n, 2)) for k in range(n)]
        transactions = []
        for k, (days, value) in enumerate(payments):
            when = signed + timedelta(days=days)
            transactions.append(
                {
                    "id": f"{ocid}-P{k + 1}",
                    "source": "https://finanzas.example.gob.mx/pagos",
                    "date": _iso(when),
                    "value": {
                        "amount": award_amount if value is None else value,
                        "currency": "MXN",
                    },
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
            "procuringEntity": {"id": buyer["id"], "name": buyer["name"]},
            "numberOfTenderers": len(tenderers),
            "tenderers": [
                {"id": self.suppliers[t]["id"], "name": self.suppliers[t]["name"]}
                for t in tenderers
            ],
            "items": [
                {
                    "id": "1",
                    "description": description,
                    "classification": classification,
                    "quantity": quantity,
                    "unit": {"name": unit},
                }
            ],
        }
        if tender_end is not None:
            tender["tenderPeriod"] = {"startDate": _iso(start), "endDate": _iso(tender_end)}
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
                    "items": [
                        {
                            "id": "1",
                            "description": description,
                            "classification": classification,
                            "quantity": quantity,
                            "unit": {
                                "name": unit,
                                "value": {
                                    "amount": round(award_amount / quantity, 2),
                                    "currency": "MXN",
                                },
                            },
                        }
                    ],
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

    def small_purchase(self, supplier: int, what: str, year: int, buyers: dict) -> dict:
        """A direct purchase of a few hundred thousand pesos, paid in one payment."""
        rng = self.rng
        code, description, unit, clave, (low, high) = CATALOGUE[what]
        programa, buyer = buyers[clave]
        price = round(rng.uniform(low, high), 2)
        quantity = max(1, int(rng.uniform(25_000, 300_000) / price))
        return self.process(
            year=year, clave=clave, programa=programa, buyer=buyer,
            item=(code, description, unit), category="goods", method=DIRECT,
            winner=supplier, others=[], amount=round(price * quantity, 2),
            start=datetime(year, 1, 12, 10) + timedelta(days=rng.randrange(250)),
            tender_days=None, payments=[(rng.randint(20, 45), None)], sign_days=3,
            unit_price=price,
        )  # fmt: skip


def build(seed: int, entities: list[tuple[str, str]]) -> tuple[list[dict], str]:
    """(compiled releases, budget CSV text) for the given (code, common name) entities."""
    releases: list[dict] = []
    rows: list[list] = []
    for position, (code, name) in enumerate(entities):
        b = _Builder(seed, code, name)
        rng = b.rng
        buyers = {}
        for p_index, (clave, programa, office, prefix, item, category) in enumerate(PROGRAMS):
            buyer = b.buyer(prefix, office)
            buyers[clave] = (programa, buyer)
            kind = "works" if category == "works" else "goods"
            for year in YEARS:
                b.budget(year, clave, programa, office, kind, 1.0 + 0.3 * position)
                for k in range(5):
                    method = METHODS[(k + p_index + year) % len(METHODS)]
                    start = datetime(year, 2 + 2 * k, 3 + rng.randrange(20), 10, 0, 0)
                    quirk = None
                    if method[0] == "limited":
                        winner, others = rng.randrange(REGULAR), []
                    else:
                        winner, others = b.pick(4)
                        if position == 0 and clave == "E012":
                            # The water commission disqualifies the two dearest bids (R038).
                            others, quirk = [*others, DISQUALIFIED], "purge"
                        elif position == 0:
                            others = [*others, COVER]  # a losing bid (R025)
                    b.process(
                        year=year, clave=clave, programa=programa, buyer=buyer, item=item,
                        category=category, method=method, winner=winner, others=others,
                        amount=round(rng.uniform(0.8, 6.0) * 1_000_000, 2), start=start,
                        bid_quirk=quirk,
                    )  # fmt: skip
        # Processes built to show each check and several red flags (first entity: all of them;
        # the others: a few, so that every page has something to explain).
        water, school, health = (
            (clave, programa, buyers[clave][1], item, category)
            for clave, programa, _office, _prefix, item, category in PROGRAMS
        )

        def special(program, year, month, b=b, tenderers=4, **kwargs):
            clave, programa, buyer, item, category = program
            kwargs.setdefault("method", METHODS[0])
            kwargs.setdefault("amount", 2_500_000.0)
            if "winner" not in kwargs:
                kwargs["winner"], kwargs["others"] = b.pick(tenderers)
            return b.process(
                year=year, clave=clave, programa=programa, buyer=buyer, item=item,
                category=category, start=datetime(year, month, 5, 10), **kwargs,
            )  # fmt: skip

        # Payments above the contract value.
        r = special(water, 2025, 3, payments=[(30, 1_500_000.0), (60, 1_500_000.0)])
        r["contracts"][0]["value"]["amount"] = 2_400_000.0
        # A payment before the contract was signed.
        special(water, 2025, 5, payments=[(-12, 400_000.0), (45, 1_600_000.0)])
        # A payee other than the awarded supplier.
        winner, others = b.pick(4)
        payee = next(i for i in range(REGULAR) if i not in (winner, *others))
        special(health, 2025, 4, winner=winner, others=others, payee=payee)
        if position == 0:
            # Direct awards concentrated on one supplier (four of five to supplier 7).
            for k, supplier in enumerate([7, 7, 7, 7, 8]):
                special(
                    school, 2025, 1 + k, method=DIRECT, winner=supplier, others=[],
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
            # prices (R028), a late winning bid (R030), competitors disqualified (R035), the
            # lowest bid disqualified (R036).
            special(health, 2025, 6, tender_days=4)
            special(health, 2025, 7, tenderers=1)
            special(health, 2025, 8, bid_quirk="identical")
            special(water, 2025, 8, bid_quirk="late")
            special(water, 2025, 9, bid_quirk="disqualified_others")
            special(school, 2025, 9, bid_quirk="lowest_disqualified")
            # A runner-up within 0.05 % of the winner (R024); one 45 % above it (R058).
            special(school, 2025, 10, bid_quirk="close")
            special(health, 2025, 10, bid_quirk="far")
            # The cover bidder wins one tender of the many it bids in (R025), and the firm
            # whose bids are disqualified sells valves once, directly (so both have a page).
            winner, others = b.pick(3)
            special(school, 2025, 11, winner=COVER, others=[winner, *others])
            b.small_purchase(DISQUALIFIED, "valvulas", 2024, buyers)
        # Small direct purchases from the distributors (R048 for the one that sells anything).
        for supplier, goods, count in PURCHASES:
            for k in range(count):
                b.small_purchase(supplier, goods[k % len(goods)], YEARS[k % 2], buyers)
        releases += b.releases
        rows += b.budget_rows
    out = io.StringIO()
    from .budget.moments import COLUMNS

    out.write(",".join(COLUMNS) + "\n")
    for row in rows:
        out.write(",".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row) + "\n")
    return releases, out.getvalue()


def _entities_and_commitments():
    from cocrea.core.registry import demo_program_commitments
    from cocrea.territory.models import Entity

    commitments = demo_program_commitments()
    # Morelos and Jalisco (the demo accounts' entities) first, then the lowest codes.
    codes = sorted(
        commitments or FALLBACK_ENTITIES, key=lambda c: (c not in ("17", "14"), c != "17", c)
    )
    codes = codes[:4]
    entities = {e.code: e for e in Entity.objects.filter(code__in=codes)}
    return [entities[c] for c in codes if c in entities], commitments


def load(seed: int) -> None:
    from . import services
    from .analytics import flows

    entities, commitments = _entities_and_commitments()
    if not entities:
        return
    releases, budget_csv = build(seed, [(e.code, e.common_name) for e in entities])
    services.import_budget(None, io.BytesIO(budget_csv.encode("utf-8")), SOURCE)
    for entity in entities:
        mine = [r for r in releases if r["ocid"].startswith(f"{PREFIX}-{entity.code}-")]
        _store_import(mine, entity.code)
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
    flows.sync_from_store(force=True)


def _store_import(releases: list[dict], entity: str) -> None:
    """Load the compiled releases into the contracting store (as `cocrea money import` does)."""
    import tempfile

    import orjson

    from .ocds.importer import import_ocds

    with tempfile.TemporaryDirectory(prefix="cocrea-demo-") as tmp:
        path = f"{tmp}/releases.jsonl"
        with open(path, "wb") as f:
            for release in releases:
                f.write(orjson.dumps(release) + b"\n")
        import_ocds([path], f"{SOURCE}-{entity}", entity=entity, strict=True)
