"""Thin views: follow/unfollow (htmx), the centre, follows, preferences, unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import selectors, services, widgets
from .models import EmailMode, TargetKind
from .types import TYPES


def _login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@require_POST
def toggle_follow(request, kind, target):
    if kind not in TargetKind.values:
        raise Http404
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            return HttpResponse(status=401)
        return _login(request)
    try:
        if request.POST.get("seguir") == "0":
            services.unfollow(request.user, kind, target, actor=request.user)
        else:
            services.follow(request.user, kind, target, actor=request.user)
    except ValidationError as error:
        raise Http404(error.messages[0]) from error
    if request.headers.get("HX-Request"):
        return HttpResponse(widgets.follow_button({"request": request}, kind=kind, target=target))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("notifications:following")


def centre(request):
    if response := _login(request):
        return response
    return render(
        request,
        "notifications/centre.html",
        {"notes": selectors.recent(request.user), "unread": selectors.unread_count(request.user)},
    )


@require_POST
def mark_all_read(request):
    if response := _login(request):
        return response
    services.mark_read(request.user, actor=request.user)
    messages.success(request, _("Todos los avisos quedaron como leídos."))
    return redirect("notifications:centre")


def following(request):
    if response := _login(request):
        return response
    return render(
        request, "notifications/following.html", {"rows": selectors.follows(request.user)}
    )


def preferences(request):
    if response := _login(request):
        return response
    if request.method == "POST":
        chosen = {kind: request.POST.get(kind, "") for kind in TYPES if kind in request.POST}
        try:
            services.set_preferences(request.user, chosen, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Preferencias guardadas."))
        return redirect("notifications:preferences")
    modes = services.modes_for(request.user)
    rows = [(spec, modes[kind]) for kind, spec in TYPES.items()]
    return render(
        request, "notifications/preferences.html", {"rows": rows, "modes": EmailMode.choices}
    )


@csrf_exempt  # the signed token is the credential (RFC 8058 one-click POST from mail clients)
def unsubscribe(request, token):
    parsed = services.read_unsubscribe_token(token)
    if parsed is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    kinds = [TYPES[k].label for k in parsed[1]]
    return render(request, "notifications/unsubscribe.html", {"kinds": kinds, "token": token})
