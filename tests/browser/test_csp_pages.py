"""Pages outside the capability tests' paths keep the Content Security Policy in Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/docs", "/admin/login/", "/cuenta/registro/", "/cuenta/entrar/"]
)
def test_page_has_no_csp_violation(live_server, page, path):
    from cocrea.territory.services import load_reference

    load_reference()
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
