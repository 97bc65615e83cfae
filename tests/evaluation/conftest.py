"""Fixtures for the evaluation tests: a published plan of Morelos (17) with three commitments."""

from __future__ import annotations

import pytest
from evaluation_helpers import build_plan

from cocrea.accounts.models import Role
from people import make_user


@pytest.fixture(autouse=True)
def _fast(settings):
    # Argon2 costs ~0.7 s per test user on this machine; tests do not exercise hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def morelos(users, reference):
    return build_plan(reference["17"])


@pytest.fixture
def evaluator(reference):
    return make_user("evaluadora-externa", Role.EVALUATOR)
