from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cocrea.core.registry import WORKSPACE_SECTIONS

from . import selectors


@login_required
def workspace(request):
    """*Mi espacio*: what is the person's and what waits for them, by each of their roles."""
    user = request.user
    blocks = [b for section in WORKSPACE_SECTIONS if (b := section.build(user)) is not None]
    return render(
        request,
        "accounts/workspace.html",
        {"blocks": blocks, "memberships": selectors.active_memberships(user)},
    )
