"""Phones (390 × 844 in Chromium): every public view found by the crawl has no horizontal
scroll, a header under a fifth of the first screen that folds into a menu, and its heading
(what the page is about, and its main action below it) within the first screen."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTH, HEIGHT = 390, 844

MEASURE = """() => {
  const root = document.documentElement;
  const bar = document.querySelector('.site-header');
  const header = bar ? bar.getBoundingClientRect() : {height: null};
  // A standalone document (the printable evaluation report) has no site header.
  const heading = document.querySelector('main h1') || document.querySelector('h1');
  const box = heading ? heading.getBoundingClientRect() : null;
  const wide = [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1
                 && getComputedStyle(e).position !== 'absolute'
                 && !e.closest('.card, .table, pre'))
    .slice(0, 3).map(e => e.tagName + '.' + e.className);
  return {scroll: root.scrollWidth, client: root.clientWidth, header: header.height,
          standalone: !bar && !document.querySelector('main'),
          heading: box && box.bottom, wide};
}"""


@pytest.fixture(scope="module")
def phone(chromium):
    context = chromium.new_context(
        locale="es-MX", timezone_id="America/Mexico_City",
        viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True,
    )  # fmt: skip
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_every_page_fits_a_phone(demo_server, phone):
    base, pages = demo_server
    page = phone.new_page()
    problems = []
    for path in sorted(pages.values()):
        assert page.goto(base + path).status == 200, path
        m = page.evaluate(MEASURE)
        if m["scroll"] > m["client"]:
            problems.append(f"{path}: scrolls sideways ({m['scroll']} > {m['client']}) {m['wide']}")
        if not m["standalone"] and (m["header"] is None or m["header"] >= HEIGHT / 5):
            problems.append(f"{path}: header {m['header']} px")
        if m["heading"] is None or m["heading"] > HEIGHT:
            problems.append(f"{path}: heading not in the first screen ({m['heading']})")
    page.close()
    assert len(pages) >= 35
    assert problems == [], "\n".join(problems)


def test_the_header_folds_into_a_menu(demo_server, phone):
    base, _pages = demo_server
    page = phone.new_page()
    page.goto(base + "/")
    toggle = page.get_by_role("button", name="Menú")
    search = page.locator("#site-search-q")
    assert toggle.is_visible() and not search.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert search.is_visible() and page.get_by_role("link", name="Entrar").is_visible()
    search.fill("agua")
    search.press("Enter")
    page.wait_for_url("**/buscar/?q=agua")
    page.close()


def test_wide_screens_show_the_whole_header(demo_server, chromium_context):
    base, _pages = demo_server
    page = chromium_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + "/")
    assert not page.get_by_role("button", name="Menú").is_visible()
    assert page.locator("#site-search-q").is_visible()
    page.close()
