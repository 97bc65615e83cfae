"""Shared fixtures: reference data, one user per role, and a Chromium page.

`make test` runs the suite on a throwaway PostgreSQL cluster and sets
COCREA_TEST_REQUIRE_POSTGRES=1, so the suite refuses to pass on SQLite there.
"""

from __future__ import annotations

import os

import pytest

from cocrea.accounts.models import Role
from cocrea.territory.models import Entity
from cocrea.territory.services import load_reference
from people import make_user

CHROMIUM = os.environ.get("COCREA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="session")
def _require_postgres(django_db_setup, django_db_blocker):
    if os.environ.get("COCREA_TEST_REQUIRE_POSTGRES") == "1":
        from django.db import connection

        assert connection.vendor == "postgresql", "make test must run on PostgreSQL"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in Spanish: a request under /en/ must not leak English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference(db):
    """The 32 entities and the adhesions from the versioned reference data."""
    load_reference()
    return {e.code: e for e in Entity.objects.all()}


@pytest.fixture
def users(reference):
    """One user per role; `member` belongs to Morelos (17), `other_member` to Jalisco (14)."""
    return {
        "coordinator": make_user("coordinadora", Role.NATIONAL_COORDINATOR),
        "member": make_user("enlace17", Role.SECRETARIAT_MEMBER, reference["17"]),
        "other_member": make_user("enlace14", Role.SECRETARIAT_MEMBER, reference["14"]),
        "evaluator": make_user("evaluador", Role.EVALUATOR),
        "citizen": make_user("ciudadano", Role.CITIZEN),
    }


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # test code between page actions are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="es-MX", timezone_id="America/Mexico_City")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
