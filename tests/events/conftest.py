"""Fixtures for the events tests: an open summit-like event built with the demo code."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from events_helpers import make_open_event


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The shared `users` fixture creates five accounts per test; Argon2 makes that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_event(reference):
    return make_open_event()
