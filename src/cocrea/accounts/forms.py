"""The forms of a citizen's own account: sign-up, rectification, opposition, ARCO requests."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import ArcoRight, CitizenProfile


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico"))
    display_name = forms.CharField(
        label=_("Nombre público"),
        max_length=80,
        help_text=_("Así aparecerá junto a lo que publique. Puede ser un seudónimo."),
    )
    kind = forms.ChoiceField(
        label=_("Participa como"), choices=CitizenProfile.Kind.choices, initial="persona"
    )
    password = forms.CharField(label=_("Contraseña"), widget=forms.PasswordInput)
    accept_privacy = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad"), required=True
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class RectifyForm(forms.Form):
    """ARCO rectification of what the person can correct themselves."""

    display_name = forms.CharField(
        label=_("Nombre público"),
        max_length=80,
        help_text=_("Así aparece junto a lo que publica. Puede ser un seudónimo."),
    )
    email = forms.EmailField(
        label=_("Correo electrónico"),
        help_text=_("Si lo cambia, le enviaremos un enlace para verificar el nuevo correo."),
    )


class OppositionForm(forms.Form):
    """ARCO opposition: consent withdrawn for a purpose, the account kept."""

    emails = forms.BooleanField(
        label=_("No deseo recibir correos de la plataforma (los avisos siguen en Mi espacio)"),
        required=False,
    )
    public_name = forms.BooleanField(
        label=_("No mostrar mi nombre público junto a lo que publico («Participante»)"),
        required=False,
    )


class ArcoRequestForm(forms.Form):
    """A request a person of the platform must answer (e.g. correcting a public record)."""

    right = forms.ChoiceField(label=_("Derecho"), choices=ArcoRight.choices)
    text = forms.CharField(
        label=_("Su solicitud"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Describa qué dato, en qué página y qué pide que se haga."),
    )
