# ARCO rights: the two oppositions on the user, the requests that wait for a person; and the
# citizen's profile, moved here from co-creation with its rows (state first, then the table
# is renamed to this app's name).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_municipal_level"),
        ("participation", "0005_citizenprofile_to_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="emails_opposed_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="se opuso a recibir correos"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="public_name_opposed_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="se opuso a mostrar su nombre público"
            ),
        ),
        migrations.CreateModel(
            name="ArcoRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "right",
                    models.CharField(
                        choices=[
                            ("acceso", "Acceso"),
                            ("rectificacion", "Rectificación"),
                            ("cancelacion", "Cancelación"),
                            ("oposicion", "Oposición"),
                        ],
                        max_length=14,
                        verbose_name="derecho",
                    ),
                ),
                ("text", models.TextField(verbose_name="solicitud")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pendiente", "Pendiente"),
                            ("atendida", "Atendida"),
                            ("improcedente", "Improcedente"),
                        ],
                        default="pendiente",
                        max_length=12,
                        verbose_name="estado",
                    ),
                ),
                ("filed_at", models.DateTimeField(verbose_name="presentada")),
                ("due_on", models.DateField(verbose_name="fecha límite legal")),
                (
                    "resolved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="respondida"),
                ),
                ("resolution", models.TextField(blank=True, verbose_name="respuesta")),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="respondió",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="arco_requests",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="persona",
                    ),
                ),
            ],
            options={
                "verbose_name": "solicitud de derechos ARCO",
                "verbose_name_plural": "solicitudes de derechos ARCO",
                "ordering": ["status", "due_on", "id"],
                "permissions": [("resolve_arcorequest", "Puede responder solicitudes ARCO")],
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CitizenProfile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("persona", "Persona"), ("organizacion", "Organización")],
                                default="persona",
                                max_length=12,
                                verbose_name="participa como",
                            ),
                        ),
                        (
                            "privacy_accepted_at",
                            models.DateTimeField(verbose_name="aceptó el aviso de privacidad"),
                        ),
                        (
                            "privacy_version",
                            models.CharField(max_length=20, verbose_name="versión del aviso"),
                        ),
                        (
                            "email_verified_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="correo verificado"
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="citizen_profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "perfil ciudadano",
                        "verbose_name_plural": "perfiles ciudadanos",
                        "db_table": "participation_citizenprofile",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="citizenprofile", table=None),
    ]
