"""A failing mail server never turns a saved action into an error page.

Mail is a task: the request only enqueues it. With an SMTP server that refuses connections
(a closed port) the sign-up still succeeds; the delivery task fails in the worker instead.
"""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult
from ops_helpers import run_batch, worker_env

from cocrea.accounts.models import CitizenProfile

SIGNUP = {
    "email": "ana@example.org",
    "display_name": "Ana",
    "kind": "persona",
    "password": "una-clave-larga-2026",
    "accept_privacy": "on",
}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _mail_through_tasks(settings):
    """Django's test set-up swaps EMAIL_BACKEND for locmem; put the production one back."""
    settings.EMAIL_BACKEND = "cocrea.operations.mail.TaskEmailBackend"


@pytest.fixture
def dead_smtp(settings):
    settings.COCREA_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 5
    return settings.EMAIL_PORT


def test_signup_succeeds_when_the_mail_server_is_down_immediate_tasks(
    client, reference, dead_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cuenta/registro/", SIGNUP)
    assert response.status_code == 302 and response.url.endswith("/cuenta/")
    assert CitizenProfile.objects.filter(user__email="ana@example.org").exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_signup_enqueues_the_mail_and_the_worker_records_the_failure(
    client, reference, dead_smtp, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client.post("/cuenta/registro/", SIGNUP)
    assert response.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "cocrea.operations.mail.deliver_email"
    assert task.status == "READY"
    assert task.args_kwargs["args"][0]["to"] == ["ana@example.org"]

    env = worker_env(
        tmp_path / "var",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(dead_smtp),
    )
    done = run_batch(env)
    assert done.returncode == 0, done.stderr
    task.refresh_from_db()
    assert task.status == "FAILED" and "ConnectionRefusedError" in task.exception_class_path
    assert CitizenProfile.objects.filter(user__email="ana@example.org").exists()


def test_messages_keep_their_parts_through_the_queue(db):
    """Subject, body, HTML part and attachments arrive as sent (immediate tasks, locmem)."""
    message = mail.EmailMultiAlternatives("Asunto ñ", "Cuerpo", to=["x@example.org"])
    message.attach_alternative("<p>Cuerpo</p>", "text/html")
    message.attach("qr.png", b"\x89PNG\r\n\x1a\nDATA", "image/png")
    message.attach("nota.txt", "texto", "text/plain")
    assert message.send() == 1
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("Asunto ñ", "Cuerpo", ["x@example.org"])
    assert sent.alternatives[0][:2] == ("<p>Cuerpo</p>", "text/html")
    assert [a[:3] for a in sent.attachments] == [
        ("qr.png", b"\x89PNG\r\n\x1a\nDATA", "image/png"),
        ("nota.txt", "texto", "text/plain"),
    ]
