"""Registration limits: per address (wide), per e-mail and per account (narrow), behind proxies.

Behind one trusted proxy the client is the last address of X-Forwarded-For; what a client
writes into the header itself is ignored, so it cannot escape its own limit.
"""

from __future__ import annotations

import json

import pytest

URL = "/api/v1/events/{}/registrations"


def post(client, slug, n, **extra):
    payload = {
        "name": f"Persona {n}",
        "email": f"p{n}@example.org",
        "organization": "Observatorio",
        "sector": "academia",
        "entity_code": "17",
        "accept_privacy_notice": True,
    }
    return client.post(
        URL.format(slug), data=json.dumps(payload), content_type="application/json", **extra
    )


@pytest.fixture
def limits(settings):
    settings.COCREA_RATE_LIMITS = {"register-ip": "4/10m", "register-email": "2/10m"}


def test_one_office_behind_one_address_is_not_locked_out_by_one_person(client, open_event, limits):
    # The same e-mail retried is stopped at its own limit ...
    codes = [post(client, open_event.slug, 1).status_code for _ in range(3)]
    assert codes == [201, 409, 429]
    # ... while colleagues from the same address go on registering.
    assert post(client, open_event.slug, 2).status_code == 201


def test_without_trusted_proxies_the_header_is_ignored(client, open_event, limits):
    codes = [
        post(client, open_event.slug, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(5)
    ]
    assert codes == [201, 201, 201, 201, 429]


def test_behind_one_proxy_each_client_has_its_own_limit(client, open_event, limits, settings):
    settings.COCREA_TRUSTED_PROXIES = 1
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    first = [
        post(client, open_event.slug, n, HTTP_X_FORWARDED_FOR="203.0.113.5", **nginx).status_code
        for n in range(5)
    ]
    assert first == [201, 201, 201, 201, 429]
    other = post(client, open_event.slug, 9, HTTP_X_FORWARDED_FOR="203.0.113.6", **nginx)
    assert other.status_code == 201


def test_a_spoofed_header_does_not_escape_the_limit(client, open_event, limits, settings):
    settings.COCREA_TRUSTED_PROXIES = 1
    codes = [
        post(
            client,
            open_event.slug,
            n,
            REMOTE_ADDR="127.0.0.1",
            # The client wrote a new address on each try; the proxy appended the real one.
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.5",
        ).status_code
        for n in range(5)
    ]
    assert codes == [201, 201, 201, 201, 429]


def test_the_web_form_counts_per_email_too(client, open_event, limits):
    url = f"/eventos/{open_event.slug}/registro/"
    data = {"name": "Ana", "email": "ana@example.org", "organization": "x"}
    codes = [client.post(url, data).status_code for _ in range(3)]
    assert codes[-1] == 429
