"""Fixtures for the plans tests: Morelos (17) with one published plan and both keys."""

from __future__ import annotations

import pytest
from plans_helpers import cso_user, make_commitment, make_milestone, make_plan

from cocrea.plans.models import Side


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PLANS_BACKGROUND_JOBS = False
    # Argon2 costs ~0.7 s per test user on this machine; tests do not exercise hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def morelos(users, reference):
    """A published plan of Morelos: commitment with a government and a civil-society milestone."""
    entity = reference["17"]
    plan = make_plan(entity)
    commitment = make_commitment(plan, title="Sigue el Dinero en Morelos")
    gov = make_milestone(
        commitment, 1, weight="2", side=Side.GOVERNMENT, title="Publicar contratos"
    )
    cso = make_milestone(
        commitment, 2, weight="1", side=Side.CIVIL_SOCIETY, title="Contraloría social"
    )
    return {
        "entity": entity,
        "plan": plan,
        "commitment": commitment,
        "gov_milestone": gov,
        "cso_milestone": cso,
        "gov_user": users["member"],  # guarantor body: government side
        "cso_user": cso_user(entity),
    }
