"""Repository-wide pytest hooks (tests/conftest.py holds the shared fixtures).

Every test that drives Chromium through the `page` fixture fails when the browser reports
a Content Security Policy violation: an inline script, style or handler that the policy
blocks is a broken page for visitors even if the test's assertions pass.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fail_on_csp_violation(request):
    """Yields the list of violations seen (a test may inspect and clear it)."""
    if "page" not in request.fixturenames:
        yield []
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def listen(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.type}: {message.text} ({page.url})")

    page.context.on("console", listen)
    yield violations
    assert not violations, "CSP violations:\n" + "\n".join(violations)
