from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Phase, Proposal, ResponseStatus, Sector, Standard


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["kind", "title", "body", "affected_population", "municipality", "theme"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"body": _("Puede usar Markdown: **negritas**, listas, enlaces.")}


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comentario"), widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del reporte"), max_length=500)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Motivo para ocultar"), max_length=500)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ResponseForm(forms.Form):
    status = forms.ChoiceField(label=_("Respuesta"), choices=ResponseStatus.choices)
    reason = forms.CharField(
        label=_("Motivo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatorio si la propuesta se rechaza."),
    )
    commitment = forms.TypedChoiceField(
        label=_("Compromiso"), required=False, coerce=int, empty_value=None, choices=[]
    )
    publish = forms.BooleanField(label=_("Publicar ahora"), required=False)

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [("", "—")] + [
            (c.pk, f"{c.number}. {c.title}") for c in commitments
        ]


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = [
            "kind", "title", "starts_on", "ends_on",
            "proposals_open", "supports_open", "comments_open",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class RegistrationForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("Acuerdo"), widget=forms.Textarea(attrs={"rows": 2}))
    commitment = forms.TypedChoiceField(
        label=_("Compromiso"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [("", "—")] + [
            (c.pk, f"{c.number}. {c.title}") for c in commitments
        ]


class StandardForm(forms.Form):
    standard = forms.ChoiceField(choices=Standard.choices, widget=forms.HiddenInput)
    met = forms.BooleanField(label=_("Se cumple"), required=False)
    evidence = forms.CharField(
        label=_("Evidencia"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    url = forms.URLField(label=_("Enlace"), required=False, assume_scheme="https")
