"""Every log-in link goes to the public log-in and comes back to the page it left."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plans"))

from plans_helpers import make_commitment, make_plan  # noqa: E402

pytestmark = pytest.mark.django_db


def test_a_citizen_who_follows_logs_in_publicly_and_returns(client, users, reference, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    citizen = users["citizen"]
    citizen.set_password("contrasena-de-prueba-1")
    citizen.save()
    commitment = make_commitment(make_plan(reference["17"]))
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f"/cuenta/entrar/?next={commitment.get_absolute_url()}" in page.replace("%2F", "/")
    assert "/admin/login/" not in page
    follow_url = f"/avisos/seguir/compromiso/{commitment.pk}/"
    response = client.post(follow_url, {"next": commitment.get_absolute_url()})
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/")
    login = client.post(
        response["Location"],
        {"username": citizen.username, "password": "contrasena-de-prueba-1"},
    )
    assert login.status_code == 302 and login["Location"] == follow_url
