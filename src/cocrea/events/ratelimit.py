"""A fixed-window rate limit per client address, kept in Django's cache."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

# (requests, seconds) per address for registration attempts (web form and API).
DEFAULT_REGISTRATION_LIMIT = (10, 600)


def registration_limit() -> tuple[int, int]:
    return getattr(settings, "COCREA_EVENTS_REGISTRATION_LIMIT", DEFAULT_REGISTRATION_LIMIT)


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, scope: str, limit: tuple[int, int] | None = None) -> bool:
    """Count this request; False once the address exceeded the limit in the window."""
    count, window = limit or registration_limit()
    key = f"cocrea:events:rl:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        used = 1
    return used <= count
