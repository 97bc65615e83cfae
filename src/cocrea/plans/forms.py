from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Descripción del avance"), widget=forms.Textarea(attrs={"rows": 3})
    )
    progress = forms.DecimalField(
        label=_("Avance (%)"), min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    date = forms.DateField(
        label=_("Fecha"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    link_title = forms.CharField(label=_("Título de la evidencia"), required=False, max_length=200)
    link_url = forms.URLField(label=_("Enlace de evidencia"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("Archivo de evidencia"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la devolución"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Título"), max_length=200)
    url = forms.URLField(label=_("Enlace"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("Archivo"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            raise forms.ValidationError(_("Indique un enlace o adjunte un archivo."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Archivo CSV de hitos"))


class ExportForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("Entidad"), queryset=None, required=False)

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities


class CorrectionForm(forms.Form):
    """A national coordinator's correction of a milestone's official figure."""

    progress = forms.DecimalField(
        label=_("Avance validado (%)"), min_value=0, max_value=100, decimal_places=2,
        max_digits=5, required=False,
    )  # fmt: skip
    status = forms.ChoiceField(label=_("Estatus"))
    reason = forms.CharField(
        label=_("Motivo público de la corrección"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        from .models import MilestoneStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = MilestoneStatus.choices
