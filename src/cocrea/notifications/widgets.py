"""The follow button other pages show through `{% widget "follow" kind=... target=... %}`."""

from __future__ import annotations

from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from .models import Follow, TargetKind


def follow_button(context, kind: str = "", target="", **kwargs) -> str:
    """One query: how many follow the target, and whether the person is one of them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    identifier = str(target)
    if kind not in TargetKind.values or not identifier:
        return ""
    signed_in = bool(user is not None and user.is_authenticated)
    counts = Follow.objects.filter(kind=kind, target=identifier).aggregate(
        n=Count("id"), mine=Count("id", filter=Q(user_id=user.pk if signed_in else None))
    )
    return render_to_string(
        "notifications/_follow_button.html",
        {
            "kind": kind,
            "target": identifier,
            "following": signed_in and counts["mine"] > 0,
            "count": counts["n"],
            "user": user,
            "request": request,
            # Rendered without the request's context processors (no extra queries).
            "csrf_token": get_token(request) if request is not None else "",
        },
    )
