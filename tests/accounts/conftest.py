"""Fixtures for the account tests: two citizens and a proposal of one of them (so that what
stays public after a deletion, and what the download holds, can be checked)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "participation"))

from participation_helpers import make_citizen, make_process  # noqa: E402


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ana(db):
    return make_citizen("ana", name="Ana P.")


@pytest.fixture
def beto(db):
    return make_citizen("beto", name="Beto R.")


@pytest.fixture
def proposal(reference, ana):
    from cocrea.participation import services

    return services.submit_proposal(
        make_process(reference["17"]), actor=ana, kind="propuesta",
        title="Presupuesto municipal en datos abiertos", body="Publicar el gasto.",
        affected_population="Población general", municipality="Cuernavaca", theme="presupuesto",
    )  # fmt: skip
