"""The overdue sweep: due in 7 days and overdue, to the responsible side, told once per state."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from notif_helpers import told

from cocrea.money.analytics import database
from cocrea.notifications import sweep
from cocrea.notifications.models import Notification, Told
from cocrea.plans.models import Agreement, Secretariat, Session

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def test_due_then_overdue_each_once(morelos, users):
    gov = morelos["gov_milestone"]
    gov.end_date = TODAY + datetime.timedelta(days=5)
    gov.save()
    cso = morelos["cso_milestone"]
    cso.end_date = TODAY + datetime.timedelta(days=30)  # not yet within 7 days
    cso.save()
    assert sweep.run(TODAY) == {"milestones": 1, "agreements": 0, "red_flags": 0}
    # The government side of Morelos' secretariat; not its civil-society side, not Jalisco,
    # not the followers of the commitment.
    assert told("plans.milestone_due") == {"enlace17"}
    assert sweep.run(TODAY) == {"milestones": 0, "agreements": 0, "red_flags": 0}
    assert sweep.run(TODAY + datetime.timedelta(days=1)) == {
        "milestones": 0,
        "agreements": 0,
        "red_flags": 0,
    }
    assert Notification.objects.filter(kind="plans.milestone_due").count() == 1
    late = TODAY + datetime.timedelta(days=6)
    assert sweep.run(late)["milestones"] == 1
    assert told("plans.milestone_overdue") == {"enlace17"}
    assert sweep.run(late)["milestones"] == 0
    assert sweep.run(late + datetime.timedelta(days=20))["milestones"] == 1  # cso now due...
    assert told("plans.milestone_due") == {"enlace17", "osc17"}
    assert Notification.objects.filter(kind="plans.milestone_overdue").count() == 1
    # A new deadline is a new state: told again.
    gov.refresh_from_db()
    gov.end_date = late + datetime.timedelta(days=24)
    gov.save()
    assert sweep.run(late + datetime.timedelta(days=20))["milestones"] == 1
    assert (
        Notification.objects.filter(kind="plans.milestone_due", user__username="enlace17").count()
        == 2
    )


def test_concluded_milestones_are_not_told(morelos):
    gov = morelos["gov_milestone"]
    type(gov).objects.filter(pk=gov.pk).update(end_date=TODAY - datetime.timedelta(days=3),
                                               status="concluido")  # fmt: skip
    type(gov).objects.filter(pk=morelos["cso_milestone"].pk).update(status="cancelado",
                                                                     end_date=TODAY)  # fmt: skip
    assert sweep.run(TODAY) == {"milestones": 0, "agreements": 0, "red_flags": 0}


def test_overdue_agreement_and_the_command(morelos, users):
    secretariat = Secretariat.objects.create(entity=morelos["entity"])
    session = Session.objects.create(
        secretariat=secretariat, number=1, date=datetime.date(2026, 1, 5)
    )
    Agreement.objects.create(session=session, number=1, text="Publicar el calendario.",
                             due_date=datetime.date(2026, 2, 1))  # fmt: skip
    Agreement.objects.create(session=session, number=2, text="Ya cumplido.",
                             due_date=datetime.date(2026, 2, 1), status="cumplido")  # fmt: skip
    call_command("notify_sweep")
    assert told("plans.agreement_overdue") == {"enlace17", "osc17"}
    call_command("notify_sweep")
    assert Notification.objects.filter(kind="plans.agreement_overdue").count() == 2
    assert Told.objects.filter(key__startswith="agreement:").count() == 1


def test_new_red_flags_of_a_followed_supplier_told_once(settings, tmp_path, reference, users):
    import sys

    from notif_helpers import follow

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent.parent / "money"))
    from money_demo_fixture import load_demo

    from cocrea.money.analytics import database

    load_demo(settings, tmp_path, reference, with_commitment=False)
    con = database.connect()
    try:
        supplier = con.execute(
            "SELECT key FROM flags WHERE grp = 'Tenderer' ORDER BY key LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    follow(users["citizen"], "proveedor", supplier)
    follow(users["evaluator"], "comprador", "ninguno-con-banderas")
    flagged_store = settings.COCREA_MONEY_DIR
    # Followed before any data: the first sweep sees the supplier without flags.
    settings.COCREA_MONEY_DIR = tmp_path / "vacio"
    assert sweep.run(TODAY)["red_flags"] == 0
    assert Told.objects.filter(key=f"redflag:proveedor:{supplier}").exists()
    settings.COCREA_MONEY_DIR = flagged_store  # the next snapshot flags the supplier
    told_now = sweep.run(TODAY)["red_flags"]
    assert told_now >= 1
    assert told("money.red_flag") == {"ciudadano"}
    assert Notification.objects.filter(kind="money.red_flag").count() == told_now
    assert sweep.run(TODAY)["red_flags"] == 0  # told once


def test_flags_already_shown_when_followed_are_not_news(settings, tmp_path, reference, users):
    import sys

    from notif_helpers import follow

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent.parent / "money"))
    from money_demo_fixture import load_demo

    load_demo(settings, tmp_path, reference, with_commitment=False)
    con = database.connect()
    try:
        supplier = con.execute(
            "SELECT key FROM flags WHERE grp = 'Tenderer' ORDER BY key LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    follow(users["citizen"], "proveedor", supplier)
    assert sweep.run(TODAY)["red_flags"] == 0  # on the page when followed: recorded, not told
    assert sweep.run(TODAY)["red_flags"] == 0
    assert not Notification.objects.filter(kind="money.red_flag").exists()
