"""Shared fixture data for the Sigue el Dinero page and API tests (imported by their files)."""

from __future__ import annotations

import tempfile

import orjson

from cocrea.money import demo
from cocrea.money.analytics import flows
from cocrea.money.ocds.importer import import_ocds
from cocrea.plans.models import ActionPlan, Commitment


def make_commitment(entity, title="Sigue el Dinero en Morelos"):
    plan = ActionPlan.objects.create(entity=entity, sequence=1, title="Plan de prueba")
    return Commitment.objects.create(plan=plan, number=1, title=title)


def load_demo(settings, tmp_path, reference, with_commitment=True):
    """The money demo loader over Morelos (and Jalisco), in a temporary money directory."""
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    commitments = []
    if with_commitment:
        commitments.append(make_commitment(reference["17"]))
        commitments.append(make_commitment(reference["14"], "Sigue el Dinero en Jalisco"))
    demo.load(seed=2018)
    return commitments


# Contact data that must never be published.
CONTACT = {
    "name": "Lucía Pérez Contreras",
    "email": "lucia.perez@example.org",
    "telephone": "+52 777 123 4567",
    "faxNumber": "777 765 4321",
    "url": "https://example.org/contacto-privado",
}


def load_demo_reimporting_morelos(settings, tmp_path, reference, change) -> list[dict]:
    """The demo, then Morelos's releases imported again as ``change(releases)`` returns them
    (a list), and the flows rebuilt; returns the releases imported."""
    load_demo(settings, tmp_path, reference)
    entities = [(e.code, e.common_name) for e in (reference["17"], reference["14"])]
    releases, _budget = demo.build(2018, entities)
    morelos = change([r for r in releases if r["ocid"].startswith(f"{demo.PREFIX}-17-")])
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/releases.jsonl"
        with open(path, "wb") as f:
            for release in morelos:
                f.write(orjson.dumps(release) + b"\n")
        import_ocds([path], f"{demo.SOURCE}-17", entity="17", strict=True)
    flows.sync_from_store(force=True)
    return morelos


def load_demo_with_contact_points(settings, tmp_path, reference) -> list[dict]:
    """`load_demo_reimporting_morelos` with `CONTACT` on every party, the buyer, the
    procuring entity, the tenderers and the suppliers of Morelos's releases."""

    def add_contact_points(morelos):
        touched = 0
        for release in morelos:
            orgs = [*release.get("parties", []), release.get("buyer"), release["tender"].get(
                "procuringEntity"), *release["tender"].get("tenderers", [])]  # fmt: skip
            orgs += [s for a in release.get("awards", []) for s in a.get("suppliers", [])]
            for org in filter(None, orgs):
                org["contactPoint"] = dict(CONTACT)
                touched += 1
        assert touched > 100
        return morelos

    return load_demo_reimporting_morelos(settings, tmp_path, reference, add_contact_points)


class CountingConnection:
    """A DuckDB connection that counts the statements it runs."""

    def __init__(self, con):
        self.con = con
        self.n = 0

    def execute(self, sql, params=None):
        self.n += 1
        return self.con.execute(sql, params)
