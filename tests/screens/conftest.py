"""The demo site served to Chromium once per module, with one page of every public view.

The pages are found by following the public site's links from the national board (as a
visitor, with Django's test client) and keeping the first address of each view, so a new
public view is checked without being listed here.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest

HREF = re.compile(r'href="([^"#]*)"')
SKIP_PREFIXES = ("/admin", "/static", "/media", "/i18n", "/en/", "/api/")
MAX_VISITS = 600


def _representative_pages(client) -> dict[str, str]:
    """view name → the first address of that view met while crawling (HTML pages only)."""
    from django.urls import Resolver404, resolve

    pages: dict[str, str] = {}
    seen: set[str] = set()
    queue = deque(["/", "/datos/"])
    while queue and len(seen) < MAX_VISITS:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            view = resolve(urlparse(url).path).view_name
        except Resolver404:
            continue
        if view in pages:
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages[view] = url
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href)[0].replace("&amp;", "&")
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/"):
                continue
            if href.startswith(SKIP_PREFIXES) or href in seen:
                continue
            queue.append(href)
    return pages


def _pages_out_of_links() -> dict[str, str]:
    """Pages reached by a form or a deeper link than the crawl follows."""
    from cocrea.plans.models import ActionPlan

    plan = ActionPlan.objects.filter(municipality__isnull=False).select_related(
        "entity", "municipality"
    )[0]
    entity, municipality = plan.entity.slug, plan.municipality.slug
    return {
        "search:results": "/buscar/?q=agua",
        "money:search": "/sigue-el-dinero/buscar/?q=servicios",
        "web:municipality": f"/entidades/{entity}/municipios/{municipality}/",
        "plans:municipality": f"/seguimiento/{entity}/municipios/{municipality}/",
    }


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """(base URL, {view name: path}) of the demo data served by a live server thread."""
    from django.core.management import call_command
    from django.test import Client, override_settings
    from pytest_django.live_server_helper import LiveServer

    from cocrea.core.demo import load_demo_data
    from cocrea.territory.services import load_reference

    money_dir = override_settings(COCREA_MONEY_DIR=tmp_path_factory.mktemp("money"))
    money_dir.enable()
    with django_db_blocker.unblock():
        load_reference()
        load_demo_data(log=lambda *_: None)
        pages = _representative_pages(Client())
        pages.update(_pages_out_of_links())
        server = LiveServer("localhost")
        try:
            yield server.url, pages
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
    money_dir.disable()


@pytest.fixture(scope="module")
def chromium_context(chromium):
    """One browser context per module (Spanish, Mexico City), reused by its tests."""
    context = chromium.new_context(locale="es-MX", timezone_id="America/Mexico_City")
    context.set_default_timeout(15_000)
    yield context
    context.close()
