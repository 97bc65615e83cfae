from django import forms
from django.utils.translation import gettext_lazy as _


class ParticipantsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV"),
        help_text=_("UTF-8 con encabezado: entidad,organizacion,tipo,poder"),
    )
