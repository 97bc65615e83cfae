"""The plans block of the public entity page (aggregates only)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import board


def entity_summary(entity) -> dict | None:
    rows = board(entity=entity.code).rows
    if not rows:
        return None
    row = rows[0]
    figures = row.figures
    facts = [
        ngettext("%(n)d plan de acción local.", "%(n)d planes de acción local.", row.plans)
        % {"n": row.plans},
        ngettext("%(n)d compromiso.", "%(n)d compromisos.", figures.commitments)
        % {"n": figures.commitments},
        _("Avance validado: %(v).1f %% (reportado: %(r).1f %%).")
        % {"v": figures.progress, "r": figures.reported},
    ]
    if figures.overdue:
        facts.append(
            ngettext("%(n)d hito vencido.", "%(n)d hitos vencidos.", figures.overdue)
            % {"n": figures.overdue}
        )
    return {
        "title": _("Plan de acción local"),
        "url": reverse("plans:entity", kwargs={"slug": entity.slug}),
        "facts": facts,
    }
