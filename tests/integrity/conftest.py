"""Fixtures for the integrity tests: Morelos with a plan and both keys, Jalisco beside it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The plans tests' builders (real rows, no mocks) serve here too.
for folder in ("plans", "participation"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / folder))

from plans_helpers import (  # noqa: E402
    cso_user,
    make_commitment,
    make_milestone,
    make_plan,
)

from cocrea.accounts.models import Side  # noqa: E402
from cocrea.participants.models import Organization, OrganizationType  # noqa: E402


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PLANS_BACKGROUND_JOBS = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def morelos(users, reference):
    entity = reference["17"]
    plan = make_plan(entity)
    commitment = make_commitment(plan, title="Sigue el Dinero en Morelos")
    gov = make_milestone(commitment, 1, side=Side.GOVERNMENT, title="Publicar contratos")
    cso = make_milestone(
        commitment, 2, side=Side.CIVIL_SOCIETY, title="Contraloría social", progress=66
    )
    return {
        "entity": entity,
        "plan": plan,
        "commitment": commitment,
        "gov_milestone": gov,
        "cso_milestone": cso,
        "gov_user": users["member"],
        "cso_user": cso_user(entity),
    }


@pytest.fixture
def jalisco_orgs(reference):
    entity = reference["14"]
    return {
        "authority": Organization.objects.create(
            entity=entity,
            name="Secretaría de Hacienda de Jalisco",
            type="autoridad",
            power="ejecutivo",
        ),  # fmt: skip
        "cso": Organization.objects.create(
            entity=entity, name="Jalisco Cómo Vamos", type=OrganizationType.CIVIL_SOCIETY
        ),
    }
