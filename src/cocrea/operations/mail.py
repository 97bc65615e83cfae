"""Outgoing mail through the task queue.

`EMAIL_BACKEND = "cocrea.operations.mail.TaskEmailBackend"` turns every `send_mail`,
`send_mass_mail` and `EmailMessage.send()` of the project into a `deliver_email` task; the
worker hands it to the real backend, `COCREA_EMAIL_DELIVERY_BACKEND` (SMTP, console, …).
An action that was saved therefore never fails because the mail server does: the task fails
(and can be seen in the admin) instead of the request.
"""

from __future__ import annotations

import base64
import logging
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

logger = logging.getLogger(__name__)


def _delivery_backend() -> str:
    return getattr(
        settings, "COCREA_EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )


def serialize(message: EmailMessage) -> dict:
    """A JSON-safe copy of a message: what `deliver_email` needs to rebuild it."""
    attachments = []
    for item in message.attachments:
        if isinstance(item, MIMEBase):
            attachments.append({"mime": base64.b64encode(item.as_bytes()).decode("ascii")})
            continue
        filename, content, mimetype = item
        if isinstance(content, str):
            content = content.encode("utf-8")
        attachments.append(
            {
                "filename": filename,
                "content": base64.b64encode(content).decode("ascii"),
                "mimetype": mimetype,
            }
        )
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def rebuild(data: dict) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for item in data["attachments"]:
        if "mime" in item:
            from email import message_from_bytes

            message.attach(message_from_bytes(base64.b64decode(item["mime"])))
            continue
        content = base64.b64decode(item["content"])
        mimetype = item["mimetype"] or ""
        if mimetype.startswith("text/"):
            content = content.decode("utf-8")
        message.attach(item["filename"], content, mimetype)
    return message


@task()
def deliver_email(data: dict) -> int:
    """Send one message with the real backend; a failure fails the task (not the action)."""
    connection = get_connection(_delivery_backend(), fail_silently=False)
    return connection.send_messages([rebuild(data)]) or 0


class TaskEmailBackend(BaseEmailBackend):
    """Enqueue each message as a `deliver_email` task instead of sending it."""

    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                deliver_email.enqueue(serialize(message))
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("Could not enqueue an e-mail to %s", message.recipients())
                continue
            count += 1
        return count
