"""Background work of events: the certificates of a large event, built by `cocrea worker`.

The PDF is stored at a name the staff page knows in advance (`certificates_path`), so the
page can poll for it with htmx whatever task backend runs it.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task

from . import selectors
from .certificates import certificates_pdf
from .models import Event


def certificates_path(event_id: int, token: str) -> str:
    return f"constancias/{event_id}-{token}.pdf"


@task()
def build_certificates(event_id: int, token: str) -> dict:
    event = Event.objects.get(pk=event_id)
    people = list(selectors.attendees(event))
    path = certificates_path(event_id, token)
    # Written whole, then published under its final name: the page never sees half a file.
    partial = default_storage.save(f"{path}.partial", ContentFile(certificates_pdf(people)))
    with default_storage.open(partial, "rb") as handle:
        default_storage.save(path, handle)
    default_storage.delete(partial)
    return {"file": path, "pages": len(people)}
