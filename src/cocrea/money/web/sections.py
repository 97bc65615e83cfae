"""The Sigue el Dinero block of the public entity page (Django queries only)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import buyer_territories, flagged_processes, programs_of


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


def municipality_summary(place) -> dict | None:
    """The municipality's programmes, its tied buyers and how many of their processes have a
    red flag (two Django queries and, with contracting data, one DuckDB query)."""
    programs = list(programs_of(municipality_code=place.code))
    buyers = [t.buyer_id for t in buyer_territories(municipality_code=place.code)[:200]]
    if not programs and not buyers:
        return None
    facts = [
        ngettext(
            "%(n)d programa presupuestario municipal.",
            "%(n)d programas presupuestarios municipales.",
            len(programs),
        )
        % {"n": len(programs)},
        ngettext(
            "%(n)d comprador vinculado al municipio.",
            "%(n)d compradores vinculados al municipio.",
            len(buyers),
        )
        % {"n": len(buyers)},
    ]
    if buyers:
        processes, flagged = flagged_processes(place.entity.code, buyers)
        facts.append(
            _("%(f)d de %(n)d procesos de contratación con alguna bandera roja.")
            % {"f": flagged, "n": processes}
        )
    return {
        "title": _("Sigue el Dinero"),
        "url": reverse(
            "money:municipality", kwargs={"slug": place.entity.slug, "municipality": place.slug}
        ),
        "facts": facts,
    }
