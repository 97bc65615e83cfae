"""Printing a plan and a commitment in Chromium: the print styles keep the content and drop
the header, the menus, the forms and the buttons; links to evidence show their address."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("view", ["plans:plan", "plans:commitment"])
def test_plan_and_commitment_print_cleanly(demo_server, chromium_context, view):
    base, pages = demo_server
    page = chromium_context.new_page()
    page.goto(base + pages[view])
    assert page.locator(".site-header").is_visible()
    assert page.locator(".document-actions").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator(".document-actions").is_visible()
    assert page.locator("main form:visible, main button:visible").count() == 0
    assert page.locator("main h1").is_visible()
    external = page.locator('main a[href^="http"]')
    if external.count():
        after = external.first.evaluate("a => getComputedStyle(a, '::after').content")
        assert "http" in after
    assert page.pdf(format="Letter")[:5] == b"%PDF-"
    page.close()
