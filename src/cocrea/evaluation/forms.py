"""Forms of the evaluator's and the secretariat's pages (services do the checking)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cocrea.participation.models import Standard

from .models import Assessment, Stage, Variable

DESIGN_FIELDS = [
    "verifiable", "verifiable_why",
    "relevant_access", "relevant_participation", "relevant_accountability",
    "relevant_technology", "relevance_why",
    "potential", "potential_why", "promising", "promising_why",
    "specificity", "specificity_why", "impact", "impact_why",
]  # fmt: skip
RESULTS_FIELDS = [
    "completion", "completion_override_reason", "completion_why", "opened", "opened_why",
]  # fmt: skip


class AssessmentForm(forms.ModelForm):
    links = forms.CharField(
        label=_("Enlaces a evidencia (uno por línea)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Assessment
        fields = DESIGN_FIELDS + RESULTS_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in DESIGN_FIELDS + RESULTS_FIELDS
            if name.endswith(("_why", "_reason"))
        }

    def __init__(self, *args, stage: str, **kwargs):
        super().__init__(*args, prefix=f"a{kwargs.get('instance').pk}", **kwargs)
        keep = DESIGN_FIELDS if stage == Stage.DESIGN else RESULTS_FIELDS
        for name in list(self.fields):
            if name not in keep and name != "links":
                del self.fields[name]
        if self.instance.evidence_links:
            self.initial["links"] = "\n".join(self.instance.evidence_links)

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "links"}
        data["evidence_links"] = self.cleaned_data["links"].split()
        return data


class StandardForm(forms.Form):
    standard = forms.ChoiceField(label=_("Estándar"), choices=Standard.choices)
    met = forms.BooleanField(label=_("Se cumple"), required=False)
    justification = forms.CharField(
        label=_("Justificación"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SendForm(forms.Form):
    reply_due = forms.DateField(
        label=_("Fecha límite de réplica"), widget=forms.DateInput(attrs={"type": "date"})
    )


class CorrectionForm(forms.Form):
    note = forms.CharField(label=_("Qué se corrige"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    variable = forms.ChoiceField(choices=Variable.choices, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Réplica"), widget=forms.Textarea(attrs={"rows": 2}))
