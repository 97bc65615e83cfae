"""Fixtures for the notifications tests: Morelos with a published plan, both keys, people."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
for helpers in ("plans", "participation", "events", "evaluation"):
    if str(HERE.parent / helpers) not in sys.path:
        sys.path.insert(0, str(HERE.parent / helpers))

from plans_helpers import cso_user, make_commitment, make_milestone, make_plan  # noqa: E402

from cocrea.plans.models import Side  # noqa: E402


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PLANS_BACKGROUND_JOBS = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.COCREA_BASE_URL = "https://cocrea.example.org"


@pytest.fixture
def morelos(users, reference):
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
        "gov_user": users["member"],
        "cso_user": cso_user(entity),
    }


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a block and then what it left for after the commit (announcements → tasks)."""

    class Runner:
        def __enter__(self):
            self.ctx = django_capture_on_commit_callbacks(execute=True)
            return self.ctx.__enter__()

        def __exit__(self, *exc):
            return self.ctx.__exit__(*exc)

    return Runner
