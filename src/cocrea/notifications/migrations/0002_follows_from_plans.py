"""The commitment followers of plans (plans.Follower) become follows of kind "compromiso".

Backwards, the commitment follows go back into plans.Follower (other kinds have no place
there and are kept in notifications).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Follower = apps.get_model("plans", "Follower")
    Follow = apps.get_model("notifications", "Follow")
    rows = [
        Follow(user_id=user_id, kind="compromiso", target=str(commitment_id), created_at=created)
        for user_id, commitment_id, created in Follower.objects.values_list(
            "user_id", "commitment_id", "created_at"
        ).iterator()
    ]
    Follow.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    # auto_now_add ignores the given value on insert: keep the original dates.
    for user_id, commitment_id, created in Follower.objects.values_list(
        "user_id", "commitment_id", "created_at"
    ).iterator():
        Follow.objects.filter(user_id=user_id, kind="compromiso", target=str(commitment_id)).update(
            created_at=created
        )


def backwards(apps, schema_editor):
    Follower = apps.get_model("plans", "Follower")
    Follow = apps.get_model("notifications", "Follow")
    Commitment = apps.get_model("plans", "Commitment")
    existing = set(Commitment.objects.values_list("pk", flat=True))
    rows = [
        Follower(user_id=user_id, commitment_id=int(target))
        for user_id, target in Follow.objects.filter(kind="compromiso").values_list(
            "user_id", "target"
        )
        if target.isdigit() and int(target) in existing
    ]
    Follower.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    Follow.objects.filter(kind="compromiso").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("plans", "0003_plan_reports_require_evidence"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
