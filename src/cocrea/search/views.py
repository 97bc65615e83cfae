from django.shortcuts import render

from cocrea.core.registry import SEARCH_SOURCES

from . import engine


def results(request):
    q = request.GET.get("q", "")
    kind = request.GET.get("tipo") or None
    if kind not in SEARCH_SOURCES:
        kind = None
    groups = engine.search(q, per_kind=50 if kind else 5, kind=kind)
    return render(
        request,
        "search/results.html",
        {
            "q": " ".join(q.split())[: engine.MAX_QUERY],
            "groups": groups,
            "kind": kind,
            "too_short": 0 < len(q.strip()) < engine.MIN_LENGTH,
            "kinds": [(s.kind, s.label) for s in SEARCH_SOURCES.values()],
        },
    )
