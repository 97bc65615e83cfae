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
def _clear_rate_limits(django_db_setup, django_db_blocker):
    # The cache is the database cache: its table is not flushed between transactional tests.
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def open_event(reference):
    return make_open_event()
