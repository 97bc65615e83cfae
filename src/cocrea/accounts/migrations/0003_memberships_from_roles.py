"""Carry each user's single role over to memberships.

* `coordinador_nacional` and `evaluador` become national roles.
* `secretariado` becomes a seat in the user's entity, through their organisation. The side
  is the one of the user's active seat in that secretariat (plans' SecretariatMember)
  when there is one; otherwise it follows the organisation's type (authorities and
  guarantor bodies speak for government; civil society and academia for civil society),
  and government when nothing says.
"""

from django.db import migrations

SIDE_OF_TYPE = {
    "autoridad": "gobierno",
    "organismo_garante": "gobierno",
    "sociedad_civil": "sociedad_civil",
    "academia": "sociedad_civil",
}


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    Seat = apps.get_model("plans", "SecretariatMember")
    seat_side = {}
    seat_role = {}
    for seat in Seat.objects.filter(user__isnull=False, active=True).values(
        "user_id", "secretariat__entity_id", "side", "role"
    ):
        key = (seat["user_id"], seat["secretariat__entity_id"])
        seat_side.setdefault(key, seat["side"])
        seat_role.setdefault(key, seat["role"])
    rows = []
    for user in User.objects.exclude(role="ciudadania").select_related("organization"):
        joined = user.date_joined.date() if user.date_joined else None
        if user.role == "secretariado":
            key = (user.pk, user.entity_id)
            org_side = SIDE_OF_TYPE.get(user.organization.type) if user.organization_id else None
            rows.append(
                Membership(
                    user_id=user.pk,
                    kind="secretariado",
                    entity_id=user.entity_id,
                    organization_id=user.organization_id,
                    side=seat_side.get(key) or org_side or "gobierno",
                    seat_role=seat_role.get(key) or "integrante",
                    started_on=joined,
                )
            )
        elif user.role in ("coordinador_nacional", "evaluador"):
            rows.append(Membership(user_id=user.pk, kind=user.role, started_on=joined))
    Membership.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    order = {"coordinador_nacional": 0, "secretariado": 1, "evaluador": 2}
    chosen = {}
    for m in Membership.objects.filter(ended_on__isnull=True).order_by("id"):
        current = chosen.get(m.user_id)
        if current is None or order[m.kind] < order[current.kind]:
            chosen[m.user_id] = m
    for user_id, m in chosen.items():
        User.objects.filter(pk=user_id).update(
            role=m.kind, entity_id=m.entity_id, organization_id=m.organization_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership"),
        ("plans", "0002_milestone_report_counters"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
