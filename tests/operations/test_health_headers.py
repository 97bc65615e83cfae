"""`/health/` for load balancers, security headers with a CSP, and `check --deploy`."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from ops_helpers import ROOT

from cocrea.plans import jobs


@pytest.fixture
def health_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_health_is_json_and_names_every_check(client, db, health_settings):
    response = client.get("/health/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body.values()) == {"OK"}
    names = " ".join(body)
    for check in ("Database", "SharedCache", "Storage", "DiskSpace", "MoneyStore", "TaskQueue"):
        assert check in names


@pytest.mark.django_db(transaction=True)
def test_health_fails_when_tasks_wait_with_no_worker(client, health_settings):
    """The checks run in threads (their own connections): the task must be committed."""
    result = jobs.run_bulk_job.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    response = client.get("/health/")
    assert response.status_code == 500
    assert any("worker" in v for v in response.json().values())


def test_pages_send_a_content_security_policy(client, reference):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|<style|\sstyle=\"|\son[a-z]+=\""
)


def test_templates_have_no_inline_scripts_styles_or_handlers():
    """Every page template (e-mails aside) keeps to the policy; the browser tests check it live."""
    offenders = []
    for path in (ROOT / "src" / "cocrea").rglob("*.html"):
        if "/email/" in str(path):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "cocrea.example.org",
        "COCREA_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "cocrea.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
