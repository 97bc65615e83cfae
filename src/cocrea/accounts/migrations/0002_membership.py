"""Memberships: a person's secretariat seats and national roles."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("participants", "0001_initial"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("coordinador_nacional", "Coordinación nacional"),
                            ("secretariado", "Integrante de secretariado técnico local"),
                            ("evaluador", "Evaluación"),
                        ],
                        max_length=24,
                        verbose_name="tipo",
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        blank=True,
                        choices=[("gobierno", "Gobierno"), ("sociedad_civil", "Sociedad civil")],
                        max_length=20,
                        verbose_name="sector",
                    ),
                ),
                (
                    "seat_role",
                    models.CharField(
                        choices=[
                            ("coordinacion", "Coordinación"),
                            ("enlace", "Enlace"),
                            ("integrante", "Integrante"),
                        ],
                        default="integrante",
                        max_length=20,
                        verbose_name="papel",
                    ),
                ),
                ("started_on", models.DateField(blank=True, null=True, verbose_name="desde")),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="hasta")),
            ],
            options={
                "verbose_name": "membresía",
                "verbose_name_plural": "membresías",
                "ordering": ["user", "kind", "entity__code", "id"],
            },
        ),
        migrations.AddField(
            model_name="membership",
            name="entity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="territory.entity",
                verbose_name="entidad",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="participants.organization",
                verbose_name="organización",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to=settings.AUTH_USER_MODEL,
                verbose_name="persona",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "secretariado"), _negated=True),
                    models.Q(("entity__isnull", False), models.Q(("side", ""), _negated=True)),
                    _connector="OR",
                ),
                name="membership_seat_has_entity_and_side",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "secretariado"),
                    models.Q(("entity__isnull", True), ("side", "")),
                    _connector="OR",
                ),
                name="membership_national_has_no_entity",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ended_on__isnull", True), ("kind", "secretariado")),
                fields=("user", "entity"),
                name="membership_one_active_seat_per_entity",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("kind", "secretariado"), _negated=True), ("ended_on__isnull", True)
                ),
                fields=("user", "kind"),
                name="membership_one_active_national_role",
            ),
        ),
    ]
