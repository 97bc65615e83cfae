"""The single role, entity and organisation of a user give way to memberships (0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_memberships_from_roles"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="user",
            name="secretariat_member_has_entity",
        ),
        migrations.RemoveField(
            model_name="user",
            name="entity",
        ),
        migrations.RemoveField(
            model_name="user",
            name="organization",
        ),
        migrations.RemoveField(
            model_name="user",
            name="role",
        ),
    ]
