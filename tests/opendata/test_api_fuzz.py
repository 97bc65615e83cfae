"""Schemathesis over the served OpenAPI (/api/v1/openapi.json): every GET endpoint with
generated parameters (a bounded number of examples each, derandomized so CI repeats it).
No server error, every 2xx body conforms to its documented schema and content type, and
every 4xx carries a JSON body that says what was wrong."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

checks.load_all_checks()

MAX_EXAMPLES = 12


def _schema():
    """The OpenAPI document as the site serves it (reading it needs no database)."""
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).include(method="GET")


schema = _schema()


@pytest.fixture
def _keep_connection():
    """Requests go through the WSGI application, whose request signals would close the
    test's database connection: detach them, as Django's own test client does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _says_what_was_wrong(response) -> str | None:
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} without a JSON body: {response.text[:200]!r}"
    detail = body.get("detail") if isinstance(body, dict) else None
    if not detail:
        return f"{response.status_code} JSON without `detail`: {body!r}"[:300]
    return None


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_get_endpoints(case, demo_site, _keep_connection):
    response = case.call_and_validate(
        checks=[
            checks.not_a_server_error,
            checks.response_schema_conformance,
            checks.content_type_conformance,
        ]
    )
    # Only GET is published; the 405 of other methods (Django's plain answer) is not ours.
    problem = _says_what_was_wrong(response) if case.method == "GET" else None
    assert problem is None, f"{case.method} {case.formatted_path} {case.query}: {problem}"


def test_component_names_do_not_collide():
    """Two apps' schemas with one class name would share one OpenAPI component (the
    co-creation processes were documented with Sigue el Dinero's process schema)."""
    import re
    from pathlib import Path

    import cocrea

    names: dict[str, str] = {}
    for api in sorted(Path(cocrea.__file__).parent.glob("*/api.py")):
        for name in re.findall(r"^class (\w+)\((?:Schema|FilterSchema)", api.read_text(), re.M):
            assert name not in names, f"{name} in {api.parent.name} and {names[name]}"
            names[name] = api.parent.name
