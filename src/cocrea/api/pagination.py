"""Paging of the JSON lists: ``limit``/``offset`` with ``X-Total-Count`` and ``Link`` headers.

Every list endpoint of the open-data catalogue returns a plain JSON list (a page of rows);
the total and the address of the next page travel in headers, so clients that ignore them
still get a valid list.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

PAGINATION = (
    "Paginado con `limit` (hasta 5000) y `offset`; el total va en la cabecera "
    '`X-Total-Count` y la página siguiente en `Link` (`rel="next"`).'
)


def page_headers(
    request: HttpRequest, response: HttpResponse, total: int, limit: int, offset: int
) -> None:
    """Set ``X-Total-Count`` and, when more rows follow, ``Link: <next page>; rel="next"``."""
    response["X-Total-Count"] = str(total)
    if offset + limit < total:
        params = request.GET.copy()
        params["offset"] = str(offset + limit)
        params["limit"] = str(limit)
        response["Link"] = f'<{request.path}?{params.urlencode()}>; rel="next"'
