# The followers moved to notifications.Follow (its migration 0002 copies the rows first).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_municipal_level"),
        ("notifications", "0002_follows_from_plans"),
    ]

    operations = [migrations.DeleteModel(name="Follower")]
