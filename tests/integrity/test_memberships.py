"""Memberships instead of one role: several seats, national roles, leaving keeps history."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from plans_helpers import EVIDENCE, make_commitment, make_milestone, make_plan

from cocrea.accounts import selectors
from cocrea.accounts.models import Membership, Role, Side, User
from cocrea.accounts.permissions import can
from cocrea.accounts.services import end_membership, grant
from cocrea.participants.models import Organization, OrganizationType
from cocrea.plans import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(reference, users):
    """One organisation's person who sits in the secretariats of Morelos and Jalisco."""
    person = User.objects.create_user(username="red-doble", password="x", is_staff=True)
    seats = {}
    for code, side in (("17", Side.CIVIL_SOCIETY), ("14", Side.GOVERNMENT)):
        org = Organization.objects.create(
            entity=reference[code], name=f"Red por la Transparencia {code}",
            type=OrganizationType.CIVIL_SOCIETY,
        )  # fmt: skip
        seats[code] = grant(
            person, Role.SECRETARIAT_MEMBER, actor=users["coordinator"],
            entity=reference[code], organization=org, side=side,
        )  # fmt: skip
    return person, seats


def test_a_person_with_seats_in_two_secretariats(network, reference):
    person, seats = network
    morelos = make_plan(reference["17"])
    jalisco = make_plan(reference["14"])
    guerrero = make_plan(reference["12"])
    assert can(person, "plans.change_actionplan", morelos)
    assert can(person, "plans.change_actionplan", jalisco)
    assert not can(person, "plans.change_actionplan", guerrero)
    # Each seat has its own side: civil society in Morelos, government in Jalisco.
    m17 = make_milestone(make_commitment(morelos), side=Side.GOVERNMENT)
    m14 = make_milestone(make_commitment(jalisco), side=Side.GOVERNMENT)
    assert not can(person, "plans.report_progress", m17)
    assert can(person, "plans.report_progress", m14)
    report = services.submit_report(m14, actor=person, text="x", progress=10, links=EVIDENCE)
    assert report.side == Side.GOVERNMENT
    assert "Red por la Transparencia 14" in report.reporter_label


def test_leaving_a_secretariat_keeps_past_reports_attributed(network, reference, users):
    person, seats = network
    m = make_milestone(make_commitment(make_plan(reference["14"])), side=Side.GOVERNMENT)
    report = services.submit_report(m, actor=person, text="x", progress=10, links=EVIDENCE)
    end_membership(seats["14"], actor=users["coordinator"])
    person = User.objects.get(pk=person.pk)
    assert not can(person, "plans.report_progress", m)
    assert can(person, "plans.change_actionplan", make_plan(reference["17"]))
    report.refresh_from_db()
    assert report.reported_by == person and "Red por la Transparencia 14" in report.reporter_label
    ended = Membership.objects.get(pk=seats["14"].pk)
    assert ended.ended_on is not None and not ended.active
    # Joining again is a new membership; the ended one stays as history.
    grant(person, Role.SECRETARIAT_MEMBER, actor=users["coordinator"], entity=reference["14"],
          side=Side.GOVERNMENT)  # fmt: skip
    assert person.memberships.filter(entity=reference["14"]).count() == 2


def test_national_roles_and_an_evaluator_of_several_entities(users, reference):
    evaluator = users["evaluator"]
    assert selectors.has_role(evaluator, Role.EVALUATOR)
    for code in ("17", "14", "12"):
        plan = make_plan(reference[code])
        assert can(evaluator, "plans.view_actionplan", plan)
        assert not can(evaluator, "plans.change_actionplan", plan)
    # Coordination and evaluation may be held together.
    grant(evaluator, Role.NATIONAL_COORDINATOR, actor=users["coordinator"])
    selectors.forget(evaluator)
    assert can(evaluator, "plans.change_actionplan", make_plan(reference["09"]))


def test_only_coordination_grants_and_the_rules_of_a_membership(users, reference):
    with pytest.raises(PermissionDenied):
        grant(users["citizen"], Role.NATIONAL_COORDINATOR, actor=users["member"])
    with pytest.raises(ValidationError) as exc:
        grant(users["citizen"], Role.SECRETARIAT_MEMBER, actor=users["coordinator"],
              entity=reference["17"])  # fmt: skip
    assert "side" in exc.value.message_dict
    with pytest.raises(ValidationError):
        grant(users["citizen"], Role.EVALUATOR, actor=users["coordinator"], entity=reference["17"])
    with pytest.raises(ValidationError):  # a second active seat in the same secretariat
        grant(users["member"], Role.SECRETARIAT_MEMBER, actor=users["coordinator"],
              entity=reference["17"], side=Side.CIVIL_SOCIETY)  # fmt: skip


def test_back_office_lists_a_persons_memberships(client, network, users):
    person, _seats = network
    client.force_login(users["coordinator"])
    page = client.get(f"/admin/accounts/user/{person.pk}/change/").content.decode()
    assert "Morelos" in page and "Jalisco" in page and "membres" in page.lower()
    listing = client.get("/admin/accounts/user/").content.decode()
    assert "Sociedad civil" in listing and "Gobierno" in listing
    # A member of both entities sees both in the back office, and no third.
    client.force_login(person)
    html = client.get("/admin/participants/organization/").content.decode()
    assert "Red por la Transparencia 17" in html and "Red por la Transparencia 14" in html


def test_the_account_page_and_data_download_show_memberships(client, network, users):
    person, seats = network
    end_membership(seats["14"], actor=users["coordinator"])
    client.force_login(person)
    page = client.get("/cuenta/").content.decode()
    section = page[page.index('id="membresias"') :]
    assert "Red por la Transparencia 17" in section and "Red por la Transparencia 14" in section
    assert "vigente" in section
    data = json.loads(client.get("/cuenta/mis-datos.json").content)
    assert {(m["entity"], m["ended_on"] is None) for m in data["memberships"]} == {
        ("17", True),
        ("14", False),
    }
