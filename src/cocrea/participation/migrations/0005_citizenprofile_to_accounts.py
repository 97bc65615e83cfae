# The citizen's profile moves to the accounts (accounts 0006 takes it over with its rows):
# here it only leaves co-creation's state; the table stays until accounts renames it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0004_municipal_level"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CitizenProfile")],
            database_operations=[],
        ),
    ]
