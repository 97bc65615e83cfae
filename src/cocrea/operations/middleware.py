"""Log-in attempts throttled per account name and per client address."""

from __future__ import annotations

from django.urls import Resolver404, resolve

from . import ratelimit, views

# The views that take a password (the public log-in and the back office's).
LOGIN_VIEWS = {"admin:login", "accounts:login"}


class LoginRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and self._is_login(request):
            account = request.POST.get("username", "").strip().lower()
            hits = [
                ("login-ip", ratelimit.client_ip(request)),
                ("login-account", account),
            ]
            if ratelimit.any_over_limit(request, hits):
                return views.too_many(request)
        return self.get_response(request)

    @staticmethod
    def _is_login(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in LOGIN_VIEWS
