import pytest
from django.core.exceptions import PermissionDenied

from cocrea.accounts.permissions import can
from cocrea.core.models import AuditEntry
from cocrea.participants.models import Organization
from cocrea.participants.services import delete_organization, import_participants, save_organization

# role -> (may change Morelos data, may change Jalisco data)
MATRIX = {
    "coordinator": (True, True),
    "member": (True, False),
    "other_member": (False, True),
    "evaluator": (False, False),
    "citizen": (False, False),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_change_organization_matrix(users, reference, role):
    user = users[role]
    morelos = Organization.objects.create(entity=reference["17"], name="A", type="otro")
    jalisco = Organization.objects.create(entity=reference["14"], name="B", type="otro")
    for org, allowed in zip([morelos, jalisco], MATRIX[role], strict=True):
        assert can(user, "participants.change_organization", org) is allowed
        org.name = org.name + " (cambiado)"
        if allowed:
            save_organization(org, actor=user)
            entry = AuditEntry.objects.filter(object_id=str(org.pk)).latest("id")
            assert entry.actor == user and entry.before["name"] != entry.after["name"]
        else:
            with pytest.raises(PermissionDenied):
                save_organization(org, actor=user)
            with pytest.raises(PermissionDenied):
                delete_organization(org, actor=user)


def test_anonymous_may_not_import(reference):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        import_participants("unused.csv", actor=AnonymousUser())


def test_back_office_lists_only_own_entity_for_members(users, reference, client):
    Organization.objects.create(entity=reference["17"], name="Red de Morelos", type="otro")
    Organization.objects.create(entity=reference["14"], name="Red de Jalisco", type="otro")
    client.force_login(users["member"])
    html = client.get("/admin/participants/organization/").content.decode()
    assert "Red de Morelos" in html and "Red de Jalisco" not in html
    other = Organization.objects.get(name="Red de Jalisco")
    response = client.get(f"/admin/participants/organization/{other.pk}/change/")
    assert response.status_code in (302, 403, 404)
    client.force_login(users["coordinator"])
    html = client.get("/admin/participants/organization/").content.decode()
    assert "Red de Morelos" in html and "Red de Jalisco" in html


def test_back_office_upload_is_all_or_nothing(users, reference, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["coordinator"])
    before = Organization.objects.count()
    bad = SimpleUploadedFile(
        "p.csv", b"entidad,organizacion,tipo,poder\nMorelos,Red A,sociedad_civil,\nX,Red B,otro,\n"
    )
    html = client.post("/admin/participants/organization/importar/", {"file": bad}).content.decode()
    assert "línea 3" in html and Organization.objects.count() == before
    good = SimpleUploadedFile("p.csv", b"entidad,organizacion,tipo,poder\nMorelos,Red A,osc,\n")
    response = client.post("/admin/participants/organization/importar/", {"file": good})
    assert response.status_code == 302 and Organization.objects.count() == before + 1


def test_citizens_have_no_back_office(users, client):
    client.force_login(users["citizen"])
    assert client.get("/admin/participants/organization/").status_code == 302


def test_passwords_are_hashed_with_argon2(users):
    assert users["citizen"].password.startswith("argon2")


def test_back_office_sections_by_role(users, reference, client):
    client.force_login(users["coordinator"])
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/territory/entity/").status_code == 200
    assert "Morelos" in client.get("/admin/territory/entity/").content.decode()

    client.force_login(users["member"])
    assert client.get("/admin/accounts/user/").status_code == 403
    html = client.get("/admin/territory/entity/").content.decode()
    assert "Morelos" in html and "Jalisco" not in html
    # A member sees but cannot change the reference data.
    morelos = reference["17"]
    page = client.get(f"/admin/territory/entity/{morelos.pk}/change/").content.decode()
    assert 'name="_save"' not in page

    client.force_login(users["evaluator"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403
