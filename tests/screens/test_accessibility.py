"""axe-core in Chromium: every public view and the main forms have no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _violations(axe, page) -> list[str]:
    results = axe.run(page, options=WCAG_21_AA)
    return [
        f"{rule['id']}: {node['target']} {node.get('failureSummary', '')[:160]!r}"
        for rule in results.response["violations"]
        for node in rule["nodes"][:3]
    ]


def test_public_pages_have_no_wcag_violation(demo_server, chromium_context, axe):
    base, pages = demo_server
    page = chromium_context.new_page()
    found = {}
    for _view, path in sorted(pages.items()):
        response = page.goto(base + path)
        assert response.status == 200, path
        if problems := _violations(axe, page):
            found[path] = problems
    page.close()
    assert len(pages) >= 35
    assert found == {}, "\n".join(f"{path}: {p}" for path, ps in found.items() for p in ps)


def _log_in(context, base: str, username: str) -> None:
    """The browser carries the session of `username` (logged in by Django's test client)."""
    from django.test import Client

    from cocrea.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])


def _form_pages() -> dict[str, tuple[str | None, str]]:
    """The main forms: name → (who fills it in, path)."""
    from cocrea.events.models import Event, EventStatus
    from cocrea.participation.models import Process
    from cocrea.plans.models import Milestone, Side

    process = Process.objects.filter(entity__code="17", municipality__isnull=True).first()
    milestone = (
        Milestone.objects.filter(
            commitment__plan__entity__code="17",
            commitment__plan__municipality__isnull=True,
            responsible_side=Side.GOVERNMENT,
        )
        .order_by("id")
        .first()
    )
    from django.utils import timezone

    now = timezone.now()
    event = Event.objects.filter(
        status=EventStatus.PUBLISHED, registration_opens__lte=now, registration_closes__gt=now
    ).first()
    return {
        "sign-up": (None, "/cuenta/registro/"),
        "log-in": (None, "/cuenta/entrar/"),
        "registration": (None, f"/eventos/{event.slug}/registro/"),
        "proposal": ("ciudadana", f"{process.get_absolute_url()}propuestas/nueva/"),
        "report": ("enlace-morelos", f"/seguimiento/hitos/{milestone.pk}/reportar/"),
        "workspace": ("enlace-morelos", "/mi-espacio/"),
        "account": ("ciudadana", "/cuenta/"),
    }


def test_main_forms_have_no_wcag_violation(demo_server, chromium, axe):
    base, _pages = demo_server
    found = {}
    for name, (username, path) in _form_pages().items():
        context = chromium.new_context(locale="es-MX", timezone_id="America/Mexico_City")
        if username:
            _log_in(context, base, username)
        page = context.new_page()
        response = page.goto(base + path)
        assert response.status == 200, (name, path, response.status)
        assert page.locator("main form").count() >= 1 or name == "workspace", name
        if problems := _violations(axe, page):
            found[name] = problems
        context.close()
    assert found == {}, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)
