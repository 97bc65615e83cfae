"""Rate limits of event registration (web form and API), over django-ratelimit.

Each attempt counts against the client address (wide: an office behind one address
registers many people), the e-mail being registered and, when signed in, the account
(both narrow). `COCREA_EVENTS_REGISTRATION_LIMIT = (count, seconds)`, if set, overrides the
address limit; the others come from `COCREA_RATE_LIMITS` (see cocrea.operations.ratelimit).
"""

from __future__ import annotations

from django.conf import settings

from cocrea.operations import ratelimit


def registration_limited(request, email: str) -> bool:
    rates = {}
    legacy = getattr(settings, "COCREA_EVENTS_REGISTRATION_LIMIT", None)
    if legacy:
        rates["register-ip"] = f"{legacy[0]}/{legacy[1]}s"
    hits = [
        ("register-ip", ratelimit.client_ip(request)),
        ("register-email", email.strip().lower()),
    ]
    if request.user.is_authenticated:
        hits.append(("register-account", str(request.user.pk)))
    return ratelimit.any_over_limit(request, hits, rates)
