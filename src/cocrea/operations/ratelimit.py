"""Rate limits (django-ratelimit over the shared cache) and the client's address.

The client address is `REMOTE_ADDR`, unless `COCREA_TRUSTED_PROXIES` (N, default 0) says
that N proxies of ours stand in front: each appends the address it saw to
`X-Forwarded-For`, so the N-th address from the right is the one the outermost of our
proxies saw; anything to its left was written by the client and is ignored. With fewer
entries than N (a request that bypassed the proxies) `REMOTE_ADDR` is used.

`COCREA_RATE_LIMITS` maps a limit's name to a django-ratelimit rate ("5/10m": five per ten
minutes); see `DEFAULT_RATES`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django_ratelimit.core import is_ratelimited

DEFAULT_RATES = {
    # An office behind one address registers many people: the address limit is wide,
    # the limits per e-mail and per account are narrow.
    "register-ip": "60/10m",
    "register-email": "5/10m",
    "register-account": "20/10m",
    # Log-in attempts, per account name and per address.
    "login-account": "10/10m",
    "login-ip": "50/10m",
}


def trusted_proxies() -> int:
    return int(getattr(settings, "COCREA_TRUSTED_PROXIES", 0) or 0)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address, trusting X-Forwarded-For only through our own proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - unix socket
    proxies = trusted_proxies()
    if proxies <= 0:
        return remote
    chain = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(chain) < proxies:
        return remote
    return _valid(chain[-proxies]) or remote


def rate(name: str) -> str:
    configured = getattr(settings, "COCREA_RATE_LIMITS", {}) or {}
    return configured.get(name) or DEFAULT_RATES[name]


def over_limit(request, name: str, value: str, rate_value: str | None = None) -> bool:
    """Count one hit of `value` under limit `name`; True once it is over the limit."""
    return is_ratelimited(
        request,
        group=f"cocrea:{name}",
        key=lambda _group, _request: value,
        rate=rate_value or rate(name),
        increment=True,
    )


def any_over_limit(request, hits: list[tuple[str, str]], rates: dict | None = None) -> bool:
    """Count every (limit name, value) hit — all of them, so each limit sees the attempt."""
    rates = rates or {}
    results = [over_limit(request, name, value, rates.get(name)) for name, value in hits if value]
    return any(results)
