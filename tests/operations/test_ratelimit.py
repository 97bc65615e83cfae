"""The client address behind proxies, and log-in attempts throttled per account and address."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from cocrea.operations.ratelimit import client_ip


def request(remote="192.0.2.1", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "xff", "expected"),
    [
        (0, "192.0.2.1", None, "192.0.2.1"),
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is the client's
        (1, "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, "127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # spoofed entry on the left
        (2, "10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "10.0.0.2", "203.0.113.9", "10.0.0.2"),  # fewer entries: bypassed the proxies
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, remote, xff, expected):
    settings.COCREA_TRUSTED_PROXIES = proxies
    assert client_ip(request(remote, xff)) == expected


@pytest.fixture
def login_limits(settings, db):
    settings.COCREA_RATE_LIMITS = {"login-account": "3/10m", "login-ip": "5/10m"}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def attempt(client, url, username, address):
    return client.post(
        url, {"username": username, "password": "mala"}, REMOTE_ADDR=address
    ).status_code


@pytest.mark.parametrize("url", ["/admin/login/", "/cuenta/entrar/"])
def test_login_attempts_per_account_from_any_address(client, login_limits, url):
    codes = [attempt(client, url, "Ana", f"198.51.100.{n}") for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert attempt(client, url, "beto", "198.51.100.50") == 200


def test_login_attempts_per_address_over_many_accounts(client, login_limits):
    codes = [attempt(client, "/cuenta/entrar/", f"u{n}", "198.51.100.7") for n in range(6)]
    assert codes == [200] * 5 + [429]
    assert attempt(client, "/cuenta/entrar/", "u9", "198.51.100.8") == 200


def test_account_sign_up_is_limited_per_email(client, login_limits, settings, reference):
    settings.COCREA_RATE_LIMITS = {"register-email": "2/10m"}
    data = {"email": "ana@example.org", "display_name": "Ana", "kind": "persona"}
    codes = [client.post("/cuenta/registro/", data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other = client.post("/cuenta/registro/", {**data, "email": "beto@example.org"})
    assert other.status_code == 200
