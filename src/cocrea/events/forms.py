from django import forms
from django.utils.translation import gettext_lazy as _

from cocrea.territory.models import Entity

from .models import Sector, Session
from .selectors import MEXICO_CITY, registerable_sessions


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        local = obj.start.astimezone(MEXICO_CITY)
        return f"{obj.title} ({local:%d/%m %H:%M}, {obj.get_kind_display()})"


class RegistrantDetailsForm(forms.Form):
    name = forms.CharField(label=_("Nombre completo"), max_length=200)
    organization = forms.CharField(
        label=_("Organización o institución"), max_length=200, required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("— Elija un sector —")), *Sector.choices]
    )
    entity_code = forms.ChoiceField(label=_("Entidad federativa"), required=False)
    sessions = SessionChoiceField(
        label=_("Sesiones con cupo propio (opcional)"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["entity_code"].choices = [("", _("— Otra / no aplica —"))] + [
            (e.code, e.name) for e in Entity.objects.order_by("name")
        ]
        self.fields["sessions"].queryset = registerable_sessions(event)
        if not self.fields["sessions"].queryset.exists():
            del self.fields["sessions"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Este campo es obligatorio."))
        return name

    def clean_entity_code(self):
        code = (self.cleaned_data.get("entity_code") or "").strip()
        if not code:
            return None
        entity = Entity.objects.filter(code=code.zfill(2)).first()
        if entity is None:
            raise forms.ValidationError(_("No es una clave de entidad válida."))
        return entity


class RegistrationForm(RegistrantDetailsForm):
    email = forms.EmailField(label=_("Correo electrónico"), max_length=254)
    accept_privacy_notice = forms.BooleanField(
        label=_("He leído y acepto el aviso de privacidad"),
        error_messages={"required": _("Debe aceptar el aviso de privacidad para registrarse.")},
    )
    field_order = ["name", "email", "organization", "sector", "entity_code", "sessions"]


class EmailRegistrantsForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Destinatarios"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("Todas las personas con registro confirmado"),
    )
    subject = forms.CharField(label=_("Asunto"), max_length=200)
    body = forms.CharField(label=_("Mensaje"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(event=event).order_by("start")
