"""Operational pages: the answer to a request over a rate limit."""

from django.shortcuts import render


def too_many(request, exception=None):
    return render(request, "operations/too_many.html", status=429)
