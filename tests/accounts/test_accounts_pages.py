"""A citizen's own account, in accounts/: sign-up, verification, privacy notice, log-in that
returns to the page one came from, password reset, the download and the deletion."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from participation_helpers import make_citizen

from cocrea.accounts import citizens
from cocrea.accounts.models import CitizenProfile
from cocrea.core.models import AuditEntry
from cocrea.participation import services as participation
from cocrea.participation.models import Comment

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_signup_verification_and_privacy(client, reference, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cuenta/registro/",
            {
                "email": "Nueva@Example.org",
                "display_name": "Colectivo Agua",
                "kind": "organizacion",
                "password": "una-clave-larga-2026",
                "accept_privacy": "on",
            },
            follow=True,
        )
    assert response.status_code == 200
    profile = CitizenProfile.objects.get(user__email="nueva@example.org")
    assert profile.privacy_accepted_at and profile.email_verified_at is None
    assert profile.kind == "organizacion"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/cuenta/verificar/" in line)
    path = link[link.index("/cuenta/verificar/") :]
    client.get(path, follow=True)
    profile.refresh_from_db()
    assert profile.email_verified_at is not None
    bad = client.get("/cuenta/verificar/no-valido/", follow=True)
    assert any("no es válido" in m for m in _messages(bad))


def test_signup_requires_privacy_acceptance(client, db):
    response = client.post(
        "/cuenta/registro/",
        {
            "email": "x@example.org",
            "display_name": "X",
            "kind": "persona",
            "password": "una-clave-larga-2026",
        },
    )
    assert response.status_code == 200
    assert "accept_privacy" in response.context["form"].errors


def test_my_data_and_delete_account_pages(client, proposal, ana):
    client.force_login(ana)
    data = json.loads(client.get("/cuenta/mis-datos.json").content)
    assert data["participation"]["proposals"][0]["title"] == proposal.title
    client.post("/cuenta/eliminar/", {"confirm": "eliminar"})
    assert not type(ana).objects.filter(pk=ana.pk).exists()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Cuenta eliminada" in page


def test_account_export_and_deletion(proposal, beto):
    participation.support_proposal(proposal, actor=beto)
    comment = participation.add_comment(proposal, actor=beto, body="Hola")
    data = citizens.export_account_data(beto, actor=beto)
    assert data["account"]["email"] == "beto@example.org"
    assert data["participation"]["supports"][0]["proposal_id"] == proposal.pk
    assert data["participation"]["comments"][0]["body"] == "Hola"
    with pytest.raises(PermissionDenied):
        citizens.export_account_data(beto, actor=make_citizen("otra"))
    citizens.delete_account(beto, actor=beto)
    proposal.refresh_from_db()
    assert proposal.support_count == 0
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.author is None
    assert AuditEntry.objects.filter(action="participation.account.delete").exists()


def test_log_in_links_go_to_the_public_log_in_and_back(client, proposal, ana):
    from participation_helpers import PASSWORD

    page = proposal.get_absolute_url()
    html = client.get(page).content.decode()
    assert f'href="/cuenta/entrar/?next={page}"' in html  # the header
    # A page that needs an account sends the visitor to the public log-in, not the admin's.
    response = client.get("/mi-espacio/")
    assert response["Location"] == "/cuenta/entrar/?next=/mi-espacio/"
    response = client.post(
        "/cuenta/entrar/?next=" + page, {"username": ana.username, "password": PASSWORD,
                                          "next": page}
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == page
    # Elsewhere (an outside address) is not followed.
    client.logout()
    response = client.post(
        "/cuenta/entrar/", {"username": ana.username, "password": PASSWORD,
                            "next": "https://example.com/"}
    )  # fmt: skip
    assert response["Location"] == "/mi-espacio/"


def test_password_reset_with_django_views(client, ana, django_capture_on_commit_callbacks):
    assert "¿Olvidó su contraseña?" in client.get("/cuenta/entrar/").content.decode()
    response = client.post("/cuenta/contrasena/", {"email": ana.email})
    assert response["Location"] == "/cuenta/contrasena/enviada/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ana.email]
    assert mail.outbox[0].subject == "Contraseña nueva en Cocrea"
    link = re.search(r"https?://[^/]+(/cuenta/contrasena/[^/]+/[^/]+/)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and "Guardar la contraseña" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "otra-clave-larga-2027", "new_password2": "otra-clave-larga-2027"},
    )
    assert done["Location"] == "/cuenta/contrasena/lista/"
    ana.refresh_from_db()
    assert ana.check_password("otra-clave-larga-2027")
    # An unknown address says the same and sends nothing (no account is disclosed).
    client.post("/cuenta/contrasena/", {"email": "nadie@example.org"})
    assert len(mail.outbox) == 1
