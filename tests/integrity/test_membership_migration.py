"""The data migration carries each user's single role over to memberships."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0001_initial"), ("plans", "0002_milestone_report_counters")]
AFTER = [("accounts", "0004_remove_user_single_role")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_single_roles_become_memberships():
    try:
        old = _migrate(BEFORE)
        Entity = old.get_model("territory", "Entity")
        Organization = old.get_model("participants", "Organization")
        User = old.get_model("accounts", "User")
        Secretariat = old.get_model("plans", "Secretariat")
        Seat = old.get_model("plans", "SecretariatMember")
        morelos = Entity.objects.create(code="17", name="Morelos", common_name="Morelos",
                                        slug="morelos")  # fmt: skip
        jalisco = Entity.objects.create(code="14", name="Jalisco", common_name="Jalisco",
                                        slug="jalisco")  # fmt: skip
        garante = Organization.objects.create(entity=morelos, name="IMIPE", type="organismo_garante",
                                              normalized_name="imipe")  # fmt: skip
        osc = Organization.objects.create(entity=jalisco, name="Red", type="sociedad_civil",
                                          normalized_name="red")  # fmt: skip
        seated = Organization.objects.create(entity=jalisco, name="Colectivo", type="otro",
                                             normalized_name="colectivo")  # fmt: skip
        users = {
            "coord": User.objects.create(username="coord", role="coordinador_nacional"),
            "eval": User.objects.create(username="eval", role="evaluador"),
            "citizen": User.objects.create(username="citizen", role="ciudadania"),
            "gov": User.objects.create(
                username="gov", role="secretariado", entity=morelos, organization=garante
            ),  # fmt: skip
            "cso": User.objects.create(
                username="cso", role="secretariado", entity=jalisco, organization=osc
            ),  # fmt: skip
            "seat": User.objects.create(
                username="seat", role="secretariado", entity=jalisco, organization=seated
            ),  # fmt: skip
        }
        # An active seat decides the side over the organisation's type.
        sec = Secretariat.objects.create(entity=jalisco)
        Seat.objects.create(secretariat=sec, organization=seated, user=users["seat"],
                            side="sociedad_civil", role="enlace", active=True)  # fmt: skip

        new = _migrate(AFTER)
        Membership = new.get_model("accounts", "Membership")
        rows = {
            m.user.username: (
                m.kind,
                m.entity.code if m.entity_id else None,
                m.organization_id,
                m.side,
                m.seat_role,
            )  # fmt: skip
            for m in Membership.objects.select_related("user", "entity")
        }
        assert rows == {
            "coord": ("coordinador_nacional", None, None, "", "integrante"),
            "eval": ("evaluador", None, None, "", "integrante"),
            "gov": ("secretariado", "17", garante.pk, "gobierno", "integrante"),
            "cso": ("secretariado", "14", osc.pk, "sociedad_civil", "integrante"),
            "seat": ("secretariado", "14", seated.pk, "sociedad_civil", "enlace"),
        }
        assert Membership.objects.filter(ended_on__isnull=True).count() == 5

        # And back: the single role is rebuilt from the memberships.
        back = _migrate(BEFORE)
        OldUser = back.get_model("accounts", "User")
        assert OldUser.objects.get(username="gov").role == "secretariado"
        assert OldUser.objects.get(username="gov").entity.code == "17"
        assert OldUser.objects.get(username="coord").role == "coordinador_nacional"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
