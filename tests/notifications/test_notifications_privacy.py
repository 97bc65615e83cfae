"""Privacy: follows and notifications in the personal-data download, erased with the account;
the Follower rows of plans carried into notifications (data migration, both ways)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from notif_helpers import follow

from cocrea.notifications import services
from cocrea.notifications.models import Follow, Notification, Preference

FLAG = {"role": "supplier", "party_id": "MX-RFC-ABC010101AB1", "name": "Constructora",
        "flag": "Proveedor único", "ocid": "ocds-1"}  # fmt: skip


@pytest.mark.django_db
def test_download_and_erasure(client, reference):
    from participation_helpers import make_citizen

    ana = make_citizen("ana")
    follow(ana, "proveedor", FLAG["party_id"])
    Preference.objects.create(user=ana, kind="money.red_flag", mode="semanal")
    services.fan_out("money.red_flag", None, FLAG)
    client.force_login(ana)
    data = client.get("/cuenta/mis-datos.json").json()
    part = data["notifications"]
    assert part["follows"][0]["kind"] == "proveedor"
    assert part["follows"][0]["target"] == FLAG["party_id"]
    assert part["preferences"] == {"money.red_flag": "semanal"}
    assert part["notifications"][0]["title"] == "Nueva bandera roja: Constructora"
    response = client.post("/cuenta/eliminar/", {"confirm": "eliminar"})
    assert response.status_code in (200, 302)
    assert not type(ana).objects.filter(pk=ana.pk).exists()
    assert not Follow.objects.exists()
    assert not Notification.objects.exists()
    assert not Preference.objects.exists()


BEFORE = [
    ("accounts", "0004_remove_user_single_role"),
    ("plans", "0003_plan_reports_require_evidence"),
    ("notifications", "0001_initial"),
]
AFTER = [("plans", "0005_delete_follower")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_followers_move_to_follows_and_back():
    try:
        old = _migrate(BEFORE)
        Entity = old.get_model("territory", "Entity")
        User = old.get_model("accounts", "User")
        Plan = old.get_model("plans", "ActionPlan")
        Commitment = old.get_model("plans", "Commitment")
        Follower = old.get_model("plans", "Follower")
        morelos = Entity.objects.create(code="17", name="Morelos", common_name="Morelos",
                                        slug="morelos")  # fmt: skip
        plan = Plan.objects.create(entity=morelos, sequence=1, title="Plan")
        c1 = Commitment.objects.create(plan=plan, number=1, title="Uno", weight=1)
        c2 = Commitment.objects.create(plan=plan, number=2, title="Dos", weight=1)
        ana = User.objects.create(username="ana")
        beto = User.objects.create(username="beto")
        for user, c in ((ana, c1), (ana, c2), (beto, c2)):
            Follower.objects.create(user=user, commitment=c)
        new = _migrate(AFTER)
        NewFollow = new.get_model("notifications", "Follow")
        assert sorted(NewFollow.objects.values_list("user__username", "kind", "target")) == [
            ("ana", "compromiso", str(c1.pk)), ("ana", "compromiso", str(c2.pk)),
            ("beto", "compromiso", str(c2.pk)),
        ]  # fmt: skip
        back = _migrate(BEFORE)
        OldFollower = back.get_model("plans", "Follower")
        assert sorted(OldFollower.objects.values_list("user__username", "commitment_id")) == [
            ("ana", c1.pk), ("ana", c2.pk), ("beto", c2.pk)
        ]  # fmt: skip
        assert not back.get_model("notifications", "Follow").objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
