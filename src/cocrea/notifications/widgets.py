"""The follow button other pages show through `{% widget "follow" kind=... target=... %}`."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Follow, TargetKind
from .selectors import follower_count


def follow_button(context, kind: str = "", target="", **kwargs) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    identifier = str(target)
    if kind not in TargetKind.values or not identifier:
        return ""
    following = bool(
        user is not None
        and user.is_authenticated
        and Follow.objects.filter(user=user, kind=kind, target=identifier).exists()
    )
    return render_to_string(
        "notifications/_follow_button.html",
        {
            "kind": kind,
            "target": identifier,
            "following": following,
            "count": follower_count(kind, identifier),
            "user": user,
            "request": request,
        },  # fmt: skip
        request=request,
    )
