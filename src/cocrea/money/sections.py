"""The Sigue el Dinero block of the public entity page (Django queries only)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import programs_of


def entity_summary(entity) -> dict | None:
    programs = list(programs_of(entity.code))
    if not programs:
        return None
    linked = sum(1 for p in programs if p.commitment_id)
    facts = [
        ngettext(
            "%(n)d programa presupuestario seguido.",
            "%(n)d programas presupuestarios seguidos.",
            len(programs),
        )
        % {"n": len(programs)},
        ", ".join(f"{p.clave_programa} {p.name}" for p in programs[:3]),
    ]
    if linked:
        facts.append(
            ngettext(
                "%(n)d vinculado a un compromiso del plan.",
                "%(n)d vinculados a compromisos del plan.",
                linked,
            )
            % {"n": linked}
        )
    return {
        "title": _("Sigue el Dinero"),
        "url": reverse("money:entity", kwargs={"slug": entity.slug}),
        "facts": facts,
    }
