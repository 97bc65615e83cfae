"""The CSP guard (conftest.py at the repository root) sees what Chromium blocks."""

import pytest

pytestmark = pytest.mark.browser

PAGE = (
    b"<!doctype html><title>x</title><script>document.title = 'ran'</script><p style='color:red'>x"
)


def test_a_blocked_inline_script_is_caught(page, _fail_on_csp_violation):
    def fulfil(route):
        route.fulfill(
            status=200,
            body=PAGE,
            headers={
                "Content-Type": "text/html",
                "Content-Security-Policy": "script-src 'self'; style-src 'self'",
            },
        )

    page.route("http://csp.test/", fulfil)
    page.goto("http://csp.test/")
    assert page.title() == "x"  # the inline script did not run
    page.wait_for_function("true")
    assert any("script" in v for v in _fail_on_csp_violation)
    assert any("style" in v for v in _fail_on_csp_violation)
    _fail_on_csp_violation.clear()  # seen: let this test pass
