"""Fixtures for the participation tests: a Morelos process open to proposals, and people."""

from __future__ import annotations

import pytest
from participation_helpers import make_citizen, make_process

from cocrea.participation import services


@pytest.fixture
def process(reference):
    return make_process(reference["17"])


@pytest.fixture
def ana(db):
    return make_citizen("ana", name="Ana P.")


@pytest.fixture
def beto(db):
    return make_citizen("beto", name="Beto R.")


@pytest.fixture
def proposal(process, ana):
    return services.submit_proposal(
        process,
        actor=ana,
        kind="propuesta",
        title="Presupuesto municipal en datos abiertos",
        body="Publicar **cada trimestre** el gasto.",
        affected_population="Población general",
        municipality="Cuernavaca",
        theme="presupuesto",
    )
