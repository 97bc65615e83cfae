"""The shared cache: Django's database cache by default, Redis when COCREA_CACHE_URL says so."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from ops_helpers import ROOT

PRINT_CACHE = "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION', ''))"


def backend_for(env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", "DATABASE_URL": "sqlite:///:memory:"}
    return subprocess.run(
        [sys.executable, "-c", f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cocrea.settings'); django.setup(); {PRINT_CACHE}"],
        env={**env, **env_extra},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def test_the_suite_uses_the_database_cache_and_its_table_exists(db):
    assert settings.CACHES["default"]["BACKEND"] == "cocrea.operations.cache.DatabaseCache"
    cache.set("cocrea:test", 41)
    assert cache.incr("cocrea:test") == 42


def test_the_cache_is_chosen_by_an_environment_variable():
    default = backend_for({})
    assert default.stdout.split() == ["cocrea.operations.cache.DatabaseCache", "cocrea_cache"]
    redis = backend_for({"COCREA_CACHE_URL": "redis://cache.internal:6379/1"})
    assert redis.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/1",
    ]
    wrong = backend_for({"COCREA_CACHE_URL": "memcached://x"})
    assert wrong.returncode != 0 and "COCREA_CACHE_URL" in wrong.stderr


@pytest.mark.django_db(transaction=True)
def test_incr_is_atomic_across_connections():
    """Four threads (four database connections) counting at once lose no hit."""
    cache.set("cocrea:hits", 0, timeout=600)

    def count():
        try:
            for _ in range(25):
                cache.incr("cocrea:hits")
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("cocrea:hits") == 100
    cache.delete("cocrea:hits")
