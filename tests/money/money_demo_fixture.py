"""Shared fixture data for the Sigue el Dinero page and API tests (imported by their files)."""

from __future__ import annotations

from cocrea.money import demo
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
